"""Eloundou et al. (2024) exposure: alpha, beta, gamma from E-labels, human or GPT-4 rater."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd

from jobrisk.methods.base import (
    Direction,
    Explanation,
    Family,
    Method,
    Parameter,
    TaskContribution,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import FloatArray
from jobrisk.methods.unit_rows import unit_positions

WEIGHTS = {"core": "core_weight", "equal": None, "rating": "rating_weight"}
MEASURES = ("alpha", "beta", "gamma")
HALF = {"alpha": 0.0, "beta": 0.5, "gamma": 1.0}  # credit of an E2 label per measure
_SUMS: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, str], dict[str, FloatArray]]] = (
    weakref.WeakKeyDictionary()
)


class _LabelColumns:
    """``ev.labels`` columns as plain lists, each listed once per evidence: a unit's rows are
    then list lookups, for every variant (rater, measure, weighting) alike."""

    def __init__(self, labels: pd.DataFrame) -> None:
        self.labels = labels  # the frame, not the evidence: a memo value must not hold its key
        self.lists: dict[str, list[Any]] = {}

    def of(self, column: str, at: list[int]) -> list[Any]:
        values = self.lists.get(column)
        if values is None:
            values = self.lists[column] = self.labels[column].tolist()
        return [values[i] for i in at]


_COLUMNS: weakref.WeakKeyDictionary[Evidence, _LabelColumns] = weakref.WeakKeyDictionary()


def _label_columns(ev: Evidence) -> _LabelColumns:
    columns = _COLUMNS.get(ev)
    if columns is None:
        columns = _COLUMNS[ev] = _LabelColumns(ev.labels)
    return columns


def label_scores(labels: pd.Series, measure: str) -> pd.Series:
    """Per-task alpha = E1, beta = E1 + 0.5 E2, gamma = E1 + E2 (paper, Section 3.3)."""
    e1 = (labels == "E1").astype(float)
    e2 = (labels == "E2").astype(float)
    return (e1 + HALF[measure] * e2).where(labels.notna())


class EloundouExposure(Method):
    """Share of an occupation's tasks an LLM (E1) or LLM + tools (E2) can speed up by half.

    Source: Eloundou, Manning, Mishkin, Rock (2024), "GPTs are GPTs", Science 384; task labels
    and ``occ_level.csv`` from the paper's repository. alpha counts E1, beta E1 + 0.5 x E2,
    gamma E1 + E2; the occupation value is the weighted mean over the paper's own task rows.

    Weightings: ``core`` (Core = 2, Supplemental = 1, untyped = 1, the paper's ``coreweight``;
    reproduces ``occ_level.csv`` exactly), ``equal``, and ``rating`` (O*NET 30.1 time weights:
    frequency x importance; deviates from the paper, and drops the paper rows whose task left
    O*NET since, counted in ``note``).
    """

    key = "eloundou"
    label = "Eloundou et al. exposure"
    family = Family.PUBLISHED
    citation = (
        "Eloundou, T., Manning, S., Mishkin, P., Rock, D. (2024). GPTs are GPTs: Labor market "
        "impact potential of LLMs. Science 384(6702)."
    )
    source_ids = ("eloundou_2023",)
    inputs = ("labels.core_weight", "labels.human_e", "labels.gpt4_e", "labels.rating_weight")
    score_range = (0.0, 1.0)
    direction = Direction.EXPOSURE
    unit = "share of tasks (0-1)"
    parameters = (
        Parameter(
            "measure",
            "beta",
            "alpha = E1, beta = E1 + 0.5 E2, gamma = E1 + E2",
            choices=("alpha", "beta", "gamma"),
        ),
        Parameter(
            "rater",
            "human",
            "whose labels: the paper's human annotators or GPT-4",
            choices=("human", "gpt4"),
        ),
        Parameter(
            "weighting",
            "core",
            "task weights: core (the paper's), equal, rating (O*NET 30.1)",
            choices=("core", "equal", "rating"),
        ),
    )

    @property
    def name(self) -> str:
        suffix = "" if self.params["weighting"] == "core" else f"_{self.params['weighting']}"
        return f"eloundou_{self.params['measure']}_{self.params['rater']}{suffix}"

    @property
    def title(self) -> str:
        rater = "human labels" if self.params["rater"] == "human" else "GPT-4 labels"
        return f"Eloundou {self.params['measure']} ({rater})"

    def _sums(self, ev: Evidence) -> dict[str, FloatArray]:
        """Per unit (``ev.units`` order), the three measures' weighted sums, the weight and the
        row counts of this rater and weighting: one grouping for the alpha, beta and gamma
        variants."""
        col = "human_e" if self.params["rater"] == "human" else "gpt4_e"
        wcol = WEIGHTS[self.params["weighting"]]
        key = (col, self.params["weighting"])
        memo = _SUMS.setdefault(ev, {})
        if key not in memo:
            labels = ev.labels
            label = labels[col]
            weight = (
                np.ones(len(labels))
                if wcol is None
                else labels[wcol].to_numpy(dtype=float, na_value=np.nan)
            )
            usable = ~np.isnan(weight) & label.notna().to_numpy()
            # label_scores in numpy; NaN rows are skipped by the grouped sum, as the rows left
            # out of the mean
            e1 = (label == "E1").to_numpy(dtype=float)
            e2 = (label == "E2").to_numpy(dtype=float)
            parts = {
                measure: np.where(usable, (e1 + HALF[measure] * e2) * weight, np.nan)
                for measure in MEASURES
            }
            parts["weight"] = np.where(usable, weight, np.nan)
            parts["n"] = usable.astype(float)
            parts["dropped"] = (~usable).astype(float)
            # np.bincount adds each unit's rows in row order, whatever the other units: a role
            # gets the same sums alone or in a batch (a grouped pandas sum can differ in the
            # last bit, and 2/3 against 0.6666666666666666 moves a percentile among ties);
            # rows of codes that are not units are left out, a unit without rows sums to 0
            unit = unit_positions(ev, labels["code"].to_numpy())
            keep = unit >= 0
            memo[key] = {
                name: np.asarray(
                    np.bincount(
                        unit[keep], weights=np.nan_to_num(v[keep]), minlength=len(ev.units)
                    ),
                    dtype=float,
                )
                for name, v in parts.items()
            }
        return memo[key]

    def compute(self, ev: Evidence) -> pd.DataFrame:
        sums = self._sums(ev)
        num = sums[self.params["measure"]]
        den = sums["weight"]
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(den > 0, num / den, np.nan)
        n = sums["n"].round().astype(int)
        dropped = sums["dropped"].round().astype(int)
        # plain lists: pandas string operations cost more than the few units of a role
        note = [
            "no Eloundou task labels for this occupation"
            if v != v
            else f"{d} paper task rows without a weight or label left out"
            if d > 0
            else ""
            for v, d in zip(value.tolist(), dropped.tolist(), strict=True)
        ]
        return pd.DataFrame(
            {"value": value, "n_tasks": n, "note": pd.Series(note, dtype=str).to_numpy()},
            index=ev.units.index,
        )

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        columns = _label_columns(ev)
        at = ev.row_positions("labels", code).tolist()  # the rows of ev.rows_of("labels", code)
        col = "human_e" if self.params["rater"] == "human" else "gpt4_e"
        wcol = WEIGHTS[self.params["weighting"]]
        # plain lists: one occupation has a few dozen rows, and pandas per-row access is slow
        label = columns.of(col, at)
        weight = [1.0] * len(label) if wcol is None else columns.of(wcol, at)
        half = {"alpha": 0.0, "beta": 0.5, "gamma": 1.0}[self.params["measure"]]
        per_label = {"E0": 0.0, "E1": 1.0, "E2": half}
        usable = [
            i for i, (lab, w) in enumerate(zip(label, weight, strict=True))
            if lab in per_label and w == w and w is not None
        ]  # fmt: skip
        total = sum(weight[i] for i in usable)
        ids, texts, types = (
            columns.of("src_task_id", at),
            columns.of("task", at),
            columns.of("task_type", at),
        )
        tasks = [
            TaskContribution(
                task_id=int(ids[i]),
                task=str(texts[i]),
                time_share=weight[i] / total,
                contribution=weight[i] / total * per_label[label[i]],
                detail={"label": label[i], "task_type": types[i]},
            )
            for i in usable
        ]
        value = sum(t.contribution for t in tasks) if tasks else None
        counts = {k: sum(1 for i in usable if label[i] == k) for k in per_label}
        summary = (
            f"{self.params['measure']} = {value:.3f}: weighted mean over {len(tasks)} labelled "
            f"tasks (E0 {counts['E0']}, E1 {counts['E1']}, E2 {counts['E2']})"
            if value is not None
            else "no Eloundou task labels for this occupation"
        )
        dropped = len(label) - len(usable)
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=summary,
            additive=True,
            tasks=tuple(sorted(tasks, key=lambda t: -t.contribution)),
            inputs={"weighting": self.params["weighting"], "rater": self.params["rater"]},
            notes=(f"{dropped} rows without a weight or label left out",) if dropped else (),
        )
