"""One session of a run: what it still owes, running it under a lock, and recording how it went.

A run directory is made once (its manifest written) and then run by one or more sessions: the first, and
each resume. A session runs only the (mode, item) jobs without a final result, appends each result as it
completes, and records its start, end, counts and whether it was interrupted in the manifest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from eval.benchmark import Benchmark
from eval.run.manifest import RunManifest, Session
from eval.run.plan import pending_jobs
from eval.run.rundir import RunDir
from eval.run.runner import Events, Job, Solver, execute
from eval.run.tally import Tally
from eval.settings import SolveSettings


@dataclass
class RunOutcome:
    """How a session ended: figures per mode, and whether the run is complete."""

    root: str
    tallies: dict[str, Tally]
    interrupted: bool = False
    missing: int = 0  # (mode, item) pairs with no result line yet

    @property
    def errors(self) -> int:
        return sum(t.errors for t in self.tallies.values())

    @property
    def exit_code(self) -> int:
        """0 complete, 1 some items errored (resume reruns them), 130 interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.errors or self.missing else 0


@dataclass
class RunSession:
    """A run directory opened for one session, with the jobs it still owes."""

    target: RunDir
    manifest: RunManifest
    bench: Benchmark
    solver: Solver
    concurrency: int
    jobs: list[Job] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # items per mode
    done: dict[str, int] = field(default_factory=dict)  # items per mode already finished

    @classmethod
    def open(
        cls, target: RunDir, manifest: RunManifest, bench: Benchmark, solver: Solver, concurrency: int
    ) -> RunSession:
        """Lock the directory and list what is owed. The caller has written the manifest already."""
        target.lock()
        results = target.results()
        done = {
            m: sum(1 for (mm, _), r in results.items() if mm == m and r.status != "error")
            for m in manifest.modes
        }
        return cls(
            target, manifest, bench, solver, concurrency,
            jobs=pending_jobs(manifest, results),
            totals={m: len(manifest.item_ids) for m in manifest.modes},
            done=done,
        )  # fmt: skip

    def run(self, events: Events | None = None, argv: Sequence[str] = ()) -> RunOutcome:
        """Run the owed jobs; Ctrl-C stops the session cleanly (results so far are kept)."""
        manifest, target = self.manifest, self.target
        session = Session(started_at=time.time(), argv=list(argv), attempted=len(self.jobs))
        manifest.sessions.append(session)
        manifest.concurrency = self.concurrency
        target.write_manifest(manifest)
        base = SolveSettings.model_validate(manifest.settings)

        def settings_for(mode: str) -> SolveSettings:
            return base.model_copy(update={"mode": mode})

        interrupted = False
        try:
            used = asyncio.run(
                execute(
                    self.jobs, bench=self.bench, solver=self.solver, settings_for=settings_for, run=target,
                    concurrency=self.concurrency, events=events,
                )
            )  # fmt: skip
            manifest.prompt_hashes.update(used)
        except KeyboardInterrupt:
            interrupted = True
        try:
            return self._close(session, interrupted)
        finally:
            target.unlock()

    def _close(self, session: Session, interrupted: bool) -> RunOutcome:
        manifest, target = self.manifest, self.target
        final = target.results()
        tallies: dict[str, Tally] = {m: Tally() for m in manifest.modes}
        for (mode, _), line in final.items():
            if mode in tallies:
                tallies[mode].add(line)
        session.finished_at = time.time()
        session.completed = sum(1 for line in final.values() if line.finished_at >= session.started_at)
        session.errors = sum(1 for line in final.values() if line.status == "error")
        session.interrupted = interrupted
        missing = len(manifest.item_ids) * len(manifest.modes) - sum(t.n for t in tallies.values())
        if not interrupted and missing == 0:
            manifest.finished_at = session.finished_at
        target.write_manifest(manifest)
        return RunOutcome(str(target.root), tallies, interrupted, missing)
