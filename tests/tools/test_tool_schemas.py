"""Every tool's schema is valid JSON Schema in the shape the OpenAI tools API takes, and failures come back
as error results."""

import json

import jsonschema
import pytest

from agent.toolset import all_tools
from tools.base import ToolContext

TOOLS = all_tools()


def test_the_toolset_covers_every_capability() -> None:
    names = {t.name for t in TOOLS}
    assert {
        "structure_summary",
        "atom_geometry",
        "apply_commands",
        "estimate_transform",
        "render_view",
        "test_poses",
        "fit_camera",
        "interaction_profile",
        "residue_hbonds",
        "crop_image",
        "compare_images",
        "contact_sheet",
        "video_frames",
    } <= names


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_schema_is_openai_shaped_json_schema(tool) -> None:
    schema = tool.openai_schema()
    assert schema["type"] == "function"
    fn = schema["function"]
    assert fn["name"] == tool.name and len(fn["description"]) > 20
    params = fn["parameters"]
    jsonschema.Draft202012Validator.check_schema(params)
    assert (
        params["type"] == "object" and "$defs" not in json.dumps(params) and "$ref" not in json.dumps(params)
    )
    for prop in params["properties"].values():
        assert "description" in prop or "enum" in prop or "anyOf" in prop, (tool.name, prop)
    json.dumps(schema)  # serialisable as sent


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_bad_arguments_are_error_results(tool, small_bench, tmp_path) -> None:
    from eval.misi.bench import MisiBenchmark as Benchmark

    bench = Benchmark(small_bench)
    item = bench.item("misi-T1-1acj-0")
    ctx = ToolContext(item=item.view(), bench_dir=bench.root, workdir=tmp_path, access="structure")
    result = tool.run(ctx, {"no_such_argument": 1, "compare_with": "x", "a": "x"})
    assert result.ok is False and result.text.startswith(tool.name)
    garbage = tool.run(ctx, '{"unclosed": ')
    assert garbage.ok is False and "not valid JSON" in garbage.text


def test_structure_tools_refuse_images_only_runs(small_bench, tmp_path) -> None:
    from eval.misi.bench import MisiBenchmark as Benchmark

    bench = Benchmark(small_bench)
    ctx = ToolContext(item=bench.item("misi-T1-1acj-0").view(), bench_dir=bench.root, workdir=tmp_path)
    for tool in TOOLS:
        if tool.needs_structure:
            result = tool.run(ctx, {})
            assert not result.ok and "structure access" in result.text and result.access == "images"
