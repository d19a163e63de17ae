import shutil
from pathlib import Path

from tests import structure_defects as defects
from tests.agent.cli.clirun import run_agent


def test_build_prints_the_repairs_of_each_complex(complexes_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "complexes"
    shutil.copytree(complexes_dir / "1acj", root / "1acj")
    defects.write_folder(root / "9dup", complexes_dir, defects.shared_numbering_lines(complexes_dir))
    proc = run_agent(
        "bench", "build", "--lazy", "--complexes", str(root), "--out", str(tmp_path / "b"), "--tasks", "T1"
    )
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("repaired ")]
    assert len(lines) == 1 and lines[0].startswith("repaired 9dup: 2 chain segments split")


def test_unknown_executor_and_stray_address_are_one_line_errors(complexes_dir: Path, tmp_path: Path) -> None:
    for extra, needle in (
        (["--executor", "dask"], "unknown executor 'dask'"),
        (["--address", "10.0.0.1:6379"], "--address needs --executor ray"),
    ):
        proc = run_agent("bench", "build", "--out", str(tmp_path / "b"), *extra)
        assert proc.returncode == 2, proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr
        assert not (tmp_path / "b").exists()
