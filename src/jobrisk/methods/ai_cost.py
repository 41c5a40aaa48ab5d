"""The operational AI cost of a task-hour (page 002), its parameters and its formula.

    AI cost of a task-hour = inference cost
                           + oversight minutes / 60 x loaded hourly wage
                           + expected downstream errors x cost per error

    loaded hourly wage  = BLS median hourly wage x loading factor      (= the human hour)
    oversight minutes   = reliable + (unreliable - reliable) x (1 - reliability)
    downstream errors   = escaped errors per hour x (1 - reliability)

Reliability is the task matrix's reliability axis (0-1). Only the oversight part depends on the
wage, so raising the loading factor raises the AI cost by exactly the oversight part's share of
the change. An occupation without a BLS hourly median wage gets no cost: no wage is inferred.

    >>> model = CostModel.from_params(CostModel.defaults())
    >>> round(model.human_hour(40.0), 2)
    58.2
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import InputError
from jobrisk.methods.base import Parameter

__all__ = [
    "COST_CEILING",
    "COST_PARAMETERS",
    "ECEC_LOADING_FACTOR",
    "WAGE_CEILING",
    "CostModel",
    "cost_columns",
    "missing_cost_note",
    "occupation_costs",
]

Floats = npt.NDArray[np.float64]

# BLS Employer Costs for Employee Compensation, June 2025 (USDL-25-1358), civilian workers:
# total compensation $48.05 per hour worked, of which wages and salaries $33.02 (68.7%).
ECEC_LOADING_FACTOR = round(48.05 / 33.02, 3)

# Claude Code docs, "Manage costs effectively": across enterprise deployments the average is
# about $13 per developer per active day and below $30 for 90% of users. An AI that does the
# task-hour (not one that assists) sits at the high end: $30 over an 8-hour day.
INFERENCE_DEFAULT = 30.0 / 8.0

# Above the highest BLS hourly median in the index ($268.76, Pediatric Surgeons, May 2025);
# it only bounds the stated score range, and a wage above it gets no cost rather than a
# value outside the range.
WAGE_CEILING = 1000.0

COST_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "loading_factor",
        ECEC_LOADING_FACTOR,
        "employer cost of an hour over its wage; default 48.05 / 33.02 from BLS ECEC June 2025 "
        "(civilian workers: wages and salaries are 68.7% of compensation)",
        bounds=(1.0, 3.0),
    ),
    Parameter(
        "inference_cost_per_hour",
        INFERENCE_DEFAULT,
        "model inference per AI task-hour in dollars; default $30 per 8-hour day, the 90th "
        "percentile of Claude Code's enterprise cost per active developer day",
        bounds=(0.0, 500.0),
    ),
    Parameter(
        "oversight_minutes_reliable",
        6.0,
        "review minutes per AI task-hour at reliability 1: a spot check of a tenth of the hour "
        "(our choice)",
        bounds=(0.0, 60.0),
    ),
    Parameter(
        "oversight_minutes_unreliable",
        60.0,
        "review minutes per AI task-hour at reliability 0: checking takes as long as doing "
        "(our choice)",
        bounds=(0.0, 240.0),
    ),
    Parameter(
        "escaped_errors_per_hour",
        0.1,
        "errors per AI task-hour that pass review and reach downstream at reliability 0; "
        "scaled by 1 - reliability (our choice)",
        bounds=(0.0, 1.0),
    ),
    Parameter(
        "cost_per_error",
        100.0,
        "dollars per downstream error (rework, a customer contact); no published figure, our "
        "choice, change it for your setting",
        bounds=(0.0, 5000.0),
    ),
    Parameter(
        "cost_scope",
        "ai_cells",
        "which task-hours the occupation's cost averages: ai_cells (Replaceable and "
        "AI-augmented, the hours AI would take) or all_tasks",
        choices=("ai_cells", "all_tasks"),
    ),
)


def _upper(name: str) -> float:
    bounds = next(p.bounds for p in COST_PARAMETERS if p.name == name)
    assert bounds is not None
    return bounds[1]


# The largest cost the formula can give within the parameter bounds and the wage ceiling.
COST_CEILING = (
    _upper("inference_cost_per_hour")
    + _upper("oversight_minutes_unreliable") / 60.0 * WAGE_CEILING * _upper("loading_factor")
    + _upper("escaped_errors_per_hour") * _upper("cost_per_error")
)


@dataclass(frozen=True)
class CostModel:
    """The cost formula with its parameters fixed."""

    loading_factor: float
    inference_cost_per_hour: float
    oversight_minutes_reliable: float
    oversight_minutes_unreliable: float
    escaped_errors_per_hour: float
    cost_per_error: float

    @staticmethod
    def defaults() -> dict[str, Any]:
        return {p.name: p.default for p in COST_PARAMETERS}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> CostModel:
        """The model from a method's parameters; oversight must not fall as reliability falls."""
        lo, hi = params["oversight_minutes_reliable"], params["oversight_minutes_unreliable"]
        if lo > hi:
            raise InputError(
                f"oversight_minutes_reliable ({lo}) is above oversight_minutes_unreliable ({hi})",
                hint="a less reliable task needs at least as much review: swap the two values",
            )
        return cls(
            loading_factor=float(params["loading_factor"]),
            inference_cost_per_hour=float(params["inference_cost_per_hour"]),
            oversight_minutes_reliable=float(lo),
            oversight_minutes_unreliable=float(hi),
            escaped_errors_per_hour=float(params["escaped_errors_per_hour"]),
            cost_per_error=float(params["cost_per_error"]),
        )

    def human_hour(self, hourly_wage: float) -> float:
        """The loaded cost of the same hour done by the person."""
        return hourly_wage * self.loading_factor

    def task_hours(self, reliability: pd.Series, hourly_wage: pd.Series) -> pd.DataFrame:
        """Cost lines per task-hour (aligned with ``reliability``): NaN where either is NaN.

        Columns: ``inference``, ``oversight_minutes``, ``oversight``, ``errors``,
        ``error_cost``, ``ai_cost``, ``human_cost`` (all dollars but minutes and errors).
        """
        lines = self.task_lines(
            reliability.to_numpy(dtype=float), hourly_wage.to_numpy(dtype=float)
        )
        return pd.DataFrame(lines, index=reliability.index)

    def task_lines(self, reliability: Floats, hourly_wage: Floats) -> dict[str, Floats]:
        """:meth:`task_hours` as numpy columns (a role has a handful of tasks)."""
        wage = np.where(hourly_wage <= WAGE_CEILING, hourly_wage, np.nan)
        gap = 1.0 - reliability
        minutes = self.oversight_minutes_reliable + gap * (
            self.oversight_minutes_unreliable - self.oversight_minutes_reliable
        )
        human = wage * self.loading_factor
        oversight = minutes / 60.0 * human
        errors = self.escaped_errors_per_hour * gap
        error_cost = errors * self.cost_per_error
        has_wage = ~np.isnan(wage)
        inference = np.where(
            ~np.isnan(reliability) & has_wage, self.inference_cost_per_hour, np.nan
        )
        error_cost = np.where(has_wage, error_cost, np.nan)
        return {
            "inference": inference,
            "oversight_minutes": minutes,
            "oversight": oversight,
            "errors": errors,
            "error_cost": error_cost,
            "ai_cost": inference + oversight + error_cost,
            "human_cost": human,
        }


COST_LINES = {
    "ai_cost_per_hour": "ai_cost",
    "inference_per_hour": "inference",
    "oversight_minutes_per_hour": "oversight_minutes",
    "oversight_per_hour": "oversight",
    "error_cost_per_hour": "error_cost",
}


def missing_cost_note(wage: float, annual: float, no_hours: str) -> str:
    """Why an occupation has no cost: its wage first, else ``no_hours`` (nothing to cost)."""
    if np.isnan(wage) and not np.isnan(annual):
        return (
            f"BLS publishes only an annual median wage (${annual:,.0f}) for this occupation, "
            "no hourly one; no hourly wage is inferred"
        )
    if np.isnan(wage):
        return "BLS publishes no median wage for this occupation; no wage is inferred"
    if wage > WAGE_CEILING:
        return f"hourly wage above ${WAGE_CEILING:,.0f}, outside the range this cost is stated for"
    return no_hours


def occupation_costs(
    lines: Mapping[str, Any],
    weight: pd.Series | Floats,
    group_sum: Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]],
    units: pd.DataFrame,
    model: CostModel,
    no_hours: str,
) -> pd.DataFrame:
    """Per unit: the ``weight``-ed mean of each task cost line, the human hour, their ratio.

    ``lines`` are :meth:`CostModel.task_hours` columns per task (a frame or a dict of arrays), ``weight`` each task's weight
    (NaN for tasks out of scope) and ``group_sum`` sums a task array per unit of ``units``
    (NaN as 0). ``cost_note`` says why a cost is missing (``no_hours`` when there is nothing
    to cost).
    """
    return pd.DataFrame(
        cost_columns(lines, weight, group_sum, units, model, no_hours), index=units.index
    )


def cost_columns(
    lines: Mapping[str, Any],
    weight: pd.Series | Floats,
    group_sum: Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]],
    units: pd.DataFrame,
    model: CostModel,
    no_hours: str,
) -> dict[str, Any]:
    """:func:`occupation_costs` as plain columns (numpy: a role has a single unit)."""
    w = np.asarray(weight, dtype=float)
    den = group_sum(w)
    den = np.where(den > 0, den, np.nan)
    out: dict[str, Any] = {}
    for column, line in COST_LINES.items():
        values = np.asarray(lines[line], dtype=float)
        known = group_sum(np.where(np.isnan(values), np.nan, w))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[column] = np.where(known > 0, group_sum(values * w) / den, np.nan)
    wage = units["hourly_median_wage"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        loaded = np.where(wage <= WAGE_CEILING, wage, np.nan) * model.loading_factor
    out["hourly_wage"] = wage
    out["human_cost_per_hour"] = loaded
    with np.errstate(invalid="ignore", divide="ignore"):
        out["ai_cost_share"] = out["ai_cost_per_hour"] / loaded
    annual = units["annual_median_wage"].to_numpy(dtype=float)
    out["cost_note"] = [
        "" if not np.isnan(cost) else missing_cost_note(w, a, no_hours)
        for cost, w, a in zip(out["ai_cost_per_hour"], wage, annual, strict=True)
    ]
    return out
