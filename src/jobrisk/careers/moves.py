"""Career moves, filtered in the steps a counsellor takes: viable, desirable, safer.

1. **viable**: similarity (the weighted components of :data:`~jobrisk.careers.model.WEIGHTS`)
   at least ``min_similarity``;
2. **desirable**: the BLS median wage is at least ``min_wage_share`` of the person's, and BLS
   projects openings (2024-34) for it;
3. **safer** (unless ``safer=False``): a strictly lower exposure percentile than the person's on
   ``method`` (``consensus`` = the consensus centre; every method's percentile is turned so that
   higher means more exposed). An occupation with no value on the method is never "safer".

The survivors are ranked by similarity. Each move says why: the similarity components, the
skills both use, the gaps (O*NET level now and level to reach), the tasks that carry over
(shared DWAs), the hot technologies to pick up, the wage and outlook, and every method's change.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from jobrisk.careers.model import (
    IMPORTANT,
    TIER_WEIGHTS,
    WEIGHTS,
    CareerModel,
    career_model,
    similarity,
)
from jobrisk.careers.subject import (
    CONSENSUS,
    Subject,
    check_method,
    population_scores,
    resolve_subject,
    scores_of,
)
from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.jsonready import plain_record
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.roles import Role

DEFAULT_MIN_SIMILARITY = 0.35
DEFAULT_MIN_WAGE_SHARE = 0.9
GAP_MIN = 0.5  # O*NET level points (0-7) below which a difference is not a gap
SHOWN_SKILLS = 8
SHOWN_TASKS = 5
SHOWN_TECH = 6
ATTRIBUTION = (
    "O*NET 30.1 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), CC BY 4.0; modified by jobrisk. Wages: BLS OEWS May 2025; "
    "outlook: BLS Employment Projections 2024-34."
)


@dataclass(frozen=True)
class Component:
    name: str  # skills, knowledge, tasks, related
    value: float  # 0-1
    weight: float
    contribution: float  # value x weight


@dataclass(frozen=True)
class SkillMatch:
    element_id: str
    element: str
    kind: str  # skill or knowledge
    level_now: float  # O*NET level, 0-7
    level_there: float
    importance_there: float  # O*NET importance, 1-5


@dataclass(frozen=True)
class SkillGap:
    element_id: str
    element: str
    kind: str
    level_now: float
    level_to_reach: float
    gap: float  # level_to_reach - level_now
    importance: float  # at the destination, 1-5


@dataclass(frozen=True)
class CarriedTask:
    task_id: int
    task: str
    time_share: float
    shared_activities: tuple[str, ...]  # DWA titles shared with the destination


@dataclass(frozen=True)
class MethodChange:
    method: str
    title: str
    value_now: float | None
    value_there: float | None
    exposure_percentile_now: float | None
    exposure_percentile_there: float | None
    change: float | None  # exposure percentile points, negative = less exposed


@dataclass(frozen=True)
class Move:
    """One suggested move and why."""

    code: str
    title: str
    similarity: float
    components: tuple[Component, ...]
    related_tier: str | None
    job_zone: int | None
    job_zone_now: int | None
    shared_skills: tuple[SkillMatch, ...]
    gaps: tuple[SkillGap, ...]
    carried_tasks: tuple[CarriedTask, ...]
    carried_share: float  # share of the person's time in tasks that share an activity
    technologies_to_learn: tuple[str, ...]
    annual_median_wage: float | None
    wage_share: float | None  # destination wage / the person's
    employment: float | None
    projected_change_pct: float | None
    projected_annual_openings: float | None
    entry_education: str | None
    exposure_now: float | None  # on the chosen method, exposure percentile
    exposure_there: float | None
    changes: tuple[MethodChange, ...]
    why: str

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON values (NaN becomes None)."""
        return plain_record(self)


@dataclass(frozen=True)
class Funnel:
    """How many occupations each step kept (a counsellor's funnel)."""

    compared: int  # occupations with tasks, other than the person's own
    viable: int
    desirable: int
    safer: int | None  # None when safer=False


@dataclass(frozen=True)
class CareerMoves:
    subject_code: str
    subject_title: str
    subject_kind: str  # occupation or role
    method: str
    min_similarity: float
    min_wage_share: float
    safer: bool
    annual_median_wage: float | None
    exposure_now: float | None
    skills_source: str
    weights: tuple[tuple[str, float], ...]
    funnel: Funnel
    moves: tuple[Move, ...]
    notes: tuple[str, ...]
    attribution: str = ATTRIBUTION

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON values (NaN becomes None)."""
        return plain_record(self)


def check_thresholds(min_similarity: float, min_wage_share: float, limit: int) -> None:
    if not isinstance(min_similarity, int | float) or not 0.0 <= min_similarity <= 1.0:
        raise InputError(
            f"min_similarity must be a number from 0 to 1, got {min_similarity!r}",
            hint=f"the default is {DEFAULT_MIN_SIMILARITY}; lower it to see more distant moves",
        )
    if not isinstance(min_wage_share, int | float) or not 0.0 <= min_wage_share <= 10.0:
        raise InputError(
            f"min_wage_share must be a number from 0 to 10, got {min_wage_share!r}",
            hint="a share of the current median wage: 0.9 keeps at least 90%, 0 ignores wages",
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InputError(
            f"limit must be a whole number from 1 to 100, got {limit!r}", hint="e.g. limit=10"
        )


def career_moves(
    cat: Catalog,
    subject: str | Role | Subject,
    *,
    method: str = CONSENSUS,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    min_wage_share: float = DEFAULT_MIN_WAGE_SHARE,
    safer: bool = True,
    limit: int = 10,
    matcher: str = "auto",
) -> CareerMoves:
    """Moves for an occupation (code, SOC code or title) or a custom role.

    >>> moves = career_moves(cat, "15-2051.00")  # doctest: +SKIP
    >>> [(m.title, round(m.similarity, 2)) for m in moves.moves][:1]  # doctest: +SKIP
    """
    method = check_method(method)
    check_thresholds(min_similarity, min_wage_share, limit)
    model = career_model(cat)
    sub = resolve_subject(cat, subject, matcher=matcher)
    comps = model.components_for(sub.imp, sub.lvl, sub.dwa, sub.related)
    sim = similarity(comps)
    units = sub.evidence.population.units  # O*NET units (a role's evidence is its own rows)
    _, pct = population_scores(load_evidence(cat))
    codes = np.array(model.codes)
    candidate = model.has_tasks.copy()
    if sub.row is not None:
        candidate[sub.row] = False
    viable = candidate & (sim >= min_similarity)
    wages = units["annual_median_wage"].reindex(codes).to_numpy(float)
    openings = units["projected_annual_openings"].reindex(codes).to_numpy(float)
    notes = list(sub.notes)
    has_openings = np.nan_to_num(openings) > 0
    if sub.annual_median_wage is None:
        desirable = viable & has_openings
    else:
        desirable = viable & has_openings & (wages >= min_wage_share * sub.annual_median_wage)
    if sub.wage_note:
        notes.append(sub.wage_note)
    there = pct[method].reindex(codes).to_numpy(float)
    now = sub.exposure.get(method)
    keep = desirable
    n_safer: int | None = None
    if safer:
        if now is None:
            notes.append(f"no {method} value for the starting point: no move can be called safer")
            keep = desirable & False
        else:
            keep = desirable & ~np.isnan(there) & (there < now)
        n_safer = int(keep.sum())
    order = sorted(
        np.where(keep)[0], key=lambda j: (-sim[j], np.nan_to_num(there[j], nan=101.0), codes[j])
    )
    moves = tuple(
        _move(cat, model, sub, int(j), comps, float(sim[j]), method) for j in order[:limit]
    )
    if not moves:
        notes.append(
            "no occupation passed every step: lower --min-similarity or --min-wage-share, "
            "or drop the safer step (--not-safer)"
        )
    return CareerMoves(
        subject_code=sub.code,
        subject_title=sub.title,
        subject_kind=sub.kind,
        method=method,
        min_similarity=float(min_similarity),
        min_wage_share=float(min_wage_share),
        safer=safer,
        annual_median_wage=sub.annual_median_wage,
        exposure_now=now,
        skills_source=sub.skills_source,
        weights=tuple(WEIGHTS.items()),
        funnel=Funnel(int(candidate.sum()), int(viable.sum()), int(desirable.sum()), n_safer),
        moves=moves,
        notes=tuple(notes),
    )


def skill_gaps(
    model: CareerModel, sub: Subject, j: int
) -> tuple[tuple[SkillMatch, ...], tuple[SkillGap, ...]]:
    """Skills both use (important at the destination and now), and the gaps to close.

    A gap is an element important at the destination (O*NET importance >= 3) whose O*NET level
    there exceeds the person's by at least :data:`GAP_MIN`; largest importance x gap first.
    """
    ids, names, kinds = model.element_ids, model.element_names, model.element_kinds
    imp_there, lvl_there = model.imp[j], model.lvl[j]
    shared, gaps = [], []
    for k in np.where(imp_there >= IMPORTANT)[0]:
        base = (ids[k], names[k], kinds[k])
        diff = float(lvl_there[k] - sub.lvl[k])
        if diff >= GAP_MIN:
            gaps.append(
                SkillGap(*base, float(sub.lvl[k]), float(lvl_there[k]), diff, float(imp_there[k]))
            )
        elif sub.imp[k] >= IMPORTANT:
            shared.append(
                SkillMatch(*base, float(sub.lvl[k]), float(lvl_there[k]), float(imp_there[k]))
            )
    gaps.sort(key=lambda g: (-g.importance * g.gap, g.element_id))
    shared.sort(key=lambda s: (-s.importance_there * s.level_there, s.element_id))
    return tuple(shared), tuple(gaps)


def _carried(model: CareerModel, sub: Subject, j: int) -> tuple[tuple[CarriedTask, ...], float]:
    there = {model.dwa_ids[k] for k in np.nonzero(model.dwa[j])[0]}
    out = []
    for t in sub.tasks:
        common = [d for d in t.dwas if d in there]
        if common:
            titles = tuple(model.dwa_title.get(d, d) for d in common)
            out.append(CarriedTask(t.task_id, t.task, t.time_share, titles))
    out.sort(key=lambda c: (-c.time_share, c.task_id))
    return tuple(out), float(sum(c.time_share for c in out))


def _changes(sub: Subject, code: str, cat: Catalog) -> tuple[MethodChange, ...]:
    values, pct = scores_of(load_evidence(cat), code)
    out = []
    for name in [CONSENSUS, *REGISTRY]:
        p_now, p_there = sub.exposure.get(name), pct.get(name)
        v_now = p_now if name == CONSENSUS else sub.values.get(name)
        v_there = p_there if name == CONSENSUS else values.get(name)
        title = (
            "Consensus (mean exposure percentile)" if name == CONSENSUS else REGISTRY[name].title
        )
        change = None if p_now is None or p_there is None else p_there - p_now
        out.append(MethodChange(name, title, v_now, v_there, p_now, p_there, change))
    return tuple(out)


def _move(
    cat: Catalog,
    model: CareerModel,
    sub: Subject,
    j: int,
    comps: dict[str, np.ndarray],
    sim: float,
    method: str,
) -> Move:
    code = model.codes[j]
    unit = load_evidence(cat).units.loc[code]
    shared, gaps = skill_gaps(model, sub, j)
    carried, carried_share = _carried(model, sub, j)
    have: set[str] = set()
    for c in (sub.code, *sub.source_codes):
        have |= model.all_tech.get(c, frozenset())
    to_learn = tuple(t for t in model.hot_tech.get(code, ()) if t not in have)[:SHOWN_TECH]
    wage = _num(unit["annual_median_wage"])
    share = None if wage is None or not sub.annual_median_wage else wage / sub.annual_median_wage
    changes = _changes(sub, code, cat)
    chosen = next(c for c in changes if c.method == method)
    tier = _tier(model, sub, code)
    components = tuple(
        Component(c, float(comps[c][j]), w, float(comps[c][j]) * w) for c, w in WEIGHTS.items()
    )
    move = Move(
        code=code,
        title=str(unit["title"]),
        similarity=sim,
        components=components,
        related_tier=tier,
        job_zone=_int(unit["job_zone"]),
        job_zone_now=_int(sub.evidence.units.at[sub.code, "job_zone"]),
        shared_skills=shared[:SHOWN_SKILLS],
        gaps=gaps[:SHOWN_SKILLS],
        carried_tasks=carried[:SHOWN_TASKS],
        carried_share=carried_share,
        technologies_to_learn=to_learn,
        annual_median_wage=wage,
        wage_share=share,
        employment=_num(unit["employment"]),
        projected_change_pct=_num(unit["projected_change_pct_2024_34"]),
        projected_annual_openings=_num(unit["projected_annual_openings"]),
        entry_education=None if unit["entry_education"] is None else str(unit["entry_education"]),
        exposure_now=chosen.exposure_percentile_now,
        exposure_there=chosen.exposure_percentile_there,
        changes=changes,
        why="",
    )
    return dataclasses.replace(move, why=_why(move, len(shared), method))


def _tier(model: CareerModel, sub: Subject, code: str) -> str | None:
    sources = [sub.code] if sub.row is not None else list(sub.source_codes)
    tiers = [model.related_tier.get((s, code)) for s in sources]
    found = [t for t in tiers if t is not None]
    if code in sources:
        return "matched by the role's tasks"
    return min(found, key=lambda t: -TIER_WEIGHTS[t]) if found else None


def _why(m: Move, n_shared: int, method: str) -> str:
    parts = [f"similarity {m.similarity:.2f}"]
    if m.related_tier and m.related_tier in TIER_WEIGHTS:
        parts.append(f"O*NET lists it as related ({m.related_tier})")
    parts.append(f"{n_shared} important skills and knowledge areas in common")
    if m.carried_tasks:
        parts.append(f"tasks worth {m.carried_share:.0%} of the time carry over")
    if m.gaps:
        g = m.gaps[0]
        parts.append(
            f"biggest gap: {g.element} (level {g.level_now:.1f} -> {g.level_to_reach:.1f})"
        )
    if m.job_zone is not None and m.job_zone_now is not None and m.job_zone > m.job_zone_now:
        parts.append(f"needs more preparation (O*NET job zone {m.job_zone}, now {m.job_zone_now})")
    if m.wage_share is not None:
        parts.append(f"pays {m.wage_share:.0%} of the current median wage")
    if m.exposure_now is not None and m.exposure_there is not None:
        delta = m.exposure_there - m.exposure_now
        word = "less" if delta < 0 else "more"
        parts.append(f"{abs(delta):.0f} percentile points {word} exposed ({method})")
    return "; ".join(parts) + "."


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v: Any) -> int | None:
    f = _num(v)
    return None if f is None else int(f)
