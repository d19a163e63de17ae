import asyncio

from agent.builtin import RandomModel, ToolPolicyModel
from agent.models import ModelRequest
from eval.items import ItemView
from eval.misi.bench import MisiBenchmark as Benchmark
from eval.misi.parse import parse_answer


def test_random_baseline_answers_every_format_deterministically(small_bench) -> None:
    bench = Benchmark(small_bench)
    formats = set()
    for item in bench.items():
        view = item.view()
        one = RandomModel(seed=5).answer(view)
        assert one == RandomModel(seed=5).answer(view)
        assert parse_answer(one, item.answer_format).ok, (item.id, one)
        formats.add(item.answer_format)
    assert len(formats) == 7
    answers = {RandomModel(seed=s).answer(bench.item("misi-T2-1acj-0").view()) for s in range(20)}
    assert len(answers) > 5


def test_policy_gets_only_the_item_view(small_bench) -> None:
    item = Benchmark(small_bench).item("misi-T4-1acj-0")
    view = item.view()
    assert isinstance(view, ItemView) and not hasattr(view, "gold") and not hasattr(view, "generation")
    assert item.gold not in view.model_dump_json() or item.gold == "No"


def test_policy_without_tools_says_it_cannot_answer(small_bench) -> None:
    view = Benchmark(small_bench).item("misi-T1-1acj-0").view()
    request = ModelRequest(messages=[{"role": "user", "content": "?"}], metadata={"item": view})
    response = asyncio.run(ToolPolicyModel().complete(request))
    assert not response.tool_calls and "cannot determine" in response.text
    assert not parse_answer(response.text, "translation").ok
