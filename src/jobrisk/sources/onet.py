"""O*NET 30.1 loaders: occupations, SOC hierarchy, titles, tasks, DWAs, skills and the rest.

Source: National Center for O*NET Development, O*NET 30.1 Database (CC BY 4.0). The SOC
hierarchy titles come from the SOC_Structure.csv file in Anthropic's first Economic Index
release, which is the O*NET-SOC 2019 structure from O*NET.
"""

from __future__ import annotations

import pandas as pd

from jobrisk.sources.readers import SourceContext, read_table

ONET = "onet_30_1"
RATINGS = "onet_task_ratings_derived"
AEI_V1 = "anthropic_economic_index/release_2025_02_10"

CODE = "O*NET-SOC Code"


def occupations(ctx: SourceContext) -> pd.DataFrame:
    """One row per O*NET 30.1 occupation with its SOC hierarchy and job zone."""
    occ = read_table(ctx, ONET, "Occupation Data.xlsx", columns=[CODE, "Title", "Description"])
    occ = occ.rename(columns={CODE: "code", "Title": "title", "Description": "description"})
    zones = read_table(
        ctx, ONET, "Job Zones.xlsx", columns=[CODE, "Job Zone"], numeric=["Job Zone"]
    )
    zones = zones.rename(columns={CODE: "code", "Job Zone": "job_zone"})[["code", "job_zone"]]
    occ = occ.merge(zones, on="code", how="left")
    occ["job_zone"] = occ["job_zone"].astype("Int64")
    occ["soc_code"] = occ["code"].str[:7]
    hierarchy = soc_hierarchy(ctx)
    occ = occ.merge(hierarchy, on="soc_code", how="left")
    occ["major_code"] = occ["soc_code"].str[:2] + "-0000"
    return occ


def soc_hierarchy(ctx: SourceContext) -> pd.DataFrame:
    """Each detailed SOC 2018 code with its minor group and broad occupation codes."""
    s = read_table(
        ctx,
        AEI_V1,
        "SOC_Structure.csv",
        columns=["Major Group", "Minor Group", "Broad Occupation", "Detailed Occupation"],
    )
    filled = s[["Minor Group", "Broad Occupation"]].ffill()
    detailed = s["Detailed Occupation"].notna()
    return pd.DataFrame(
        {
            "soc_code": s.loc[detailed, "Detailed Occupation"].to_numpy(),
            "minor_code": filled.loc[detailed, "Minor Group"].to_numpy(),
            "broad_code": filled.loc[detailed, "Broad Occupation"].to_numpy(),
        }
    ).drop_duplicates("soc_code")


def soc_groups(ctx: SourceContext) -> pd.DataFrame:
    """Every SOC group (major, minor, broad, detailed) with its title."""
    s = read_table(
        ctx,
        AEI_V1,
        "SOC_Structure.csv",
        columns=[
            "Major Group",
            "Minor Group",
            "Broad Occupation",
            "Detailed Occupation",
            "SOC or O*NET-SOC 2019 Title",
        ],
    )
    frames = []
    for col, level in [
        ("Major Group", "major"),
        ("Minor Group", "minor"),
        ("Broad Occupation", "broad"),
        ("Detailed Occupation", "detailed"),
    ]:
        part = s[s[col].notna()][[col, "SOC or O*NET-SOC 2019 Title"]]
        part.columns = pd.Index(["code", "title"])
        part = part.assign(level=level)
        frames.append(part)
    return pd.concat(frames, ignore_index=True).drop_duplicates(["code", "level"])


def titles(ctx: SourceContext) -> pd.DataFrame:
    """Alternate, short and reported titles: (code, title, kind)."""
    alt = read_table(
        ctx, ONET, "Alternate Titles.xlsx", columns=[CODE, "Alternate Title", "Short Title"]
    )
    rep = read_table(
        ctx, ONET, "Sample of Reported Titles.xlsx", columns=[CODE, "Reported Job Title"]
    )
    parts = [
        alt[[CODE, "Alternate Title"]].set_axis(["code", "title"], axis=1).assign(kind="alternate"),
        alt[[CODE, "Short Title"]].set_axis(["code", "title"], axis=1).assign(kind="short"),
        rep[[CODE, "Reported Job Title"]]
        .set_axis(["code", "title"], axis=1)
        .assign(kind="reported"),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["title"] = out["title"].astype("string").str.strip()
    out = out[out["title"].notna() & (out["title"] != "")]
    return out.drop_duplicates(["code", "title", "kind"]).reset_index(drop=True)


def tasks(ctx: SourceContext) -> pd.DataFrame:
    """O*NET 30.1 task statements with ratings and a time weight.

    ``time_weight``: where every task of an occupation has O*NET task ratings, frequency
    (times per workday) x importance (1-5); otherwise core = 2, supplemental = 1 for all the
    occupation's tasks (untyped = 1), so one occupation never mixes the two scales.
    ``time_share`` is the weight normalised within the occupation.
    """
    t = read_table(
        ctx,
        ONET,
        "Task Statements.xlsx",
        columns=[CODE, "Task ID", "Task", "Task Type", "Incumbents Responding", "Date"],
        numeric=["Task ID", "Incumbents Responding"],
    )
    t = t.rename(
        columns={
            CODE: "code",
            "Task ID": "task_id",
            "Task": "task",
            "Task Type": "task_type",
            "Incumbents Responding": "incumbents",
            "Date": "date",
        }
    )[["code", "task_id", "task", "task_type", "incumbents", "date"]]
    t["task_id"] = t["task_id"].astype("int64")
    r = read_table(
        ctx,
        RATINGS,
        "task_level_with_freq_importance_relevance.csv",
        columns=[CODE, "Task ID", "freq_mean", "importance", "relevance"],
        numeric=["Task ID", "freq_mean", "importance", "relevance"],
    )
    r = r.rename(columns={CODE: "code", "Task ID": "task_id"})
    r = r[["code", "task_id", "freq_mean", "importance", "relevance"]]
    r["task_id"] = r["task_id"].astype("int64")
    t = t.merge(r, on=["code", "task_id"], how="left")
    rated = t["freq_mean"].notna() & t["importance"].notna()
    all_rated = rated.groupby(t["code"]).transform("all")
    type_weight = t["task_type"].map({"Core": 2.0, "Supplemental": 1.0}).fillna(1.0)
    t["time_weight"] = type_weight.where(~all_rated, t["freq_mean"] * t["importance"])
    t["weight_source"] = all_rated.map({True: "task ratings", False: "core=2/supplemental=1"})
    t["time_share"] = t["time_weight"] / t.groupby("code")["time_weight"].transform("sum")
    return t


def dwas(ctx: SourceContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(task_dwas: code, task_id, dwa_id) and (dwa_reference: dwa_id, dwa, iwa_id, iwa, ...)."""
    td = read_table(
        ctx, ONET, "Tasks to DWAs.xlsx", columns=[CODE, "Task ID", "DWA ID"], numeric=["Task ID"]
    )
    task_dwas = td.rename(columns={CODE: "code", "Task ID": "task_id", "DWA ID": "dwa_id"})[
        ["code", "task_id", "dwa_id"]
    ]
    task_dwas["task_id"] = task_dwas["task_id"].astype("int64")
    ref = read_table(
        ctx,
        ONET,
        "DWA Reference.xlsx",
        columns=["Element ID", "Element Name", "IWA ID", "IWA Title", "DWA ID", "DWA Title"],
    )
    ref = ref.rename(
        columns={
            "Element ID": "element_id",
            "Element Name": "work_activity",
            "IWA ID": "iwa_id",
            "IWA Title": "iwa",
            "DWA ID": "dwa_id",
            "DWA Title": "dwa",
        }
    )
    return task_dwas, ref


def _element_scores(ctx: SourceContext, name: str, kind: str) -> pd.DataFrame:
    x = read_table(
        ctx,
        ONET,
        name,
        columns=[CODE, "Element ID", "Element Name", "Scale ID", "Data Value"],
        numeric=["Data Value"],
    )
    wide = x.pivot_table(
        index=[CODE, "Element ID", "Element Name"],
        columns="Scale ID",
        values="Data Value",
        aggfunc="first",
    ).reset_index()
    wide.columns.name = None
    wide = wide.rename(
        columns={
            CODE: "code",
            "Element ID": "element_id",
            "Element Name": "element",
            "IM": "importance",
            "LV": "level",
        }
    )
    wide["kind"] = kind
    return wide[["code", "kind", "element_id", "element", "importance", "level"]]


def skills_knowledge(ctx: SourceContext) -> pd.DataFrame:
    """Skills and knowledge per occupation: importance (1-5) and level (0-7)."""
    return pd.concat(
        [
            _element_scores(ctx, "Skills.xlsx", "skill"),
            _element_scores(ctx, "Knowledge.xlsx", "knowledge"),
        ],
        ignore_index=True,
    )


def related_occupations(ctx: SourceContext) -> pd.DataFrame:
    r = read_table(
        ctx,
        ONET,
        "Related Occupations.xlsx",
        columns=[CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
        numeric=["Index"],
    )
    return r.rename(
        columns={
            CODE: "code",
            "Related O*NET-SOC Code": "related_code",
            "Relatedness Tier": "tier",
            "Index": "rank",
        }
    )[["code", "related_code", "tier", "rank"]]


def technology_skills(ctx: SourceContext) -> pd.DataFrame:
    t = read_table(
        ctx,
        ONET,
        "technology_skills_v30.1.csv",
        columns=[
            CODE,
            "Example",
            "Commodity Code",
            "Commodity Title",
            "Hot Technology",
            "In Demand",
        ],
    )
    out = t.rename(
        columns={
            CODE: "code",
            "Example": "technology",
            "Commodity Code": "commodity_code",
            "Commodity Title": "commodity",
        }
    )
    out["hot"] = t["Hot Technology"].eq("Y")
    out["in_demand"] = t["In Demand"].eq("Y")
    return out[["code", "technology", "commodity_code", "commodity", "hot", "in_demand"]]


def emerging_tasks(ctx: SourceContext) -> pd.DataFrame:
    e = read_table(
        ctx,
        ONET,
        "Emerging Tasks.xlsx",
        columns=[CODE, "Task", "Category", "Original Task ID", "Original Task", "Date"],
    )
    out = e.rename(
        columns={
            CODE: "code",
            "Task": "task",
            "Category": "category",
            "Original Task ID": "original_task_id",
            "Original Task": "original_task",
            "Date": "date",
        }
    )[["code", "task", "category", "original_task_id", "original_task", "date"]]
    out["original_task_id"] = pd.to_numeric(out["original_task_id"], errors="coerce").astype(
        "Int64"
    )
    return out


def job_zone_reference(ctx: SourceContext) -> pd.DataFrame:
    z = read_table(
        ctx,
        ONET,
        "Job Zone Reference.xlsx",
        columns=["Job Zone", "Name", "Experience", "Education"],
        numeric=["Job Zone"],
    )
    z = z.rename(
        columns={
            "Job Zone": "job_zone",
            "Name": "name",
            "Experience": "experience",
            "Education": "education",
        }
    )
    z["job_zone"] = z["job_zone"].astype("int64")
    return z[["job_zone", "name", "experience", "education"]]


def onet_crosswalk_2010_2019(ctx: SourceContext) -> pd.DataFrame:
    c = read_table(
        ctx,
        ONET,
        "2010_to_2019_soc_crosswalk.csv",
        columns=["O*NET-SOC 2010 Code", "O*NET-SOC 2019 Code"],
    )
    return c.rename(
        columns={"O*NET-SOC 2010 Code": "code_2010", "O*NET-SOC 2019 Code": "code_2019"}
    )[["code_2010", "code_2019"]].drop_duplicates()
