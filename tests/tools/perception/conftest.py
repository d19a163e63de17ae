"""Real renders of a bundled complex at known cameras, shared by the perception and pose tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.render import RenderSpec, StructureRef, render_specs

SIZE = 320
FIELD = 34.0  # Å, about the builder's width for 1hvi's pocket


@pytest.fixture(scope="session")
def hvi(complexes_dir: Path) -> StructureRef:
    return StructureRef(pdb_id="1hvi", folder=str(complexes_dir / "1hvi"), ligand="A77:A:800")


def spec(ref: StructureRef, **kw: object) -> RenderSpec:
    fields: dict = {"structure": ref, "field_width": FIELD, "size": SIZE, **kw}
    return RenderSpec(**fields)


@pytest.fixture(scope="session")
def renders(
    hvi: StructureRef, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[RenderSpec, Path]]:
    """Named renders: the item-style front view, views at a 10 % larger scale, moved and rotated poses."""
    out = tmp_path_factory.mktemp("renders")
    specs = {
        "front": spec(hvi),
        "big": spec(hvi, field_width=FIELD / 1.1),
        "big_moved": spec(hvi, field_width=FIELD / 1.1, scene="move x 2, move y -1"),
        "big_roll": spec(hvi, field_width=FIELD / 1.1, scene="roll x 30"),
        "big_zoom": spec(hvi, field_width=FIELD / 1.1, scene="move z 45"),
        "big_move": spec(hvi, field_width=FIELD / 1.1, scene="move x -3"),
        "left": spec(hvi, view="left"),
    }
    jobs = {name: (s, out / f"{name}.png") for name, s in specs.items()}
    render_specs(list(jobs.values()), workers=2)
    return jobs
