"""Rules that derive every AIJRI input of an occupation from the evidence (METHODS 2.2).

Page 003's assessor scores a role by hand; for an O*NET occupation jobrisk derives each input
from the :class:`~jobrisk.methods.evidence.Evidence` frames with the rules of
:mod:`jobrisk.methods.aijri_rules`, and marks each one ``derived`` (with
the evidence and the rule) or ``given: no evidence`` (a stated neutral default: the value that
adds nothing to resistance, 0 everywhere). The user-facing write-up is
``docs/methods/aijri.md``.

The arithmetic runs on numpy columns over all units at once, so one custom role and every
O*NET occupation take the same path; per-unit sums are pandas' groupby sums to the bit
(:func:`~jobrisk.methods.sums.group_sums`).

Two inputs read evidence the frames do not carry yet, through the helpers
:func:`skills_of` (O*NET skills, a ``skills`` frame) and :func:`wage_2021_of` (the May 2021
median wage, a ``units.annual_median_wage_2021`` column). Without them the inputs they feed
are given, and the explanation says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.aijri_rules import (
    COMPUTER_AND_MATHEMATICAL,
    CONSENSUS_MEASURES,
    EVIDENCE_CUTS,
    GRADUATE_ENTRY,
    GROWTH_EXPOSED_SHARE,
    IMPORTANCE_CUTS,
    INPUT_RULES,
    INTERPERSONAL_SKILLS,
    JUDGMENT_SKILLS,
    LICENSED_BY_LAW,
    PHYSICALITY_CUTS,
    PRESENCE_CUTS,
    TREND_PLATFORM,
    UNIONISED_GROUPS,
    USE_TREND_RATIO,
)
from jobrisk.methods.aijri_tasks import (
    BoolArray,
    FloatArray,
    IntArray,
    ObjectArray,
    ScoredTasks,
    release_facts,
    release_facts_of,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import group_sums, in_key_order

__all__ = [
    "InputPopulation",
    "TaskTotals",
    "derive_inputs",
    "derived_columns",
    "grade",
    "input_population",
    "onet_percentile",
    "onet_sorted",
    "placed_among",
    "skills_of",
    "task_totals",
    "wage_2021_of",
]


# --- evidence the frames do not carry yet -----------------------------------------------------


def skills_of(ev: Evidence) -> pd.DataFrame | None:
    """The O*NET skills frame if the evidence carries one, else None."""
    frame = getattr(ev, "skills", None)
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return None
    return frame


def wage_2021_of(ev: Evidence) -> pd.Series | None:
    """Median annual wage in May 2021 per unit, if ``units`` carries it, else None."""
    if "annual_median_wage_2021" not in ev.units.columns:
        return None
    return ev.units["annual_median_wage_2021"].astype(float)


# --- shared arithmetic -------------------------------------------------------------------------


def onet_percentile(values: pd.Series, units: pd.DataFrame) -> pd.Series:
    """Mid-rank percentile (0-1) of each value among the O*NET occupations' values.

    Ties share their mid-rank, so a value held by 40% of occupations at the bottom gets 0.2;
    custom roles (``kind != "onet"``) are placed in the O*NET distribution, never part of it.
    """
    return placed_among(values, onet_sorted(values, units))


def onet_sorted(values: pd.Series, units: pd.DataFrame) -> FloatArray:
    """The O*NET occupations' known ``values``, sorted (the reference of a percentile)."""
    onet = units.index[units["kind"] == "onet"]
    return np.sort(values.reindex(onet).dropna().to_numpy(dtype=float))


def placed_among(values: pd.Series, reference: FloatArray) -> pd.Series:
    """Mid-rank percentile (0-1) of each value among the sorted ``reference`` values."""
    placed = _placed(values.to_numpy(dtype=float, na_value=np.nan), reference)
    return pd.Series(placed, index=values.index, dtype=float)


def _placed(v: FloatArray, reference: FloatArray) -> FloatArray:
    out = np.full(len(v), np.nan)
    known = ~np.isnan(v)
    if len(reference) and known.any():
        below = np.searchsorted(reference, v[known], side="left")
        at_or_below = np.searchsorted(reference, v[known], side="right")
        out[known] = (below + at_or_below) / 2 / len(reference)
    return out


def grade(values: pd.Series, cuts: tuple[float, ...], start: int = 0) -> pd.Series:
    """``start`` + the number of cuts at or below each value (NaN stays NaN)."""
    graded = _grade(values.to_numpy(dtype=float, na_value=np.nan), cuts, start)
    return pd.Series(graded, index=values.index, dtype=float)


def _grade(values: FloatArray, cuts: tuple[float, ...], start: int = 0) -> FloatArray:
    steps = np.searchsorted(np.asarray(cuts), values, side="right")
    return np.where(np.isnan(values), np.nan, steps + start)


# --- occupation inputs -----------------------------------------------------------------------


def licensed_group(codes: pd.Index) -> pd.Series:
    """The title of the LICENSED_BY_LAW entry each code falls in, or None."""
    return pd.Series(_licensed_titles(codes), index=codes, dtype=object)


_LICENSED_PREFIXES = tuple(g.prefix for g in LICENSED_BY_LAW)


def _licensed_titles(codes: pd.Index) -> list[str | None]:
    # most codes (every custom role) start with no prefix: one startswith says so
    return [
        next((g.title for g in LICENSED_BY_LAW if str(code).startswith(g.prefix)), None)
        if str(code).startswith(_LICENSED_PREFIXES)
        else None
        for code in codes
    ]


def _column(frame: pd.DataFrame, name: str) -> FloatArray:
    return frame[name].to_numpy(dtype=float, na_value=np.nan)


def _unit_groups(codes: ObjectArray, idx: pd.Index) -> IntArray:
    """Each row's position in ``idx`` (-1 for a code that is not a unit)."""
    if len(idx) > 8:
        return np.asarray(idx.get_indexer(pd.Index(codes)), dtype=np.intp)
    # a few custom roles: comparing is cheaper than building a hash table
    pos = np.full(len(codes), -1, dtype=np.intp)
    for i, code in enumerate(idx.tolist()):
        pos[codes == code] = i
    return pos


def _skill_means(
    skills: pd.DataFrame | None, idx: pd.Index, elements: tuple[str, ...]
) -> FloatArray:
    """Per unit, the mean importance of the skills ``elements`` (NaN unless all are there)."""
    if skills is None:
        return np.full(len(idx), np.nan)
    rows = np.flatnonzero(
        (skills["kind"].to_numpy(dtype=object) == "skill")
        & np.isin(skills["element"].to_numpy(dtype=object), elements)
    )
    codes = skills["code"].to_numpy(dtype=object)[rows]
    importance = _column(skills, "importance")[rows]
    pos = _unit_groups(codes, idx)
    sums = group_sums(importance, pos, len(idx), sorted_keys=in_key_order(codes))
    counts = np.bincount(pos[(pos >= 0) & ~np.isnan(importance)], minlength=len(idx))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts == len(elements), sums / counts, np.nan)


def use_trend_totals(usage: pd.DataFrame, releases: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """Per trend release, the claude.ai usage share summed over O*NET occupations."""
    pair = release_facts_of(releases).trend
    if pair is None:
        return pd.Series(dtype=float)
    rows = usage[(usage["platform"] == TREND_PLATFORM) & usage["release"].isin(pair)]
    onet = rows["code"].isin(units.index[units["kind"] == "onet"])
    return rows[onet].groupby("release")["share"].sum()


def _use_trend(
    usage: pd.DataFrame, pair: tuple[str, str] | None, totals: pd.Series, idx: pd.Index
) -> FloatArray:
    """Ratio of each unit's claude.ai usage share, latest release / first (``pair``).

    Each release's shares are divided by their sum over O*NET occupations (``totals``, from
    :func:`use_trend_totals`), so a release that reaches fewer tasks overall does not read as a
    fall everywhere.
    """
    n = len(idx)
    if pair is None:
        return np.full(n, np.nan)
    release = usage["release"].to_numpy(dtype=object)
    which = np.where(release == pair[0], 0, np.where(release == pair[1], 1, -1))
    rows = np.flatnonzero(
        (usage["platform"].to_numpy(dtype=object) == TREND_PLATFORM) & (which >= 0)
    )
    codes = usage["code"].to_numpy(dtype=object)[rows]
    pos = _unit_groups(codes, idx)
    groups = np.where(pos >= 0, pos * 2 + which[rows], -1)
    share = _column(usage, "share")[rows]
    ordered = in_key_order(release[rows], codes)
    sums = group_sums(share, groups, 2 * n, sorted_keys=ordered).reshape(n, 2)
    present = np.bincount(groups[groups >= 0], minlength=2 * n).reshape(n, 2) > 0
    total = totals.reindex(list(pair)).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(present, sums / total, np.nan)
        wide = np.where(np.isnan(norm), 0.0, norm)  # a release without the unit's use: 0
        ratio = wide[:, 1] / wide[:, 0]
    return np.where(present.any(axis=1) & (wide[:, 1] + wide[:, 0] > 0), ratio, np.nan)


@dataclass(frozen=True, eq=False)
class TaskTotals:
    """Task time summed per unit (pandas' groupby sums, to the bit; see :func:`group_sums`)."""

    time: FloatArray  # all tasks' time share (0 without tasks)
    labelled_time: FloatArray  # time share of the tasks with an exposure label
    physical_time: FloatArray
    in_use_time: FloatArray  # time share of the tasks observed in use
    exposed_time: FloatArray  # time share of labelled E1/E2 tasks
    labelled_known_time: FloatArray  # labelled time, unknown shares left out (not taken as 0)
    n_labelled: npt.NDArray[np.int64]
    n_unlabelled: npt.NDArray[np.int64]


def task_totals(scored: ScoredTasks, idx: pd.Index) -> TaskTotals:
    """The per-unit sums of ``scored`` (rows in ``idx`` order; codes not in ``idx`` dropped)."""
    pos = _unit_groups(scored.code, idx)
    share = scored.time_share
    labelled = ~np.isnan(scored.score)
    exposed = np.isin(scored.exposure, ("E1", "E2")).astype(float)
    columns = np.column_stack(
        [
            share,
            np.where(labelled, share, 0.0),
            share * scored.physical,
            share * scored.observed_use.astype(float),
            np.where(labelled, share * exposed, np.nan),
            np.where(labelled, share, np.nan),
        ]
    )
    ordered = in_key_order(scored.code)
    # each column as its own Series groupby (a NaN in one column leaves the others' path)
    sums = np.column_stack(
        [
            group_sums(columns[:, j], pos, len(idx), sorted_keys=ordered)
            for j in range(columns.shape[1])
        ]
    )
    kept = pos >= 0
    return TaskTotals(
        time=sums[:, 0],
        labelled_time=sums[:, 1],
        physical_time=sums[:, 2],
        in_use_time=sums[:, 3],
        exposed_time=sums[:, 4],
        labelled_known_time=sums[:, 5],
        n_labelled=np.bincount(pos[kept & labelled], minlength=len(idx)).astype(np.int64),
        n_unlabelled=np.bincount(pos[kept & ~labelled], minlength=len(idx)).astype(np.int64),
    )


@dataclass(frozen=True, eq=False)
class InputPopulation:
    """What :func:`derive_inputs` places a unit among: O*NET occupations' sorted values of
    each percentile-graded quantity, and the usage totals of the use trend."""

    projection: FloatArray
    wage_growth: FloatArray
    use_depth: FloatArray
    measures: dict[str, FloatArray]
    consensus_mean: FloatArray
    trend_totals: pd.Series


@dataclass(frozen=True, eq=False)
class _RawInputs:
    projection: FloatArray
    wage_growth: FloatArray
    use_depth: FloatArray
    measures: FloatArray  # unit x CONSENSUS_MEASURES


def _raw_inputs(ev: Evidence, totals: TaskTotals) -> _RawInputs:
    """Per unit, the quantities that are graded by their percentile among O*NET occupations."""
    units = ev.units
    idx = units.index
    wage_2021 = wage_2021_of(ev)
    if wage_2021 is None:
        growth = np.full(len(idx), np.nan)
    else:
        topcoded = units["wage_topcoded"].fillna(False).astype(bool).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = _column(units, "annual_median_wage") / wage_2021.to_numpy(dtype=float)
        growth = np.where(topcoded, np.nan, ratio - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        depth = totals.in_use_time / totals.time
    # each unit's first known value of each measure, placed by position
    m = ev.measures
    value = _column(m, "value")
    row = _unit_groups(m["code"].to_numpy(dtype=object), idx)
    col = pd.Index(list(CONSENSUS_MEASURES)).get_indexer(pd.Index(m["measure"]))
    ok = np.flatnonzero((row >= 0) & (col >= 0) & ~np.isnan(value))
    _, first = np.unique(row[ok] * len(CONSENSUS_MEASURES) + col[ok], return_index=True)
    ok = ok[first]
    wide = np.full((len(idx), len(CONSENSUS_MEASURES)), np.nan)
    wide[row[ok], col[ok]] = value[ok]
    return _RawInputs(
        projection=_column(units, "projected_change_pct_2024_34"),
        wage_growth=growth,
        use_depth=np.where(totals.time > 0, depth, np.nan),
        measures=wide,
    )


def _sorted_among(values: FloatArray, onet: BoolArray) -> FloatArray:
    return np.sort(values[onet & ~np.isnan(values)])


def _row_mean(columns: FloatArray) -> FloatArray:
    """Mean over known values of each row, summed left to right as pandas' ``mean(axis=1)``."""
    total = np.zeros(len(columns))
    for j in range(columns.shape[1]):
        total = total + np.where(np.isnan(columns[:, j]), 0.0, columns[:, j])
    count = (~np.isnan(columns)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _population_of(ev: Evidence, raw: _RawInputs) -> InputPopulation:
    units = ev.units
    onet = units["kind"].to_numpy(dtype=object) == "onet"
    measures = {
        m: _sorted_among(raw.measures[:, j], onet) for j, m in enumerate(CONSENSUS_MEASURES)
    }
    pcts = np.column_stack(
        [_placed(raw.measures[:, j], measures[m]) for j, m in enumerate(CONSENSUS_MEASURES)]
    )
    return InputPopulation(
        projection=_sorted_among(raw.projection, onet),
        wage_growth=_sorted_among(raw.wage_growth, onet),
        use_depth=_sorted_among(raw.use_depth, onet),
        measures=measures,
        consensus_mean=_sorted_among(_row_mean(pcts), onet),
        trend_totals=use_trend_totals(ev.usage, ev.releases, units),
    )


def input_population(ev: Evidence, scored: ScoredTasks) -> InputPopulation:
    """The O*NET distributions of ``ev`` (``scored`` is :func:`score_task_arrays` of its tasks)."""
    return _population_of(ev, _raw_inputs(ev, task_totals(scored, ev.units.index)))


def derived_columns(
    ev: Evidence,
    scored: ScoredTasks,
    population: InputPopulation | None = None,
    totals: TaskTotals | None = None,
) -> dict[str, Any]:
    """The columns of :func:`derive_inputs`, in order, as arrays over ``ev.units``."""
    units = ev.units
    idx = units.index
    n = len(idx)
    values: dict[str, FloatArray] = {}
    raw: dict[str, Any] = {}
    totals = totals if totals is not None else task_totals(scored, idx)
    own = _raw_inputs(ev, totals)
    pop = population if population is not None else _population_of(ev, own)

    has_tasks = totals.time > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        physical = np.where(has_tasks, totals.physical_time / totals.time, np.nan)
        exposed_share = totals.exposed_time / totals.labelled_known_time
    raw["physical_share"] = physical
    values["embodied_physicality"] = _grade(physical, PHYSICALITY_CUTS)
    values["physical_presence"] = _grade(physical, PRESENCE_CUTS)

    skills = skills_of(ev)
    interpersonal = _skill_means(skills, idx, INTERPERSONAL_SKILLS)
    judgment = _skill_means(skills, idx, JUDGMENT_SKILLS)
    raw["interpersonal_importance"] = interpersonal
    raw["judgment_importance"] = judgment
    values["deep_interpersonal_connection"] = _grade(interpersonal, IMPORTANCE_CUTS)
    values["goal_setting_moral_judgment"] = _grade(judgment, IMPORTANCE_CUTS)
    values["cultural_ethical"] = np.maximum(values["deep_interpersonal_connection"] - 1, 0)

    projection_pct = _placed(own.projection, pop.projection)
    raw["projection_pct"] = projection_pct
    values["job_posting_trends"] = _grade(projection_pct, EVIDENCE_CUTS, start=-2)
    values["company_actions"] = np.full(n, np.nan)

    raw["wage_growth"] = own.wage_growth
    raw["wage_growth_pct"] = _placed(own.wage_growth, pop.wage_growth)
    values["wage_trends"] = _grade(raw["wage_growth_pct"], EVIDENCE_CUTS, start=-2)

    raw["use_depth"] = own.use_depth
    raw["use_depth_pct"] = _placed(own.use_depth, pop.use_depth)
    trend = _use_trend(ev.usage, release_facts(ev).trend, pop.trend_totals, idx)
    raw["use_trend"] = trend
    shift = np.where(trend >= USE_TREND_RATIO, -1.0, 0.0)
    shift = np.where(trend <= 1 / USE_TREND_RATIO, 1.0, shift)
    maturity = _grade(1 - raw["use_depth_pct"], EVIDENCE_CUTS, start=-2)
    values["ai_tool_maturity"] = np.where(
        np.isnan(maturity), np.nan, np.clip(maturity + shift, -2, 2)
    )

    pcts = np.column_stack(
        [_placed(own.measures[:, j], pop.measures[m]) for j, m in enumerate(CONSENSUS_MEASURES)]
    )
    # A mean of percentiles bunches in the middle; its own percentile spreads it out again.
    raw["consensus_pct"] = _placed(_row_mean(pcts), pop.consensus_mean)
    raw["consensus_n"] = (~np.isnan(pcts)).sum(axis=1).astype(float)
    values["expert_consensus"] = _grade(1 - raw["consensus_pct"], EVIDENCE_CUTS, start=-2)

    has_soc = pd.notna(units["soc_code"].to_numpy(dtype=object))
    licensed = np.array(_licensed_titles(idx), dtype=object)
    licensed[~has_soc] = np.nan
    raw["licensed_as"] = pd.Series(licensed, index=idx, dtype=object)
    is_licensed = pd.notna(licensed)
    zone = _column(units, "job_zone")
    education = units["entry_education"].to_numpy(dtype=object)
    has_education = pd.notna(education)
    graduate = np.isin(education, GRADUATE_ENTRY) | (~has_education & (zone == 5))
    regulatory = np.where(is_licensed, 2.0, np.where(graduate, 1.0, 0.0))
    values["regulatory_licensing"] = np.where(
        has_soc & (is_licensed | has_education | ~np.isnan(zone)), regulatory, np.nan
    )
    liability = np.where(
        is_licensed & (zone >= 4), 2.0, np.where(is_licensed | (zone == 5), 1.0, 0.0)
    )
    values["liability_accountability"] = np.where(is_licensed | ~np.isnan(zone), liability, np.nan)
    major = units["major_code"].to_numpy(dtype=object)
    unionised = np.isin(major, [g.major_code for g in UNIONISED_GROUPS])
    values["union_collective_bargaining"] = np.where(pd.notna(major), unionised, np.nan)

    raw["exposed_share"] = exposed_share
    growth_grade = _grade(projection_pct, EVIDENCE_CUTS, start=-2)
    in_computing = major == COMPUTER_AND_MATHEMATICAL
    growth_grade = np.where((growth_grade == 2) & ~in_computing, 1.0, growth_grade)
    growth_corr = np.where(exposed_share >= GROWTH_EXPOSED_SHARE, growth_grade, 0.0)
    # NaN: no projection (where at least half the time is exposed), or no labelled time
    values["growth_correlation"] = np.where(np.isnan(exposed_share), np.nan, growth_corr)

    out: dict[str, Any] = {}
    given = [""] * n
    for rule in INPUT_RULES:
        if rule.name == "tasks":
            continue
        col = values[rule.column]
        missing = np.isnan(col)
        for i in np.flatnonzero(missing):
            given[i] += "," + rule.column
        out[rule.column] = np.where(missing, rule.default, col).astype(np.int64)
    out["given_inputs"] = pd.Series([g.strip(",") for g in given], index=idx, dtype=str)
    out.update(raw)
    return out


def derive_inputs(
    ev: Evidence, scored: ScoredTasks, population: InputPopulation | None = None
) -> pd.DataFrame:
    """One row per unit: every non-task input (int), its raw evidence, and ``given_inputs``.

    ``scored`` is :func:`score_task_arrays` over ``ev.tasks``. Percentiles are taken among the
    O*NET occupations of ``ev``, or of ``population`` when given (a custom role's reference,
    from :func:`input_population`).
    """
    return pd.DataFrame(derived_columns(ev, scored, population), index=ev.units.index)
