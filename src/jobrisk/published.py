"""Published occupation numbers rebuilt from the task-level evidence in the index.

These are the joins that prove the index right: each function recomputes a table its source
published, from the rows the source released, so tests can compare the two.

- :func:`eloundou_occupation_scores`: Eloundou et al. (2024) ``occ_level.csv``, task means of
  alpha = E1, beta = E1 + 0.5 E2, gamma = E1 + E2, weighted Core = 2, Supplemental = 1,
  untyped = 1 (the paper's ``coreweight``), over the paper's own task rows.
- :func:`microsoft_applicability`: Tomlinson et al. (2025) Equation 1, as given in the data
  README: the weighted sum over an occupation's IWAs of completion x impact scope where the
  IWA's activity share exceeds 0.0005, averaged over the user-goal and AI-action sides.
- :func:`anthropic_v1_major_group_shares` and :func:`anthropic_v1_automation_share`:
  Handa et al. (2025), shares of conversations by SOC major group (a task statement shared
  by n occupations gives pct/n to each) and the automation / augmentation split.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from jobrisk.sources.anthropic import AUGMENTATION_MODES, AUTOMATION_MODES

COVERAGE_THRESHOLD = 0.0005  # Tomlinson et al. (2025), README "Computing AI applicability score"


class Queryable(Protocol):
    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame: ...


def exposure_scores(labels: pd.Series) -> pd.DataFrame:
    """Per-task alpha, beta, gamma from E-labels (Eloundou et al. 2024, Section 3.3)."""
    e1 = (labels == "E1").astype(float)
    e2 = (labels == "E2").astype(float)
    return pd.DataFrame({"alpha": e1, "beta": e1 + 0.5 * e2, "gamma": e1 + e2})


def eloundou_occupation_scores(cat: Queryable) -> pd.DataFrame:
    """``occ_level.csv`` rebuilt: one row per O*NET-SOC code, the paper's six columns."""
    labels = cat.query(
        "select src_code as code, human_e, gpt4_e, core_weight from task_exposure_labels"
    )
    out = {}
    w = labels["core_weight"]
    for rater, col in (("dv_rating", "gpt4_e"), ("human_rating", "human_e")):
        scores = exposure_scores(labels[col])
        for name in ("alpha", "beta", "gamma"):
            num = (scores[name] * w).groupby(labels["code"]).sum()
            out[f"{rater}_{name}"] = num / w.groupby(labels["code"]).sum()
    frame = pd.DataFrame(out)
    frame.index.name = "code"
    return frame.reset_index()


def microsoft_applicability(cat: Queryable) -> pd.DataFrame:
    """``soc_ai_applicability_scores.csv`` rebuilt with Equation 1: (soc_code, score)."""
    rows = cat.query(
        """select s.soc_code, s.iwa_id, coalesce(w.weight, 0) as weight,
                  m.share_user, m.completion_user, m.impact_scope_user,
                  m.share_ai, m.completion_ai, m.impact_scope_ai
           from ms_soc_to_iwas s
           join iwa_metrics m using (iwa_id)
           left join ms_soc_iwa_weights w using (soc_code, iwa_id)"""
    )
    share = rows["weight"] / rows.groupby("soc_code")["weight"].transform("sum")
    user = (
        (rows["share_user"] > COVERAGE_THRESHOLD)
        * rows["completion_user"]
        * rows["impact_scope_user"]
    )
    ai = (rows["share_ai"] > COVERAGE_THRESHOLD) * rows["completion_ai"] * rows["impact_scope_ai"]
    score = (0.5 * share * (user + ai)).groupby(rows["soc_code"]).sum()
    return score.rename("ai_applicability_score").reset_index()


def anthropic_v1_major_group_shares(cat: Queryable) -> pd.DataFrame:
    """Percent of first-release conversations per SOC major group, over matched task text.

    Uses the release's own task statements (O*NET 20.1-era codes), as the paper did.
    """
    shares = cat.query(
        """with v1 as (select distinct code_v1, task_id_v1, task_key from legacy_tasks),
                n as (select task_key, count(*) n from v1 group by task_key),
                a as (select u.task_key, u.pct / n.n as share, l.code_v1
                      from anthropic_task_pct u join n using (task_key)
                      join v1 l using (task_key)
                      where u.release = 'v1')
           select substr(code_v1, 1, 2) || '-0000' as major_code, sum(share) as share
           from a group by 1"""
    )
    titles = cat.query("select code as major_code, title from soc_groups where level = 'major'")
    shares["pct"] = shares["share"] / shares["share"].sum() * 100
    return shares.merge(titles, on="major_code", how="left")[["major_code", "title", "pct"]]


def anthropic_v1_automation_share(cat: Queryable) -> dict[str, float]:
    """Automation and augmentation as percent of classified first-release conversations.

    Directive and feedback loop count as automation; task iteration, validation and learning
    as augmentation; conversations with no mode ("none") are left out of the denominator.
    """
    m = cat.query("select mode, pct from anthropic_v1_modes").set_index("mode")["pct"]
    automation = float(sum(m.get(k, 0.0) for k in AUTOMATION_MODES))
    augmentation = float(sum(m.get(k, 0.0) for k in AUGMENTATION_MODES))
    total = automation + augmentation
    return {"automation": automation / total * 100, "augmentation": augmentation / total * 100}
