"""`agent bench import` and `agent bench inspect-release` as a user runs them, and an imported
images-only T1 item (no camera, no structure) solved end to end by the built-in policy."""

from __future__ import annotations

import json
import pickle
import zipfile
from pathlib import Path

from eval.trace import Trace
from tests.agent.cli.clirun import run_agent
from tests.release_support import Hostile, hostile_zip, png, release, zip_from_items

COMPLEXES = Path(__file__).resolve().parents[3] / "eval" / "data" / "complexes"


def test_import_writes_a_benchmark_that_run_and_solve_open(tmp_path: Path) -> None:
    src = release(tmp_path / "release")
    bench = tmp_path / "bench"
    proc = run_agent("bench", "import", str(src), "--out", str(bench), "--structures", str(COMPLEXES))
    assert proc.returncode == 0, proc.stderr
    assert "13 items into" in proc.stdout and "T3 2, T4 6, T7 1, T8 2, T9 2" in proc.stdout
    assert "10 with structure access, 3 images only" in proc.stdout
    assert "T4 columns: neg 3, pos 3" in proc.stdout and "13 item(s) have an inferred task" in proc.stdout
    listed = run_agent("bench", "list", "--bench-dir", str(bench), "--task", "T8")
    assert listed.stdout.split() == ["misi-T8-test-location-1160-loc-0", "misi-T8-test-location-1160-loc-1"]
    (tmp_path / "ids.txt").write_text("misi-T8-test-location-1160-loc-1\nmisi-T3-test_scale-z1\n")
    run = run_agent(
        "run",
        "--data",
        str(bench),
        "--items",
        str(tmp_path / "ids.txt"),
        "--mode",
        "tools",
        "--run-dir",
        str(tmp_path / "run"),
        env={"OPENAI_API_KEY": ""},
    )
    assert run.returncode == 0, run.stderr
    lines = {
        (r := json.loads(raw))["item_id"]: r
        for raw in (tmp_path / "run" / "results.jsonl").read_text().splitlines()
    }
    # the fixture's prompt names no bond, so the policy cannot locate one and says so (never a guess);
    # the zoom item's complex (5xyz) is not in --structures and it has no camera: it abstains too
    located, zoom = lines["misi-T8-test-location-1160-loc-1"], lines["misi-T3-test_scale-z1"]
    assert (located["status"], located["has_structure"]) == ("unparseable", True)
    assert (zoom["status"], zoom["has_structure"]) == ("unparseable", False)
    report = run_agent("report", str(tmp_path / "run"), "--format", "markdown", env={"COLUMNS": "200"})
    assert report.returncode == 0, report.stderr
    assert "1 of 2 items had no structure and ran with images only" in report.stdout


def test_a_hostile_pickle_stops_the_import_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "created-by-pickle"
    src = hostile_zip(tmp_path / "release", Hostile(open, str(target), "w")).parent
    proc = run_agent("bench", "import", str(src), "--out", str(tmp_path / "bench"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert (
        "test-location-1160.zip: test-location-1160/evil.pkl: pickle refused: it names io.open" in proc.stderr
    )
    assert not target.exists() and not (tmp_path / "bench").exists()


def test_a_corrupt_archive_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    src = release(tmp_path / "release")
    data = (src / "test-location-1160.zip").read_bytes()
    (src / "test-location-1160.zip").write_bytes(data[: len(data) // 3])
    proc = run_agent("bench", "import", str(src), "--out", str(tmp_path / "bench"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: test-location-1160.zip: ") and proc.stderr.strip().count("\n") == 0
    assert not (tmp_path / "bench").exists() and not list(tmp_path.glob(".bench*"))


def test_inspect_release_prints_each_archives_schema_verbatim(tmp_path: Path) -> None:
    src = release(tmp_path / "release")
    with zipfile.ZipFile(src / "test_rotation.zip", "w") as zf:
        records = [
            {
                "qid": "[bold red]r1[/]",
                "question": "Rotate? [link=x]y[/link]",
                "gt": "roll y 30",
                "img_1": png(1),
                "img_2": png(2),
                "img_3": png(3),
                "img_4": png(4),
            }
        ]
        zf.writestr("rot/rows.pkl", pickle.dumps(records))
    proc = run_agent("bench", "inspect-release", str(src), env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in [
        "test_scale.tar.gz · tar",
        "test_scale/test-00000-of-00001.parquet · parquet · 2 records",
        "bind_multiview_test/test.pkl · pickle · 3 records",
        "tasks: T7 1, T9 2",
        "test-interaction-neg-1160/test.jsonl · jsonl · 3 records",
        "images named by path: 18, not found: 0",
        "image members (headers sampled): PNG 24x24 RGB 18",
        "embedded images (sampled): PNG 24x24 RGB",
        "'[bold red]r1[/]'",
        "'Rotate? [link=x]y[/link]'",
        "'roll y 30'",
        "tasks: T2 1",
    ]:
        assert text in out, text
    assert "image_paths" in out and "[6 items] 'images/0_0.png'" in out
    as_json = json.loads(run_agent("bench", "inspect-release", str(src), "--json").stdout)
    rot = next(a for a in as_json if a["archive"] == "test_rotation.zip")
    fields = {f["name"]: f for f in rot["record_files"][0]["fields"]}
    assert fields["gt"]["role"] == "answer" and fields["img_3"]["role"] == "images"
    assert fields["img_1"]["types"] == ["bytes(png)"]
    (src / "broken.tar.gz").write_bytes(b"\x1f\x8b\x08 not really")
    broken = run_agent("bench", "inspect-release", str(src))
    assert broken.returncode == 1 and "problem: broken.tar.gz: not a readable archive" in broken.stdout


def test_an_imported_images_only_t1_item_is_solved_without_crashing(
    small_bench: Path, tmp_path: Path
) -> None:
    """An official item gives images and a PDB id: measured with a linked structure, else abstained on."""
    src = tmp_path / "release"
    zip_from_items(src, small_bench, ["misi-T1-1acj-0"], "test-translation-1160")
    bench = tmp_path / "bench"
    assert run_agent("bench", "import", str(src), "--out", str(bench)).returncode == 0
    linked = tmp_path / "bench-structures"
    assert (
        run_agent(
            "bench", "import", str(src), "--out", str(linked), "--structures", str(COMPLEXES)
        ).returncode
        == 0
    )
    item_id = "misi-T1-test-translation-1160-misi-t1-1acj-0"
    for where, access in [(bench, "images"), (bench, "structure"), (linked, "structure")]:
        out = tmp_path / f"traces-{where.name}-{access}"
        proc = run_agent(
            "solve",
            "--item",
            item_id,
            "--bench-dir",
            str(where),
            "--access",
            access,
            "--out",
            str(out),
            env={"OPENAI_API_KEY": ""},
        )
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr and "KeyError" not in proc.stdout
        trace = Trace.model_validate_json(next(out.glob(f"{item_id}.tools.*.json")).read_text())
        tool_steps = [s for s in trace.steps if s.kind == "tool"]
        assert trace.error is None and len(tool_steps) == 1  # one measurement, then the answer: no loop
        if where == linked:  # with its structure, the camera is fitted from the images: measured, right
            assert [s.name for s in tool_steps] == ["test_poses"] and trace.exact_match
        else:  # images only, no camera and too few labels: an abstention that says why, never a guess
            reason, _, closing = (trace.final_text or "").partition("\n")
            assert trace.parseable is False and trace.score == 0.0 and reason
            assert closing == "I cannot determine the answer with the tools available in this run."
