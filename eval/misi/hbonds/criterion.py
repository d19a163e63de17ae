"""The geometric test of one donor···acceptor pair."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eval.misi.hbonds.hydrogens import angle, min_angle
from eval.misi.hbonds.limits import (
    ACCEPTOR_MIN_ANGLE,
    AMIDE_O_MIN_ANGLE,
    ANGLE_SLOP,
    DHA_MIN,
    DISTANCE_SLOP,
    FIXED_H_MAX_DISTANCE,
    HA_MAX,
    ROTOR_MAX_ANGLE,
    ROTOR_MAX_DISTANCE,
    ROTOR_MIN_ANGLE,
    SULFUR_MAX_DISTANCE,
)


@dataclass(frozen=True)
class PairAtom:
    """One side of a candidate pair: position, heavy neighbours, and fixed hydrogens if it donates."""

    xyz: np.ndarray
    element: str
    neighbours: np.ndarray
    hydrogens: np.ndarray | None
    amide_oxygen: bool = False  # a protein amide C=O (backbone O, Asn OD1, Gln OE1) as the acceptor


@dataclass(frozen=True)
class Verdict:
    ok: bool
    donor_angle: float | None
    acceptor_angle: float | None
    hydrogen_angle: float | None = None


def judge(donor: PairAtom, acceptor: PairAtom, dist: float) -> Verdict:
    """Does donor···acceptor meet the criterion? Angles are reported for the record either way."""
    d_angle = min_angle(donor.xyz, acceptor.xyz, donor.neighbours)
    a_angle = min_angle(acceptor.xyz, donor.xyz, acceptor.neighbours)
    a_min = AMIDE_O_MIN_ANGLE if acceptor.amide_oxygen else ACCEPTOR_MIN_ANGLE
    if a_angle is not None and a_angle < a_min - ANGLE_SLOP:
        return Verdict(False, d_angle, a_angle)
    if donor.hydrogens is not None:
        best = None
        for h in donor.hydrogens:
            h_angle = angle(donor.xyz, h, acceptor.xyz)
            if float(np.linalg.norm(h - acceptor.xyz)) <= HA_MAX + DISTANCE_SLOP and (
                best is None or h_angle > best
            ):
                best = h_angle
        ok = (
            dist <= FIXED_H_MAX_DISTANCE + DISTANCE_SLOP and best is not None and best >= DHA_MIN - ANGLE_SLOP
        )
        return Verdict(ok, d_angle, a_angle, best)
    limit = SULFUR_MAX_DISTANCE if donor.element == "S" else ROTOR_MAX_DISTANCE
    ok = dist <= limit + DISTANCE_SLOP and (
        d_angle is None or ROTOR_MIN_ANGLE - ANGLE_SLOP <= d_angle <= ROTOR_MAX_ANGLE + ANGLE_SLOP
    )
    return Verdict(ok, d_angle, a_angle)
