"""The task matrix and the operational AI cost (page 002): contract, hand-computed cases, page read."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.methods.ai_cost import ECEC_LOADING_FACTOR, CostModel
from jobrisk.methods.base import Method
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.methods.task_matrix import (
    AXES,
    JUDGMENT_VERBS,
    SHARE_COLUMNS,
    AICostPerTaskHour,
    Cell,
    TaskMatrix,
)

from .contract import check_method

DOC = Path(__file__).resolve().parents[2] / "docs" / "methods" / "task_matrix.md"
SHARES = list(SHARE_COLUMNS.values())


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


@pytest.mark.parametrize(
    "method",
    [
        TaskMatrix(),
        TaskMatrix(rater="gpt4"),
        AICostPerTaskHour(),
        AICostPerTaskHour(cost_scope="all_tasks"),
    ],
    ids=repr,
)
def test_contract(method: Method, evidence: Evidence) -> None:
    check_method(method, evidence)


def test_names() -> None:
    assert TaskMatrix().name == "task_matrix"
    assert TaskMatrix(rater="gpt4").name == "task_matrix_gpt4"
    assert AICostPerTaskHour().name == "ai_cost_per_task_hour"


# --- a hand-computed role ------------------------------------------------------------------

# Three tasks of one role (job zone 2, $40 an hour). Axis arithmetic by hand, default weights:
#   A  E0, physical, T0, no use: capability 0 < 0.15            -> Human-critical
#   B  E0, physical, T4, full applicability, penetration 1, used with automation share 1:
#      capability (0.5*0 + 0.3*1 + 0.2*1) / 1 = 0.5, ambiguity 0.35*0.25 = 0.0875;
#      an E0 task is never AI-led                               -> Human-led + AI-assisted
#   C  E1, desk, Supplemental, T4, applicability 1, penetration 1, used, automation 1:
#      capability 1, reliability 1, context 0.25*0.25 = 0.0625, ambiguity 0.0875
#                                                               -> Replaceable
ROLE = "role-hand"


def _hand_evidence(wage: float | None = 40.0, annual: float | None = None) -> Evidence:
    units = pd.DataFrame(
        {
            "job_zone": pd.array([2], dtype="Int64"),
            "hourly_median_wage": [wage],
            "annual_median_wage": [annual],
            "kind": ["role"],
        },
        index=pd.Index([ROLE], name="code"),
    ).astype({"hourly_median_wage": float, "annual_median_wage": float})
    tasks = pd.DataFrame(
        {
            "code": ROLE,
            "task_id": [1, 2, 3],
            "task": [
                "Dig trenches with shovels.",
                "Load pallets onto trucks.",
                "Write summaries of meeting notes.",
            ],
            "task_type": ["Core", "Core", "Supplemental"],
            "time_share": [0.5, 0.3, 0.2],
            "human_e": ["E0", "E0", "E1"],
            "gpt4_e": ["E0", "E0", "E1"],
            "human_t": [None, None, None],
            "gpt4_t": ["T0", "T4", "T4"],
            "penetration": [0.0, 1.0, 1.0],
            "physical": [True, True, False],
            "task_applicability": [0.0, 0.72, 0.72],
        }
    )
    usage = pd.DataFrame(
        {
            "code": ROLE,
            "task_id": pd.array([2, 3], dtype="Int64"),
            "release": "v2",
            "platform": "claude_ai",
            "share": [0.5, 0.5],
            "automation_share": [1.0, 1.0],
        }
    )
    empty = pd.DataFrame({"code": pd.Series([], dtype=str)})
    return Evidence(units, tasks, empty, usage, pd.DataFrame(), empty)


def test_hand_computed_cells_and_week() -> None:
    ev = _hand_evidence()
    exp = TaskMatrix().explain_evidence(ev, ROLE)
    cells = {t.task_id: t.detail["cell"] for t in exp.tasks}
    assert cells == {1: Cell.HUMAN_CRITICAL, 2: Cell.HUMAN_LED, 3: Cell.REPLACEABLE}
    b = next(t for t in exp.tasks if t.task_id == 2).detail
    assert b["capability"] == pytest.approx(0.5)
    assert b["ambiguity"] == pytest.approx(0.0875)
    c = next(t for t in exp.tasks if t.task_id == 3).detail
    assert (c["capability"], c["reliability"]) == (pytest.approx(1.0), pytest.approx(1.0))
    assert c["context"] == pytest.approx(0.0625)
    row = TaskMatrix().score_evidence(ev).loc[ROLE]
    assert row[SHARES].tolist() == pytest.approx([0.2, 0.0, 0.3, 0.5])
    assert row["value"] == pytest.approx(0.2)
    assert row["cell"] == Cell.HUMAN_CRITICAL


def test_e0_physical_task_is_never_ai_led_whatever_the_thresholds() -> None:
    ev = _hand_evidence()
    lax = TaskMatrix(
        capability_floor=0.0,
        ambiguity_critical=1.0,
        capability_replace=0.0,
        reliability_replace=0.0,
        context_replace=1.0,
        ambiguity_replace=1.0,
        capability_augment=0.0,
        reliability_augment=0.0,
        context_augment=1.0,
    )
    for method in (TaskMatrix(), lax):
        exp = method.explain_evidence(ev, ROLE)
        for task in exp.tasks:
            if task.task_id in (1, 2):
                assert task.detail["cell"] in (Cell.HUMAN_CRITICAL, Cell.HUMAN_LED)


def test_hand_computed_cost() -> None:
    # Only task C is AI-handled; reliability 1: oversight 6 min of a $40 x 1.455 hour,
    # inference $3.75, no escaped errors.
    row = AICostPerTaskHour().score_evidence(_hand_evidence()).loc[ROLE]
    loaded = 40.0 * 1.455
    assert row["human_cost_per_hour"] == pytest.approx(loaded)
    assert row["oversight_per_hour"] == pytest.approx(6 / 60 * loaded)
    assert row["error_cost_per_hour"] == pytest.approx(0.0)
    assert row["value"] == pytest.approx(3.75 + 6 / 60 * loaded)
    assert row["ai_cost_share"] == pytest.approx((3.75 + 6 / 60 * loaded) / loaded)


def test_cost_lines_at_zero_reliability() -> None:
    model = CostModel.from_params(CostModel.defaults())
    lines = model.task_hours(pd.Series([0.0, 0.5]), pd.Series([40.0, 40.0]))
    loaded = 40.0 * ECEC_LOADING_FACTOR
    assert lines["oversight_minutes"].tolist() == pytest.approx([60.0, 33.0])
    assert lines["ai_cost"].tolist() == pytest.approx(
        [3.75 + loaded + 0.1 * 100, 3.75 + 33 / 60 * loaded + 0.05 * 100]
    )


def test_role_without_wage_gets_nan_cost_with_a_note() -> None:
    out = AICostPerTaskHour().score_evidence(_hand_evidence(wage=None, annual=83200.0))
    assert math.isnan(out.at[ROLE, "value"])
    assert "annual median wage ($83,200)" in out.at[ROLE, "note"]
    assert "no hourly wage is inferred" in out.at[ROLE, "note"]
    assert out.at[ROLE, "ai_share"] == pytest.approx(0.2)


def test_role_appended_to_real_evidence_leaves_occupations_unchanged(evidence: Evidence) -> None:
    hand = _hand_evidence()
    tasks = hand.tasks.assign(
        time_weight=1.0,
        weight_source="given",
        core_weight=1.0,
        n_iwas=0,
        origin="matched",
        confidence=1.0,
    ).reindex(columns=evidence.tasks.columns)
    combined = dataclasses.replace(
        evidence,
        units=pd.concat([evidence.units, hand.units.reindex(columns=evidence.units.columns)]),
        tasks=pd.concat([evidence.tasks, tasks], ignore_index=True),
        usage=pd.concat([evidence.usage, hand.usage]),
    )
    before = TaskMatrix().score_evidence(evidence)
    after = TaskMatrix().score_evidence(combined)
    pd.testing.assert_frame_equal(after.drop(index=ROLE), before)
    assert after.at[ROLE, "value"] == pytest.approx(0.2)


def test_a_unit_gets_the_same_figures_whatever_units_sit_beside_it(evidence: Evidence) -> None:
    # The role's usage rows out of task order: pandas' groupby would then sum every task's
    # usage another way (Kahan instead of numpy's sum); sums are taken per code, so neither
    # the occupations nor the role move, not even in the last bit.
    hand = _hand_evidence()
    usage = hand.usage.iloc[::-1].assign(automation_share=[0.3, 0.7])
    tasks = hand.tasks.reindex(columns=evidence.tasks.columns)
    alone = dataclasses.replace(hand, usage=usage)
    combined = dataclasses.replace(
        evidence,
        units=pd.concat([evidence.units, hand.units.reindex(columns=evidence.units.columns)]),
        tasks=pd.concat([evidence.tasks, tasks], ignore_index=True),
        usage=pd.concat([evidence.usage, usage], ignore_index=True),
    )
    for method in (TaskMatrix(), AICostPerTaskHour()):
        after = method.score_evidence(combined)
        pd.testing.assert_frame_equal(
            after.drop(index=ROLE), method.score_evidence(evidence), check_exact=True
        )
        own = method.score_evidence(alone).loc[ROLE]
        assert after.loc[ROLE, ["value", *AXES]].tolist() == own[["value", *AXES]].tolist()
        assert method.explain_evidence(combined, ROLE) == method.explain_evidence(alone, ROLE)


# --- properties on the real data --------------------------------------------------------------


def test_shares_sum_to_one_and_value_is_the_ai_led_part(evidence: Evidence) -> None:
    out = TaskMatrix().score_evidence(evidence)
    scored = out["n_tasks"] > 0
    assert (out.loc[scored, SHARES].sum(axis=1) - 1.0).abs().max() < 1e-9
    assert ((out[SHARES] >= 0) | out[SHARES].isna()).all().all()
    ai_led = out["share_replaceable"] + out["share_ai_augmented"]
    assert (out.loc[scored, "value"] - ai_led[scored]).abs().max() < 1e-12
    assert out.loc[~scored, "value"].isna().all()
    assert (out.loc[~scored, "note"] == "no O*NET tasks for this occupation").all()


def test_headline_is_the_largest_share(evidence: Evidence) -> None:
    out = TaskMatrix().score_evidence(evidence).dropna(subset=["cell"])
    names = {str(c): col for c, col in SHARE_COLUMNS.items()}
    headline = [out.at[code, names[cell]] for code, cell in out["cell"].items()]
    assert (pd.Series(headline, index=out.index) >= out[SHARES].max(axis=1) - 1e-12).all()


def test_loading_factor_moves_only_the_oversight_part(evidence: Evidence) -> None:
    base = AICostPerTaskHour().score_evidence(evidence)
    high = AICostPerTaskHour().with_params(loading_factor=1.5).score_evidence(evidence)
    costed = base["value"].notna()
    assert costed.sum() > 500
    expected = base["oversight_per_hour"] * (1.5 / ECEC_LOADING_FACTOR - 1.0)
    diff = high["value"] - base["value"]
    assert (diff[costed] - expected[costed]).abs().max() < 1e-9
    assert (diff[costed] > 0).all()
    for part in ("inference_per_hour", "error_cost_per_hour"):
        pd.testing.assert_series_equal(high[part], base[part])


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("25-2021.00", "only an annual median wage"),  # Elementary School Teachers
        ("53-2011.00", "only an annual median wage"),  # Airline Pilots
        ("11-1031.00", "no median wage"),  # Legislators
    ],
)
def test_occupation_without_hourly_wage_gets_nan_cost(
    evidence: Evidence, code: str, words: str
) -> None:
    cost = AICostPerTaskHour()
    row = cost.score_evidence(evidence).loc[code]
    assert math.isnan(row["value"]) and words in row["note"]
    assert not math.isnan(row["ai_share"])
    exp = cost.explain_evidence(evidence, code)
    assert exp.value is None and words in exp.summary


def test_no_ai_led_time_means_no_ai_hour_to_cost(evidence: Evidence) -> None:
    out = AICostPerTaskHour().score_evidence(evidence)
    none_ai = (out["ai_share"] == 0) & out["hourly_wage"].notna()
    assert none_ai.any()
    assert out.loc[none_ai, "value"].isna().all()
    assert out.loc[none_ai, "note"].str.contains("no AI-handled hour").all()


def test_more_e2_credit_never_lowers_the_ai_led_share(evidence: Evidence) -> None:
    low = TaskMatrix(e2_credit=0.25).score_evidence(evidence)["value"]
    high = TaskMatrix(e2_credit=1.0).score_evidence(evidence)["value"]
    assert ((high - low).dropna() >= -1e-12).all()
    assert (high - low).max() > 0


def test_explanation_carries_axes_cell_share_and_cost(evidence: Evidence) -> None:
    exp = TaskMatrix().explain_evidence(evidence, "15-2051.00")
    assert exp.label in {str(c) for c in Cell}
    assert exp.label in exp.summary and "of the week" in exp.summary
    assert "of the human hour" in exp.summary
    for task in exp.tasks:
        assert {"capability", "reliability", "context", "ambiguity", "cell", "ai_cost"} <= set(
            task.detail
        )
    assert sum(t.time_share for t in exp.tasks) == pytest.approx(1.0)


# --- page 002 ------------------------------------------------------------------------------


def test_page_002_read_on_the_closest_occupations(evidence: Evidence) -> None:
    """Page 002's ML engineer: zero Replaceable, about half AI-augmented, the rest human-led or
    human-critical, headline AI-augmented. O*NET has no ML engineer; the checks below are the
    parts of that read that hold on the closest occupations (the rest is in the docs)."""
    out = TaskMatrix().score_evidence(evidence)
    ds = out.loc["15-2051.00"]  # Data Scientists
    assert ds["cell"] == Cell.AI_AUGMENTED
    assert 0.35 <= ds["share_ai_augmented"] <= 0.65
    assert ds["share_human_led"] > 0 and ds["share_human_critical"] > 0
    assert ds["share_replaceable"] < ds["share_ai_augmented"]
    cirs = out.loc["15-1221.00"]  # Computer and Information Research Scientists
    assert cirs["share_replaceable"] == 0
    assert cirs["share_human_led"] > 0 and cirs["share_human_critical"] > 0


# --- parameters ----------------------------------------------------------------------------


def test_loading_factor_default_is_bls_ecec() -> None:
    # ECEC June 2025, civilian workers: $48.05 compensation, $33.02 wages and salaries.
    assert TaskMatrix().params["loading_factor"] == pytest.approx(1.455)
    assert TaskMatrix().with_params(loading_factor=1.5).params["loading_factor"] == 1.5


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"loading_factor": 0.5}, "loading_factor"),
        ({"loading_factor": "lots"}, "must be a number"),
        ({"capability_floor": 1.5}, "capability_floor"),
        ({"e2_credit": -0.1}, "e2_credit"),
        ({"inference_cost_per_hour": -1}, "inference_cost_per_hour"),
        ({"cost_per_error": 1e9}, "cost_per_error"),
        ({"rater": "martian"}, "rater"),
        ({"cost_scope": "everything"}, "cost_scope"),
        ({"oversight_minutes_reliable": 30, "oversight_minutes_unreliable": 10}, "swap"),
    ],
)
def test_bad_parameters_are_input_errors(params: dict[str, object], words: str) -> None:
    for cls in (TaskMatrix, AICostPerTaskHour):
        with pytest.raises(InputError, match=words):
            cls(**params)
    with pytest.raises(InputError):
        AICostPerTaskHour().with_params(**params)


def test_docs_name_every_parameter_and_judgment_verb() -> None:
    text = DOC.read_text()
    for parameter in TaskMatrix.parameters:
        assert f"`{parameter.name}`" in text, parameter.name
    for verb in JUDGMENT_VERBS:
        assert verb in text, verb
    assert len(JUDGMENT_VERBS) <= 20
