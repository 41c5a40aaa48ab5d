"""Which occupations an event reaches, and how much: one weight in [0, 1] per occupation.

The rule (docs/timeline.md):

- ``soc`` codes select occupations: a major group ``15-0000`` every code starting ``15-``, a
  minor group ``15-1200`` ``15-12``, a broad group ``15-1250`` ``15-125``, a detailed SOC code
  ``15-1252`` its O*NET occupations, an O*NET-SOC code ``15-1252.00`` itself. Weight 1.
- ``dwa``, ``iwa`` and ``capability`` select tasks: a task is in scope when one of its DWAs is
  listed, one of its DWAs belongs to a listed IWA, or it has a listed capability kind
  (:data:`~jobrisk.timeline.events.CAPABILITY_KINDS`). An occupation's weight is the time share
  of its tasks in scope (time shares sum to 1 per occupation), so an event about one activity
  moves an occupation by the part of its week spent on it.
- Both: the task weight, for the occupations the SOC codes select only.

An occupation reached by no part of the scope has weight 0 and is untouched by the event.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.errors import InputError
from jobrisk.methods.evidence import Evidence, load_evidence
from jobrisk.timeline.events import CAPABILITY_KINDS, Event

if TYPE_CHECKING:
    from jobrisk.catalog import Catalog

__all__ = ["ScopeIndex", "check_scopes", "scope_index", "soc_prefix"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def soc_prefix(code: str) -> str:
    """The code prefix a SOC group or occupation code selects (see the module docstring)."""
    if "." in code:
        return code
    if code.endswith("0000"):
        return code[:3]
    if code.endswith("00"):
        return code[:5]
    if code.endswith("0"):
        return code[:6]
    return code


@dataclass(frozen=True, eq=False)
class ScopeIndex:
    """Task rows of the evidence with their occupation, time share and what selects them."""

    codes: pd.Index  # occupations (units of the evidence), the columns of every weight matrix
    task_unit: npt.NDArray[np.intp]  # per task row: position of its occupation in ``codes``
    time_share: FloatArray
    capability: dict[str, BoolArray]
    dwa_rows: dict[str, npt.NDArray[np.intp]]
    iwa_rows: dict[str, npt.NDArray[np.intp]]
    soc_known: frozenset[str]  # group codes and occupation codes in the index

    def soc_mask(self, soc: Sequence[str]) -> BoolArray:
        """Occupations selected by SOC codes (all when none are given)."""
        if not soc:
            return np.ones(len(self.codes), dtype=bool)
        prefixes = tuple(soc_prefix(c) for c in soc)
        return np.asarray(self.codes.str.startswith(prefixes), dtype=bool)

    def task_mask(self, event: Event) -> BoolArray:
        mask = np.zeros(len(self.task_unit), dtype=bool)
        for kind in event.scope.capability:
            mask |= self.capability[kind]
        for rows_by_id, ids in ((self.dwa_rows, event.scope.dwa), (self.iwa_rows, event.scope.iwa)):
            for i in ids:
                mask[rows_by_id.get(i, np.empty(0, dtype=np.intp))] = True
        return mask

    def weights(self, events: Sequence[Event]) -> FloatArray:
        """Events x occupations: the part of each occupation's work each event reaches."""
        out = np.zeros((len(events), len(self.codes)))
        for e, event in enumerate(events):
            occ = self.soc_mask(event.scope.soc).astype(float)
            if event.scope.task_level:
                share = np.bincount(
                    self.task_unit,
                    weights=self.time_share * self.task_mask(event),
                    minlength=len(self.codes),
                )
                occ = occ * np.clip(share, 0.0, 1.0)
            out[e] = occ
        return out


_CACHE: weakref.WeakKeyDictionary[Evidence, ScopeIndex] = weakref.WeakKeyDictionary()


def scope_index(cat: Catalog) -> ScopeIndex:
    """The scope index of a catalog's evidence (built once, about 0.1 s)."""
    ev = load_evidence(cat)
    cached = _CACHE.get(ev)
    if cached is None:
        cached = _build(cat, ev)
        _CACHE[ev] = cached
    return cached


def _build(cat: Catalog, ev: Evidence) -> ScopeIndex:
    tasks = ev.tasks
    codes = ev.units.index
    task_unit = codes.get_indexer(pd.Index(tasks["code"]))
    key = pd.MultiIndex.from_arrays([tasks["code"], tasks["task_id"].astype("int64")])
    e_label = tasks["human_e"].fillna(tasks["gpt4_e"])
    t_label = tasks["human_t"].fillna(tasks["gpt4_t"])
    used = ev.usage[ev.usage["task_id"].notna() & (ev.usage["share"] > 0)]
    used_rows = key.get_indexer(
        pd.MultiIndex.from_arrays([used["code"], used["task_id"].astype("int64")])
    )
    observed = np.zeros(len(tasks), dtype=bool)
    observed[used_rows[used_rows >= 0]] = True
    capability = {
        "llm": (e_label == "E1").to_numpy(dtype=bool),
        "llm_tools": (e_label == "E2").to_numpy(dtype=bool),
        "autonomy": t_label.isin(["T3", "T4"]).to_numpy(dtype=bool),
        "observed_use": observed,
        "copilot": (tasks["task_applicability"].fillna(0.0) > 0).to_numpy(dtype=bool),
        "physical": tasks["physical"].fillna(False).to_numpy(dtype=bool),
    }
    assert set(capability) == set(CAPABILITY_KINDS)
    links = cat.query("select code, task_id, dwa_id, iwa_id from task_iwas")
    rows = key.get_indexer(pd.MultiIndex.from_arrays([links["code"], links["task_id"]]))
    links = links.assign(row=rows)[rows >= 0]
    groups = cat.query("select code from soc_groups")["code"]
    return ScopeIndex(
        codes=codes,
        task_unit=task_unit.astype(np.intp),
        time_share=tasks["time_share"].fillna(0.0).to_numpy(dtype=float),
        capability=capability,
        dwa_rows=_rows_by(links, "dwa_id"),
        iwa_rows=_rows_by(links, "iwa_id"),
        soc_known=frozenset(groups) | frozenset(codes),
    )


def _rows_by(links: pd.DataFrame, column: str) -> dict[str, npt.NDArray[np.intp]]:
    return {
        str(k): np.unique(v.to_numpy(dtype=np.intp))
        for k, v in links.groupby(column, sort=False)["row"]
    }


def check_scopes(cat: Catalog, events: Sequence[Event]) -> None:
    """Raise an InputError naming the event and code when a scope code is not in the index."""
    idx = scope_index(cat)
    known_dwa: Any = None
    for event in events:
        for code in event.scope.soc:
            if code not in idx.soc_known and not any(c.startswith(code + ".") for c in idx.codes):
                raise InputError(
                    f"{event.origin}, field 'scope': SOC code {code!r} is not in O*NET 30.1",
                    hint="use a group or occupation code listed by `jobrisk list` "
                    "(e.g. 15-0000, 15-1200, 15-1250, 15-1252.00)",
                )
        for kind, table in (("dwa", idx.dwa_rows), ("iwa", idx.iwa_rows)):
            for code in getattr(event.scope, kind):
                if code in table:
                    continue
                if known_dwa is None:
                    ref = cat.query("select dwa_id, iwa_id from dwa_reference")
                    known_dwa = set(ref["dwa_id"]) | set(ref["iwa_id"])
                if code not in known_dwa:
                    raise InputError(
                        f"{event.origin}, field 'scope': {kind.upper()} {code!r} is not in "
                        "O*NET 30.1's work activities",
                        hint=f"take {kind.upper()} ids from O*NET's DWA Reference "
                        "(table dwa_reference in the index)",
                    )
