"""Eloundou, Manning, Mishkin, Rock (2024), GPTs are GPTs: task labels and occupation scores.

Task rows keep the paper's own O*NET codes, Task IDs and task types (their O*NET release), so
``occ_level.csv`` can be rebuilt from them; the link to O*NET 30.1 tasks is a separate column.
"""

from __future__ import annotations

import pandas as pd

from jobrisk.sources.readers import SourceContext, read_table

ELOUNDOU = "eloundou_2023"
CODE = "O*NET-SOC Code"


def task_labels(ctx: SourceContext) -> pd.DataFrame:
    """One row per labelled task: human and GPT-4 E-labels, GPT-4 T-labels, human T where given."""
    lab = read_table(
        ctx,
        ELOUNDOU,
        "full_labelset.tsv",
        sep="\t",
        index_col=0,
        columns=[
            CODE,
            "Task ID",
            "Task",
            "Task Type",
            "Title",
            "human_labels",
            "gpt4_exposure",
            "gpt4_exposure_alt_rubric",
            "gpt4_automation",
        ],
        numeric=["Task ID"],
    )
    auto = read_table(
        ctx,
        ELOUNDOU,
        "automation_gpt4_human_labels.tsv",
        sep="\t",
        columns=[CODE, "Task ID", "human_automation"],
        numeric=["Task ID"],
    )
    out = lab.rename(
        columns={
            CODE: "src_code",
            "Task ID": "src_task_id",
            "Task": "task",
            "Task Type": "task_type",
            "Title": "src_title",
            "human_labels": "human_e",
            "gpt4_exposure": "gpt4_e",
            "gpt4_exposure_alt_rubric": "gpt4_e_alt",
            "gpt4_automation": "gpt4_t",
        }
    )[
        [
            "src_code",
            "src_task_id",
            "task",
            "task_type",
            "src_title",
            "human_e",
            "gpt4_e",
            "gpt4_e_alt",
            "gpt4_t",
        ]
    ].reset_index(drop=True)
    out["src_task_id"] = out["src_task_id"].astype("int64")
    human_t = auto.dropna(subset=["human_automation"]).rename(
        columns={CODE: "src_code", "Task ID": "src_task_id", "human_automation": "human_t"}
    )[["src_code", "src_task_id", "human_t"]]
    human_t["src_task_id"] = human_t["src_task_id"].astype("int64")
    human_t = human_t.drop_duplicates(["src_code", "src_task_id"])
    out = out.merge(human_t, on=["src_code", "src_task_id"], how="left")
    # The paper's `coreweight` (full_onet_data.tsv): Core = 2, Supplemental = 1, untyped = 1.
    out["core_weight"] = out["task_type"].map({"Core": 2.0, "Supplemental": 1.0}).fillna(1.0)
    out["row"] = range(len(out))
    return out


def occupation_scores(ctx: SourceContext) -> pd.DataFrame:
    """``occ_level.csv`` as published: alpha, beta, gamma for GPT-4 (dv_rating) and humans."""
    cols = [
        "dv_rating_alpha",
        "dv_rating_beta",
        "dv_rating_gamma",
        "human_rating_alpha",
        "human_rating_beta",
        "human_rating_gamma",
    ]
    occ = read_table(ctx, ELOUNDOU, "occ_level.csv", columns=[CODE, "Title", *cols], numeric=cols)
    return occ.rename(columns={CODE: "code", "Title": "title"})
