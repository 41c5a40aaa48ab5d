"""The Python API and the consensus, on the real index."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import jobrisk
from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.consensus import TIE_TOLERANCE, _percentile_of, ordinal, population
from jobrisk.errors import InputError, UnknownMethodError, UnknownOccupationError
from jobrisk.methods import REGISTRY, Direction, load_evidence
from jobrisk.roles import Role, role_or_query

PROBES = ["15-2051.00", "29-1141.00", "47-2061.00", "43-4051.00"]


def test_public_surface_is_complete_and_sorted() -> None:
    assert jobrisk.__all__ == sorted(jobrisk.__all__)
    for name in jobrisk.__all__:
        assert hasattr(jobrisk, name)
    assert api.__all__ == sorted(api.__all__)


@pytest.mark.parametrize("code", PROBES)
def test_score_carries_every_method_with_the_method_layer_values(
    catalog: Catalog, code: str
) -> None:
    card = api.score(catalog, code)
    assert card.occupation.code == code
    assert [m.method for m in card.methods] == list(REGISTRY)
    assert [e.method for e in card.explanations] == list(REGISTRY)
    for m in card.methods:
        expected = REGISTRY[m.method].score(catalog).loc[code, "value"]
        if pd.isna(expected):
            assert m.value is None and m.note
        else:
            assert m.value == pytest.approx(expected)


def test_percentiles_follow_the_values_and_direction(catalog: Catalog) -> None:
    pop = population(load_evidence(catalog))
    for name, method in REGISTRY.items():
        values = pop.values[name].dropna()
        pct = pop.percentiles.loc[values.index, name]
        top, bottom = values.idxmax(), values.idxmin()
        # mid-rank: the lowest value's ties share the bottom ranks, the highest's the top ones
        # (ties: equal up to TIE_TOLERANCE, relative, as sums taken in another order are)
        low_mid = _ties(values, values.min()) / 2 / len(values) * 100
        high_mid = 100 - _ties(values, values.max()) / 2 / len(values) * 100
        if method.direction is Direction.EXPOSURE:
            assert (pct[bottom], pct[top]) == pytest.approx((low_mid, high_mid)), name
        else:
            assert (pct[bottom], pct[top]) == pytest.approx((100 - low_mid, 100 - high_mid)), name
        order = values.sort_values(kind="stable").index
        steps = np.diff(pct[order].to_numpy())
        assert (
            (steps >= -1e-9).all()
            if method.direction is Direction.EXPOSURE
            else (steps <= 1e-9).all()
        )


def _ties(values: pd.Series, x: float) -> int:
    return int((abs(values - x) <= TIE_TOLERANCE * max(1.0, abs(x))).sum())


def test_percentile_of_is_the_mid_rank() -> None:
    ref = np.array([1.0, 2.0, 2.0, 4.0])
    got = _percentile_of(ref, np.array([0.0, 1.0, 2.0, 5.0, np.nan]))
    assert got[:4].tolist() == [0.0, 12.5, 50.0, 100.0]
    # 2/3 summed in another order is one bit off: still a tie with the reference's 2/3s
    thirds = np.sort(np.array([0.5, 2 / 3, 2 / 3, 0.9]))
    off = np.nextafter(2 / 3, 1.0)
    assert _percentile_of(thirds, np.array([off])).tolist() == [50.0]
    assert math.isnan(got[4])
    assert [ordinal(x) for x in (1, 2, 3, 11, 12, 13, 21, 92.4, 100)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "92nd", "100th",
    ]  # fmt: skip


@pytest.mark.parametrize("code", PROBES)
def test_consensus_is_the_mean_of_its_methods_inside_its_interval(
    catalog: Catalog, code: str
) -> None:
    c = api.score(catalog, code).consensus
    used = [m.exposure_percentile for m in c.methods if m.in_consensus]
    assert c.n_methods == len(used) >= 1
    assert c.exposure_percentile == pytest.approx(sum(used) / len(used))  # type: ignore[arg-type]
    assert c.low is not None and c.high is not None
    assert c.low <= c.exposure_percentile <= c.high  # type: ignore[operator]
    for v in (c.with_human_labels, c.with_gpt4_labels, c.bootstrap_low, c.bootstrap_high):
        if v is not None:
            assert c.low - 1e-9 <= v <= c.high + 1e-9
    assert c.spread == pytest.approx(max(used) - min(used))  # type: ignore[type-var]
    if c.disagreement is not None:
        d = c.disagreement
        assert d.percentile_a == pytest.approx(max(used))  # type: ignore[type-var]
        assert d.percentile_b == pytest.approx(min(used))  # type: ignore[type-var]


def test_bootstrap_is_degenerate_when_every_task_has_the_same_label(catalog: Catalog) -> None:
    labels = catalog.query(
        "select src_code as code from task_exposure_labels group by 1 "
        "having count(distinct human_e) = 1 and min(human_e) = 'E0' limit 1"
    )
    code = str(labels["code"].iloc[0])
    card = api.score(catalog, code)
    assert card.value("eloundou_beta_human") == 0.0
    exp = card.explanation("eloundou_beta_human")
    assert exp is not None and all(t.contribution == 0 for t in exp.tasks)


def test_score_is_deterministic(catalog: Catalog) -> None:
    a = api.score(catalog, "15-2051.00").consensus
    b = api.score(catalog, "15-2051.00").consensus
    assert a == b


def test_records_serialise_to_strict_json(catalog: Catalog) -> None:
    payload = api.score(catalog, "15-2051.00").to_dict()
    text = json.dumps(payload, allow_nan=False)
    assert "Data Scientists" in text
    assert payload["occupation"]["code"] == "15-2051.00"


def test_compare_side_by_side(catalog: Catalog) -> None:
    cmp = api.compare(catalog, ["15-2051.00", "Statisticians"], explain=False)
    table = cmp.table()
    assert list(table.columns) == ["15-2051.00", "15-2041.00"]
    assert list(table.index) == list(REGISTRY)
    for bad in (["15-2051.00"], [*PROBES, "15-2041.00", "11-1011.00"]):
        with pytest.raises(InputError, match="2 to 5"):
            api.compare(catalog, bad)
    with pytest.raises(InputError, match="twice"):
        api.compare(catalog, ["15-2051.00", "15-2051"])
    with pytest.raises(UnknownOccupationError):
        api.compare(catalog, ["15-2051.00", "99-9999.00"])


def test_compare_places_a_role_beside_occupations(catalog: Catalog, tmp_path: Path) -> None:
    role_file = tmp_path / "analyst.role.yaml"
    role_file.write_text(
        "title: Pricing analyst\ntasks:\n"
        "  - Analyze sales data to set product prices\n"
        "  - Prepare reports on pricing trends for managers\n",
        encoding="utf-8",
    )
    role = role_or_query(str(role_file))
    assert isinstance(role, Role)
    cmp = api.compare(catalog, ["15-2051.00", role], explain=False, matcher="lexical")
    alone = api.assess(catalog, role, matcher="lexical")
    table = cmp.table()
    assert list(table.columns) == ["15-2051.00", alone.code]
    expected = pd.Series({m.method: m.value for m in alone.methods}, dtype=float)
    pd.testing.assert_series_equal(table[alone.code], expected, check_names=False)
    assert cmp.occupations[1].subject_title == "Pricing analyst"
    # a role file that is not there is an error, never a title to search for
    with pytest.raises(InputError, match="no role file"):
        role_or_query(str(tmp_path / "missing.role.yaml"))
    assert role_or_query("Data Scientists") == "Data Scientists"
    with pytest.raises(InputError, match="looks like a role file"):
        api.score(catalog, str(role_file))


def test_rank_filters_and_orders(catalog: Catalog) -> None:
    rows = api.rank(catalog, "eloundou_beta_human", group="15-0000", limit=500)
    codes = {c for c in catalog.list_group("15-0000")["code"]}
    assert rows and {r.code for r in rows} <= codes
    values = [r.value for r in rows]
    assert values == sorted(values, reverse=True)
    least = api.rank(catalog, "eloundou_beta_human", most_exposed=False, limit=5)
    assert [r.value for r in least] == sorted(r.value for r in least)
    rich = api.rank(catalog, "eloundou_beta_human", min_wage=150_000, limit=1000)
    assert rich and all(r.annual_median_wage and r.annual_median_wage >= 150_000 for r in rich)
    with pytest.raises(InputError, match="no occupations in SOC group"):
        api.rank(catalog, "eloundou_beta_human", group="98-0000")
    with pytest.raises(UnknownMethodError):
        api.rank(catalog, "nope")


def test_top_level_functions_use_the_given_catalog(catalog: Catalog) -> None:
    card = jobrisk.score("Data Scientists", catalog=catalog)
    assert card.occupation.code == "15-2051.00"
    assert jobrisk.rank("eloundou_beta_human", catalog=catalog, limit=2)[0].rank == 1
    assert {m.name for m in jobrisk.list_methods()} == set(REGISTRY)
