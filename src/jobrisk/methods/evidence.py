"""The evidence every method reads: task rows and occupation rows, loaded once per catalog.

An :class:`Evidence` bundle is a handful of tidy frames keyed by ``code`` (an O*NET-SOC code,
or later a custom role's id). Methods compute from the bundle only, never from SQL, so an
O*NET occupation and a role described by its tasks go through the same code.

Frames (one row per ...):

- ``units`` (occupation, index ``code``): title, SOC hierarchy, job zone, BLS employment and
  wages (May 2025; ``annual_median_wage_2021`` is May 2021's on the same SOC code, null where
  top-coded), projections, ``kind`` (``onet`` or ``role``), ``usage_linked`` (some Anthropic
  statement reaches the occupation at all; false for occupations new since O*NET 20.1).
- ``tasks`` (task of an occupation): O*NET 30.1 task, ``time_share`` (sums to 1 per code),
  ``core_weight`` (Core 2, Supplemental 1, untyped 1), Eloundou labels of the linked paper row
  (``human_e``, ``gpt4_e``, ``human_t``, ``gpt4_t``), Anthropic 2026 ``penetration``,
  ``physical`` (task's DWAs are physical activities), Microsoft ``task_applicability`` (mean
  over the task's IWAs of Equation 1's per-IWA term) and ``task_completion`` (mean Copilot
  completion rate of those IWAs), ``origin`` and ``confidence`` (``onet``
  and 1.0 for O*NET tasks; matched or predicted for custom roles).
- ``labels`` (row of Eloundou et al.'s own task table): ``code`` is the paper's O*NET-SOC code,
  ``task_id`` the linked 30.1 task or null, ``rating_weight`` the 30.1 time weight.
- ``usage`` (task x release x platform): share of conversations in percent and the share of
  classified conversations in automation modes (directive, feedback loop), where released.
  Rows with a null ``task_id`` reached the occupation only (through the SOC crosswalk).
- ``releases`` (release x platform): date, derived flag, and the share of conversations that
  reached a 30.1 task.
- ``measures`` (occupation x published measure): value and match quality.
- ``skills`` (occupation x O*NET 30.1 skill or knowledge element): ``kind`` (``skill`` or
  ``knowledge``), ``element_id``, ``element``, ``importance`` (1-5), ``level`` (0-7).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.published import COVERAGE_THRESHOLD
from jobrisk.sources.anthropic import AUTOMATION_MODES

__all__ = ["Evidence", "load_evidence"]

SKILL_COLUMNS = ["code", "kind", "element_id", "element", "importance", "level"]


class Queryable(Protocol):
    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame: ...


@dataclass(frozen=True, eq=False)
class Evidence:
    """Frames keyed by ``code``; compared and hashed by identity (it is a cache key).

    Reference distributions (percentiles, pooled fits) are taken over ``kind == "onet"``
    units only. A custom role is scored as a *subject*: its own rows (``units.kind ==
    "role"``) with ``reference`` set to the O*NET evidence, over which a method takes anything
    population-level (through :attr:`population`, memoized there), so a role's values equal
    those it would get appended to the O*NET evidence, without recomputing every occupation.
    A subject's units are custom roles, never O*NET occupations (those are scored in place).
    """

    units: pd.DataFrame
    tasks: pd.DataFrame
    labels: pd.DataFrame
    usage: pd.DataFrame
    releases: pd.DataFrame
    measures: pd.DataFrame
    skills: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SKILL_COLUMNS))
    reference: Evidence | None = field(default=None, repr=False)
    _rows: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, init=False, repr=False)
    _positions: dict[str, dict[str, npt.NDArray[np.intp]]] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def population(self) -> Evidence:
        """The evidence population-level figures are taken over: the reference, else itself."""
        return self.reference if self.reference is not None else self

    def rows_of(self, frame: str, code: str) -> pd.DataFrame:
        """The rows of one frame (``tasks``, ``labels``, ``usage``, ``measures``, ``skills``).

        The first call finds every code's row positions once; a call then takes the code's rows
        (once, later calls are dictionary lookups), and a code without rows gets an empty frame
        without searching again, which keeps one occupation's explanations fast.
        """
        key = (frame, code)
        rows = self._rows.get(key)
        if rows is not None:
            return rows
        data: pd.DataFrame = getattr(self, frame)
        if frame not in self._positions:
            codes = data["code"].to_numpy()
            if len(self.units) == 1 and len(codes) and (codes == code).all():
                self._rows[key] = data  # one unit (a role's own rows): nothing to group
                return data
        at = self.row_positions(frame, code)
        rows = data.iloc[at] if len(at) else data.iloc[:0]
        self._rows[key] = rows
        return rows

    def row_positions(self, frame: str, code: str) -> npt.NDArray[np.intp]:
        """Positions of one code's rows in a frame, in row order (what :meth:`rows_of` takes),
        found for every code at once on the frame's first call."""
        return self.positions_by_code(frame).get(code, _NO_ROWS)

    def positions_by_code(self, frame: str) -> dict[str, npt.NDArray[np.intp]]:
        """Each code's row positions in a frame, in row order, as ``groupby("code").indices``
        gives them (codes without rows left out), found once per frame; read-only arrays."""
        positions = self._positions.get(frame)
        if positions is None:
            data: pd.DataFrame = getattr(self, frame)
            positions = self._positions[frame] = _positions_by_code(data["code"].to_numpy())
        return positions

    def subset(self, codes: list[str]) -> Evidence:
        """The same evidence restricted to ``codes`` (releases are kept whole)."""
        keep = set(codes)
        return Evidence(
            units=self.units.loc[self.units.index.isin(keep)],
            tasks=self.tasks[self.tasks["code"].isin(keep)],
            labels=self.labels[self.labels["code"].isin(keep)],
            usage=self.usage[self.usage["code"].isin(keep)],
            releases=self.releases,
            measures=self.measures[self.measures["code"].isin(keep)],
            skills=self.skills[self.skills["code"].isin(keep)],
            reference=self.reference,
        )

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.init and f.name != "reference"
        }

    @property
    def codes(self) -> list[str]:
        return list(self.units.index)


_NO_ROWS = np.zeros(0, dtype=np.intp)
_NO_ROWS.setflags(write=False)


def _positions_by_code(codes: npt.NDArray[Any]) -> dict[str, npt.NDArray[np.intp]]:
    """Each code's row positions in row order (missing codes left out, as ``groupby``)."""
    group, uniques = pd.factorize(codes)
    order = np.argsort(group, kind="stable")
    order.setflags(write=False)  # each code's positions are views of it, shared by callers
    ranked = group[order]
    starts = np.searchsorted(ranked, np.arange(len(uniques)), side="left")
    ends = np.searchsorted(ranked, np.arange(len(uniques)), side="right")
    return {
        str(c): order[s:e]
        for c, s, e in zip(uniques.tolist(), starts.tolist(), ends.tolist(), strict=True)
    }


_CACHE: weakref.WeakKeyDictionary[object, Evidence] = weakref.WeakKeyDictionary()


def load_evidence(cat: Queryable) -> Evidence:
    """The whole index's evidence, read once per catalog (about 0.5 s) and then cached."""
    cached = _CACHE.get(cat)
    if cached is None:
        cached = _read(cat)
        _CACHE[cat] = cached
    return cached


_AUTO = " + ".join(AUTOMATION_MODES)


def _read(cat: Queryable) -> Evidence:
    units = cat.query(
        """select code, title, soc_code, major_code, minor_code, broad_code, job_zone, has_tasks,
                  employment, annual_median_wage, hourly_median_wage, wage_topcoded,
                  projected_change_pct_2024_34, projected_annual_openings, entry_education,
                  (select any_value(w.annual_median_wage) from oews w
                   where w.year = 2021 and w.soc_code = o.wage_soc_code
                     and not coalesce(w.wage_topcoded, false)) as annual_median_wage_2021,
                  'onet' as kind,
                  exists (select 1 from legacy_tasks l where l.code = o.code)
                    or exists (select 1 from task_usage u where u.code = o.code) as usage_linked
           from occupations o order by code"""
    ).set_index("code")
    tasks = cat.query(
        f"""with lab as (
                select code, task_id, any_value(human_e) human_e, any_value(gpt4_e) gpt4_e,
                       any_value(human_t) human_t, any_value(gpt4_t) gpt4_t
                from task_exposure_labels where task_id is not null group by all),
            ms as (
                select code, task_id, count(distinct iwa_id) as n_iwas,
                       avg(0.5 * ((share_user > {COVERAGE_THRESHOLD})::int * completion_user
                                   * impact_scope_user
                                  + (share_ai > {COVERAGE_THRESHOLD})::int * completion_ai
                                   * impact_scope_ai)) as task_applicability,
                       avg(0.5 * (completion_user + completion_ai)) as task_completion
                from task_iwa_metrics where completion_user is not null group by all)
           select t.code, t.task_id, t.task, t.task_type, t.time_share, t.time_weight,
                  t.weight_source,
                  case t.task_type when 'Core' then 2.0 else 1.0 end as core_weight,
                  lab.human_e, lab.gpt4_e, lab.human_t, lab.gpt4_t,
                  p.penetration, coalesce(ph.physical, false) as physical,
                  ms.task_applicability, ms.task_completion, coalesce(ms.n_iwas, 0) as n_iwas,
                  'onet' as origin, 1.0 as confidence
           from tasks t
           left join lab using (code, task_id)
           left join task_penetration p using (code, task_id)
           left join task_physical ph using (task_id)
           left join ms using (code, task_id)
           order by t.code, t.time_share desc, t.task_id"""
    )
    labels = cat.query(
        """select l.src_code as code, l.src_task_id, l.task, l.task_type, l.core_weight,
                  l.human_e, l.gpt4_e, l.human_t, l.gpt4_t, l.task_id, t.time_weight as rating_weight
           from task_exposure_labels l
           left join tasks t on t.code = l.code and t.task_id = l.task_id
           order by l.src_code, l.src_task_id"""
    )
    usage = cat.query(
        f"""with m as (
                select release, platform, task_key,
                       case when unclassified < 1 then ({_AUTO}) / (1 - unclassified) end as auto
                from task_modes)
           select u.code, u.task_id, u.release, u.platform, sum(u.share) as share,
                  sum(u.share * m.auto) / nullif(sum(case when m.auto is not null then u.share end), 0)
                    as automation_share
           from task_usage u left join m using (release, platform, task_key)
           where u.code is not null
           group by all order by u.code, u.task_id, u.release, u.platform"""
    )
    releases = cat.query(
        """select release, platform, any_value(release_date) as release_date,
                  bool_or(derived) as derived,
                  sum(share) filter (where task_id is not null) as pct_reaching_task,
                  bool_or(release in (select release from task_modes)) as has_modes
           from task_usage group by all order by release, platform"""
    )
    measures = cat.query(
        """select code, measure, value, match_quality, n_source_codes, source_codes, source_id,
                  source_taxonomy
           from occupation_measures
           where value is not null order by code, measure"""
    )
    skills = cat.query(
        """select code, kind, element_id, element, importance, level
           from skills_knowledge order by code, kind, element_id"""
    )
    return Evidence(units, tasks, labels, usage, releases, measures, skills)
