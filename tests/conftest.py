"""Fixtures shared by the whole suite: where the public data is, and throwaway mirrors of it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jobrisk.catalog import Catalog

MirrorFactory = Callable[..., Path]


def shared_data_path() -> Path:
    """``$JOBRISK_DATA_DIR``, or ``../shared/data`` beside the project."""
    env = os.environ.get("JOBRISK_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The read-only public data; the suite never writes to it."""
    path = shared_data_path()
    if not (path / "sources.json").is_file():
        pytest.skip(f"no public data at {path}: set JOBRISK_DATA_DIR to a copy of shared/data")
    return path


@pytest.fixture(scope="session")
def make_data_mirror(
    shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> MirrorFactory:
    """A function that builds a fresh data dir of symlinks to the public files.

    The paths in ``copies`` (relative, e.g. ``"frey_osborne/x.csv"``) are real copies instead,
    so a test may change them without touching the shared data.

        >>> data = make_data_mirror(copies=["bls/oews_national_may2025.csv"])  # doctest: +SKIP
    """

    def make(copies: Iterable[str] = (), *, name: str = "data") -> Path:
        wanted = set(copies)
        root = tmp_path_factory.mktemp(name)
        for source in sorted(shared_data_dir.rglob("*")):
            if not source.is_file():
                continue
            rel = source.relative_to(shared_data_dir).as_posix()
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in wanted:
                shutil.copyfile(source, target)
                target.chmod(0o644)
            else:
                target.symlink_to(source)
        unknown = wanted - {p.relative_to(root).as_posix() for p in root.rglob("*")}
        assert not unknown, f"no such files in {shared_data_dir}: {sorted(unknown)}"
        return root

    return make


@pytest.fixture(scope="session")
def built_index(shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real index, built once per session from the public files."""
    from jobrisk.build import build_index

    path = tmp_path_factory.mktemp("index") / "index.duckdb"
    build_index(shared_data_dir, path, embeddings=False)  # semantic tests embed their own
    return path


@pytest.fixture(scope="session")
def catalog(built_index: Path) -> Iterator[Catalog]:
    with Catalog.open(built_index) as cat:
        yield cat


CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: the only browser the tests use (never a downloaded one)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the closed network refuses its connections
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Headless Chromium through Playwright, one per test session.

    One instance serves every browser test: Playwright's sync API runs an event loop, and a
    second ``sync_playwright()`` started while the first is open fails.
    """
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
