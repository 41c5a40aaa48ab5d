"""AIJRI with derived inputs (METHODS 2.2): contract, hand-computed rules, properties.

"page 003" is /work/shared/reference/pages/003_67e231221272947a.txt.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from jobrisk import aijri
from jobrisk.catalog import Catalog
from jobrisk.methods.aijri_derived import DerivedAijri, build_assessment
from jobrisk.methods.aijri_inputs import grade, onet_percentile
from jobrisk.methods.aijri_rules import (
    DERIVED,
    GIVEN,
    INPUT_COLUMNS,
    INPUT_RULES,
    LICENSED_BY_LAW,
)
from jobrisk.methods.aijri_tasks import score_tasks
from jobrisk.methods.evidence import Evidence, load_evidence

from .contract import PROBES, check_method

LABORERS = "47-2061.00"
NURSES = "29-1141.00"


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


@pytest.fixture(scope="module")
def proposed(evidence: Evidence) -> Evidence:
    """The evidence with its skills frame and May 2021 wage (once a proposal, now built in)."""
    assert len(evidence.skills) > 0 and "annual_median_wage_2021" in evidence.units
    return evidence


@pytest.fixture(scope="module")
def scores(evidence: Evidence) -> pd.DataFrame:
    return DerivedAijri().score_evidence(evidence)


@pytest.fixture(scope="module")
def proposed_scores(proposed: Evidence) -> pd.DataFrame:
    return DerivedAijri().score_evidence(proposed)


def test_contract(evidence: Evidence) -> None:
    check_method(DerivedAijri(), evidence)


def test_contract_with_the_proposed_evidence(proposed: Evidence) -> None:
    check_method(DerivedAijri(rater="gpt4"), proposed)


def test_page_003_inputs_through_build_assessment() -> None:
    tasks: list[tuple[str, float, int, aijri.Label]] = [  # page 003 lines 22-27
        ("Design", 20, 2, "AUGMENTATION"),
        ("Develop", 25, 2, "AUGMENTATION"),
        ("Deploy", 20, 3, "AUGMENTATION"),
        ("Fine-tune", 15, 3, "AUGMENTATION"),
        ("Research", 10, 1, "NOT INVOLVED"),
        ("Collaborate", 10, 2, "NOT INVOLVED"),
    ]
    inputs = {
        "embodied_physicality": 0,
        "deep_interpersonal_connection": 0,
        "goal_setting_moral_judgment": 2,
        "job_posting_trends": 2,
        "company_actions": 2,
        "wage_trends": 2,
        "ai_tool_maturity": 1,
        "expert_consensus": 2,
        "regulatory_licensing": 1,
        "physical_presence": 0,
        "union_collective_bargaining": 0,
        "liability_accountability": 1,
        "cultural_ethical": 1,
        "growth_correlation": 2,
        "given_inputs": "company_actions",
    }
    # Shares in a different unit (fractions) are rescaled to 100, as O*NET shares are.
    result = aijri.compute(
        build_assessment("ML/AI Engineer", [(t, s / 100, n, lab) for t, s, n, lab in tasks], inputs)
    )
    assert (result.task_resistance, result.raw) == (3.75, 5.9466)
    assert round(result.aijri, 1) == 68.2
    assert (result.zone, result.sub_label) == ("GREEN", "Green (Accelerated)")
    assert result.derived_inputs == tuple(
        n for n in aijri.INPUT_NAMES if n != "evidence.company_actions"
    )


# --- the task rule, by hand ------------------------------------------------------------------

TASK_CASES = [
    # human_e, gpt4_e, gpt4_t, penetration, latest share, automation share -> score, label
    ("E0", "E1", "T3", 0.9, 1.0, 0.9, 1, "NOT INVOLVED"),
    ("E2", "E2", "T1", 0.0, None, None, 2, "AUGMENTATION"),
    ("E1", "E1", "T2", 0.0, None, None, 3, "AUGMENTATION"),
    ("E2", "E2", "T3", 0.0, None, None, 4, "DISPLACEMENT"),
    ("E1", "E1", "T2", 0.8, None, None, 4, "AUGMENTATION"),
    ("E1", "E1", "T1", 0.0, 0.5, 0.2, 3, "AUGMENTATION"),
    ("E1", "E1", "T1", 0.0, 0.5, 0.8, 4, "DISPLACEMENT"),
    ("E2", "E2", "T3", 0.0, 0.5, 0.5, 5, "DISPLACEMENT"),
    ("E2", "E2", "T4", 0.7, 0.5, 0.1, 5, "DISPLACEMENT"),
    (None, "E1", "T3", 0.0, None, None, 4, "DISPLACEMENT"),
    (None, None, None, 0.9, 0.5, 0.9, None, None),
]


def _case_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows, usage = [], []
    for i, (he, ge, gt, pen, share, auto, _, _) in enumerate(TASK_CASES):
        rows.append(
            {
                "code": "x",
                "task_id": i,
                "task": f"t{i}",
                "time_share": 1 / len(TASK_CASES),
                "physical": False,
                "human_e": he,
                "gpt4_e": ge,
                "human_t": None,
                "gpt4_t": gt,
                "penetration": pen,
            }
        )
        if share is not None:
            usage.append(("x", i, "v9", "claude_ai", share, auto))
            usage.append(("x", i, "v1", "claude_ai", share, 0.0))  # an old release: ignored
    releases = pd.DataFrame(
        {
            "release": ["v1", "v9"],
            "platform": ["claude_ai", "claude_ai"],
            "release_date": ["2025-01-01", "2026-01-01"],
            "has_modes": [True, True],
        }
    )
    cols = ["code", "task_id", "release", "platform", "share", "automation_share"]
    return pd.DataFrame(rows), pd.DataFrame(usage, columns=cols), releases


def test_task_scores_and_labels_by_hand() -> None:
    tasks, usage, releases = _case_frames()
    scored = score_tasks(tasks, usage, releases, rater="human", displacement_share=0.5)
    got = [
        (None if pd.isna(s) else int(s), None if pd.isna(lab) else lab)
        for s, lab in zip(scored["score"], scored["label"], strict=True)
    ]
    assert got == [(c[6], c[7]) for c in TASK_CASES]
    raters = [None if pd.isna(r) else r for r in scored["exposure_rater"]]
    assert raters[-2:] == ["gpt4", None]


def test_rater_gpt4_reads_gpt4_labels_first() -> None:
    tasks, usage, releases = _case_frames()
    scored = score_tasks(tasks, usage, releases, rater="gpt4", displacement_share=0.5)
    assert scored.loc[0, "exposure"] == "E1"
    assert scored.loc[0, "score"] == 5  # E1, T3, in use, 90% automation-mode


def test_percentile_and_grade_by_hand() -> None:
    units = pd.DataFrame({"kind": ["onet"] * 4 + ["role"]}, index=list("abcde"))
    values = pd.Series([1.0, 2.0, 2.0, 3.0, 10.0], index=units.index)
    pct = onet_percentile(values, units)
    assert pct.tolist() == [0.125, 0.5, 0.5, 0.875, 1.0]  # mid-ranks; the role is not counted
    cuts = (0.10, 0.30, 0.70, 0.90)
    grid = pd.Series([0.0, 0.0999, 0.1, 0.3, 0.6999, 0.7, 0.9, 1.0, float("nan")])
    assert grade(grid, cuts, start=-2).tolist()[:-1] == [-2, -2, -1, 0, 0, 1, 2, 2]
    assert math.isnan(grade(grid, cuts, start=-2).iloc[-1])


# --- properties over every occupation --------------------------------------------------------


@pytest.mark.parametrize("which", ["scores", "proposed_scores"])
def test_every_input_inside_its_range(which: str, request: pytest.FixtureRequest) -> None:
    frame: pd.DataFrame = request.getfixturevalue(which)
    for rule in INPUT_RULES:
        if rule.name == "tasks":
            continue
        low, high = rule.bounds
        column = frame[rule.column]
        assert column.notna().all() and column.between(low, high).all(), rule.name
    valued = frame["value"].notna()
    assert frame.loc[valued, "task_resistance"].between(1, 5).all()
    assert frame.loc[valued, "zone"].isin(aijri.ZONES).all()
    assert (frame.loc[valued, "value"] == frame.loc[valued, "aijri_unclamped"].clip(0, 100)).all()


def test_all_e0_occupation_has_task_resistance_5(evidence: Evidence) -> None:
    sub = evidence.subset([LABORERS, "15-2051.00"])
    tasks = sub.tasks.assign(human_e="E0", gpt4_e="E0")
    scores = DerivedAijri().compute(dataclasses.replace(sub, tasks=tasks))
    assert (scores["task_resistance"] == 5.0).all()
    assert (scores["time_not_involved"] == 1.0).all()


def test_real_occupations_with_only_e0_tasks_score_5(
    evidence: Evidence, scores: pd.DataFrame
) -> None:
    e = evidence.tasks["human_e"].fillna(evidence.tasks["gpt4_e"])
    only_e0 = e.groupby(evidence.tasks["code"]).agg(
        lambda s: bool(s.notna().any() and (s.dropna() == "E0").all())
    )
    codes = only_e0[only_e0].index
    assert len(codes) > 0
    assert (scores.loc[codes, "task_resistance"] == 5.0).all()


def test_construction_laborers_are_physical_and_not_red(
    scores: pd.DataFrame, proposed_scores: pd.DataFrame
) -> None:
    for frame in (scores, proposed_scores):
        row = frame.loc[LABORERS]
        assert row["embodied_physicality"] >= 2
        assert row["physical_presence"] == 2
        assert row["zone"] in ("GREEN", "YELLOW")


def test_more_exposure_never_raises_resistance(evidence: Evidence, scores: pd.DataFrame) -> None:
    sub = evidence.subset(list(PROBES))
    tasks = sub.tasks.assign(human_e="E1", gpt4_t="T4")
    exposed = DerivedAijri().compute(dataclasses.replace(sub, tasks=tasks))
    base = DerivedAijri().compute(sub)
    known = base["value"].notna()
    assert (exposed.loc[known, "task_resistance"] <= base.loc[known, "task_resistance"]).all()


# --- derived or given -------------------------------------------------------------------------


@pytest.mark.parametrize("code", PROBES)
def test_every_input_is_marked_derived_or_given(
    evidence: Evidence, proposed: Evidence, code: str
) -> None:
    method = DerivedAijri()
    for ev in (evidence, proposed):
        exp = method.explain_evidence(ev, code)
        assert set(exp.inputs) == set(aijri.INPUT_NAMES)
        for name, item in exp.inputs.items():
            assert item.status in (DERIVED, GIVEN), name
            assert item.evidence and item.rule and item.basis, name
            if item.status == GIVEN and name != "tasks":
                assert item.value == 0, name
        assert exp.inputs["evidence.company_actions"].status == GIVEN
        given = {n for n, item in exp.inputs.items() if item.status == GIVEN}
        assessment = method.assessment(ev, code)
        if assessment is not None:
            assert {n for n, k in assessment.provenance.items() if k == "given"} == given


def test_skills_and_wages_are_given_when_the_evidence_lacks_them(
    evidence: Evidence, scores: pd.DataFrame
) -> None:
    bare = dataclasses.replace(
        evidence,
        skills=evidence.skills.iloc[:0],
        units=evidence.units.drop(columns=["annual_median_wage_2021"]),
    )
    without = DerivedAijri().compute(bare)
    lacking = ("deep_interpersonal_connection", "goal_setting_moral_judgment", "wage_trends")
    assert all(c in without.at[NURSES, "given_inputs"].split(",") for c in lacking)
    assert scores.at[NURSES, "given_inputs"] == "company_actions"
    names = {c for g in scores["given_inputs"] for c in g.split(",") if c}
    assert names <= set(INPUT_COLUMNS)


def test_nurses_interpersonal_connection_from_onet_importance(
    proposed_scores: pd.DataFrame,
) -> None:
    # O*NET 30.1 importance for 29-1141.00: Social Perceptiveness 4.12, Service Orientation
    # 4.00 -> mean 4.06, at least "very important" (4) -> 3; cultural/ethical 3 -> 2.
    row = proposed_scores.loc[NURSES]
    assert row["interpersonal_importance"] == pytest.approx(4.06)
    assert (row["deep_interpersonal_connection"], row["cultural_ethical"]) == (3, 2)


def test_wage_growth_is_the_oews_ratio(catalog: Catalog, proposed_scores: pd.DataFrame) -> None:
    wages = catalog.query(
        "select year, annual_median_wage from oews where soc_code = '47-2061' order by year"
    ).set_index("year")["annual_median_wage"]
    expected = wages[2025] / wages[2021] - 1
    assert proposed_scores.at[LABORERS, "wage_growth"] == pytest.approx(expected)


def test_licensed_occupations(evidence: Evidence, scores: pd.DataFrame) -> None:
    codes = pd.Series(evidence.units.index)
    for group in LICENSED_BY_LAW:
        assert codes.str.startswith(group.prefix).any(), f"{group.prefix} matches nothing"
    assert scores.at[NURSES, "regulatory_licensing"] == 2
    assert scores.at["23-1011.00", "regulatory_licensing"] == 2
    assert scores.at["15-1252.00", "regulatory_licensing"] == 0
    assert scores.at["25-2021.00", "union_collective_bargaining"] == 1
    assert scores.at["43-4051.00", "union_collective_bargaining"] == 0


def test_explanation_tasks_sum_to_six_minus_task_resistance(
    evidence: Evidence, scores: pd.DataFrame
) -> None:
    for code in PROBES:
        exp = DerivedAijri().explain_evidence(evidence, code)
        if exp.value is None:
            continue
        weighted = sum(t.contribution for t in exp.tasks)
        assert weighted == pytest.approx(6 - scores.at[code, "task_resistance"])
        assert sum(t.time_share for t in exp.tasks) == pytest.approx(1.0)


def test_occupation_without_tasks_says_why(scores: pd.DataFrame) -> None:
    missing = scores[scores["value"].isna()]
    assert len(missing) > 0
    assert missing["note"].str.contains("no O\\*NET tasks|exposure label").all()


def test_a_custom_role_does_not_move_the_occupations(evidence: Evidence) -> None:
    role = "role:nurse"
    units = pd.concat([evidence.units, evidence.units.loc[[NURSES]].assign(kind="role")])
    units.index = [*evidence.units.index, role]
    units.index.name = "code"

    def copy(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([frame, frame[frame["code"] == NURSES].assign(code=role)])

    with_role = dataclasses.replace(
        evidence, units=units, tasks=copy(evidence.tasks), usage=copy(evidence.usage)
    )
    method = DerivedAijri()
    before = method.compute(evidence)
    after = method.compute(with_role)
    pd.testing.assert_frame_equal(after.loc[before.index], before)
    assert after.at[role, "task_resistance"] == before.at[NURSES, "task_resistance"]
