"""AIJRI task arithmetic: per-unit sums equal pandas' groupby sums to the bit, on real tasks.

The method sums task time per unit with numpy (``group_sums``) instead of ``groupby``; its
values must not move by one ulp, so these tests compare against pandas itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.methods.aijri_tasks import group_sums, keys_sorted, series_sum
from jobrisk.methods.evidence import Evidence, load_evidence


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


def _columns(tasks: pd.DataFrame) -> pd.DataFrame:
    share = tasks["time_share"]
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "share": share,
            "physical": share * tasks["physical"].astype(float),  # many exact zeros
            "with_nan": share.where(rng.random(len(tasks)) > 0.2),
            "large": pd.Series(rng.standard_normal(len(tasks)) * 1e8, index=tasks.index),
        }
    )


@pytest.mark.parametrize("order", ["as stored (sorted by code)", "shuffled"])
def test_group_sums_equal_pandas_groupby_sums(evidence: Evidence, order: str) -> None:
    tasks = evidence.tasks
    if order == "shuffled":
        tasks = tasks.sample(frac=1.0, random_state=3)
    columns = _columns(tasks)
    codes = tasks["code"].to_numpy(dtype=object)
    units = evidence.units.index
    pos = np.asarray(units.get_indexer(pd.Index(codes)), dtype=np.intp)
    got = group_sums(columns.to_numpy(dtype=float), pos, len(units), keys_sorted=keys_sorted(codes))
    for j, name in enumerate(columns.columns):
        expected = columns[name].groupby(tasks["code"]).sum().reindex(units).fillna(0.0)
        assert np.array_equal(got[:, j], expected.to_numpy()), name  # bit for bit


def test_group_sums_of_two_keys_and_a_dropped_group() -> None:
    release = np.array(["v1", "v1", "v2", "v2", "v1"], dtype=object)
    code = np.array(["a", "b", "a", "b", "a"], dtype=object)
    share = np.array([0.1, 0.2, 0.3, 0.4, 0.7])
    frame = pd.DataFrame({"release": release, "code": code, "share": share})
    expected = frame.groupby(["release", "code"])["share"].sum()
    # units: only "a"; group = unit position x 2 + release
    groups = np.where(code == "a", np.where(release == "v1", 0, 1), -1)
    assert not keys_sorted(release, code)
    got = group_sums(share[:, None], groups, 2, keys_sorted=False)[:, 0]
    assert got.tolist() == [expected[("v1", "a")], expected[("v2", "a")]]


def test_keys_sorted_compares_left_to_right() -> None:
    first = np.array(["a", "a", "b", "b"], dtype=object)
    assert keys_sorted(first, np.array(["x", "y", "a", "b"], dtype=object))
    assert not keys_sorted(first, np.array(["y", "x", "a", "b"], dtype=object))
    assert keys_sorted(np.array([], dtype=object))


def test_series_sum_is_pandas_series_sum(evidence: Evidence) -> None:
    share = evidence.tasks["time_share"].iloc[:200].where(lambda s: s > 0.01)
    assert series_sum(share.to_numpy(dtype=float, na_value=np.nan)) == share.sum()
