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
