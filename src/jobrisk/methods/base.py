"""The method contract: one published measure or page methodology = one :class:`Method`.

A method reads an :class:`~jobrisk.methods.evidence.Evidence` bundle and returns

- :meth:`Method.compute`: one row per occupation (index ``code``) with ``value`` in
  :attr:`Method.score_range`, ``n_tasks`` (tasks that carried the value, 0 for occupation-level
  measures), ``note`` (why a value is missing or how it was matched) and any extra columns;
- :meth:`Method.contributions`: an :class:`Explanation` for one occupation, down to its tasks.

:meth:`Method.score` and :meth:`Method.explain` are the public entry points on a catalog; they
check the inputs first, so a missing input is a :class:`~jobrisk.errors.DataError` naming it.

    >>> from jobrisk.methods import get_method  # doctest: +SKIP
    >>> get_method("eloundou_beta_human").score(cat).loc["15-2051.00", "value"]  # doctest: +SKIP
"""

from __future__ import annotations

import operator
import weakref
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from jobrisk.errors import DataError, InputError
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.methods.unit_rows import table_row

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

_MEMO: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, str], pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)
# Per evidence: the method keys whose inputs were checked.
_CHECKED: weakref.WeakKeyDictionary[Evidence, set[tuple[str, str]]] = weakref.WeakKeyDictionary()

__all__ = [
    "Direction",
    "Explanation",
    "Method",
    "Parameter",
    "TaskContribution",
]


class Direction(StrEnum):
    EXPOSURE = "higher means more exposed"
    RESISTANCE = "higher means more resistant"


class Family(StrEnum):
    PUBLISHED = "published measure"
    PAGE = "page methodology"


@dataclass(frozen=True)
class Parameter:
    """A named, documented, changeable parameter with its default and allowed values."""

    name: str
    default: Any
    description: str
    choices: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None

    def check(self, value: Any) -> Any:
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(map(str, self.choices))
            raise InputError(
                f"parameter {self.name!r} cannot be {value!r}", hint=f"choose one of: {allowed}"
            )
        if self.bounds is not None:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InputError(
                    f"parameter {self.name!r} must be a number, got {value!r}"
                ) from None
            lo, hi = self.bounds
            if not lo <= number <= hi:
                raise InputError(
                    f"parameter {self.name!r} = {number} is outside [{lo}, {hi}]",
                    hint=self.description,
                )
            return number
        return value


@dataclass(frozen=True)
class TaskContribution:
    """One task's part in an occupation's value."""

    task_id: int | None
    task: str
    time_share: float
    contribution: float  # this task's additive part of the value (sums to the value when additive)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why an occupation got its value: the inputs, the tasks and what was missing."""

    method: str
    code: str
    value: float | None
    label: str | None  # a zone or cell name where the method has one
    summary: str
    additive: bool  # the task contributions sum to the value
    tasks: tuple[TaskContribution, ...]
    inputs: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


class Method(ABC):
    """Base class of every method. Subclasses set the class metadata and two functions.

    ``name`` and ``title`` may depend on parameters (e.g. ``eloundou_beta_human``), so they
    are properties with class-level defaults.
    """

    key: ClassVar[str]
    label: ClassVar[str]
    family: ClassVar[Family]
    citation: ClassVar[str]
    source_ids: ClassVar[tuple[str, ...]]
    inputs: ClassVar[tuple[str, ...]]  # "frame.column" entries of Evidence the method reads
    score_range: ClassVar[tuple[float, float]]
    direction: ClassVar[Direction]
    unit: ClassVar[str]
    parameters: ClassVar[tuple[Parameter, ...]] = ()

    def __init__(self, **params: Any) -> None:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise InputError(
                f"{self.key} has no parameter {', '.join(map(repr, unknown))}",
                hint=f"parameters: {', '.join(known) or 'none'}",
            )
        self.params: dict[str, Any] = {
            name: p.check(params[name]) if name in params else p.default
            for name, p in known.items()
        }

    @property
    def name(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        return self.label

    def with_params(self, **params: Any) -> Method:
        return type(self)(**{**self.params, **params})

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    # --- what subclasses write ------------------------------------------------------

    @abstractmethod
    def compute(self, ev: Evidence) -> pd.DataFrame:
        """One row per unit of ``ev.units`` (index ``code``): value, n_tasks, note, extras."""

    @abstractmethod
    def contributions(self, ev: Evidence, code: str) -> Explanation:
        """The explanation for ``code`` (one of ``ev.units``).

        Read the occupation's rows with ``ev.rows_of("tasks", code)``; a value that needs
        every occupation (a percentile, a rank) may call ``self.score_evidence(ev)``, which
        is memoized.
        """

    # --- public entry points ----------------------------------------------------------

    def score(self, cat: Catalog) -> pd.DataFrame:
        """Values for every occupation in the catalog (index ``code``, column ``value``)."""
        return self.score_evidence(load_evidence(cat))

    def explain(self, cat: Catalog, code: str) -> Explanation:
        """Task-level explanation for one occupation (a code, SOC code or title)."""
        resolved = cat.resolve(code)
        return self.explain_evidence(load_evidence(cat), resolved)

    def score_evidence(self, ev: Evidence) -> pd.DataFrame:
        """:meth:`compute` after the input check, memoized per evidence object (a copy)."""
        return self.memoized_scores(ev).copy()

    def _memo_key(self) -> tuple[str, str]:
        """The key of this method's tables in a per-evidence memo: its class and parameters.

        Kept while the parameters are the same objects (a repr per call costs more than a
        batch's explanation of a simple method)."""
        params = self.params
        cached = self.__dict__.get("_memo_key_cache")
        if cached is not None:
            names, values, key = cached
            if (
                len(params) == len(names)
                and all(map(operator.is_, params, names))
                and all(map(operator.is_, params.values(), values))
            ):
                return key  # type: ignore[no-any-return]
        key = (type(self).__name__, repr(sorted(params.items())))
        self.__dict__["_memo_key_cache"] = (tuple(params), tuple(params.values()), key)
        return key

    def memoized_scores(self, ev: Evidence) -> pd.DataFrame:
        """The memoized score table itself: read it, never modify it (explanations use it)."""
        memo = _MEMO.setdefault(ev, {})
        key = self._memo_key()
        if key not in memo:
            self.check_inputs(ev)
            table = self.compute(ev)
            # most methods build their table on the units' index already: no copy then
            units = ev.units.index
            same = table.index.equals(units) and table.index.name == units.name
            memo[key] = table if same else table.reindex(units)
        return memo[key]

    def scores_row(self, ev: Evidence, code: str) -> dict[str, Any]:
        """One occupation's row of the memoized scores as plain column -> value (the values
        ``.loc[code]`` gives, read by :func:`~jobrisk.methods.unit_rows.table_row`; a KeyError
        for a code that is not a unit)."""
        return dict(table_row(ev, self.memoized_scores(ev), code))

    def explain_evidence(self, ev: Evidence, code: str) -> Explanation:
        # the check's answer is fixed per evidence and method: asked once, not per unit
        checked = _CHECKED.setdefault(ev, set())
        key = self._memo_key()
        if key not in checked:
            self.check_inputs(ev)
            checked.add(key)
        return self.contributions(ev, code)

    def check_inputs(self, ev: Evidence) -> None:
        """Raise a DataError naming the first input the evidence lacks."""
        frames = ev.frames()
        for item in self.inputs:
            frame_name, _, column = item.partition(".")
            frame = frames.get(frame_name)
            if frame is None:
                raise DataError(f"{self.name} needs the {frame_name!r} evidence, which is missing")
            if column and column not in frame.columns and column != frame.index.name:
                raise DataError(
                    f"{self.name} needs the input {item!r}, which the index does not have",
                    hint="rebuild the index with `jobrisk build --force`",
                )

    def describe(self) -> dict[str, Any]:
        """Metadata as plain values (for the CLI, the API and the docs)."""
        return {
            "name": self.name,
            "title": self.title,
            "family": str(self.family),
            "citation": self.citation,
            "sources": list(self.source_ids),
            "inputs": list(self.inputs),
            "range": list(self.score_range),
            "direction": str(self.direction),
            "unit": self.unit,
            "parameters": {p.name: self.params[p.name] for p in self.parameters},
            "doc": (type(self).__doc__ or "").strip(),
        }


def weighted_mean(values: pd.Series, weights: pd.Series, by: pd.Series) -> pd.Series:
    """Per-group weighted mean over rows where ``values`` is known."""
    known = values.notna()
    num = (values.where(known, 0.0) * weights).groupby(by).sum()
    den = weights.where(known, 0.0).groupby(by).sum()
    return (num / den.where(den > 0)).astype(float)


def empty_scores(index: pd.Index, note: str) -> pd.DataFrame:
    return pd.DataFrame({"value": float("nan"), "n_tasks": 0, "note": note}, index=index)


def opt_float(v: Any) -> float | None:
    """A float, or None for None/NaN/NA (pandas scalars included)."""
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def opt_str(v: Any) -> str | None:
    return None if v is None or (opt_float(v) is None and not isinstance(v, str)) else str(v)
