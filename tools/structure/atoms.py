"""Finding atoms and residues by the names the images show ("ARG 45 NH2", "HIS 57A", "ligand O1B")."""

from __future__ import annotations

import re

import numpy as np

from tools.base import ToolError
from tools.structure.model import Complex, ResidueId

_RES_RE = re.compile(
    r"^(?:(?P<chain>[A-Za-z0-9]):)?(?P<name>[A-Za-z0-9]{1,4})[: ]+(?P<num>-?\d+)(?P<icode>[A-Za-z]?)"
    r"(?:\s*\(?chain\s+(?P<chain2>[A-Za-z0-9])\)?)?$"
)


def find_residue(cx: Complex, text: str) -> ResidueId:
    """'ARG 45', 'A:ARG:45', 'HIS 57A' or 'ARG 45 (chain A)' → the residue; ToolError lists valid ones."""
    m = _RES_RE.match(text.strip())
    residues = cx.pocket.residue_order()
    if m:
        chain = m.group("chain") or m.group("chain2")
        hits = [
            r
            for r in residues
            if r.name.upper() == m.group("name").upper()
            and r.number == int(m.group("num"))
            and r.icode.upper() == m.group("icode").upper()
            and (chain is None or r.chain == chain)
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ToolError(f"'{text}' matches {len(hits)} residues; add the chain, e.g. {hits[0].key}")
    valid = ", ".join(r.label for r in residues)
    raise ToolError(f"no pocket residue '{text}'. Pocket residues: {valid}")


def find_atom(cx: Complex, text: str) -> tuple[str, np.ndarray]:
    """'ligand O1B', 'O1B', 'ARG 45 NH2' or 'A:ARG:45 NH2' → (label, coordinates in the file frame)."""
    words = text.strip().split()
    lig = cx.ligand.atoms
    if not words:
        raise ToolError("empty atom name")
    if len(words) == 1 or words[0].lower() in {"ligand", "lig", cx.ligand.ccd.lower()}:
        name = words[-1]
        if name in lig.names:
            return f"ligand {name}", lig.coords[lig.names.index(name)]
        raise ToolError(f"no ligand atom '{name}'. Ligand atoms: {', '.join(lig.names)}")
    residue = find_residue(cx, " ".join(words[:-1]))
    name = words[-1].upper()
    idx = [
        i for i, (r, n) in enumerate(zip(cx.pocket.residues, cx.pocket.names)) if r == residue and n == name
    ]
    if not idx:
        names = [n for r, n in zip(cx.pocket.residues, cx.pocket.names) if r == residue]
        raise ToolError(f"{residue.label} has no atom '{name}'. Its atoms: {', '.join(names)}")
    return f"{residue.label} {name} {residue.chain}".strip(), cx.pocket.coords[idx[0]]
