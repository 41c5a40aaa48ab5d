"""AIJRI for every O*NET occupation: page 003's composite on inputs derived from the evidence."""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jobrisk import aijri
from jobrisk.methods.aijri_basis import input_basis
from jobrisk.methods.aijri_inputs import (
    InputPopulation,
    derived_columns,
    input_population,
    task_totals,
)
from jobrisk.methods.aijri_rules import (
    DERIVED,
    DISPLACEMENT_SHARE,
    GIVEN,
    INPUT_COLUMNS,
    INPUT_RULES,
    Status,
)
from jobrisk.methods.aijri_tasks import (
    ScoredTasks,
    release_facts,
    score_task_arrays,
    series_sum,
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
from jobrisk.methods.unit_rows import table_row

__all__ = ["DerivedAijri", "DerivedInput", "build_assessment"]

_POPULATIONS: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], InputPopulation]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, eq=False)
class _Scored:
    """An evidence's task scores, and each code's rows among them."""

    tasks: ScoredTasks
    rows: dict[str, list[int]]


_SCORED: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], _Scored]] = (
    weakref.WeakKeyDictionary()
)


# each unit's result per evidence and parameters, as :meth:`DerivedAijri.compute` made it
_RESULTS: weakref.WeakKeyDictionary[
    Evidence, dict[tuple[str, str], dict[str, aijri.AijriResult]]
] = weakref.WeakKeyDictionary()


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


def _row(ev: Evidence, frame: pd.DataFrame, code: str) -> Mapping[str, Any]:
    """One row of a frame of ``ev`` indexed by code, as plain Python values."""
    return table_row(ev, frame, code, native=True)


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


TaskTuple = tuple[str, float, int, aijri.Label]  # task text, time share, score 1-5, label


def _task_tuples(scored: ScoredTasks) -> dict[str, list[TaskTuple]]:
    """Labelled tasks per code, in row order, as plain tuples (fast to loop over)."""
    labelled = np.flatnonzero(~np.isnan(scored.score))
    out: dict[str, list[TaskTuple]] = {}
    for code, task, share, score, label in zip(
        scored.code[labelled].tolist(),
        scored.task[labelled].tolist(),
        scored.time_share[labelled].tolist(),
        scored.score[labelled].astype(int).tolist(),
        scored.label[labelled].tolist(),
        strict=True,
    ):
        out.setdefault(str(code), []).append((str(task), float(share), score, label))
    return out


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
    (``jobrisk.methods.aijri_rules``, ``docs/methods/aijri.md``): task scores from
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

    def _scored(self, ev: Evidence) -> _Scored:
        """The task scores of ``ev`` (memoized per evidence and parameters)."""
        memo = _SCORED.get(ev)
        if memo is None:  # a WeakKeyDictionary's setdefault makes a weakref each call
            memo = _SCORED.setdefault(ev, {})
        key = (self.params["rater"], float(self.params["displacement_share"]))
        if key not in memo:
            scored = score_task_arrays(
                ev.tasks,
                ev.usage,
                release_facts(ev),
                rater=self.params["rater"],
                displacement_share=float(self.params["displacement_share"]),
            )
            rows: dict[str, list[int]] = {}
            for i, code in enumerate(scored.code.tolist()):
                rows.setdefault(str(code), []).append(i)
            memo[key] = _Scored(scored, rows)
        return memo[key]

    def _scored_rows(self, ev: Evidence, code: str) -> ScoredTasks:
        """The task scores of ``code``, in row order."""
        scored = self._scored(ev)
        return scored.tasks.take(np.asarray(scored.rows.get(code, []), dtype=np.intp))

    def _reference_population(self, ev: Evidence) -> InputPopulation | None:
        """A subject's reference distributions (memoized per reference), None without one."""
        ref = ev.reference
        if ref is None:
            return None
        memo = _POPULATIONS.setdefault(ref, {})
        key = (self.params["rater"], float(self.params["displacement_share"]))
        if key not in memo:
            memo[key] = input_population(ref, self._scored(ref).tasks)
        return memo[key]

    def _inputs(self, ev: Evidence) -> pd.DataFrame:
        # Memoized through score_evidence: the inputs are columns of the scores.
        return self.memoized_scores(ev)

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
        scored = self._scored_rows(ev, code)
        labelled_time = series_sum(scored.time_share[~np.isnan(scored.score)])
        if self._missing_reason(series_sum(scored.time_share), labelled_time):
            return None
        row = _row(ev, self._inputs(ev), code)
        tasks = _task_tuples(scored).get(code, [])
        return build_assessment(str(ev.units.at[code, "title"]), tasks, row)

    # --- the contract ----------------------------------------------------------------------

    def compute(self, ev: Evidence) -> pd.DataFrame:
        scored = self._scored(ev).tasks
        idx = ev.units.index
        totals = task_totals(scored, idx)
        out = derived_columns(ev, scored, self._reference_population(ev), totals)
        total_time, labelled_time = totals.time, totals.labelled_time
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
        at = {code: i for i, code in enumerate(idx)}
        given = out["given_inputs"].tolist()
        titles = ev.units["title"].to_dict()
        results = {}
        # each unit's whole result, which its explanation shows: computed once, here
        computed = _RESULTS.setdefault(ev, {}).setdefault(self._memo_key(), {})
        for code, tasks in _task_tuples(scored).items():
            if code not in reasons or reasons[code]:
                continue
            i = at[code]
            inputs = {c: out[c][i] for c in INPUT_COLUMNS}
            inputs["given_inputs"] = given[i]
            assessment = build_assessment(str(titles[code]), tasks, inputs)
            computed[code] = aijri.compute(assessment)
            results[code] = _result_fields(computed[code])
        fields = pd.DataFrame.from_dict(results, orient="index", columns=list(RESULT_COLUMNS))
        fields = fields.reindex(idx)
        clamped = fields["clamped"].fillna(False).astype(bool)
        note = [
            _note(reasons[code], g, left, c)
            for code, g, left, c in zip(
                idx, given, totals.n_unlabelled.tolist(), clamped.tolist(), strict=True
            )
        ]
        with np.errstate(invalid="ignore", divide="ignore"):
            labelled_share = np.where(total_time > 0, labelled_time / total_time, np.nan)
        first: dict[str, Any] = {
            "value": fields["value"],
            "n_tasks": totals.n_labelled,
            "note": note,
            "zone": fields["zone"],
            "sub_label": fields["sub_label"],
            "task_resistance": fields["task_resistance"],
            "raw": fields["raw"],
        }
        extra: dict[str, Any] = {"labelled_share": labelled_share}
        for name in RESULT_COLUMNS:
            if name not in first:
                extra[name] = clamped if name == "clamped" else fields[name]
        overlap = (set(first) | set(extra)) & set(out)
        assert not overlap, f"derived inputs and results share columns: {sorted(overlap)}"
        # one frame at the end: column inserts cost more than a custom role's one row
        return pd.DataFrame({**first, **out, **extra}, index=idx)

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        row = _row(ev, self._inputs(ev), code)
        unit = _row(ev, ev.units, code)
        scored = self._scored_rows(ev, code)
        known = ~np.isnan(scored.score)
        labelled = scored.take(np.flatnonzero(known))
        inputs = self._derived_inputs(row, unit, labelled)
        notes: list[str] = []
        given = [name for name, d in inputs.items() if d.status == GIVEN]
        if given:
            notes.append("given 0 (no evidence): " + ", ".join(given))
        n_left = int((~known).sum())
        if n_left:
            notes.append(
                f"{n_left} task(s) without an exposure label left out "
                f"({series_sum(scored.time_share[~known]):.0%} of time); the other shares rescaled"
            )
        total = series_sum(labelled.time_share)
        reason = self._missing_reason(series_sum(scored.time_share), total)
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
        result = _RESULTS.get(ev, {}).get(self._memo_key(), {}).get(code)
        if result is None:  # not kept by compute (it read the labelled share from its totals)
            tasks_in = _task_tuples(scored).get(code, [])
            result = aijri.compute(build_assessment(str(unit["title"]), tasks_in, row))
        tasks = tuple(
            TaskContribution(
                task_id=None if pd.isna(task_id) else int(task_id),
                task=str(task),
                time_share=float(share) / total,
                contribution=float(share) / total * float(score),
                detail={
                    "score": int(score),
                    "label": str(label),
                    "exposure": exposure,
                    "exposure_rater": rater,
                    "automation_level": level,
                    "observed_use": bool(observed),
                    "automation_share": None if pd.isna(auto) else float(auto),
                },
            )
            for task_id, task, share, score, label, exposure, rater, level, observed, auto in zip(
                labelled.task_id.tolist(),
                labelled.task.tolist(),
                labelled.time_share.tolist(),
                labelled.score.tolist(),
                labelled.label.tolist(),
                labelled.exposure.tolist(),
                labelled.exposure_rater.tolist(),
                labelled.automation_level.tolist(),
                labelled.observed_use.tolist(),
                labelled.automation_share.tolist(),
                strict=True,
            )
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
        self, row: Mapping[str, Any], unit: Mapping[str, Any], labelled: ScoredTasks
    ) -> dict[str, DerivedInput]:
        given = set(filter(None, str(row["given_inputs"]).split(",")))
        basis = input_basis(row, unit, labelled)
        out: dict[str, DerivedInput] = {}
        for rule in INPUT_RULES:
            if rule.name == "tasks":
                status: Status = DERIVED if len(labelled.score) else GIVEN
                value = None
            else:
                status = GIVEN if rule.column in given else DERIVED
                value = int(row[rule.column])
            out[rule.name] = DerivedInput(
                rule.name, value, status, rule.evidence, rule.rule, basis[rule.name]
            )
        return out
