"""The person's starting point: an O*NET occupation or a custom role, as careers sees it.

A :class:`Subject` carries the same vectors as an occupation row of
:class:`~jobrisk.careers.model.CareerModel` (skills, DWAs, related occupations), its wage, its
tasks with their DWAs, and every method's value and exposure percentile. A role gets them from
its matched tasks: skills and related occupations as time-weighted means over the occupations
of its matched tasks, DWAs from each matched O*NET task, weighted by the role's time shares.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jobrisk.careers.model import Array, career_model
from jobrisk.catalog import Catalog
from jobrisk.consensus import CONSENSUS_SET, population
from jobrisk.errors import DataError, InputError, UnknownMethodError
from jobrisk.methods import REGISTRY, get_method, load_evidence
from jobrisk.methods.evidence import Evidence
from jobrisk.roles import Role

CONSENSUS = "consensus"


@dataclass(frozen=True)
class SubjectTask:
    task_id: int
    task: str
    time_share: float
    dwas: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Subject:
    code: str
    title: str
    kind: str  # "occupation" or "role"
    row: int | None  # the occupation's own row in the model (excluded from moves)
    imp: Array
    lvl: Array
    skills_source: str  # "O*NET ratings", or how the profile was estimated
    dwa: Array
    related: Array
    annual_median_wage: float | None
    wage_note: str | None
    tasks: tuple[SubjectTask, ...]
    values: dict[str, float | None]  # method -> value
    exposure: dict[str, float | None]  # method (and "consensus") -> exposure percentile
    evidence: Evidence
    source_codes: tuple[str, ...]  # a role's matched occupations
    notes: tuple[str, ...]


def check_method(method: str) -> str:
    """``consensus`` or a registered method name (else an UnknownMethodError)."""
    if method == CONSENSUS:
        return method
    try:
        return get_method(method).name
    except UnknownMethodError:
        raise UnknownMethodError(method, [CONSENSUS, *sorted(REGISTRY)]) from None


def population_scores(ev: Evidence) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and exposure percentiles (code x method, plus a ``consensus`` column)."""
    cached = _SCORES.get(ev)
    if cached is None:
        pop = population(ev)
        pct = pop.percentiles.copy()
        in_set = [n for n in CONSENSUS_SET if n in pct.columns]
        # the same mean over the consensus set that consensus_for takes, for every unit at once
        pct[CONSENSUS] = pct[in_set].mean(axis=1, skipna=True)
        cached = (pop.values, pct)
        _SCORES[ev] = cached
    return cached


_SCORES: weakref.WeakKeyDictionary[Evidence, tuple[pd.DataFrame, pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)


def scores_of(ev: Evidence, code: str) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """One unit's values and exposure percentiles by method (cached per evidence and code)."""
    rows = _ROWS.setdefault(ev, {})
    if code not in rows:
        values, pct = population_scores(ev)
        rows[code] = (
            {str(k): _opt(v) for k, v in values.loc[code].items()},
            {str(k): _opt(v) for k, v in pct.loc[code].items()},
        )
    return rows[code]


_ROWS: weakref.WeakKeyDictionary[
    Evidence, dict[str, tuple[dict[str, float | None], dict[str, float | None]]]
] = weakref.WeakKeyDictionary()


def _opt(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def resolve_subject(
    cat: Catalog, subject: str | Role | Subject, *, matcher: str = "auto"
) -> Subject:
    """The subject of a careers question: an occupation query or a :class:`Role` (a resolved
    :class:`Subject` passes through, so one role is matched once for several questions)."""
    if isinstance(subject, Subject):
        return subject
    if isinstance(subject, Role):
        return _role_subject(cat, subject, matcher)
    if not isinstance(subject, str):
        raise InputError(
            f"a careers subject is an occupation code or title, or a role; got {type(subject).__name__}",
            hint="e.g. 15-2051.00, or a role file loaded with jobrisk.roles.load_role",
        )
    return _occupation_subject(cat, cat.resolve(subject))


def _occupation_subject(cat: Catalog, code: str) -> Subject:
    model = career_model(cat)
    i = model.row[code]
    occ = cat.occupation(code)
    if not model.has_tasks[i]:
        raise DataError(
            f"O*NET 30.1 has no tasks for {occ.title} ({code}), so its work cannot be compared",
            hint="try a more specific occupation: `jobrisk list "
            f"{occ.broad_code or occ.minor_code or occ.major_code}`",
        )
    ev = load_evidence(cat)
    values, exposure = scores_of(ev, code)
    notes = []
    if model.has_skills[i]:
        source = "O*NET ratings"
    else:
        used = model.skills_estimated_from[code]
        source = (
            "estimated: O*NET 30.1 has not rated this occupation's skills; taken from the "
            f"{len(used)} rated occupations whose tasks share the most work ({', '.join(used)})"
        )
        notes.append(f"skills {source}")
    wage, wage_note = occ.annual_median_wage, None
    if wage is None:
        wage_note = "no BLS median wage (top-coded or not published): the wage step is skipped"
    rows = ev.rows_of("tasks", code)
    tasks = tuple(
        SubjectTask(int(i), str(text), float(share), model.task_dwas.get((code, int(i)), ()))
        for i, text, share in zip(rows["task_id"], rows["task"], rows["time_share"], strict=True)
    )
    return Subject(
        code=code,
        title=occ.title,
        kind="occupation",
        row=i,
        imp=model.imp[i],
        lvl=model.lvl[i],
        skills_source=source,
        dwa=model.dwa[i],
        related=model.related[i],
        annual_median_wage=wage,
        wage_note=wage_note,
        tasks=tasks,
        values=values,
        exposure=exposure,
        evidence=ev,
        source_codes=(),
        notes=tuple(notes),
    )


def _role_subject(cat: Catalog, role: Role, matcher: str) -> Subject:
    from jobrisk.matching.service import role_matching
    from jobrisk.role_evidence import MATCHED, UNMATCHED, match_tasks, role_subject

    model = career_model(cat)
    setup = role_matching(cat, matcher)
    base = load_evidence(cat)
    matches = match_tasks(
        role, setup.matcher, setup.confidence, setup.labeler, setup.policy, setup.twin_labels
    )
    twins = [m for m in matches if m.status == MATCHED and m.best is not None]
    if not twins:
        raise InputError(
            "none of the role's tasks matched an O*NET task closely enough to compare careers",
            hint="see the matches with `jobrisk assess ROLE_FILE`; describe each task in plain "
            "English, one duty each (e.g. 'Prepare monthly financial reports'), or build the "
            "semantic matcher's embeddings (`jobrisk build --embeddings`)",
        )
    code = f"role:{role.slug}"
    # the role's own rows among the memoized O*NET population (not every method recomputed)
    role_ev = role_subject(base, role, matches, code)
    total = sum(m.share for m in twins)
    dwa = np.zeros(len(model.dwa_ids))
    dcol = {d: j for j, d in enumerate(model.dwa_ids)}
    occ_weight: dict[str, float] = {}
    tasks = []
    for m in twins:
        assert m.best is not None
        share = m.share / total
        occ_weight[m.best.code] = occ_weight.get(m.best.code, 0.0) + share
        dwas = model.task_dwas.get((m.best.code, m.best.task_id), ())
        for d in dwas:
            dwa[dcol[d]] += share / len(dwas)
        tasks.append(SubjectTask(-m.index, m.text, share, dwas))
    rows = np.array([model.row[c] for c in occ_weight])
    w = np.array(list(occ_weight.values()))
    rated = model.has_skills[rows] | np.array(
        [c in model.skills_estimated_from for c in occ_weight]
    )
    if not rated.any():
        raise DataError("none of the occupations the role's tasks matched has O*NET skills")
    ws = w[rated] / w[rated].sum()
    imp, lvl = ws @ model.imp[rows[rated]], ws @ model.lvl[rows[rated]]
    # a matched occupation is fully related to itself; its O*NET related list adds the rest
    related = w @ model.related[rows]
    related[rows] += w
    values, exposure = scores_of(role_ev, code)
    notes = list(role.warnings)
    left = [m for m in matches if m.status != MATCHED]
    if left:
        notes.append(
            f"{len(left)} task(s) without a close O*NET twin ({sum(m.share for m in left):.0f}% "
            "of the time) carry no skills or work activities into the comparison"
            + ("" if all(m.status == UNMATCHED for m in left) else " (their exposure is scored)")
        )
    wage, wage_note = role.hourly_wage, None
    annual: float | None = None if wage is None else wage * 2080
    if annual is None:
        wages = pd.Series(
            [cat.occupation(c).annual_median_wage for c in occ_weight], index=list(occ_weight)
        ).astype(float)
        ok = wages.notna()
        if ok.any():
            annual = float((wages[ok] * w[ok.to_numpy()]).sum() / w[ok.to_numpy()].sum())
            wage_note = (
                "no wage given: the role's wage is the time-weighted median wage of its matched "
                "occupations (give hourly_wage in the role file to use your own)"
            )
        else:
            wage_note = (
                "no wage given and none known for the matched occupations: wage step skipped"
            )
    return Subject(
        code=code,
        title=role.title,
        kind="role",
        row=None,
        imp=imp,
        lvl=lvl,
        skills_source="time-weighted O*NET ratings of the occupations its tasks matched",
        dwa=dwa,
        related=related,
        annual_median_wage=annual,
        wage_note=wage_note,
        tasks=tuple(tasks),
        values=values,
        exposure=exposure,
        evidence=role_ev,
        source_codes=tuple(occ_weight),
        notes=tuple(notes),
    )
