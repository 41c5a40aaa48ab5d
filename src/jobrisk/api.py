"""Use cases: what the CLI, the web app and Python users call. Records in, records out.

Every function takes an open :class:`~jobrisk.catalog.Catalog`; nothing here reads the
environment or knows about click or HTTP. The package's top level (``jobrisk.score``...) wraps
these with a default catalog.

    >>> card = score(cat, "15-2051.00")  # doctest: +SKIP
    >>> card.value("eloundou_beta_human")  # doctest: +SKIP
    0.5...
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from jobrisk import careers as careers_mod
from jobrisk import timeline as timeline_mod
from jobrisk.catalog import Catalog, Occupation
from jobrisk.consensus import Consensus, MethodValue, consensus_for, population
from jobrisk.errors import InputError, JobriskError
from jobrisk.jsonready import json_ready, plain_record
from jobrisk.methods import REGISTRY, Evidence, Explanation, get_method, load_evidence
from jobrisk.methods.base import opt_float, opt_str
from jobrisk.role_evidence import PREDICTED, UNMATCHED, TaskMatch, match_roles, roles_subject
from jobrisk.roles import Role

__all__ = [
    "Comparison",
    "ExposurePoint",
    "MethodInfo",
    "OccupationScores",
    "Overview",
    "RankedOccupation",
    "RoleScores",
    "SourcesReport",
    "assess",
    "assess_many",
    "careers",
    "compare",
    "list_methods",
    "movers",
    "overview",
    "rank",
    "report",
    "score",
    "search",
    "sources",
    "timeline",
]

COMPARE_MIN, COMPARE_MAX = 2, 5


class _ScoresAccess:
    """Lookups shared by the score records (an occupation's and a custom role's)."""

    consensus: Consensus
    explanations: tuple[Explanation, ...]

    @property
    def methods(self) -> tuple[MethodValue, ...]:
        return self.consensus.methods

    def method(self, name: str) -> MethodValue:
        for m in self.consensus.methods:
            if m.method == name:
                return m
        raise InputError(f"{name!r} was not scored", hint="see `jobrisk methods` for names")

    def value(self, name: str) -> float | None:
        return self.method(name).value

    def explanation(self, name: str) -> Explanation | None:
        return next((e for e in self.explanations if e.method == name), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (NaN becomes None)."""
        return plain_record(self)


@dataclass(frozen=True)
class OccupationScores(_ScoresAccess):
    """Every method's value for one occupation, the consensus, and the explanations."""

    occupation: Occupation
    consensus: Consensus
    explanations: tuple[Explanation, ...]

    @property
    def subject_code(self) -> str:
        return self.occupation.code

    @property
    def subject_title(self) -> str:
        return self.occupation.title


@dataclass(frozen=True)
class Comparison:
    """Two to five occupations or custom roles side by side (``occupations`` keeps its name
    for the JSON; a role's entry is a :class:`RoleScores`)."""

    occupations: tuple[OccupationScores | RoleScores, ...]

    def table(self) -> pd.DataFrame:
        """Method x subject values (the side-by-side view)."""
        return pd.DataFrame(
            {o.subject_code: {m.method: m.value for m in o.methods} for o in self.occupations}
        )

    def to_dict(self) -> dict[str, Any]:
        return plain_record(self)


@dataclass(frozen=True)
class RankedOccupation:
    rank: int
    code: str
    title: str
    value: float
    percentile: float | None
    label: str | None
    employment: float | None
    annual_median_wage: float | None


@dataclass(frozen=True)
class MethodInfo:
    name: str
    title: str
    family: str
    citation: str
    sources: tuple[str, ...]
    score_range: tuple[float, float]
    direction: str
    unit: str
    parameters: tuple[tuple[str, str], ...]  # (name, value) pairs
    doc: str


def score(cat: Catalog, query: str, *, explain: bool = True) -> OccupationScores:
    """Every registered method for one occupation (code, SOC code or title), with consensus."""
    code = cat.resolve(query)
    ev = load_evidence(cat)
    explanations = {m.name: m.explain_evidence(ev, code) for m in REGISTRY.values()}
    consensus = consensus_for(ev, code, explanations)
    return OccupationScores(
        occupation=cat.occupation(code),
        consensus=consensus,
        explanations=tuple(explanations.values()) if explain else (),
    )


@dataclass(frozen=True)
class RoleScores(_ScoresAccess):
    """Every method for a custom role, with how each of its tasks was matched."""

    role: Role
    code: str
    matcher: str
    matches: tuple[TaskMatch, ...]
    consensus: Consensus
    explanations: tuple[Explanation, ...]
    notes: tuple[str, ...]

    @property
    def subject_code(self) -> str:
        return self.code

    @property
    def subject_title(self) -> str:
        return self.role.title


def assess(cat: Catalog, role: Role, *, matcher: str = "auto") -> RoleScores:
    """Every registered method for a role described by its tasks (METHODS section 3).

    ``matcher`` is ``lexical``, ``semantic`` (the extra) or ``auto`` (semantic when the extra
    and the index's task embeddings are there, else lexical with a notice).
    """
    result = assess_many(cat, [role], matcher=matcher)[0]
    if isinstance(result, JobriskError):
        raise result
    return result


def assess_many(
    cat: Catalog, roles: Sequence[Role], *, matcher: str = "auto"
) -> list[RoleScores | JobriskError]:
    """:func:`assess` for several roles at once, in order: one search (one embedding batch) for
    all their tasks and one pass of every method over all of them, so a batch costs little more
    than one role. Each role gets what it gets alone (a float may differ in its last bits: a
    sum over the batch is taken in another order); a role that cannot be scored gets its
    error in its place, and the others are still scored.
    """
    from jobrisk.matching.service import role_matching

    setup = role_matching(cat, matcher)
    ev = load_evidence(cat)
    all_matches = match_roles(
        roles, setup.matcher, setup.confidence, setup.labeler, setup.policy, setup.twin_labels
    )
    results: dict[int, RoleScores | JobriskError] = {}
    pending: dict[int, str] = {}  # position -> the role's code
    for i, (role, matches) in enumerate(zip(roles, all_matches, strict=True)):
        if all(m.status == UNMATCHED for m in matches):
            results[i] = InputError(
                "none of the role's tasks could be matched or labelled with enough confidence",
                hint="describe the tasks in plain English, one duty each (e.g. 'Prepare "
                "monthly financial reports')",
            )
            continue
        pending[i] = f"role:{role.slug}"
    # One evidence for the whole batch: a title given twice gets a unit code of its own
    # (``role:x~2``) there, and its records get the role's code back.
    units: dict[int, str] = {}
    for i, code in pending.items():
        n = sum(1 for j in units if pending[j] == code)
        units[i] = code if n == 0 else f"{code}~{n + 1}"
    if pending:
        role_ev = roles_subject(ev, [(roles[i], all_matches[i], units[i]) for i in pending])
        for i, code in pending.items():
            scored = _role_scores(role_ev, roles[i], all_matches[i], units[i], setup)
            results[i] = scored if units[i] == code else _renamed(scored, code)
    return [results[i] for i in range(len(roles))]


def _renamed(scored: RoleScores, code: str) -> RoleScores:
    """The same scores under the role's own code (it was scored under a batch-unique one)."""
    return dataclasses.replace(
        scored,
        code=code,
        consensus=dataclasses.replace(scored.consensus, code=code),
        explanations=tuple(dataclasses.replace(e, code=code) for e in scored.explanations),
    )


def _role_scores(
    role_ev: Evidence,
    role: Role,
    matches: tuple[TaskMatch, ...],
    code: str,
    setup: MatchingSetup,
) -> RoleScores:
    explanations = {m.name: m.explain_evidence(role_ev, code) for m in REGISTRY.values()}
    consensus = consensus_for(role_ev, code, explanations)
    left_out = [m for m in matches if m.status == UNMATCHED]
    notes = list(setup.notes) + list(role.warnings)
    if left_out:
        share = sum(m.share for m in left_out)
        notes.append(
            f"{len(left_out)} task(s), {share:.0f}% of the time, matched nothing closely enough "
            "and are not scored; the other shares were rescaled"
        )
    predicted = [m for m in matches if m.status == PREDICTED]
    if predicted:
        notes.append(
            f"{len(predicted)} task(s) have no close O*NET twin: their exposure labels are "
            "predicted from the text (no observed use is assumed)"
        )
    return RoleScores(
        role=role,
        code=code,
        matcher=setup.matcher.name,
        matches=matches,
        consensus=consensus,
        explanations=tuple(explanations.values()),
        notes=tuple(notes),
    )


def compare(
    cat: Catalog,
    queries: Sequence[str | Role],
    *,
    explain: bool = True,
    matcher: str = "auto",
) -> Comparison:
    """Two to five occupations (codes or titles) or custom roles side by side."""
    if not COMPARE_MIN <= len(queries) <= COMPARE_MAX:
        raise InputError(
            f"compare takes {COMPARE_MIN} to {COMPARE_MAX} occupations or roles, "
            f"got {len(queries)}",
            hint="e.g. jobrisk compare 15-2051.00 15-2041.00 my-role.yaml",
        )
    keys = [q.slug if isinstance(q, Role) else cat.resolve(q) for q in queries]
    if len(set(keys)) < len(keys):
        raise InputError("the same occupation or role is listed twice", hint=", ".join(keys))
    return Comparison(
        tuple(
            assess(cat, q, matcher=matcher)
            if isinstance(q, Role)
            else score(cat, k, explain=explain)
            for q, k in zip(queries, keys, strict=True)
        )
    )


def rank(
    cat: Catalog,
    method: str,
    *,
    group: str | None = None,
    most_exposed: bool = True,
    limit: int = 20,
    min_wage: float | None = None,
    max_wage: float | None = None,
    min_employment: float | None = None,
) -> list[RankedOccupation]:
    """Occupations ordered by one method (most exposed first by default), optionally filtered.

    ``group`` is a SOC major, minor or broad group code (``15-0000``, ``15-2000``, ``15-2050``).
    "Most exposed" follows the method's direction: for a resistance score it means lowest.
    """
    m = get_method(method)
    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    ev = load_evidence(cat)
    pop = population(ev)
    units = ev.units[ev.units["kind"] == "onet"]
    frame = units.assign(
        value=pop.values[m.name], exposure_percentile=pop.percentiles[m.name]
    ).dropna(subset=["value"])
    table = pop.tables[m.name]
    if group:
        g = group.strip()
        cols = {"0000": "major_code", "000": "minor_code"}
        col = next((c for suffix, c in cols.items() if g.endswith(suffix)), "broad_code")
        if not (frame[col] == g).any() and not (units[col] == g).any():
            raise InputError(
                f"no occupations in SOC group {g!r}",
                hint="use a major (15-0000), minor (15-2000) or broad (15-2050) group code; "
                "see `jobrisk list`",
            )
        frame = frame[frame[col] == g]
    if min_wage is not None:
        frame = frame[frame["annual_median_wage"] >= min_wage]
    if max_wage is not None:
        frame = frame[frame["annual_median_wage"] <= max_wage]
    if min_employment is not None:
        frame = frame[frame["employment"] >= min_employment]
    frame = frame.sort_values(
        ["exposure_percentile", "value"], ascending=not most_exposed, kind="stable"
    )
    label_col = next((c for c in ("zone", "cell", "label") if c in table.columns), None)
    out = []
    for i, (code, r) in enumerate(frame.head(limit).iterrows(), start=1):
        label = table.at[code, label_col] if label_col else None
        out.append(
            RankedOccupation(
                rank=i,
                code=str(code),
                title=str(r["title"]),
                value=float(r["value"]),
                percentile=_num(r["exposure_percentile"]),
                label=opt_str(label),
                employment=_num(r["employment"]),
                annual_median_wage=_num(r["annual_median_wage"]),
            )
        )
    return out


def list_methods() -> list[MethodInfo]:
    """The registered methods with their citations and parameters."""
    return [
        MethodInfo(
            name=m.name,
            title=m.title,
            family=str(m.family),
            citation=m.citation,
            sources=m.source_ids,
            score_range=m.score_range,
            direction=str(m.direction),
            unit=m.unit,
            parameters=tuple((k, str(v)) for k, v in m.params.items()),
            doc=(type(m).__doc__ or "").strip(),
        )
        for m in REGISTRY.values()
    ]


def _num(v: Any) -> float | None:
    return opt_float(v)


# --- web-facing use cases (search, home overview, sources) ------------------------------


@dataclass(frozen=True)
class ExposurePoint:
    """One occupation's consensus exposure percentile beside its median wage (home scatter)."""

    code: str
    title: str
    exposure_percentile: float
    n_methods: int
    annual_median_wage: float | None
    employment: float | None


@dataclass(frozen=True)
class Overview:
    """Every O*NET occupation's consensus point estimate, most exposed first."""

    points: tuple[ExposurePoint, ...]

    def most_exposed(self, n: int = 10) -> tuple[ExposurePoint, ...]:
        return self.points[:n]

    def least_exposed(self, n: int = 10) -> tuple[ExposurePoint, ...]:
        return tuple(reversed(self.points[-n:]))

    def to_dict(self) -> dict[str, Any]:
        return plain_record(self)


@dataclass(frozen=True)
class SourcesReport:
    """Provenance: each source's citation and license, and the index's coverage counts."""

    sources: tuple[Any, ...]  # catalog.SourceInfo
    coverage: tuple[dict[str, Any], ...]
    index_meta: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return plain_record(self)


def overview(cat: Catalog) -> Overview:
    """The consensus point estimate (mean exposure percentile over :data:`CONSENSUS_SET`) of
    every O*NET occupation, without intervals, for the home page's lists and scatter."""
    from jobrisk.consensus import CONSENSUS_SET

    ev = load_evidence(cat)
    pop = population(ev)
    units = ev.units[ev.units["kind"] == "onet"]
    cols = [n for n in CONSENSUS_SET if n in pop.percentiles.columns]
    pct = pop.percentiles.loc[units.index, cols]
    center = pct.mean(axis=1, skipna=True)
    count = pct.notna().sum(axis=1)
    frame = units.assign(center=center, n=count).dropna(subset=["center"])
    frame = frame.sort_values(["center"], ascending=False, kind="stable")
    return Overview(
        tuple(
            ExposurePoint(
                code=str(code),
                title=str(r["title"]),
                exposure_percentile=float(r["center"]),
                n_methods=int(r["n"]),
                annual_median_wage=_num(r["annual_median_wage"]),
                employment=_num(r["employment"]),
            )
            for code, r in frame.iterrows()
        )
    )


def search(cat: Catalog, query: str, *, limit: int = 10) -> list[Any]:
    """Occupations by title, alternate or reported title (``catalog.SearchHit`` records)."""
    if not 1 <= limit <= 50:
        raise InputError(f"limit must be 1-50, got {limit}")
    return list(cat.search(query, limit=limit))


def sources(cat: Catalog) -> SourcesReport:
    """Each source's citation and license, the coverage table and the index's build facts."""
    cov = cat.coverage()
    return SourcesReport(
        sources=tuple(cat.sources()),
        coverage=tuple(json_ready(r) for r in cov.to_dict("records")),
        index_meta=tuple(sorted((str(k), str(v)) for k, v in cat.meta.items())),
    )


# --- the weekly risk index (jobrisk.timeline; docs/timeline.md) -------------------------


def timeline(
    cat: Catalog,
    query: str,
    *,
    events_path: str | None = None,
    weeks: int = 104,
    end: datetime.date | None = None,
) -> timeline_mod.Timeline:
    """One occupation's Anthropic releases, its weekly risk index up to ``end`` (default this
    week) and the last week's change explained; ``events_path`` defaults to the shipped example
    events (``jobrisk/data/events.example.yaml``)."""
    if not 1 <= weeks <= timeline_mod.weekly.MAX_WEEKS:
        raise InputError(
            f"weeks must be 1 to {timeline_mod.weekly.MAX_WEEKS}, got {weeks}",
            hint="104 weeks is two years",
        )
    return timeline_mod.timeline(cat, query, events_path=events_path, weeks=weeks, end=end)


def movers(
    cat: Catalog,
    *,
    week: datetime.date | None = None,
    limit: int = 10,
    events_path: str | None = None,
) -> timeline_mod.Movers:
    """The occupations whose weekly risk index rose and fell most in the week containing
    ``week`` (default this week), with the events behind each move."""
    if not 1 <= limit <= 1016:
        raise InputError(f"limit must be 1 to 1016, got {limit}", hint="e.g. 10")
    return timeline_mod.movers(cat, week=week, limit=limit, events_path=events_path)


def careers(cat: Catalog, query_or_role: str | Role, **filters: Any) -> careers_mod.Careers:
    """Career moves, skills to learn and comparable jobs for an occupation or a custom role.

    ``filters``: ``method`` (a method name or ``consensus``), ``min_similarity``,
    ``min_wage_share``, ``safer``, ``limit``, ``matcher`` (see :mod:`jobrisk.careers`).

        >>> careers(cat, "15-2041.00").moves.moves[0].title  # doctest: +SKIP
    """
    allowed = {"method", "min_similarity", "min_wage_share", "safer", "limit", "matcher"}
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise InputError(
            f"careers has no filter {', '.join(map(repr, unknown))}",
            hint=f"filters: {', '.join(sorted(allowed))}",
        )
    return careers_mod.careers_report(cat, query_or_role, **filters)


if TYPE_CHECKING:
    from jobrisk.matching.service import MatchingSetup
    from jobrisk.reports.model import Report


def report(cat: Catalog, query_or_role: str | Role, *, matcher: str = "auto") -> Report:
    """The full report (:class:`jobrisk.reports.Report`) of an occupation or a custom role.

    Its ``to_dict()`` is the JSON of an occupation in the web API; ``docs/reports.md`` lists
    the keys.

        >>> report(cat, "15-2051.00").consensus.exposure_percentile  # doctest: +SKIP
    """
    from jobrisk.reports.model import build_report

    return build_report(cat, query_or_role, matcher=matcher)
