"""The task matrix's per-task signals and axes (page 002; see :mod:`jobrisk.methods.task_matrix`).

Every 0-1 signal the four axes read (E- and T-labels, Microsoft applicability, Anthropic
penetration and automation share, O*NET physical DWAs, job zone, task type, judgment verbs),
and the axes as weighted means of the signals present. The rater-free signals are shared by
both raters' matrices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "AXES",
    "JUDGMENT_VERBS",
    "T_SCORES",
    "rater_free_signals",
    "task_axes",
    "task_signals",
]

# Eloundou et al.'s T0-T4 automation levels, equally spaced (the rubric is ordinal).
T_SCORES = {"T0": 0.0, "T1": 0.25, "T2": 0.5, "T3": 0.75, "T4": 1.0}
# The largest per-task Microsoft applicability in the data (0.721): the best-covered task = 1.
APPLICABILITY_CEILING = 0.72
# Leading verbs of O*NET task statements that name judgment: the verbs of the six O*NET work
# activities on judgment (Judging Qualities; Making Decisions; Developing Objectives and
# Strategies; Resolving Conflicts and Negotiating; Guiding, Directing and Motivating;
# Providing Consultation and Advice) whose tasks sit at least half in those activities'
# DWAs (76% as a list, against 19% of all tasks). The measurement is in the docs.
JUDGMENT_VERBS = frozenset(
    [
        "advise",
        "appraise",
        "approve",
        "arbitrate",
        "assess",
        "authorize",
        "counsel",
        "determine",
        "diagnose",
        "direct",
        "evaluate",
        "judge",
        "mediate",
        "negotiate",
        "oversee",
        "recommend",
        "supervise",
    ]
)

# Axis weights over the signals that are present (a missing signal drops out and the rest are
# renormalized). The evidence for each weight is in docs/methods/task_matrix.md.
CAPABILITY_WEIGHTS = {"s_label": 0.5, "s_applicability": 0.3, "s_penetration": 0.2}
RELIABILITY_WEIGHTS = {"s_t_level": 0.6, "s_automation": 0.4}
CONTEXT_WEIGHTS = {"s_physical": 0.45, "s_zone": 0.25, "s_unused": 0.2, "s_core": 0.1}
AMBIGUITY_WEIGHTS = {"s_zone": 0.35, "s_e0_desk": 0.35, "s_judgment_verb": 0.3}
AXES = ("capability", "reliability", "context", "ambiguity")


def _weighted(signals: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    num = np.zeros(len(signals))
    den = np.zeros(len(signals))
    for column, weight in weights.items():
        values = signals[column].to_numpy(dtype=float)
        known = ~np.isnan(values)
        num += weight * np.where(known, values, 0.0)
        den += weight * known
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(den > 0, num / den, np.nan), index=signals.index)


def _usage_by_task(usage: pd.DataFrame) -> pd.DataFrame:
    """Per (code, task_id): seen in use at all, and the share-weighted automation share."""
    seen = usage[usage["task_id"].notna() & (usage["share"] > 0)]
    key = [seen["code"], seen["task_id"].astype("Int64")]
    weight = seen["share"].where(seen["automation_share"].notna(), 0.0)
    num = (seen["automation_share"].fillna(0.0) * weight).groupby(key).sum()
    den = weight.groupby(key).sum()
    return pd.DataFrame({"used": True, "automation_share": num / den.where(den > 0)})


_JUDGMENT_PATTERN = r"^\W*(?:" + "|".join(sorted(JUDGMENT_VERBS)) + r")\b"


def rater_free_signals(
    tasks: pd.DataFrame, usage: pd.DataFrame, units: pd.DataFrame
) -> pd.DataFrame:
    """The signals that do not depend on the rater, one row per task (aligned with ``tasks``):
    both raters' task matrices share them."""
    key = pd.MultiIndex.from_arrays([tasks["code"], tasks["task_id"].astype("Int64")])
    seen = _usage_by_task(usage).reindex(key)
    used = seen["used"].notna().to_numpy()
    zone = pd.to_numeric(tasks["code"].map(units["job_zone"]), errors="coerce").astype(float)
    physical = tasks["physical"].astype(bool)
    judgment = tasks["task"].str.match(_JUDGMENT_PATTERN, case=False).fillna(False)
    return pd.DataFrame(
        {
            "physical": physical,
            "s_applicability": (tasks["task_applicability"] / APPLICABILITY_CEILING).clip(
                upper=1.0
            ),
            "s_penetration": tasks["penetration"].astype(float),
            "s_automation": seen["automation_share"].to_numpy(dtype=float),
            "s_physical": physical.astype(float),
            "s_zone": (zone - 1.0) / 4.0,
            "s_unused": (~used).astype(float),
            "s_core": tasks["task_type"].eq("Core").astype(float),
            "s_judgment_verb": judgment.astype(float),
            "job_zone": zone,
        },
        index=tasks.index,
    )


def task_signals(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    units: pd.DataFrame,
    rater: str,
    e2_credit: float,
    shared: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every 0-1 signal the axes read, one row per task (aligned with ``tasks``).

    ``shared`` is :func:`rater_free_signals` of the same frames, when already computed.
    """
    if rater == "human":
        label = tasks["human_e"].fillna(tasks["gpt4_e"])
        t_label = tasks["human_t"].fillna(tasks["gpt4_t"])
    else:
        label, t_label = tasks["gpt4_e"], tasks["gpt4_t"]
    free = rater_free_signals(tasks, usage, units) if shared is None else shared
    physical = free["physical"]
    return pd.DataFrame(
        {
            "label": label,
            "t_label": t_label,
            "s_label": label.map({"E0": 0.0, "E1": 1.0, "E2": e2_credit}).astype(float),
            "s_applicability": free["s_applicability"],
            "s_penetration": free["s_penetration"],
            "s_t_level": t_label.map(T_SCORES).astype(float),
            "s_automation": free["s_automation"],
            "s_physical": free["s_physical"],
            "s_zone": free["s_zone"],
            "s_unused": free["s_unused"],
            "s_core": free["s_core"],
            "s_e0_desk": (label.eq("E0") & ~physical).astype(float).where(label.notna()),
            "s_judgment_verb": free["s_judgment_verb"],
            "job_zone": free["job_zone"],
        },
        index=tasks.index,
    )


def task_axes(signals: pd.DataFrame) -> pd.DataFrame:
    """The four axes, each a weighted mean of the signals present."""
    return pd.DataFrame(
        {
            "capability": _weighted(signals, CAPABILITY_WEIGHTS),
            "reliability": _weighted(signals, RELIABILITY_WEIGHTS),
            "context": _weighted(signals, CONTEXT_WEIGHTS),
            "ambiguity": _weighted(signals, AMBIGUITY_WEIGHTS),
        },
        index=signals.index,
    )
