"""A custom role's tasks -> matched O*NET tasks -> the evidence every method reads.

Each task is matched to O*NET 30.1 statements (:mod:`jobrisk.matching`). Then:

- **matched** (match confidence at or above the floor): the task carries its closest O*NET
  task's evidence (E-labels, automation level, observed use, penetration, Microsoft IWA
  terms, physical flag);
- **predicted** (no close twin, but the label model is confident enough): the task gets the
  predicted E-label and automation level, and nothing else (no observed use is invented);
- **unmatched** (neither): shown, not scored; the other tasks' shares are renormalized and the
  role says how much time was left out.

The role becomes a unit of ``kind == "role"``: :func:`role_subject` holds its rows alone with
the O*NET evidence as the reference (what :func:`jobrisk.api.assess` scores, fast), and
:func:`role_evidence` appends them to the O*NET evidence (the slow path every method scores as
it scores an occupation; tests check that both give the same values). Occupation-level measures
(AIOE, Frey-Osborne, ...) and O*NET skills reach the role as time-weighted means over the
occupations of its matched tasks, marked ``via matched tasks``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd

from jobrisk.matching.base import Candidate, Matcher
from jobrisk.methods.evidence import Evidence
from jobrisk.roles import Role

MATCHED, PREDICTED, UNMATCHED = "matched", "predicted", "unmatched"
TWIN_SIGNALS = (
    "human_e",
    "gpt4_e",
    "human_t",
    "gpt4_t",
    "penetration",
    "physical",
    "task_applicability",
    "task_completion",
    "n_iwas",
)


@dataclass(frozen=True)
class LabelGuess:
    """A label model's answer for one text."""

    e_label: str
    e_confidence: float
    t_label: str | None
    t_confidence: float | None


class Labeler(Protocol):
    """Labels from text; ``found`` are the matcher's candidates for the same texts (at least
    ``twin_k`` each when the matcher has them), so the twins need no second search."""

    @property
    def twin_k(self) -> int: ...

    def guess(
        self, texts: Sequence[str], found: Sequence[Sequence[Candidate]]
    ) -> list[LabelGuess]: ...


@dataclass(frozen=True)
class MatchPolicy:
    """The floors that decide matched / predicted / unmatched (see docs/roles.md)."""

    match_floor: float
    label_floor: float
    k: int = 5


@dataclass(frozen=True)
class TaskMatch:
    """One role task and what it was matched to."""

    index: int  # 1-based position in the role
    text: str
    share: float  # percent of time as given (or the equal share)
    status: str  # matched / predicted / unmatched
    best: Candidate | None
    confidence: float  # match confidence 0-1 of the best candidate
    alternatives: tuple[Candidate, ...]
    e_label: str | None
    t_label: str | None
    label_source: str  # "O*NET twin (human label)", "predicted", "none"
    label_confidence: float | None


def match_tasks(
    role: Role,
    matcher: Matcher,
    confidence: Callable[[float], float],
    labeler: Labeler | None,
    policy: MatchPolicy,
    twin_labels: Callable[[str, int], tuple[str | None, str | None]],
) -> tuple[TaskMatch, ...]:
    """Match every task, then label it from its twin, from the model, or not at all."""
    return match_roles([role], matcher, confidence, labeler, policy, twin_labels)[0]


def match_roles(
    roles: Sequence[Role],
    matcher: Matcher,
    confidence: Callable[[float], float],
    labeler: Labeler | None,
    policy: MatchPolicy,
    twin_labels: Callable[[str, int], tuple[str | None, str | None]],
) -> list[tuple[TaskMatch, ...]]:
    """:func:`match_tasks` for several roles with one search (one embedding batch) for all of
    their tasks; each role's matches are what it gets alone."""
    # every task with its role's position and its own position (1-based) in that role
    tasks = [(r, i, t) for r, role in enumerate(roles) for i, t in enumerate(role.tasks, 1)]
    texts = [t.text for _, _, t in tasks]
    # one search serves the matches (k) and the label model's twins (twin_k)
    found = matcher.search(texts, k=max(policy.k, labeler.twin_k if labeler else 0))
    bests = [cands[0] if cands else None for cands in found]
    confs = [confidence(b.similarity) if b else 0.0 for b in bests]
    twins = [twin_labels(b.code, b.task_id) if b else (None, None) for b in bests]
    matched = [
        b is not None and c >= policy.match_floor and tw[0] is not None
        for b, c, tw in zip(bests, confs, twins, strict=True)
    ]
    # the label model only reads the tasks no twin labels
    guesses: list[LabelGuess | None] = [None] * len(texts)
    rest = [i for i, m in enumerate(matched) if not m]
    if labeler is not None and rest:
        for i, g in zip(
            rest, labeler.guess([texts[i] for i in rest], [found[i] for i in rest]), strict=True
        ):
            guesses[i] = g
    per_role: list[list[TaskMatch]] = [[] for _ in roles]
    for j, (r, index, task) in enumerate(tasks):
        cands, guess, best, conf = found[j], guesses[j], bests[j], confs[j]
        e_label, t_label = twins[j]
        if matched[j]:
            status, source, label_conf = MATCHED, "O*NET twin (human label)", conf
        elif guess is not None and guess.e_confidence >= policy.label_floor:
            status, source, label_conf = PREDICTED, "predicted", guess.e_confidence
            e_label, t_label = guess.e_label, guess.t_label
        else:
            status, source, label_conf = UNMATCHED, "none", None
            e_label = t_label = None
        per_role[r].append(
            TaskMatch(
                index=index,
                text=task.text,
                share=task.share,
                status=status,
                best=best,
                confidence=conf,
                alternatives=tuple(cands[1 : policy.k]),
                e_label=e_label,
                t_label=t_label,
                label_source=source,
                label_confidence=label_conf,
            )
        )
    return [tuple(matches) for matches in per_role]


def _column_like(values: list[object], dtype: Any) -> Any:
    """``values`` in the template column's ``dtype`` where it holds them, so a role's own rows
    read as the O*NET rows do, alone or appended to them: a numpy int column with a gap
    becomes float, a boolean gap False, text is left to the frame constructor."""
    if dtype is None:
        return values  # the constructor infers, as for a frame built from rows
    nullable = isinstance(dtype, pd.api.extensions.ExtensionDtype)
    if dtype.kind in "if":
        numbers = [_number(v) for v in values]
        if not nullable and any(x != x for x in numbers):
            return np.array(numbers, dtype=float)
        if nullable:
            return pd.array([None if x != x else x for x in numbers], dtype=dtype)
        return np.array(numbers, dtype=dtype)
    if dtype.kind == "b":
        flags = [False if v is None or v != v else bool(v) for v in values]
        return pd.array(flags, dtype=dtype) if nullable else np.array(flags, dtype=bool)
    return values  # text: inferred as a frame built from rows would be


def _number(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _frame_like(
    columns: dict[str, list[object]], template: pd.DataFrame, index: pd.Index | None = None
) -> pd.DataFrame:
    """A frame of ``columns`` (name -> plain values) with ``template``'s dtypes where they hold
    the values (:func:`_column_like`); converting plain values column by column costs a tenth
    of building a frame of a role's few rows and then converting its columns."""
    dtypes = template.dtypes.to_dict()
    data = {c: _column_like(v, dtypes.get(c)) for c, v in columns.items()}
    return pd.DataFrame(data, index=index)


_TWINS: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, int], dict[str, object]]] = (
    weakref.WeakKeyDictionary()
)


def _twin_signals(base: Evidence) -> dict[tuple[str, int], dict[str, object]]:
    """Each O*NET task's :data:`TWIN_SIGNALS` (first row per code and task), once per evidence."""
    if base not in _TWINS:
        cols = [c for c in TWIN_SIGNALS if c in base.tasks.columns]
        first = base.tasks.drop_duplicates(["code", "task_id"])
        values = zip(*(first[c].tolist() for c in cols), strict=True)
        _TWINS[base] = {
            (str(code), int(tid)): dict(zip(cols, row, strict=True))
            for code, tid, row in zip(first["code"], first["task_id"], values, strict=True)
        }
    return _TWINS[base]


_USAGE_ROWS: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, int], np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def _usage_positions(base: Evidence) -> dict[tuple[str, int], np.ndarray]:
    """The positions in ``base.usage`` of each O*NET task's rows, once per evidence."""
    if base not in _USAGE_ROWS:
        u = base.usage
        known = u["task_id"].notna().to_numpy()
        codes = u["code"].to_numpy()[known]
        tids = u["task_id"].to_numpy(dtype=float, na_value=np.nan)[known].astype(np.int64)
        positions = np.flatnonzero(known)
        groups: dict[tuple[str, int], list[int]] = {}
        for code, tid, pos in zip(codes.tolist(), tids.tolist(), positions.tolist(), strict=True):
            groups.setdefault((str(code), int(tid)), []).append(pos)
        _USAGE_ROWS[base] = {k: np.array(v) for k, v in groups.items()}
    return _USAGE_ROWS[base]


@dataclass(frozen=True)
class _Table:
    """One frame of an evidence as plain arrays, for :func:`_weighted_by_occupation`."""

    rows: dict[str, np.ndarray]  # code -> positions of its rows
    keys: dict[str, tuple[np.ndarray, Any]]  # key column -> (sorted factorization codes, column)
    values: dict[str, np.ndarray]  # value column -> floats, missing as NaN


_TABLES: weakref.WeakKeyDictionary[Evidence, dict[tuple[str, ...], _Table]] = (
    weakref.WeakKeyDictionary()
)


def _table(base: Evidence, frame: str, keys: list[str], values: list[str]) -> _Table:
    """``base.<frame>``'s rows per code, keys and values, once per evidence and frame."""
    memo = _TABLES.setdefault(base, {})
    name = (frame, *keys, "|", *values)
    if name not in memo:
        data: pd.DataFrame = getattr(base, frame)
        memo[name] = _Table(
            rows=base.positions_by_code(frame),
            keys={k: (pd.factorize(data[k], sort=True)[0], data[k].array) for k in keys},
            values={v: data[v].to_numpy(dtype=float, na_value=np.nan) for v in values},
        )
    return memo[name]


def _weighted_by_occupation(
    base: Evidence,
    frame: str,
    weights: Sequence[dict[str, float]],
    keys: list[str],
    values: list[str],
) -> tuple[dict[str, Any], np.ndarray]:
    """Per role (``weights[r]``: occupation -> weight), the weighted mean of ``values`` per
    ``keys`` over the rows of ``base.<frame>`` of its occupations (columns of plain arrays);
    and each row's role.

    Rows come out by role, then sorted by ``keys``, rows with a missing key dropped, as a pandas
    ``groupby(keys).sum()`` per role gives them. The sums are ``np.bincount``s: each group adds
    its rows in row order (the role's occupations in code order), whatever the other roles, so
    a role gets the same means alone or in a batch.
    """
    table = _table(base, frame, keys, values)
    positions, weight, role = [], [], []
    for r, w in enumerate(weights):
        for code in sorted(w):
            at = table.rows.get(code)
            if at is not None:
                positions.append(at)
                weight.append(np.full(len(at), w[code]))
                role.append(np.full(len(at), r))
    rows = np.concatenate(positions) if positions else np.zeros(0, dtype=np.intp)
    w_all = np.concatenate(weight) if weight else np.zeros(0)
    r_all = np.concatenate(role) if role else np.zeros(0, dtype=np.intp)
    codes = [table.keys[k][0][rows] for k in keys]
    known = np.logical_and.reduce([c >= 0 for c in codes])
    rows, w_all, r_all = rows[known], w_all[known], r_all[known]
    # the codes of a sorted factorization of the whole frame order the keys as one of the
    # selected rows would, so the groups (and their order) are the same
    flat = np.ravel_multi_index(
        [r_all] + [c[known] for c in codes],
        [max(len(weights), 1)] + [max(int(table.keys[k][0].max(initial=0)) + 1, 1) for k in keys],
    )
    _, first, group = np.unique(flat, return_index=True, return_inverse=True)
    out: dict[str, Any] = {k: table.keys[k][1].take(rows[first]) for k in keys}
    for v in values:
        x = table.values[v][rows]
        # float even for no rows (bincount gives integers then)
        num = np.bincount(group, weights=np.where(np.isnan(x), 0.0, x * w_all)).astype(float)
        den = np.bincount(group, weights=np.where(np.isnan(x), 0.0, w_all)).astype(float)
        out[v] = np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0)
    return out, r_all[first]


def role_evidence(base: Evidence, role: Role, matches: Sequence[TaskMatch], code: str) -> Evidence:
    """The O*NET evidence with the role appended as one more unit (``kind == "role"``).

    Every method then recomputes every occupation (seconds); :func:`role_subject` gives the
    role's values without that, and this slow path is kept to check it gives the same ones.
    """
    own = role_subject(base, role, matches, code)
    return Evidence(
        units=pd.concat([base.units, own.units]),
        tasks=pd.concat([base.tasks, own.tasks], ignore_index=True),
        labels=pd.concat([base.labels, own.labels], ignore_index=True),
        usage=pd.concat([base.usage, own.usage], ignore_index=True),
        releases=base.releases,
        measures=pd.concat([base.measures, own.measures], ignore_index=True),
        skills=pd.concat([base.skills, own.skills], ignore_index=True),
    )


def role_subject(base: Evidence, role: Role, matches: Sequence[TaskMatch], code: str) -> Evidence:
    """The role's own rows, with ``base`` (the O*NET evidence) as their reference population."""
    return roles_subject(base, [(role, matches, code)])


def roles_subject(
    base: Evidence, subjects: Sequence[tuple[Role, Sequence[TaskMatch], str]]
) -> Evidence:
    """Several roles' own rows in one evidence (``(role, matches, code)`` each, codes distinct),
    with ``base`` as their reference: every method then scores them all in one pass. Each
    frame is built once for all of them; a role's rows are what it gets alone."""
    codes = [code for _, _, code in subjects]
    if len(set(codes)) < len(codes):
        raise ValueError(f"role codes must be distinct in one evidence: {codes}")
    twins = _twin_signals(base)
    usage_rows = _usage_positions(base)
    task_cols: dict[str, list[object]] = {c: [] for c in base.tasks.columns}
    usage_at, usage_code, usage_task = [], [], []
    weights: list[dict[str, float]] = []
    for role, matches, code in subjects:
        scored = [m for m in matches if m.status != UNMATCHED]
        total = sum(m.share for m in scored)
        occ: dict[str, float] = {}
        for m in scored:
            matched = m.status == MATCHED and m.best is not None
            key = (m.best.code, int(m.best.task_id)) if matched and m.best is not None else None
            row: dict[str, object] = dict(
                code=code,
                task_id=-m.index,
                task=m.text,
                task_type="Core",
                time_share=m.share / total,
                time_weight=m.share,
                weight_source="given" if role.shares_given else "equal shares",
                core_weight=1.0,
                origin=m.status,
                confidence=m.label_confidence,
                physical=False,
                n_iwas=0,
            )
            twin = twins.get(key) if key is not None else None
            if twin is not None:
                row.update(twin)
            else:
                row.update(human_e=m.e_label, gpt4_e=None, human_t=None, gpt4_t=m.t_label)
            for c, values in task_cols.items():
                values.append(row.get(c))
            if key is not None:
                at = usage_rows.get(key)
                if at is not None:
                    usage_at.append(at)
                    usage_code += [code] * len(at)
                    usage_task += [-m.index] * len(at)
                occ[key[0]] = occ.get(key[0], 0.0) + m.share
        weights.append(occ)
    tasks = _frame_like(task_cols, base.tasks)
    n = len(task_cols["code"])
    label_cols: dict[str, list[object]] = {
        "code": task_cols["code"],
        "src_task_id": task_cols["task_id"],
        "task": task_cols["task"],
        "task_type": ["Core"] * n,
        "core_weight": task_cols["time_share"],  # a role's tasks are weighted by time
        "human_e": task_cols["human_e"],
        "gpt4_e": task_cols["gpt4_e"],
        "human_t": task_cols["human_t"],
        "gpt4_t": task_cols["gpt4_t"],
        "task_id": task_cols["task_id"],
        "rating_weight": task_cols["time_share"],
    }
    labels = _frame_like({c: label_cols[c] for c in base.labels.columns}, base.labels)
    if usage_at:
        at = np.concatenate(usage_at)
        own_usage = {
            "code": pd.array(usage_code, dtype="str"),
            "task_id": np.array(usage_task, dtype=np.int64),
        }
        usage = pd.DataFrame(
            {
                c: own_usage[c] if c in own_usage else base.usage[c].array.take(at)
                for c in base.usage.columns
            }
        )
    else:
        usage = base.usage.iloc[:0].reset_index(drop=True)
    role_codes = np.array(codes, dtype=object)
    m_cols, m_role = _weighted_by_occupation(base, "measures", weights, ["measure"], ["value"])
    n_m = len(m_role)
    sources = _measure_sources(base)
    m_cols.update(
        code=pd.array(role_codes[m_role], dtype="str"),
        match_quality=pd.array(["via matched tasks"] * n_m, dtype="str"),
        n_source_codes=np.array([len(w) for w in weights], dtype=np.int64)[m_role],
        source_codes=pd.array(
            np.array([",".join(w) for w in weights], dtype=object)[m_role], dtype="str"
        ),
        source_id=pd.array(
            np.array([sources.get(m) for m in m_cols["measure"]], dtype=object), dtype="str"
        ),
        source_taxonomy=pd.array(["O*NET-SOC 2019 (matched tasks)"] * n_m, dtype="str"),
    )
    measures = pd.DataFrame({c: m_cols.get(c, np.full(n_m, np.nan)) for c in base.measures.columns})
    s_cols, s_role = _weighted_by_occupation(
        base, "skills", weights, ["kind", "element_id", "element"], ["importance", "level"]
    )
    s_cols["code"] = pd.array(role_codes[s_role], dtype="str")
    skills = pd.DataFrame({c: s_cols[c] for c in base.skills.columns})
    return Evidence(
        units=_role_units(base, subjects, weights),
        tasks=tasks,
        labels=labels,
        usage=usage,
        releases=base.releases,
        measures=measures,
        skills=skills,
        reference=base,
    )


_SOURCES: weakref.WeakKeyDictionary[Evidence, dict[str, object]] = weakref.WeakKeyDictionary()


def _measure_sources(base: Evidence) -> dict[str, object]:
    """Each measure's source id (the first row's), once per evidence."""
    if base not in _SOURCES:
        first = base.measures.drop_duplicates("measure")
        _SOURCES[base] = dict(zip(first["measure"], first["source_id"], strict=True))
    return _SOURCES[base]


_UNIT_LINKS: weakref.WeakKeyDictionary[Evidence, tuple[dict[str, float], dict[str, bool]]] = (
    weakref.WeakKeyDictionary()
)


def _unit_links(base: Evidence) -> tuple[dict[str, float], dict[str, bool]]:
    """Each occupation's job zone and usage link, once per evidence."""
    if base not in _UNIT_LINKS:
        _UNIT_LINKS[base] = cast(
            tuple[dict[str, float], dict[str, bool]],
            (
                base.units["job_zone"].astype(float).to_dict(),
                base.units["usage_linked"].fillna(False).to_dict(),
            ),
        )
    return _UNIT_LINKS[base]


def _role_units(
    base: Evidence,
    subjects: Sequence[tuple[Role, Sequence[TaskMatch], str]],
    weights: Sequence[dict[str, float]],
) -> pd.DataFrame:
    """One unit row per role: job zone and usage link from its matched occupations."""
    zone_of, linked_of = _unit_links(base)
    rows: dict[str, list[object]] = {c: [] for c in base.units.columns}
    rows["matched_code"] = []
    for (role, _, _), occ in zip(subjects, weights, strict=True):
        w = np.array(list(occ.values()), dtype=float)
        zones = np.array([zone_of.get(c, np.nan) for c in occ], dtype=float)
        known = ~np.isnan(zones)
        row: dict[str, object] = {c: None for c in rows}
        row.update(
            title=role.title,
            kind="role",
            has_tasks=True,
            job_zone=int(np.round((zones[known] * w[known]).sum() / w[known].sum()))
            if known.any()
            else None,
            hourly_median_wage=role.hourly_wage,
            annual_median_wage=None if role.hourly_wage is None else role.hourly_wage * 2080,
            wage_topcoded=False,
            usage_linked=any(bool(linked_of.get(c, False)) for c in occ),
            matched_code=max(occ, key=lambda c: occ[c]) if occ else None,
        )
        for c, values in rows.items():
            values.append(row[c])
    index = pd.Index([code for _, _, code in subjects], name=base.units.index.name)
    return _frame_like(rows, base.units, index=index)
