"""Label reading on real renders, checked against where the builder's camera puts each label."""

from eval.perf.perception import label_truth, score_reading
from tests.perception_support import first_item
from tools.perception.labels import parse_line, read_labels


def test_grammar_corrects_only_where_a_letter_or_digit_is_required() -> None:
    found, rest = parse_line("PR0 81")
    assert [(f[0], f[1], f[2]) for f in found] == [("PRO 81", "residue", 1)] and rest == ""
    found, _ = parse_line("ASP 3O")
    assert found[0][0] == "ASP 30"
    found, _ = parse_line("O1B")
    assert [(f[0], f[1]) for f in found] == [("O1B", "atom")]
    # one misread letter from exactly one residue code is corrected, with two corrections counted
    found, _ = parse_line("XAL 82")
    assert [(f[0], f[2]) for f in found] == [("VAL 82", 2)]
    # a letter glued to the number means overlapping text: kept, but with three corrections counted
    found, rest = parse_line("TYR 13Y 80")
    assert [(f[0], f[2]) for f in found] == [("TYR 13", 3)] and rest == "Y 80"
    # no atom name starts with a digit or a Q: the engine's reading of a bold O; sugars' atoms keep a prime
    assert [f[0] for f in parse_line("02P")[0]] == ["O2P"] and parse_line("02P")[0][0][2] == 0
    assert [(f[0], f[2]) for f in parse_line("Q3")[0]] == [("O3", 1)]
    assert [f[0] for f in parse_line("C5' 04'")[0]] == ["C5'", "O4'"]
    # no residue code within one letter and no element + digit: unread text, never a label
    found, rest = parse_line("QQZ IHRa")
    assert found == [] and rest == "QQZ IHRA"


def test_labels_read_on_a_real_render_are_where_the_structure_puts_them(bench_512) -> None:
    item = first_item(bench_512, "T2")
    total = {"read": 0, "correct": 0, "confident": 0, "confident_correct": 0}
    for k in range(4):
        reading = read_labels(bench_512.root / item.images[k].path)
        truth, _, size = label_truth(bench_512.root, item.generation["images"][k])
        score = score_reading(reading, truth, size)
        assert score["read"] >= 5
        assert all(0.0 < lab.confidence <= 1.0 for lab in reading.labels)
        confident = reading.model_copy(update={"labels": [x for x in reading.labels if x.confidence >= 0.9]})
        total["read"] += score["read"]
        total["correct"] += score["correct"]
        total["confident"] += len(confident.labels)
        total["confident_correct"] += score_reading(confident, truth, size)["correct"]
    # most readings are a real label at its place (a misread is possible, an invented label is not), and
    # the confidence means something: confident readings are right more often
    assert total["correct"] >= 0.5 * total["read"]
    assert total["confident"] >= 5 and total["confident_correct"] >= 0.7 * total["confident"]
    assert total["confident_correct"] / total["confident"] > total["correct"] / total["read"]


def test_an_image_without_text_has_no_labels(tmp_path) -> None:
    from PIL import Image

    path = tmp_path / "black.png"
    Image.new("RGB", (256, 256)).save(path)
    reading = read_labels(path)
    assert reading.labels == [] and reading.image_size == (256, 256)
