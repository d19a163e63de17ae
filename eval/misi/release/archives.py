"""The folder a user downloaded, as a list of sources: each zip or tar archive, plus the loose files.

Members are read in memory and never extracted, so a member's name cannot place a file anywhere; names
that are absolute or climb out with `..`, and tar links and devices, are skipped and reported. A loose
file is read only if it resolves inside the folder (a symlink cannot lead out of it).
"""

from __future__ import annotations

import posixpath
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eval.misi.release.errors import ReleaseError

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def safe_name(raw: str) -> str | None:
    """A member name as a clean relative POSIX path, or None if it is absolute or leaves the archive."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    norm = posixpath.normpath(name)
    if norm in {".", ""} or norm == ".." or norm.startswith("../"):
        return None
    return norm


@dataclass
class Source:
    """One archive (or the loose files of the folder): safe member names and a way to read them."""

    path: Path
    kind: str  # zip | tar | folder
    names: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)  # skipped member names, verbatim

    @property
    def label(self) -> str:
        return self.path.name if self.kind != "folder" else f"{self.path.name}/ (loose files)"

    def read(self, name: str) -> bytes:
        return next(self.read_many([name]))[1]

    def read_many(self, names: list[str]) -> Iterator[tuple[str, bytes]]:
        """(name, bytes) for every wanted member, in the archive's own order (one pass for tar)."""
        wanted = set(names)
        try:
            if self.kind == "zip":
                with zipfile.ZipFile(self.path) as zf:
                    for zinfo in zf.infolist():
                        zname = safe_name(zinfo.filename)
                        if zname is not None and zname in wanted:
                            yield zname, zf.read(zinfo)
            elif self.kind == "tar":
                with tarfile.open(self.path) as tf:
                    for tinfo in tf:
                        tname = safe_name(tinfo.name)
                        if tinfo.isreg() and tname is not None and tname in wanted:
                            handle = tf.extractfile(tinfo)
                            yield tname, handle.read() if handle else b""
            else:
                for name in sorted(wanted):
                    yield name, self._loose(name).read_bytes()
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise ReleaseError(f"{self.label}: cannot be read ({type(exc).__name__}: {exc})") from None

    def _loose(self, name: str) -> Path:
        root = self.path.resolve()
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise ReleaseError(f"{self.label}: {name} leads outside the folder")
        return target


def _zip_names(path: Path) -> tuple[list[str], list[str]]:
    names, unsafe = [], []
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
        if bad is not None:
            raise ReleaseError(f"{path.name}: member {bad} is corrupt (CRC check failed)")
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = safe_name(info.filename)
            (names.append(name) if name else unsafe.append(info.filename))
    return names, unsafe


def _tar_names(path: Path) -> tuple[list[str], list[str]]:
    names, unsafe = [], []
    with tarfile.open(path) as tf:
        for info in tf:  # reads the whole stream: a truncated archive fails here, before anything is written
            if info.isdir():
                continue
            name = safe_name(info.name)
            if name and info.isreg():
                names.append(name)
            else:
                unsafe.append(info.name)
    return names, unsafe


def open_source(path: Path) -> Source:
    lower = path.name.lower()
    try:
        if lower.endswith(".zip"):
            return Source(path, "zip", *_zip_names(path))
        return Source(path, "tar", *_tar_names(path))
    except ReleaseError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise ReleaseError(f"{path.name}: not a readable archive ({type(exc).__name__}: {exc})") from None


def release_files(folder: Path) -> list[Path]:
    """The folder's files, hidden paths left out (.cache/huggingface download metadata, .git)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReleaseError(f"{folder}: no such folder")
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def loose_source(folder: Path) -> Source | None:
    """The folder's files that are not archives, as one source (None if there are none)."""
    loose = [p.relative_to(folder).as_posix() for p in release_files(folder) if not is_archive(p)]
    return Source(Path(folder), "folder", loose) if loose else None


def open_release(folder: Path) -> list[Source]:
    """Every archive in `folder` (recursively), then its other files as one 'folder' source."""
    sources = [open_source(p) for p in release_files(folder) if is_archive(p)]
    if (loose := loose_source(folder)) is not None:
        sources.append(loose)
    if not sources:
        raise ReleaseError(f"{folder}: holds no archives and no files")
    return sources
