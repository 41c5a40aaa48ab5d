"""The real `jobrisk` command in a subprocess: output, exit codes, no stack traces."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli_run import run_cli


def test_show_prints_the_evidence_report(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("show", "15-2051.00", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    for text in (
        "Data Scientists",
        "Computer and Mathematical Occupations (15-0000)",
        "Job zone: 4",
        "262,440",  # BLS OEWS May 2025 employment, SOC 15-2051
        "Analyze, manipulate, or process large sets of data using statistical software.",
        "Eloundou et al. beta (human labels)",
        "0.594",  # occ_level.csv human_rating_beta for 15-2051.00, rounded
        "CC BY 4.0",
    ):
        assert text in r.stdout


def test_search_finds_a_typo(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("search", "machine lerning engineer", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert "15-2051.00" in r.stdout and "Machine Learning Engineer" in r.stdout


@pytest.mark.parametrize("query", ["99-9999", "15-2051.77", "zzzz qqqq"])
def test_unknown_occupation_is_bad_input_with_a_hint(
    built_index: Path, shared_data_dir: Path, query: str
) -> None:
    r = run_cli("show", query, index=built_index, data=shared_data_dir)
    assert r.returncode == 2
    assert "no O*NET occupation matches" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_missing_index_and_missing_data_explain_what_to_do(tmp_path: Path) -> None:
    r = run_cli("show", "15-2051.00", index=tmp_path / "none.duckdb", data=tmp_path / "nodata")
    assert r.returncode == 1
    assert "missing file" in r.stderr and "jobrisk data pull" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_build_reports_up_to_date_and_coverage(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("build", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert "index is up to date" in r.stdout
    cov = run_cli("coverage", index=built_index, data=shared_data_dir)
    assert cov.returncode == 0
    assert "task_exposure_labels" in cov.stdout and "18,739" in cov.stdout


def test_data_status_verifies_every_source(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("data", "status", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("verified") >= 13
    assert "missing" not in r.stdout and "changed" not in r.stdout


def test_every_command_help_has_an_example(built_index: Path, shared_data_dir: Path) -> None:
    for cmd in (
        ["build"],
        ["show"],
        ["search"],
        ["list"],
        ["coverage"],
        ["data", "status"],
        ["data", "pull"],
    ):
        r = run_cli(*cmd, "--help", index=built_index, data=shared_data_dir)
        assert r.returncode == 0
        assert "Example:" in r.stdout, cmd


def test_list_group(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("list", "15-2050", index=built_index, data=shared_data_dir)
    assert r.returncode == 0
    assert "Business Intelligence Analysts" in r.stdout
    bad = run_cli("list", "computers", index=built_index, data=shared_data_dir)
    assert bad.returncode == 2 and "not a SOC group code" in bad.stderr


def test_data_pull_from_a_mirror_then_status(
    tmp_path: Path, built_index: Path, shared_data_dir: Path
) -> None:
    data = tmp_path / "data"
    r = run_cli(
        "--data-dir",
        str(data),
        "data",
        "pull",
        "--source",
        "eloundou_2023",
        "--mirror",
        str(shared_data_dir),
        index=built_index,
        data=shared_data_dir,
    )
    assert r.returncode == 0, r.stderr
    assert "10 downloaded" in r.stdout
    assert (data / "eloundou_2023" / "occ_level.csv").read_bytes() == (
        shared_data_dir / "eloundou_2023" / "occ_level.csv"
    ).read_bytes()
    status = run_cli(
        "--data-dir", str(data), "data", "status", index=built_index, data=shared_data_dir
    )
    assert status.returncode == 1
    assert "eloundou_2023" in status.stdout and "verified" in status.stdout
    assert "missing" in status.stdout and "jobrisk data pull" in status.stderr


def test_unknown_source_id_is_bad_input(
    built_index: Path, shared_data_dir: Path, tmp_path: Path
) -> None:
    r = run_cli(
        "--data-dir",
        str(tmp_path),
        "data",
        "pull",
        "--source",
        "nope",
        index=built_index,
        data=shared_data_dir,
    )
    assert r.returncode == 2
    assert "nope" in r.stderr and "eloundou_2023" in r.stderr
    assert "Traceback" not in r.stderr


def test_build_exports_parquet(built_index: Path, shared_data_dir: Path, tmp_path: Path) -> None:
    import duckdb

    r = run_cli("build", "--parquet", str(tmp_path / "pq"), index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    tasks = tmp_path / "pq" / "tasks.parquet"
    assert tasks.is_file()
    with duckdb.connect() as con:
        n = con.execute("select count(*) from read_parquet(?)", [tasks.as_posix()]).fetchone()
    assert n == (18796,)


def test_score_shows_every_method_and_the_consensus(
    built_index: Path, shared_data_dir: Path
) -> None:
    from jobrisk.methods import REGISTRY

    r = run_cli("score", "15-2051.00", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert "Data Scientists" in r.stdout and "Consensus" in r.stdout
    for method in REGISTRY.values():
        assert method.title in r.stdout
        assert f"{method.name}:" in r.stdout  # its explanation


def test_score_json_is_the_api_record(built_index: Path, shared_data_dir: Path) -> None:
    import json

    from jobrisk.methods import REGISTRY

    r = run_cli("score", "15-2051", "--json", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    payload = json.loads(r.stdout)
    assert payload["occupation"]["title"] == "Data Scientists"
    assert [m["method"] for m in payload["consensus"]["methods"]] == list(REGISTRY)


def test_compare_and_its_bad_input(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("compare", "15-2051.00", "15-2041.00", index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert "Statisticians" in r.stdout and "consensus" in r.stdout
    one = run_cli("compare", "15-2051.00", index=built_index, data=shared_data_dir)
    assert one.returncode == 2 and "2 to 5" in one.stderr and "Traceback" not in one.stderr


def test_rank_and_methods(built_index: Path, shared_data_dir: Path) -> None:
    from jobrisk.methods import REGISTRY

    r = run_cli(
        "rank", "--method", "eloundou_beta_human", "--group", "15-0000", "--limit", "3",
        index=built_index, data=shared_data_dir,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Ranked by eloundou_beta_human" in r.stdout
    m = run_cli("methods", index=built_index, data=shared_data_dir)
    assert m.returncode == 0
    for name in REGISTRY:
        assert name in m.stdout
    one = run_cli("methods", "eloundou_beta_human", index=built_index, data=shared_data_dir)
    assert "GPTs are GPTs" in one.stdout and "weighting=core" in one.stdout
    bad = run_cli(
        "score", "15-2051.00", "--method", "nope", index=built_index, data=shared_data_dir
    )
    assert bad.returncode == 2 and "no method named 'nope'" in bad.stderr


def test_an_index_from_an_older_schema_is_rebuilt_with_a_notice(
    built_index: Path, shared_data_dir: Path, tmp_path: Path
) -> None:
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copyfile(built_index, old)
    with duckdb.connect(str(old)) as con:
        con.execute("update meta set value = '0' where key = 'schema_version'")
    r = run_cli("score", "15-2051.00", "--method", "aijri", index=old, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    assert "built by an older jobrisk" in r.stderr and "AIJRI" in r.stdout
