import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.agent.cli.clirun import run_agent

PICK = ("1acj", "2bm2", "1g9v")


@pytest.fixture()
def three_complexes(complexes_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "complexes"
    for pdb_id in PICK:
        shutil.copytree(complexes_dir / pdb_id, root / pdb_id)
    shutil.copy(complexes_dir / "index.csv", root / "index.csv")
    return root


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _pngs(root: Path) -> int:
    return sum(1 for p in root.glob("*/images/*.png") if not p.name.startswith("."))


def test_a_build_killed_mid_render_resumes_to_the_same_files(three_complexes: Path, tmp_path: Path) -> None:
    args = ["bench", "build", "--split", "paper", "--complexes", str(three_complexes), "--tasks", "T1,T2,T3"]
    args += ["--size", "160", "--workers", "2"]
    ref, killed = tmp_path / "ref", tmp_path / "killed"
    done = run_agent(*args, "--out", str(ref))
    assert done.returncode == 0, done.stderr
    # stderr is a pipe here: plain progress lines, each stage with its rate once it ends
    ends = [ln for ln in done.stderr.splitlines() if ln.startswith("train render:") and " in " in ln]
    assert len(ends) == 1 and "/s" in ends[0] and "(100%)" in ends[0], done.stderr
    assert "test plan:" in done.stderr and "\x1b[" not in done.stderr
    total = _pngs(ref)
    assert total > 30
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", *args, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches the render workers too
    )
    deadline = time.monotonic() + 300
    while _pngs(killed) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _pngs(killed)
    assert 4 <= at_kill < total, (at_kill, total)
    resumed = run_agent(*args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    rendered_now = sum(
        int(line.split("(")[1].split()[0]) for line in resumed.stdout.splitlines() if "rendered now" in line
    )
    assert rendered_now == total - at_kill  # only what was missing
    assert _digests(killed) == _digests(ref)
    assert not list(killed.glob("*/images/.*"))  # torn temp files are cleaned up


def test_a_build_with_nothing_to_build_exits_1_with_one_line(complexes_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    (bad / "9bad").mkdir(parents=True)
    (bad / "9bad" / "9bad_complex.pdb").write_text("HETATM    1  C1  LIG A   1      1.0   garbage\nEND\n")
    for extra in ([], ["--split", "paper"]):
        proc = run_agent(
            "bench", "build", "--lazy", "--complexes", str(bad), "--out", str(tmp_path / "o"), *extra
        )
        assert proc.returncode == 1, proc.stderr
        errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error")]
        assert len(errors) == 1 and "nothing was built" in errors[0] and "9bad" in errors[0], proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout


def test_protocol_options_are_checked(three_complexes: Path, tmp_path: Path) -> None:
    common = ["bench", "build", "--lazy", "--complexes", str(three_complexes), "--out", str(tmp_path / "o")]
    for extra, needle in (
        (["--split", "halves"], "unknown --split 'halves' (valid: paper"),
        (["--split", "paper", "--per-task", "3"], "--per-task does not apply"),
    ):
        proc = run_agent(*common, *extra)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert needle in proc.stderr
    ids = tmp_path / "test.txt"
    ids.write_text("# held out\n2BM2\n")
    proc = run_agent(*common, "--split", "paper", "--test-ids", str(ids), "--tasks", "T1")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "test.txt").read_text() == "2bm2\n"
    assert sorted(p.name for p in (tmp_path / "o" / "test" / "items").glob("*.json")) == [
        "misi-T1-2bm2-0.json",
        "misi-T1-2bm2-1.json",
    ]


def test_export_command_writes_both_formats_and_reports_bad_input(
    three_complexes: Path, tmp_path: Path
) -> None:
    bench = tmp_path / "bench"
    common = ["--complexes", str(three_complexes), "--out", str(bench), "--tasks", "T1", "--size", "96"]
    built = run_agent("bench", "build", "--lazy", "--split", "paper", *common)
    assert built.returncode == 0, built.stderr
    hf = run_agent("bench", "export", str(bench), "--format", "hf", "--out", str(tmp_path / "hf"))
    assert hf.returncode == 0, hf.stderr
    assert "exported train 8, test 2 rows" in hf.stdout
    assert sorted(p.name for p in (tmp_path / "hf" / "data").iterdir()) == [
        "test-00000-of-00001.parquet",
        "train-00000-of-00001.parquet",
    ]
    sft = run_agent("bench", "export", str(bench), "--format", "sft", "--out", str(tmp_path / "sft"))
    assert sft.returncode == 0 and "exported train 8 rows" in sft.stdout, sft.stderr
    for args, needle in (
        (["--format", "csv"], "unknown export format 'csv'"),
        (["--format", "sft", "--splits", "dev"], "no dev split (it has: train, test)"),
        (["--format", "sft", "--save-to-disk"], "--save-to-disk applies to --format hf only"),
    ):
        proc = run_agent("bench", "export", str(bench), "--out", str(tmp_path / "x"), *args)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert needle in proc.stderr
