"""SciVideoBench as a benchmark object: the release's rows as Items, keyed by row index.

It implements eval.benchmark.Benchmark: `root` is the data dir (item.video.path is relative to it),
`ensure_images` is a no-op (the videos are the release's own), and the opening samples frames. Rows
are read once when the benchmark opens; a video is looked up and
probed only when its item is asked for, so one missing video fails that item, not the whole run.
(video_id, question_id) repeats in the release, hence ids from the row index: scivideo-0000, …
"""

from __future__ import annotations

import difflib
from functools import cached_property
from pathlib import Path

from eval.benchmark import BenchmarkError, Opening, Verdict, check_task_names
from eval.items import Item, ItemView
from eval.scivideo.opening import video_opening
from eval.scivideo.protocol import max_new_tokens, question_prompt, task_code
from eval.scivideo.release import ReleaseError, Row, find_jsonl, find_video, read_rows
from eval.scivideo.score import judge_choice
from eval.settings import SolveSettings
from tools.frames.video import VideoError, VideoInfo, probe
from tools.refs import VideoRef

ID_PREFIX = "scivideo-"


class SciVideoBenchmark:
    name = "scivideo"

    def __init__(self, data: Path) -> None:
        self.jsonl = find_jsonl(Path(data))
        self.root = self.jsonl.parent
        self._rows = read_rows(self.jsonl)
        if not self._rows:
            raise ReleaseError(f"{self.jsonl}: no questions in the file")
        self._width = max(4, len(str(len(self._rows) - 1)))
        self._probed: dict[Path, VideoInfo] = {}

    @cached_property
    def ids(self) -> list[str]:
        return [self.item_id(i) for i in range(len(self._rows))]

    def item_id(self, row: int) -> str:
        return f"{ID_PREFIX}{row:0{self._width}d}"

    @cached_property
    def _index(self) -> dict[str, int]:
        return {item_id: i for i, item_id in enumerate(self.ids)}

    def _row_index(self, item_id: str) -> int:
        if item_id not in self._index:
            close = difflib.get_close_matches(item_id, self.ids, n=5, cutoff=0.5)
            hint = f"; close matches: {', '.join(close)}" if close else f"; {len(self.ids)} items exist"
            raise BenchmarkError(f"unknown item '{item_id}' in {self.jsonl}{hint}")
        return self._index[item_id]

    def _probe(self, path: Path) -> VideoInfo:
        if path not in self._probed:
            try:
                self._probed[path] = probe(path)
            except VideoError as exc:
                raise BenchmarkError(f"{path}: {exc}") from None
        return self._probed[path]

    def item(self, item_id: str) -> Item:
        index = self._row_index(item_id)
        lineno, row = self._rows[index]
        video = find_video(self.root, row.video_id)
        info = self._probe(video)
        return to_item(
            row, index, item_id, video.relative_to(self.root).as_posix(), info, self.jsonl.name, lineno
        )

    def items(self, tasks: list[str] | None = None) -> list[Item]:
        """Items in row order, optionally only the given task codes (case-insensitive)."""
        wanted = {t.lower() for t in tasks or []}
        chosen = [
            i for i, (_, row) in enumerate(self._rows) if not wanted or task_code(row.question_type) in wanted
        ]
        return [self.item(self.item_id(i)) for i in chosen]

    def task_of(self, item_id: str) -> str:
        """The item's task code, without looking for its video."""
        return task_code(self._rows[self._row_index(item_id)][1].question_type)

    @property
    def tasks(self) -> list[str]:
        return sorted({task_code(row.question_type) for _, row in self._rows})

    def check_tasks(self, tasks: list[str]) -> list[str]:
        """Question types: conceptual, hypothetical, quantitative (any case)."""
        return check_task_names(tasks, self.tasks, fold_case=True)

    def ensure_images(self, item: Item | ItemView, workers: int = 1) -> None:
        """Nothing to render: frames are decoded from the video when an item is solved."""

    def opening(self, item: ItemView, settings: SolveSettings, workdir: Path | None = None) -> Opening:
        return video_opening(item, self.root, settings, workdir)

    def answer_budget(self, item: ItemView, settings: SolveSettings) -> int | None:
        """The official protocol fixes its own token cap."""
        return max_new_tokens(settings.protocol, settings.mode) or settings.max_tokens

    def judge(self, item: Item, text: str | None, settings: SolveSettings) -> Verdict:
        return judge_choice(item, text, settings.protocol)


def to_item(
    row: Row, index: int, item_id: str, video_path: str, info: VideoInfo, source: str, line: int
) -> Item:
    # the official timestamp rewrite reads the row's own duration; the file's is the fallback
    duration = row.video_duration if row.video_duration is not None else info.duration
    prompt, template = question_prompt(row.question, row.options)
    return Item(
        id=item_id,
        benchmark="scivideo",
        task=task_code(row.question_type),
        task_name=row.question_type,
        prompt=prompt,
        prompt_template=template.id,
        prompt_hash=template.sha256,
        options=dict(sorted(row.options.items())),
        answer_format="choice",
        video=VideoRef(path=video_path, duration=duration, fps=info.fps),
        metadata={
            "question": row.question,
            "question_type": row.question_type,
            "discipline": row.discipline,
            "subject": row.subject,
            "video_id": row.video_id,
            "question_id": row.question_id,
            "row": index,
            "timestamp_breakdown": row.timestamp_breakdown,
        },
        gold=row.answer,
        generation={"release": source, "line": line},
    )


def open_scivideo(data_dir: Path | None = None) -> SciVideoBenchmark:
    """The release in `data_dir` (a directory or its jsonl), or the bundled local video items."""
    if data_dir is None:
        from eval.scivideo.local import bundled_dir  # builds into the cache on first use

        data_dir = bundled_dir()
    return SciVideoBenchmark(Path(data_dir))
