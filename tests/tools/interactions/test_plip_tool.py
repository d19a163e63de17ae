"""The PLIP tool against the `plip` program itself, its cache, its error paths and the two model tools."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import tools.interactions.tools  # noqa: F401  (registers the tools)
from tests.support import item_view
from tools.base import REGISTRY, ToolContext
from tools.interactions import (
    MergedComplex,
    PlipError,
    analyse_merged,
    cache_stats,
    clear_memory_cache,
    merge_complex,
    plip_profile,
    shutdown_worker,
)
from tools.render.scene import StructureRef
from tools.structure import Complex, load_complex

PLIP_CLI = Path(sys.executable).parent / "plip"

# Two split (SDF) folders, one with insertion codes (2bm2: PRO 60A, ASP 60B, LYS 60D), and whole-complex
# files: one with an insertion code (1bju: ALA 221A), one with ligand hydrogens and two chains (1hvi),
# one with many phosphate contacts (1xdn).
CASES = [("2bm2", None), ("1uou", None), ("1bju", "GP6:A:910"), ("1hvi", "A77:A:800"), ("1xdn", "ATP:A:501")]


def _complex(complexes_dir: Path, pdb_id: str, spec: str | None = None) -> Complex:
    return load_complex(complexes_dir / pdb_id, ligand=spec)


def _run_cli(merged: MergedComplex, workdir: Path) -> ET.Element:
    """The plip program on the merged file, XML report, everything inside `workdir`."""
    pdb = workdir / "merged.pdb"
    pdb.write_text(merged.text)
    out = workdir / "out"
    out.mkdir()
    proc = subprocess.run(
        [str(PLIP_CLI), "-f", str(pdb), "-x", "-o", str(out), "--nofixfile", "-q"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return ET.parse(next(out.glob("*.xml"))).getroot()


def _cli_site(root: ET.Element, merged: MergedComplex) -> ET.Element:
    sites = root.findall("bindingsite")
    assert len(sites) == 1  # the merged file holds one HETATM group: the ligand
    ident = sites[0].find("identifiers")
    assert ident is not None
    site = f"{ident.findtext('hetid')}:{ident.findtext('chain')}:{ident.findtext('position')}"
    assert site == merged.site
    return sites[0]


def _cli_hbonds(site: ET.Element, merged: MergedComplex) -> set[tuple]:
    found = set()
    for hb in site.iter("hydrogen_bond"):
        protisdon = hb.findtext("protisdon") == "True"
        donor, acceptor = int(hb.findtext("donoridx") or 0), int(hb.findtext("acceptoridx") or 0)
        prot, lig = (donor, acceptor) if protisdon else (acceptor, donor)
        ref = merged.protein_atoms[prot]
        r = ref.residue
        found.add((r.chain, r.number, r.icode, ref.atom, merged.ligand_atoms[lig], protisdon))
    return found


@pytest.mark.parametrize(("pdb_id", "spec"), CASES)
def test_hbonds_equal_the_plip_program(
    complexes_dir: Path, tmp_path: Path, pdb_id: str, spec: str | None
) -> None:
    cx = _complex(complexes_dir, pdb_id, spec)
    merged = merge_complex(cx)
    site = _cli_site(_run_cli(merged, tmp_path), merged)
    profile = plip_profile(cx, use_cache=False)
    ours = {
        (h.chain, h.resnr, h.icode, h.protein_atom, h.ligand_atom, h.donor == "protein")
        for h in profile.hbonds
    }
    assert ours == _cli_hbonds(site, merged)
    assert len(profile.hydrophobic) == len(list(site.iter("hydrophobic_interaction")))
    assert len(profile.salt_bridges) == len(list(site.iter("salt_bridge")))


def test_insertion_codes_survive_where_plip_numbers_them_0(complexes_dir: Path, tmp_path: Path) -> None:
    cx = _complex(complexes_dir, "2bm2")
    merged = merge_complex(cx)
    site = _cli_site(_run_cli(merged, tmp_path), merged)
    cli = {
        int(c.findtext("protcarbonidx") or 0): c.findtext("resnr")
        for c in site.iter("hydrophobic_interaction")
    }
    pro60a = [s for s, ref in merged.protein_atoms.items() if ref.residue.key == "D:PRO:60A"]
    assert any(cli.get(s) == "0" for s in pro60a)  # the plip program reports PRO 60A as residue 0
    ours = [c for c in plip_profile(cx).hydrophobic if c.resname == "PRO" and c.resnr == 60]
    assert ours and all(c.icode == "A" and c.residue == "PRO 60A" for c in ours)


def test_merged_file_layout(complexes_dir: Path) -> None:
    merged = merge_complex(_complex(complexes_dir, "1hvi", "A77:A:800"))
    lines = merged.text.splitlines()
    assert all(len(line) == 80 for line in lines)
    atoms = [ln for ln in lines if ln.startswith(("ATOM", "HETATM"))]
    assert [int(ln[6:11]) for ln in atoms] == merged.serials
    assert {ln[21] for ln in atoms if ln.startswith("HETATM")} == {merged.ligand_chain}
    assert merged.ligand_chain not in {ln[21] for ln in atoms if ln.startswith("ATOM")}
    assert sum(ln.startswith("TER") for ln in lines) == 3  # chains A, B and the ligand
    assert any(ln[76:78] == " H" for ln in atoms if ln.startswith("HETATM"))  # ligand hydrogens kept
    assert not any(ln.endswith("H") for ln in atoms)  # PLIP's fixer drops such lines: padding keeps them
    ligand_heavy = [ln for ln in atoms if ln.startswith("HETATM") and ln[76:78] != " H"]
    assert len(ligand_heavy) == merged.ligand_heavy_atoms
    assert [ln[12:16].strip() for ln in ligand_heavy][:3] == ["C1", "O2", "N3"]  # names as in the images


def test_second_call_is_served_from_cache(
    complexes_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOLSPATIAL_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    cx = _complex(complexes_dir, "1of6")
    before = cache_stats()
    first = plip_profile(cx)
    second = plip_profile(cx)
    after = cache_stats()
    assert after.get("computed", 0) == before.get("computed", 0) + 1
    assert after.get("memory", 0) == before.get("memory", 0) + 1
    assert second == first
    assert len(list((tmp_path / "cache" / "plip").glob("*.json"))) == 1
    clear_memory_cache()
    assert plip_profile(cx) == first
    assert cache_stats().get("disk", 0) == before.get("disk", 0) + 1


def test_nothing_is_written_to_the_working_directory(
    complexes_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    shutdown_worker()  # a fresh worker, started from this directory
    plip_profile(_complex(complexes_dir, "1bju", "GP6:A:910"), use_cache=False)
    plip_profile(_complex(complexes_dir, "7cnq"), use_cache=False)
    shutdown_worker()
    assert list(cwd.iterdir()) == []


def _without_ligand(merged: MergedComplex) -> MergedComplex:
    text = "".join(ln + "\n" for ln in merged.text.splitlines() if not ln.startswith(("HETATM", "CONECT")))
    ligand = set(merged.ligand_atoms)
    serials = [s for s in merged.serials if s not in ligand]
    return MergedComplex(
        pdb_id=merged.pdb_id,
        text=text,
        ligand_chain=merged.ligand_chain,
        protein_atoms=merged.protein_atoms,
        ligand_atoms={},
        ligand_heavy_atoms=merged.ligand_heavy_atoms,
        serials=serials,
    )


def test_no_ligand_site_is_a_clear_error(complexes_dir: Path) -> None:
    merged = _without_ligand(merge_complex(_complex(complexes_dir, "1of6")))
    with pytest.raises(PlipError, match=r"1of6.*no binding site LIG:\w:900"):
        analyse_merged(merged)


def test_heavy_atom_mismatch_is_a_clear_error(complexes_dir: Path) -> None:
    merged = merge_complex(_complex(complexes_dir, "1of6"))
    merged.ligand_heavy_atoms += 1
    with pytest.raises(PlipError, match=r"1of6.*heavy atoms"):
        analyse_merged(merged)


def test_renumbered_serials_are_a_clear_error(complexes_dir: Path) -> None:
    merged = merge_complex(_complex(complexes_dir, "1of6"))
    lines = merged.text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("ATOM"))
    lines[first] = lines[first][:6] + f"{99999:>5}" + lines[first][11:]  # PLIP's fixer renumbers this line
    merged.text = "\n".join(lines) + "\n"
    merged.serials[0] = 99999
    with pytest.raises(PlipError, match=r"1of6.*renumbered"):
        analyse_merged(merged)


def test_timeout_stops_the_worker_and_the_next_call_works(complexes_dir: Path) -> None:
    merged = merge_complex(_complex(complexes_dir, "7ecr"))
    with pytest.raises(PlipError, match=r"7ecr.*no answer"):
        analyse_merged(merged, timeout=0.0)
    assert analyse_merged(merged).hbonds


def test_a_dead_worker_is_replaced(complexes_dir: Path) -> None:
    from tools.interactions import plip_run

    merged = merge_complex(_complex(complexes_dir, "7ztl"))
    analyse_merged(merged)
    proc = plip_run._WORKER._proc
    assert proc is not None
    proc.kill()  # the worker this module started
    proc.wait()
    assert analyse_merged(merged).hbonds
    assert plip_run._WORKER._proc is not proc


# ---- the model-facing tools -------------------------------------------------------------------------


def _context(complexes_dir: Path, tmp_path: Path, pdb_id: str, ligand: str | None = None) -> ToolContext:
    item = item_view(
        id=f"{pdb_id}-t9",
        task="T9",
        answer_format="pocket_bonds",
        structure=StructureRef(pdb_id=pdb_id, folder=pdb_id, ligand=ligand),
    )
    return ToolContext(item=item, bench_dir=complexes_dir, workdir=tmp_path, access="structure")


def test_interaction_profile_tool(complexes_dir: Path, tmp_path: Path) -> None:
    ctx = _context(complexes_dir, tmp_path, "1hvi", "A77:A:800")
    result = REGISTRY["interaction_profile"].run(ctx, {})
    assert result.ok, result.text
    data = json.loads(result.text)
    assert data["pdb_id"] == "1hvi" and data["counts"]["hbonds"] == len(data["hbonds"]) > 0
    assert all(set(h) >= {"residue", "protein_atom", "ligand_atom", "donor", "pair"} for h in data["hbonds"])
    only = json.loads(
        REGISTRY["interaction_profile"].run(ctx, {"kinds": ["hbonds"], "residue": "A:ASP:29"}).text
    )
    assert set(only["counts"]) == {"hbonds"} and all(h["residue"] == "A:ASP:29" for h in only["hbonds"])


def test_residue_hbonds_tool_accepts_the_usual_spellings(complexes_dir: Path, tmp_path: Path) -> None:
    ctx = _context(complexes_dir, tmp_path, "1hvi", "A77:A:800")
    tool = REGISTRY["residue_hbonds"]
    by_key = json.loads(tool.run(ctx, {"residue": "A:ASP:29"}).text)
    assert by_key["residue"] == "A:ASP:29" and by_key["count"] >= 1
    assert json.loads(tool.run(ctx, {"residue": "asp 29 A"}).text) == by_key
    ambiguous = tool.run(ctx, {"residue": "ASP 29"})  # HIV protease: one ASP 29 per chain
    assert not ambiguous.ok and "A:ASP:29" in ambiguous.text and "B:ASP:29" in ambiguous.text


def test_residue_hbonds_tool_with_insertion_codes(complexes_dir: Path, tmp_path: Path) -> None:
    ctx = _context(complexes_dir, tmp_path, "2bm2")
    tool = REGISTRY["residue_hbonds"]
    pro = tool.run(ctx, {"residue": "PRO 60A"})
    assert pro.ok and json.loads(pro.text)["residue"] == "D:PRO:60A"
    missing = tool.run(ctx, {"residue": "PRO 60"})  # 60 and 60A are different residues
    assert not missing.ok and "D:PRO:60A" in missing.text


def test_unknown_residue_lists_the_valid_ones(complexes_dir: Path, tmp_path: Path) -> None:
    ctx = _context(complexes_dir, tmp_path, "2bm2")
    for args in ({"residue": "ARG 999"}, {"residue": "not a residue"}):
        result = REGISTRY["residue_hbonds"].run(ctx, args)
        assert not result.ok
        assert "B:GLY:219" in result.text and "B:ASP:189" in result.text


def test_tools_report_structure_problems(complexes_dir: Path, tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    # The negative control of PLIP.md: a shipped complex with its HETATM ligand stripped.
    stripped = bench / "9xyz"
    stripped.mkdir(parents=True)
    text = (complexes_dir / "1bju" / "1bju_complex.pdb").read_text()
    (stripped / "9xyz_complex.pdb").write_text("".join(ln for ln in text.splitlines(True) if "GP6" not in ln))
    # A split folder with a protein but no ligand file.
    (bench / "9abc").mkdir()
    (bench / "9abc" / "9abc_protein.pdb").write_text(
        (complexes_dir / "2bm2" / "2bm2_protein.pdb").read_text()
    )
    for pdb_id in ("9xyz", "9abc"):
        result = REGISTRY["interaction_profile"].run(_context(bench, tmp_path, pdb_id), {})
        assert not result.ok and "no ligand found" in result.text and pdb_id in result.text
    images_only = _context(complexes_dir, tmp_path, "2bm2")
    images_only.access = "images"
    assert not REGISTRY["residue_hbonds"].run(images_only, {"residue": "GLY 219"}).ok
