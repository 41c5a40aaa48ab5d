"""`jobrisk report` in a subprocess: formats, atomic files, exit codes, no stack traces."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.cli_run import run_cli

from jobrisk.catalog import Catalog
from jobrisk.reports import build_report

ROOT = Path(__file__).resolve().parents[2]


def test_json_on_stdout_is_the_api_report(
    built_index: Path, shared_data_dir: Path, catalog: Catalog
) -> None:
    r = run_cli("report", "15-2051.00", "--format", "json", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == build_report(catalog, "15-2051.00").to_dict()


def test_role_file_to_csv_file_atomically(
    built_index: Path, shared_data_dir: Path, tmp_path: Path
) -> None:
    role = ROOT / "examples" / "roles" / "ml-ai-engineer.role.yaml"
    target = tmp_path / "tasks.csv"
    target.write_text("old contents")
    r = run_cli(
        "report", str(role), "--format", "csv", "--output", str(target), "--matcher", "lexical",
        index=built_index, data=shared_data_dir,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.csv"]  # no temp file left
    lines = target.read_text().splitlines()
    assert "CC BY 4.0" in lines[1]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[2:]))))
    assert len(rows) == 6  # the six tasks of examples/roles/ml-ai-engineer.role.yaml
    assert all(0.0 <= float(x["match_confidence"]) <= 1.0 for x in rows)
    assert sum(float(x["time_share"]) for x in rows) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99-9999.00"], "no O*NET occupation matches"),
        (["15-2051.00", "--format", "pdf"], "Invalid value for '--format'"),
        (["no-such-role.yaml"], "no role file"),
        (["15-2051.00", "--format", "json", "--output", "/nonexistent-dir/x.json"], "no folder"),
    ],
)
def test_bad_input_exits_2_with_a_hint(
    built_index: Path, shared_data_dir: Path, args: list[str], message: str
) -> None:
    r = run_cli("report", *args, index=built_index, data=shared_data_dir)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
