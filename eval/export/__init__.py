"""Exports of a built benchmark: a Hugging Face `datasets` dataset, and fine-tuning conversations."""
