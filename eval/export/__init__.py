"""Exports into other tools' formats: a built benchmark as a Hugging Face `datasets` dataset or
fine-tuning conversations, and runs as Inspect AI `.eval` logs. Each needs its optional extra."""
