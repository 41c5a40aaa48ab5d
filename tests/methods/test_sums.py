"""group_sums against pandas itself: the same bits on both of pandas' paths, on random and on
the real O*NET tasks, one column (a Series) or several (a frame's block)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.methods.sums import average_percentile, group_sums, in_key_order, pairs_first


def pandas_sums(values: np.ndarray, keys: np.ndarray, n_groups: int) -> np.ndarray:
    got = pd.Series(values).groupby(keys).sum()
    out = np.zeros(n_groups)
    out[got.index.to_numpy()] = got.to_numpy()
    return out


@pytest.mark.parametrize("sort", [True, False], ids=["key-order", "shuffled"])
@pytest.mark.parametrize("nan", [False, True], ids=["no-nan", "nan"])
@pytest.mark.parametrize("n_rows, n_groups", [(1, 1), (9, 1), (40, 7), (5000, 300)])
def test_group_sums_equal_pandas_bit_for_bit(
    sort: bool, nan: bool, n_rows: int, n_groups: int
) -> None:
    rng = np.random.default_rng(n_rows + 2 * sort + nan)
    keys = rng.integers(0, n_groups, n_rows)
    if sort:
        keys = np.sort(keys)
    # spread magnitudes: where pairwise, Kahan and a plain loop give different last bits
    values = rng.random(n_rows) * 10.0 ** rng.integers(-4, 3, n_rows)
    if nan:
        values[rng.random(n_rows) < 0.2] = np.nan
    got = group_sums(values, keys.astype(np.intp), n_groups, sorted_keys=in_key_order(keys))
    assert got.tolist() == pandas_sums(values, keys, n_groups).tolist()


def test_a_known_case_where_the_two_paths_differ() -> None:
    # nine O*NET time shares of one occupation: pandas' pairwise path gives 0.9999999999999999
    # in key order, its Kahan path 1.0 out of order
    shares = np.array(
        [0.1507855975484164, 0.1451150650414609, 0.1404709171151092, 0.1302607984602036,
         0.12484766658942302, 0.11528958616478412, 0.10604326522990372, 0.04882015505548239,
         0.03836694879521661]
    )  # fmt: skip
    in_order = np.r_[np.zeros(9, dtype=np.intp), 1]
    out_of_order = np.r_[1, np.zeros(9, dtype=np.intp)]
    values = np.r_[shares, 0.5]
    assert (
        group_sums(values, in_order, 2, sorted_keys=True)[0] == pandas_sums(values, in_order, 2)[0]
    )
    other = np.r_[0.5, shares]
    kahan = group_sums(other, out_of_order, 2, sorted_keys=False)[0]
    assert kahan == pandas_sums(other, out_of_order, 2)[0]
    assert kahan != group_sums(values, in_order, 2, sorted_keys=True)[0]


def test_rows_of_a_negative_group_are_left_out() -> None:
    sums = group_sums([1.0, 2.0, 4.0], np.array([0, -1, 0]), 2, sorted_keys=False)
    assert sums.tolist() == [5.0, 0.0]


def test_pairs_first_keeps_what_drop_duplicates_keeps() -> None:
    a = np.array([3, 1, 3, 2, 1, 3])
    b = np.array([0.5, 2.0, 0.5, 1.0, 2.0, 0.25])
    want = pd.DataFrame({"a": a, "b": b}).drop_duplicates().index.tolist()
    assert pairs_first(a, b).tolist() == want


def test_average_percentile_is_pandas_rank() -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 40, 500).astype(float) / 8  # many ties
    values[rng.random(500) < 0.1] = np.nan
    want = (pd.Series(values).rank(pct=True) * 100.0).to_numpy()
    np.testing.assert_array_equal(average_percentile(values), want)


def test_in_key_order_reads_keys_lexicographically() -> None:
    codes = np.array(["11-1011.00", "11-1011.00", "13-2011.00"], dtype=object)
    assert in_key_order(codes, np.array(["v5", "v2", "v1"], dtype=object)) is False
    assert in_key_order(codes, np.array(["v2", "v5", "v1"], dtype=object)) is True


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
def test_group_sums_equal_pandas_on_the_real_tasks(evidence: Evidence, order: str) -> None:
    tasks = evidence.tasks
    if order == "shuffled":
        tasks = tasks.sample(frac=1.0, random_state=3)
    columns = _columns(tasks)
    codes = tasks["code"].to_numpy(dtype=object)
    units = evidence.units.index
    pos = np.asarray(units.get_indexer(pd.Index(codes)), dtype=np.intp)
    ordered = in_key_order(codes)
    for name in columns.columns:
        got = group_sums(columns[name].to_numpy(dtype=float), pos, len(units), sorted_keys=ordered)
        expected = columns[name].groupby(tasks["code"]).sum().reindex(units).fillna(0.0)
        assert np.array_equal(got, expected.to_numpy()), name  # bit for bit
    # the columns as one frame: pandas sums them as one block (one NaN column moves them all)
    block = group_sums(columns.to_numpy(dtype=float), pos, len(units), sorted_keys=ordered)
    expected_block = columns.groupby(tasks["code"].to_numpy()).sum().reindex(units).fillna(0.0)
    assert np.array_equal(block, expected_block.to_numpy())


def test_group_sums_of_two_keys_and_a_dropped_group() -> None:
    release = np.array(["v1", "v1", "v2", "v2", "v1"], dtype=object)
    code = np.array(["a", "b", "a", "b", "a"], dtype=object)
    share = np.array([0.1, 0.2, 0.3, 0.4, 0.7])
    frame = pd.DataFrame({"release": release, "code": code, "share": share})
    expected = frame.groupby(["release", "code"])["share"].sum()
    # units: only "a"; group = unit position x 2 + release
    groups = np.where(code == "a", np.where(release == "v1", 0, 1), -1)
    assert not in_key_order(release, code)
    got = group_sums(share, groups, 2, sorted_keys=False)
    assert got.tolist() == [expected[("v1", "a")], expected[("v2", "a")]]


def test_in_key_order_compares_left_to_right() -> None:
    first = np.array(["a", "a", "b", "b"], dtype=object)
    assert in_key_order(first, np.array(["x", "y", "a", "b"], dtype=object))
    assert not in_key_order(first, np.array(["y", "x", "a", "b"], dtype=object))
    assert in_key_order(np.array([], dtype=object))
