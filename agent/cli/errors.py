"""The exceptions that mean "bad input", shown as one line rather than a traceback."""

from __future__ import annotations

from eval.bench import BenchmarkError
from eval.misi.official import OfficialFormatError
from eval.run.rundir import RunDirError
from prompts import PromptError
from tools.render.pool import EngineUnavailable
from tools.structure import StructureError


class UsageProblem(ValueError):
    """A command-line value that is not valid (an unknown task name, an unknown mode, …)."""


USER_ERRORS: tuple[type[BaseException], ...] = (
    UsageProblem,
    BenchmarkError,
    OfficialFormatError,
    RunDirError,
    StructureError,
    PromptError,
    EngineUnavailable,
    FileNotFoundError,
)
