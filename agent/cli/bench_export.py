"""`agent bench export`: a built benchmark as a Hugging Face dataset or as fine-tuning conversations."""

from __future__ import annotations

import os
import time
from pathlib import Path

import typer

from agent.cli.build_progress import BuildProgress
from agent.cli.console import make_console
from agent.cli.errors import UsageProblem
from agent.cli.options import existing_dir, split_list

console = make_console()


def export_cmd(
    bench_dir: Path = typer.Argument(
        ..., metavar="BENCH_DIR", help="A benchmark built by `agent bench build`."
    ),
    fmt: str = typer.Option(..., "--format", help="hf (parquet dataset) | sft (LLaMA-Factory and ms-swift)."),
    out: Path = typer.Option(..., "--out", help="Directory to write the export in (created if needed)."),
    splits: list[str] = typer.Option(
        None, "--splits", help="Splits to export, e.g. train,test (default: hf all, sft train)."
    ),
    save_to_disk: bool = typer.Option(
        False, "--save-to-disk", help="hf: also write OUT/disk for load_from_disk."
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", min=1, help="Processes for missing images."
    ),
) -> None:
    """Export items with their images, prompts and gold answers for sharing or for training."""
    if fmt not in {"hf", "sft"}:
        raise UsageProblem(f"unknown export format '{fmt}' (valid: hf, sft)")
    if save_to_disk and fmt != "hf":
        raise UsageProblem("--save-to-disk applies to --format hf only")
    existing_dir(bench_dir, "BENCH_DIR")
    from eval.export.source import find_splits

    chosen = split_list(splits) or (list(find_splits(bench_dir)) if fmt == "hf" else ["train"])
    start = time.perf_counter()
    try:
        with BuildProgress() as progress:
            if fmt == "hf":
                from eval.export.hf import export_hf

                rows = export_hf(bench_dir, out, chosen, workers, save_to_disk, progress)
            else:
                from eval.export.sft import export_sft

                rows = export_sft(bench_dir, out, chosen, workers, progress)
    except ModuleNotFoundError as exc:
        if exc.name not in {"datasets", "pyarrow"}:
            raise
        raise UsageProblem(
            f"the {fmt} export needs {exc.name}: pip install 'molspatial-agent[export]'"
        ) from exc
    counts = ", ".join(f"{s} {n}" for s, n in rows.items())
    console.print(
        f"exported {counts} rows to {out} ({fmt}) in {time.perf_counter() - start:.1f} s", soft_wrap=True
    )
