"""Reading one unit's row of a table from arrays (``unit_rows.table_row``), against pandas.

The expected rows are pandas' own ``.loc[code]`` (and its ``to_dict()``), on the real index's
score tables: the same keys, and values of the same type and value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.methods import get_method
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.methods.unit_rows import table_row


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


def _same(a: Any, b: Any) -> bool:
    """Equal values of one type (NaN equals NaN, as it reads the same in an explanation)."""
    if type(a) is not type(b):
        return False
    if a is b:
        return True
    return bool(a == b) or (isinstance(a, float) and a != a and b != b)


def _check_rows(ev: Evidence, table: pd.DataFrame, codes: list[str]) -> None:
    for code in codes:
        row = table.loc[code]
        for native, expected in (
            (False, {str(k): v for k, v in row.items()}),
            (True, {str(k): v for k, v in row.to_dict().items()}),
        ):
            got = table_row(ev, table, code, native=native)
            assert list(got) == list(expected)
            wrong = [k for k in expected if not _same(got[k], expected[k])]
            assert not wrong, [(k, got[k], expected[k]) for k in wrong]


@pytest.mark.parametrize(
    "name",
    ["task_matrix", "ai_cost_per_task_hour", "aijri", "exposure_2028", "risk_index", "aioe"],
)
def test_a_score_row_reads_as_loc_reads_it(evidence: Evidence, name: str) -> None:
    table = get_method(name).memoized_scores(evidence)
    codes = [str(c) for c in table.index[::23]] + [str(table.index[-1])]
    _check_rows(evidence, table, codes)


def test_a_unit_row_reads_as_loc_reads_it(evidence: Evidence) -> None:
    codes = [str(c) for c in evidence.units.index[::41]]
    _check_rows(evidence, evidence.units, codes)


def test_one_dtype_and_duplicate_labels_read_through_loc(evidence: Evidence) -> None:
    """A table whose row is not of object dtype (numbers only: pandas makes them floats) or
    whose labels repeat is read through ``.loc`` itself."""
    numbers = pd.DataFrame({"n": [1, 2], "x": [0.5, np.nan]}, index=["a", "b"])
    _check_rows(evidence, numbers, ["a", "b"])
    assert type(table_row(evidence, numbers, "a")["n"]) is type(numbers.loc["a"].to_list()[0])
    repeated = pd.DataFrame({"n": [1, 2], "s": ["x", "y"]}, index=["a", "a"])
    got = table_row(evidence, repeated, "a")  # .loc gives a frame: its columns, as .loc does
    assert list(got) == ["n", "s"] and got["n"].tolist() == [1, 2]


def test_an_unknown_code_is_a_key_error(evidence: Evidence) -> None:
    table = get_method("task_matrix").memoized_scores(evidence)
    with pytest.raises(KeyError):
        table_row(evidence, table, "99-9999.99")


# Tables of every kind of row .loc builds: object rows (mixed types), rows of one numpy number
# type, and the kinds read with .loc itself (one datetime or extension type throughout).
CODES = pd.Index(["a", "b", "c"], name="code")
TABLES = {
    "mixed with missing text": pd.DataFrame(
        {
            "value": [0.5, np.nan, 1.0],
            "n_tasks": [3, 0, 1],
            "note": pd.array(["x", None, ""], dtype="str"),
            "flag": [True, False, True],
        },
        index=CODES,
    ),
    "python strings and NA": pd.DataFrame(
        {
            "value": [1.0, 2.0, np.nan],
            "label": pd.array(["p", pd.NA, "q"], dtype=pd.StringDtype("python")),
            "n": pd.array([1, pd.NA, 3], dtype="Int64"),
            "obj": np.array([None, 1, "z"], dtype=object),
        },
        index=CODES,
    ),
    "dates among text": pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-01-01", None, "2025-03-02"]),
            "note": ["a", "b", "c"],
        },
        index=CODES,
    ),
    "ints and floats": pd.DataFrame(
        {"value": [0.25, np.nan, 3.0], "n_tasks": [1, 2, 3]}, index=CODES
    ),
    "floats only": pd.DataFrame({"value": [0.1, 0.2, np.nan], "low": [0.0, 1.0, 2.0]}, index=CODES),
    "bools only": pd.DataFrame({"a": [True, False, True], "b": [False, False, True]}, index=CODES),
    "one text column": pd.DataFrame({"note": pd.array(["a", None, "c"], dtype="str")}, index=CODES),
    "dates only": pd.DataFrame(
        {"when": pd.to_datetime(["2024-01-01", None, "2025-06-30"])}, index=CODES
    ),
    "nullable floats": pd.DataFrame(
        {"value": pd.array([0.5, None, 1.0], dtype="Float64"), "v": [1.0, 2.0, 3.0]}, index=CODES
    ),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_every_kind_of_table_reads_as_loc_reads_it(evidence: Evidence, name: str) -> None:
    _check_rows(evidence, TABLES[name], [str(c) for c in CODES])


def test_an_unknown_code_is_the_loc_key_error(evidence: Evidence) -> None:
    table = TABLES["mixed with missing text"]
    with pytest.raises(KeyError):
        table_row(evidence, table, "zz")
    assert table_row(evidence, table, "b")["n_tasks"] == 0  # still reads after the failure
