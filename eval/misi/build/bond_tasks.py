"""Planners for the hydrogen-bond tasks: T4 residue–ligand, T8 interaction location, T9 pocket–ligand.

Gold bonds come from the independent geometric criterion in eval/misi/hbonds/, never from PLIP
(PLIP is one of the agent's tools and must not be its own answer key).
"""

from __future__ import annotations

from scipy.spatial import cKDTree

from eval.misi.build.plan import ComplexContext, PlannedItem, SkipItem, item_rng, shuffle_options
from eval.misi.hbonds import HBond
from tools.camera import VIEWS_6V, Command, format_commands
from tools.structure import ResidueId

NEGATIVE_CONTACT = 4.0  # Å: a T4 negative residue still touches the ligand, so "No" is not obvious


def residue_bond_text(bonds: list[HBond]) -> str:
    """T4 format: 'Yes: ARG NH2, O1B; ARG NE, O2G' or 'No'."""
    if not bonds:
        return "No"
    return "Yes: " + "; ".join(f"{b.residue.name} {b.protein_atom}, {b.ligand_atom}" for b in bonds)


def pocket_bond_text(bonds: list[HBond]) -> str:
    """T9 format: 'ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A'."""
    return "; ".join(f"{b.residue.label} {b.protein_atom} {b.residue.chain}, {b.ligand_atom}" for b in bonds)


def _contact_residues(ctx: ComplexContext) -> list[ResidueId]:
    tree = cKDTree(ctx.cx.ligand.atoms.coords)
    dist, _ = tree.query(ctx.cx.pocket.coords)
    near = {r for r, d in zip(ctx.cx.pocket.residues, dist) if d <= NEGATIVE_CONTACT}
    return [r for r in ctx.cx.pocket.residue_order() if r in near]


def residue_pools(ctx: ComplexContext) -> tuple[list[ResidueId], list[ResidueId]]:
    """(residues with a hydrogen bond to the ligand, touching residues without one), in pocket order."""
    bonded = list(dict.fromkeys(b.residue for b in ctx.hbonds))
    unbonded = [r for r in _contact_residues(ctx) if r not in set(bonded)]
    return bonded, unbonded


def plan_residue_ligand(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    """Even k asks about a bonded residue, odd k about a touching residue without a bond (when possible)."""
    bonds = ctx.hbonds
    bonded, unbonded = residue_pools(ctx)
    rng = item_rng(seed, "T4", ctx.pdb_id)  # one permutation per complex, so items k never repeat
    want_positive = k % 2 == 0
    pool = bonded if want_positive else unbonded
    if not pool:
        pool = unbonded if want_positive else bonded
    order = [pool[i] for i in rng.permutation(len(pool))]
    if k // 2 >= len(order):
        raise SkipItem(f"only {len(bonded)} bonded and {len(unbonded)} unbonded contact residues")
    residue = order[k // 2]
    mine = [b for b in bonds if b.residue == residue]
    images = ctx.views(
        VIEWS_6V, f"residue {residue.label} and the ligand", content="residue", residue=residue.key
    )
    values = {"residue": f"{residue.label} (chain {residue.chain})" if residue.chain else residue.label}
    gen = {"residue": residue.key, "positive": bool(mine)}
    return PlannedItem("T4", "residue_bonds", residue_bond_text(mine), images, values, generation=gen)


def _centre_shift(ctx: ComplexContext, bond: HBond) -> tuple[int, int]:
    """The whole-Å move that brings the bond's centre to the centre of the front view."""
    cx = ctx.cx
    p = cx.pocket.coords[
        [
            i
            for i, (r, n) in enumerate(zip(cx.pocket.residues, cx.pocket.names))
            if r == bond.residue and n == bond.protein_atom
        ][0]
    ]
    q = cx.ligand.atoms.coords[cx.ligand.atoms.names.index(bond.ligand_atom)]
    mid = (p + q) / 2.0 - cx.centre
    return int(round(-mid[0])), int(round(-mid[1]))


def _move_text(dx: int, dy: int) -> str:
    return format_commands([Command("move", "x", dx), Command("move", "y", dy)])


def location_candidates(ctx: ComplexContext) -> list[tuple[HBond, tuple[int, int]]]:
    """The hydrogen bonds T8 can ask about (those not already at the view centre) and their moves."""
    shifts = [(b, _centre_shift(ctx, b)) for b in ctx.hbonds]
    return [(b, s) for b, s in shifts if s != (0, 0)]


def plan_interaction_location(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    candidates = location_candidates(ctx)
    rng = item_rng(seed, "T8", ctx.pdb_id)
    order = [candidates[i] for i in rng.permutation(len(candidates))]
    if k >= len(order):
        raise SkipItem(f"only {len(order)} hydrogen bonds away from the view centre")
    bond, (dx, dy) = order[k]
    rng = item_rng(seed, "T8", ctx.pdb_id, k)
    decoys: list[tuple[int, int]] = []
    proposals = [(-dx, dy), (dx, -dy), (-dx, -dy)]
    for _ in range(12):
        step = int(rng.choice([-3, -2, 2, 3]))
        proposals.append((dx + step, dy) if rng.random() < 0.5 else (dx, dy + step))
        proposals.append((dx + step, dy - step))
    for p in proposals:
        if p != (dx, dy) and p not in decoys:
            decoys.append(p)
    chosen = [decoys[i] for i in sorted(rng.choice(len(decoys), size=3, replace=False))]
    ordered, gold = shuffle_options(rng, (dx, dy), chosen)
    options = {"ABCD"[i]: _move_text(*o) for i, o in enumerate(ordered)}
    res = bond.residue
    name = f"chain {res.chain} {res.label} {bond.protein_atom} and ligand atom {bond.ligand_atom}"
    gen = {"bond": name, "answer": _move_text(dx, dy)}
    return PlannedItem("T8", "choice", gold, ctx.initial_6v(), {"hbond_name": name}, options, gen)


def plan_pocket_ligand(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    if k > 0:
        raise SkipItem("one pocket–ligand item per complex (all would be the same question)")
    bonds = ctx.hbonds
    if not bonds:
        raise SkipItem("no hydrogen bond between pocket and ligand")
    images = ctx.initial_6v("the pocket and the ligand")
    return PlannedItem(
        "T9", "pocket_bonds", pocket_bond_text(bonds), images, generation={"n_bonds": len(bonds)}
    )
