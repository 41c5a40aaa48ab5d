"""Where a person can move: similar occupations, filtered moves, skills to learn, comparable jobs.

    >>> from jobrisk.careers import career_moves, skills_to_learn, comparable_jobs  # doctest: +SKIP
    >>> career_moves(cat, "15-2041.00").moves[0].title  # doctest: +SKIP

See docs/careers.md for the similarity formula, its weights and the filtering steps.
"""

from jobrisk.careers.learn import ComparableJob, SkillsToLearn, comparable_jobs, skills_to_learn
from jobrisk.careers.model import TIER_WEIGHTS, WEIGHTS, career_model
from jobrisk.careers.moves import (
    DEFAULT_MIN_SIMILARITY,
    DEFAULT_MIN_WAGE_SHARE,
    CareerMoves,
    Move,
    career_moves,
)
from jobrisk.careers.report import Careers, careers_report

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_MIN_WAGE_SHARE",
    "TIER_WEIGHTS",
    "WEIGHTS",
    "CareerMoves",
    "Careers",
    "ComparableJob",
    "Move",
    "SkillsToLearn",
    "career_model",
    "career_moves",
    "careers_report",
    "comparable_jobs",
    "skills_to_learn",
]
