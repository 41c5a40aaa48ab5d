"""The registry against ``shared/data/sources.json``: same sources, same files, same hashes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from jobrisk.sources.registry import REGISTRY

REGISTRY_JSON = (
    Path(__file__).resolve().parents[2] / "src" / "jobrisk" / "sources" / "registry.json"
)


def shared_data_dir() -> Path:
    env = os.environ.get("JOBRISK_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="module")
def published() -> list[dict[str, Any]]:
    sources_json = shared_data_dir() / "sources.json"
    if not sources_json.is_file():
        pytest.skip(
            f"no {sources_json}: set JOBRISK_DATA_DIR to a copy of the shared data to compare "
            "the registry with its sources.json"
        )
    data: list[dict[str, Any]] = json.loads(sources_json.read_text("utf-8"))
    return data


def _files(entries: list[dict[str, Any]]) -> dict[str, tuple[str, int, str]]:
    return {f["path"]: (s["id"], int(f["bytes"]), f["sha256"]) for s in entries for f in s["files"]}


def test_same_sources_as_sources_json(published: list[dict[str, Any]]) -> None:
    assert [s["id"] for s in published] == [s.id for s in REGISTRY]


def test_same_files_bytes_and_sha256_as_sources_json(published: list[dict[str, Any]]) -> None:
    registered = {f.path: (s.id, f.bytes, f.sha256) for s in REGISTRY for f in s.files}
    assert registered == _files(published)


@pytest.mark.parametrize("field", ["title", "citation", "upstream", "copied_from", "license"])
def test_descriptive_fields_match_sources_json(published: list[dict[str, Any]], field: str) -> None:
    by_id = {s.id: s for s in REGISTRY}
    assert {s["id"]: s[field] for s in published} == {
        sid: getattr(src, field) for sid, src in by_id.items()
    }


def test_source_ids_are_unique() -> None:
    ids = [s.id for s in REGISTRY]
    assert len(ids) == len(set(ids))


def test_file_paths_are_unique_and_under_their_source() -> None:
    paths = [f.path for s in REGISTRY for f in s.files]
    assert len(paths) == len(set(paths))
    assert [f.path for s in REGISTRY for f in s.files if not f.path.startswith(s.id + "/")] == []


@pytest.mark.parametrize("source", REGISTRY, ids=[s.id for s in REGISTRY])
def test_every_source_says_how_to_cite_and_credit_it(source: Any) -> None:
    assert source.citation.strip()
    assert source.license.strip()
    assert source.attribution.strip()
    assert source.files


def test_every_known_address_is_https() -> None:
    assert [
        f.path for s in REGISTRY for f in s.files if f.url and not f.url.startswith("https://")
    ] == []


def test_github_addresses_are_pinned_to_a_full_commit() -> None:
    # A branch name would let the bytes change under the registered sha256.
    pinned = re.compile(r"^/[^/]+/[^/]+/[0-9a-f]{40}/.+")
    loose = [
        f.url
        for s in REGISTRY
        for f in s.files
        if f.url
        and urlsplit(f.url).netloc == "raw.githubusercontent.com"
        and not pinned.match(urlsplit(f.url).path)
    ]
    assert loose == []


def test_addresses_are_quoted_urls() -> None:
    assert [f.url for s in REGISTRY for f in s.files if f.url and " " in f.url] == []


def test_registry_json_loads_into_the_registry_unchanged() -> None:
    raw = json.loads(REGISTRY_JSON.read_text("utf-8"))
    assert [(f["path"], f["url"]) for s in raw for f in s["files"]] == [
        (f.path, f.url) for s in REGISTRY for f in s.files
    ]
