"""The exceptions that mean "bad input", shown as one line rather than a traceback."""

from __future__ import annotations

from functools import cache

from pydantic import ValidationError


class UsageProblem(ValueError):
    """A command-line value that is not valid (an unknown task name, an unknown mode, …)."""


_OPTION_NAMES = {"modes": "mode", "name": "model", "items_file": "items"}


def validation_problem(exc: ValidationError) -> UsageProblem:
    """A configuration the pydantic model refused, as one line naming each bad option and value."""
    parts = []
    for error in exc.errors():
        fields = [str(p) for p in error["loc"] if isinstance(p, str) and p != "model"] or ["options"]
        option = _OPTION_NAMES.get(fields[-1], fields[-1])
        if error["type"] == "literal_error":
            valid = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
            parts.append(f"unknown {option.replace('_', ' ')} '{error['input']}' (valid: {valid})")
        else:
            parts.append(f"--{option.replace('_', '-')}: {error['msg']}")
    return UsageProblem("; ".join(parts))


@cache
def user_errors() -> tuple[type[BaseException], ...]:
    """Looked up when an error happens, so starting the CLI loads none of the science behind them."""
    from agent.model_choice import ModelChoiceError
    from eval.benchmark import BenchmarkError
    from eval.misi.official import OfficialFormatError
    from eval.run.rundir import RunDirError
    from prompts import PromptError
    from tools.structure.model import StructureError

    return (
        UsageProblem,
        ModelChoiceError,
        BenchmarkError,
        OfficialFormatError,
        RunDirError,
        StructureError,
        PromptError,
        FileNotFoundError,
    )
