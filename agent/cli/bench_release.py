"""`agent bench import` and `agent bench inspect-release`: the official MiSI-Bench release as downloaded.

Everything read from the release (names, field values, messages) is printed as plain text, never as
rich markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from agent.cli.console import make_console

if TYPE_CHECKING:  # the reader loads numpy, PIL and the builder: only when a command runs
    from eval.misi.release.inspect import ArchiveInfo
    from eval.misi.release.summary import ImportSummary

console = make_console()
Mapping = typer.Option(None, "--mapping", help="YAML or JSON file confirming or correcting the mapping.")


def _line(text: str, style: str | None = None) -> None:
    """One line of release-derived text: printed literally, never wrapped mid-path."""
    console.print(Text(text), style=style, soft_wrap=True)


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"


def import_cmd(
    src: Path = typer.Argument(..., metavar="DIR", help="The downloaded release folder (archives and all)."),
    out: Path = typer.Option(..., "--out", help="Benchmark directory to create (new or empty)."),
    structures: Path = typer.Option(
        None, "--structures", help="PDBbind-layout folder (<id>/<id>_protein.pdb …) for structure access."
    ),
    mapping: Path = Mapping,
) -> int:
    """Convert the official release to a benchmark directory for `agent run --data` / `--bench-dir`."""
    from eval.misi.release import import_release, load_mapping

    rules = load_mapping(mapping)
    with console.status("reading the release") as status:
        summary = import_release(
            src, out, structures=structures, mapping=rules, progress=lambda m: status.update(m)
        )
    _print_import(summary)
    return 0 if summary.items else 1


def _print_import(s: ImportSummary) -> None:
    table = Table(title="imported from the release")
    for col in ("archive: member", "records", "items", "task from", "skipped"):
        table.add_column(col)
    for a in s.archives:
        for rf in a.record_files_by_member.values():
            table.add_row(
                Text(f"{a.archive}: {rf.member}"),
                str(rf.records),
                _counts(rf.tasks),
                _counts(rf.task_sources),
                str(sum(rf.skipped.values())),
            )
    console.print(table)
    for a in s.archives:
        if a.unsafe_members:
            _line(f"{a.archive}: skipped unsafe member names: {', '.join(a.unsafe_members)}")
        for rf in a.record_files_by_member.values():
            where = f"{a.archive}: {rf.member}"
            for how, n in rf.task_how.items():
                _line(f"{where}: {n}× {how}")
            for why, n in rf.skipped.items():
                _line(f"skipped: {where}: {n} record(s): {why}")
            for w, n in rf.warnings.items():
                _line(f"warning: {where}: {n} record(s): {w}")
    _line(f"{s.items} items into {s.out}: {_counts(s.by_task)}")
    if s.t4_polarity:
        _line(f"T4 columns: {_counts(s.t4_polarity)}")
    without = f" ({s.without_pdb_id} without a PDB id)" if s.without_pdb_id else ""
    _line(f"{s.with_structure} with structure access, {s.images_only} images only{without}")
    if s.structures_dir and s.structures_missing:
        _line(f"no complex in {s.structures_dir} for {len(s.structures_missing)} PDB id(s)")
    for pdb_id, why in s.structures_unreadable.items():
        _line(f"complex {pdb_id} not linked: {why}")
    inferred = sum(rf.inferred for a in s.archives for rf in a.record_files_by_member.values())
    if inferred:
        _line(f"{inferred} item(s) have an inferred task: confirm them in a --mapping file")


def inspect_cmd(
    src: Path = typer.Argument(..., metavar="DIR", help="The downloaded release folder."),
    mapping: Path = Mapping,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> int:
    """Print each archive's members, record counts, fields with example values and image formats."""
    from eval.misi.release import load_mapping
    from eval.misi.release.inspect import inspect_release

    report = inspect_release(src, load_mapping(mapping))
    if as_json:
        typer.echo(json.dumps([a.model_dump(mode="json") for a in report], indent=1))
    else:
        for a in report:
            _print_archive(a)
    problems = [a for a in report if a.problem]
    for a in problems:
        _line(f"problem: {a.problem}", style="red")
    return 1 if problems else 0


def _print_archive(a: ArchiveInfo) -> None:
    console.rule(Text(f"{a.archive} · {a.kind} · {a.size_bytes / 1e6:.1f} MB · {a.members} members"))
    _line(f"members by type: {_counts(a.by_extension)}")
    if a.sample_members:
        _line("first members: " + ", ".join(a.sample_members))
    if a.unsafe_members:
        _line("unsafe member names (skipped): " + ", ".join(a.unsafe_members))
    _line(f"name says: {a.name_rule or 'no task'}")
    if a.image_members:
        _line(f"image members (headers sampled): {_counts(a.image_members)}")
    for rf in a.record_files:
        table = Table(title=Text(f"{rf.member} · {rf.format} · {rf.records} records"), title_justify="left")
        for col in ("field", "types", "role", "example"):
            table.add_column(col)
        for f in rf.fields:
            table.add_row(Text(f.name), Text(", ".join(f.types)), Text(f.role or ""), Text(f.example))
        console.print(table)
        _line(f"tasks: {_counts(rf.tasks)}")
        for how, n in rf.task_how.items():
            _line(f"  {n}× {how}")
        if rf.skipped:
            _line(f"would skip: {_counts(rf.skipped)}")
        if rf.embedded_images:
            _line(f"embedded images (sampled): {_counts(rf.embedded_images)}")
        if rf.named_images:
            _line(f"images named by path: {rf.named_images}, not found: {rf.named_images_missing}")
