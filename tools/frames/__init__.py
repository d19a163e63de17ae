"""Video frames (PyAV) and contact sheets. `import tools.frames.tools` registers the model-facing tools
(contact_sheet, video_frames). Names load on first use so importing the package stays cheap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.lazy import lazy_getattr

_EXPORTS = {
    "Frame": "video",
    "VideoError": "video",
    "VideoInfo": "video",
    "encode_mp4": "video",
    "format_timestamp": "video",
    "frames_at": "video",
    "frames_at_times": "video",
    "index_at": "video",
    "parse_timestamp": "video",
    "probe": "video",
    "sample_uniform": "video",
    "uniform_indices": "video",
    "contact_sheet": "sheet",
    "frame_caption": "sheet",
    "frame_sheet": "sheet",
    "sheet_size": "sheet",
}

__all__ = [
    "Frame",
    "VideoError",
    "VideoInfo",
    "contact_sheet",
    "encode_mp4",
    "format_timestamp",
    "frame_caption",
    "frame_sheet",
    "frames_at",
    "frames_at_times",
    "index_at",
    "parse_timestamp",
    "probe",
    "sample_uniform",
    "sheet_size",
    "uniform_indices",
]


__getattr__ = lazy_getattr(__name__, _EXPORTS)


if TYPE_CHECKING:
    from tools.frames.sheet import contact_sheet, frame_caption, frame_sheet, sheet_size
    from tools.frames.video import (
        Frame,
        VideoError,
        VideoInfo,
        encode_mp4,
        format_timestamp,
        frames_at,
        frames_at_times,
        index_at,
        parse_timestamp,
        probe,
        sample_uniform,
        uniform_indices,
    )
