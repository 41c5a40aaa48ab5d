"""The basis line of each AIJRI input in an explanation: the figures its rule was applied to."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from jobrisk import aijri
from jobrisk.methods.aijri_rules import UNIONISED_GROUPS, USE_TREND_RATIO
from jobrisk.methods.aijri_tasks import ScoredTasks, series_sum
from jobrisk.methods.sums import group_sums, in_key_order

__all__ = ["input_basis"]


def _pct(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.0%}"


def input_basis(
    row: Mapping[str, Any], unit: Mapping[str, Any], labelled: ScoredTasks
) -> dict[str, str]:
    """Per input name, the occupation's own figures its rule was applied to (one line each).

    ``row`` is the unit's row of the method's scores, ``unit`` its row of ``units`` and
    ``labelled`` its labelled tasks.
    """
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
    n_labelled = len(labelled.score)
    shares = labelled.time_share / max(series_sum(labelled.time_share), 1e-12)
    label_of = {label: i for i, label in enumerate(aijri.LABELS)}
    which = np.array([label_of.get(lab, -1) for lab in labelled.label.tolist()], dtype=np.intp)
    ordered = in_key_order(labelled.label)
    by_label = group_sums(shares, which, len(aijri.LABELS), sorted_keys=ordered)
    tasks = (
        f"{n_labelled} labelled tasks: "
        + ", ".join(f"{_pct(float(by_label[i]))} {k.lower()}" for i, k in enumerate(aijri.LABELS))
        if n_labelled
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
