"""PLIP cost per bundled complex: cold (a fresh Python process, empty cache: imports, worker start and
the PLIP run), warm (the worker already running, cache bypassed), disk hit (memory cache cleared) and
memory hit (the repeated call an agent makes; median of 21 calls).

    python -m eval.perf.plip_speed
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMPLEXES = Path(__file__).resolve().parent.parent / "data" / "complexes"


def measure_one(folder: str, spec: str) -> dict[str, float]:
    """Runs in a fresh process: every timing starts from nothing imported and an empty cache."""
    start = time.perf_counter()
    from tools.interactions import clear_memory_cache, plip_profile
    from tools.structure import load_complex

    imported = time.perf_counter()
    cx = load_complex(Path(folder), ligand=spec or None)
    loaded = time.perf_counter()
    plip_profile(cx)
    cold = time.perf_counter()
    plip_profile(cx, use_cache=False)
    warm = time.perf_counter()
    clear_memory_cache()
    plip_profile(cx)
    disk = time.perf_counter()
    hits = []
    for _ in range(21):  # a single sub-millisecond timing is mostly scheduler noise
        t = time.perf_counter()
        plip_profile(cx)
        hits.append(time.perf_counter() - t)
    return {
        "imports": imported - start,
        "cold": cold - loaded,
        "warm": warm - cold,
        "disk": disk - warm,
        "memory": statistics.median(hits),
    }


def main() -> None:
    with (COMPLEXES / "index.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    results: dict[str, dict[str, float]] = {}
    print(
        f"{'id':5} {'imports':>8} {'cold':>7} {'warm':>7} {'disk':>8} {'memory':>8}   (seconds; ms for hits)"
    )
    for row in rows:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, MOLSPATIAL_CACHE=cache)
            args = [
                sys.executable,
                __file__,
                "--one",
                str(COMPLEXES / row["id"]),
                row["ligand_bsid_in_complex"],
            ]
            out = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=cache)
        r = results[row["id"]] = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{row['id']:5} {r['imports']:8.2f} {r['cold']:7.2f} {r['warm']:7.3f} "
            f"{r['disk'] * 1e3:8.2f} {r['memory'] * 1e3:8.3f}"
        )

    def stat(name: str) -> tuple[float, float]:
        values = [r[name] for r in results.values()]
        return statistics.median(values), max(values)

    (ci, _), (cc, cx), (wm, wx), (dm, dx), (mm, mx) = (
        stat(k) for k in ("imports", "cold", "warm", "disk", "memory")
    )
    print(
        f"\nsummary: {len(results)} complexes; imports {ci:.2f} s; cold median {cc:.2f} s (max {cx:.2f}); "
        f"warm median {wm:.3f} s (max {wx:.3f}); disk hit median {dm * 1e3:.2f} ms (max {dx * 1e3:.2f}); "
        f"memory hit median {mm * 1e3:.3f} ms (max {mx * 1e3:.3f})"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure_one(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")))
    else:
        main()
