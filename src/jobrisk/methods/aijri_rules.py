"""The AIJRI input rules: cut points, the licensing and union tables, one rule per input.

What each input of page 003's assessment is derived from, as data: :data:`INPUT_RULES` names
the evidence and states the rule (the explanation shows both), the constants are the cut
points the rules grade by. The arithmetic that applies them is
:mod:`jobrisk.methods.aijri_inputs`; the reasons for each choice are in
``docs/methods/aijri.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DERIVED",
    "DISPLACEMENT_SHARE",
    "GIVEN",
    "INPUT_COLUMNS",
    "INPUT_RULES",
    "LICENSED_BY_LAW",
    "RULES_BY_NAME",
    "UNIONISED_GROUPS",
    "InputRule",
    "LicensedGroup",
    "Status",
    "UnionisedGroup",
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
    # the input's column in a score table: read for every input of every unit, so kept
    column: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", self.name.rpartition(".")[2])

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
