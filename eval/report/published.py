"""Published reference figures, shown beneath the measured rows.

MiSI-Bench: Table 1 of arXiv 2512.10867 (weighted score, %; the tiny set except the SFT row).
SciVideoBench: the leaderboard of arXiv 2510.08559 (accuracy, %), and its direct → CoT figures.
"""

from __future__ import annotations

from eval.misi.score import COLUMNS
from eval.report.categories import QUESTION_TYPES
from eval.report.models import PublishedRow

_MISI_COLUMNS = ["Avg", *COLUMNS]
_MISI = {
    "Human": [81.18, 100.00, 70.18, 30.00, 100.00, 100.00, 32.00, 26.00, 74.54, 92.00, 82.78],
    "Claude Sonnet 4.5": [34.37, 45.71, 44.18, 6.00, 22.33, 84.00, 28.00, 26.00, 34.12, 38.00, 0.60],
    "GPT-5-mini": [27.71, 47.71, 30.55, 4.00, 29.33, 34.00, 28.00, 22.44, 27.24, 47.82, 1.01],
    "Qwen2.5VL-7B-SFT": [62.96, 99.84, 99.71, 27.14, 63.46, 89.52, 88.44, 89.59, 24.94, 88.37, 10.72],
}
_MISI_NOTES = {"Qwen2.5VL-7B-SFT": "full test set, fine-tuned on the training split"}

_SCIVIDEO_COLUMNS = ["Overall", *QUESTION_TYPES]
_SCIVIDEO: dict[str, list[float | None]] = {
    "Gemini-2.5-Pro": [64.30, 69.73, 67.79, 50.61],
    "GPT-5": [55.70, 61.35, 50.65, 55.10],
    "Gemini-2.5-Flash": [46.40, 50.81, 44.16, 43.27],
    "InternVL-3-78B": [38.50, 56.76, 39.22, 9.80],
    "GPT-4o": [24.90, 30.27, 28.05, 11.84],
    "Qwen2.5-VL-7B": [16.40, None, None, None],
    "Human (non-expert)": [17.40, 18.11, 18.70, 14.29],
    "Random": [10.00, 10.00, 10.00, 10.00],
    "Gemini-1.5-Pro (CoT)": [48.60, None, None, None],
    "Gemini-2.0-Flash (CoT)": [39.70, None, None, None],
    "GPT-4o (CoT)": [35.00, None, None, 34.29],
    "InternVL-3-78B (CoT)": [37.90, None, None, None],
    "InternVL-3-8B (CoT)": [25.50, None, None, None],
}


def misi_published() -> list[PublishedRow]:
    return [
        PublishedRow(label=label, values=dict(zip(_MISI_COLUMNS, values)), note=_MISI_NOTES.get(label, ""))
        for label, values in _MISI.items()
    ]


def scivideo_published() -> list[PublishedRow]:
    return [
        PublishedRow(label=label, values=dict(zip(_SCIVIDEO_COLUMNS, values)))
        for label, values in _SCIVIDEO.items()
    ]
