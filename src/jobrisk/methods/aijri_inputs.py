"""Rules that derive every AIJRI input of an occupation from the evidence (METHODS 2.2).

Page 003's assessor scores a role by hand; for an O*NET occupation jobrisk derives each input
from the :class:`~jobrisk.methods.evidence.Evidence` frames with the rules below, and marks
each one ``derived`` (with the evidence and the rule) or ``given: no evidence`` (a stated
neutral default: the value that adds nothing to resistance, 0 everywhere). The user-facing
write-up is ``docs/methods/aijri.md``.

Two inputs read evidence the frames do not carry yet, through the helpers
:func:`skills_of` (O*NET skills, a ``skills`` frame) and :func:`wage_2021_of` (the May 2021
median wage, a ``units.annual_median_wage_2021`` column). Without them the inputs they feed
are given, and the explanation says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.evidence import Evidence

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "DISPLACEMENT_SHARE",
    "INPUT_RULES",
    "LICENSED_BY_LAW",
    "UNIONISED_GROUPS",
    "InputPopulation",
    "InputRule",
    "LicensedGroup",
    "UnionisedGroup",
    "derive_inputs",
    "input_population",
    "onet_percentile",
    "onet_sorted",
    "placed_among",
    "score_tasks",
    "skills_of",
    "wage_2021_of",
]

Status = Literal["derived", "given: no evidence"]
DERIVED: Status = "derived"
GIVEN: Status = "given: no evidence"

# --- cut points (choices of ours; docs/methods/aijri.md gives the reasons) -----------------

# Percentile over O*NET occupations -> -2..2: the two 10% tails get +-2, the next 20% +-1,
# the middle 40% 0. Symmetric, so a dimension with no signal averages 0.
EVIDENCE_CUTS = (0.10, 0.30, 0.70, 0.90)
# Share of working time on physical tasks -> embodied physicality 0-3 (quarters of the week).
PHYSICALITY_CUTS = (0.25, 0.50, 0.75)
# Share of working time on physical tasks -> physical presence barrier 0-2: a quarter of the
# week on site is a partial barrier, half of it a full one.
PRESENCE_CUTS = (0.25, 0.50)
# O*NET importance (1 not important, 3 important, 4 very important, 5 extremely important) ->
# 0-3: 1 from "important" on average, 3 from "very important", 2 halfway between.
IMPORTANCE_CUTS = (3.0, 3.5, 4.0)
INTERPERSONAL_SKILLS = ("Social Perceptiveness", "Service Orientation")
JUDGMENT_SKILLS = ("Judgment and Decision Making", "Complex Problem Solving")
# Automation level -> task score for an exposed task (E1/E2): T0/T1 a person does most of the
# task (2, AI assists), T2 shared (3), T3/T4 AI does most or all of it (4).
LEVEL_SCORE = {"T0": 2, "T1": 2, "T2": 3, "T3": 4, "T4": 4}
HIGH_AUTOMATION = ("T3", "T4")
# A task's observed use is automation-mode use when at least half of its classified
# conversations are directive or feedback-loop (Anthropic's automation modes).
DISPLACEMENT_SHARE = 0.5
# Growth correlation needs most of the work within reach of AI: below this share of time on
# exposed tasks, AI adoption is taken to leave demand alone (0).
GROWTH_EXPOSED_SHARE = 0.5
COMPUTER_AND_MATHEMATICAL = "15-0000"
# A usage share ratio (last / first claude.ai release) beyond these counts as rising / falling.
USE_TREND_RATIO = 1.5
TREND_PLATFORM = "claude_ai"
CONSENSUS_MEASURES = ("aioe", "frey_osborne_probability", "webb_ai")
GRADUATE_ENTRY = ("Doctoral or professional degree", "Master's degree")


@dataclass(frozen=True)
class LicensedGroup:
    """Occupations whose work is restricted by law to licensed or certified people."""

    prefix: str  # an O*NET-SOC code prefix
    title: str
    reason: str


LICENSED_BY_LAW: tuple[LicensedGroup, ...] = (
    LicensedGroup(
        "29-1",
        "Healthcare diagnosing or treating practitioners",
        "state practice acts license physicians, nurses, pharmacists, dentists and therapists",
    ),
    LicensedGroup("29-2034", "Radiologic technologists", "state licence in most states"),
    LicensedGroup("29-2042", "Emergency medical technicians", "state EMS certification"),
    LicensedGroup("29-2043", "Paramedics", "state EMS licence"),
    LicensedGroup("29-2052", "Pharmacy technicians", "state registration or licence"),
    LicensedGroup("29-2061", "Licensed practical and vocational nurses", "state nursing licence"),
    LicensedGroup("29-2092", "Hearing aid specialists", "state dispenser licence"),
    LicensedGroup("29-9091", "Athletic trainers", "state licence in most states"),
    LicensedGroup("31-1131", "Nursing assistants", "federal law (OBRA 1987): state certification"),
    LicensedGroup("23-1011", "Lawyers", "bar admission is required to practise law"),
    LicensedGroup("23-1023", "Judges and magistrates", "public office under state or federal law"),
    LicensedGroup("17-1011", "Architects", "state licence to practise architecture"),
    LicensedGroup("17-1022", "Surveyors", "state licence to certify land surveys"),
    LicensedGroup("19-3033", "Clinical and counseling psychologists", "state psychology licence"),
    LicensedGroup("21-1013", "Marriage and family therapists", "state licence"),
    LicensedGroup("21-1014", "Mental health counselors", "state counselor licence"),
    LicensedGroup("25-2012", "Kindergarten teachers", "state teaching certificate"),
    LicensedGroup("25-202", "Elementary and middle school teachers", "state teaching certificate"),
    LicensedGroup("25-203", "Secondary school teachers", "state teaching certificate"),
    LicensedGroup("25-205", "Special education teachers", "state teaching certificate"),
    LicensedGroup("33-3051.00", "Police and sheriff's patrol officers", "state POST certificate"),
    LicensedGroup("39-4011", "Embalmers", "state funeral service licence"),
    LicensedGroup("39-4031", "Morticians and funeral arrangers", "state funeral service licence"),
    LicensedGroup("39-5011", "Barbers", "state barber licence"),
    LicensedGroup("39-5012", "Hairdressers and cosmetologists", "state cosmetology licence"),
    LicensedGroup("39-5092", "Manicurists and pedicurists", "state cosmetology licence"),
    LicensedGroup("39-5094", "Skincare specialists", "state cosmetology licence"),
    LicensedGroup("41-3031", "Securities sales agents", "FINRA registration and exams"),
    LicensedGroup("41-9021", "Real estate brokers", "state real estate licence"),
    LicensedGroup("41-9022", "Real estate sales agents", "state real estate licence"),
    LicensedGroup("47-2111", "Electricians", "state or local electrical licence"),
    LicensedGroup("47-2152.00", "Plumbers, pipefitters and steamfitters", "state or local licence"),
    LicensedGroup("49-3011", "Aircraft mechanics", "FAA mechanic certificate"),
    LicensedGroup("49-9021", "HVAC and refrigeration mechanics", "EPA Section 608 certification"),
    LicensedGroup("53-2011", "Airline pilots", "FAA airline transport pilot certificate"),
    LicensedGroup("53-2012", "Commercial pilots", "FAA commercial pilot certificate"),
    LicensedGroup("53-2021", "Air traffic controllers", "FAA control tower operator certificate"),
    LicensedGroup(
        "53-3032", "Heavy and tractor-trailer truck drivers", "commercial driver licence"
    ),
    LicensedGroup("53-3051", "School bus drivers", "commercial driver licence, S endorsement"),
    LicensedGroup("53-3052", "Transit and intercity bus drivers", "commercial driver licence"),
    LicensedGroup("53-5021", "Ship captains, mates and pilots", "Coast Guard mariner credential"),
    LicensedGroup("53-5031", "Ship engineers", "Coast Guard mariner credential"),
)


@dataclass(frozen=True)
class UnionisedGroup:
    """A SOC major group whose union membership rate is at least twice the all-worker rate."""

    major_code: str
    title: str
    membership_pct: float


# BLS, "Union Members - 2024" (news release, January 2025): 9.9% of all wage and salary
# workers; the highest occupation groups are education, training and library (32.3%) and
# protective service (29.6%); construction and extraction follows at 15.4%, under twice 9.9%.
ALL_WORKERS_MEMBERSHIP_PCT = 9.9
UNIONISED_GROUPS: tuple[UnionisedGroup, ...] = (
    UnionisedGroup("25-0000", "Educational instruction and library occupations", 32.3),
    UnionisedGroup("33-0000", "Protective service occupations", 29.6),
)


# The value given when an input has no evidence: it adds nothing to resistance (a modifier
# of 1.0 for evidence and growth, no barrier, no protective principle).
NEUTRAL_DEFAULT = 0
_RANGES = {
    "principles": (0, 3),
    "tasks": (1, 5),
    "evidence": (-2, 2),
    "barriers": (0, 2),
    "growth_correlation": (-2, 2),
}


@dataclass(frozen=True)
class InputRule:
    """How one assessment input is derived, and what is given when the evidence is missing."""

    name: str  # the entry of ``jobrisk.aijri.INPUT_NAMES``
    evidence: str
    rule: str

    @property
    def column(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def bounds(self) -> tuple[int, int]:
        """The input's range on page 003 (a task score's range for ``tasks``)."""
        return _RANGES[self.name.partition(".")[0]]

    @property
    def default(self) -> int:
        return NEUTRAL_DEFAULT


_PCT = "10/30/70/90th percentiles over O*NET occupations"


def _steps(cuts: tuple[float, ...], fmt: str) -> str:
    parts = [f"<{format(c, fmt)} {i}" for i, c in enumerate(cuts)]
    return ", ".join(parts) + f", else {len(cuts)}"


_IMPORTANCE = "mean importance: " + _steps(IMPORTANCE_CUTS, "g")
INPUT_RULES: tuple[InputRule, ...] = (
    InputRule(
        "principles.embodied_physicality",
        "tasks.physical (task's DWAs are physical), tasks.time_share",
        "share of time on physical tasks: " + _steps(PHYSICALITY_CUTS, ".0%"),
    ),
    InputRule(
        "principles.deep_interpersonal_connection",
        "O*NET skills importance: Social Perceptiveness, Service Orientation",
        _IMPORTANCE,
    ),
    InputRule(
        "principles.goal_setting_moral_judgment",
        "O*NET skills importance: Judgment and Decision Making, Complex Problem Solving",
        _IMPORTANCE,
    ),
    InputRule(
        "tasks",
        "tasks: Eloundou E-label (human, GPT-4 fallback), automation level T0-T4, "
        "Anthropic penetration and latest-release use, automation-mode share of use",
        "E0 -> 1 NOT INVOLVED; exposed: T0/T1 2, T2 3, T3/T4 4, +1 if observed in use, +1 "
        "if that use is mostly automation-mode, at most 5; DISPLACEMENT if T3/T4 or "
        "automation-mode use, else AUGMENTATION; unlabelled tasks left out, shares rescaled",
    ),
    InputRule(
        "evidence.job_posting_trends",
        "units.projected_change_pct_2024_34 (BLS projections 2024-34)",
        f"projected employment change, graded at the {_PCT}",
    ),
    InputRule(
        "evidence.company_actions",
        "none: the index holds no hiring, layoff or adoption announcements",
        "always given 0",
    ),
    InputRule(
        "evidence.wage_trends",
        "units.annual_median_wage (May 2025) and units.annual_median_wage_2021 (OEWS)",
        f"median wage growth May 2021 to May 2025, graded at the {_PCT}",
    ),
    InputRule(
        "evidence.ai_tool_maturity",
        "tasks.penetration, usage (latest release per platform, claude.ai share by release)",
        f"share of time on tasks observed in use, graded inversely at the {_PCT}; then -1 if "
        f"the occupation's claude.ai usage share rose x{USE_TREND_RATIO:g} or more from the "
        "first to the latest release, +1 if it fell as much; kept within -2..2",
    ),
    InputRule(
        "evidence.expert_consensus",
        "measures: AIOE, Frey-Osborne probability, Webb AI exposure",
        "mean of the available measures' percentiles, ranked again over O*NET occupations "
        f"and graded inversely at the {_PCT}",
    ),
    InputRule(
        "barriers.regulatory_licensing",
        "LICENSED_BY_LAW (SOC codes), units.entry_education, units.job_zone",
        "2 licensed by law; 1 graduate entry degree (or job zone 5 when the entry degree is "
        "unknown); else 0",
    ),
    InputRule(
        "barriers.physical_presence",
        "tasks.physical, tasks.time_share",
        "share of time on physical tasks: " + _steps(PRESENCE_CUTS, ".0%"),
    ),
    InputRule(
        "barriers.union_collective_bargaining",
        "UNIONISED_GROUPS (BLS Union Members 2024 by occupation group), units.major_code",
        "1 in a SOC major group with at least twice the all-worker membership rate "
        "(25 education, 33 protective service), else 0; never 2 (no group has a majority)",
    ),
    InputRule(
        "barriers.liability_accountability",
        "LICENSED_BY_LAW, units.job_zone",
        "2 licensed and job zone 4-5 (a professional signs for the work); 1 licensed at a "
        "lower zone, or job zone 5 unlicensed; else 0",
    ),
    InputRule(
        "barriers.cultural_ethical",
        "O*NET skills importance: Social Perceptiveness, Service Orientation",
        "from deep interpersonal connection: 3 -> 2, 2 -> 1, else 0",
    ),
    InputRule(
        "growth_correlation",
        "task exposure (share of time on E1/E2 tasks), units.projected_change_pct_2024_34, "
        "units.major_code",
        "0 unless at least half the time is on exposed tasks; then the projected change "
        f"graded at the {_PCT}, the top grade +2 only for computer and mathematical "
        "occupations (15-0000, who build and run AI) and +1 for the others",
    ),
)
RULES_BY_NAME = {r.name: r for r in INPUT_RULES}
INPUT_COLUMNS = tuple(r.column for r in INPUT_RULES if r.name != "tasks")


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
    v = values.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(v), np.nan)
    known = ~np.isnan(v)
    if len(reference) and known.any():
        below = np.searchsorted(reference, v[known], side="left")
        at_or_below = np.searchsorted(reference, v[known], side="right")
        out[known] = (below + at_or_below) / 2 / len(reference)
    return pd.Series(out, index=values.index, dtype=float)


def grade(values: pd.Series, cuts: tuple[float, ...], start: int = 0) -> pd.Series:
    """``start`` + the number of cuts at or below each value (NaN stays NaN)."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    steps = np.searchsorted(np.asarray(cuts), v, side="right")
    return pd.Series(np.where(np.isnan(v), np.nan, steps + start), index=values.index, dtype=float)


# --- tasks ---------------------------------------------------------------------------------------


def latest_releases(releases: pd.DataFrame, *, with_modes: bool = False) -> set[tuple[str, str]]:
    """(release, platform) of the most recent release of each platform."""
    latest: dict[str, tuple[str, str]] = {}
    for release, platform, date, modes in zip(
        releases["release"].tolist(),
        releases["platform"].tolist(),
        releases["release_date"].tolist(),
        releases["has_modes"].tolist(),
        strict=True,
    ):
        if (modes or not with_modes) and (
            platform not in latest or str(date) > latest[platform][1]
        ):
            latest[platform] = (release, str(date))
    return {(release, platform) for platform, (release, _) in latest.items()}


def _observed_use(
    tasks: pd.DataFrame, usage: pd.DataFrame, releases: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Per task: seen in the latest release of a platform, and the automation-mode share.

    The automation share is the share-weighted mean over platforms of the latest release
    with interaction modes; NaN where the task has no classified use there. Plain loops:
    they are fast on one occupation's rows and on all of them.
    """
    latest = latest_releases(releases)
    moded = latest_releases(releases, with_modes=True)
    seen: set[tuple[str, int]] = set()
    num: dict[tuple[str, int], float] = {}
    den: dict[tuple[str, int], float] = {}
    keyed = usage[usage["task_id"].notna() & (usage["share"] > 0)]
    for code, task_id, release, platform, share, auto in zip(
        keyed["code"].tolist(),
        keyed["task_id"].astype("int64").tolist(),
        keyed["release"].tolist(),
        keyed["platform"].tolist(),
        keyed["share"].tolist(),
        keyed["automation_share"].astype(float).tolist(),
        strict=True,
    ):
        key = (code, task_id)
        if (release, platform) in latest:
            seen.add(key)
        if (release, platform) in moded and auto == auto:  # auto == auto: not NaN
            num[key] = num.get(key, 0.0) + share * auto
            den[key] = den.get(key, 0.0) + share
    keys = list(zip(tasks["code"].tolist(), tasks["task_id"].tolist(), strict=True))
    observed = np.fromiter((k in seen for k in keys), bool, len(keys))
    observed |= tasks["penetration"].fillna(0).to_numpy(dtype=float) > 0
    share_of = np.fromiter(
        (num[k] / den[k] if k in den else np.nan for k in keys), float, len(keys)
    )
    return observed, np.where(observed, share_of, np.nan)


def score_tasks(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    releases: pd.DataFrame,
    *,
    rater: str,
    displacement_share: float,
) -> pd.DataFrame:
    """Each task's score 1-5 and label, with the evidence behind them (same row order).

    Columns: ``exposure`` (E-label used) and ``exposure_rater``, ``automation_level``,
    ``observed_use``, ``automation_share``, ``score`` (NaN when unlabelled), ``label``.
    """
    other = "gpt4" if rater == "human" else "human"
    first = tasks[f"{rater}_e"].to_numpy(dtype=object)
    second = tasks[f"{other}_e"].to_numpy(dtype=object)
    has_first = pd.notna(first)
    exposure = np.where(has_first, first, second)
    known = pd.notna(exposure)
    exposure_rater = np.full(len(tasks), None, dtype=object)
    exposure_rater[known] = other
    exposure_rater[has_first] = rater
    level = tasks[f"{rater}_t"].to_numpy(dtype=object)
    level = np.where(pd.notna(level), level, tasks[f"{other}_t"].to_numpy(dtype=object))

    observed, auto_share = _observed_use(tasks, usage, releases)
    automated = observed & (np.nan_to_num(auto_share, nan=-1.0) >= displacement_share)
    base = np.array([LEVEL_SCORE.get(t, LEVEL_SCORE["T1"]) for t in level], dtype=float)
    exposed = np.isin(exposure, ("E1", "E2"))
    score = np.where(exposed, np.minimum(base + observed + automated, 5.0), 1.0)
    high = np.isin(level, HIGH_AUTOMATION)
    label = np.where(
        exposure == "E0",
        "NOT INVOLVED",
        np.where(high | automated, "DISPLACEMENT", "AUGMENTATION"),
    ).astype(object)
    label[~known] = None
    return pd.DataFrame(
        {
            "code": tasks["code"],
            "task_id": tasks["task_id"],
            "task": tasks["task"],
            "time_share": tasks["time_share"],
            "physical": tasks["physical"],
            "exposure": exposure,
            "exposure_rater": exposure_rater,
            "automation_level": level,
            "observed_use": observed,
            "automation_share": auto_share,
            "score": np.where(known, score, np.nan),
            "label": label,
        },
        index=tasks.index,
    )


# --- occupation inputs -----------------------------------------------------------------------


def licensed_group(codes: pd.Index) -> pd.Series:
    """The title of the LICENSED_BY_LAW entry each code falls in, or None."""
    titles = [
        next((g.title for g in LICENSED_BY_LAW if str(code).startswith(g.prefix)), None)
        for code in codes
    ]
    return pd.Series(titles, index=codes, dtype=object)


def _skill_means(skills: pd.DataFrame | None, elements: tuple[str, ...]) -> pd.Series:
    if skills is None:
        return pd.Series(dtype=float)
    rows = skills[(skills["kind"] == "skill") & skills["element"].isin(elements)]
    counted = rows.groupby("code")["importance"].agg(["mean", "count"])
    return counted["mean"].where(counted["count"] == len(elements)).dropna()


def _trend_releases(releases: pd.DataFrame) -> tuple[str, str] | None:
    series = releases[releases["platform"] == TREND_PLATFORM].sort_values("release_date")
    if len(series) < 2:
        return None
    return str(series["release"].iloc[0]), str(series["release"].iloc[-1])


def _trend_rows(usage: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    return usage[(usage["platform"] == TREND_PLATFORM) & usage["release"].isin((first, last))]


def use_trend_totals(usage: pd.DataFrame, releases: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """Per trend release, the claude.ai usage share summed over O*NET occupations."""
    pair = _trend_releases(releases)
    if pair is None:
        return pd.Series(dtype=float)
    rows = _trend_rows(usage, *pair)
    onet = rows["code"].isin(units.index[units["kind"] == "onet"])
    return rows[onet].groupby("release")["share"].sum()


def _use_trend(usage: pd.DataFrame, releases: pd.DataFrame, totals: pd.Series) -> pd.Series:
    """Ratio of each code's claude.ai usage share, latest release / first.

    Each release's shares are divided by their sum over O*NET occupations (``totals``, from
    :func:`use_trend_totals`), so a release that reaches fewer tasks overall does not read as a
    fall everywhere.
    """
    pair = _trend_releases(releases)
    if pair is None:
        return pd.Series(dtype=float)
    first, last = pair
    rows = _trend_rows(usage, first, last)
    by_release = rows.groupby(["release", "code"])["share"].sum()
    norm = by_release / totals.reindex(by_release.index.get_level_values("release")).to_numpy()
    wide = norm.unstack("release").reindex(columns=[first, last]).fillna(0.0)
    ratio: pd.Series = wide[last] / wide[first]
    return ratio.where(wide[last] + wide[first] > 0)


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
    projection: pd.Series
    wage_growth: pd.Series
    use_depth: pd.Series
    measures: pd.DataFrame  # unit x CONSENSUS_MEASURES


def _raw_inputs(ev: Evidence, scored: pd.DataFrame) -> _RawInputs:
    """Per unit, the quantities that are graded by their percentile among O*NET occupations."""
    units = ev.units
    idx = units.index
    share = scored["time_share"]
    has_tasks = share.groupby(scored["code"]).sum().reindex(idx).fillna(0) > 0
    wage_2021 = wage_2021_of(ev)
    if wage_2021 is None:
        growth = pd.Series(np.nan, index=idx)
    else:
        topcoded = units["wage_topcoded"].fillna(False).astype(bool)
        growth = (units["annual_median_wage"].astype(float) / wage_2021 - 1).where(~topcoded)
    in_use = share * scored["observed_use"].astype(float)
    depth = (in_use.groupby(scored["code"]).sum() / share.groupby(scored["code"]).sum()).reindex(
        idx
    )
    # each unit's first known value of each measure (a pivot table, placed by position: fast)
    m = ev.measures
    m = m[m["measure"].isin(CONSENSUS_MEASURES) & m["value"].notna()]
    m = m.drop_duplicates(["code", "measure"])
    wide = np.full((len(idx), len(CONSENSUS_MEASURES)), np.nan)
    row = idx.get_indexer(pd.Index(m["code"]))
    col = pd.Index(list(CONSENSUS_MEASURES)).get_indexer(pd.Index(m["measure"]))
    ok = row >= 0
    wide[row[ok], col[ok]] = m["value"].to_numpy(dtype=float)[ok]
    return _RawInputs(
        projection=units["projected_change_pct_2024_34"].astype(float),
        wage_growth=growth,
        use_depth=depth.where(has_tasks),
        measures=pd.DataFrame(wide, index=idx, columns=list(CONSENSUS_MEASURES)),
    )


def _population_of(ev: Evidence, raw: _RawInputs) -> InputPopulation:
    units = ev.units
    pcts = pd.DataFrame({m: onet_percentile(raw.measures[m], units) for m in CONSENSUS_MEASURES})
    return InputPopulation(
        projection=onet_sorted(raw.projection, units),
        wage_growth=onet_sorted(raw.wage_growth, units),
        use_depth=onet_sorted(raw.use_depth, units),
        measures={m: onet_sorted(raw.measures[m], units) for m in CONSENSUS_MEASURES},
        consensus_mean=onet_sorted(pcts.mean(axis=1), units),
        trend_totals=use_trend_totals(ev.usage, ev.releases, units),
    )


def input_population(ev: Evidence, scored: pd.DataFrame) -> InputPopulation:
    """The O*NET distributions of ``ev`` (``scored`` is :func:`score_tasks` over its tasks)."""
    return _population_of(ev, _raw_inputs(ev, scored))


def derive_inputs(
    ev: Evidence, scored: pd.DataFrame, population: InputPopulation | None = None
) -> pd.DataFrame:
    """One row per unit: every non-task input (int), its raw evidence, and ``given_inputs``.

    ``scored`` is :func:`score_tasks` over ``ev.tasks``. Percentiles are taken among the O*NET
    occupations of ``ev``, or of ``population`` when given (a custom role's reference, from
    :func:`input_population`).
    """
    units = ev.units
    idx = units.index
    values: dict[str, pd.Series] = {}
    raw: dict[str, pd.Series] = {}
    own = _raw_inputs(ev, scored)
    pop = population if population is not None else _population_of(ev, own)

    share = scored["time_share"]
    labelled = scored["score"].notna()
    has_tasks = share.groupby(scored["code"]).sum().reindex(idx).fillna(0) > 0
    physical = (share * scored["physical"].astype(float)).groupby(scored["code"]).sum()
    physical = (physical / share.groupby(scored["code"]).sum()).reindex(idx).where(has_tasks)
    raw["physical_share"] = physical
    values["embodied_physicality"] = grade(physical, PHYSICALITY_CUTS)
    values["physical_presence"] = grade(physical, PRESENCE_CUTS)

    skills = skills_of(ev)
    interpersonal = _skill_means(skills, INTERPERSONAL_SKILLS).reindex(idx)
    judgment = _skill_means(skills, JUDGMENT_SKILLS).reindex(idx)
    raw["interpersonal_importance"] = interpersonal
    raw["judgment_importance"] = judgment
    values["deep_interpersonal_connection"] = grade(interpersonal, IMPORTANCE_CUTS)
    values["goal_setting_moral_judgment"] = grade(judgment, IMPORTANCE_CUTS)
    values["cultural_ethical"] = (values["deep_interpersonal_connection"] - 1).clip(lower=0)

    projection_pct = placed_among(own.projection, pop.projection)
    raw["projection_pct"] = projection_pct
    values["job_posting_trends"] = grade(projection_pct, EVIDENCE_CUTS, start=-2)
    values["company_actions"] = pd.Series(np.nan, index=idx)

    raw["wage_growth"] = own.wage_growth
    raw["wage_growth_pct"] = placed_among(own.wage_growth, pop.wage_growth)
    values["wage_trends"] = grade(raw["wage_growth_pct"], EVIDENCE_CUTS, start=-2)

    raw["use_depth"] = own.use_depth
    raw["use_depth_pct"] = placed_among(own.use_depth, pop.use_depth)
    trend = _use_trend(ev.usage, ev.releases, pop.trend_totals).reindex(idx)
    raw["use_trend"] = trend
    shift = pd.Series(0.0, index=idx)
    shift[trend >= USE_TREND_RATIO] = -1.0
    shift[trend <= 1 / USE_TREND_RATIO] = 1.0
    maturity = grade(1 - raw["use_depth_pct"], EVIDENCE_CUTS, start=-2)
    values["ai_tool_maturity"] = (maturity + shift).clip(-2, 2).where(maturity.notna())

    pcts = pd.DataFrame(
        {m: placed_among(own.measures[m], pop.measures[m]) for m in CONSENSUS_MEASURES}
    )
    # A mean of percentiles bunches in the middle; its own percentile spreads it out again.
    raw["consensus_pct"] = placed_among(pcts.mean(axis=1), pop.consensus_mean)
    raw["consensus_n"] = pcts.notna().sum(axis=1).astype(float)
    values["expert_consensus"] = grade(1 - raw["consensus_pct"], EVIDENCE_CUTS, start=-2)

    licensed = licensed_group(idx).where(units["soc_code"].notna())
    raw["licensed_as"] = licensed
    is_licensed = licensed.notna()
    zone = units["job_zone"].astype(float)
    education = units["entry_education"]
    graduate = education.isin(GRADUATE_ENTRY) | (education.isna() & (zone == 5))
    regulatory = pd.Series(np.where(is_licensed, 2.0, np.where(graduate, 1.0, 0.0)), index=idx)
    values["regulatory_licensing"] = regulatory.where(
        units["soc_code"].notna() & (is_licensed | education.notna() | zone.notna())
    )
    liability = np.where(
        is_licensed & (zone >= 4), 2.0, np.where(is_licensed | (zone == 5), 1.0, 0.0)
    )
    values["liability_accountability"] = pd.Series(liability, index=idx).where(
        is_licensed | zone.notna()
    )
    unionised = units["major_code"].isin([g.major_code for g in UNIONISED_GROUPS])
    values["union_collective_bargaining"] = pd.Series(unionised.astype(float), index=idx).where(
        units["major_code"].notna()
    )

    exposed = (share * scored["exposure"].isin(("E1", "E2")).astype(float)).where(labelled)
    exposed_share = (
        exposed.groupby(scored["code"]).sum() / share.where(labelled).groupby(scored["code"]).sum()
    ).reindex(idx)
    raw["exposed_share"] = exposed_share
    growth_grade = grade(projection_pct, EVIDENCE_CUTS, start=-2)
    in_computing = units["major_code"] == COMPUTER_AND_MATHEMATICAL
    growth_grade = growth_grade.where(~((growth_grade == 2) & ~in_computing), 1.0)
    growth_corr = growth_grade.where(exposed_share >= GROWTH_EXPOSED_SHARE, 0.0)
    values["growth_correlation"] = growth_corr.where(exposed_share.notna())  # NaN: no projection

    # numpy columns and one frame at the end: a role is a single unit, where pandas overhead rules
    out: dict[str, Any] = {}
    given = [""] * len(idx)
    for rule in INPUT_RULES:
        if rule.name == "tasks":
            continue
        col = values[rule.column].reindex(idx).to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(col)
        for i in np.flatnonzero(missing):
            given[i] += "," + rule.column
        out[rule.column] = np.where(missing, rule.default, col).astype(np.int64)
    out["given_inputs"] = pd.Series([g.strip(",") for g in given], index=idx, dtype=str)
    out.update(raw)
    return pd.DataFrame(out, index=idx)
