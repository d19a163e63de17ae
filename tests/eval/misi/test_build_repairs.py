"""A build over a PDBbind-style folder with a repaired complex: the repairs reach the build summary and
bench.json, and the repaired complex gives items like any other."""

import json
import shutil
from pathlib import Path

from eval.misi.build.builder import BuildConfig, build
from tests import structure_defects as defects


def test_build_reports_repairs_per_complex(complexes_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "complexes"
    shutil.copytree(complexes_dir / "1acj", root / "1acj")
    defects.write_folder(root / "9dup", complexes_dir, defects.shared_numbering_lines(complexes_dir))
    out = tmp_path / "bench"
    summary = build(BuildConfig(root, out, per_task=1, seed=0, tasks=["T1", "T4"], render=False))
    assert summary.skipped_complexes == {}
    assert set(summary.repairs) == {"9dup"}  # the clean complex has nothing to report
    assert summary.repairs["9dup"].chain_segments_split == 2
    recorded = json.loads((out / "bench.json").read_text())["summary"]["repairs"]
    assert recorded["9dup"]["chain_segments_split"] == 2
    assert recorded["9dup"]["residues_relabelled"] == summary.repairs["9dup"].residues_relabelled
    assert (out / "items" / "misi-T1-9dup-0.json").is_file()
