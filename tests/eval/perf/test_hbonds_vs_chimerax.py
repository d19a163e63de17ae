"""The check of the H-bond key against saved ChimeraX outputs: scoring, and unusable files reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.perf.hbonds_vs_chimerax import main as check_main
from eval.perf.hbonds_vs_chimerax import parse_bond

CHIMERAX = json.loads((Path(__file__).parents[2] / "data" / "chimerax_hbonds.json").read_text())["complexes"]


def test_bonds_are_parsed_in_misi_format() -> None:
    assert parse_bond("ASP 25 OD1 A, O48") == ("A", "25", "OD1", "O48")
    assert parse_bond("HIS 57A NE2 B, Cl1") == ("B", "57A", "NE2", "CL1")
    assert parse_bond("GLY 219 N, O1") == ("", "219", "N", "O1")
    with pytest.raises(ValueError, match="not a bond"):
        parse_bond("GLY 219")


def test_check_script_scores_and_reports_bad_files(
    complexes_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refs = tmp_path / "refs"
    refs.mkdir()
    for pdb_id in ("2bm2", "1h2t"):
        ref = CHIMERAX[pdb_id]
        layout = "split" if ref["ligand"] is None else "complex"
        files = [str(complexes_dir / pdb_id / "x")]
        record = {
            "id": pdb_id,
            "layout": layout,
            "ligand": ref["ligand"],
            "files": files,
            "bonds": ref["bonds"],
        }
        (refs / f"{pdb_id}.json").write_text(json.dumps(record))
    wrong = dict(CHIMERAX["2bm2"], id="2bm2", layout="split", files=[str(complexes_dir / "2bm2" / "x")])
    wrong["bonds"] = wrong["bonds"][:-1] + ["ARG 1 NH1 B, O9"]
    (refs / "2bm2_edited.json").write_text(json.dumps(wrong))
    (refs / "broken.json").write_text("{not json")
    assert check_main([str(refs)]) == 0
    out = capsys.readouterr().out
    assert "broken skipped:" in out and "not readable JSON" in out
    assert "total: ChimeraX 13, key 13, shared 12; precision 0.923 recall 0.923 F1 0.923" in out
    assert check_main([str(tmp_path / "missing")]) == 2
