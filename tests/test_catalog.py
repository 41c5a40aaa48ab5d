"""The catalog on the real index: lookup, search, groups, and the index's own invariants."""

from __future__ import annotations

import pytest

from jobrisk.catalog import Catalog, normalize_title
from jobrisk.errors import InputError, UnknownOccupationError


@pytest.mark.parametrize(
    ("query", "expected_code"),
    [
        ("machine lerning engineer", "15-2051.00"),
        ("ML engineer", "15-2051.00"),
        ("RN", "29-1141.00"),
        ("Registered Nurse", "29-1141.00"),
        ("software dev", "15-1252.00"),
        ("sofware developer", "15-1252.00"),
        ("Data Scientists", "15-2051.00"),
        ("CEO", "11-1011.00"),
        ("accountant", "13-2011.00"),
    ],
)
def test_search_finds_titles_alternate_titles_abbreviations_and_typos(
    catalog: Catalog, query: str, expected_code: str
) -> None:
    hits = catalog.search(query, limit=5)
    assert expected_code in [h.code for h in hits]
    assert hits[0].score >= 90


def test_search_hit_says_which_title_matched(catalog: Catalog) -> None:
    hit = catalog.search("RN", limit=1)[0]
    assert (hit.code, hit.title, hit.matched, hit.kind) == (
        "29-1141.00",
        "Registered Nurses",
        "RN",
        "short",
    )


def test_search_rejects_empty_and_oversized_queries(catalog: Catalog) -> None:
    with pytest.raises(InputError):
        catalog.search("  ")
    with pytest.raises(InputError):
        catalog.search("x" * 500)


def test_normalize_title_expands_abbreviations() -> None:
    assert normalize_title("Sr. Software Dev") == "senior software developer"


def test_occupation_by_code_soc_code_and_title(catalog: Catalog) -> None:
    occ = catalog.occupation("15-2051.00")
    assert occ.title == "Data Scientists"
    assert (occ.major_code, occ.minor_code, occ.broad_code) == ("15-0000", "15-2000", "15-2050")
    assert occ.major_title == "Computer and Mathematical Occupations"
    assert occ.job_zone == 4
    assert catalog.occupation("15-2051").code == "15-2051.00"
    assert catalog.occupation("Registered Nurses").code == "29-1141.00"


def test_unknown_code_suggests_neighbours(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError) as err:
        catalog.occupation("15-2051.09")
    assert "15-2051.00" in err.value.suggestions
    assert err.value.http_status == 404


def test_unmatched_title_has_no_garbage_suggestions(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError) as err:
        catalog.occupation("zzzz qqqq")
    assert err.value.suggestions == []


def test_list_group_by_major_minor_broad(catalog: Catalog) -> None:
    minor = catalog.list_group("15-1200")
    assert "15-1252.00" in set(minor["code"])
    assert set(minor["code"].str[:4]) == {"15-1"}
    broad = catalog.list_group("15-2050")
    assert set(broad["code"]) == {"15-2051.00", "15-2051.01", "15-2051.02"}
    assert len(catalog.list_group("15-0000")) > len(minor)
    with pytest.raises(InputError):
        catalog.list_group("computers")


def test_every_occupation_and_task_is_indexed(catalog: Catalog) -> None:
    counts = catalog.query(
        "select (select count(*) from occupations) occ, (select count(*) from tasks) tasks, "
        "(select count(distinct code) from tasks) with_tasks"
    ).iloc[0]
    # METHODS section 1: 18,796 task statements, 1,016 occupations, 923 with tasks.
    assert (counts["occ"], counts["tasks"], counts["with_tasks"]) == (1016, 18796, 923)


def test_task_time_shares_sum_to_one_per_occupation(catalog: Catalog) -> None:
    sums = catalog.query("select code, sum(time_share) s from tasks group by code")
    assert sums["s"].between(1 - 1e-9, 1 + 1e-9).all()
    sources = set(catalog.query("select distinct weight_source from tasks")["weight_source"])
    assert sources == {"task ratings", "core=2/supplemental=1"}


def test_every_anthropic_release_present_and_derived_ones_marked(catalog: Catalog) -> None:
    rel = catalog.query(
        "select release, platform, any_value(derived) derived, sum(pct) pct "
        "from anthropic_task_pct group by all order by all"
    )
    got = {(r.release, r.platform): (bool(r.derived), round(r.pct, 6)) for r in rel.itertuples()}
    assert got[("v1", "claude_ai")] == (False, 100.0)
    assert got[("v2", "claude_ai")] == (False, 100.0)
    for v in ("v3", "v4", "v5"):
        for platform in ("claude_ai", "api"):
            assert got[(v, platform)] == (True, 100.0)


def test_measure_match_quality_is_explicit(catalog: Catalog) -> None:
    m = catalog.query(
        "select measure, match_quality, value, n_source_codes from occupation_measures"
    )
    assert set(m["match_quality"]) <= {"exact", "split", "aggregated", "missing"}
    assert m.loc[m["match_quality"] == "missing", "value"].isna().all()
    assert m.loc[m["match_quality"] != "missing", "value"].notna().all()
    assert (m.loc[m["match_quality"] == "aggregated", "n_source_codes"] > 1).all()
    per_measure = m.groupby("measure").size()
    assert (per_measure == 1016).all()


def test_software_developers_reach_observed_use_through_the_soc_crosswalk(catalog: Catalog) -> None:
    # Software Developers moved from 15-1132/15-1133 (SOC 2010) to 15-1252 (METHODS section 1).
    use = catalog.query(
        "select sum(share) s from task_usage where release = 'v1' and code = '15-1252.00'"
    )["s"].iloc[0]
    assert use > 1.0


def test_coverage_reports_every_source(catalog: Catalog) -> None:
    cov = catalog.coverage()
    registered = {s.source_id for s in catalog.sources()}
    assert set(cov["source_id"]) == registered
    assert (cov["rows_joined"] + cov["rows_unmatched"] <= cov["rows_read"]).all()


def test_onet_attribution_is_in_the_index(catalog: Catalog) -> None:
    onet = next(s for s in catalog.sources() if s.source_id == "onet_30_1")
    assert "CC BY 4.0" in onet.attribution and "USDOL/ETA" in onet.attribution
