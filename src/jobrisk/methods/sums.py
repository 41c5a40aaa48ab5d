"""Grouped sums in numpy that equal pandas' ``Series.groupby(keys).sum()`` to the last bit.

The methods promise the same values for a custom role scored alone as appended to the O*NET
evidence, and the same values as their earlier pandas versions, so they sum as pandas 3.1
does, which takes one of two paths (``BaseGrouper._cython_operation``): rows already in key
order and no NaN value, ``np.add.reduceat`` (numpy's pairwise sum per group); otherwise its
Cython ``group_sum``, Kahan-compensated, NaN skipped. :func:`group_sums` does the same in a
few vectorized steps (one per row rank within a group, a few dozen at most), microseconds
where a pandas groupby costs a millisecond on a one-unit evidence. ``tests/methods/test_sums.py``
checks it against pandas itself, so a pandas upgrade that changes its path shows there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "BoolArray",
    "FloatArray",
    "IntArray",
    "average_percentile",
    "group_sums",
    "in_key_order",
    "pairs_first",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


def in_key_order(*keys: npt.NDArray[Any]) -> bool:
    """Whether the rows come in the order of their group keys (lexicographic, ties allowed), as
    pandas sorts the labels: the condition of its ``reduceat`` path."""
    if len(keys[0]) < 2:
        return True
    decided = np.zeros(len(keys[0]) - 1, dtype=bool)  # an earlier key already orders the pair
    for key in keys:
        before, after = key[:-1], key[1:]
        if (~decided & (before > after)).any():
            return False
        decided |= before < after
    return True


def group_sums(
    values: npt.ArrayLike, groups: IntArray, n_groups: int, *, sorted_keys: bool | None = None
) -> FloatArray:
    """Per group ``0 .. n_groups - 1``: the sum of ``values`` as pandas' groupby gives it.

    One-dimensional ``values`` sum as a ``Series.groupby().sum()``; a rows x columns matrix as
    a frame of float columns, which pandas sums as one block (a NaN anywhere in it sends every
    column to the compensated path). ``sorted_keys`` says whether pandas would see its group
    keys in order over these rows (:func:`in_key_order` on the labels); ``None`` reads it from
    ``groups`` themselves, for groups numbered as pandas numbers them (non-decreasing = in
    order). In order and with no NaN value, each group is added with ``np.add.reduceat``,
    else with Kahan compensation in row order, NaN skipped. A group without rows (or only NaN)
    sums to 0, as in pandas; rows of a negative group are left out.

        >>> group_sums([0.1, 0.2, 0.3, 1.0], np.array([0, 0, 0, 1]), 3, sorted_keys=False).tolist()
        [0.6000000000000001, 1.0, 0.0]
    """
    data = np.asarray(values, dtype=float)
    matrix = data[:, None] if data.ndim == 1 else data
    if sorted_keys is None:
        sorted_keys = bool((groups[1:] >= groups[:-1]).all())
    keep = groups >= 0
    sums = np.zeros((n_groups, matrix.shape[1]))
    if sorted_keys and not np.isnan(matrix).any():
        g, v = groups[keep], matrix[keep]
        if len(g):
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            sums[g[starts]] = np.add.reduceat(v, starts, axis=0)
        return sums[:, 0] if data.ndim == 1 else sums
    rows = np.flatnonzero(keep)
    order = rows[np.argsort(groups[rows], kind="stable")]
    g = groups[order]
    compensation = np.zeros_like(sums)
    if len(g):
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
        # one step per position within a group (a few dozen at most), every group at once
        for k in range(int(rank.max()) + 1):
            at = rank == k
            gi, val = g[at], matrix[order[at]]
            s, c = sums[gi], compensation[gi]
            y = val - c
            t = s + y
            with np.errstate(invalid="ignore"):
                new_c = t - s - y
            known = ~np.isnan(val)
            sums[gi] = np.where(known, t, s)
            # an infinite value makes the compensation NaN: pandas resets it (GH#53606)
            compensation[gi] = np.where(known, np.where(np.isnan(new_c), 0.0, new_c), c)
    return sums[:, 0] if data.ndim == 1 else sums


def pairs_first(*columns: npt.ArrayLike) -> IntArray:
    """Positions of the first row of each distinct tuple of ``columns`` (no NaN), in row
    order: the rows ``drop_duplicates`` keeps."""
    keys = [np.asarray(c) for c in columns]
    if not len(keys[0]):
        return np.zeros(0, dtype=np.intp)
    order = np.lexsort(keys[::-1])  # stable: the first row of a run is the earliest
    new = np.zeros(len(order), dtype=bool)
    new[0] = True
    for key in keys:
        ranked = key[order]
        new[1:] |= ranked[1:] != ranked[:-1]
    return np.sort(order[new])


def average_percentile(values: FloatArray) -> FloatArray:
    """Each value's percentile rank (0-100] among the known values, ties sharing their mean
    rank, NaN kept: ``Series.rank(pct=True) * 100`` (whose mean ranks and division are exact
    here too)."""
    out = np.full(len(values), np.nan)
    known = np.flatnonzero(~np.isnan(values))
    if len(known):
        order = np.argsort(values[known], kind="stable")
        ranked = values[known][order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        ends = np.r_[starts[1:], len(ranked)]
        ranks = np.empty(len(known))
        ranks[order] = np.repeat((starts + 1 + ends) / 2.0, ends - starts)
        out[known] = ranks / len(known) * 100.0
    return out
