"""The per-evidence shortcuts of the method contract give what pandas gives: ``scores_row`` the
values (and types) of ``table.loc[code]``, ``rows_of`` / ``row_positions`` the rows of a
``groupby("code")``, and ``explain_evidence`` still refuses an evidence that lacks an input."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError
from jobrisk.methods import REGISTRY
from jobrisk.methods.evidence import Evidence, load_evidence


def same_value(a: Any, b: Any) -> bool:
    """Equal and of one type (NaN equal to NaN, NA to NA)."""
    if type(a) is not type(b):
        return False
    if a is b:
        return True
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def loc_row(table: pd.DataFrame, code: str) -> dict[str, Any]:
    return {str(k): v for k, v in table.loc[code].items()}


def test_scores_row_equals_loc_for_every_method(catalog: Catalog) -> None:
    ev = load_evidence(catalog)
    sample = list(ev.units.index[::97])
    for method in REGISTRY.values():
        table = method.memoized_scores(ev)
        for code in sample:
            expected, got = loc_row(table, code), method.scores_row(ev, code)
            assert list(got) == list(expected), method.name
            assert all(same_value(expected[k], got[k]) for k in expected), (method.name, code)
        got_row = method.scores_row(ev, sample[0])
        got_row["value"] = "changed"  # a caller's copy: the next read is unchanged
        assert method.scores_row(ev, sample[0])["value"] != "changed"


def test_rows_of_are_the_groupby_rows(catalog: Catalog) -> None:
    ev = load_evidence(catalog)
    fresh = ev.subset([*ev.units.index[:40], "no-such-code"])
    for frame in ("tasks", "labels", "usage", "measures", "skills"):
        data = getattr(fresh, frame)
        groups = {str(c): rows for c, rows in data.groupby("code", sort=False)}
        for code in [*fresh.units.index, "no-such-code"]:
            got = fresh.rows_of(frame, code)
            if code in groups:
                pd.testing.assert_frame_equal(got, groups[code])
                assert fresh.row_positions(frame, code).tolist() == [
                    data.index.get_loc(i) for i in groups[code].index
                ]
            else:
                assert got.empty and list(got.columns) == list(data.columns)
                assert len(fresh.row_positions(frame, code)) == 0
            assert fresh.rows_of(frame, code) is got  # looked up once


def test_explain_evidence_still_names_a_missing_input(catalog: Catalog) -> None:
    ev = load_evidence(catalog)
    code = str(ev.units.index[0])
    lacking = Evidence(
        units=ev.units.loc[[code]],
        tasks=ev.tasks[ev.tasks["code"] == code],
        labels=ev.labels[ev.labels["code"] == code].drop(columns=["gpt4_e"]),
        usage=ev.usage[ev.usage["code"] == code],
        releases=ev.releases,
        measures=ev.measures[ev.measures["code"] == code],
    )
    method = REGISTRY["eloundou_beta_gpt4"]
    for _ in range(2):  # the answer is remembered per evidence, never turned into a pass
        with pytest.raises(DataError, match=r"labels\.gpt4_e"):
            method.explain_evidence(lacking, code)
