"""The arrays careers are computed from, read once per catalog and cached.

Everything here is O*NET 30.1 (CC BY 4.0) joined on the O*NET-SOC code:

- ``imp`` / ``lvl``: occupation x element importance (1-5) and level (0-7) for the 35 skills
  and 33 knowledge areas; the similarity vectors are importance x level, centred on the mean
  over occupations (so that what every job needs, e.g. Speaking, does not make all jobs alike);
- ``dwa``: occupation x Detailed Work Activity time share (each task's time share split evenly
  over its DWAs), the task-overlap vectors;
- ``related``: O*NET's Related Occupations, as a tier weight (:data:`TIER_WEIGHTS`);
- ``gwa``: occupation x Generalized Work Activity time share (through the DWAs), and
  ``assoc``, the correlation over occupations between each activity's share and each skill's
  importance x level, which links tasks (and so the tasks that remain) to skills.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.evidence import Queryable

Array = npt.NDArray[np.float64]

# The similarity of two occupations is a weighted sum of these components, each in [0, 1].
WEIGHTS: dict[str, float] = {"skills": 0.35, "knowledge": 0.15, "tasks": 0.30, "related": 0.20}
# O*NET Related Occupations tiers (ranks 1-5, 6-10, 11-20), as the related component.
TIER_WEIGHTS: dict[str, float] = {"Primary-Short": 1.0, "Primary-Long": 0.7, "Supplemental": 0.4}
ESTIMATE_FROM = 10  # rated occupations an unrated one borrows its skills from
IMPORTANT = 3.0  # O*NET importance at or above "important" (3 on the 1-5 scale)


@dataclass(frozen=True, eq=False)
class CareerModel:
    """Occupation arrays in one row order (``codes``); see the module docstring."""

    codes: tuple[str, ...]
    row: dict[str, int]
    elements: pd.DataFrame  # element_id, element, kind; column order of imp / lvl
    is_skill: npt.NDArray[np.bool_]  # per element: a skill (else a knowledge area)
    imp: Array
    lvl: Array
    has_skills: npt.NDArray[np.bool_]  # O*NET rated the occupation's skills
    skills_estimated_from: dict[str, tuple[str, ...]]  # unrated code -> the rated codes used
    skill_mean: Array  # mean importance x level per element over occupations with skills
    dwa_ids: tuple[str, ...]
    dwa_title: dict[str, str]
    dwa: Array
    has_tasks: npt.NDArray[np.bool_]
    related: Array  # row code -> column code, tier weight
    related_tier: dict[tuple[str, str], str]
    gwa_titles: tuple[str, ...]
    gwa_col: dict[str, int]
    assoc: Array  # GWA x element correlation
    task_dwas: dict[tuple[str, int], tuple[str, ...]]
    dwa_gwa: dict[str, str]
    tech: pd.DataFrame  # code, technology, commodity, hot, in_demand
    emerging: pd.DataFrame  # code, task, category, original_task, date
    hot_tech: dict[str, tuple[str, ...]]  # code -> hot technologies, in-demand first
    all_tech: dict[str, frozenset[str]]
    _components: dict[str, Array] = field(default_factory=dict, repr=False)
    _plain: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def skill_vectors(self, imp: Array, lvl: Array) -> tuple[Array, Array]:
        """Centred importance x level vectors, split into skills and knowledge."""
        centred = imp * lvl - self.skill_mean
        return centred[..., self.is_skill], centred[..., ~self.is_skill]

    @property
    def element_ids(self) -> list[str]:
        return self._lists()["element_id"]

    @property
    def element_names(self) -> list[str]:
        return self._lists()["element"]

    @property
    def element_kinds(self) -> list[str]:
        return self._lists()["kind"]

    def _lists(self) -> dict[str, list[str]]:
        if not self._plain:
            for c in ("element_id", "element", "kind"):
                self._plain[c] = [str(v) for v in self.elements[c]]
        return self._plain

    def components_for(
        self, imp: Array, lvl: Array, dwa: Array, related: Array
    ) -> dict[str, Array]:
        """Each similarity component between one subject and every occupation (rows)."""
        s_sub, k_sub = self.skill_vectors(imp, lvl)
        return {
            "skills": _cosine(s_sub, *self._all("skills")),
            "knowledge": _cosine(k_sub, *self._all("knowledge")),
            "tasks": _cosine(dwa, *self._all("tasks")),
            "related": related,
        }

    def similarity_to(self, i: int, rows: npt.NDArray[np.intp]) -> Array:
        """``similarity(components_for(<occupation row i>))[rows]``, bit for bit, with the task
        cosine taken over the rows asked for only (the DWA product over every row is most of
        the cost)."""
        if rows.size == 0:
            return np.zeros(0)
        s_sub, k_sub = self.skill_vectors(self.imp[i], self.lvl[i])
        tasks, tasks_norm = self._all("tasks")
        # OpenBLAS sums a row's products in an order set by the row's place in a block of 4
        # rows, so the product is taken over whole 4-row blocks from a multiple of 4: each row
        # then gets the same bits as in the product over all rows (checked for every code with
        # 1-6 threads and the Haswell, SkylakeX, Sandybridge and Nehalem kernels)
        lo = int(rows.min()) // 4 * 4
        hi = min(-(-(int(rows.max()) + 1) // 4) * 4, len(tasks))
        dots = tasks[lo:hi] @ self.dwa[i]
        return similarity(
            {
                "skills": _cosine(s_sub, *self._all("skills"))[rows],
                "knowledge": _cosine(k_sub, *self._all("knowledge"))[rows],
                "tasks": _ratio(dots[rows - lo], tasks_norm[rows] * np.linalg.norm(self.dwa[i])),
                "related": self.related[i][rows],
            }
        )

    def _all(self, which: str) -> tuple[Array, Array]:
        """The occupations' vectors of one component and their norms, computed once."""
        if which not in self._components:
            s, k = self.skill_vectors(self.imp, self.lvl)
            for name, m in (("skills", s), ("knowledge", k), ("tasks", self.dwa)):
                self._components[name] = m
                self._components[name + "_norm"] = np.linalg.norm(m, axis=1)
        return self._components[which], self._components[which + "_norm"]


def similarity(components: dict[str, Array]) -> Array:
    """The weighted sum of the components (:data:`WEIGHTS`)."""
    return sum(
        (WEIGHTS[c] * components[c] for c in WEIGHTS), start=np.zeros_like(components["tasks"])
    )


def _cosine(v: Array, m: Array, m_norms: Array | None = None) -> Array:
    """Cosine of ``v`` with each row of ``m``, clipped at 0 (opposite profiles count as 0)."""
    norms = (np.linalg.norm(m, axis=1) if m_norms is None else m_norms) * np.linalg.norm(v)
    return _ratio(m @ v, norms)


def _ratio(dots: Array, norms: Array) -> Array:
    """``dots / norms`` (0 where a norm is 0), clipped to [0, 1]."""
    out = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    return np.clip(out, 0.0, 1.0)


_CACHE: weakref.WeakKeyDictionary[object, CareerModel] = weakref.WeakKeyDictionary()


def career_model(cat: Queryable) -> CareerModel:
    """The careers arrays of one catalog, read once (about a second) and then cached."""
    cached = _CACHE.get(cat)
    if cached is None:
        cached = _read(cat)
        _CACHE[cat] = cached
    return cached


def _read(cat: Queryable) -> CareerModel:
    codes = tuple(cat.query("select code from occupations order by code")["code"])
    row = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    sk = cat.query(
        "select code, kind, element_id, element, importance, level from skills_knowledge"
    )
    elements = (
        sk.drop_duplicates("element_id")[["element_id", "element", "kind"]]
        .sort_values(["kind", "element_id"], ascending=[False, True])
        .reset_index(drop=True)
    )
    col = {e: i for i, e in enumerate(elements["element_id"])}
    imp = np.zeros((n, len(col)))
    lvl = np.zeros((n, len(col)))
    r, c = sk["code"].map(row).to_numpy(), sk["element_id"].map(col).to_numpy()
    imp[r, c] = sk["importance"].to_numpy(float)
    lvl[r, c] = sk["level"].to_numpy(float)
    has_skills = np.zeros(n, dtype=bool)
    has_skills[np.unique(r)] = True
    skill_mean = (imp[has_skills] * lvl[has_skills]).mean(axis=0)

    td = cat.query(
        """select d.code, d.task_id, d.dwa_id, t.time_share, r.dwa, r.element_id, r.work_activity
           from task_dwas d join tasks t using (code, task_id)
           left join (select distinct dwa_id, dwa, element_id, work_activity from dwa_reference) r
             using (dwa_id)"""
    )
    dwa_ids = tuple(sorted(td["dwa_id"].unique()))
    dcol = {d: i for i, d in enumerate(dwa_ids)}
    per_task = td.groupby(["code", "task_id"])["dwa_id"].transform("size")
    weight = td["time_share"].to_numpy(float) / per_task.to_numpy(float)
    dwa = np.zeros((n, len(dwa_ids)))
    np.add.at(dwa, (td["code"].map(row).to_numpy(), td["dwa_id"].map(dcol).to_numpy()), weight)
    has_tasks = dwa.sum(axis=1) > 0
    gwa_frame = td.dropna(subset=["element_id"]).drop_duplicates("element_id")
    gwa_frame = gwa_frame.sort_values("element_id")
    gwa_col = {g: i for i, g in enumerate(gwa_frame["element_id"])}
    gwa = np.zeros((n, len(gwa_col)))
    known = td["element_id"].notna().to_numpy()
    np.add.at(
        gwa,
        (td["code"].map(row).to_numpy()[known], td["element_id"][known].map(gwa_col).to_numpy()),
        weight[known],
    )
    both = has_skills & has_tasks
    estimated = _estimate_unrated(imp, lvl, dwa, has_skills, has_tasks)
    assoc = _correlation(gwa[both], imp[both] * lvl[both])

    rel = cat.query("select code, related_code, tier from related_occupations")
    rel = rel[rel["code"].isin(row) & rel["related_code"].isin(row)]
    related = np.zeros((n, n))
    related[rel["code"].map(row).to_numpy(), rel["related_code"].map(row).to_numpy()] = (
        rel["tier"].map(TIER_WEIGHTS).fillna(0.0).to_numpy(float)
    )
    task_dwas: dict[tuple[str, int], tuple[str, ...]] = {}
    for c, t, d in td[["code", "task_id", "dwa_id"]].itertuples(index=False):
        task_dwas[(str(c), int(t))] = (*task_dwas.get((str(c), int(t)), ()), str(d))
    tech = cat.query(
        """select code, technology, commodity, hot, in_demand from technology_skills
           order by code, in_demand desc, hot desc, technology"""
    )
    emerging = cat.query(
        "select code, task, category, original_task, date from emerging_tasks order by code, task"
    )
    return CareerModel(
        codes=codes,
        row=row,
        elements=elements,
        is_skill=(elements["kind"] == "skill").to_numpy(),
        imp=imp,
        lvl=lvl,
        has_skills=has_skills,
        skills_estimated_from={
            codes[i]: tuple(codes[j] for j in js) for i, js in estimated.items()
        },
        skill_mean=skill_mean,
        dwa_ids=dwa_ids,
        dwa_title=dict(zip(td["dwa_id"], td["dwa"].fillna(td["dwa_id"]), strict=True)),
        dwa=dwa,
        has_tasks=has_tasks,
        related=related,
        related_tier={
            (str(a), str(b)): str(t)
            for a, b, t in rel[["code", "related_code", "tier"]].itertuples(index=False)
        },
        gwa_titles=tuple(gwa_frame["work_activity"].astype(str)),
        gwa_col=gwa_col,
        assoc=assoc,
        task_dwas=task_dwas,
        dwa_gwa=dict(zip(td["dwa_id"], td["element_id"], strict=True)),
        tech=tech,
        emerging=emerging,
        hot_tech={
            str(c): tuple(g.loc[g["hot"].astype(bool), "technology"].astype(str))
            for c, g in tech.groupby("code", sort=False)
        },
        all_tech={str(c): frozenset(g["technology"].astype(str)) for c, g in tech.groupby("code")},
    )


def _estimate_unrated(
    imp: Array,
    lvl: Array,
    dwa: Array,
    rated: npt.NDArray[np.bool_],
    has_tasks: npt.NDArray[np.bool_],
) -> dict[int, list[int]]:
    """Fill, in place, the skills of occupations O*NET has tasks for but did not rate (29 in
    30.1, Data Scientists among them) with the mean of the :data:`ESTIMATE_FROM` rated
    occupations whose tasks share the most work (DWA cosine), weighted by that cosine: the
    same rule a custom role's skills follow (through its matched tasks)."""
    out: dict[int, list[int]] = {}
    pool = np.where(rated & has_tasks)[0]
    for i in np.where(has_tasks & ~rated)[0]:
        sims = _cosine(dwa[i], dwa[pool])
        top = np.argsort(-sims, kind="stable")[:ESTIMATE_FROM]
        top = top[sims[top] > 0]
        if top.size == 0:
            continue
        w = sims[top] / sims[top].sum()
        imp[i] = w @ imp[pool[top]]
        lvl[i] = w @ lvl[pool[top]]
        out[int(i)] = [int(j) for j in pool[top]]
    return out


def _correlation(x: Array, y: Array) -> Array:
    """Pearson correlation of each column of ``x`` with each column of ``y`` (rows = cases)."""
    xs = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    ys = (y - y.mean(axis=0)) / np.where(y.std(axis=0) > 0, y.std(axis=0), 1.0)
    corr: Array = xs.T @ ys / len(x)
    return corr
