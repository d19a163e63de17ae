"""MiSI-Bench: answer parsing, scoring and item building."""
