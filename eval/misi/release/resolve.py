"""Finding the member an image path names. Paths in records are relative to the record file, to the
archive root, or carry a prefix from the authors' machine (`/data/misi/test_scale/…`): the path is tried
as given, beside the record file, and then by its longest trailing part that names exactly one member."""

from __future__ import annotations

import posixpath
from collections import defaultdict

from eval.misi.release.archives import safe_name


class MemberIndex:
    def __init__(self, names: list[str]) -> None:
        self.names = set(names)
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for name in names:
            parts = name.split("/")
            for k in range(len(parts)):
                self.by_suffix["/".join(parts[k:])].append(name)

    def find(self, path: str, beside: str = "") -> tuple[str | None, str]:
        """(member, how) or (None, why not)."""
        clean = safe_name(path.lstrip("/").replace("\\", "/")) or ""
        for candidate, how in (
            (posixpath.normpath(posixpath.join(beside, clean)), "beside"),
            (clean, "as given"),
        ):
            if candidate in self.names:
                return candidate, how
        parts = clean.split("/")
        for k in range(len(parts)):
            hits = self.by_suffix.get("/".join(parts[k:]), [])
            if len(hits) == 1:
                return hits[0], "by trailing path"
            if len(hits) > 1:
                return None, f"'{path}' matches {len(hits)} members"
        return None, f"'{path}' names no member"
