"""Run directories written by hand: a manifest and result lines, as `agent run` would leave them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eval.run.manifest import MANIFEST, RunManifest
from eval.run.results import RESULTS, ResultLine, ResultWriter

MakeLine = Callable[..., ResultLine]
MakeRun = Callable[..., Path]


def _status(score: float, exact: bool, status: str | None) -> str:
    return status or ("correct" if exact else "wrong")


@pytest.fixture
def misi_line() -> MakeLine:
    def make(
        item: str,
        column: str,
        score: float,
        exact: bool = False,
        *,
        mode: str = "direct",
        status: str | None = None,
        model: str = "m1",
        access: str = "images",
    ) -> ResultLine:
        return ResultLine(
            item_id=item,
            benchmark="misi",
            task="T?",
            column=column,
            mode=mode,
            model=model,
            access=access,
            status=_status(score, exact, status),
            score=score,
            exact_match=exact,
        )

    return make


@pytest.fixture
def scivideo_line() -> MakeLine:
    def make(
        item: str,
        qtype: str,
        discipline: str,
        right: bool,
        *,
        mode: str = "direct",
        status: str | None = None,
        protocol: str = "default",
        model: str = "m1",
        category: str | None = None,
    ) -> ResultLine:
        metadata = {"question_type": qtype, "discipline": discipline}
        if category is not None:
            metadata["category"] = category
        return ResultLine(
            item_id=item,
            benchmark="scivideo",
            task="scivideo",
            mode=mode,
            model=model,
            access="images",
            protocol=protocol,
            status=_status(float(right), right, status),
            score=float(right),
            exact_match=right,
            metadata=metadata,
        )

    return make


@pytest.fixture
def make_run(tmp_path: Path) -> MakeRun:
    def make(
        name: str,
        lines: list[ResultLine],
        *,
        benchmark: str = "misi",
        modes: list[str] | None = None,
        **manifest: Any,
    ) -> Path:
        run = tmp_path / name
        ordered = list(dict.fromkeys(x.mode for x in lines))
        run.mkdir(parents=True, exist_ok=True)
        (run / MANIFEST).write_text(
            RunManifest(
                run_id=name,
                benchmark=benchmark,
                bench_dir="bench",
                model="m1",
                modes=modes or ordered,
                access="images",
                **manifest,
            ).model_dump_json()
        )
        writer = ResultWriter(run / RESULTS)
        for line in lines:
            writer.append(line)
        writer.close()
        return run

    return make


# (item, column, score, exact, status) per mode; expected figures are worked out by hand in the tests.
MISI_DIRECT = [
    ("t1", "Trans", 1.0, True, None),
    ("t2", "Trans", 0.5, False, None),
    ("t3", "Trans", 0.0, False, "unparseable"),
    ("r1", "Rot", 0.9, False, None),
    ("r2", "Rot", 0.3, False, None),
    ("z1", "Zoom", 1.0, True, None),
    ("z2", "Zoom", 0.0, False, None),
    ("z3", "Zoom", 1.0, True, None),
    ("z4", "Zoom", 0.7, False, "error"),  # an errored line's score must not count
    ("p1", "RL-Pos", 0.5, False, None),
    ("n1", "RL-Neg", 1.0, True, None),
    ("n2", "RL-Neg", 0.0, False, None),
    ("tr1", "T+R", 1.0, True, None),
    ("tr2", "T+R", 1.0, True, None),
    ("pl1", "PL", 0.2, False, None),
]
MISI_TOOLS = [
    ("t1", "Trans", 1.0, True, None),
    ("t2", "Trans", 1.0, True, None),
    ("t3", "Trans", 0.25, False, None),
    ("r1", "Rot", 1.0, True, None),
    ("r2", "Rot", 0.5, False, None),
    ("z1", "Zoom", 1.0, True, None),
    ("z2", "Zoom", 1.0, True, None),
    ("z3", "Zoom", 0.0, False, None),
    ("z4", "Zoom", 1.0, True, None),
    ("p1", "RL-Pos", 1.0, True, None),
    ("n1", "RL-Neg", 1.0, True, None),
    ("n2", "RL-Neg", 1.0, True, None),
    ("tr1", "T+R", 0.0, False, None),
    ("tr2", "T+R", 1.0, True, None),
    ("pl1", "PL", 0.6, False, None),
    ("d1", "Dock", 0.4, False, None),  # only in tools: outside every paired figure
]

# (item, question type, raw discipline, direct right?, cot right?); s8: direct unparseable, cot error.
SCIVIDEO = [
    ("s1", "Conceptual Reasoning", "Biology", False, True),
    ("s2", "Conceptual Reasoning", "Neuroscience", False, True),
    ("s3", "Conceptual Reasoning", "Chemistry", True, True),
    ("s4", "Conceptual Reasoning", "Physics", True, False),
    ("s5", "Hypothetical Reasoning", "Developmental Biology", False, True),
    ("s6", "Hypothetical Reasoning", "Medicine", False, True),
    ("s7", "Hypothetical Reasoning", "Chemistry", False, True),
    ("s8", "Hypothetical Reasoning", "Astronomy", False, False),
    ("s9", "Quantitative Reasoning", "physics", False, True),
    ("s10", "Quantitative Reasoning", "Biology", True, True),
    ("s11", "Quantitative Reasoning", "Cancer Research", False, True),
    ("s12", "Quantitative Reasoning", "", False, True),
]


@pytest.fixture
def misi_run(make_run: MakeRun, misi_line: MakeLine) -> Path:
    lines = [
        misi_line(i, c, s, e, status=st, mode=mode)
        for mode, rows in (("direct", MISI_DIRECT), ("tools", MISI_TOOLS))
        for i, c, s, e, st in rows
    ]
    # an earlier errored attempt that a rerun replaced: only the last line per (mode, item) counts
    stale = misi_line("t1", "Trans", 0.0, False, status="error", mode="direct")
    return make_run("r1", [stale, *lines], modes=["direct", "cot", "tools"])


@pytest.fixture
def scivideo_runs(make_run: MakeRun, scivideo_line: MakeLine) -> list[Path]:
    direct = [
        scivideo_line(i, t, d, a, status="unparseable" if i == "s8" else None) for i, t, d, a, _ in SCIVIDEO
    ]
    cot = [
        scivideo_line(i, t, d, b, mode="cot", protocol="official", status="error" if i == "s8" else None)
        for i, t, d, _, b in SCIVIDEO
    ]
    return [
        make_run("sv1", direct, benchmark="scivideo"),
        make_run("sv2", cot, benchmark="scivideo", protocol="official"),
    ]
