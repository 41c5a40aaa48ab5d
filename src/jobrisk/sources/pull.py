"""Checking the data directory against the registry, and filling it from the published files.

:func:`status` says, per registered file, whether it is verified, present, missing or changed;
:func:`summarize` rolls that up per source. :func:`pull` downloads what is missing (or, with
``force``, what was changed locally) from each file's upstream address or from a mirror, checks
the sha256 while streaming, and moves a file into place only when it is the published file.
Both are behind ``jobrisk data status`` and ``jobrisk data pull``; they report through return
values and an optional progress callback, never by printing.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import metadata
from pathlib import Path

from jobrisk.errors import InputError
from jobrisk.sources.registry import REGISTRY, FileState, Source, SourceFile, file_state

DEFAULT_TIMEOUT = 60.0
_CHUNK = 1 << 16

# A source is as bad as its worst file.
_SEVERITY = {
    FileState.VERIFIED: 0,
    FileState.PRESENT: 1,
    FileState.MISSING: 2,
    FileState.CHANGED: 3,
}


@dataclass(frozen=True)
class FileStatus:
    """The state of one registered file in a data directory."""

    source_id: str
    path: str
    state: FileState
    expected_bytes: int
    actual_bytes: int | None


@dataclass(frozen=True)
class SourceStatus:
    """The files of one source, counted by state; ``state`` is the worst of them."""

    source_id: str
    title: str
    n_files: int
    n_verified: int
    n_present: int
    n_missing: int
    n_changed: int
    state: FileState

    def count(self, state: FileState) -> int:
        """How many files of this source are in ``state``."""
        return {
            FileState.VERIFIED: self.n_verified,
            FileState.PRESENT: self.n_present,
            FileState.MISSING: self.n_missing,
            FileState.CHANGED: self.n_changed,
        }[state]


class Outcome(StrEnum):
    DOWNLOADED = "downloaded"
    SKIPPED_VERIFIED = "skipped_verified"
    MISSING_ADDRESS = "missing_address"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    ACCEPTED_CHANGED = "accepted_changed"
    KEPT_CHANGED = "kept_changed"
    FAILED = "failed"


_NOT_OK = frozenset({Outcome.FAILED, Outcome.CHECKSUM_MISMATCH, Outcome.MISSING_ADDRESS})


@dataclass(frozen=True)
class FileOutcome:
    """What :func:`pull` did with one file, and why."""

    source_id: str
    path: str
    outcome: Outcome
    message: str
    url: str | None = None
    expected_sha256: str | None = None
    received_sha256: str | None = None
    received_bytes: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome not in _NOT_OK


@dataclass(frozen=True)
class PullReport:
    """Every file :func:`pull` looked at, in registry order."""

    data_dir: Path
    outcomes: tuple[FileOutcome, ...]

    @property
    def ok(self) -> bool:
        """True unless a file failed, had the wrong checksum, or has no known address."""
        return all(o.ok for o in self.outcomes)

    def with_outcome(self, outcome: Outcome) -> tuple[FileOutcome, ...]:
        """The files that ended with ``outcome``."""
        return tuple(o for o in self.outcomes if o.outcome is outcome)

    def counts(self) -> dict[Outcome, int]:
        """How many files ended with each outcome (every outcome listed, zeros included)."""
        return {k: len(self.with_outcome(k)) for k in Outcome}

    def outcome_of(self, path: str) -> FileOutcome:
        """The outcome for the file at ``path`` (relative to the data directory)."""
        for o in self.outcomes:
            if o.path == path:
                return o
        raise KeyError(path)


@dataclass(frozen=True)
class FileStarted:
    """A download began; ``content_length`` is what the server announced, if anything."""

    source_id: str
    path: str
    url: str
    expected_bytes: int
    content_length: int | None


@dataclass(frozen=True)
class BytesReceived:
    """A chunk arrived; ``received`` counts the bytes of this file so far."""

    source_id: str
    path: str
    received: int
    expected_bytes: int


@dataclass(frozen=True)
class FileDone:
    """A file is settled, whether or not anything was downloaded."""

    source_id: str
    path: str
    outcome: FileOutcome


PullEvent = FileStarted | BytesReceived | FileDone


def _select(
    sources: Sequence[str] | None, only_paths: Collection[str] | None
) -> list[tuple[Source, SourceFile]]:
    known = [s.id for s in REGISTRY]
    if sources is not None:
        unknown = [s for s in sources if s not in known]
        if unknown:
            raise InputError(
                f"unknown source id {', '.join(repr(u) for u in unknown)}",
                hint="known sources: " + ", ".join(known),
            )
        chosen = [s for s in REGISTRY if s.id in set(sources)]
    else:
        chosen = list(REGISTRY)
    pairs = [(s, f) for s in chosen for f in s.files]
    if only_paths is not None:
        wanted = set(only_paths)
        stray = sorted(wanted - {f.path for _, f in pairs})
        if stray:
            raise InputError(
                f"not a registered file of the chosen sources: {', '.join(stray)}",
                hint="paths are relative to the data directory, as `jobrisk data status` lists",
            )
        pairs = [(s, f) for s, f in pairs if f.path in wanted]
    return pairs


def status(
    data_dir: Path, *, verify: bool = True, sources: Sequence[str] | None = None
) -> list[FileStatus]:
    """The state of every registered file (or of the files of ``sources``) in ``data_dir``.

    With ``verify=False`` only sizes are compared, so a file of the right size is ``PRESENT``
    rather than ``VERIFIED``; that is quick, but does not catch an edit that keeps the size.

    >>> [s.state.value for s in status(Path("/nowhere"), sources=["schaal_2025"])]
    ['missing']
    """
    out = []
    for src, f in _select(sources, None):
        p = data_dir / f.path
        actual = p.stat().st_size if p.is_file() else None
        out.append(
            FileStatus(src.id, f.path, file_state(data_dir, f, verify=verify), f.bytes, actual)
        )
    return out


def summarize(statuses: Sequence[FileStatus]) -> list[SourceStatus]:
    """One line per source, in registry order, for the sources that appear in ``statuses``."""
    titles = {s.id: s.title for s in REGISTRY}
    by_source: dict[str, list[FileState]] = {}
    for st in statuses:
        by_source.setdefault(st.source_id, []).append(st.state)
    out = []
    for sid in [s.id for s in REGISTRY if s.id in by_source]:
        states = by_source[sid]
        out.append(
            SourceStatus(
                source_id=sid,
                title=titles[sid],
                n_files=len(states),
                n_verified=states.count(FileState.VERIFIED),
                n_present=states.count(FileState.PRESENT),
                n_missing=states.count(FileState.MISSING),
                n_changed=states.count(FileState.CHANGED),
                state=max(states, key=_SEVERITY.__getitem__),
            )
        )
    return out


def _user_agent() -> str:
    try:
        version = metadata.version("jobrisk")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"jobrisk/{version}"


def _address(f: SourceFile, mirror: str | None) -> str | None:
    if mirror is None:
        url: str | None = f.url
        return url
    if mirror.startswith(("http://", "https://", "file://")):
        return f"{mirror.rstrip('/')}/{urllib.parse.quote(f.path)}"
    local: Path = Path(mirror).expanduser().resolve() / f.path
    return local.as_uri()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


@contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    """A temporary file in the target's directory, removed on exit unless moved into place.

    Directories made for it are removed again when nothing was saved, so a refused or failed
    download leaves the data directory as it was.
    """
    made = [d for d in target.parents if not d.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
        if not target.exists():
            for d in made:
                try:
                    d.rmdir()
                except OSError:
                    break


@dataclass(frozen=True)
class _Fetched:
    sha256: str
    n_bytes: int


def _fetch(
    opener: urllib.request.OpenerDirector,
    url: str,
    dest: Path,
    src: Source,
    f: SourceFile,
    timeout: float,
    emit: Callable[[PullEvent], None],
) -> _Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    h = hashlib.sha256()
    received = 0
    with opener.open(request, timeout=timeout) as response, dest.open("wb") as out:
        length = response.headers.get("Content-Length")
        emit(
            FileStarted(
                src.id, f.path, url, f.bytes, int(length) if length and length.isdigit() else None
            )
        )
        while chunk := response.read(_CHUNK):
            h.update(chunk)
            out.write(chunk)
            received += len(chunk)
            emit(BytesReceived(src.id, f.path, received, f.bytes))
    return _Fetched(h.hexdigest(), received)


def _pull_file(
    data_dir: Path,
    src: Source,
    f: SourceFile,
    url: str,
    *,
    accept_changed: bool,
    replacing: bool,
    opener: urllib.request.OpenerDirector,
    timeout: float,
    emit: Callable[[PullEvent], None],
) -> FileOutcome:
    target = data_dir / f.path
    try:
        with _temp_beside(target) as tmp:
            try:
                got = _fetch(opener, url, tmp, src, f, timeout, emit)
            except (OSError, http.client.HTTPException) as exc:
                return FileOutcome(
                    src.id,
                    f.path,
                    Outcome.FAILED,
                    f"could not download {f.path} from {url}: {_reason(exc)}",
                    url=url,
                    expected_sha256=f.sha256,
                )
            received = FileOutcome(
                src.id,
                f.path,
                Outcome.DOWNLOADED,
                "",
                url=url,
                expected_sha256=f.sha256,
                received_sha256=got.sha256,
                received_bytes=got.n_bytes,
            )
            if got.sha256 == f.sha256:
                tmp.chmod(0o644)
                os.replace(tmp, target)
                verb = "replaced the changed file with the published one" if replacing else "saved"
                return replace(
                    received, message=f"{verb}: {f.path} ({got.n_bytes:,} bytes, sha256 verified)"
                )
            mismatch = (
                f"{url} served different bytes for {f.path}: expected sha256 {f.sha256} "
                f"({f.bytes:,} bytes), received sha256 {got.sha256} ({got.n_bytes:,} bytes)"
            )
            if accept_changed:
                tmp.chmod(0o644)
                os.replace(tmp, target)
                return replace(
                    received,
                    outcome=Outcome.ACCEPTED_CHANGED,
                    message=f"{mismatch}; kept it as asked (--accept-changed); "
                    "`jobrisk data status` will list it as changed",
                )
            kept = "the local file is unchanged" if replacing else "nothing was saved"
            return replace(
                received,
                outcome=Outcome.CHECKSUM_MISMATCH,
                message=f"{mismatch}; {kept}. "
                "Use --accept-changed to keep a re-published file anyway",
            )
    except OSError as exc:
        return FileOutcome(
            src.id,
            f.path,
            Outcome.FAILED,
            f"could not save {f.path} in {target.parent}: {_reason(exc)}",
            url=url,
            expected_sha256=f.sha256,
        )


def pull(
    data_dir: Path,
    *,
    sources: Sequence[str] | None = None,
    mirror: str | None = None,
    force: bool = False,
    accept_changed: bool = False,
    progress: Callable[[PullEvent], None] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
    only_paths: Collection[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PullReport:
    """Fill ``data_dir`` with the published files, checking each one's sha256.

    A verified file is skipped. A missing file is downloaded from its registered address, or
    from ``mirror`` (an http(s) or file:// URL, or a local directory laid out like the data
    directory). A file that was changed locally is left alone unless ``force`` is set. Each
    download goes to a temporary file beside its target and is moved into place only if its
    sha256 is the registry's (or, with ``accept_changed``, whatever it is). A network error is
    recorded for that file and the pull goes on. Nothing is printed: ``progress`` receives
    :data:`PullEvent` values and the returned report says what happened to each file.

    Example::

        report = pull(Path("~/data").expanduser(), sources=["eloundou_2023"])
        for o in report.outcomes:
            print(o.outcome.value, o.message)
        if not report.ok:
            ...

    Raises :class:`~jobrisk.errors.InputError` for an unknown source id or path.
    """
    emit: Callable[[PullEvent], None] = progress if progress is not None else (lambda _e: None)
    director = opener if opener is not None else urllib.request.build_opener()
    outcomes = []
    for src, f in _select(sources, only_paths):
        state = file_state(data_dir, f)
        target = data_dir / f.path
        if state is FileState.VERIFIED:
            outcome = FileOutcome(
                src.id, f.path, Outcome.SKIPPED_VERIFIED, f"already verified: {f.path}"
            )
        elif state is FileState.CHANGED and not force:
            outcome = FileOutcome(
                src.id,
                f.path,
                Outcome.KEPT_CHANGED,
                f"{target} is changed locally; re-run with --force to replace it with the "
                "published file",
                expected_sha256=f.sha256,
            )
        elif (url := _address(f, mirror)) is None:
            outcome = FileOutcome(
                src.id,
                f.path,
                Outcome.MISSING_ADDRESS,
                f"no known address for {f.path}: copy the published file by hand from "
                f"{src.upstream} to {target}",
                expected_sha256=f.sha256,
            )
        else:
            outcome = _pull_file(
                data_dir,
                src,
                f,
                url,
                accept_changed=accept_changed,
                replacing=state is FileState.CHANGED,
                opener=director,
                timeout=timeout,
                emit=emit,
            )
        outcomes.append(outcome)
        emit(FileDone(src.id, f.path, outcome))
    return PullReport(data_dir, tuple(outcomes))
