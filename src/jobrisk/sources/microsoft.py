"""Tomlinson, Jaffe, Wang, Counts, Suri (2025), Working with AI (CC BY 4.0): IWA metrics from
Bing Copilot conversations, SOC-IWA weights, and the published AI applicability scores."""

from __future__ import annotations

import pandas as pd

from jobrisk.sources.readers import SourceContext, read_table

MICROSOFT = "microsoft_working_with_ai"

IWA_NUMERIC = [
    "share_user",
    "share_ai",
    "completion_user",
    "completion_ai",
    "impact_scope_user",
    "impact_scope_ai",
    "feedback_positive_fraction_user",
    "feedback_positive_fraction_ai",
]


def iwa_metrics(ctx: SourceContext) -> pd.DataFrame:
    m = read_table(
        ctx,
        MICROSOFT,
        "iwa_metrics.csv",
        columns=["IWA", "title", *IWA_NUMERIC],
        numeric=IWA_NUMERIC,
    )
    return m.rename(columns={"IWA": "iwa_id", "title": "iwa"})[["iwa_id", "iwa", *IWA_NUMERIC]]


def soc_to_iwas(ctx: SourceContext) -> pd.DataFrame:
    s = read_table(ctx, MICROSOFT, "soc_to_iwas.csv", columns=["SOC Code", "IWA"])
    return s.rename(columns={"SOC Code": "soc_code", "IWA": "iwa_id"})


def soc_iwa_weights(ctx: SourceContext) -> pd.DataFrame:
    """The wide weight matrix as long rows (soc_code, iwa_id, weight), zero weights dropped."""
    w = read_table(ctx, MICROSOFT, "soc_iwa_weights.csv", columns=["SOC Code"])
    long = w.melt(id_vars="SOC Code", var_name="iwa_id", value_name="weight")
    long["weight"] = pd.to_numeric(long["weight"], errors="raise")
    long = long[long["weight"].notna() & (long["weight"] != 0)]
    return long.rename(columns={"SOC Code": "soc_code"}).reset_index(drop=True)


def applicability_scores(ctx: SourceContext) -> pd.DataFrame:
    s = read_table(
        ctx,
        MICROSOFT,
        "soc_ai_applicability_scores.csv",
        columns=["SOC Code", "title", "ai_applicability_score"],
        numeric=["ai_applicability_score"],
    )
    return s.rename(columns={"SOC Code": "soc_code"})


def physical_tasks(ctx: SourceContext) -> pd.DataFrame:
    p = read_table(
        ctx, MICROSOFT, "physical_tasks.csv", columns=["Task ID", "Physical"], numeric=["Task ID"]
    )
    out = p.rename(columns={"Task ID": "task_id", "Physical": "physical"})
    out["task_id"] = out["task_id"].astype("int64")
    out["physical"] = out["physical"].astype("string").str.lower().eq("true")
    return out
