"""Anthropic Economic Index: task shares of Claude conversations and interaction modes per
release, and the 2026 labor-market files (observed exposure per SOC, task penetration).

Task text in every release is the lower-cased O*NET task statement of the first release's
O*NET (``onet_task_statements.csv``, O*NET 20.1-era codes and Task IDs). v3-v5 are a third
party's derivation from Anthropic's raw releases and are marked ``derived`` everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobrisk.sources.readers import SourceContext, read_table, text_key

V1 = "anthropic_economic_index/release_2025_02_10"
V2 = "anthropic_economic_index/release_2025_03_27"
DERIVED = "anthropic_economic_index/derived_v3_v5"
LABOR = "anthropic_economic_index/labor_market_impacts"

AUTOMATION_MODES = ("directive", "feedback_loop")
AUGMENTATION_MODES = ("task_iteration", "validation", "learning")
MODES = (*AUTOMATION_MODES, *AUGMENTATION_MODES)


@dataclass(frozen=True)
class Release:
    release: str  # "v1" ... "v5"
    date: str  # ISO date of the release
    platform: str  # "claude_ai" or "api"
    derived: bool
    source_id: str
    usage_file: str
    modes_file: str | None


RELEASES: tuple[Release, ...] = (
    Release("v1", "2025-02-10", "claude_ai", False, V1, "onet_task_mappings.csv", None),
    Release(
        "v2",
        "2025-03-27",
        "claude_ai",
        False,
        V2,
        "task_pct_v2.csv",
        "automation_vs_augmentation_by_task.csv",
    ),
    *(
        Release(
            v,
            date,
            platform,
            True,
            DERIVED,
            f"task_pct{suffix}_{v}.csv",
            f"automation_vs_augmentation_by_task{suffix}_{v}.csv",
        )
        for v, date in (("v3", "2025-09-15"), ("v4", "2026-01-15"), ("v5", "2026-03-24"))
        for platform, suffix in (("claude_ai", ""), ("api", "_api"))
    ),
)


def v1_task_statements(ctx: SourceContext) -> pd.DataFrame:
    """The first release's O*NET task statements: (code_v1, task_id_v1, task, task_key)."""
    s = read_table(
        ctx,
        V1,
        "onet_task_statements.csv",
        columns=["O*NET-SOC Code", "Task ID", "Task", "Task Type"],
        numeric=["Task ID"],
    )
    out = s.rename(
        columns={
            "O*NET-SOC Code": "code_v1",
            "Task ID": "task_id_v1",
            "Task": "task",
            "Task Type": "task_type",
        }
    )[["code_v1", "task_id_v1", "task", "task_type"]]
    out["task_id_v1"] = out["task_id_v1"].astype("int64")
    out["task_key"] = text_key(out["task"])
    return out


def usage(ctx: SourceContext) -> pd.DataFrame:
    """Share of conversations per task text, every release and platform: percent, sums to 100."""
    frames = []
    for r in RELEASES:
        u = read_table(
            ctx, r.source_id, r.usage_file, columns=["task_name", "pct"], numeric=["pct"]
        )
        frames.append(
            pd.DataFrame(
                {
                    "release": r.release,
                    "release_date": r.date,
                    "platform": r.platform,
                    "derived": r.derived,
                    "task_key": text_key(u["task_name"]),
                    "pct": u["pct"].astype("float64"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def modes(ctx: SourceContext) -> pd.DataFrame:
    """Per-task interaction modes (fractions of the task's conversations), v2 onwards.

    ``unclassified`` gathers the files' ``filtered``, ``none`` and ``not_classified`` columns.
    """
    frames = []
    for r in RELEASES:
        if r.modes_file is None:
            continue
        m = read_table(
            ctx, r.source_id, r.modes_file, columns=["task_name" if r.release == "v2" else "task"]
        )
        m = m.rename(columns={"task": "task_name", "feedback loop": "feedback_loop"})
        other = [c for c in ("filtered", "none", "not_classified") if c in m.columns]
        for c in (*MODES, *other):
            if c in m.columns:
                m[c] = pd.to_numeric(m[c], errors="coerce")
        out = pd.DataFrame(
            {
                "release": r.release,
                "platform": r.platform,
                "derived": r.derived,
                "task_key": text_key(m["task_name"]),
            }
        )
        for c in MODES:
            out[c] = m[c].fillna(0.0) if c in m.columns else 0.0
        out["unclassified"] = m[other].fillna(0.0).sum(axis=1) if other else 0.0
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def v1_modes(ctx: SourceContext) -> pd.DataFrame:
    """The first release's aggregate interaction modes (percent of all conversations)."""
    m = read_table(
        ctx,
        V1,
        "automation_vs_augmentation.csv",
        columns=["interaction_type", "pct"],
        numeric=["pct"],
    )
    m["mode"] = m["interaction_type"].str.strip().str.replace(" ", "_")
    return m[["mode", "pct"]]


def v1_soc_major_titles(ctx: SourceContext) -> pd.DataFrame:
    s = read_table(
        ctx, V1, "SOC_Structure.csv", columns=["Major Group", "SOC or O*NET-SOC 2019 Title"]
    )
    s = s[s["Major Group"].notna()]
    return s.rename(columns={"Major Group": "major_code", "SOC or O*NET-SOC 2019 Title": "title"})[
        ["major_code", "title"]
    ]


def observed_exposure(ctx: SourceContext) -> pd.DataFrame:
    j = read_table(
        ctx,
        LABOR,
        "job_exposure.csv",
        columns=["occ_code", "title", "observed_exposure"],
        numeric=["observed_exposure"],
    )
    return j.rename(columns={"occ_code": "soc_code"})


def task_penetration(ctx: SourceContext) -> pd.DataFrame:
    p = read_table(
        ctx, LABOR, "task_penetration.csv", columns=["task", "penetration"], numeric=["penetration"]
    )
    p["task_key"] = text_key(p["task"])
    return p
