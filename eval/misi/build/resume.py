"""Which rendered images a rerun can keep: complete PNG files (renders are written atomically, so a
partial file only appears after a crash of the machine itself, e.g. an image never flushed to disk)."""

from __future__ import annotations

from pathlib import Path

_PNG_START = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"  # the IEND chunk's type and CRC: the last 8 bytes of every PNG


def png_complete(path: Path) -> bool:
    """True when `path` starts and ends like a PNG; a broken file is removed so it is rendered again."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 8))
            tail = handle.read(8)
    except FileNotFoundError:
        return False
    if head == _PNG_START and tail == _PNG_END:
        return True
    path.unlink(missing_ok=True)
    return False
