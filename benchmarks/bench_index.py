"""Benchmarks for the evidence index: full build, no-change build, cold `jobrisk show`, search.

    python benchmarks/bench_index.py [--data-dir DIR] [--repeat N]

Each figure is a median over repeated runs, printed beside a baseline measured in the same
run on the same machine, with the ratio and the issue's target:

- full build vs. just reading every raw file once (pandas + calamine), target < 30 s;
- no-change build vs. hashing every raw file (sha256), target < 2 s;
- cold `jobrisk show 15-2051.00` (a new process) vs. a process that only imports pandas and
  duckdb, target < 1.5 s;
- warm title search (per query) vs. a bare RapidFuzz extract over the same titles.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from harness import median_seconds
from jobrisk.build import build_index
from jobrisk.catalog import Catalog, normalize_title
from jobrisk.sources.registry import REGISTRY, sha256_of


def read_all_raw(data_dir: Path) -> None:
    for src in REGISTRY:
        for f in src.files:
            p = data_dir / f.path
            if p.suffix == ".xlsx":
                pd.read_excel(p, sheet_name=None, engine="calamine")
            elif p.suffix in (".csv", ".tsv"):
                pd.read_csv(
                    p,
                    sep="\t" if p.suffix == ".tsv" else ",",
                    low_memory=False,
                    encoding_errors="replace",
                )
            elif p.suffix == ".dta":
                pd.read_stata(p)


def hash_all(data_dir: Path) -> None:
    for src in REGISTRY:
        for f in src.files:
            sha256_of(data_dir / f.path)


def run_process(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, capture_output=True, env=env)


def row(name: str, value: float, baseline_name: str, baseline: float, target: str) -> None:
    print(
        f"{name:38} {value:8.3f} s | {baseline_name:34} {baseline:8.3f} s | ratio {value / baseline:6.2f} | target {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = os.environ.get(
        "JOBRISK_DATA_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    parser.add_argument("--data-dir", type=Path, default=Path(default))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data_dir: Path = args.data_dir
    repeat: int = args.repeat

    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.duckdb"
        print(
            f"data: {data_dir}   repeats: {repeat} (median)   python {sys.version.split()[0]}   cores: {os.cpu_count()}"
        )
        full = median_seconds(lambda: build_index(data_dir, index, force=True), max(3, repeat // 2))
        raw = median_seconds(lambda: read_all_raw(data_dir), max(3, repeat // 2))
        row("full build (force)", full, "read every raw file once", raw, "< 30 s")

        same = median_seconds(lambda: build_index(data_dir, index), repeat)
        hashed = median_seconds(lambda: hash_all(data_dir), repeat)
        row("second build, nothing changed", same, "sha256 of every raw file", hashed, "< 2 s")

        env = {**os.environ, "JOBRISK_INDEX": str(index), "JOBRISK_DATA_DIR": str(data_dir)}
        show = median_seconds(
            lambda: run_process([sys.executable, "-m", "jobrisk", "show", "15-2051.00"], env),
            repeat,
        )
        imports = median_seconds(
            lambda: run_process([sys.executable, "-c", "import pandas, duckdb"], env), repeat
        )
        row(
            "cold `jobrisk show 15-2051.00`",
            show,
            "cold `import pandas, duckdb`",
            imports,
            "< 1.5 s",
        )

        queries = [
            "machine lerning engineer",
            "RN",
            "software dev",
            "Registered Nurse",
            "truck driver",
            "accountant",
            "data scientist",
            "ML engineer",
            "cashier",
            "high school teacher",
        ]
        with Catalog.open(index) as cat:
            cat.search("warm up")
            per_query = median_seconds(lambda: [cat.search(q) for q in queries], repeat) / len(
                queries
            )
            choices = [
                normalize_title(t)
                for t in cat.query("select title from occupation_titles")["title"]
            ]
            bare = median_seconds(
                lambda: [
                    process.extract(q, choices, scorer=fuzz.WRatio, limit=200) for q in queries
                ],
                repeat,
            ) / len(queries)
        row(
            "warm title search, per query",
            per_query,
            "bare RapidFuzz extract, same titles",
            bare,
            "(none)",
        )


if __name__ == "__main__":
    main()
