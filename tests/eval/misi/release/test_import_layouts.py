"""Releases in several plausible layouts import into items a benchmark opens; what was inferred is said;
a corrupt archive writes nothing; the same release always gives byte-identical items."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from eval.misi.bench import MisiBenchmark as Benchmark
from eval.misi.release import ReleaseError, ReleaseMapping, import_release, load_mapping
from tests.release_support import BONDS, png, release, targz_parquet, zip_json_with_files


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("import")
    src = release(root / "release")
    complexes = Path(__file__).resolve().parents[4] / "eval" / "data" / "complexes"
    summary = import_release(src, root / "bench", structures=complexes)
    return src, root / "bench", summary


def _by_raw(bench: Benchmark) -> dict[str, object]:
    return {it.generation["raw_id"]: it for it in bench.items()}


def test_every_layout_becomes_items_of_the_right_task(imported) -> None:
    _, out, summary = imported
    bench = Benchmark(out)
    assert summary.by_task == {"T3": 2, "T4": 6, "T7": 1, "T8": 2, "T9": 2} and len(bench.ids) == 13
    items = _by_raw(bench)
    # (a) json / jsonl + image files, T4 with its column from the archive name
    pos, neg = items["pos0"], items["neg1"]
    assert (pos.task, pos.gold, pos.generation["polarity"]) == ("T4", "Yes: ARG NH2, O1B", "pos")
    assert (neg.task, neg.gold, neg.generation["polarity"]) == ("T4", "No", "neg")
    assert "polarity" not in neg.metadata  # the column would give the answer away
    assert [im.sha256 for im in neg.images] == [
        hashlib.sha256(png(1000 + 10 + v)).hexdigest() for v in range(6)
    ]
    # (b) pickled dicts with PNG bytes: bind_multiview decided per record from the answer and image count
    dock, pl = items["0"], items["1"]
    assert (dock.task, dock.answer_format, len(dock.images)) == ("T7", "docking", 7)
    assert (pl.task, pl.gold, pl.answer_format) == ("T9", BONDS, "pocket_bonds")
    assert dock.generation["task_source"] == "content" and "7 images → T7" in dock.generation["task_how"]
    # (b') a pickled pandas frame: chat turns, numbered numpy images, options from the prompt
    loc = items["loc-1"]
    assert (loc.task, loc.gold, len(loc.images)) == ("T8", "C", 6)
    assert "<image>" not in loc.prompt and loc.prompt.startswith("I will provide you with 6 images")
    assert loc.options == {
        "A": "move x 3, move y 5",
        "B": "move x -3, move y 5",
        "C": "move x 3, move y -5",
        "D": "move x 1, move y 1",
    }
    # (c) parquet in a tar.gz, images as {bytes, path} structs
    zoom = items["z1"]
    assert (zoom.task, zoom.gold, zoom.answer_format) == ("T3", "move z 52", "zoom")
    assert zoom.images[0].sha256 == hashlib.sha256(png(510)).hexdigest()
    for item in bench.items():
        assert item.camera is None and all((out / im.path).is_file() for im in item.images)
        assert item.metadata["pdb_id"] and item.prompt_template == "official"


def test_structures_link_by_pdb_id_and_the_rest_run_images_only(imported) -> None:
    _, out, summary = imported
    bench = Benchmark(out)
    linked = {it.metadata["pdb_id"] for it in bench.items() if it.structure is not None}
    assert linked == {"1acj", "1g9v"}
    assert summary.with_structure == 10 and summary.images_only == 3
    assert summary.structures_missing == ["5xyz", "9zzz"]
    item = next(it for it in bench.items() if it.structure is not None)
    assert item.structure.load(out).ligand.atoms.coords.shape[0] > 5  # the copied files load
    manifest = json.loads((out / "bench.json").read_text())["release"]
    assert manifest["images_only"] == 3 and manifest["with_structure"] == 10


def test_the_same_release_gives_byte_identical_items(imported, tmp_path: Path) -> None:
    src, out, _ = imported
    complexes = Path(__file__).resolve().parents[4] / "eval" / "data" / "complexes"
    import_release(src, tmp_path / "again", structures=complexes)
    for sub in ("items", "images"):
        first = {p.name: p.read_bytes() for p in (out / sub).iterdir()}
        second = {p.name: p.read_bytes() for p in (tmp_path / "again" / sub).iterdir()}
        assert first == second


def test_a_mapping_file_confirms_and_corrects(tmp_path: Path) -> None:
    src = tmp_path / "release"
    src.mkdir()
    zip_json_with_files(src, "pos")
    targz_parquet(src)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "archives:\n"
        "  test-interaction-pos-1160.zip:\n    task: T4\n    polarity: pos\n"
        "    fields: {answer: question, prompt: answer}\n"  # deliberately swapped: the file wins
        "  'test_scale*':\n    skip: true\n"
    )
    summary = import_release(src, tmp_path / "bench", mapping=load_mapping(mapping))
    items = Benchmark(tmp_path / "bench").items()
    assert summary.by_task == {"T4": 3} and {it.task for it in items} == {"T4"}
    assert items[0].gold.startswith("I will provide") and items[0].generation["task_source"] == "mapping file"
    scale = next(a for a in summary.archives if a.archive == "test_scale.tar.gz")
    assert list(scale.record_files_by_member.values())[0].skipped == {"left out by the mapping file": 2}


def test_a_bad_mapping_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"archives": {"a.zip": {"task": "T12"}}, "fields": {"answr": "x"}}))
    with pytest.raises(ReleaseError) as caught:
        load_mapping(bad)
    assert "\n" not in str(caught.value) and "T12" in str(caught.value) and "answr" in str(caught.value)
    assert load_mapping(None) == ReleaseMapping()


def _corrupt_case(root: Path, case: str) -> Path:
    """A release folder whose one archive is damaged as `case` says."""
    made = root / "made"
    made.mkdir(parents=True)
    folder = root / "release"
    folder.mkdir()
    if case == "truncated tar.gz":
        data = targz_parquet(made).read_bytes()
        target = folder / "test_scale.tar.gz"
        target.write_bytes(data[:-200])
        return target
    data = zip_json_with_files(made, "pos").read_bytes()
    target = folder / "test-interaction-pos-1160.zip"
    if case == "truncated zip":
        target.write_bytes(data[: len(data) // 2])
    else:  # a flipped byte inside the first stored image: its CRC no longer matches
        flipped = bytearray(data)
        flipped[data.index(b"\x89PNG") + 40] ^= 0xFF
        target.write_bytes(bytes(flipped))
    return target


@pytest.mark.parametrize("case", ["truncated zip", "truncated tar.gz", "bad crc"])
def test_a_corrupt_archive_is_one_line_and_writes_nothing(case: str, tmp_path: Path) -> None:
    archive = _corrupt_case(tmp_path, case)
    zip_json_with_files(archive.parent, "neg")  # a good archive beside it: still nothing is written
    with pytest.raises(ReleaseError) as caught:
        import_release(archive.parent, tmp_path / "bench")
    assert "\n" not in str(caught.value) and archive.name in str(caught.value)
    assert not (tmp_path / "bench").exists() and not list(tmp_path.glob(".bench*"))


def test_member_names_that_leave_the_archive_are_skipped(tmp_path: Path) -> None:
    src = tmp_path / "release"
    src.mkdir()
    records = [
        {
            "id": "q",
            "prompt": "p (PDB ID: 1ABC)",
            "answer": "move z 44",
            "images": ["../../outside.png", "/etc/x.png", "img/0.png", "img/1.png"],
        }
    ]
    with zipfile.ZipFile(src / "test_scale.zip", "w") as zf:
        zf.writestr("../../outside.png", png(1))
        zf.writestr("/etc/x.png", png(2))
        for k in range(2):
            zf.writestr(f"img/{k}.png", png(3 + k))
        zf.writestr("records.json", json.dumps(records))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        link = tarfile.TarInfo("evil-link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
    (src / "links.tar.gz").write_bytes(buf.getvalue())
    summary = import_release(src, tmp_path / "out" / "bench")
    archive = next(a for a in summary.archives if a.archive == "test_scale.zip")
    assert sorted(archive.unsafe_members) == ["../../outside.png", "/etc/x.png"]
    assert next(a for a in summary.archives if a.archive == "links.tar.gz").unsafe_members == ["evil-link"]
    # the unsafe paths are not reachable: the record naming them is skipped, and nothing left the output
    rf = list(archive.record_files_by_member.values())[0]
    assert summary.items == 0 and list(rf.skipped) == ["image '../../outside.png' names no member"]
    assert not (tmp_path / "outside.png").exists() and not (tmp_path / "out" / "outside.png").exists()


def test_loose_json_and_images_in_the_folder_still_import(tmp_path: Path) -> None:
    src = tmp_path / "release"
    (src / "imgs").mkdir(parents=True)
    for k in range(4):
        (src / "imgs" / f"{k}.png").write_bytes(png(k))
    rows = [
        {
            "id": "q1",
            "task": "Translation",
            "question": "Which move?",
            "images": [f"imgs/{k}.png" for k in range(4)],
            "answer": "move x 4",
            "pdb_id": "1abc",
        },
        {
            "id": "q2",
            "task": "T5",
            "question": "Pick",
            "images": [f"imgs/{k % 4}.png" for k in range(11)],
            "answer": "C",
        },
    ]
    (src / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (src / ".cache").mkdir()
    (src / ".cache" / "x.json").write_text("{}")  # download metadata is not the release
    summary = import_release(src, tmp_path / "bench")
    items = {it.generation["raw_id"]: it for it in Benchmark(tmp_path / "bench").items()}
    assert (items["q1"].task, items["q1"].generation["task_source"]) == ("T1", "task field")
    assert items["q2"].options == {"A": "Image 8", "B": "Image 9", "C": "Image 10", "D": "Image 11"}
    assert items["q2"].generation["options_how"] == "the last four images (paper layout)"
    assert summary.without_pdb_id == 1


def _data_uri(data: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_records_that_cannot_become_items_are_counted_with_their_reason(tmp_path: Path) -> None:
    src = tmp_path / "release"
    src.mkdir()
    rows = [
        {"prompt": "p", "answer": "move z 41", "images": ["missing.png"] * 4},
        {"prompt": "p", "images": ["a.png"]},
        {"prompt": "p", "answer": "maybe", "images": ["a.png"]},
        {"prompt": "p", "answer": "move x 2", "images": [b"not an image at all"]},
        {"prompt": "p", "answer": "move x 2", "images": ["a.png"] * 4},
        {"prompt": "p", "answer": "move x 1", "images": [_data_uri(png(77)), "gone.png", "a.png", "a.png"]},
    ]
    with zipfile.ZipFile(src / "misc.zip", "w") as zf:
        zf.writestr("a.png", png(9))
        zf.writestr("rows.json", json.dumps(rows, default=lambda b: b.decode()))
    summary = import_release(src, tmp_path / "bench")
    rf = list(summary.archives[0].record_files_by_member.values())[0]
    assert summary.items == 1 and summary.by_task == {"T1": 1} and rf.tasks == {"T1": 1}
    assert [p.name for p in (tmp_path / "bench" / "images").iterdir()] == [
        f"{hashlib.sha256(png(9)).hexdigest()[:20]}.png"
    ]
    assert rf.skipped == {
        "image 'missing.png' names no member": 1,
        "no answer field": 1,
        "cannot tell the task among T1–T9 from the answer's shape and the image count": 1,
        "image 'not an image at all' names no member": 1,
        "image 'gone.png' names no member": 1,
    }


def test_out_must_be_new_or_empty(tmp_path: Path) -> None:
    src = release(tmp_path / "release")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "keep.txt").write_text("mine")
    with pytest.raises(ReleaseError, match="already exists and is not empty"):
        import_release(src, tmp_path / "bench")
    assert (tmp_path / "bench" / "keep.txt").read_text() == "mine"


def test_one_record_per_member_keeps_its_own_lists(tmp_path: Path) -> None:
    """LLaVA-style: one pickle or json per question, whose turns and image structs are lists of dicts."""
    import pickle

    src = tmp_path / "release"
    src.mkdir()
    with zipfile.ZipFile(src / "test_scale.zip", "w") as zf:
        for q in range(3):
            record = {
                "id": f"s{q}",
                "images": [{"bytes": png(q * 10 + k), "path": None} for k in range(4)],
                "conversations": [
                    {"from": "human", "value": "<image>\nHow far?"},
                    {"from": "gpt", "value": "move z 50"},
                ],
            }
            zf.writestr(f"test_scale/{q}.pkl", pickle.dumps(record))
    summary = import_release(src, tmp_path / "bench")
    items = Benchmark(tmp_path / "bench").items()
    assert summary.by_task == {"T3": 3} and {it.gold for it in items} == {"move z 50"}
    assert {it.prompt for it in items} == {"How far?"} and all(len(it.images) == 4 for it in items)
