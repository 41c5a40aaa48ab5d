"""AIJRI for every O*NET occupation: page 003's composite on inputs derived from the evidence."""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jobrisk import aijri
from jobrisk.methods.aijri_inputs import (
    DERIVED,
    DISPLACEMENT_SHARE,
    GIVEN,
    INPUT_COLUMNS,
    INPUT_RULES,
    UNIONISED_GROUPS,
    USE_TREND_RATIO,
    InputPopulation,
    Status,
    derive_inputs,
    input_population,
    score_tasks,
)
from jobrisk.methods.base import (
    Direction,
    Explanation,
    Family,
    Method,
    Parameter,
    TaskContribution,
)
from jobrisk.methods.evidence import Evidence

__all__ = ["DerivedAijri", "DerivedInput", "build_assessment"]

_POPULATIONS: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], InputPopulation]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class DerivedInput:
    """One assessment input of one occupation: its value, where it came from, and why."""

    name: str
    value: int | None  # None for ``tasks`` (a decomposition, not a number)
    status: Status
    evidence: str
    rule: str
    basis: str  # the occupation's own figures the rule was applied to


RESULT_COLUMNS = (
    "value",
    "zone",
    "sub_label",
    "task_resistance",
    "raw",
    "aijri_unclamped",
    "clamped",
    "evidence_total",
    "barrier_total",
    "principles_total",
    "share_scoring_3_plus",
    "time_displacement",
    "time_augmentation",
    "time_not_involved",
)


def _result_fields(r: aijri.AijriResult) -> tuple[Any, ...]:
    """The :data:`RESULT_COLUMNS` of one result (shares as fractions, not percent)."""
    return (
        r.aijri,
        r.zone,
        r.sub_label,
        r.task_resistance,
        r.raw,
        r.aijri_unclamped,
        r.clamped,
        r.evidence_total,
        r.barrier_total,
        r.principles_total,
        r.share_scoring_3_plus / 100,
        r.label_shares["DISPLACEMENT"] / 100,
        r.label_shares["AUGMENTATION"] / 100,
        r.label_shares["NOT INVOLVED"] / 100,
    )


def _row(frame: pd.DataFrame, code: str) -> dict[str, Any]:
    """One row of a frame indexed by code, as a plain mapping."""
    return {str(k): v for k, v in frame.loc[code].to_dict().items()}


def _note(reason: str, given: str, unlabelled: int, clamped: bool) -> str:
    if reason:
        return reason
    parts = []
    if given:
        parts.append("given 0 (no evidence): " + given.replace(",", ", "))
    if unlabelled:
        parts.append(f"{unlabelled} unlabelled task(s) left out")
    if clamped:
        parts.append("clamped to 100")
    return "; ".join(parts)


def _pct(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.0%}"


TaskTuple = tuple[str, float, int, aijri.Label]  # task text, time share, score 1-5, label


def build_assessment(
    title: str, tasks: list[TaskTuple], inputs: Mapping[str, Any]
) -> aijri.Assessment:
    """The :class:`~jobrisk.aijri.Assessment` of labelled ``tasks`` and derived ``inputs``.

    ``inputs`` maps each column of :data:`INPUT_COLUMNS` to its value and ``given_inputs`` to
    the comma-separated columns given without evidence (marked ``given``, the rest
    ``derived``). Time shares are rescaled to sum to 100.
    """
    total = math.fsum(share for _, share, _, _ in tasks)
    given = set(filter(None, str(inputs["given_inputs"]).split(",")))
    provenance: dict[str, aijri.Provenance] = {
        r.name: "given" if r.column in given else "derived" for r in INPUT_RULES
    }
    return aijri.Assessment(
        title=title,
        principles=aijri.Principles(*(int(inputs[k]) for k in aijri.PRINCIPLE_KEYS)),
        tasks=tuple(
            aijri.AssessedTask(task, share / total * 100, score, label)
            for task, share, score, label in tasks
        ),
        evidence=aijri.Evidence(*(int(inputs[k]) for k in aijri.EVIDENCE_KEYS)),
        barriers=aijri.Barriers(*(int(inputs[k]) for k in aijri.BARRIER_KEYS)),
        growth_correlation=int(inputs["growth_correlation"]),
        provenance=provenance,
    )


class DerivedAijri(Method):
    """The JobZone composite (AIJRI, 0-100, higher = more resistant) with derived inputs.

    Source: the JobZone AIJRI assessment method, reference page 003 (METHODS 2.2): task
    resistance = 6 - sum(time share x task score 1-5), times evidence, barrier and growth
    modifiers, rescaled as (raw - 0.54) / 7.93 x 100 with zones GREEN >= 48, YELLOW >= 25,
    RED < 25. The formula is :func:`jobrisk.aijri.compute`, unchanged.

    Deviations: page 003's assessor writes the role's own tasks and scores every input from
    market research; here the tasks are the occupation's O*NET 30.1 tasks with their time
    shares, and each input is derived by a rule of ours from the evidence
    (``jobrisk.methods.aijri_inputs``, ``docs/methods/aijri.md``): task scores from
    Eloundou exposure and automation labels plus Anthropic observed use; job posting trends
    from BLS 2024-34 projections (a projection, not postings); wage trends from OEWS median
    wage growth 2021-2025; AI tool maturity from observed use; expert consensus from the
    older indices (AIOE, Frey-Osborne, Webb); barriers from licensing law, job zone, the
    physical share of the week and union membership by occupation group. Company actions
    have no evidence and are given 0; an input without evidence is given its neutral
    default (0) and listed in ``given_inputs``. Values above 100 are clamped (``clamped``).
    """

    key = "aijri"
    label = "AIJRI (JobZone composite, derived inputs)"
    family = Family.PAGE
    citation = (
        "JobZone AI Job Resistance Index (AIJRI) assessment method, reference page 003 "
        "(ML/AI Engineer assessment); inputs derived by jobrisk from O*NET 30.1, Eloundou et "
        "al. (2024), the Anthropic Economic Index, BLS OEWS and projections."
    )
    source_ids = (
        "onet_30_1",
        "onet_task_ratings_derived",
        "eloundou_2023",
        "anthropic_economic_index/labor_market_impacts",
        "anthropic_economic_index/derived_v3_v5",
        "microsoft_working_with_ai",
        "bls",
        "felten_aioe",
        "frey_osborne",
        "webb_2020",
    )
    inputs = (
        "tasks.time_share",
        "tasks.human_e",
        "tasks.gpt4_e",
        "tasks.human_t",
        "tasks.gpt4_t",
        "tasks.penetration",
        "tasks.physical",
        "usage.share",
        "usage.automation_share",
        "releases.release_date",
        "releases.has_modes",
        "units.projected_change_pct_2024_34",
        "units.annual_median_wage",
        "units.wage_topcoded",
        "units.job_zone",
        "units.entry_education",
        "units.soc_code",
        "units.major_code",
        "units.kind",
        "measures.measure",
        "measures.value",
    )
    score_range = (0.0, 100.0)
    direction = Direction.RESISTANCE
    unit = "AIJRI 0-100"
    parameters = (
        Parameter(
            "rater",
            "human",
            "whose E/T labels come first: human (GPT-4 where missing) or gpt4 (human where "
            "missing)",
            choices=("human", "gpt4"),
        ),
        Parameter(
            "displacement_share",
            DISPLACEMENT_SHARE,
            "share of a task's classified use in automation modes (directive, feedback loop) "
            "from which its use counts as automation: +1 score and DISPLACEMENT",
            bounds=(0.0, 1.0),
        ),
        Parameter(
            "min_labelled_share",
            0.5,
            "least share of task time with an exposure label for a value; unlabelled tasks "
            "are left out and the other shares rescaled to 100",
            bounds=(0.0, 1.0),
        ),
    )

    # --- the assessment ----------------------------------------------------------------

    def _score_tasks(self, ev: Evidence, tasks: pd.DataFrame, usage: pd.DataFrame) -> pd.DataFrame:
        return score_tasks(
            tasks,
            usage,
            ev.releases,
            rater=self.params["rater"],
            displacement_share=float(self.params["displacement_share"]),
        )

    def _reference_population(self, ev: Evidence) -> InputPopulation | None:
        """A subject's reference distributions (memoized per reference), None without one."""
        ref = ev.reference
        if ref is None:
            return None
        memo = _POPULATIONS.setdefault(ref, {})
        key = (self.params["rater"], float(self.params["displacement_share"]))
        if key not in memo:
            memo[key] = input_population(ref, self._score_tasks(ref, ref.tasks, ref.usage))
        return memo[key]

    def _inputs(self, ev: Evidence) -> pd.DataFrame:
        # Memoized through score_evidence: the inputs are columns of the scores.
        return self.memoized_scores(ev)

    @staticmethod
    def _task_tuples(scored: pd.DataFrame) -> dict[str, list[TaskTuple]]:
        """Labelled tasks per code, in row order, as plain tuples (fast to loop over)."""
        labelled = scored[scored["score"].notna()]
        out: dict[str, list[TaskTuple]] = {}
        for code, task, share, score, label in zip(
            labelled["code"].tolist(),
            labelled["task"].tolist(),
            labelled["time_share"].tolist(),
            labelled["score"].astype(int).tolist(),
            labelled["label"].tolist(),
            strict=True,
        ):
            out.setdefault(str(code), []).append((str(task), float(share), score, label))
        return out

    def _missing_reason(self, n_time: float, labelled_time: float) -> str:
        if n_time <= 0:
            return "no O*NET tasks: the task decomposition cannot be derived"
        minimum = float(self.params["min_labelled_share"])
        if labelled_time / n_time < minimum or labelled_time <= 0:
            return (
                f"only {labelled_time / n_time:.0%} of task time has an exposure label "
                f"(at least {minimum:.0%} needed)"
            )
        return ""

    def assessment(self, ev: Evidence, code: str) -> aijri.Assessment | None:
        """The derived :class:`~jobrisk.aijri.Assessment` of ``code`` (None without a value)."""
        scored = self._score_tasks(ev, ev.rows_of("tasks", code), ev.rows_of("usage", code))
        labelled_time = float(scored.loc[scored["score"].notna(), "time_share"].sum())
        if self._missing_reason(float(scored["time_share"].sum()), labelled_time):
            return None
        row = _row(self._inputs(ev), code)
        tasks = self._task_tuples(scored).get(code, [])
        return build_assessment(str(ev.units.at[code, "title"]), tasks, row)

    # --- the contract ----------------------------------------------------------------------

    def compute(self, ev: Evidence) -> pd.DataFrame:
        scored = self._score_tasks(ev, ev.tasks, ev.usage)
        out = derive_inputs(ev, scored, self._reference_population(ev))
        idx = out.index
        labelled = scored["score"].notna()
        share = scored["time_share"]
        by_code = scored["code"]
        total_time = share.groupby(by_code).sum().reindex(idx).fillna(0.0)
        labelled_time = share.where(labelled, 0.0).groupby(by_code).sum().reindex(idx).fillna(0.0)
        # the added columns go in as one frame: column inserts cost more than a role's one row
        extra: dict[str, Any] = {
            "n_tasks": labelled.groupby(by_code).sum().reindex(idx).fillna(0).astype(int),
            "labelled_share": (labelled_time / total_time).where(total_time > 0),
        }
        unlabelled = (~labelled).groupby(by_code).sum().reindex(idx).fillna(0).astype(int)

        reasons = dict(
            zip(
                idx,
                (
                    self._missing_reason(t, lt)
                    for t, lt in zip(total_time.tolist(), labelled_time.tolist(), strict=True)
                ),
                strict=True,
            )
        )
        rows = {
            str(code): {str(k): v for k, v in row.items()}
            for code, row in out[[*INPUT_COLUMNS, "given_inputs"]].to_dict("index").items()
        }
        titles = ev.units["title"].to_dict()
        results = {
            code: _result_fields(
                aijri.compute(build_assessment(str(titles[code]), tasks, rows[code]))
            )
            for code, tasks in self._task_tuples(scored).items()
            if code in reasons and not reasons[code]
        }
        fields = pd.DataFrame.from_dict(results, orient="index", columns=list(RESULT_COLUMNS))
        fields = fields.reindex(idx)
        for name in RESULT_COLUMNS:
            extra[name] = fields[name]
        extra["clamped"] = extra["clamped"].fillna(False).astype(bool)

        extra["note"] = [
            _note(reasons[code], given, left, clamped)
            for code, given, left, clamped in zip(
                idx,
                out["given_inputs"].tolist(),
                unlabelled.tolist(),
                extra["clamped"].tolist(),
                strict=True,
            )
        ]
        overlap = set(extra) & set(out.columns)
        assert not overlap, f"derived inputs and results share columns: {sorted(overlap)}"
        out = pd.concat([out, pd.DataFrame(extra, index=idx)], axis=1)
        first = ["value", "n_tasks", "note", "zone", "sub_label", "task_resistance", "raw"]
        return out[first + [c for c in out.columns if c not in first]]

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        row = _row(self._inputs(ev), code)
        unit = _row(ev.units, code)
        scored = self._score_tasks(ev, ev.rows_of("tasks", code), ev.rows_of("usage", code))
        labelled = scored[scored["score"].notna()]
        inputs = self._derived_inputs(row, unit, labelled)
        notes: list[str] = []
        given = [name for name, d in inputs.items() if d.status == GIVEN]
        if given:
            notes.append("given 0 (no evidence): " + ", ".join(given))
        left_out = scored[scored["score"].isna()]
        if len(left_out):
            notes.append(
                f"{len(left_out)} task(s) without an exposure label left out "
                f"({left_out['time_share'].sum():.0%} of time); the other shares rescaled"
            )
        reason = self._missing_reason(
            float(scored["time_share"].sum()), float(labelled["time_share"].sum())
        )
        if reason:
            return Explanation(
                method=self.name,
                code=code,
                value=None,
                label=None,
                summary=reason,
                additive=False,
                tasks=(),
                inputs=dict(inputs),
                notes=(reason, *notes),
            )
        tasks_in = self._task_tuples(scored).get(code, [])
        result = aijri.compute(build_assessment(str(unit["title"]), tasks_in, row))
        total = float(labelled["time_share"].sum())
        tasks = tuple(
            TaskContribution(
                task_id=None if pd.isna(t["task_id"]) else int(t["task_id"]),
                task=str(t["task"]),
                time_share=float(t["time_share"]) / total,
                contribution=float(t["time_share"]) / total * float(t["score"]),
                detail={
                    "score": int(t["score"]),
                    "label": str(t["label"]),
                    "exposure": t["exposure"],
                    "exposure_rater": t["exposure_rater"],
                    "automation_level": t["automation_level"],
                    "observed_use": bool(t["observed_use"]),
                    "automation_share": None
                    if pd.isna(t["automation_share"])
                    else float(t["automation_share"]),
                },
            )
            for t in labelled.to_dict("records")
        )
        if result.clamped:
            notes.append(f"AIJRI {result.aijri_unclamped:.1f} clamped to 100")
        sub = f", {result.sub_label}" if result.sub_label else ""
        summary = (
            f"AIJRI {result.aijri:.1f} ({result.zone}{sub}): task resistance "
            f"{result.task_resistance:.2f} = 6 - {result.weighted_sum:.2f}, the sum of the "
            f"{len(tasks)} task contributions (time share x score); x evidence "
            f"{result.evidence_modifier:.2f} x barriers {result.barrier_modifier:.2f} x growth "
            f"{result.growth_modifier:.2f} = raw {result.raw:.4f}; (raw - 0.54) / 7.93 x 100. "
            f"{14 - len(given)} of 14 inputs derived."
        )
        return Explanation(
            method=self.name,
            code=code,
            value=result.aijri,
            label=result.zone,
            summary=summary,
            additive=False,
            tasks=tuple(sorted(tasks, key=lambda t: -t.contribution)),
            inputs=dict(inputs),
            notes=tuple(notes),
        )

    def _derived_inputs(
        self, row: Mapping[str, Any], unit: Mapping[str, Any], labelled: pd.DataFrame
    ) -> dict[str, DerivedInput]:
        given = set(filter(None, str(row["given_inputs"]).split(",")))
        basis = _basis(row, unit, labelled)
        out: dict[str, DerivedInput] = {}
        for rule in INPUT_RULES:
            if rule.name == "tasks":
                status: Status = DERIVED if len(labelled) else GIVEN
                value = None
            else:
                status = GIVEN if rule.column in given else DERIVED
                value = int(row[rule.column])
            out[rule.name] = DerivedInput(
                rule.name, value, status, rule.evidence, rule.rule, basis[rule.name]
            )
        return out


def _basis(
    row: Mapping[str, Any], unit: Mapping[str, Any], labelled: pd.DataFrame
) -> dict[str, str]:
    physical = f"{_pct(row['physical_share'])} of task time on physical tasks"
    no_skills = "no O*NET skill importance for this occupation in the evidence"
    interpersonal = (
        no_skills
        if pd.isna(row["interpersonal_importance"])
        else f"mean importance {row['interpersonal_importance']:.2f}"
    )
    judgment = (
        no_skills
        if pd.isna(row["judgment_importance"])
        else f"mean importance {row['judgment_importance']:.2f}"
    )
    shares = labelled["time_share"] / max(float(labelled["time_share"].sum()), 1e-12)
    by_label = shares.groupby(labelled["label"]).sum()
    tasks = (
        f"{len(labelled)} labelled tasks: "
        + ", ".join(f"{_pct(float(by_label.get(k, 0.0)))} {k.lower()}" for k in aijri.LABELS)
        if len(labelled)
        else "no labelled tasks"
    )
    change = unit["projected_change_pct_2024_34"]
    projection = (
        "no BLS projection for this SOC code"
        if pd.isna(change)
        else f"projected change {change:+.1f}% (percentile {_pct(row['projection_pct'])})"
    )
    wage_2021 = unit.get("annual_median_wage_2021")
    if pd.isna(row["wage_growth"]):
        wage = (
            "no May 2021 median wage in the evidence (units.annual_median_wage_2021)"
            if wage_2021 is None
            else "no comparable May 2021 and May 2025 median wages (missing or top-coded)"
        )
    else:
        wage = (
            f"median wage ${wage_2021:,.0f} -> ${unit['annual_median_wage']:,.0f} "
            f"({row['wage_growth']:+.1%}, percentile {_pct(row['wage_growth_pct'])})"
        )
    trend = row["use_trend"]
    maturity = (
        f"{_pct(row['use_depth'])} of task time observed in use (percentile "
        f"{_pct(row['use_depth_pct'])}); "
        + (
            "no claude.ai use at the first and latest releases"
            if pd.isna(trend)
            else f"claude.ai usage share x{trend:.2f} from first to latest release "
            f"(trend counts beyond x{USE_TREND_RATIO:g} or x1/{USE_TREND_RATIO:g})"
        )
    )
    consensus = (
        "none of AIOE, Frey-Osborne, Webb AI for this occupation"
        if pd.isna(row["consensus_pct"])
        else f"mean exposure percentile {_pct(row['consensus_pct'])} over "
        f"{int(row['consensus_n'])} of 3 measures"
    )
    licensed = row["licensed_as"]
    licence = f"licensed by law ({licensed})" if isinstance(licensed, str) else "not on the list"
    zone = "unknown" if pd.isna(unit["job_zone"]) else str(int(unit["job_zone"]))
    education = unit["entry_education"] if isinstance(unit["entry_education"], str) else "unknown"
    unions = {g.major_code: g for g in UNIONISED_GROUPS}
    group = unions.get(str(unit["major_code"]))
    union = (
        f"SOC major group {group.major_code}, {group.title}: {group.membership_pct}% members"
        if group is not None
        else f"SOC major group {unit['major_code']}: not among the unionised groups"
    )
    return {
        "principles.embodied_physicality": physical,
        "principles.deep_interpersonal_connection": interpersonal,
        "principles.goal_setting_moral_judgment": judgment,
        "tasks": tasks,
        "evidence.job_posting_trends": projection,
        "evidence.company_actions": "no evidence in the index",
        "evidence.wage_trends": wage,
        "evidence.ai_tool_maturity": maturity,
        "evidence.expert_consensus": consensus,
        "barriers.regulatory_licensing": f"{licence}; entry education {education}; job zone {zone}",
        "barriers.physical_presence": physical,
        "barriers.union_collective_bargaining": union,
        "barriers.liability_accountability": f"{licence}; job zone {zone}",
        "barriers.cultural_ethical": interpersonal,
        "growth_correlation": f"{_pct(row['exposed_share'])} of labelled time on exposed "
        f"tasks; projected change percentile {_pct(row['projection_pct'])}; SOC major group "
        f"{unit['major_code']}",
    }
