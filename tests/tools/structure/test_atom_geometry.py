"""atom_geometry on degenerate input: a repeated atom gives no angle, no NaN and no numpy warning."""

import json
import warnings

from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark
from tools.base import ToolContext

GEOMETRY = next(t for t in all_tools() if t.name == "atom_geometry")


def test_a_repeated_atom_has_no_angle_and_raises_no_warning(small_bench, tmp_path) -> None:
    bench = MisiBenchmark(small_bench)
    item = bench.item("misi-T1-1acj-0")
    ctx = ToolContext(item=item.view(), bench_dir=bench.root, workdir=tmp_path, access="structure")
    names = item.structure.load(bench.root).ligand.atoms.names
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the call here
        same = GEOMETRY.run(ctx, {"atoms": [names[0], names[0], names[0]]})
        real = GEOMETRY.run(ctx, {"atoms": names[:3]})
    assert same.ok and "NaN" not in same.text
    data = json.loads(same.text)
    assert data["angle_at_middle"] is None and "no angle" in data["note"]
    assert real.ok and 0.0 < json.loads(real.text)["angle_at_middle"] < 180.0
