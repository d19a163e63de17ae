"""The criterion's limits, before ChimeraX's default tolerances are added (see the package docstring)."""

DISTANCE_SLOP = 0.4  # ChimeraX's default tolerances, which the paper used
ANGLE_SLOP = 20.0
COVALENT_MAX = 2.0  # Å: polar atoms closer than this are bonded, not H-bonded

# Limits before the slops (see the package docstring for where each value comes from).
FIXED_H_MAX_DISTANCE = 3.5  # Å, donor–acceptor, donors whose hydrogens the heavy atoms fix
HA_MAX = 2.3  # Å, hydrogen–acceptor
DHA_MIN = 140.0  # degrees, donor–H···acceptor
ROTOR_MAX_DISTANCE = 3.1  # Å, donor–acceptor, rotatable donors (OH, NH3+, sp3 N–H)
SULFUR_MAX_DISTANCE = 3.55  # Å, donor–acceptor, thiol donors
ROTOR_MIN_ANGLE = 95.0  # degrees, neighbour–donor···acceptor, rotatable donors
ROTOR_MAX_ANGLE = 140.0  # degrees, the same angle's upper limit (the H is ~109° off the X–D bond)
ACCEPTOR_MIN_ANGLE = 95.0  # degrees, neighbour–acceptor···donor
AMIDE_O_MIN_ANGLE = 115.0  # degrees, C=O···donor at a protein amide O: its lone pairs sit ~120° off C=O
MAX_DISTANCE = max(FIXED_H_MAX_DISTANCE, ROTOR_MAX_DISTANCE, SULFUR_MAX_DISTANCE)  # Å, any kind of donor
N_H_LENGTH = 1.01  # Å
O_H_LENGTH = 0.97  # Å
METAL_BOND_MAX = 2.6  # Å: a protein N this close to a metal ion coordinates it
# Covalent radii (Å); a pocket and a ligand atom within the sum + 0.4 Å are bonded (a covalent inhibitor)
COVALENT_RADIUS = {"C": 0.76, "N": 0.71, "O": 0.66, "S": 1.05, "P": 1.07, "B": 0.84, "SE": 1.20}
BOND_TOLERANCE = 0.4

DONOR, ACCEPTOR, BOTH = "D", "A", "DA"
