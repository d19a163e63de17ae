"""The restricted unpickler: plain data, numpy, pandas and PIL load; anything that would run code is
refused with one line naming the archive, the member and the class, and its side effect never happens."""

from __future__ import annotations

import builtins
import io
import os
import pickle
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from eval.misi.release import ReleaseError, import_release
from eval.misi.release.safe_pickle import RefusedPickle, load_pickle
from tests.release_support import Hostile, hostile_zip


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_plain_data_numpy_pandas_and_pil_round_trip(protocol: int) -> None:
    png = Image.new("RGB", (5, 4), (10, 20, 30))
    buf = io.BytesIO()
    png.save(buf, "PNG")
    opened = Image.open(io.BytesIO(buf.getvalue()))
    opened.load()
    frame = pd.DataFrame({"a": [1, 2], "s": ["x", "y"], "b": [b"1", b"2"], "f": [0.5, np.nan]})
    data = {
        "ints": [1, 2**70, -3],
        "mixed": (1.5, 2j, "text", b"bytes", bytearray(b"ba"), None, True),
        "sets": [{1, 2}, frozenset({"a"})],
        "array": np.arange(12, dtype=np.uint8).reshape(3, 4),
        "objects": np.array([b"x", None, "s"], dtype=object),
        "scalar": np.float32(2.5),
        "frame": frame,
        "series": frame["s"],
        "image": png,
        "png": opened,
    }
    back = load_pickle(pickle.dumps(data, protocol=protocol), "a.zip: m.pkl")
    assert back["ints"] == data["ints"] and back["mixed"] == data["mixed"] and back["sets"] == data["sets"]
    assert np.array_equal(back["array"], data["array"]) and back["array"].dtype == np.uint8
    assert list(back["objects"]) == [b"x", None, "s"] and back["scalar"] == np.float32(2.5)
    pd.testing.assert_frame_equal(back["frame"], frame)
    assert list(back["series"]) == ["x", "y"]
    assert back["image"].tobytes() == png.tobytes() and back["png"].size == (5, 4)


PAYLOADS = {
    "os.system": lambda target: Hostile(os.system, f"touch {target}"),
    "builtins.open": lambda target: Hostile(builtins.open, str(target), "w"),
    "subprocess.Popen": lambda target: Hostile(subprocess.Popen, ["touch", str(target)]),
    "builtins.exec": lambda target: Hostile(exec, f"open({str(target)!r}, 'w').close()"),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_hostile_pickle_is_refused_and_runs_nothing(name: str, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    payload = PAYLOADS[name](target)
    # the payload really does create the file when unpickled the ordinary way
    control = tmp_path / "control"
    pickle.loads(pickle.dumps(PAYLOADS[name](control)))
    if name == "subprocess.Popen":
        for _ in range(100):
            if control.exists():
                break
            import time

            time.sleep(0.05)
    assert control.exists()
    release = tmp_path / "release"
    hostile_zip(release, payload)
    with pytest.raises(RefusedPickle) as caught:
        import_release(release, tmp_path / "bench")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("test-location-1160.zip: test-location-1160/evil.pkl: pickle refused")
    module = {"os.system": "posix.system", "builtins.open": "io.open"}.get(name, name)
    assert module in message
    assert not target.exists()
    assert not (tmp_path / "bench").exists() and not list(tmp_path.glob(".bench*"))


def test_getattr_chains_and_globals_are_refused() -> None:
    for module, name in [
        ("builtins", "getattr"),
        ("builtins", "__import__"),
        ("numpy", "load"),
        ("pandas", "read_pickle"),
        ("builtins", "eval"),
        ("os", "system"),
    ]:
        data = f"c{module}\n{name}\n.".encode()  # protocol 0 GLOBAL opcode, then STOP
        with pytest.raises(RefusedPickle, match=f"{module}.{name}"):
            load_pickle(data, "x.zip: y.pkl")


def test_a_truncated_pickle_is_one_clear_error() -> None:
    data = pickle.dumps([{"a": 1}] * 10)[:-7]
    with pytest.raises(ReleaseError, match=r"^x\.zip: y\.pkl: not a readable pickle"):
        load_pickle(data, "x.zip: y.pkl")
