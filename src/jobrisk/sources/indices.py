"""Older occupation-level indices, kept as published for comparison: AIOE (Felten, Raj,
Seamans 2021, with the 2023 language-modeling and image-generation variants), Frey-Osborne
(2017), Webb (2020) and Schaal's (2025) comparison table. Codes are the source's own; the build
crosswalks them to O*NET-SOC 2019."""

from __future__ import annotations

import pandas as pd

from jobrisk.errors import MalformedSourceError
from jobrisk.sources.readers import SourceContext, read_table

AIOE = "felten_aioe"
FREY_OSBORNE = "frey_osborne"
WEBB = "webb_2020"
SCHAAL = "schaal_2025"


def aioe(ctx: SourceContext) -> pd.DataFrame:
    """(soc_2010, aioe, aioe_language_modeling, aioe_image_generation)."""
    base = read_table(
        ctx,
        AIOE,
        "AIOE_DataAppendix.xlsx",
        sheet="Appendix A",
        columns=["SOC Code", "AIOE"],
        numeric=["AIOE"],
    )
    lm = read_table(
        ctx,
        AIOE,
        "Language Modeling AIOE and AIIE.xlsx",
        sheet="LM AIOE",
        columns=["SOC Code", "Language Modeling AIOE"],
        numeric=["Language Modeling AIOE"],
    )
    ig = read_table(
        ctx,
        AIOE,
        "Image Generation AIOE and AIIE.xlsx",
        sheet="IG AIOE",
        columns=["SOC Code", "Image Generation AIOE"],
        numeric=["Image Generation AIOE"],
    )
    out = base[["SOC Code", "AIOE"]].merge(
        lm[["SOC Code", "Language Modeling AIOE"]], on="SOC Code", how="outer"
    )
    out = out.merge(ig[["SOC Code", "Image Generation AIOE"]], on="SOC Code", how="outer")
    return out.rename(
        columns={
            "SOC Code": "soc_2010",
            "AIOE": "aioe",
            "Language Modeling AIOE": "aioe_language_modeling",
            "Image Generation AIOE": "aioe_image_generation",
        }
    )


def frey_osborne(ctx: SourceContext) -> pd.DataFrame:
    f = read_table(
        ctx,
        FREY_OSBORNE,
        "frey_osborne_automation_risk_index_clean.csv",
        columns=["SOC code", "Probability", "Occupation"],
        numeric=["Probability"],
    )
    return f.rename(
        columns={"SOC code": "soc_2010", "Probability": "probability", "Occupation": "title"}
    )[["soc_2010", "title", "probability"]]


def webb(ctx: SourceContext) -> pd.DataFrame:
    """Webb's percentile scores keyed by O*NET-SOC 2010 code (``final_df_out.dta``)."""
    path = ctx.path(WEBB, "final_df_out.dta")
    try:
        w = pd.read_stata(path)
    except (ValueError, OSError) as exc:
        raise MalformedSourceError(
            f"{WEBB}/final_df_out.dta", None, f"cannot be read: {exc}", source_id=WEBB
        ) from exc
    return w.rename(
        columns={
            "onetsoccode": "code_2010",
            "index": "title",
            "ai_score": "webb_ai",
            "software_score": "webb_software",
            "robot_score": "webb_robot",
        }
    )[["code_2010", "title", "webb_ai", "webb_software", "webb_robot"]]


def schaal(ctx: SourceContext) -> pd.DataFrame:
    cols = [
        "eloundou_beta",
        "webb_ai",
        "sml",
        "felten",
        "frey_osborne",
        "routine_cognitive",
        "routine_manual",
    ]
    s = read_table(ctx, SCHAAL, "comparison_of_indices.csv", columns=["soc_code", "title", *cols])
    return s.rename(columns={"soc_code": "code"})
