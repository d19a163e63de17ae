"""Bonds from distances: the pocket's covalent neighbours, ring bonds, and covalent links to the ligand."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.spatial import cKDTree

from eval.misi.hbonds.limits import BOND_TOLERANCE, COVALENT_RADIUS
from tools.structure import Complex


def neighbours_by_distance(coords: np.ndarray, elements: list[str]) -> list[list[int]]:
    """Covalent neighbours from distances: ≤ 1.9 Å, or ≤ 2.2 Å when sulfur is involved."""
    tree = cKDTree(coords)
    out: list[list[int]] = [[] for _ in range(len(coords))]
    for i, j in tree.query_pairs(2.2):
        limit = 2.2 if "S" in (elements[i], elements[j]) else 1.9
        if np.linalg.norm(coords[i] - coords[j]) <= limit:
            out[i].append(j)
            out[j].append(i)
    return out


def ring_bonds(n: int, bonds: list[tuple[int, int, int]]) -> set[frozenset[int]]:
    """Bonds that lie in a ring: their ends stay connected without them."""
    adj: list[set[int]] = [set() for _ in range(n)]
    for i, j, _ in bonds:
        adj[i].add(j)
        adj[j].add(i)
    ring = set()
    for i, j, _ in bonds:
        seen, stack = {i}, [i]
        while stack and j not in seen:
            a = stack.pop()
            for b in adj[a] - seen:
                if (a, b) != (i, j):
                    seen.add(b)
                    stack.append(b)
        if j in seen:
            ring.add(frozenset((i, j)))
    return ring


def ring_size(k: int, nbrs: list[list[int]]) -> int | None:
    """Size of the smallest ring through atom k and two of its neighbours (None: not in a ring)."""
    best = None
    for a, b in combinations(nbrs[k], 2):
        seen, frontier, steps = {k, a}, [a], 1
        while frontier and b not in seen and steps < 8:
            frontier = [m for x in frontier for m in nbrs[x] if m not in seen]
            seen.update(frontier)
            steps += 1
        if b in seen:
            best = min(best or 99, steps + 1)
    return best


def covalent_links(cx: Complex) -> list[tuple[int, int]]:
    """(pocket atom, ligand atom) pairs bonded across the interface, as a covalent inhibitor is."""
    pocket, lig = cx.pocket, cx.ligand
    reach = 2 * max(COVALENT_RADIUS.values()) + BOND_TOLERANCE
    tree = cKDTree(lig.atoms.coords)
    links = []
    for pi, hits in enumerate(tree.query_ball_point(pocket.coords, r=reach)):
        for li in hits:
            r = [COVALENT_RADIUS.get(e.upper()) for e in (pocket.elements[pi], lig.atoms.elements[li])]
            if None in r:
                continue
            limit = float(r[0]) + float(r[1]) + BOND_TOLERANCE  # type: ignore[arg-type]
            if float(np.linalg.norm(pocket.coords[pi] - lig.atoms.coords[li])) <= limit:
                links.append((pi, li))
    return links


def within_bonds(start: int, nbrs: list[list[int]], depth: int) -> dict[int, int]:
    """Atoms at most `depth` bonds from `start`, with their bond counts."""
    seen, frontier = {start: 0}, [start]
    for step in range(1, depth + 1):
        frontier = [m for x in frontier for m in nbrs[x] if m not in seen]
        seen.update({m: step for m in frontier})
    return seen
