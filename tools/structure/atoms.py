"""Finding atoms and residues by the names the images show ("ARG 45 NH2", "HIS 57A", "ligand O1B")."""

from __future__ import annotations

import re

import numpy as np

from tools.base import ToolError
from tools.structure.model import Complex, ResidueId

RESIDUE_FORMS = "'ARG 45', 'HIS 57A' (insertion code), 'A:ARG:45' or 'ARG 45 A' (with chain A)"
_RESIDUE = re.compile(
    r"^\s*(?:(?P<chain>[A-Za-z0-9]):)?(?P<name>[A-Za-z0-9]{2,4})\s*:?\s*(?P<num>-?\d+)(?P<icode>[A-Za-z]?)"
    r"(?:\s+\(?(?:chain\s+)?(?P<chain2>[A-Za-z0-9])\)?)?\s*$",
    re.IGNORECASE,
)


def find_residue(cx: Complex, text: str) -> ResidueId:
    """The pocket residue named by `text`; ToolError listing the valid residues when there is none."""
    valid = cx.pocket.residue_order()
    listing = ", ".join(r.key for r in valid)
    m = _RESIDUE.match(text)
    if m is None:
        raise ToolError(
            f"'{text}' is not a residue name; write it as {RESIDUE_FORMS}. Pocket residues: {listing}"
        )
    chain = m["chain"] or m["chain2"]
    hits = [
        r
        for r in valid
        if r.name == m["name"].upper()
        and r.number == int(m["num"])
        and r.icode == m["icode"].upper()
        and (chain is None or r.chain in {chain, chain.upper()})
    ]
    if not hits:
        raise ToolError(
            f"residue '{text}' is not in the binding pocket of {cx.pdb_id}. Pocket residues: {listing}"
        )
    if len(hits) > 1:
        keys = ", ".join(r.key for r in hits)
        raise ToolError(f"'{text}' matches several chains ({keys}); name the chain, e.g. '{hits[0].key}'")
    return hits[0]


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
