"""Random transforms applied to every bundled complex and estimated back give the same commands."""

import csv

import numpy as np
import pytest

from tests.conftest import COMPLEXES
from tools.camera import Command, Pose, format_commands
from tools.pose import kabsch, snap, transform_commands
from tools.structure import load_complex

IDS = sorted(p.name for p in COMPLEXES.iterdir() if p.is_dir())
LIGANDS = {
    r["id"]: r["ligand_bsid_in_complex"] or None for r in csv.DictReader((COMPLEXES / "index.csv").open())
}


@pytest.mark.parametrize("pdb_id", IDS)
def test_estimated_commands_equal_the_applied_ones(pdb_id: str) -> None:
    cx = load_complex(COMPLEXES / pdb_id, ligand=LIGANDS[pdb_id])
    xyz = cx.all_coords - cx.centre
    rng = np.random.default_rng(sum(map(ord, pdb_id)))
    for _ in range(5):
        roll = Command(
            "roll", str(rng.choice(list("xyz"))), float(rng.choice([v for v in range(-90, 91, 15) if v]))
        )
        move = Command("move", str(rng.choice(list("xy"))), float(rng.choice([v for v in range(-4, 5) if v])))
        applied = [roll, move]
        moved = Pose().apply(applied).transform(xyz)
        r, t, rmsd = kabsch(xyz, moved)
        estimated = snap(transform_commands(r, t, np.zeros(3)))
        assert format_commands(estimated) == format_commands(applied)
        assert rmsd < 1e-6
