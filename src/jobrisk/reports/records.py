"""The records of a report: frozen dataclasses, one per section (built by :mod:`.model`).

:meth:`Report.to_dict` is the JSON of an occupation in the web API; the keys are the field
names below, documented in ``docs/reports.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobrisk.jsonready import plain_record

REPORT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Source:
    source_id: str
    title: str
    citation: str
    license: str
    derived: bool


@dataclass(frozen=True)
class Profile:
    """What the role is: an O*NET occupation's facts, or a custom role and its best match."""

    kind: str  # "occupation" or "custom_role"
    code: str  # O*NET-SOC code, or "role:<slug>"
    title: str
    description: str
    soc_code: str | None
    major_code: str | None
    major_title: str | None
    minor_code: str | None
    minor_title: str | None
    broad_code: str | None
    broad_title: str | None
    job_zone: int | None
    employment: float | None
    annual_median_wage: float | None
    hourly_median_wage: float | None
    wage_topcoded: bool
    wage_year: int | None
    projected_change_pct_2024_34: float | None
    projected_annual_openings: float | None
    entry_education: str | None
    matcher: str | None  # custom roles: the task matcher used
    best_match_code: str | None  # custom roles: the occupation most of the matched time maps to
    best_match_title: str | None
    notes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ScoreCard:
    """One method's value, its percentile among O*NET occupations and its zone or cell."""

    method: str
    title: str
    family: str
    value: float | None
    display: str  # the value as the renderers print it
    unit: str
    direction: str
    percentile: float | None
    exposure_percentile: float | None  # higher = more exposed, whatever the direction
    zone: str | None
    in_consensus: bool
    note: str
    citation: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class DisagreementTask:
    task: str
    time_share: float
    score_a: float | None  # 0-1, higher = more exposed; None = occupation-level measure
    score_b: float | None


@dataclass(frozen=True)
class DisagreementSection:
    method_a: str  # the method that rates the role more exposed
    title_a: str
    percentile_a: float
    method_b: str
    title_b: str
    percentile_b: float
    gap: float
    summary: str
    tasks: tuple[DisagreementTask, ...]


@dataclass(frozen=True)
class ConsensusSection:
    exposure_percentile: float | None
    low: float | None
    high: float | None
    with_human_labels: float | None
    with_gpt4_labels: float | None
    bootstrap_low: float | None
    bootstrap_high: float | None
    spread: float | None
    n_methods: int
    methods: tuple[str, ...]  # the methods averaged
    summary: str
    disagreement: DisagreementSection | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TaskRow:
    """One task: its time, its labels, its matrix cell and AIJRI score (and match, for roles)."""

    number: int
    task_id: int | None
    task: str
    time_share: float  # 0-1
    exposure: str | None  # Eloundou E0/E1/E2
    exposure_source: str | None
    automation: str | None  # T0-T4
    observed_use: bool | None
    usage_share: float | None  # percent of Claude.ai conversations, latest non-derived release
    penetration: float | None  # Anthropic observed task penetration 0-1
    matrix_cell: str | None
    aijri_score: int | None  # 1-5, page 003
    aijri_label: str | None
    match_status: str | None  # custom roles: matched / predicted / unmatched
    match_confidence: float | None  # custom roles: 0-1
    matched_task: str | None
    matched_code: str | None


@dataclass(frozen=True)
class TaskTable:
    rows: tuple[TaskRow, ...]
    weight_source: str | None
    notes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TaskRef:
    task_id: int | None
    task: str


@dataclass(frozen=True)
class TaskOutlook:
    most_automated: tuple[TaskRef, ...]
    remaining: tuple[TaskRef, ...]
    basis: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class AijriInput:
    name: str  # e.g. "barriers.physical_presence"
    group: str  # principles / evidence / barriers / growth
    value: int | None
    status: str  # derived / given: no evidence
    rule: str
    basis: str


@dataclass(frozen=True)
class AijriSection:
    """The AIJRI composite (page 003) taken apart: inputs, task resistance, modifiers."""

    value: float | None
    zone: str | None
    sub_label: str | None
    principles: tuple[AijriInput, ...]
    evidence: tuple[AijriInput, ...]
    barriers: tuple[AijriInput, ...]
    growth: tuple[AijriInput, ...]
    principles_total: int | None
    evidence_total: int | None
    barrier_total: int | None
    growth_correlation: int | None
    weighted_task_score: float | None
    task_resistance: float | None
    evidence_modifier: float | None
    barrier_modifier: float | None
    growth_modifier: float | None
    raw: float | None
    composite: float | None  # (raw - 0.54) / 7.93 x 100, clamped to 0-100
    clamped: bool
    time_displacement: float | None  # share of labelled time, 0-1
    time_augmentation: float | None
    time_not_involved: float | None
    n_derived: int
    n_inputs: int
    summary: str
    notes: tuple[str, ...]
    citation: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CostSection:
    """Operational AI cost of an AI-handled task-hour (page 002) and its parts."""

    value: float | None  # US dollars per AI-handled task-hour
    inference: float | None
    oversight_minutes: float | None
    oversight: float | None
    errors: float | None
    hourly_wage: float | None
    loading_factor: float | None
    human_cost_per_hour: float | None
    ai_cost_share: float | None  # value / human_cost_per_hour
    week_shares: tuple[tuple[str, float | None], ...]  # matrix cell -> share of the week
    summary: str
    notes: tuple[str, ...]
    citation: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ComparableJobRow:
    code: str
    title: str
    value: float | None
    percentile: float | None
    employment: float | None
    median_wage: float | None  # BLS annual median
    similarity: float | None  # career proximity to the basis occupation, 0-1


@dataclass(frozen=True)
class ComparableSection:
    basis_code: str | None  # the occupation they are comparable to
    method: str
    rows: tuple[ComparableJobRow, ...]
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything one report says; every renderer reads only this."""

    schema_version: int
    kind: str
    code: str
    title: str
    profile: Profile
    scores: tuple[ScoreCard, ...]
    consensus: ConsensusSection
    tasks: TaskTable
    outlook: TaskOutlook
    aijri: AijriSection
    cost: CostSection
    comparable: ComparableSection
    sources: tuple[Source, ...]
    attribution: str
    notes: tuple[str, ...]

    def card(self, method: str) -> ScoreCard:
        """The score card of ``method`` (KeyError if it was not scored)."""
        for c in self.scores:
            if c.method == method:
                return c
        raise KeyError(method)

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON values (NaN and infinities become None; tuples become lists)."""
        return plain_record(self, unknown=str)
