"""A logistic adoption curve, fitted to dated points with numpy only (no scipy).

The curve for one occupation is ``y(t) = C / (1 + exp(-(k (t - t0))))``: ``C`` the ceiling
(the share of the work AI could reach at all), ``k`` the growth rate per year on the logit
scale, ``t0`` the midpoint. On the logit scale ``z = logit(y / C)`` the curve is a straight
line in time, so the rate is fitted by ordinary least squares on ``z`` (the "linearised
logit" fit). Shares at 0 or at the ceiling have no logit; they are clipped to
``[LOGIT_CLIP, 1 - LOGIT_CLIP]`` of the ceiling first.

:func:`pooled_slope` fits one rate to many occupations observed at the same dates, each with
its own offset (a fixed-effects regression: occupations differ in level, they share the
speed). :func:`release_bootstrap_slopes` refits it on dates drawn with replacement, and
:func:`poisson_task_weights` draws task weights for a bootstrap over tasks; both are
deterministic for a seed.

    >>> import numpy as np
    >>> t = np.array([2023.0, 2024.0, 2025.0])
    >>> curve = fit_logistic(t, 0.8 * expit(1.5 * (t - 2024.0)), ceiling=0.8)
    >>> round(curve.slope, 6), round(curve.midpoint, 6)
    (1.5, 2024.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import InputError

__all__ = [
    "LOGIT_CLIP",
    "GrowthRates",
    "LogisticCurve",
    "Projection",
    "TaskBootstrap",
    "expit",
    "fit_logistic",
    "fit_rates",
    "index_positions",
    "logit",
    "poisson_task_weights",
    "pooled_slope",
    "project",
    "project_with_interval",
    "relative_logit",
    "release_bootstrap_slopes",
    "row_quantile",
    "year_fraction",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# A share within 1% of 0 or of the ceiling is taken as 1% / 99%: finite logits, and a task-level
# share (an occupation has ~20 tasks, 1 task ~ 5%) is never moved by the clip.
LOGIT_CLIP = 0.01

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Poisson(1) cumulative probabilities of 0..9: a draw is capped at 10 (P(X > 10) < 1e-8).
_POISSON1_CDF = np.cumsum([np.exp(-1.0) / float(np.prod(np.arange(1, k + 1))) for k in range(10)])
_POISSON1_THRESHOLDS = np.ceil(_POISSON1_CDF * 2.0**32).astype(np.uint32)


@dataclass(frozen=True)
class LogisticCurve:
    """``ceiling / (1 + exp(-slope (t - midpoint)))``, time in decimal years."""

    ceiling: float
    slope: float
    midpoint: float

    def at(self, t: float | FloatArray) -> float | FloatArray:
        """The curve's value at decimal year(s) ``t``."""
        return self.ceiling * expit(self.slope * (np.asarray(t, dtype=float) - self.midpoint))


def logit(p: FloatArray | float) -> FloatArray:
    p = np.asarray(p, dtype=float)
    return np.asarray(np.log(p) - np.log1p(-p), dtype=float)


def expit(z: FloatArray | float) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))), dtype=float)


def year_fraction(dates: pd.Series | pd.DatetimeIndex) -> FloatArray:
    """Dates as decimal years (2025-07-02 is about 2025.5)."""
    stamps = pd.DatetimeIndex(pd.to_datetime(dates))
    start = pd.DatetimeIndex([pd.Timestamp(year=y, month=1, day=1) for y in stamps.year])
    length = np.where(stamps.is_leap_year, 366.0, 365.0)
    return np.asarray(stamps.year + (stamps - start).days / length, dtype=float)


def relative_logit(level: FloatArray, ceiling: FloatArray) -> FloatArray:
    """``logit(level / ceiling)`` with the share clipped to ``[LOGIT_CLIP, 1 - LOGIT_CLIP]``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ceiling > 0, level / np.where(ceiling > 0, ceiling, 1.0), np.nan)
    return logit(np.clip(share, LOGIT_CLIP, 1.0 - LOGIT_CLIP))


def fit_logistic(t: FloatArray, y: FloatArray, ceiling: float) -> LogisticCurve:
    """Least-squares line through ``logit(y / ceiling)`` against ``t``, for one series."""
    t = np.asarray(t, dtype=float)
    if ceiling <= 0 or len(np.unique(t)) < 2:
        raise InputError(
            "a logistic curve needs a positive ceiling and at least two distinct dates",
            hint=f"got ceiling {ceiling} and dates {t.tolist()}",
        )
    z = relative_logit(np.asarray(y, dtype=float), np.full(len(t), ceiling))
    slope = pooled_slope(z[None, :], t)
    intercept = float(z.mean() - slope * t.mean())
    midpoint = -intercept / slope if slope != 0 else float("inf")
    return LogisticCurve(ceiling=float(ceiling), slope=slope, midpoint=midpoint)


def pooled_slope(z: FloatArray, t: FloatArray) -> float:
    """One slope for rows ``z`` (occupations x dates ``t``), each row with its own offset.

    Rows with a missing value are left out. With every row on the same dates the
    fixed-effects estimate is the slope of the column means against ``t``.
    """
    z = np.asarray(z, dtype=float)
    z = z[~np.isnan(z).any(axis=1)]
    centred_t = np.asarray(t, dtype=float) - float(np.mean(t))
    den = float((centred_t**2).sum())
    if len(z) == 0 or den == 0:
        return float("nan")
    zbar = z.mean(axis=0)
    return float(((zbar - zbar.mean()) * centred_t).sum() / den)


def release_bootstrap_slopes(z: FloatArray, t: FloatArray, n_boot: int, seed: int) -> FloatArray:
    """:func:`pooled_slope` refitted on ``n_boot`` draws of the dates with replacement.

    A draw whose dates are all the same has no slope (NaN).
    """
    z = np.asarray(z, dtype=float)
    z = z[~np.isnan(z).any(axis=1)]
    t = np.asarray(t, dtype=float)
    n_dates = len(t)
    if len(z) == 0 or n_dates < 2:
        return np.full(n_boot, np.nan)
    draws = np.random.default_rng(seed).integers(0, n_dates, size=(n_boot, n_dates))
    counts = np.zeros((n_boot, n_dates))
    np.add.at(counts, (np.arange(n_boot)[:, None], draws), 1.0)
    zbar = z.mean(axis=0)
    total = counts.sum(axis=1)
    t_mean = (counts * t).sum(axis=1) / total
    z_mean = (counts * zbar).sum(axis=1) / total
    dt = t[None, :] - t_mean[:, None]
    num = (counts * dt * (zbar[None, :] - z_mean[:, None])).sum(axis=1)
    den = (counts * dt**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(den > 1e-12, num / den, np.nan), dtype=float)


def project(
    level: FloatArray, ceiling: FloatArray, slope: FloatArray | float, years: float
) -> FloatArray:
    """Move ``level`` along its logistic curve by ``years``: the curve passes through ``level``.

    ``level`` and ``ceiling`` broadcast against ``slope`` (e.g. occupations x bootstrap draws).
    A zero ceiling projects to 0; with a non-negative slope the result is never below ``level``.
    """
    level = np.asarray(level, dtype=float)
    ceiling = np.asarray(ceiling, dtype=float)
    slope = np.asarray(slope, dtype=float)
    z = relative_logit(level, ceiling)
    out = ceiling * expit(z + slope * years)
    # the clip keeps a saturated level just under its ceiling; a rising curve never falls below it
    out = np.where(slope >= 0, np.fmax(out, np.fmin(level, ceiling)), out)
    return np.asarray(np.where(ceiling > 0, out, np.where(np.isnan(ceiling), np.nan, 0.0)))


def _splitmix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return np.asarray(x ^ (x >> np.uint64(31)), dtype=np.uint64)


def poisson_task_weights(
    codes: pd.Series, task_ids: pd.Series, n_boot: int, seed: int
) -> npt.NDArray[np.float32]:
    """Poisson(1) bootstrap weights, tasks x draws, that depend only on (code, task, draw).

    A task's weights do not change when other tasks or occupations are added to the evidence,
    so a custom role never moves an occupation's interval.
    """
    # categorize=False: the same hashes, without a factorize that costs more than a role's rows
    code_hash = pd.util.hash_array(codes.astype(str).to_numpy(dtype=object), categorize=False)
    ids = (
        task_ids.to_numpy(dtype=np.int64)
        if task_ids.dtype.kind in "iu"
        else pd.to_numeric(task_ids, errors="coerce").fillna(-1).astype("int64").to_numpy()
    )
    with np.errstate(over="ignore"):
        key = _splitmix64(code_hash ^ _splitmix64(ids.astype(np.uint64)) ^ np.uint64(seed))
        draws = key[:, None] + np.arange(n_boot, dtype=np.uint64)[None, :] * _GOLDEN
        uniform = (_splitmix64(draws) >> np.uint64(32)).astype(np.uint32)
    counts = np.zeros(uniform.shape, dtype=np.uint8)
    for threshold in _POISSON1_THRESHOLDS:
        counts += uniform >= threshold
    return counts.astype(np.float32)


def row_quantile(values: FloatArray, q: float) -> FloatArray:
    """Quantile ``q`` of each row over its non-NaN entries (linear interpolation), fast.

    ``numpy.nanquantile`` loops over rows in Python; this sorts once. A row without a number
    gives NaN.
    """
    ordered = np.sort(values, axis=1)
    n = (~np.isnan(values)).sum(axis=1)
    pos = q * np.maximum(n - 1, 0)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    rows = np.arange(len(values))
    frac = pos - lo
    out = ordered[rows, lo] * (1 - frac) + ordered[rows, hi] * frac
    return np.asarray(np.where(n > 0, out, np.nan), dtype=float)


def index_positions(index: pd.Index, keys: list[Any]) -> IntArray:
    """Where each key is in ``index`` (unique), -1 where it is not: ``get_indexer`` with a
    dict, which costs less than building an Index for a role's few keys."""
    where = dict(zip(index.tolist(), range(len(index)), strict=True))
    return np.array([where.get(k, -1) for k in keys], dtype=np.intp)


class TaskBootstrap:
    """Poisson(1) weights for every task, and per-unit sums of task values under each draw."""

    def __init__(
        self, codes: pd.Series, task_ids: pd.Series, units: pd.Index, n_boot: int, seed: int
    ) -> None:
        code_array = codes.to_numpy(dtype=object)
        self._order = np.argsort(pd.factorize(code_array)[0], kind="stable")
        # a task's weights depend on its own (code, task) only: draw, then put in unit order
        self._draws = poisson_task_weights(codes, task_ids, n_boot, seed)[self._order]
        sorted_codes = code_array[self._order]
        self._starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        # where each code's sums go among the units (-1: a code that is not a unit)
        first_codes = sorted_codes[self._starts] if len(sorted_codes) else sorted_codes
        self._unit_of_code = index_positions(units, first_codes.tolist())
        self._n_units = len(units)
        self.n_boot = n_boot

    def sums(self, per_task: FloatArray) -> FloatArray:
        """Units x draws: the sum over each unit's tasks of ``per_task`` x the draw's weight."""
        out = np.full((self._n_units, self.n_boot), np.nan)
        if len(self._starts) == 0:
            return out
        weighted = np.asarray(per_task, dtype=np.float32)[self._order][:, None] * self._draws
        sums = np.add.reduceat(weighted, self._starts, axis=0, dtype=np.float64)
        found = self._unit_of_code >= 0
        out[self._unit_of_code[found]] = sums[found]
        return out


@dataclass(frozen=True, eq=False)
class Projection:
    """A projection per unit: the pooled growth rate, the point and the interval (0-1 shares)."""

    slope: float
    midpoint: FloatArray  # decimal year where each unit's curve is at half its ceiling
    point: FloatArray
    low: FloatArray
    high: FloatArray


@dataclass(frozen=True, eq=False)
class GrowthRates:
    """The pooled growth rate and its refits on release dates drawn with replacement."""

    slope: float
    slopes: FloatArray


def fit_rates(
    levels: FloatArray,
    ceiling: FloatArray,
    times: FloatArray,
    fit_rows: npt.NDArray[np.bool_],
    n_boot: int,
    seed: int,
) -> GrowthRates:
    """:func:`pooled_slope` and :func:`release_bootstrap_slopes` on ``levels[fit_rows]``."""
    fittable = len(times) >= 2 and bool(fit_rows.any())
    if not fittable:
        return GrowthRates(float("nan"), np.full(n_boot, np.nan))
    z = relative_logit(levels[fit_rows], ceiling[fit_rows, None])
    return GrowthRates(pooled_slope(z, times), release_bootstrap_slopes(z, times, n_boot, seed))


def project_with_interval(
    levels: FloatArray,
    ceiling: FloatArray,
    times: FloatArray,
    fit_rows: npt.NDArray[np.bool_],
    boot_level: FloatArray,
    boot_ceiling: FloatArray,
    years: float,
    interval: float,
    seed: int,
    rates: GrowthRates | None = None,
) -> Projection:
    """Fit the pooled rate on ``levels[fit_rows]`` (units x dates), project the last column.

    ``rates`` fitted elsewhere (a reference population's, see :func:`fit_rates`) replace the
    fit, so a few units are projected with the rate of all occupations.

    The interval is today's level plus the percentiles of the growth each bootstrap draw
    projects: a draw takes ``boot_level`` / ``boot_ceiling`` (units x draws, a bootstrap over
    tasks) and a rate refitted on release dates drawn with replacement, and grows by
    ``project(level, ceiling, rate) - level``. Today's value is observed, not re-estimated, so a
    rising curve never gives an interval below it. The interval is clipped to 0-1 and widened
    to hold the point estimate.
    """
    n_boot = boot_level.shape[1]
    if rates is None:
        rates = fit_rates(levels, ceiling, times, fit_rows, n_boot, seed)
    slope, slopes = rates.slope, rates.slopes
    now = levels[:, -1]
    point = project(now, ceiling, slope, years)
    growth = project(boot_level, boot_ceiling, slopes[None, :], years) - boot_level
    low = np.clip(now + row_quantile(growth, (1 - interval) / 2), 0.0, 1.0)
    high = np.clip(now + row_quantile(growth, (1 + interval) / 2), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        midpoint = np.where(
            (ceiling > 0) & (slope > 0), times[-1] - relative_logit(now, ceiling) / slope, np.nan
        )
    # percentile bounds can miss a skewed point estimate; the interval is widened to hold it
    return Projection(slope, midpoint, point, np.fmin(low, point), np.fmax(high, point))
