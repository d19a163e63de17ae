import json

from agent.models import extract_tool_calls, to_text_messages, tools_system_prompt

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "measure_distance",
            "description": "Distance in angstrom between two atoms of the item's structure.",
            "parameters": {
                "type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                "required": ["a", "b"],
            },
        },
    },
    {"type": "function", "function": {"name": "zoom", "description": "Crop an image.", "parameters": {}}},
]


def test_system_prompt_lists_every_tool_and_the_reply_format() -> None:
    prompt = tools_system_prompt(TOOLS)
    assert "<tools>" in prompt and "</tools>" in prompt
    for tool in TOOLS:
        assert json.dumps(tool["function"], sort_keys=True) in prompt
    assert "<tool_call>" in prompt and '"arguments"' in prompt


def test_one_block_is_split_from_the_text() -> None:
    call = '{"name": "measure_distance", "arguments": {"a": 1, "b": 2}}'
    text = f"Let me measure.\n<tool_call>\n{call}\n</tool_call>"
    rest, calls = extract_tool_calls(text)
    assert rest == "Let me measure."
    assert [(c.id, c.name, json.loads(c.arguments), c.path) for c in calls] == [
        ("call_text_0", "measure_distance", {"a": 1, "b": 2}, "text")
    ]


def test_whitespace_fences_and_several_blocks() -> None:
    text = (
        '<tool_call>   \n\n```json\n{"name": "zoom", "arguments": {"index": 1}}\n```\n  </tool_call>'
        'and then<tool_call>{"name":"measure_distance","arguments":{"a":3,"b":4}}</tool_call>'
    )
    rest, calls = extract_tool_calls(text, start=5)
    assert rest == "and then"
    assert [c.id for c in calls] == ["call_text_5", "call_text_6"]
    assert [c.name for c in calls] == ["zoom", "measure_distance"]
    assert json.loads(calls[0].arguments) == {"index": 1}


def test_invalid_json_is_kept_raw_never_dropped() -> None:
    rest, calls = extract_tool_calls('<tool_call>{"name": "zoom", "arguments": {"index": 1,}</tool_call>')
    assert rest == ""
    assert len(calls) == 1
    assert calls[0].name == "zoom"  # recovered, so the tool layer can name the tool in its error
    assert calls[0].arguments == '{"name": "zoom", "arguments": {"index": 1,}'

    _, calls = extract_tool_calls("<tool_call>zoom please</tool_call>")
    assert [(c.name, c.arguments) for c in calls] == [("", "zoom please")]


def test_unclosed_last_block_still_counts() -> None:
    rest, calls = extract_tool_calls('Calling.\n<tool_call>\n{"name": "zoom", "arguments": {}}')
    assert rest == "Calling."
    assert [(c.name, c.arguments) for c in calls] == [("zoom", "{}")]


def test_string_arguments_and_parameters_key() -> None:
    _, calls = extract_tool_calls('<tool_call>{"name": "zoom", "arguments": "{\\"index\\": 2}"}</tool_call>')
    assert calls[0].arguments == '{"index": 2}'
    _, calls = extract_tool_calls('<tool_call>{"name": "zoom", "parameters": {"index": 3}}</tool_call>')
    assert json.loads(calls[0].arguments) == {"index": 3}
    _, calls = extract_tool_calls('<tool_call>{"name": "zoom"}</tool_call>')
    assert calls[0].arguments == "{}"


def test_text_without_blocks_is_untouched() -> None:
    assert extract_tool_calls("The answer is B.") == ("The answer is B.", [])


def test_history_is_rewritten_for_a_template_without_tools() -> None:
    messages = [
        {"role": "system", "content": "You are a chemist."},
        {"role": "user", "content": [{"type": "text", "text": "How far?"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "measure_distance", "arguments": '{"a": 1}'},
                },
                {"id": "c2", "type": "function", "function": {"name": "zoom", "arguments": "not json"}},
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": '{"distance": 3.1}'},
        {"role": "tool", "tool_call_id": "c2", "content": "zoom: bad arguments"},
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}],
        },
    ]
    out = to_text_messages(messages, TOOLS)
    assert [m["role"] for m in out] == ["system", "user", "assistant", "user", "user"]
    assert out[0]["content"].startswith("You are a chemist.\n\n# Tools")
    assert out[1] == messages[1] and out[4] == messages[5]
    assert "tool_calls" not in out[2]
    _, calls = extract_tool_calls(out[2]["content"])
    assert [(c.name, c.arguments) for c in calls] == [("measure_distance", '{"a": 1}'), ("zoom", "not json")]
    assert out[3]["content"] == (
        '<tool_response>\n{"distance": 3.1}\n</tool_response>\n'
        "<tool_response>\nzoom: bad arguments\n</tool_response>"
    )
    assert messages[0]["content"] == "You are a chemist."  # the caller's history is not mutated


def test_system_message_is_added_when_missing_and_tools_optional() -> None:
    messages = [{"role": "user", "content": "Hi"}]
    out = to_text_messages(messages, TOOLS)
    assert out[0]["role"] == "system" and "measure_distance" in out[0]["content"]
    assert to_text_messages(messages, None) == messages
