"""Exports of runs into other tools' formats (Inspect AI's `.eval` logs); each needs its optional extra."""
