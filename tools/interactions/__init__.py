"""Protein–ligand interactions from PLIP: merging a complex into the PDB text PLIP reads correctly,
running PLIP in a worker process with a content-hash cache, and the profile it returns.
`import tools.interactions.tools` registers the model-facing tools (interaction_profile, residue_hbonds)."""

from tools.interactions.merge import MergedComplex, ProteinAtomRef, merge_complex
from tools.interactions.plip_run import (
    analyse_merged,
    cache_dir,
    cache_stats,
    clear_memory_cache,
    plip_profile,
    shutdown_worker,
)
from tools.interactions.profile import (
    HalogenBond,
    HydrogenBond,
    HydrophobicContact,
    InteractionProfile,
    MetalComplex,
    PiCation,
    PiStacking,
    PlipError,
    ResidueContact,
    SaltBridge,
    WaterBridge,
)

__all__ = [
    "HalogenBond",
    "HydrogenBond",
    "HydrophobicContact",
    "InteractionProfile",
    "MergedComplex",
    "MetalComplex",
    "PiCation",
    "PiStacking",
    "PlipError",
    "ProteinAtomRef",
    "ResidueContact",
    "SaltBridge",
    "WaterBridge",
    "analyse_merged",
    "cache_dir",
    "cache_stats",
    "clear_memory_cache",
    "merge_complex",
    "plip_profile",
    "shutdown_worker",
]
