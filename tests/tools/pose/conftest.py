"""The perception tests' real renders (known cameras), shared with the hypothesis tests."""

from tests.tools.perception.conftest import hvi, renders  # noqa: F401
