"""Where jobrisk reads its data and writes its index.

The data directory is, in order: an explicit argument (``--data-dir``), the environment
variable ``JOBRISK_DATA_DIR``, then the user cache that ``jobrisk data pull`` fills. The index
file is an explicit argument (``--index``), ``JOBRISK_INDEX``, or ``index.duckdb`` in the user
cache. Only the CLI reads the environment; library code takes these as arguments.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "jobrisk"


def user_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def default_data_dir() -> Path:
    return user_cache_dir() / "data"


def default_index_path() -> Path:
    return user_cache_dir() / "index.duckdb"


@dataclass(frozen=True)
class Locations:
    """The data directory and the index file, with where each choice came from."""

    data_dir: Path
    data_dir_from: str
    index_path: Path
    index_path_from: str


def resolve_locations(
    data_dir: str | Path | None = None,
    index_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Locations:
    env = os.environ if environ is None else environ
    if data_dir is not None:
        d, d_from = Path(data_dir), "--data-dir"
    elif env.get("JOBRISK_DATA_DIR"):
        d, d_from = Path(env["JOBRISK_DATA_DIR"]), "JOBRISK_DATA_DIR"
    else:
        d, d_from = default_data_dir(), "user cache"
    if index_path is not None:
        i, i_from = Path(index_path), "--index"
    elif env.get("JOBRISK_INDEX"):
        i, i_from = Path(env["JOBRISK_INDEX"]), "JOBRISK_INDEX"
    else:
        i, i_from = default_index_path(), "user cache"
    return Locations(d.expanduser(), d_from, i.expanduser(), i_from)
