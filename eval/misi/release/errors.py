"""The one error type of the release reader: a message of one line naming the archive, member and problem."""

from __future__ import annotations


class ReleaseError(ValueError):
    """A downloaded release that cannot be read as it is (corrupt archive, refused pickle, bad mapping)."""
