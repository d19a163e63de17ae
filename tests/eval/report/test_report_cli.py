"""`agent report` in-process: output, --out, and one-line errors with exit code 2 for bad input."""

from __future__ import annotations

import json

import pytest

from agent.cli import main
from eval.run.manifest import MANIFEST
from eval.run.results import RESULTS


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_report_json_to_stdout_and_markdown_to_file(misi_run, tmp_path, capsys) -> None:
    code, out, err = _run(["report", str(misi_run), "--format", "json", "--resamples", "200"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [a["label"] for a in data["arms"]] == ["r1/direct", "r1/tools"]
    assert data["bootstrap"]["resamples"] == 200
    target = tmp_path / "out" / "report.md"
    (tmp_path / "out").mkdir()
    code, out, err = _run(["report", str(misi_run), "--format", "markdown", "--out", str(target)], capsys)
    assert code == 0, err
    assert "| r1/tools |" in target.read_text() and str(target) in out


def test_mode_filter_keeps_one_arm(misi_run, capsys) -> None:
    code, out, _ = _run(["report", str(misi_run), "--format", "json", "--mode", "tools"], capsys)
    assert code == 0 and [a["mode"] for a in json.loads(out)["arms"]] == ["tools"]
    code, _, err = _run(["report", str(misi_run), "--mode", "magic"], capsys)
    assert code == 2 and "mode magic not in the runs" in err


def _one_line_error(argv: list[str], capsys) -> str:
    code, _, err = _run(argv, capsys)
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    return err


def test_missing_run_dir(tmp_path, capsys) -> None:
    err = _one_line_error(["report", str(tmp_path / "nope")], capsys)
    assert err.startswith("error: ") and f"{tmp_path / 'nope'}: no such directory" in err


def test_dir_without_results(tmp_path, capsys) -> None:
    (tmp_path / "run").mkdir()
    assert f"no {RESULTS}" in _one_line_error(["report", str(tmp_path / "run")], capsys)


def test_empty_run(misi_run, capsys) -> None:
    (misi_run / RESULTS).write_text('{"torn": ')  # only a torn line: nothing finished
    assert "holds no finished items" in _one_line_error(["report", str(misi_run)], capsys)


def test_bad_manifest(misi_run, capsys) -> None:
    (misi_run / MANIFEST).write_text("{}")
    assert "not a valid run manifest" in _one_line_error(["report", str(misi_run)], capsys)


def test_unknown_format(misi_run, capsys) -> None:
    assert "unknown format 'html'" in _one_line_error(["report", str(misi_run), "--format", "html"], capsys)


def test_out_in_a_missing_folder_is_refused_and_nothing_is_created(misi_run, tmp_path, capsys) -> None:
    target = tmp_path / "missing" / "dir" / "x.csv"
    err = _one_line_error(["report", str(misi_run), "--format", "csv", "--out", str(target)], capsys)
    assert "does not exist" in err and not (tmp_path / "missing").exists()


def _items(out: str) -> int:
    return sum(a["n_items"] for a in json.loads(out)["arms"])


def test_a_garbled_middle_line_is_named_and_fails_unless_skipped(misi_run, capsys) -> None:
    path = misi_run / RESULTS
    before = _items(_run(["report", str(misi_run), "--format", "json"], capsys)[1])
    lines = path.read_text().splitlines(keepends=True)
    lines[3] = lines[3][:40] + "\n"  # a line cut short, in the middle of the file
    path.write_text("".join(lines))
    err = _one_line_error(["report", str(misi_run)], capsys)
    assert f"{path}, line 4: not JSON" in err and "--skip-bad-lines" in err
    code, out, err = _run(["report", str(misi_run), "--format", "json", "--skip-bad-lines"], capsys)
    assert code == 0 and f"{path}, line 4: not JSON" in err
    report = json.loads(out)
    assert _items(out) == before - 1
    named = [n for n in report["notes"] if str(path) in n]
    assert len(named) == 1 and "line 4" in named[0]
