"""Exposure and automation risk over time (METHODS 2.4, page 001) and the adoption-curve fit.

Expected values come from hand arithmetic on a small role appended to the real evidence, from
Eloundou et al.'s published ``occ_level.csv`` (through the index's measures) and from curves
with known parameters, never from the method's own output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.methods.adoption import (
    expit,
    fit_logistic,
    poisson_task_weights,
    pooled_slope,
    project,
    release_bootstrap_slopes,
    year_fraction,
)
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.methods.exposure_series import (
    FitOptions,
    TimelineOptions,
    _compute_series,
    _timeline_of,
    build_timeline,
    exposure_series,
)
from jobrisk.methods.exposure_time import ExposureOverTime
from jobrisk.methods.sums import group_sums

from .contract import check_method

# The instances proposed for the registry, plus variants whose parameters change the evidence.
REGISTERED = (
    ExposureOverTime(quantity="exposure", at="2023"),
    ExposureOverTime(quantity="exposure", at="now"),
    ExposureOverTime(quantity="exposure", at="projection"),
    ExposureOverTime(quantity="automation_risk", at="now"),
    ExposureOverTime(quantity="automation_risk", at="projection"),
)
VARIANTS = (
    ExposureOverTime(quantity="automation_risk", at="2023"),
    ExposureOverTime(quantity="exposure", at="v3"),
    ExposureOverTime(quantity="exposure", at="now", platform="any", penetration=True),
    ExposureOverTime(quantity="exposure", at="projection", rater="gpt4", projection_year=2030),
    ExposureOverTime(
        quantity="automation_risk",
        at="now",
        automation_levels="graded",
        automation_evidence="labels",
        cumulative=False,
        union_2023=False,
        threshold=0.01,
    ),
)
POINTS = ("2023", "v1", "v2", "v3", "v4", "v5")
ROLE = "role-test"


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


@pytest.fixture(scope="module")
def with_role(evidence: Evidence) -> Evidence:
    """The real evidence plus one role with four hand-made tasks (shares .4, .3, .2, .1).

    task 1: E1, T3, never used; task 2: E2, T1, used at v2 (claude_ai) in automation modes
    half the time; task 3: E0, T0, used at v4 (claude_ai, all automation) and at v3 on the API
    (no automation); task 4: E0, T4, never used.
    """
    unit = evidence.units.iloc[[0]].copy()
    unit.index = pd.Index([ROLE], name=evidence.units.index.name)
    unit["kind"] = "role"
    unit["title"] = "Test role"
    tasks = pd.DataFrame(
        {
            "code": ROLE,
            "task_id": [900001, 900002, 900003, 900004],
            "task": ["Draft the report.", "Plan the work.", "Lift boxes.", "File forms."],
            "task_type": "Core",
            "time_share": [0.4, 0.3, 0.2, 0.1],
            "human_e": ["E1", "E2", "E0", None],
            "gpt4_e": ["E1", "E2", "E0", "E0"],
            "human_t": None,
            "gpt4_t": ["T3", "T1", "T0", "T4"],
            "penetration": np.nan,
            "physical": False,
            "origin": "matched",
            "confidence": 1.0,
        }
    ).astype({"human_t": object})
    usage = pd.DataFrame(
        {
            "code": ROLE,
            "task_id": pd.array([900002, 900003, 900003], dtype="Int64"),
            "release": ["v2", "v4", "v3"],
            "platform": ["claude_ai", "claude_ai", "api"],
            "share": [0.01, 0.02, 0.05],
            "automation_share": [0.5, 1.0, 0.0],
        }
    )
    return Evidence(
        units=pd.concat([evidence.units, unit]),
        tasks=pd.concat([evidence.tasks, tasks], ignore_index=True),
        labels=evidence.labels,
        usage=pd.concat([evidence.usage, usage], ignore_index=True),
        releases=evidence.releases,
        measures=evidence.measures,
    )


@pytest.mark.parametrize("method", REGISTERED + VARIANTS, ids=lambda m: repr(m))
def test_contract(method: ExposureOverTime, evidence: Evidence) -> None:
    check_method(method, evidence)


def test_registered_names_and_titles() -> None:
    assert [m.name for m in REGISTERED] == [
        "exposure_2023",
        "exposure_now",
        "exposure_2028",
        "automation_risk_now",
        "automation_risk_2028",
    ]
    assert "(derived)" in ExposureOverTime(at="v3").title
    assert "derived" not in ExposureOverTime(at="v2").title
    with pytest.raises(InputError):
        ExposureOverTime(at="2027")


def role_row(ev: Evidence, **params: object) -> pd.Series:
    opts = TimelineOptions(**params)  # type: ignore[arg-type]
    return exposure_series(ev, opts, FitOptions()).loc[ROLE]


def test_role_by_hand(with_role: Evidence) -> None:
    row = role_row(with_role)
    assert [row[f"exposure_{p}"] for p in POINTS] == pytest.approx([40, 40, 70, 70, 90, 90])
    # reached x automation: task 1 by its T3 label (1), task 2 by its observed 0.5 from v2 on,
    # task 3 by its observed 1.0 from v4 on
    assert [row[f"automation_risk_{p}"] for p in POINTS] == pytest.approx([40, 40, 55, 55, 75, 75])
    # tasks 1-3 are within reach (E1, E2, seen in use) and all reached: at the ceiling
    assert row["exposure_ceiling"] == pytest.approx(90)
    assert row["exposure_2028"] == pytest.approx(90)
    assert row["automation_risk_2028"] == pytest.approx(75)
    assert row["note"] == ""


def test_role_parameters_by_hand(with_role: Evidence) -> None:
    anywhere = role_row(with_role, platform="any")
    assert anywhere["exposure_v3"] == pytest.approx(90)  # the API use at v3 counts
    assert anywhere["automation_risk_v3"] == pytest.approx(55)  # ... with no automation
    once = role_row(with_role, cumulative=False)
    assert [once[f"exposure_{p}"] for p in POINTS] == pytest.approx([40, 40, 70, 40, 60, 40])
    alone = role_row(with_role, union_2023=False)
    assert [alone[f"exposure_{p}"] for p in POINTS] == pytest.approx([40, 0, 30, 30, 50, 50])
    labels = role_row(with_role, automation_evidence="labels")
    assert labels["automation_risk_v5"] == pytest.approx(40)  # T3 task 1 only
    graded = role_row(with_role, automation_evidence="labels", automation_levels="graded")
    assert graded["automation_risk_v5"] == pytest.approx(40 * 0.75 + 30 * 0.25)
    strict = role_row(with_role, threshold=0.015)  # task 2's 0.01% no longer counts
    assert strict["exposure_v5"] == pytest.approx(60)


def test_a_role_leaves_every_occupation_unchanged(evidence: Evidence, with_role: Evidence) -> None:
    base = _compute_series(evidence, TimelineOptions(), FitOptions(), None)[0]
    more = _compute_series(with_role, TimelineOptions(), FitOptions(), None)[0].loc[base.index]
    pd.testing.assert_frame_equal(base, more)


def test_series_is_deterministic(evidence: Evidence) -> None:
    pd.testing.assert_frame_equal(
        _compute_series(evidence, TimelineOptions(), FitOptions(), None)[0],
        _compute_series(evidence, TimelineOptions(), FitOptions(), None)[0],
    )


def test_reproduces_eloundou_alpha_where_weights_coincide(evidence: Evidence) -> None:
    """2023 exposure is Eloundou's published human alpha where our task weights are theirs.

    That is: every task weighted Core 2 / Supplemental 1 (no O*NET ratings), the same tasks as
    the paper's rows, and the same task types.
    """
    series = exposure_series(evidence, TimelineOptions(), FitOptions())
    alpha = evidence.measures[evidence.measures["measure"] == "eloundou_human_alpha"]
    alpha = alpha.set_index("code")["value"]
    ours = evidence.tasks[["code", "task_id", "core_weight", "weight_source"]]
    paper = evidence.labels[["code", "task_id", "core_weight"]].dropna(subset=["task_id"])
    joined = ours.merge(
        paper.astype({"task_id": "int64"}), on=["code", "task_id"], how="outer", indicator=True
    )
    same = (
        (
            (joined["_merge"] == "both")
            & (joined["core_weight_x"] == joined["core_weight_y"])
            & (joined["weight_source"] != "task ratings")
        )
        .groupby(joined["code"])
        .all()
    )
    unlinked = set(evidence.labels.loc[evidence.labels["task_id"].isna(), "code"])
    codes = [c for c in same[same].index if c in alpha.index and c not in unlinked]
    assert len(codes) > 50
    assert series.loc[codes, "exposure_2023"].to_numpy() == pytest.approx(
        100 * alpha.loc[codes].to_numpy(), abs=1e-9
    )


def test_data_scientists_2023_by_label_count(evidence: Evidence) -> None:
    """16 tasks of equal weight: 2023 exposure is 100 x (E1 tasks) / 16, per rater."""
    tasks = evidence.tasks[evidence.tasks["code"] == "15-2051.00"]
    assert len(tasks) == 16 and tasks["time_share"].nunique() == 1
    for rater in ("human", "gpt4"):
        row = exposure_series(evidence, TimelineOptions(rater=rater), FitOptions()).loc[
            "15-2051.00"
        ]
        assert row["exposure_2023"] == pytest.approx(100 * (tasks[f"{rater}_e"] == "E1").sum() / 16)


def test_all_e0_and_unused_occupations_stay_at_zero(evidence: Evidence) -> None:
    tasks = evidence.tasks
    label = tasks["human_e"].fillna(tasks["gpt4_e"])
    all_e0 = (label == "E0").groupby(tasks["code"]).all()
    unused = all_e0.index.difference(evidence.usage["code"].unique())
    codes = [c for c in all_e0[all_e0].index if c in unused]
    assert codes
    series = exposure_series(evidence, TimelineOptions(), FitOptions()).loc[codes]
    for column in ("exposure_2023", "exposure_v5", "exposure_2028", "exposure_2028_high"):
        assert (series[column] == 0).all(), column


def test_series_shape(evidence: Evidence) -> None:
    table = ExposureOverTime(quantity="exposure", at="now").score_evidence(evidence)
    expected = {f"exposure_{p}" for p in POINTS} | {"exposure_2028", "exposure_2028_low"}
    assert expected | {"projection_low", "projection_high", "now_release"} <= set(table)
    valued = table.dropna(subset=["value"])
    assert (valued["value"] == valued["exposure_v5"]).all()
    assert (valued["now_release"] == "v5 (2026-03-24, derived)").all()
    steps = valued[[f"exposure_{p}" for p in POINTS]].diff(axis=1).iloc[:, 1:]
    assert (steps >= -1e-9).all().all(), "cumulative reach united with 2023 never falls"
    assert (valued["exposure_2028"] >= valued["value"] - 1e-9).all()
    assert (valued["projection_low"] <= valued["exposure_2028"] + 1e-9).all()
    assert (valued["exposure_2028"] <= valued["projection_high"] + 1e-9).all()
    assert (valued["projection_low"] >= valued["value"] - 1e-9).all()
    assert (valued["exposure_2028"] <= valued["exposure_ceiling"] + 1e-9).all()
    risk = ExposureOverTime(quantity="automation_risk", at="projection").score_evidence(evidence)
    has_tasks = table["n_tasks"] > 0
    for p in POINTS:
        below = (
            risk.loc[has_tasks, f"automation_risk_{p}"]
            <= table.loc[has_tasks, f"exposure_{p}"] + 1e-9
        )
        assert below.all(), p
    risk = risk.dropna(subset=["value"])
    assert (risk["projection_low"] <= risk["value"] + 1e-9).all()
    assert (risk["value"] <= risk["projection_high"] + 1e-9).all()
    no_tasks = table[table["n_tasks"] == 0]
    assert no_tasks["value"].isna().all() and (no_tasks["note"] != "").all()


def test_more_evidence_reaches_more(evidence: Evidence) -> None:
    def now(**params: object) -> pd.Series:
        method = ExposureOverTime(quantity="exposure", at="now", **params)
        return method.score_evidence(evidence)["value"].dropna()

    base = now()
    assert (now(platform="any") >= base - 1e-9).all()
    assert (now(penetration=True) >= base - 1e-9).all()
    assert (now(threshold=0.01) <= base + 1e-9).all()
    assert (now(union_2023=False) <= base + 1e-9).all()
    assert (now(threshold=0.01) < base).any()


def test_unreached_release_is_explained(evidence: Evidence) -> None:
    no_v5 = Evidence(
        units=evidence.units,
        tasks=evidence.tasks,
        labels=evidence.labels,
        usage=evidence.usage[evidence.usage["release"] != "v5"],
        releases=evidence.releases[evidence.releases["release"] != "v5"],
        measures=evidence.measures,
    )
    table = ExposureOverTime(at="v5").score_evidence(no_v5)
    assert table["value"].isna().all()
    assert table["note"].str.contains("v5 is not in this evidence").all()
    now = ExposureOverTime(at="now").score_evidence(no_v5)
    assert (now["now_release"] == "v4 (2026-01-15, derived)").all()


def test_explanation(evidence: Evidence) -> None:
    method = ExposureOverTime(quantity="exposure", at="now")
    exp = method.explain_evidence(evidence, "15-1221.00")
    assert exp.additive and exp.label == "v5 (2026-03-24, derived)"
    assert sum(t.contribution for t in exp.tasks) == pytest.approx(exp.value)
    contributions = [t.contribution for t in exp.tasks]
    assert contributions == sorted(contributions, reverse=True)
    assert any("derived" in n for n in exp.notes)
    assert list(exp.inputs["series"]) == [
        "2023 (2023-03-17)",
        "v1 (2025-02-10)",
        "v2 (2025-03-27)",
        "v3 (2025-09-15, derived)",
        "v4 (2026-01-15, derived)",
        "v5 (2026-03-24, derived)",
    ]
    projected = ExposureOverTime(quantity="exposure", at="projection")
    pexp = projected.explain_evidence(evidence, "15-1221.00")
    assert not pexp.additive
    assert pexp.inputs["projection_low"] <= pexp.value <= pexp.inputs["projection_high"]
    assert "interval" in pexp.summary
    crosswalked = method.explain_evidence(evidence, "15-1252.00")
    assert any("SOC crosswalk" in n for n in crosswalked.notes)


@pytest.mark.parametrize(
    "opts",
    [
        TimelineOptions(),
        TimelineOptions(
            rater="gpt4",
            platform="any",
            threshold=0.01,
            cumulative=False,
            union_2023=False,
            penetration=True,
            automation_levels="graded",
            automation_evidence="labels",
        ),
    ],
    ids=["default", "every-option-changed"],
)
def test_a_units_timeline_equals_one_built_from_its_own_rows(
    with_role: Evidence, opts: TimelineOptions
) -> None:
    """An explanation reads its unit's rows of the whole evidence's timeline; a task reads
    only its own rows of ``tasks`` and ``usage``, so they equal a timeline built from the
    unit's rows alone, to the bit."""
    codes = [ROLE, "15-1221.00", "15-1252.00", "29-1141.00", *with_role.codes[::61]]
    for code in codes:
        part = _timeline_of(with_role, code, opts)
        alone = build_timeline(
            with_role.rows_of("tasks", code),
            with_role.rows_of("usage", code),
            with_role.releases,
            opts,
        )
        assert part.points == alone.points and len(part) == len(alone)
        for name in ("reached", "automation", "potential", "time_share"):
            np.testing.assert_array_equal(getattr(part, name), getattr(alone, name))
        for name in ("first_seen", "e_label", "t_label", "task_ids", "task_texts"):
            assert list(map(repr, getattr(part, name))) == list(map(repr, getattr(alone, name)))
    assert len(_timeline_of(with_role, ROLE, opts)) == 4


# --- the adoption curve -------------------------------------------------------------------


def test_fit_recovers_a_known_curve() -> None:
    t = np.array([2023.2, 2025.1, 2025.2, 2025.7, 2026.0, 2026.2])
    curve = fit_logistic(t, 0.7 * expit(0.9 * (t - 2025.5)), ceiling=0.7)
    assert curve.slope == pytest.approx(0.9)
    assert curve.midpoint == pytest.approx(2025.5)
    assert curve.at(2025.5) == pytest.approx(0.35)
    with pytest.raises(InputError):
        fit_logistic(np.array([2025.0, 2025.0]), np.array([0.2, 0.3]), ceiling=1.0)


def test_pooled_slope_recovers_a_shared_rate() -> None:
    t = np.array([2023.0, 2025.0, 2025.5, 2026.0])
    offsets = np.array([-2.0, -0.5, 0.0, 1.0])[:, None]
    z = offsets + 0.6 * (t - 2025.0)[None, :]
    assert pooled_slope(z, t) == pytest.approx(0.6)
    # every resampling of exact data gives the same rate (or none, when all dates coincide)
    draws = release_bootstrap_slopes(z, t, n_boot=50, seed=1)
    assert draws[~np.isnan(draws)] == pytest.approx(np.full((~np.isnan(draws)).sum(), 0.6))


def test_project() -> None:
    # half the ceiling, one year at rate ln(3): logit goes from 0 to ln 3, share 3/4
    assert project(np.array([0.3]), np.array([0.6]), np.log(3.0), 1.0) == pytest.approx([0.45])
    assert project(np.array([0.0]), np.array([0.0]), 1.0, 2.0) == pytest.approx([0.0])
    assert project(np.array([0.5]), np.array([0.5]), 1.0, 2.0) == pytest.approx([0.5])


def test_year_fraction() -> None:
    got = year_fraction(pd.Series(["2025-01-01", "2024-07-02", "2026-12-31"]))
    assert got == pytest.approx([2025.0, 2024.5, 2026 + 364 / 365])


def test_poisson_weights() -> None:
    codes = pd.Series(["a"] * 500 + ["b"] * 500)
    ids = pd.Series(range(1000))
    draws = poisson_task_weights(codes, ids, n_boot=100, seed=7)
    assert draws.shape == (1000, 100)
    assert draws.mean() == pytest.approx(1.0, abs=0.02)
    assert draws.var() == pytest.approx(1.0, abs=0.05)
    again = poisson_task_weights(codes.iloc[500:], ids.iloc[500:], n_boot=100, seed=7)
    np.testing.assert_array_equal(draws[500:], again)


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("with_nan", [False, True])
def test_group_sum_is_pandas_groupby_sum_to_the_bit(ordered: bool, with_nan: bool) -> None:
    """Both of pandas' summation paths (reduceat for ordered groups without NaN, else Kahan)."""
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 40, 2000)
    if ordered:
        keys = np.sort(keys)
    values = rng.random((2000, 3)) * rng.choice([1e-6, 1.0, 1e6], (2000, 3))
    if with_nan:
        values[rng.integers(0, 2000, 50), 1] = np.nan
    expected = pd.DataFrame(values, index=keys).groupby(level=0, sort=False).sum()
    ids, uniques = pd.factorize(keys)
    got = group_sums(values, ids.astype(np.intp), len(uniques))
    np.testing.assert_array_equal(got, expected.loc[uniques].to_numpy())
    column = pd.Series(values[:, 1], index=keys).groupby(level=0, sort=False).sum()
    one = group_sums(values[:, 1], ids.astype(np.intp), len(uniques))
    np.testing.assert_array_equal(one, column.loc[uniques].to_numpy())
