import shutil
from pathlib import Path

import pytest

from tests.agent.cli.clirun import run_agent


def _one_line_error(proc, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture()
def mixed_complexes(complexes_dir: Path, tmp_path: Path) -> Path:
    """Two good complexes, one corrupt PDB, one truncated SDF and one folder without a ligand."""
    root = tmp_path / "complexes"
    for pdb_id in ("1acj", "1g9v"):
        shutil.copytree(complexes_dir / pdb_id, root / pdb_id)
    bad = root / "9bad"
    bad.mkdir()
    (bad / "9bad_complex.pdb").write_text("HETATM    1  C1  LIG A   1      1.0   garbage\nEND\n")
    trunc = root / "9trn"
    shutil.copytree(complexes_dir / "1g9v", trunc)
    sdf = trunc / "1g9v_ligand.sdf"
    sdf.chmod(0o644)
    sdf.write_text(sdf.read_text()[:200])
    (root / "9nol").mkdir()
    (root / "9nol" / "9nol_protein.pdb").write_text((complexes_dir / "1g9v" / "1g9v_protein.pdb").read_text())
    return root


def _lazy_build(complexes: Path, out: Path, tasks: str):
    """Plan one item per task and complex, without rendering."""
    return run_agent(
        "bench",
        "build",
        "--lazy",
        "--complexes",
        str(complexes),
        "--out",
        str(out),
        "--tasks",
        tasks,
        "--per-task",
        "1",
    )


def test_build_skips_bad_complexes_and_builds_the_rest(mixed_complexes: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench"
    proc = _lazy_build(mixed_complexes, out, "T1,T2")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for name in ("9bad", "9trn", "9nol"):
        assert f"skipped complex {name}" in proc.stdout
    assert "1g9v_ligand.sdf" in proc.stdout  # the truncated file is named
    items = sorted(p.stem for p in (out / "items").glob("*.json"))
    assert items == ["misi-T1-1acj-0", "misi-T1-1g9v-0", "misi-T2-1acj-0", "misi-T2-1g9v-0"]


def test_unknown_task_is_one_line(tmp_path: Path) -> None:
    _one_line_error(run_agent("bench", "build", "--out", str(tmp_path), "--tasks", "T1,T12"), "T12", "valid")


def test_non_numeric_seed_is_one_line(tmp_path: Path) -> None:
    _one_line_error(run_agent("bench", "build", "--out", str(tmp_path), "--seed", "abc"), "--seed", "integer")


def test_missing_complexes_folder_is_one_line(tmp_path: Path) -> None:
    _one_line_error(
        run_agent("bench", "build", "--out", str(tmp_path), "--complexes", str(tmp_path / "nope")), "nope"
    )


def test_unknown_item_lists_close_matches(mixed_complexes: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench"
    assert _lazy_build(mixed_complexes, out, "T1").returncode == 0
    proc = run_agent("bench", "show", "misi-T1-1acj-1", "--bench-dir", str(out))
    _one_line_error(proc, "misi-T1-1acj-1", "misi-T1-1acj-0")
    listing = run_agent("bench", "list", "--bench-dir", str(out), "--task", "T1")
    assert listing.stdout.split() == ["misi-T1-1acj-0", "misi-T1-1g9v-0"]


def test_show_in_a_narrow_pipe_keeps_each_image_path_on_one_line(small_bench: Path) -> None:
    narrow = {"COLUMNS": "40"}
    proc = run_agent("bench", "show", "misi-T1-1acj-0", "--bench-dir", str(small_bench), env=narrow)
    assert proc.returncode == 0, proc.stderr
    paths = [line for line in proc.stdout.splitlines() if ".png" in line]
    assert len(paths) == 4 and all(str(small_bench) in line and line.rstrip().endswith(")") for line in paths)
