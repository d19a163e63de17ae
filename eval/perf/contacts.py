"""How tight and how safe the images-only residue–ligand contact bound is, against the structure.

For each T4 item, the bound of tools.perception.contacts (from the six views, the residue's own label read
by OCR) is compared with the true closest residue-N/O ··· ligand-N/O distance of the builder's scene, and
the scale the bound used with the true pixels per Å. The benchmark script may use the builder's scene; the
tool never does.

    python -m eval.perf.contacts [--bench-dir DIR] [--limit 74] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from eval.misi.bench import open_misi
from tools.perception.contacts import contact_bound
from tools.perception.labels import normalise_query, read_labels
from tools.render.scene import RenderSpec, build_scene

REACH = 3.9  # Å, as the policy decides


class ContactRow(BaseModel):
    item: str
    positive: bool
    true_angstrom: float
    bound_angstrom: float | None
    complete: bool
    scale_used: float | None
    true_pixels_per_angstrom: float
    scale_error: float | None  # the central scale estimate's relative error


def true_closest(bench_root: Path, spec: dict) -> tuple[float, float]:
    """The structure's closest residue-N/O ··· ligand-N/O distance (Å) and the true pixels per Å."""
    scene = build_scene(RenderSpec.model_validate(spec), bench_root)

    def polar(lig: bool) -> np.ndarray:
        return np.array(
            [[a.x, a.y, a.z] for a in scene.atoms if a.is_ligand == lig and a.element.upper() in ("N", "O")]
        )

    d = np.linalg.norm(polar(True)[:, None] - polar(False)[None], axis=2).min()
    return float(d), scene.pixels_per_angstrom


def run(bench_dir: Path | None, limit: int) -> dict:
    bench = open_misi(bench_dir)
    rows: list[ContactRow] = []
    for item_id in [i for i in bench.ids if bench.task_of(i) == "T4"][:limit]:
        item = bench.item(item_id)
        bench.ensure_images(item)
        m = re.search(r"whether the residue (\w{3}) (-?\d+[A-Za-z]?)", item.prompt)
        if not m:
            continue
        residue = normalise_query(f"{m.group(1)} {m.group(2)}")
        paths = {im.view: bench.root / im.path for im in item.images if im.view}
        own = {}
        for view, path in paths.items():
            hits = [lab for lab in read_labels(path).labels if lab.text == residue]
            if len(hits) == 1:
                own[view] = hits[0]
        bound = contact_bound(paths, m.group(1), own)
        truth, ppa = true_closest(bench.root, item.generation["images"][0])
        rows.append(
            ContactRow(
                item=item_id,
                positive=item.gold.startswith("Yes"),
                true_angstrom=round(truth, 2),
                bound_angstrom=bound.bound_angstrom,
                complete=bound.complete,
                scale_used=bound.scale.upper,
                true_pixels_per_angstrom=round(ppa, 2),
                scale_error=round(bound.scale.pixels_per_angstrom / ppa - 1.0, 3)
                if bound.scale.pixels_per_angstrom
                else None,
            )
        )
    bounded = [(r, r.bound_angstrom, r.scale_used or 0.0) for r in rows if r.bound_angstrom is not None]
    errors = [r.scale_error for r in rows if r.scale_error is not None]
    beyond = [r for r, b, _ in bounded if r.complete and b > REACH]
    return {
        "bench": str(bench.root),
        "items": len(rows),
        "complete": sum(r.complete for r in rows),
        "with_bound": len(bounded),
        "bound_above_truth": sum(b > r.true_angstrom for r, b, _ in bounded),
        "scale_used_below_truth": sum(s < r.true_pixels_per_angstrom for r, _, s in bounded),
        "median_bound_share_of_truth": round(
            float(np.median([b / r.true_angstrom for r, b, _ in bounded])), 3
        )
        if bounded
        else None,
        "scale_error_range": [min(errors), max(errors)] if errors else None,
        "beyond_reach": {
            "negatives": sum(not r.positive for r in beyond),
            "positives": sum(r.positive for r in beyond),
        },
        "rows": [r.model_dump() for r in rows],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=74)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.bench_dir, args.limit)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
