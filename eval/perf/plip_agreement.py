"""PLIP's H-bonds against the benchmark's geometric answer key (eval/misi/hbonds/) on every bundled
complex. Pairs are compared as (chain, residue number + insertion code, protein atom, ligand atom);
precision and recall take the answer key as the reference.

Each disagreement is given its most likely cause:
- key only: "salt bridge" (PLIP drops H-bonds inside a salt bridge it reports), "one per donor" (PLIP
  keeps one H-bond per donor atom, the one with the best angle), "other" (PLIP's hydrogen placement or
  typing);
- PLIP only: "> 3.9 Å" (PLIP accepts D–A up to 4.1 Å), "typing" (the key's chemistry does not allow that
  donor/acceptor pair, e.g. Lys NZ as an acceptor or an amide/sulfonamide N), "geometry" (the key's
  distance or angle limits for that kind of donor fail).

    python -m eval.perf.plip_agreement
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from rdkit import Chem

from eval.misi.hbonds import HBond, find_hbonds, hydrogen_counts, ligand_roles, protein_role
from eval.misi.hbonds.limits import ACCEPTOR, DISTANCE_SLOP, DONOR, MAX_DISTANCE
from tools.interactions import HydrogenBond, InteractionProfile, plip_profile
from tools.structure import Complex, load_complex

COMPLEXES = Path(__file__).resolve().parent.parent / "data" / "complexes"
Key = tuple[str, int, str, str, str]


def plip_key(h: HydrogenBond) -> Key:
    return (h.chain, h.resnr, h.icode, h.protein_atom, h.ligand_atom)


def key_only_cause(hb: HBond, profile: InteractionProfile) -> str:
    for sb in profile.salt_bridges:
        if (
            sb.residue_id() == hb.residue
            and hb.protein_atom in sb.protein_atoms
            and hb.ligand_atom in sb.ligand_atoms
        ):
            return "salt bridge"
    donor_atom = (hb.residue, hb.protein_atom) if hb.donor == "protein" else (None, hb.ligand_atom)
    for h in profile.hbonds:
        used = (h.residue_id(), h.protein_atom) if h.donor == "protein" else (None, h.ligand_atom)
        if used == donor_atom:
            return "one per donor"
    return "other"


def plip_only_cause(h: HydrogenBond, roles: dict[str, str]) -> str:
    if h.distance_da > MAX_DISTANCE + DISTANCE_SLOP:
        return "> 3.9 Å"
    p_role = protein_role(h.resname, h.protein_atom)
    l_role = roles[h.ligand_atom]
    allowed = (
        DONOR in p_role and ACCEPTOR in l_role
        if h.donor == "protein"
        else DONOR in l_role and ACCEPTOR in p_role
    )
    return "geometry" if allowed else "typing"


def hydrogen_source(cx: Complex) -> str:
    """Where the key's ligand hydrogens come from: the file, bond orders, or nowhere (geometry rules)."""
    if hydrogen_counts(cx.ligand) is None:
        return "unknown"
    mol = Chem.MolFromMolBlock(cx.ligand.molblock, sanitize=False, removeHs=False)
    return "file" if mol is not None and any(a.GetAtomicNum() == 1 for a in mol.GetAtoms()) else "orders"


def main() -> None:
    with (COMPLEXES / "index.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    causes: Counter[str] = Counter()
    tp = fp = fn = 0
    head = ("id", "layout", "lig H", "PLIP", "key", "both", "P-only", "K-only", "Jacc")
    print("{:5} {:8} {:7} {:>4} {:>4} {:>4} {:>6} {:>6} {:>5}".format(*head))
    for row in rows:
        cx = load_complex(COMPLEXES / row["id"], ligand=row["ligand_bsid_in_complex"] or None)
        profile = plip_profile(cx)
        plip = {plip_key(h): h for h in profile.hbonds}
        key = {hb.key: hb for hb in find_hbonds(cx)}
        both = plip.keys() & key.keys()
        roles = dict(zip(cx.ligand.atoms.names, ligand_roles(cx.ligand), strict=True))
        for k in key.keys() - plip.keys():
            causes[f"key only: {key_only_cause(key[k], profile)}"] += 1
        for k in plip.keys() - key.keys():
            causes[f"PLIP only: {plip_only_cause(plip[k], roles)}"] += 1
        tp, fp, fn = tp + len(both), fp + len(plip) - len(both), fn + len(key) - len(both)
        union = len(plip.keys() | key.keys())
        jac = f"{len(both) / union:.2f}" if union else "  -"
        print(
            f"{row['id']:5} {cx.layout:8} {hydrogen_source(cx):7} {len(plip):4} {len(key):4} {len(both):4} "
            f"{len(plip) - len(both):6} {len(key) - len(both):6} {jac:>5}"
        )
    print()
    for cause, n in sorted(causes.items()):
        print(f"  {cause:28} {n:4}")
    precision, recall, jaccard = tp / (tp + fp), tp / (tp + fn), tp / (tp + fp + fn)
    print(
        f"\nsummary: {len(rows)} complexes, PLIP {tp + fp} H-bonds, key {tp + fn}, shared {tp}; "
        f"precision {precision:.3f} recall {recall:.3f} Jaccard {jaccard:.3f} (key = reference)"
    )


if __name__ == "__main__":
    main()
