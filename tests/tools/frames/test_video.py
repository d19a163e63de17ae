"""Video round trip on real microscopy frames: encode, probe, sample, frames by time; contact sheet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.frames.sheet import frame_sheet, sheet_size
from tools.frames.video import (
    VideoError,
    encode_mp4,
    encoder_name,
    format_timestamp,
    frames_at,
    frames_at_times,
    parse_timestamp,
    probe,
    sample_uniform,
    uniform_indices,
)

FRAMES = Path(__file__).resolve().parents[3] / "eval" / "data" / "videos" / "trackpy_bulk_water"


@pytest.fixture(scope="module")
def sources() -> list[Image.Image]:
    return [Image.open(p).convert("RGB") for p in sorted(FRAMES.glob("bulk_water_*.png"))]


@pytest.fixture(scope="module")
def video(sources: list[Image.Image], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return encode_mp4(sources, tmp_path_factory.mktemp("video") / "bulk_water.mp4", fps=24)


def test_encode_is_atomic_and_probe_matches(video: Path, sources: list[Image.Image]) -> None:
    assert len(sources) == 24
    assert [p.name for p in video.parent.iterdir()] == [video.name]  # no temporary file left behind
    info = probe(video)
    assert info.n_frames == 24
    assert info.fps == pytest.approx(24.0)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert (info.width, info.height) == sources[0].size
    assert encoder_name() in {"libx264", "mpeg4"}


def test_uniform_sampling_follows_linspace_rule(video: Path) -> None:
    for n in (1, 5, 8, 16, 24):
        expected = [int(i) for i in np.round(np.linspace(0, 23, n))]
        assert uniform_indices(24, n) == expected
        assert [f.index for f in sample_uniform(video, n)] == expected


def test_frames_at_time(video: Path) -> None:
    for t in ("00:00.5", 0.5, "0:00.5"):
        (f,) = frames_at_times(video, [t])
        assert f.index == 12
        assert f.time == pytest.approx(0.5)
    first, last = frames_at_times(video, ["00:00", "00:01"])
    assert (first.index, last.index) == (0, 23)
    assert last.time == pytest.approx(23 / 24)


def test_decoded_frames_match_sources(video: Path, sources: list[Image.Image]) -> None:
    """Order and content survive the round trip: each decoded frame is closest to its own source."""
    got = frames_at(video, [20, 3, 3])
    assert [f.index for f in got] == [20, 3, 3]
    for f in got:
        errors = [np.abs(np.asarray(f.image, float) - np.asarray(s, float)).mean() for s in sources]
        assert int(np.argmin(errors)) == f.index
        assert errors[f.index] < 2.0  # mean grey levels: crf 18 keeps even the camera noise close


@pytest.mark.parametrize("t", ["00:01.5", "1:00", 2.0, -0.1])
def test_out_of_range_time_is_an_error(video: Path, t: str | float) -> None:
    with pytest.raises(VideoError, match="outside the video"):
        frames_at_times(video, [t])


def test_out_of_range_index_is_an_error(video: Path) -> None:
    with pytest.raises(VideoError, match="0 to 23"):
        frames_at(video, [24])


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="not found"):
        probe(tmp_path / "none.mp4")


def test_parse_and_format_timestamps() -> None:
    assert parse_timestamp("01:05") == 65.0
    assert parse_timestamp("1:05.5") == 65.5
    assert parse_timestamp("01:02:03") == 3723.0
    assert parse_timestamp(" 12.5 ") == 12.5
    assert parse_timestamp(7) == 7.0
    for bad in ("1:60", "ab", "1:2:3:4", "1.5:00", ""):
        with pytest.raises(VideoError):
            parse_timestamp(bad)
    assert format_timestamp(0.5) == "00:00.5"
    assert format_timestamp(65.25) == "01:05.2"
    assert format_timestamp(23 / 24) == "00:00.9"  # the last frame of a 1 s video, not "00:01.0"
    assert format_timestamp(3723.0) == "1:02:03.0"


def test_odd_sizes_are_padded_for_yuv420p(tmp_path: Path) -> None:
    images = [np.full((33, 47, 3), 40 * k, np.uint8) for k in range(5)]
    info = probe(encode_mp4(images, tmp_path / "odd.mp4", fps=10))
    assert (info.width, info.height, info.n_frames) == (48, 34, 5)


def test_contact_sheet_size(video: Path) -> None:
    frames = sample_uniform(video, 8)
    sheet = frame_sheet(frames, thumb_width=160)
    thumb = (160, round(160 * 424 / 640))
    assert sheet.size == sheet_size(8, thumb)
    assert 3 * thumb[0] < sheet.width < 4 * thumb[0]  # 3 columns x 3 rows, with gaps and captions
    assert 3 * thumb[1] < sheet.height < 4 * thumb[1]
