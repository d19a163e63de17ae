"""A scripted VLM over real HTTP calls the image-only perception tools on a real item and answers from
what they returned (the script's last reply reads the tool messages the graph sent back)."""

import asyncio
import json
import re

from agent.models import OpenAIChatModel
from agent.solver import solve_item
from eval.settings import SolveSettings
from tests.agent.models.fake_openai_server import replies
from tests.perception_support import first_item


def _tool_payloads(body: dict) -> dict[str, dict]:
    """Tool results by tool name, as the model reads them in its conversation."""
    names = {}
    for m in body["messages"]:
        for call in m.get("tool_calls") or []:
            names[call["id"]] = call["function"]["name"]
    out = {}
    for m in body["messages"]:
        if m["role"] == "tool":
            out[names[m["tool_call_id"]]] = json.loads(m["content"].split("\n[")[0])
    return out


def test_a_vlm_reads_labels_rebuilds_the_scene_and_answers_the_zoom_from_the_tools(
    bench_512, fake_openai, tmp_path
) -> None:
    item = first_item(bench_512, "T3")

    def answer(body: dict):
        payloads = _tool_payloads(body)
        best = payloads["fit_zoom"]["ranked"][0]["move_z"]
        located = len(payloads["rebuild_scene"]["points"])
        return replies.text(f"{located} labels located in 3D. Final answer: move z {int(best)}")

    server = fake_openai(
        replies.tool_calls(
            [
                ("read_labels", {"image": 1}),
                ("rebuild_scene", {"images": [1, 2, 3]}),
                ("fit_zoom", {"a": 1, "b": 4, "camera_distance": 150, "distances": list(range(40, 61))}),
            ]
        ),
        answer,
    )
    model = OpenAIChatModel("fake-vlm", base_url=server.url, max_retries=1, timeout=60)
    trace = asyncio.run(
        solve_item(item, bench_512, model, SolveSettings(mode="tools", access="images"), tmp_path)
    )
    first = server.bodies[0]
    offered = {t["function"]["name"] for t in first["tools"]}
    assert {"read_labels", "rebuild_scene", "fit_view_motion", "fit_zoom", "scene_geometry"} <= offered
    assert "test_poses" not in offered  # images only: no structure tools
    payloads = _tool_payloads(server.bodies[1])
    labels = payloads["read_labels"]["labels"]
    assert labels and all(re.fullmatch(r"[A-Z]{3} \d+|[A-Z]{1,2}\d\w*", lab["text"]) for lab in labels)
    assert payloads["rebuild_scene"]["points"] and all(
        p["residual_px"] < 6 for p in payloads["rebuild_scene"]["points"]
    )
    assert trace.parsed == item.gold and trace.exact_match
