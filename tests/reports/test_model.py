"""The report model on the real index: strict JSON, invariants, numbers checked against raw tables."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from tests.reports.conftest import ROLE_TASKS

from jobrisk.catalog import Catalog
from jobrisk.errors import UnknownOccupationError
from jobrisk.reports import Report, build_report
from jobrisk.roles import load_role, make_role

ROOT = Path(__file__).resolve().parents[2]
OCCUPATION = "15-2051.00"

TOP_KEYS = {
    "schema_version", "kind", "code", "title", "profile", "scores", "consensus", "tasks",
    "outlook", "aijri", "cost", "comparable", "sources", "attribution", "notes",
}  # fmt: skip


def _walk_floats(obj: object) -> list[float]:
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _walk_floats(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _walk_floats(v)]
    return [obj] if isinstance(obj, float) else []


def test_json_is_strict_and_round_trips(occupation_report: Report, role_report: Report) -> None:
    for report in (occupation_report, role_report):
        d = report.to_dict()
        text = json.dumps(d, allow_nan=False)
        assert json.loads(text) == d
        assert set(d) == TOP_KEYS
        assert all(math.isfinite(x) for x in _walk_floats(d))
        assert d["schema_version"] == 1


def test_profile_matches_the_raw_occupations_table(
    catalog: Catalog, occupation_report: Report
) -> None:
    raw = catalog.query(
        "select title, job_zone, employment, annual_median_wage from occupations where code = ?",
        [OCCUPATION],
    ).iloc[0]
    p = occupation_report.profile
    assert (p.title, p.job_zone) == (raw["title"], raw["job_zone"])
    assert p.employment == raw["employment"] == 262440  # BLS OEWS May 2025, SOC 15-2051
    assert p.annual_median_wage == raw["annual_median_wage"]


def test_task_table_is_the_raw_task_list(catalog: Catalog, occupation_report: Report) -> None:
    raw = catalog.query("select task_id, time_share from tasks where code = ?", [OCCUPATION])
    rows = occupation_report.tasks.rows
    assert {r.task_id: r.time_share for r in rows} == dict(
        zip(raw["task_id"], raw["time_share"], strict=True)
    )
    assert math.isclose(sum(r.time_share for r in rows), 1.0, abs_tol=1e-9)
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    # every labelled task has an AIJRI score 1-5 and a matrix cell
    for r in rows:
        if r.exposure:
            assert r.aijri_score in {1, 2, 3, 4, 5}
            assert r.matrix_cell


def test_published_value_reaches_the_score_card(
    shared_data_dir: Path, occupation_report: Report
) -> None:
    occ = pd.read_csv(shared_data_dir / "eloundou_2023" / "occ_level.csv")
    code_col = next(c for c in occ.columns if "O*NET" in c or c.lower() in {"code", "onet_code"})
    beta = occ.loc[occ[code_col] == OCCUPATION, "human_rating_beta"].iloc[0]
    assert occupation_report.card("eloundou_beta_human").value == pytest.approx(beta)


def test_consensus_is_the_mean_of_its_cards(occupation_report: Report) -> None:
    c = occupation_report.consensus
    cards = [x for x in occupation_report.scores if x.in_consensus]
    assert [x.method for x in cards] == list(c.methods)
    assert c.n_methods == len(cards)
    pcts = [x.exposure_percentile for x in cards if x.exposure_percentile is not None]
    assert c.exposure_percentile == pytest.approx(sum(pcts) / len(pcts))
    assert c.spread == pytest.approx(max(pcts) - min(pcts))
    assert c.low is not None and c.high is not None
    assert c.low <= c.exposure_percentile <= c.high


def test_aijri_breakdown_recomposes_the_score(occupation_report: Report) -> None:
    a = occupation_report.aijri
    assert a.value is not None and a.composite == pytest.approx(a.value)
    # page 003: 3 principles, 5 evidence, 5 barriers and growth correlation = 14 inputs
    assert [len(a.principles), len(a.evidence), len(a.barriers), len(a.growth)] == [3, 5, 5, 1]
    assert a.n_inputs == 14 and f"{a.n_derived} of 14 inputs derived" in a.summary
    assert a.evidence_total == sum(i.value or 0 for i in a.evidence)
    assert a.barrier_total == sum(i.value or 0 for i in a.barriers)
    # page 003: modifiers 1 + 0.04 E, 1 + 0.02 B, 1 + 0.05 G; AIJRI = (raw - 0.54) / 7.93 x 100
    assert a.evidence_modifier == pytest.approx(1 + 0.04 * a.evidence_total)
    assert a.barrier_modifier == pytest.approx(1 + 0.02 * a.barrier_total)
    assert a.growth_correlation is not None
    assert a.growth_modifier == pytest.approx(1 + 0.05 * a.growth_correlation)
    raw = a.task_resistance * a.evidence_modifier * a.barrier_modifier * a.growth_modifier
    assert a.raw == pytest.approx(raw)
    assert a.value == pytest.approx((raw - 0.54) / 7.93 * 100)
    shares = [a.time_displacement, a.time_augmentation, a.time_not_involved]
    assert sum(s or 0 for s in shares) == pytest.approx(1.0)


def test_ai_cost_parts_add_up(catalog: Catalog, occupation_report: Report) -> None:
    k = occupation_report.cost
    assert k.value is not None and k.inference and k.oversight and k.errors is not None
    assert k.inference + k.oversight + k.errors == pytest.approx(k.value)
    wage = catalog.query("select hourly_median_wage from occupations where code = ?", [OCCUPATION])
    assert k.hourly_wage == wage.iloc[0, 0]
    assert k.human_cost_per_hour == pytest.approx(k.hourly_wage * (k.loading_factor or 0))
    assert k.ai_cost_share == pytest.approx(k.value / k.human_cost_per_hour)
    assert sum(v or 0 for _, v in k.week_shares) == pytest.approx(1.0)
    assert k.value == occupation_report.card("ai_cost_per_task_hour").value


def test_every_cited_source_is_listed(occupation_report: Report, catalog: Catalog) -> None:
    r = occupation_report
    listed = {s.source_id for s in r.sources}
    cited = set(r.profile.sources) | set(r.tasks.sources) | set(r.consensus.sources)
    cited |= set(r.aijri.sources) | set(r.cost.sources) | set(r.outlook.sources)
    cited |= {s for c in r.scores for s in c.sources}
    known = {s.source_id for s in catalog.sources()}
    assert cited & known == listed
    assert {"onet_30_1", "bls"} <= listed
    assert "O*NET 30.1" in r.attribution and "CC BY 4.0" in r.attribution


def test_custom_role_has_match_confidences(role_report: Report) -> None:
    r = role_report
    assert r.kind == "custom_role" and r.code.startswith("role:")
    assert r.profile.matcher == "lexical"
    rows = r.tasks.rows
    assert [x.task for x in rows] == ROLE_TASKS
    assert [x.time_share for x in rows] == [0.5, 0.3, 0.2]
    for x in rows:
        assert x.match_status in {"matched", "predicted", "unmatched"}
        assert x.match_confidence is not None and 0.0 <= x.match_confidence <= 1.0
    assert sum(x.time_share for x in rows) == pytest.approx(1.0)
    assert any(x.match_status == "matched" for x in rows)
    assert r.profile.best_match_code is not None


def test_role_file_and_path_give_the_same_report(catalog: Catalog) -> None:
    path = ROOT / "examples" / "roles" / "ml-ai-engineer.role.yaml"
    a = build_report(catalog, path, matcher="lexical").to_dict()
    b = build_report(catalog, load_role(path), matcher="lexical").to_dict()
    assert a == b


def test_unknown_occupation_is_an_error(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError):
        build_report(catalog, "99-9999.00")


def test_role_report_builds_for_a_hostile_title(catalog: Catalog) -> None:
    role = make_role("<b>x</b>", ["Analyze large sets of data using statistical software"])
    assert build_report(catalog, role, matcher="lexical").title == "<b>x</b>"


def test_comparable_jobs_share_the_minor_group(
    catalog: Catalog, occupation_report: Report, role_report: Report
) -> None:
    groups = dict(catalog.query("select code, minor_code from occupations").itertuples(index=False))
    cj = occupation_report.comparable
    assert cj.basis_code == OCCUPATION and 1 <= len(cj.rows) <= 10
    assert groups[OCCUPATION] == "15-2000"
    assert all(groups[j.code] == groups[OCCUPATION] for j in cj.rows)
    assert OCCUPATION not in {j.code for j in cj.rows}
    assert role_report.comparable.basis_code == role_report.profile.best_match_code
