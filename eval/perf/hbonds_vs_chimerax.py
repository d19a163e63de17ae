"""The H-bond answer key (eval/misi/hbonds/) against UCSF ChimeraX's `hbonds`, read from saved JSON.

ChimeraX is not part of the project: its reference outputs are made elsewhere, one `<id>.json` per
complex, each with `files` (the complex's files), `ligand` (RESN:CHAIN:NUM for a whole-complex PDB, else
empty) and `bonds` (pocket–ligand pairs as `RES NUM ATOM CHAIN, LIGAND_ATOM`). This script loads each
complex from the folder its files are in, runs the key and prints, per complex and in total, the
precision, recall and F1 of the key with ChimeraX as the reference. Pairs are compared as (chain,
residue number + insertion code, protein atom, ligand atom).

    python -m eval.perf.hbonds_vs_chimerax REF_DIR [REF_DIR ...] [--complexes DIR] [--diff]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from eval.misi.hbonds import find_hbonds
from tools.structure import StructureError, load_complex

Pair = tuple[str, str, str, str]  # chain, number + insertion code, protein atom, ligand atom


def parse_bond(text: str) -> Pair:
    """'ASP 25 OD1 A, O48' (or with a blank chain, 'ASP 25 OD1, O48') → ('A', '25', 'OD1', 'O48')."""
    protein, _, ligand_atom = text.partition(",")
    fields = protein.split()
    if len(fields) not in (3, 4) or not ligand_atom.strip():
        raise ValueError(f"not a bond in MiSI format: {text!r}")
    chain = fields[3] if len(fields) == 4 else ""
    return (chain, fields[1], fields[2].upper(), ligand_atom.strip().upper())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0


def key_pairs(folder: Path, ligand: str | None) -> set[Pair]:
    cx = load_complex(folder, ligand=ligand or None)
    return {
        (
            h.residue.chain,
            f"{h.residue.number}{h.residue.icode}",
            h.protein_atom.upper(),
            h.ligand_atom.upper(),
        )
        for h in find_hbonds(cx)
    }


def read_reference(path: Path, complexes: Path | None) -> tuple[Path, str | None, set[Pair]]:
    """(complex folder, ligand spec or None, ChimeraX's pairs) from one kit output; ValueError if unusable."""
    try:
        ref = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not readable JSON ({exc})") from None
    if not isinstance(ref, dict):
        raise ValueError("not a JSON object")
    if "error" in ref or not ref.get("files") or "bonds" not in ref:
        raise ValueError(f"no reference bonds ({ref.get('error', 'no files or bonds')})")
    folder = Path(ref["files"][0]).parent if complexes is None else complexes / str(ref.get("id", path.stem))
    ligand = ref.get("ligand") if ref.get("layout") != "split" else None
    return folder, ligand, {parse_bond(b) for b in ref["bonds"]}


def compare(ref_dir: Path, complexes: Path | None, diff: bool) -> Score:
    total = Score()
    print(ref_dir)
    print(f"{'id':6} {'ChimeraX':>8} {'key':>4} {'both':>4} {'P':>5} {'R':>5} {'F1':>5}")
    for path in sorted(ref_dir.glob("*.json")):
        try:
            folder, ligand, theirs = read_reference(path, complexes)
            ours = key_pairs(folder, ligand)
        except (ValueError, StructureError) as exc:
            print(f"{path.stem:6} skipped: {path}: {exc}")
            continue
        s = Score(len(ours & theirs), len(ours - theirs), len(theirs - ours))
        total.add(s)
        scores = f"{s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}"
        print(f"{path.stem:6} {len(theirs):8} {len(ours):4} {s.tp:4} {scores}")
        if diff:
            for p in sorted(ours - theirs):
                print(f"         key only      {p}")
            for p in sorted(theirs - ours):
                print(f"         ChimeraX only {p}")
    print(
        f"total: ChimeraX {total.tp + total.fn}, key {total.tp + total.fp}, shared {total.tp}; "
        f"precision {total.precision:.3f} recall {total.recall:.3f} F1 {total.f1:.3f}\n"
    )
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref_dirs", nargs="+", type=Path, help="folders of ChimeraX <id>.json outputs")
    parser.add_argument(
        "--complexes", type=Path, help="read complex <id> from COMPLEXES/<id> (default: where the JSON says)"
    )
    parser.add_argument("--diff", action="store_true", help="list every pair found by one side only")
    args = parser.parse_args(argv)
    for d in args.ref_dirs:
        if not d.is_dir() or not any(d.glob("*.json")):
            print(f"{d}: not a folder of <id>.json reference outputs", file=sys.stderr)
            return 2
    compared = [compare(d, args.complexes, args.diff) for d in args.ref_dirs]
    if not any(s.tp + s.fp + s.fn for s in compared):
        print("no complex could be compared (see the skipped lines; --complexes DIR?)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
