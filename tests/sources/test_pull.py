"""``status`` and ``pull`` on real files, with a real HTTP server on the loopback interface."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

import pytest

from jobrisk.errors import InputError
from jobrisk.sources.pull import (
    BytesReceived,
    FileDone,
    FileStarted,
    Outcome,
    PullEvent,
    pull,
    status,
    summarize,
)
from jobrisk.sources.registry import REGISTRY, FileState, SourceFile, get_source

ELOUNDOU = "eloundou_2023"
AEI = "anthropic_economic_index/release_2025_02_10"
MICROSOFT = "microsoft_working_with_ai"
FELTEN = "felten_aioe"

README = "eloundou_2023/README.md"
LICENSE = "eloundou_2023/LICENSE"
AUG = "anthropic_economic_index/release_2025_02_10/automation_vs_augmentation.csv"
MS_LICENSE = "microsoft_working_with_ai/LICENSE.txt"
GOOD = (README, LICENSE, AUG, MS_LICENSE)
TAMPERED = "anthropic_economic_index/release_2025_02_10/bls_employment_may_2023.csv"
NOT_ON_MIRROR = "felten_aioe/README.md"
SOURCES = [ELOUNDOU, AEI, MICROSOFT]


def shared_data_dir() -> Path:
    env = os.environ.get("JOBRISK_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="module")
def shared() -> Path:
    d = shared_data_dir()
    if not (d / "sources.json").is_file():
        pytest.skip(f"no shared data at {d}: set JOBRISK_DATA_DIR to a copy of shared/data")
    return d


def registered(path: str) -> SourceFile:
    return next(f for s in REGISTRY for f in s.files if f.path == path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def everything_under(d: Path) -> list[str]:
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*")) if d.exists() else []


def files_under(d: Path) -> list[str]:
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())


def copy_in(shared: Path, dest: Path, path: str) -> Path:
    target = dest / path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / path, target)
    return target


@pytest.fixture(scope="module")
def mirror_dir(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mirror")
    for path in GOOD:
        copy_in(shared, d, path)
    tampered = copy_in(shared, d, TAMPERED)
    tampered.write_bytes(tampered.read_bytes().replace(b"1", b"7", 1))
    assert sha256(tampered) != registered(TAMPERED).sha256
    return d


class _RecordingHandler(SimpleHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def mirror_url(mirror_dir: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_RecordingHandler, directory=str(mirror_dir))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# status ------------------------------------------------------------------------------------


def test_status_of_the_shared_data_is_all_verified(shared: Path) -> None:
    statuses = status(shared)
    assert len(statuses) == sum(len(s.files) for s in REGISTRY)
    assert [(s.path, s.state) for s in statuses if s.state is not FileState.VERIFIED] == []
    assert all(s.actual_bytes == s.expected_bytes for s in statuses)
    assert {s.source_id: s.state for s in summarize(statuses)} == {
        s.id: FileState.VERIFIED for s in REGISTRY
    }


@pytest.fixture()
def damaged_dir(shared: Path, tmp_path: Path) -> Path:
    d = tmp_path / "damaged"
    copy_in(shared, d, README)
    truncated = copy_in(shared, d, AUG)
    truncated.write_bytes(truncated.read_bytes()[:-10])
    flipped = copy_in(shared, d, MS_LICENSE)
    body = bytearray(flipped.read_bytes())
    body[5] ^= 0x01
    flipped.write_bytes(bytes(body))
    return d


def test_status_tells_verified_changed_and_missing_apart(damaged_dir: Path) -> None:
    statuses = {s.path: s for s in status(damaged_dir)}
    special = {
        README: (FileState.VERIFIED, 172),
        AUG: (FileState.CHANGED, registered(AUG).bytes - 10),
        MS_LICENSE: (FileState.CHANGED, registered(MS_LICENSE).bytes),
    }
    expected = {
        f.path: special.get(f.path, (FileState.MISSING, None)) for s in REGISTRY for f in s.files
    }
    assert {p: (s.state, s.actual_bytes) for p, s in statuses.items()} == expected
    assert all(s.expected_bytes == registered(p).bytes for p, s in statuses.items())


def test_quick_status_only_compares_sizes(damaged_dir: Path) -> None:
    states = {s.path: s.state for s in status(damaged_dir, verify=False)}
    assert (states[README], states[AUG], states[MS_LICENSE]) == (
        FileState.PRESENT,
        FileState.CHANGED,
        FileState.PRESENT,
    )


def test_summary_counts_files_and_takes_the_worst_state(damaged_dir: Path) -> None:
    rows = {r.source_id: r for r in summarize(status(damaged_dir))}
    assert [r for r in rows] == [s.id for s in REGISTRY]
    e, a = rows[ELOUNDOU], rows[AEI]
    assert (e.n_files, e.n_verified, e.n_missing, e.n_changed, e.state) == (
        10,
        1,
        9,
        0,
        FileState.MISSING,
    )
    assert (a.n_files, a.n_verified, a.n_missing, a.n_changed, a.state) == (
        7,
        0,
        6,
        1,
        FileState.CHANGED,
    )
    assert a.title == get_source(AEI).title
    assert a.count(FileState.MISSING) == 6
    assert rows[MICROSOFT].state is FileState.CHANGED
    assert rows["schaal_2025"].state is FileState.MISSING


def test_status_of_some_sources(damaged_dir: Path) -> None:
    assert [s.path for s in status(damaged_dir, sources=[FELTEN])] == [
        f.path for f in get_source(FELTEN).files
    ]


# pull over HTTP ----------------------------------------------------------------------------


def test_pull_downloads_the_published_files(mirror_url: str, data_dir: Path) -> None:
    events: list[PullEvent] = []
    report = pull(
        data_dir, sources=SOURCES, only_paths=GOOD, mirror=mirror_url, progress=events.append
    )
    assert report.ok
    assert [(o.path, o.outcome) for o in report.outcomes] == [
        (f.path, Outcome.DOWNLOADED) for s in SOURCES for f in get_source(s).files if f.path in GOOD
    ]
    assert {p: sha256(data_dir / p) for p in GOOD} == {p: registered(p).sha256 for p in GOOD}
    assert files_under(data_dir) == sorted(GOOD)
    assert report.outcome_of(AUG).url == mirror_url + AUG
    assert report.outcome_of(AUG).received_sha256 == registered(AUG).sha256
    assert report.counts()[Outcome.DOWNLOADED] == 4
    assert [s.state for s in status(data_dir) if s.path in GOOD] == [FileState.VERIFIED] * 4

    for path in GOOD:
        mine = [e for e in events if e.path == path]
        assert isinstance(mine[0], FileStarted)
        assert (mine[0].expected_bytes, mine[0].content_length) == (registered(path).bytes,) * 2
        assert isinstance(mine[-2], BytesReceived)
        assert mine[-2].received == registered(path).bytes
        assert isinstance(mine[-1], FileDone)
        assert mine[-1].outcome.outcome is Outcome.DOWNLOADED


def test_pull_sends_a_jobrisk_user_agent(mirror_url: str, data_dir: Path) -> None:
    _RecordingHandler.user_agents.clear()
    pull(data_dir, sources=[ELOUNDOU], only_paths=[README], mirror=mirror_url)
    assert _RecordingHandler.user_agents == [f"jobrisk/{metadata.version('jobrisk')}"]


def test_pull_skips_verified_files(mirror_url: str, data_dir: Path) -> None:
    pull(data_dir, sources=SOURCES, only_paths=GOOD, mirror=mirror_url)
    before = {p: (data_dir / p).stat().st_mtime_ns for p in GOOD}
    events: list[PullEvent] = []
    report = pull(
        data_dir, sources=SOURCES, only_paths=GOOD, mirror=mirror_url, progress=events.append
    )
    assert report.ok
    assert {o.outcome for o in report.outcomes} == {Outcome.SKIPPED_VERIFIED}
    assert [type(e) for e in events] == [FileDone] * 4
    assert {p: (data_dir / p).stat().st_mtime_ns for p in GOOD} == before


def test_a_file_with_the_wrong_checksum_is_refused(
    mirror_url: str, mirror_dir: Path, data_dir: Path
) -> None:
    report = pull(data_dir, sources=[AEI], only_paths=[TAMPERED], mirror=mirror_url)
    assert not report.ok
    (o,) = report.outcomes
    received = sha256(mirror_dir / TAMPERED)
    assert o.outcome is Outcome.CHECKSUM_MISMATCH
    assert (o.expected_sha256, o.received_sha256) == (registered(TAMPERED).sha256, received)
    assert TAMPERED in o.message
    assert registered(TAMPERED).sha256 in o.message
    assert received in o.message
    assert everything_under(data_dir) == []


def test_accept_changed_keeps_a_file_with_the_wrong_checksum(
    mirror_url: str, mirror_dir: Path, data_dir: Path
) -> None:
    report = pull(
        data_dir, sources=[AEI], only_paths=[TAMPERED], mirror=mirror_url, accept_changed=True
    )
    assert report.ok
    assert report.outcome_of(TAMPERED).outcome is Outcome.ACCEPTED_CHANGED
    assert (data_dir / TAMPERED).read_bytes() == (mirror_dir / TAMPERED).read_bytes()
    assert files_under(data_dir) == [TAMPERED]
    assert [s.state for s in status(data_dir, sources=[AEI]) if s.path == TAMPERED] == [
        FileState.CHANGED
    ]


def test_a_locally_changed_file_is_kept_unless_forced(
    shared: Path, mirror_url: str, data_dir: Path
) -> None:
    local = copy_in(shared, data_dir, LICENSE)
    local.write_bytes(local.read_bytes() + b"\nmy note\n")
    edited = local.read_bytes()

    kept = pull(data_dir, sources=[ELOUNDOU], only_paths=[LICENSE], mirror=mirror_url)
    assert kept.outcome_of(LICENSE).outcome is Outcome.KEPT_CHANGED
    assert "--force" in kept.outcome_of(LICENSE).message
    assert local.read_bytes() == edited

    forced = pull(data_dir, sources=[ELOUNDOU], only_paths=[LICENSE], mirror=mirror_url, force=True)
    assert forced.ok
    assert forced.outcome_of(LICENSE).outcome is Outcome.DOWNLOADED
    assert sha256(local) == registered(LICENSE).sha256
    assert files_under(data_dir) == [LICENSE]


def test_forcing_onto_a_bad_download_leaves_the_local_file_alone(
    shared: Path, mirror_url: str, data_dir: Path
) -> None:
    local = copy_in(shared, data_dir, TAMPERED)
    local.write_bytes(b"edited by hand\n")
    report = pull(data_dir, sources=[AEI], only_paths=[TAMPERED], mirror=mirror_url, force=True)
    assert report.outcome_of(TAMPERED).outcome is Outcome.CHECKSUM_MISMATCH
    assert local.read_bytes() == b"edited by hand\n"
    assert files_under(data_dir) == [TAMPERED]


def test_a_404_fails_that_file_and_names_the_url(mirror_url: str, data_dir: Path) -> None:
    report = pull(
        data_dir, sources=[ELOUNDOU, FELTEN], only_paths=[README, NOT_ON_MIRROR], mirror=mirror_url
    )
    assert not report.ok
    failed = report.outcome_of(NOT_ON_MIRROR)
    assert failed.outcome is Outcome.FAILED
    assert failed.url == mirror_url + NOT_ON_MIRROR
    assert mirror_url + NOT_ON_MIRROR in failed.message
    assert "HTTP 404" in failed.message
    assert report.outcome_of(README).outcome is Outcome.DOWNLOADED
    assert files_under(data_dir) == [README]


def test_a_refused_connection_fails_each_file_and_the_pull_goes_on(data_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = pull(
        data_dir,
        sources=[ELOUNDOU],
        only_paths=[README, LICENSE],
        mirror=f"http://127.0.0.1:{port}",
    )
    assert [o.outcome for o in report.outcomes] == [Outcome.FAILED, Outcome.FAILED]
    assert all(f"http://127.0.0.1:{port}/" in o.message for o in report.outcomes)
    assert everything_under(data_dir) == []


def test_a_server_that_never_answers_times_out(data_dir: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        report = pull(
            data_dir,
            sources=[ELOUNDOU],
            only_paths=[README],
            mirror=f"http://127.0.0.1:{port}/",
            timeout=0.5,
        )
    (o,) = report.outcomes
    assert o.outcome is Outcome.FAILED
    assert "timed out" in o.message
    assert everything_under(data_dir) == []


def test_an_interrupted_download_leaves_nothing_behind(mirror_url: str, data_dir: Path) -> None:
    def interrupt(event: PullEvent) -> None:
        if isinstance(event, BytesReceived):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pull(
            data_dir,
            sources=[ELOUNDOU],
            only_paths=[LICENSE],
            mirror=mirror_url,
            progress=interrupt,
        )
    assert everything_under(data_dir) == []


# other mirrors and errors ------------------------------------------------------------------


@pytest.mark.parametrize("as_uri", [False, True], ids=["directory", "file-url"])
def test_a_local_mirror_works(mirror_dir: Path, data_dir: Path, as_uri: bool) -> None:
    mirror = mirror_dir.as_uri() if as_uri else str(mirror_dir)
    report = pull(data_dir, sources=SOURCES, only_paths=[*GOOD, TAMPERED], mirror=mirror)
    assert {o.path: o.outcome for o in report.outcomes} == {
        **{p: Outcome.DOWNLOADED for p in GOOD},
        TAMPERED: Outcome.CHECKSUM_MISMATCH,
    }
    assert {p: sha256(data_dir / p) for p in GOOD} == {p: registered(p).sha256 for p in GOOD}
    assert files_under(data_dir) == sorted(GOOD)


def test_a_missing_file_in_a_local_mirror_fails(mirror_dir: Path, data_dir: Path) -> None:
    report = pull(data_dir, sources=[FELTEN], only_paths=[NOT_ON_MIRROR], mirror=str(mirror_dir))
    assert report.outcome_of(NOT_ON_MIRROR).outcome is Outcome.FAILED
    assert everything_under(data_dir) == []


def test_a_file_without_an_address_says_where_to_copy_it(data_dir: Path) -> None:
    no_url = next(f for f in get_source(AEI).files if f.url is None)
    report = pull(data_dir, sources=[AEI], only_paths=[no_url.path])
    assert not report.ok
    o = report.outcome_of(no_url.path)
    assert o.outcome is Outcome.MISSING_ADDRESS
    assert str(data_dir / no_url.path) in o.message
    assert get_source(AEI).upstream in o.message
    assert everything_under(data_dir) == []


def test_an_unknown_source_id_is_an_input_error(data_dir: Path) -> None:
    with pytest.raises(InputError) as err:
        pull(data_dir, sources=["eloundou_2023", "no_such_source"])
    assert "no_such_source" in str(err.value)
    assert all(s.id in str(err.value) for s in REGISTRY)
    with pytest.raises(InputError):
        status(data_dir, sources=["no_such_source"])


def test_an_unknown_path_is_an_input_error(data_dir: Path) -> None:
    with pytest.raises(InputError, match=re.escape("eloundou_2023/nope.csv")):
        pull(data_dir, sources=[ELOUNDOU], only_paths=["eloundou_2023/nope.csv"])


def test_a_data_dir_that_cannot_be_written_fails_each_file(mirror_url: str, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_bytes(b"a file where the data directory should be\n")
    report = pull(not_a_dir, sources=[ELOUNDOU], only_paths=[README, LICENSE], mirror=mirror_url)
    assert [o.outcome for o in report.outcomes] == [Outcome.FAILED, Outcome.FAILED]
    assert all(o.message.startswith("could not save") for o in report.outcomes)
    assert not_a_dir.read_bytes() == b"a file where the data directory should be\n"
