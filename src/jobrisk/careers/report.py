"""One careers answer for a subject: the moves, the skills to learn, and comparable jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobrisk.careers.learn import ComparableJob, SkillsToLearn, comparable_jobs, skills_to_learn
from jobrisk.careers.moves import (
    DEFAULT_MIN_SIMILARITY,
    DEFAULT_MIN_WAGE_SHARE,
    CareerMoves,
    career_moves,
    check_thresholds,
)
from jobrisk.careers.subject import CONSENSUS, check_method, resolve_subject
from jobrisk.catalog import Catalog
from jobrisk.jsonready import plain_record
from jobrisk.roles import Role


@dataclass(frozen=True)
class Careers:
    """What a careers page or ``jobrisk careers`` shows."""

    moves: CareerMoves
    skills: SkillsToLearn
    comparable: tuple[ComparableJob, ...]  # same SOC minor group; empty for a custom role

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON values (NaN becomes None)."""
        return plain_record(self)


def careers_report(
    cat: Catalog,
    subject: str | Role,
    *,
    method: str = CONSENSUS,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    min_wage_share: float = DEFAULT_MIN_WAGE_SHARE,
    safer: bool = True,
    limit: int = 10,
    matcher: str = "auto",
) -> Careers:
    """Moves, skills to learn and comparable jobs for an occupation query or a role."""
    check_method(method)
    check_thresholds(min_similarity, min_wage_share, limit)
    resolved = resolve_subject(cat, subject, matcher=matcher)
    moves = career_moves(
        cat,
        resolved,
        method=method,
        min_similarity=min_similarity,
        min_wage_share=min_wage_share,
        safer=safer,
        limit=limit,
        matcher=matcher,
    )
    skills = skills_to_learn(cat, resolved, method=method, matcher=matcher)
    comparable: tuple[ComparableJob, ...] = ()
    if moves.subject_kind == "occupation":
        comparable = tuple(comparable_jobs(cat, moves.subject_code, method=method, limit=limit))
    return Careers(moves, skills, comparable)
