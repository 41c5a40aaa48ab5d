"""The AI job risk index baseline (page 004): one 0-100 score per occupation, from the evidence.

The baseline is a weighted mean of four components, each 0-1:

- automation risk now (:class:`~jobrisk.methods.exposure_time.ExposureOverTime`): the part of
  the work AI already does without a person where it is used;
- automation risk projected (same method, ``projection_year``): where that is heading;
- exposure now: the share of the work AI reaches at all;
- the older indices as a prior: the mean percentile, among O*NET occupations, of
  Frey-Osborne's probability, Felten's AIOE and Webb's AI exposure (or one of them).

A component that is missing (an occupation without older indices, a custom role) is left out
and the other weights are renormalised; the note says so.

A weekly series adds dated events to this baseline (a later module): for week ``w``,
``value(w) = clamp(baseline(w) + sum of the adjustments of the events dated on or before w
whose scope matches the occupation, 0, 100)``; ``baseline(w)`` is :func:`risk_score` with the
components read off each quantity's adoption curve at ``w`` (columns ``*_ceiling``,
``*_growth_rate``, ``*_midpoint`` of the exposure series), so it moves smoothly between
releases and events show as steps.

    >>> RiskIndex().score_evidence(ev).loc["15-2051.00", "value"]  # doctest: +SKIP
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import InputError
from jobrisk.methods.adoption import FloatArray, index_positions
from jobrisk.methods.base import (
    Direction,
    Explanation,
    Family,
    Method,
    Parameter,
    TaskContribution,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.exposure_series import (
    FitOptions,
    TimelineOptions,
    _timeline_of,
    series_columns,
)
from jobrisk.methods.sums import group_sums
from jobrisk.methods.unit_rows import table_row

__all__ = ["PRIORS", "RiskIndex", "RiskWeights", "prior_percentile", "risk_score"]

# The older published indices (Frey-Osborne 2017, Webb 2020, Felten et al. 2021), before LLMs.
PRIORS: dict[str, tuple[str, ...]] = {
    "older_mean": ("frey_osborne_probability", "aioe", "webb_ai"),
    "frey_osborne_probability": ("frey_osborne_probability",),
    "aioe": ("aioe",),
    "webb_ai": ("webb_ai",),
}
COMPONENTS = ("automation_now", "automation_projected", "exposure_now", "prior")


@dataclass(frozen=True)
class RiskWeights:
    """Weights of the four components (any non-negative numbers; they are normalised)."""

    automation_now: float = 0.4
    automation_projected: float = 0.2
    exposure_now: float = 0.2
    prior: float = 0.2

    def as_array(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.array([getattr(self, c) for c in COMPONENTS], dtype=float)


def risk_score(components: pd.DataFrame, weights: RiskWeights) -> pd.Series:
    """0-100: the weighted mean of the columns ``COMPONENTS`` (0-1) over those that are known.

    A row with no known component with a positive weight is NaN.
    """
    values = components[list(COMPONENTS)].to_numpy(dtype=float)
    return pd.Series(_weighted_score(values, weights), index=components.index)


def _weighted_score(values: FloatArray, weights: RiskWeights) -> FloatArray:
    """:func:`risk_score` of a units x ``COMPONENTS`` array."""
    w = np.broadcast_to(weights.as_array(), values.shape)
    known = ~np.isnan(values)
    den = np.where(known, w, 0.0).sum(axis=1)
    num = np.where(known, values * w, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(den > 0, 100 * num / den, np.nan)
    return np.asarray(np.clip(score, 0.0, 100.0), dtype=float)


_SORTED: weakref.WeakKeyDictionary[Evidence, dict[str, FloatArray]] = weakref.WeakKeyDictionary()


def _onet_sorted(ev: Evidence, measure: str) -> FloatArray:
    """The sorted values of one measure over the O*NET occupations of ``ev`` (memoized)."""
    memo = _SORTED.setdefault(ev, {})
    if measure not in memo:
        onet = ev.units.index[ev.units["kind"] == "onet"]
        rows = ev.measures[(ev.measures["measure"] == measure) & ev.measures["code"].isin(onet)]
        memo[measure] = np.sort(rows["value"].to_numpy(dtype=float))
    return memo[measure]


def prior_percentile(ev: Evidence, measures: tuple[str, ...]) -> pd.DataFrame:
    """Per unit: the mean mid-rank percentile (0-1) of ``measures`` among O*NET occupations.

    Columns ``prior`` (NaN when the unit has none of them) and ``prior_measures`` (how many).
    """
    prior, count = _prior(ev, measures)
    return pd.DataFrame({"prior": prior, "prior_measures": count}, index=ev.units.index)


def _prior(ev: Evidence, measures: tuple[str, ...]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """:func:`prior_percentile`'s two columns as arrays (numpy: a role has a few rows)."""
    names = ev.measures["measure"].to_numpy(dtype=object)
    rows = np.flatnonzero(np.isin(names, np.array(measures, dtype=object)))
    names = names[rows]
    unit = index_positions(
        ev.units.index, ev.measures["code"].to_numpy(dtype=object)[rows].tolist()
    )
    values = ev.measures["value"].to_numpy(dtype=float)[rows]
    references = {}  # a measure without O*NET values is left out, as the groupby did
    for name in sorted(set(names.tolist())):
        reference = _onet_sorted(ev.population, str(name))
        if len(reference):
            references[name] = reference
    n_units, n_measures = len(ev.units), len(references)
    if not n_measures:
        return np.full(n_units, np.nan), np.zeros(n_units, dtype=np.int64)
    column = np.full(len(names), -1, dtype=np.intp)
    percentile = np.full(len(names), np.nan)
    for j, (name, reference) in enumerate(references.items()):
        of = names == name
        below = np.searchsorted(reference, values[of], side="left")
        upto = np.searchsorted(reference, values[of], side="right")
        percentile[of] = (below + upto) / 2 / len(reference)
        column[of] = j
    # unit x measure: the mean of its rows (one each in the index)
    cell = np.where((unit >= 0) & (column >= 0), unit * n_measures + column, -1)
    counts = np.bincount(cell[cell >= 0], minlength=n_units * n_measures)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = (group_sums(percentile, cell, n_units * n_measures) / counts).reshape(
            n_units, n_measures
        )
    known = ~np.isnan(table)
    count = known.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        prior = np.where(known, table, 0.0).sum(axis=1) / count
    return prior, count.astype(np.int64)


class RiskIndex(Method):
    """AI job risk index baseline, 0-100: a weighted mean of automation risk now and projected,
    exposure now and the older indices as a prior.

    Source: page 004 (the AI Job Risk Index: "AI Risk Score 24 / 100", tasks most likely to be
    automated, tasks that will remain), which does not publish its formula; the components come
    from :class:`~jobrisk.methods.exposure_time.ExposureOverTime` (Eloundou et al. 2024 labels,
    Anthropic Economic Index use and interaction modes) and from Frey & Osborne (2017), Felten
    et al. (2021) and Webb (2020). Deviation: the combination and its weights are this
    project's, visible as parameters; page 004's weekly events are not part of the baseline.
    """

    key = "risk_index"
    label = "AI job risk index (baseline)"
    family = Family.PAGE
    citation = (
        "Page 004 (AI Job Risk Index); components: Eloundou et al. (2024) Science 384(6702); "
        "Handa et al. (2025) Anthropic Economic Index; Frey & Osborne (2017); Felten, Raj, "
        "Seamans (2021); Webb (2020)."
    )
    source_ids = (
        "eloundou_2023",
        "anthropic_economic_index/release_2025_02_10",
        "anthropic_economic_index/release_2025_03_27",
        "anthropic_economic_index/derived_v3_v5",
        "frey_osborne",
        "felten_aioe",
        "webb_2020",
    )
    inputs = (
        "tasks.time_share",
        "tasks.human_e",
        "tasks.gpt4_e",
        "tasks.human_t",
        "tasks.gpt4_t",
        "tasks.penetration",
        "usage.share",
        "usage.automation_share",
        "usage.release",
        "usage.platform",
        "releases.release_date",
        "releases.derived",
        "releases.has_modes",
        "measures.measure",
        "measures.value",
    )
    score_range = (0.0, 100.0)
    direction = Direction.EXPOSURE
    unit = "risk score (0-100)"
    parameters = (
        Parameter(
            "weight_automation_now",
            0.4,
            "weight of automation risk now (what AI already does without a person)",
            bounds=(0.0, 10.0),
        ),
        Parameter(
            "weight_automation_projected",
            0.2,
            "weight of the projected automation risk (projection_year)",
            bounds=(0.0, 10.0),
        ),
        Parameter(
            "weight_exposure_now",
            0.2,
            "weight of exposure now (the share of the work AI reaches)",
            bounds=(0.0, 10.0),
        ),
        Parameter(
            "weight_prior",
            0.2,
            "weight of the older indices' percentile (the prior)",
            bounds=(0.0, 10.0),
        ),
        Parameter(
            "prior",
            "older_mean",
            "older indices as the prior: the mean of Frey-Osborne, AIOE and Webb AI "
            "percentiles, or one of them",
            choices=tuple(PRIORS),
        ),
        Parameter("projection_year", 2028, "year of the projected component", bounds=(2027, 2040)),
        Parameter(
            "n_listed",
            4,
            "tasks listed as most likely automated / will remain",
            bounds=(1, 20),
        ),
    )

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        if self.weights().as_array().sum() <= 0:
            raise InputError(
                "the risk index weights are all 0",
                hint="give at least one weight_* parameter a positive value",
            )

    def weights(self) -> RiskWeights:
        p = self.params
        return RiskWeights(
            automation_now=float(p["weight_automation_now"]),
            automation_projected=float(p["weight_automation_projected"]),
            exposure_now=float(p["weight_exposure_now"]),
            prior=float(p["weight_prior"]),
        )

    def _fit(self) -> FitOptions:
        return FitOptions(projection_year=int(self.params["projection_year"]))

    def compute(self, ev: Evidence) -> pd.DataFrame:
        series = series_columns(ev, TimelineOptions(), self._fit())
        n_units = len(series["note"])
        now_key = series["now_point"][0] if n_units else ""
        year = int(self.params["projection_year"])
        prior, prior_measures = _prior(ev, PRIORS[self.params["prior"]])
        components = np.column_stack(
            [
                series[f"automation_risk_{now_key}"] / 100,
                series[f"automation_risk_{year}"] / 100,
                series[f"exposure_{now_key}"] / 100,
                prior,
            ]
        ).reshape(n_units, len(COMPONENTS))
        has_tasks = series["n_tasks"] > 0
        components[~has_tasks, :] = np.nan
        no_prior = has_tasks & np.isnan(components[:, 3]) & (self.weights().prior > 0)
        missing = (
            "no older index for this occupation: the prior is left out, other weights renormalised"
        )
        notes = series["note"].tolist()
        note = [
            (n + "; " if n else "") + missing if lacks else n
            for n, lacks in zip(notes, no_prior.tolist(), strict=True)
        ]
        # one frame from arrays: column inserts and alignment cost more than a role's single row
        out = {
            "value": _weighted_score(components, self.weights()),
            "n_tasks": series["n_tasks"],
            "note": series["note"] if note == notes else np.array(note, dtype=object),
            **{c: components[:, i] for i, c in enumerate(COMPONENTS)},
            "prior_measures": prior_measures,
            "automation_projected_low": series[f"automation_risk_{year}_low"] / 100,
            "automation_projected_high": series[f"automation_risk_{year}_high"] / 100,
            "baseline_as_of": series["now_release"],
        }
        return pd.DataFrame(out, index=ev.units.index)

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        row = table_row(ev, self.memoized_scores(ev), code)
        value = None if pd.isna(row["value"]) else float(row["value"])
        # the timeline (and its task rows) only where there is a value to explain
        tl = None if value is None else _timeline_of(ev, code, TimelineOptions())
        if tl is None or len(tl) == 0:
            return Explanation(
                method=self.name,
                code=code,
                value=None,
                label=None,
                summary=str(row["note"]) or "no value",
                additive=False,
                tasks=(),
            )
        w = self.weights()
        known = {c: not pd.isna(row[c]) for c in COMPONENTS}
        total = sum(getattr(w, c) for c in COMPONENTS if known[c])
        share = tl.time_share
        reached, automation = tl.reached[:, -1], tl.automation[:, -1]
        per_task = (
            100 * share * (w.automation_now * reached * automation + w.exposure_now * reached)
        )
        per_task = per_task / total
        share_list, part_list = share.tolist(), per_task.tolist()
        reached_list, automation_list = reached.tolist(), automation.tolist()
        potential, first_seen = tl.potential.tolist(), tl.first_seen.tolist()
        items = [
            TaskContribution(
                task_id=int(str(task_id)),
                task=str(text),
                time_share=share_list[i],
                contribution=part_list[i],
                detail={
                    "reached_now": bool(reached_list[i]),
                    "automation": automation_list[i],
                    "within_reach": bool(potential[i]),
                    "first_seen_in_use": first_seen[i],
                },
            )
            for i, (task_id, text) in enumerate(zip(tl.task_ids, tl.task_texts, strict=True))
        ]
        n = int(self.params["n_listed"])
        automatable = sorted(
            (t for t in items if t.detail["reached_now"]),
            key=lambda t: (-t.detail["automation"], -t.time_share),
        )[:n]
        taken = {t.task_id for t in automatable}
        remain = sorted(
            (t for t in items if t.task_id not in taken),
            key=lambda t: (
                t.detail["within_reach"],
                t.detail["reached_now"],
                t.detail["automation"],
                -t.time_share,
            ),
        )[:n]
        parts = ", ".join(
            f"{c.replace('_', ' ')} {100 * float(row[c]):.0f} (weight {getattr(w, c):g})"
            for c in COMPONENTS
            if known[c]
        )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=f"AI risk score {value:.0f} / 100 as of {row['baseline_as_of']}: {parts}",
            additive=False,
            tasks=tuple(sorted(items, key=lambda t: (-t.contribution, -t.time_share))),
            inputs={
                **{c: None if not known[c] else float(row[c]) for c in COMPONENTS},
                "weights": {c: getattr(w, c) for c in COMPONENTS},
                "prior_measures": PRIORS[self.params["prior"]],
                "most_automatable": [(t.task_id, t.task) for t in automatable],
                "will_remain": [(t.task_id, t.task) for t in remain],
                "baseline_as_of": row["baseline_as_of"],
            },
            notes=tuple(
                [n for n in str(row["note"]).split("; ") if n]
                + [
                    "task contributions cover the automation-now and exposure-now parts; the "
                    "projected and prior parts are occupation-level"
                ]
            ),
        )
