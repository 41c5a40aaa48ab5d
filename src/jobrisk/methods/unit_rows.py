"""An evidence's rows by unit, as numpy arrays, keyed once per evidence.

``Evidence.rows_of`` groups a whole frame into per-code frames on first use; the published
measures read a few columns of a unit's rows, or sum a column by unit, so they key each frame
once per evidence instead (:func:`task_keys`, :func:`unit_positions`) and read plain arrays:
microseconds for a custom role's one-unit evidence, and no frame slicing for an occupation.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import FloatArray, IntArray, in_key_order

__all__ = ["TaskKeys", "as_floats", "task_keys", "unit_position", "unit_positions"]


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
