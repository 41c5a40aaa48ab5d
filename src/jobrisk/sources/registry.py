"""One entry per public dataset: id, title, citation, upstream, version, license, attribution,
and every file with its size and sha256.

The entries live in ``registry.json`` beside this module, a copy of ``shared/data/sources.json``
with three additions: ``version``, ``attribution`` (the text pages and exports must carry) and,
per file, ``url``, the upstream address ``jobrisk data pull`` downloads it from (``None`` where no
stable public address serves the byte-exact file).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from jobrisk.errors import ChecksumMismatchError, MissingSourceFileError, SourceError


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the data directory, e.g. "eloundou_2023/occ_level.csv"
    bytes: int
    sha256: str
    url: str | None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    citation: str
    upstream: str
    copied_from: str
    version: str
    license: str
    attribution: str
    notes: str
    files: tuple[SourceFile, ...]

    def file(self, name: str) -> SourceFile:
        """The file of this source whose name (or path) is ``name``."""
        for f in self.files:
            if f.name == name or f.path == name:
                return f
        raise SourceError(f"source {self.id} has no file {name!r}")

    @property
    def is_derived(self) -> bool:
        return "derived" in self.id


def _load() -> tuple[Source, ...]:
    text = resources.files("jobrisk.sources").joinpath("registry.json").read_text("utf-8")
    out = []
    for s in json.loads(text):
        files = tuple(
            SourceFile(f["path"], int(f["bytes"]), f["sha256"], f.get("url")) for f in s["files"]
        )
        out.append(
            Source(
                id=s["id"],
                title=s["title"],
                citation=s["citation"],
                upstream=s["upstream"],
                copied_from=s.get("copied_from", ""),
                version=s.get("version", ""),
                license=s["license"],
                attribution=s["attribution"],
                notes=s.get("notes", ""),
                files=files,
            )
        )
    ids = [s.id for s in out]
    if len(ids) != len(set(ids)):
        raise SourceError(f"registry.json lists a source twice: {sorted(ids)}")
    return tuple(out)


REGISTRY: tuple[Source, ...] = _load()


def get_source(source_id: str) -> Source:
    for s in REGISTRY:
        if s.id == source_id:
            return s
    raise SourceError(
        f"no source {source_id!r} in the registry",
        hint="known sources: " + ", ".join(s.id for s in REGISTRY),
    )


class FileState(StrEnum):
    VERIFIED = "verified"  # present and its sha256 matches the registry
    PRESENT = "present"  # present, size matches, not hashed (quick check)
    MISSING = "missing"
    CHANGED = "changed"  # present but its bytes differ from the published file


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def file_state(data_dir: Path, f: SourceFile, *, verify: bool = True) -> FileState:
    p = data_dir / f.path
    if not p.is_file():
        return FileState.MISSING
    if p.stat().st_size != f.bytes:
        return FileState.CHANGED
    if not verify:
        return FileState.PRESENT
    return FileState.VERIFIED if sha256_of(p) == f.sha256 else FileState.CHANGED


def require_file(data_dir: Path, source_id: str, name: str) -> Path:
    """The path of one registered file, checked to exist and to be the published bytes.

    Raises :class:`MissingSourceFileError` or :class:`ChecksumMismatchError` naming the file
    and its source.
    """
    src = get_source(source_id)
    f = src.file(name)
    p = data_dir / f.path
    state = file_state(data_dir, f)
    if state is FileState.MISSING:
        raise MissingSourceFileError(
            f"missing file {f.path} of source {src.id} ({src.title}) in {data_dir}",
            hint="run `jobrisk data pull`, or point --data-dir / JOBRISK_DATA_DIR at a copy",
        )
    if state is FileState.CHANGED:
        raise ChecksumMismatchError(
            f"file {f.path} of source {src.id} is not the published file "
            f"(expected sha256 {f.sha256[:12]}..., size {f.bytes:,} bytes)",
            hint="restore it with `jobrisk data pull --force`; the build stopped and the "
            "previous index is untouched",
        )
    return p
