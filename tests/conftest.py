"""Shared fixtures: the bundled complexes, and a guard that fails any test reaching past loopback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPLEXES = ROOT / "eval" / "data" / "complexes"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections are allowed to 127.0.0.1 / ::1 / localhost only: a live model call fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address) -> None:  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} and "/" not in host:
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches go to a per-session temporary directory, never the user's home."""
    monkeypatch.setenv("MOLSPATIAL_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def complexes_dir() -> Path:
    return COMPLEXES


@pytest.fixture(scope="session")
def small_bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small benchmark (two complexes, every task, 160 px images), planned now and rendered on first use."""
    import shutil

    from eval.misi.build.builder import BuildConfig, build

    src = tmp_path_factory.mktemp("small-complexes")
    for pdb_id in ("1acj", "1g9v"):
        shutil.copytree(COMPLEXES / pdb_id, src / pdb_id)
    shutil.copy(COMPLEXES / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("small-bench")
    build(BuildConfig(src, out, per_task=1, seed=1, image_size=160, render=False))
    return out


def _rendered_bench(tmp_path_factory: pytest.TempPathFactory, pdb_id: str, tasks: list[str], name: str):
    """One bundled complex's items of `tasks`, at 512 px, rendered now."""
    import shutil

    from eval.misi.bench import MisiBenchmark
    from eval.misi.build.builder import BuildConfig, build

    src = tmp_path_factory.mktemp(f"{name}-complexes")
    shutil.copytree(COMPLEXES / pdb_id, src / pdb_id)
    shutil.copy(COMPLEXES / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp(f"{name}-bench")
    build(BuildConfig(src, out, per_task=1, seed=3, tasks=tasks, image_size=512, render=True))
    return MisiBenchmark(out)


@pytest.fixture(scope="session")
def bench_512(tmp_path_factory: pytest.TempPathFactory):
    """1acj's rotation and zoom items at 512 px, rendered now: labels legible for OCR (perception tests)."""
    return _rendered_bench(tmp_path_factory, "1acj", ["T2", "T3"], "perception")


@pytest.fixture(scope="session")
def six_views_512(tmp_path_factory: pytest.TempPathFactory):
    """1g9v's interaction-location item at 512 px: one scene in all six standard views."""
    return _rendered_bench(tmp_path_factory, "1g9v", ["T8"], "six-view")


@pytest.fixture(scope="session")
def primed_six_views_512(tmp_path_factory: pytest.TempPathFactory):
    """1h2t's interaction-location item at 512 px: a ligand whose names come plain and primed ("O3'")."""
    return _rendered_bench(tmp_path_factory, "1h2t", ["T8"], "primed-six-view")


@pytest.fixture()
def fake_openai():
    """`fake_openai(reply, reply, ..., default=None, validate=True)` starts a scripted OpenAI-compatible
    server on 127.0.0.1 (stopped after the test)."""
    from tests.agent.models.fake_openai_server import FakeOpenAIServer

    servers: list[FakeOpenAIServer] = []

    def start(*script, default=None, validate: bool = True) -> FakeOpenAIServer:
        server = FakeOpenAIServer(script, default=default, validate=validate).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def _no_base_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller's OPENAI_BASE_URL must not redirect the tests' clients (tests that need it set it)."""
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
