"""Which jobs a run still owes: every (item, mode) without a final result, errored ones included."""

from __future__ import annotations

from eval.run.manifest import RunManifest
from eval.run.results import ResultLine
from eval.run.runner import Job


def pending_jobs(manifest: RunManifest, results: dict[tuple[str, str], ResultLine]) -> list[Job]:
    """Item-major order, so an interrupted run leaves complete mode pairs for the items it reached."""
    jobs: list[Job] = []
    for item_id in manifest.item_ids:
        for mode in manifest.modes:
            prev = results.get((mode, item_id))
            if prev is None:
                jobs.append(Job(mode, item_id))
            elif prev.status == "error":
                history = [*prev.error_history, prev.error or "error"]
                jobs.append(Job(mode, item_id, attempt=prev.attempt + 1, history=history))
    return jobs
