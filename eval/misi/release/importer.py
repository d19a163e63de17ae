"""`import_release`: the folder a user downloaded → a benchmark directory that `agent run --data` and
`agent solve --bench-dir` open (items/<id>.json, images/<sha>.<ext>, structures/<id>/, bench.json).

Everything is read and checked before the benchmark appears: items are assembled in a hidden staging
directory beside the output and moved into place in one rename, so a corrupt archive or a refused pickle
leaves nothing behind. The same release and mapping always give byte-identical files.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from eval.items import Item, ItemImage
from eval.misi.build.builder import TASK_NAMES
from eval.misi.release.archives import Source, open_release
from eval.misi.release.convert import Converted, Skip, convert, digest, slug
from eval.misi.release.errors import ReleaseError
from eval.misi.release.fields import find_fields
from eval.misi.release.images import ImageBytes, PathRef, decode
from eval.misi.release.mapping import ReleaseMapping
from eval.misi.release.records import RecordFile, record_files
from eval.misi.release.resolve import MemberIndex
from eval.misi.release.structures import link_structures
from eval.misi.release.summary import ArchiveSummary, ImportSummary, RecordFileSummary
from eval.misi.release.tasks import ANSWER_FORMATS, task_from_name

Progress = Callable[[str], None]


def name_rule(source: Source, member: str):
    """The task the archive's name points to, else the member's own path."""
    own = task_from_name(source.path.name) if source.kind != "folder" else None
    return own or task_from_name(member)


class _Pending:
    def __init__(self, rf: RecordFile, index: int, conv: Converted, spec_key: str | None) -> None:
        self.rf, self.index, self.conv, self.spec_key = rf, index, conv, spec_key
        self.stored: list[ItemImage | None] = [None] * len(conv.images)


class _ImageStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "images").mkdir(parents=True, exist_ok=True)
        self.formats: Counter[str] = Counter()

    def put(self, image: ImageBytes, role: str) -> ItemImage:
        sha = digest(image.data)
        rel = f"images/{sha[:20]}{image.suffix}"
        target = self.root / rel
        if not target.is_file():
            target.write_bytes(image.data)
        self.formats[image.format] += 1
        return ItemImage(path=rel, role=role, sha256=sha)


def _convert_file(rf: RecordFile, mapping: ReleaseMapping, summary: RecordFileSummary) -> list[_Pending]:
    key, spec = mapping.for_member(rf.source.path.name, rf.member)
    if spec.skip:
        summary.skipped["left out by the mapping file"] = len(rf.records)
        return []
    fm = find_fields(rf.records, mapping.fields_for(spec))
    summary.fields = fm.how
    rule = name_rule(rf.source, rf.member)
    summary.name_rule = rule.how if rule else None
    out = []
    for index, record in enumerate(rf.records):
        try:
            conv = convert(record, index, fm, rule, spec, rf.where, rf.member, rf.source.path.name)
        except Skip as exc:
            summary.skipped[str(exc)] = summary.skipped.get(str(exc), 0) + 1
            continue
        out.append(_Pending(rf, index, conv, key))
    return out


def _store_images(pending: list[_Pending], sources: list[Source], store: _ImageStore, arch: dict) -> list:
    """Embedded images are written now; named ones are read from their members, one pass per source."""
    indexes = {id(s): MemberIndex(s.names) for s in sources}
    wanted: dict[int, dict[str, list[tuple[_Pending, int]]]] = defaultdict(lambda: defaultdict(list))
    by_id = {id(s): s for s in sources}
    failed: set[int] = set()
    for p in pending:
        for k, image in enumerate(p.conv.images):
            role = f"image {k + 1}"
            if isinstance(image, ImageBytes):
                p.stored[k] = store.put(image, role)
                continue
            assert isinstance(image, PathRef)
            home = p.rf.source
            member, why = indexes[id(home)].find(image.path, os.path.dirname(p.rf.member))
            owner = home
            if member is None:  # images shipped in another archive of the same folder
                for other in sources:
                    if other is not home and (hit := indexes[id(other)].find(image.path)[0]):
                        member, owner = hit, other
                        break
            if member is None:
                arch[home.path.name].record_files_by_member[p.rf.member].count_skip(f"image {why}")
                failed.add(id(p))
                break
            wanted[id(owner)][member].append((p, k))
    for sid, members in wanted.items():
        for name, data in by_id[sid].read_many(sorted(members)):
            for p, k in members[name]:
                if id(p) in failed:
                    continue
                try:
                    image = decode(data, f"{by_id[sid].label}: {name}")
                except ReleaseError:
                    arch[p.rf.source.path.name].record_files_by_member[p.rf.member].count_skip(
                        f"image member {name} is not an image"
                    )
                    failed.add(id(p))
                    continue
                assert isinstance(image, ImageBytes)
                p.stored[k] = store.put(image, f"image {k + 1}")
    return [p for p in pending if id(p) not in failed and all(s is not None for s in p.stored)]


def _count(rs: RecordFileSummary, conv: Converted) -> None:
    for counts, key in (
        (rs.tasks, conv.task),
        (rs.task_how, conv.task_how),
        (rs.task_sources, conv.task_source),
    ):
        counts[key] = counts.get(key, 0) + 1
    for w in conv.warnings:
        rs.warnings[w] = rs.warnings.get(w, 0) + 1


def _drop_unused_images(staging: Path, ready: list[_Pending]) -> None:
    """Images stored for a record that was then skipped (a later image missing) belong to no item."""
    used = {s.path for p in ready for s in p.stored if s is not None}
    for f in (staging / "images").iterdir():
        if f"images/{f.name}" not in used:
            f.unlink()


def _item(p: _Pending, item_id: str, structure) -> Item:
    c = p.conv
    generation = {
        "source": {"archive": p.rf.source.path.name, "member": p.rf.member, "record": p.index},
        "raw_id": c.raw_id,
        "task_how": c.task_how,
        "task_source": c.task_source,
        "task_confirmed": c.task_confirmed,
        "options_how": c.options_how,
        "pdb_how": c.pdb_how,
        "mapping_key": p.spec_key,
        "warnings": c.warnings,
    }
    if c.task == "T4":  # the RL-Pos / RL-Neg column; kept from the model (it would give the answer away)
        generation.update(polarity=c.polarity, polarity_how=c.polarity_how)
    return Item(
        id=item_id,
        benchmark="misi",
        task=c.task,
        task_name=TASK_NAMES[c.task],
        prompt=c.prompt,
        prompt_template="official",
        prompt_hash=digest(c.prompt.encode()),
        images=[s for s in p.stored if s is not None],
        options=c.options,
        answer_format=ANSWER_FORMATS[c.task],
        structure=structure,
        metadata={"pdb_id": c.pdb_id, "source": "official release"},
        gold=c.answer,
        generation=generation,
    )


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"--out {out}: already exists and is not empty; give a new directory")


def import_release(
    src: Path,
    out: Path,
    *,
    structures: Path | None = None,
    mapping: ReleaseMapping | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    src, out = Path(src), Path(out)
    mapping = mapping or ReleaseMapping()
    say = progress or (lambda _msg: None)
    _check_out(out)
    if structures is not None and not Path(structures).is_dir():
        raise ReleaseError(f"--structures {structures}: no such folder")
    sources = open_release(src)  # every archive's directory is read (and zip CRCs checked) up front
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.importing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        summary = _import(sources, staging, src, structures, mapping, say)
        summary.out = str(out)
        (staging / "bench.json").write_text(
            json.dumps(
                {"kind": "misi-official-import", "release": summary.model_dump(mode="json")},
                indent=1,
                sort_keys=True,
            )
            + "\n"
        )
        if out.exists():
            out.rmdir()  # checked empty above
        staging.replace(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _import(sources, staging, src, structures, mapping, say) -> ImportSummary:
    arch: dict[str, ArchiveSummary] = {}
    pending: list[_Pending] = []
    for source in sources:
        say(f"reading {source.label}")
        a = ArchiveSummary(
            archive=source.path.name,
            kind=source.kind,
            members=len(source.names),
            unsafe_members=source.unsafe,
        )
        arch[source.path.name] = a
        for rf in record_files(source):
            rs = RecordFileSummary(member=rf.member, format=rf.format, records=len(rf.records))
            a.record_files_by_member[rf.member] = rs
            pending.extend(_convert_file(rf, mapping, rs))
    store = _ImageStore(staging)
    say("storing images")
    ready = _store_images(pending, sources, store, arch)
    for p in ready:  # counted once the record's images are stored: these are the items written
        _count(arch[p.rf.source.path.name].record_files_by_member[p.rf.member], p.conv)
    _drop_unused_images(staging, ready)
    links = link_structures({p.conv.pdb_id for p in ready if p.conv.pdb_id}, structures, staging)
    seen: Counter[str] = Counter()
    items = []
    for p in ready:
        stem = "source" if p.rf.source.kind == "folder" else p.rf.source.path.name
        base = f"misi-{p.conv.task}-{slug(stem.split('.')[0])}-{slug(p.conv.raw_id)}"
        seen[base] += 1
        item_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        items.append(_item(p, item_id, links.refs.get(p.conv.pdb_id or "")))
    say(f"writing {len(items)} items")
    (staging / "items").mkdir()
    for item in items:
        (staging / "items" / f"{item.id}.json").write_text(item.to_json())
    with_structure = sum(1 for i in items if i.structure is not None)
    return ImportSummary(
        source=str(src),
        archives=list(arch.values()),
        items=len(items),
        by_task=dict(sorted(Counter(i.task for i in items).items())),
        t4_polarity=dict(Counter(str(i.generation.get("polarity")) for i in items if i.task == "T4")),
        with_structure=with_structure,
        images_only=len(items) - with_structure,
        without_pdb_id=sum(1 for p in ready if not p.conv.pdb_id),
        structures_missing=links.missing,
        structures_unreadable=links.unreadable,
        duplicate_ids=sum(n - 1 for n in seen.values() if n > 1),
        image_formats=dict(store.formats),
        structures_dir=str(structures) if structures else None,
    )
