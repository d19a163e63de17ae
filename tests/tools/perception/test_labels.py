"""Label reading on real renders, checked against where the builder's camera puts each label."""

import numpy as np

from tests.perception_support import first_item, truth
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
    # no residue code within one letter and no element + digit: unread text, never a label
    found, rest = parse_line("QQZ IHRa")
    assert found == [] and rest == "QQZ IHRA"


def test_labels_read_on_a_real_render_are_where_the_structure_puts_them(bench_512) -> None:
    item = first_item(bench_512, "T2")
    reading = read_labels(bench_512.root / item.images[0].path)
    pixels, _, _ = truth(bench_512, item, 0)
    assert len(reading.labels) >= 5
    right = [
        lab
        for lab in reading.labels
        if lab.text in pixels and np.hypot(*(np.array(lab.centre) - pixels[lab.text])) < 6.0
    ]
    # most readings are a real label at its place; a misread one carries a lower confidence on average
    assert len(right) >= 0.7 * len(reading.labels)
    wrong = [lab for lab in reading.labels if lab not in right]
    if wrong:
        assert np.mean([w.confidence for w in wrong]) <= np.mean([r.confidence for r in right]) + 0.05
    assert all(0.0 < lab.confidence <= 1.0 for lab in reading.labels)


def test_an_image_without_text_has_no_labels(tmp_path) -> None:
    from PIL import Image

    path = tmp_path / "black.png"
    Image.new("RGB", (256, 256)).save(path)
    reading = read_labels(path)
    assert reading.labels == [] and reading.image_size == (256, 256)
