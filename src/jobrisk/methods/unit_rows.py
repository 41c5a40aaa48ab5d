"""An evidence's rows by unit, as numpy arrays, keyed once per evidence.

``Evidence.rows_of`` groups a whole frame into per-code frames on first use; the published
measures read a few columns of a unit's rows, or sum a column by unit, so they key each frame
once per evidence instead (:func:`task_keys`, :func:`unit_positions`) and read plain arrays:
microseconds for a custom role's one-unit evidence, and no frame slicing for an occupation.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import ExtensionDtype

# pandas' own rules for a row's dtype and for to_dict()'s scalars, so a row reads the same
from pandas.core.dtypes.cast import (  # type: ignore[attr-defined]
    find_common_type,
    maybe_box_native,
)

from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import FloatArray, IntArray, in_key_order

__all__ = [
    "TableRow",
    "TaskKeys",
    "as_floats",
    "table_row",
    "task_keys",
    "unit_position",
    "unit_positions",
]


def as_floats(column: pd.Series) -> FloatArray:
    """A column as floats, NaN where missing (a numpy float column as it is, unscanned)."""
    if column.dtype == np.float64:
        values: FloatArray = column.to_numpy()
        return values
    return column.to_numpy(dtype=float, na_value=np.nan)


_POSITIONS: weakref.WeakKeyDictionary[Evidence, dict[Any, int]] = weakref.WeakKeyDictionary()


def _positions(ev: Evidence) -> dict[Any, int]:
    positions = _POSITIONS.get(ev)
    if positions is None:
        # a dict, not Index.get_indexer: that converts the labels each call (100 us on one row)
        positions = {c: i for i, c in enumerate(ev.units.index.tolist())}
        _POSITIONS[ev] = positions
    return positions


def unit_positions(ev: Evidence, codes: npt.NDArray[Any]) -> IntArray:
    """Each code's position in ``ev.units`` (-1 for a code that is not a unit)."""
    positions = _positions(ev)
    return np.fromiter(
        (positions.get(c, -1) for c in codes.tolist()), dtype=np.intp, count=len(codes)
    )


def unit_position(ev: Evidence, code: str) -> int:
    """The unit's position in ``ev.units`` (a KeyError for a code that is not a unit)."""
    return _positions(ev)[code]


@dataclass(frozen=True, eq=False)
class TaskKeys:
    """``ev.tasks`` keyed by unit: each row's unit position (-1 outside ``ev.units``), whether
    the rows come in code order (for :func:`~jobrisk.methods.sums.group_sums`), and columns
    read as arrays on first use."""

    # the frame and the positions, not the evidence: a memo value must not hold its key
    tasks: pd.DataFrame = field(repr=False)
    positions: dict[Any, int] = field(repr=False)
    unit: IntArray
    in_order: bool
    _columns: dict[str, npt.NDArray[Any]] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> npt.NDArray[Any]:
        """A column of ``ev.tasks`` as a numpy array (text as objects, numbers as they are)."""
        if name not in self._columns:
            self._columns[name] = self.tasks[name].to_numpy()
        return self._columns[name]

    def numbers(self, name: str) -> FloatArray:
        """A numeric column of ``ev.tasks`` as floats, NaN where missing."""
        key = f"{name} as float"
        if key not in self._columns:
            self._columns[key] = as_floats(self.tasks[name])
        values: FloatArray = self._columns[key]
        return values

    def rows(self, code: str) -> IntArray:
        """Positions of the unit's task rows, in the frame's order (as ``rows_of``)."""
        return np.flatnonzero(self.unit == self.positions[code])


_TASK_KEYS: weakref.WeakKeyDictionary[Evidence, TaskKeys] = weakref.WeakKeyDictionary()


def task_keys(ev: Evidence) -> TaskKeys:
    """The evidence's :class:`TaskKeys`, made once per evidence."""
    keys = _TASK_KEYS.get(ev)
    if keys is None:
        codes = ev.tasks["code"].to_numpy()
        keys = TaskKeys(
            tasks=ev.tasks,
            positions=_positions(ev),
            unit=unit_positions(ev, codes),
            in_order=in_key_order(codes),
        )
        _TASK_KEYS[ev] = keys
    return keys


@dataclass(frozen=True, eq=False)
class _RowReader:
    """A table's rows' positions and, read on first use, its columns as arrays."""

    table: pd.DataFrame = field(repr=False)  # held, so no other table takes its id
    positions: dict[Any, int]
    labels: dict[str, Any]  # column name -> the table's label
    rows: list[list[Any]] | None = field(default=None, repr=False)  # a numeric table's rows
    _columns: dict[str, Any] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> Any:
        """A column as ``.loc`` reads its scalars: the extension array, or the numpy array."""
        if name not in self._columns:
            data = self.table[self.labels[name]]
            if isinstance(data.dtype, pd.StringDtype):
                # the same str (or NaN) objects as the array's own scalars, at numpy speed
                self._columns[name] = data.to_numpy(dtype=object)
            elif isinstance(data.dtype, ExtensionDtype) or data.dtype.kind in "mM":
                # the array's own scalars (Timestamp, Timedelta, NA) as .loc gives them
                self._columns[name] = data.array
            else:
                self._columns[name] = data.to_numpy()
        return self._columns[name]


class TableRow(Mapping[str, Any]):
    """One row of a table as column name -> value, each column read when first asked for.

    The values are the objects ``table.loc[code]`` holds (numpy or extension scalars), or
    with ``native`` those of its ``to_dict()`` (Python scalars, None for ``pd.NA``).
    """

    __slots__ = ("_at", "_native", "_reader")

    def __init__(self, reader: _RowReader, at: int, native: bool) -> None:
        self._reader, self._at, self._native = reader, at, native

    def __getitem__(self, name: str) -> Any:
        column = self._reader._columns.get(name)
        if column is None:
            column = self._reader.column(name)
        value = column[self._at]
        return maybe_box_native(value) if self._native else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._reader.labels)

    def __len__(self) -> int:
        return len(self._reader.labels)


_ROW_READERS: weakref.WeakKeyDictionary[Evidence, dict[int, _RowReader | None]] = (
    weakref.WeakKeyDictionary()
)


def _row_reader(ev: Evidence, table: pd.DataFrame) -> _RowReader | None:
    """The table's reader, memoized on ``ev``; None where ``.loc`` gives neither a row of
    object dtype nor one of a numpy number type (duplicate labels, one datetime or extension
    type throughout): those rows are read with ``.loc``."""
    memo = _ROW_READERS.get(ev)
    if memo is None:  # a WeakKeyDictionary's setdefault makes a weakref each call
        memo = _ROW_READERS.setdefault(ev, {})
    key = id(table)
    if key in memo:
        reader = memo[key]
        if reader is None or reader.table is table:
            return reader
    found: _RowReader | None = None
    # The row ``.loc`` gives has the columns' common type (pandas' BlockManager.fast_xs).
    # Of object type, it holds each column's own scalar (numpy, or the extension array's):
    # the same objects as indexing the column's array. Of a numpy number type (floats, or
    # ints and floats), its items are Python numbers of that type: the rows of to_numpy().
    dtype = find_common_type(list(table.dtypes)) if table.shape[1] else None
    if table.index.is_unique and isinstance(dtype, np.dtype) and dtype.kind in "Obiuf":
        found = _RowReader(
            table=table,
            positions={c: i for i, c in enumerate(table.index.tolist())},
            labels={str(c): c for c in table.columns},
            rows=table.to_numpy(dtype=dtype).tolist() if dtype.kind != "O" else None,
        )
    memo[key] = found
    return found


def table_row(
    ev: Evidence, table: pd.DataFrame, code: str, *, native: bool = False
) -> Mapping[str, Any]:
    """``table.loc[code]`` as column name -> value (with ``native``: its ``to_dict()``), read
    from the table's arrays, memoized on ``ev``: microseconds instead of pandas' row
    assembly. The table must not change while ``ev`` lives (memoized score tables do not)."""
    reader = _row_reader(ev, table)
    if reader is None:
        row = table.loc[code]
        return {str(k): v for k, v in (row.to_dict() if native else row).items()}
    if reader.rows is not None:  # Python numbers either way
        return dict(zip(reader.labels, reader.rows[reader.positions[code]], strict=True))
    return TableRow(reader, reader.positions[code], native)
