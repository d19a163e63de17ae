"""Opening a benchmark directory: listing items, fetching one by id, and rendering its images on demand.

Without an explicit directory the bundled MiSI-style benchmark is used: it is planned on first use into
the cache (MOLSPATIAL_CACHE, default ~/.cache/molspatial-agent) from the complexes shipped in
eval/data/complexes, and each item's images are rendered the first time the item is used. A full build
with `agent bench build` renders everything up front instead; both give the same files.
"""

from __future__ import annotations

import difflib
import hashlib
from functools import cached_property
from pathlib import Path

from eval.benchmark import BenchmarkError, Opening, Verdict, check_task_names
from eval.bundled import BUNDLED_COMPLEXES
from eval.items import Item, ItemView
from eval.misi.judge import judge_misi
from eval.opening import image_opening
from eval.settings import SolveSettings
from tools.paths import cache_dir

BUNDLED_SEED = 0
BUNDLED_PER_TASK = 2


class MisiBenchmark:
    """A MiSI-Bench directory: items/<id>.json, images/ (rendered on demand), structures/."""

    name = "misi"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if not (self.root / "items").is_dir():
            raise BenchmarkError(f"{self.root}: not a benchmark directory (no items/ folder)")

    @cached_property
    def ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "items").glob("*.json"))

    def item(self, item_id: str) -> Item:
        path = self.root / "items" / f"{item_id}.json"
        if not path.is_file():
            close = difflib.get_close_matches(item_id, self.ids, n=5, cutoff=0.5)
            hint = f"; close matches: {', '.join(close)}" if close else f"; {len(self.ids)} items exist"
            raise BenchmarkError(f"unknown item '{item_id}' in {self.root}{hint}")
        return Item.read(path)

    @cached_property
    def _task_by_id(self) -> dict[str, str]:
        return {i: self.item(i).task for i in self.ids}

    def task_of(self, item_id: str) -> str:
        if item_id not in self._task_by_id:
            self.item(item_id)  # raises the unknown-id error with close matches
        return self._task_by_id[item_id]

    @cached_property
    def tasks(self) -> list[str]:
        return sorted(set(self._task_by_id.values()))

    def items(self, tasks: list[str] | None = None) -> list[Item]:
        chosen = [self.item(i) for i in self.ids]
        return [it for it in chosen if not tasks or it.task in tasks]

    def check_tasks(self, tasks: list[str]) -> list[str]:
        return check_task_names(tasks, self.tasks)

    def opening(self, item: ItemView, settings: SolveSettings, workdir: Path | None = None) -> Opening:
        return image_opening(item, self.root, settings)

    def answer_budget(self, item: ItemView, settings: SolveSettings) -> int | None:
        return settings.max_tokens

    def judge(self, item: Item, text: str | None, settings: SolveSettings) -> Verdict:
        return judge_misi(item, text)

    def ensure_images(self, item: Item | ItemView, workers: int = 1) -> None:
        """Render any of the item's images that are not on disk yet (lazy benchmarks)."""
        missing = [im for im in item.images if not (self.root / im.path).is_file()]
        if not missing:
            return
        stored = item if isinstance(item, Item) else self.item(item.id)
        specs = stored.generation.get("images") or []
        if len(specs) != len(stored.images):
            raise BenchmarkError(f"{item.id}: images missing and no render specs stored to make them")
        from tools.render import RenderSpec, render_specs

        jobs = {
            im.path: (RenderSpec.model_validate(spec), self.root / im.path)
            for im, spec in zip(stored.images, specs)
            if not (self.root / im.path).is_file()
        }
        render_specs(list(jobs.values()), base=self.root, workers=workers)


def _bundled_key() -> str:
    """Changes whenever the shipped complexes, prompts or builder code change."""
    h = hashlib.sha256()
    here, top = Path(__file__).parent.parent, Path(__file__).parent.parent.parent
    roots = [
        BUNDLED_COMPLEXES,
        here / "items.py",
        here / "misi" / "build",
        here / "misi" / "hbonds",
        top / "prompts" / "misi",
        top / "tools" / "camera.py",
        top / "tools" / "refs.py",
        top / "tools" / "structure",
        top / "tools" / "render",
    ]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if f.suffix in {".pyc"} or "__pycache__" in f.parts:
                continue
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def bundled_dir() -> Path:
    return cache_dir() / "bench" / f"misi-bundled-{_bundled_key()}"


def open_misi(bench_dir: Path | None = None) -> MisiBenchmark:
    """The benchmark in `bench_dir`, or the bundled one (planned into the cache on first use)."""
    if bench_dir is not None:
        return MisiBenchmark(bench_dir)
    root = bundled_dir()
    if not (root / "bench.json").is_file():
        from eval.misi.build.builder import BuildConfig, build

        build(BuildConfig(BUNDLED_COMPLEXES, root, BUNDLED_PER_TASK, BUNDLED_SEED, render=False))
    return MisiBenchmark(root)
