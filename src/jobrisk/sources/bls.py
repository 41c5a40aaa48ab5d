"""BLS Occupational Employment and Wage Statistics (May 2021-2025) and Employment Projections
2024-34. U.S. public domain.

OEWS marks suppressed values with ``*`` / ``**`` and wages above the top of its range with
``#``; those become missing values, with ``wage_topcoded`` set for ``#``.
"""

from __future__ import annotations

import pandas as pd

from jobrisk.errors import MalformedSourceError
from jobrisk.sources.readers import SourceContext, read_table

BLS = "bls"
ELOUNDOU = "eloundou_2023"

# (year, source id, file name); May 2024 is also shipped as CSV, the official xlsx is read.
OEWS_FILES: tuple[tuple[int, str, str], ...] = (
    (2021, ELOUNDOU, "national_May2021_dl.csv"),
    (2022, BLS, "national_M2022_dl.xlsx"),
    (2023, BLS, "national_M2023_dl.xlsx"),
    (2024, BLS, "national_M2024_dl.xlsx"),
    (2025, BLS, "oews_national_may2025.csv"),
)

_NUMERIC = ["TOT_EMP", "A_MEAN", "A_MEDIAN", "H_MEDIAN", "A_PCT10", "A_PCT90"]
_SPECIAL = {"*", "**", "#", "~"}


def _number(raw: pd.DataFrame, col: str, source_id: str, name: str) -> pd.Series:
    text = raw[col].astype("string").str.strip().str.replace(",", "", regex=False)
    blank = text.isin(_SPECIAL) | text.isna() | (text == "")
    values = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = values.isna() & ~blank
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise MalformedSourceError(
            f"{source_id}/{name}",
            pos + 2,
            f"column {col!r} should be a number, '*', '**' or '#', found {text.iloc[pos]!r}",
            source_id=source_id,
        )
    return values


def oews_year(ctx: SourceContext, year: int, source_id: str, name: str) -> pd.DataFrame:
    """One OEWS national file as (soc_code, year, level, title, employment, wages...)."""
    raw = read_table(
        ctx,
        source_id,
        name,
        columns=["OCC_CODE", "OCC_TITLE", "O_GROUP", *_NUMERIC],
        dtype={c: "string" for c in _NUMERIC} if name.endswith(".csv") else None,
    )
    num = {col: _number(raw, col, source_id, name) for col in _NUMERIC}
    return pd.DataFrame(
        {
            "soc_code": raw["OCC_CODE"].astype("string").str.strip(),
            "year": year,
            "level": raw["O_GROUP"].astype("string").str.strip(),
            "title": raw["OCC_TITLE"].astype("string").str.strip(),
            "employment": num["TOT_EMP"],
            "annual_mean_wage": num["A_MEAN"],
            "annual_median_wage": num["A_MEDIAN"],
            "hourly_median_wage": num["H_MEDIAN"],
            "annual_p10_wage": num["A_PCT10"],
            "annual_p90_wage": num["A_PCT90"],
            "wage_topcoded": raw["A_MEDIAN"].astype("string").str.strip().eq("#"),
        }
    )


def oews(ctx: SourceContext) -> pd.DataFrame:
    """All OEWS years present, stacked."""
    return pd.concat(
        [oews_year(ctx, year, sid, name) for year, sid, name in OEWS_FILES], ignore_index=True
    )


def projections(ctx: SourceContext) -> pd.DataFrame:
    """Employment Projections 2024-34 (Table 1.2), line items and summaries."""
    name = "ep_2024_34_table_1_2.csv"
    cols = {
        "2024 National Employment Matrix title": "title",
        "2024 National Employment Matrix code": "soc_code",
        "Occupation type": "row_type",
        "Employment, 2024": "employment_2024",
        "Employment, 2034": "employment_2034",
        "Employment change, numeric, 2024–34": "change_2024_34",
        "Employment change, percent, 2024–34": "change_pct_2024_34",
        "Occupational openings, 2024–34 annual average": "annual_openings",
        "Median annual wage, dollars, 2024[1]": "median_wage_2024",
        "Typical education needed for entry": "entry_education",
        "Work experience in a related occupation": "work_experience",
        "Typical on-the-job training needed to attain competency in the occupation": "training",
    }
    numeric = [
        "Employment, 2024",
        "Employment, 2034",
        "Employment change, numeric, 2024–34",
        "Employment change, percent, 2024–34",
        "Occupational openings, 2024–34 annual average",
    ]
    p = read_table(ctx, BLS, name, columns=list(cols), numeric=numeric)
    p = p.rename(columns=cols)[list(cols.values())]
    p["title"] = p["title"].astype("string").str.strip()
    p["median_wage_2024"] = pd.to_numeric(
        p["median_wage_2024"].astype("string").str.replace(",", "", regex=False), errors="coerce"
    )
    return p


def soc_crosswalk_2010_2018(ctx: SourceContext) -> pd.DataFrame:
    """BLS SOC 2010 -> SOC 2018 crosswalk (6-digit codes, many-to-many)."""
    x = read_table(
        ctx,
        BLS,
        "soc_2010_to_2018_crosswalk.xlsx",
        header_row=8,
        columns=["2010 SOC Code", "2018 SOC Code"],
    )
    out = x.rename(columns={"2010 SOC Code": "soc_2010", "2018 SOC Code": "soc_2018"})[
        ["soc_2010", "soc_2018"]
    ].dropna()
    return out.drop_duplicates().reset_index(drop=True)
