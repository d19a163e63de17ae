"""PLIP on a merged pocket + ligand, in a worker process, cached by the merged text's content hash.

PLIP runs in a separate worker process: Open Babel can crash the interpreter, PLIP keeps global settings,
and importing openbabel/plip before rdkit.Chem segfaults (PLIP.md). The worker imports RDKit
first, turns PLIP's file writing off and points its output at a temporary directory, so nothing lands
in the working directory. It reports atom serials only; residues and atom names are read back through
the merged file's own serial maps (PLIP renumbers insertion-code residues to 0).

Checks on every run: the `LIG:<chain>:900` site exists, PLIP kept every serial, and the site's heavy-atom
count equals the ligand's. Any failure raises PlipError naming the PDB id and the reason.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rdkit import Chem  # noqa: F401  (loaded before the worker imports Open Babel/PLIP: PLIP.md)

from tools.interactions.merge import MergedComplex, merge_complex
from tools.interactions.profile import InteractionProfile, PlipError, build_profile
from tools.paths import cache_dir as project_cache
from tools.structure import Complex

DEFAULT_TIMEOUT = 120.0  # s; pocket + ligand takes ~0.15 s, a whole protein rarely more than 3 s
PLIP_VERSION = version("plip")
_SCHEMA = "1"  # bump when the profile's shape or the merge recipe changes: old cache entries are ignored


def _r(x: float) -> float:
    return round(float(x), 2)


def _ids(atoms: Any) -> list[int]:
    return [int(i) for i in atoms]


def _side(protein: bool) -> str:
    return "protein" if protein else "ligand"


def _site_report(pli: Any) -> dict[str, list[dict[str, Any]]]:
    """The interactions of one PLIP site as plain data over the merged file's serials."""
    hbonds = [
        {
            "prot": h.d_orig_idx if h.protisdon else h.a_orig_idx,
            "lig": h.a_orig_idx if h.protisdon else h.d_orig_idx,
            "donor": _side(h.protisdon),
            "sidechain": bool(h.sidechain),
            "distance_da": _r(h.distance_ad),
            "distance_ha": _r(h.distance_ah),
            "angle": _r(h.angle),
        }
        for h in pli.hbonds_pdon + pli.hbonds_ldon
    ]
    hydrophobic = [
        {"prot": c.bsatom_orig_idx, "lig": c.ligatom_orig_idx, "distance": _r(c.distance)}
        for c in pli.hydrophobic_contacts
    ]
    stacking = [
        {
            "prot": _ids(s.proteinring.atoms_orig_idx),
            "lig": _ids(s.ligandring.atoms_orig_idx),
            "kind": "parallel" if s.type == "P" else "T-shaped",
            "distance": _r(s.distance),
            "angle": _r(s.angle),
            "offset": _r(s.offset),
        }
        for s in pli.pistacking
    ]
    cation = [
        {
            "prot": _ids(c.charge.atoms_orig_idx if c.protcharged else c.ring.atoms_orig_idx),
            "lig": _ids(c.ring.atoms_orig_idx if c.protcharged else c.charge.atoms_orig_idx),
            "charged_side": _side(c.protcharged),
            "distance": _r(c.distance),
            "offset": _r(c.offset),
        }
        for c in pli.pication_laro + pli.pication_paro
    ]
    salt = [
        {
            "prot": _ids((b.positive if b.protispos else b.negative).atoms_orig_idx),
            "lig": _ids((b.negative if b.protispos else b.positive).atoms_orig_idx),
            "positive_side": _side(b.protispos),
            "ligand_group": str((b.negative if b.protispos else b.positive).fgroup),
            "distance": _r(b.distance),
        }
        for b in pli.saltbridge_lneg + pli.saltbridge_pneg
    ]
    water = [
        {
            "prot": w.d_orig_idx if w.protisdon else w.a_orig_idx,
            "lig": w.a_orig_idx if w.protisdon else w.d_orig_idx,
            "water": int(w.water_orig_idx),
            "donor": _side(w.protisdon),
            "distance_aw": _r(w.distance_aw),
            "distance_dw": _r(w.distance_dw),
            "donor_angle": _r(w.d_angle),
            "water_angle": _r(w.w_angle),
        }
        for w in pli.water_bridges
    ]
    halogen = [
        {
            "prot": x.acc_orig_idx,
            "lig": x.don_orig_idx,
            "distance": _r(x.distance),
            "donor_angle": _r(x.don_angle),
            "acceptor_angle": _r(x.acc_angle),
        }
        for x in pli.halogen_bonds
    ]
    metal = [
        {
            "metal": m.metal_orig_idx,
            "target": m.target_orig_idx,
            "location": str(m.location),
            "geometry": str(m.geometry),
            "coordination": int(m.coordination_num),
            "distance": _r(m.distance),
        }
        for m in pli.metal_complexes
    ]
    return {
        "hbonds": hbonds,
        "hydrophobic": hydrophobic,
        "pi_stacking": stacking,
        "pi_cation": cation,
        "salt_bridges": salt,
        "water_bridges": water,
        "halogen_bonds": halogen,
        "metal_complexes": metal,
    }


def _analyse(text: str, site: str) -> dict[str, Any]:
    from plip.basic import config
    from plip.structure.preparation import PDBComplex

    config.NOFIXFILE = True  # the fixer still runs (in memory); it must not write plipfixed.* files
    mol = PDBComplex()
    with tempfile.TemporaryDirectory(prefix="molspatial-plip-") as tmp:
        mol.output_path = tmp  # PLIP writes its protonated structure here; the directory is then removed
        mol.load_pdb(text, as_string=True)
        sites = sorted(":".join([lig.hetid, lig.chain, str(lig.position)]) for lig in mol.ligands)
        target = [lig for lig in mol.ligands if ":".join([lig.hetid, lig.chain, str(lig.position)]) == site]
        lines = mol.corrected_pdb.splitlines()
        corrected = [int(ln[6:11]) for ln in lines if ln.startswith(("ATOM", "HETATM"))]
        report: dict[str, Any] = {
            "sites": sites,
            "serials": corrected,
            "mapped": [int(v) for v in mol.Mapper.proteinmap.values()],
        }
        if not target:
            return report
        mol.characterize_complex(target[0])
    pli = mol.interaction_sets[site]
    report["heavy_atoms"] = int(pli.ligand.heavy_atoms)
    report.update(_site_report(pli))
    return report


def _serve(fd: int) -> None:
    """Worker loop over an inherited pipe: (text, site) in, ("ok", report) or ("error", message) out."""
    import logging
    from multiprocessing.connection import Connection

    from openbabel import pybel  # safe here: this module imported RDKit first (see the top)

    pybel.ob.obErrorLog.SetOutputLevel(0)
    logging.getLogger("plip").setLevel(logging.ERROR)
    conn = Connection(fd)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", _analyse(*job)))
        except Exception as exc:  # reported to the caller, which raises PlipError with the PDB id
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


# ---------------------------------------------------------------------------------------------------
# Caller side.


class _Worker:
    """One long-lived PLIP process, restarted after a crash or a timeout; calls are serialised.

    A plain subprocess (not multiprocessing's spawn, which re-runs the caller's __main__ and fails from
    a REPL) talking over an inherited pipe; its working directory is a private temporary directory.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._conn: Any = None
        self._tmp: str | None = None

    def _start(self) -> None:
        parent, child = mp.Pipe()
        self._tmp = tempfile.mkdtemp(prefix="molspatial-plip-")
        paths = [os.path.abspath(p) if p else os.getcwd() for p in sys.path]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
        code = f"from tools.interactions.plip_run import _serve; _serve({child.fileno()})"
        self._proc = subprocess.Popen(
            [sys.executable, "-c", code],
            pass_fds=(child.fileno(),),
            cwd=self._tmp,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        child.close()
        self._conn = parent

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self._proc is not None:
            try:
                self._conn.send(None)
                self._proc.wait(timeout=2)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
            self._conn.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._proc = self._conn = self._tmp = None

    def call(self, pdb_id: str, text: str, site: str, timeout: float) -> dict[str, Any]:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._stop()
                self._start()
            try:
                self._conn.send((text, site))
                if not self._conn.poll(timeout):
                    self._stop()
                    raise PlipError(pdb_id, f"no answer within {timeout:.0f} s (worker stopped)")
                status, payload = self._conn.recv()
            except (EOFError, OSError):
                code = self._proc.wait() if self._proc is not None else None
                self._stop()
                raise PlipError(pdb_id, f"the PLIP worker process died (exit code {code})") from None
        if status != "ok":
            raise PlipError(pdb_id, f"PLIP raised {payload}")
        return payload


_WORKER = _Worker()
atexit.register(_WORKER.stop)

_MEMORY: dict[str, InteractionProfile] = {}
_MERGED: dict[int, tuple[weakref.ref, MergedComplex]] = {}  # id(Complex) → its merge, while it lives
_STATS: Counter[str] = Counter()


def shutdown_worker() -> None:
    """Stop the PLIP worker process (it restarts on the next call)."""
    _WORKER.stop()


def cache_stats() -> dict[str, int]:
    """How profiles were served so far: 'memory', 'disk' (cache hits) and 'computed' (PLIP runs)."""
    return dict(_STATS)


def clear_memory_cache() -> None:
    _MEMORY.clear()
    _MERGED.clear()


def cache_dir() -> Path:
    return project_cache() / "plip"


def _check(merged: MergedComplex, report: dict[str, Any]) -> None:
    pdb_id = merged.pdb_id
    if report["serials"] != merged.serials or report["mapped"] != merged.serials:
        raise PlipError(
            pdb_id, "PLIP renumbered atom serials of the merged file (answers would misname atoms)"
        )
    if "heavy_atoms" not in report:
        found = ", ".join(report["sites"]) or "none"
        raise PlipError(pdb_id, f"no binding site {merged.site} found (sites PLIP found: {found})")
    if report["heavy_atoms"] != merged.ligand_heavy_atoms:
        raise PlipError(
            pdb_id,
            f"site {merged.site} has {report['heavy_atoms']} heavy atoms, the ligand has "
            f"{merged.ligand_heavy_atoms}",
        )


def analyse_merged(merged: MergedComplex, *, timeout: float = DEFAULT_TIMEOUT) -> InteractionProfile:
    """Run PLIP on a merged complex (no caching) and map its answer back to residues and atom names."""
    report = _WORKER.call(merged.pdb_id, merged.text, merged.site, timeout)
    _check(merged, report)
    try:
        return build_profile(merged, report, PLIP_VERSION)
    except KeyError as exc:
        raise PlipError(merged.pdb_id, f"PLIP named atom serial {exc}, absent from the merged file") from None


def _merged(cx: Complex) -> MergedComplex:
    """merge_complex memoised per live Complex object: it is the costly part of a cache hit (~2 ms)."""
    key = id(cx)
    hit = _MERGED.get(key)
    if hit is not None and hit[0]() is cx:
        return hit[1]
    merged = merge_complex(cx)
    _MERGED[key] = (weakref.ref(cx, lambda _: _MERGED.pop(key, None)), merged)
    return merged


def _cache_key(merged: MergedComplex) -> str:
    return hashlib.sha256(f"plip {PLIP_VERSION} schema {_SCHEMA}\n{merged.text}".encode()).hexdigest()


def _read_disk(path: Path) -> InteractionProfile | None:
    try:
        return InteractionProfile.model_validate_json(path.read_text())
    except (OSError, ValueError):
        return None


def _write_disk(path: Path, profile: InteractionProfile) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(profile.model_dump(mode="json"), sort_keys=True))
        os.replace(tmp, path)  # atomic: concurrent readers never see half a file
    except OSError:
        pass  # the disk cache is an optimisation; a read-only home must not break the tool


def plip_profile(
    cx: Complex, *, use_cache: bool = True, timeout: float = DEFAULT_TIMEOUT
) -> InteractionProfile:
    """The PLIP interaction profile of `cx`'s pocket and ligand (cached in memory and on disk)."""
    merged = _merged(cx)
    if not use_cache:
        _STATS["computed"] += 1
        return analyse_merged(merged, timeout=timeout)
    key = _cache_key(merged)
    profile = _MEMORY.get(key)
    if profile is not None:
        _STATS["memory"] += 1
    else:
        path = cache_dir() / f"{key}.json"
        profile = _read_disk(path)
        if profile is not None:
            _STATS["disk"] += 1
        else:
            _STATS["computed"] += 1
            profile = analyse_merged(merged, timeout=timeout)
            _write_disk(path, profile)
        _MEMORY[key] = profile
    return profile if profile.pdb_id == cx.pdb_id else profile.model_copy(update={"pdb_id": cx.pdb_id})
