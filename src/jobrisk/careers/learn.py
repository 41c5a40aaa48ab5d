"""Skills to learn (from the tasks that remain) and comparable jobs in the same industry.

**Skills that rise.** Each task's exposure is the mean, over the chosen method's (or, for the
consensus, every additive consensus method's) per-task scores scaled to 0-1, of how exposed
it is. The tasks that remain are the tasks weighted by ``time share x (1 - exposure)``. Tasks
reach O*NET's Generalized Work Activities through their DWAs, so the work-activity mix of the
remaining tasks can be set against today's mix. A skill *rises* when the activities that gain
weight are the ones that, across O*NET occupations, go with a high importance x level of that
skill (Pearson correlation over occupations): ``rise = sum over activities of (share remaining
- share now) x correlation``. Elements the job rates below importance 2.5 are not listed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jobrisk.careers.model import career_model
from jobrisk.careers.moves import ATTRIBUTION, SkillGap, skill_gaps
from jobrisk.careers.subject import (
    CONSENSUS,
    Subject,
    check_method,
    population_scores,
    resolve_subject,
)
from jobrisk.catalog import Catalog
from jobrisk.consensus import CONSENSUS_SET
from jobrisk.errors import InputError
from jobrisk.jsonready import plain_record
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.methods.base import Direction
from jobrisk.methods.evidence import Evidence
from jobrisk.roles import Role

SHOWN = 8
RELEVANT = 2.5  # O*NET importance (1-5) from which a rising element is worth listing


@dataclass(frozen=True)
class ComparableJob:
    """An occupation in the same SOC minor group, with its exposure."""

    code: str
    title: str
    value: float | None  # the method's value (for the consensus: its exposure percentile)
    percentile: float | None  # exposure percentile among O*NET occupations, higher = more exposed
    employment: float | None
    median_wage: float | None  # BLS annual median, May 2025
    similarity: float | None = None  # career proximity to the occupation asked about, 0-1


@dataclass(frozen=True)
class RisingSkill:
    element_id: str
    element: str
    kind: str  # skill or knowledge
    rise: float  # > 0; unitless, comparable within one occupation
    importance: float  # O*NET importance now, 1-5
    level: float  # O*NET level now, 0-7


@dataclass(frozen=True)
class RemainingTask:
    task_id: int
    task: str
    time_share: float
    exposure: float  # 0-1, mean of the methods' per-task scores


@dataclass(frozen=True)
class Technology:
    technology: str
    commodity: str
    in_demand: bool


@dataclass(frozen=True)
class EmergingTask:
    task: str
    category: str  # New or Revision
    original_task: str | None
    date: str | None


@dataclass(frozen=True)
class SkillsToLearn:
    subject_code: str
    subject_title: str
    method: str
    methods_used: tuple[str, ...]  # whose per-task scores decided what remains
    skills: tuple[RisingSkill, ...]
    knowledge: tuple[RisingSkill, ...]
    rising_activities: tuple[str, ...]  # O*NET work activities that gain weight
    remaining_tasks: tuple[RemainingTask, ...]
    hot_technologies: tuple[Technology, ...]
    emerging_tasks: tuple[EmergingTask, ...]
    move_to: str | None
    gaps: tuple[SkillGap, ...]  # for a move: what to reach at the destination
    skills_source: str
    notes: tuple[str, ...]
    attribution: str = ATTRIBUTION

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON values (NaN becomes None)."""
        return plain_record(self)


def comparable_jobs(
    cat: Catalog, code: str, *, method: str = CONSENSUS, limit: int = 10
) -> list[ComparableJob]:
    """Other occupations in the same SOC minor group, closest in career terms first.

    >>> [j.title for j in comparable_jobs(cat, "15-2051.00", limit=2)]  # doctest: +SKIP
    """
    method = check_method(method)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit must be a whole number of at least 1, got {limit!r}")
    code = cat.resolve(code)
    model = career_model(cat)
    facts = _unit_facts(load_evidence(cat))
    peers = [c for c in facts.groups[facts.minor[code]] if c != code]
    pct = facts.column(method, percentile=True)
    values = pct if method == CONSENSUS else facts.column(method, percentile=False)
    sim = model.similarity_to(
        model.row[code], np.array([model.row[c] for c in peers], dtype=np.intp)
    )
    jobs = [
        ComparableJob(
            code=c,
            title=facts.title[c],
            value=values[c],
            percentile=pct[c],
            employment=facts.employment[c],
            median_wage=facts.wage[c],
            similarity=float(s),
        )
        for c, s in zip(peers, sim, strict=True)
    ]
    jobs.sort(key=lambda j: (-(j.similarity or 0.0), j.code))
    return jobs[:limit]


@dataclass(frozen=True)
class _UnitFacts:
    """What comparable jobs read of the reference units, as plain dicts (one evidence)."""

    ev: Evidence
    minor: dict[str, str]
    groups: dict[str, tuple[str, ...]]  # minor group -> its codes, in unit order
    title: dict[str, str]
    employment: dict[str, float | None]
    wage: dict[str, float | None]
    columns: dict[tuple[str, bool], dict[str, float | None]] = field(default_factory=dict)

    def column(self, method: str, *, percentile: bool) -> dict[str, float | None]:
        """Every unit's value (or exposure percentile) of ``method``."""
        key = (method, percentile)
        if key not in self.columns:
            frame = population_scores(self.ev)[1 if percentile else 0]
            self.columns[key] = {
                str(c): _num(v) for c, v in zip(frame.index, frame[method], strict=True)
            }
        return self.columns[key]


def _unit_facts(ev: Evidence) -> _UnitFacts:
    facts = _FACTS.get(ev)
    if facts is None:
        units = ev.units
        codes = [str(c) for c in units.index]
        minor = dict(zip(codes, map(str, units["minor_code"]), strict=True))
        groups: dict[str, list[str]] = {}
        for c in codes:
            groups.setdefault(minor[c], []).append(c)
        facts = _UnitFacts(
            ev=ev,
            minor=minor,
            groups={g: tuple(cs) for g, cs in groups.items()},
            title=dict(zip(codes, map(str, units["title"]), strict=True)),
            employment=dict(zip(codes, map(_num, units["employment"]), strict=True)),
            wage=dict(zip(codes, map(_num, units["annual_median_wage"]), strict=True)),
        )
        _FACTS[ev] = facts
    return facts


_FACTS: weakref.WeakKeyDictionary[Evidence, _UnitFacts] = weakref.WeakKeyDictionary()


def skills_to_learn(
    cat: Catalog,
    subject: str | Role | Subject,
    *,
    method: str = CONSENSUS,
    move_to: str | None = None,
    matcher: str = "auto",
) -> SkillsToLearn:
    """Skills, knowledge and hot technologies that rise in the tasks that remain, O*NET's
    emerging tasks, and (with ``move_to``) the gaps to a destination occupation."""
    method = check_method(method)
    model = career_model(cat)
    sub = resolve_subject(cat, subject, matcher=matcher)
    notes = list(sub.notes)
    exposure, used, note = _task_exposure(sub, method)
    if note:
        notes.append(note)
    scored = [t for t in sub.tasks if t.task_id in exposure]
    if len(scored) < len(sub.tasks):
        notes.append(
            f"{len(sub.tasks) - len(scored)} task(s) have no per-task score and are left out "
            "of what remains"
        )
    now, remain = np.zeros(len(model.gwa_col)), np.zeros(len(model.gwa_col))
    for t in scored:
        gwas = [g for g in (model.dwa_gwa.get(d) for d in t.dwas) if g in model.gwa_col]
        for g in gwas:
            now[model.gwa_col[str(g)]] += t.time_share / len(gwas)
            remain[model.gwa_col[str(g)]] += t.time_share * (1 - exposure[t.task_id]) / len(gwas)
    shift = np.zeros_like(now)
    if now.sum() > 0 and remain.sum() > 0:
        shift = remain / remain.sum() - now / now.sum()
    rise = shift @ model.assoc
    ids, names, kinds = model.element_ids, model.element_names, model.element_kinds
    rising = [
        RisingSkill(
            ids[k], names[k], kinds[k], float(rise[k]), float(sub.imp[k]), float(sub.lvl[k])
        )
        for k in np.argsort(-rise, kind="stable")
        if rise[k] > 0 and sub.imp[k] >= RELEVANT
    ]
    gaps: tuple[SkillGap, ...] = ()
    target = None
    if move_to is not None:
        target = cat.resolve(move_to)
        gaps = skill_gaps(model, sub, model.row[target])[1]
    codes = [sub.code] if sub.kind == "occupation" else list(sub.source_codes)
    tech = model.tech[model.tech["code"].isin(codes) & model.tech["hot"]]
    tech = tech.drop_duplicates("technology").sort_values(
        ["in_demand", "technology"], ascending=[False, True]
    )
    emerging = model.emerging[model.emerging["code"].isin(codes)]
    remaining = sorted(scored, key=lambda t: (exposure[t.task_id], -t.time_share, t.task_id))
    order = np.argsort(-shift, kind="stable")
    return SkillsToLearn(
        subject_code=sub.code,
        subject_title=sub.title,
        method=method,
        methods_used=used,
        skills=tuple(r for r in rising if r.kind == "skill")[:SHOWN],
        knowledge=tuple(r for r in rising if r.kind == "knowledge")[:SHOWN],
        rising_activities=tuple(model.gwa_titles[g] for g in order[:5] if shift[g] > 0),
        remaining_tasks=tuple(
            RemainingTask(t.task_id, t.task, t.time_share, exposure[t.task_id])
            for t in remaining[:5]
        ),
        hot_technologies=tuple(
            Technology(str(r.technology), str(r.commodity), bool(r.in_demand))
            for r in tech.head(12).itertuples()
        ),
        emerging_tasks=tuple(
            EmergingTask(str(r.task), str(r.category), _str(r.original_task), _str(r.date))
            for r in emerging.itertuples()
        ),
        move_to=target,
        gaps=gaps,
        skills_source=sub.skills_source,
        notes=tuple(notes),
    )


def _task_exposure(
    sub: Subject, method: str
) -> tuple[dict[int, float], tuple[str, ...], str | None]:
    """Per-task exposure 0-1 (mean over methods with per-task scores), the methods, a note."""
    note = None
    names = [n for n in CONSENSUS_SET if n in REGISTRY] if method == CONSENSUS else [method]
    explained = {n: REGISTRY[n].explain_evidence(sub.evidence, sub.code) for n in names}
    additive = {n: e for n, e in explained.items() if e.additive and e.tasks}
    if not additive and method != CONSENSUS:
        note = f"{method} has no per-task scores; the consensus methods' task scores are used"
        return (*_task_exposure(sub, CONSENSUS)[:2], note)
    sums: dict[int, list[float]] = {}
    for n, e in additive.items():
        lo, hi = REGISTRY[n].score_range
        flip = REGISTRY[n].direction is Direction.RESISTANCE
        for t in e.tasks:
            if t.task_id is None or t.time_share <= 0:
                continue
            x = min(max((t.contribution / t.time_share - lo) / (hi - lo), 0.0), 1.0)
            sums.setdefault(int(t.task_id), []).append(1.0 - x if flip else x)
    return {k: float(np.mean(v)) for k, v in sums.items()}, tuple(additive), note


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def _str(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
