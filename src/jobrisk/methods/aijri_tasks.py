"""AIJRI task scores (METHODS 2.2): each task's score 1-5 and label, from its evidence.

The rule is :data:`~jobrisk.methods.aijri_rules.INPUT_RULES`' ``tasks`` entry; this module
applies it with numpy columns (:class:`ScoredTasks`), which is fast on one custom role's ten
tasks and on all O*NET tasks alike, and sums task columns per unit with :func:`~jobrisk.methods.sums.group_sums`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from jobrisk.methods.aijri_rules import HIGH_AUTOMATION, LEVEL_SCORE, TREND_PLATFORM
from jobrisk.methods.evidence import Evidence

__all__ = [
    "ReleaseFacts",
    "ScoredTasks",
    "latest_releases",
    "release_facts",
    "release_facts_of",
    "score_task_arrays",
    "score_tasks",
    "series_sum",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]


def series_sum(values: FloatArray) -> float:
    """The sum pandas' ``Series.sum`` gives: NaN as 0, numpy's pairwise order."""
    return float(np.where(np.isnan(values), 0.0, values).sum())


# --- releases ----------------------------------------------------------------------------------


def latest_releases(releases: pd.DataFrame, *, with_modes: bool = False) -> set[tuple[str, str]]:
    """(release, platform) of the most recent release of each platform."""
    latest: dict[str, tuple[str, str]] = {}
    for release, platform, date, modes in zip(
        releases["release"].tolist(),
        releases["platform"].tolist(),
        releases["release_date"].tolist(),
        releases["has_modes"].tolist(),
        strict=True,
    ):
        if (modes or not with_modes) and (
            platform not in latest or str(date) > latest[platform][1]
        ):
            latest[platform] = (release, str(date))
    return {(release, platform) for platform, (release, _) in latest.items()}


@dataclass(frozen=True)
class ReleaseFacts:
    """What the rules read from ``releases``: the latest releases, and the trend's two ends."""

    latest: frozenset[tuple[str, str]]
    with_modes: frozenset[tuple[str, str]]  # the latest release with interaction modes
    trend: tuple[str, str] | None  # first and latest claude.ai release; None with fewer than 2


def release_facts_of(releases: pd.DataFrame) -> ReleaseFacts:
    """The :class:`ReleaseFacts` of a ``releases`` frame."""
    series = releases[releases["platform"] == TREND_PLATFORM].sort_values("release_date")
    trend = (
        (str(series["release"].iloc[0]), str(series["release"].iloc[-1]))
        if len(series) >= 2
        else None
    )
    return ReleaseFacts(
        frozenset(latest_releases(releases)),
        frozenset(latest_releases(releases, with_modes=True)),
        trend,
    )


_FACTS: weakref.WeakKeyDictionary[Evidence, ReleaseFacts] = weakref.WeakKeyDictionary()


def release_facts(ev: Evidence) -> ReleaseFacts:
    """``ev``'s release facts, memoized on its population when it shares the releases frame
    (a custom role's subject does), so each role does not read the releases again."""
    owner = ev.population if ev.population.releases is ev.releases else ev
    facts = _FACTS.get(owner)
    if facts is None:
        facts = _FACTS[owner] = release_facts_of(ev.releases)
    return facts


# --- task scores -------------------------------------------------------------------------------


def _observed_use(
    tasks: pd.DataFrame, usage: pd.DataFrame, facts: ReleaseFacts
) -> tuple[BoolArray, FloatArray]:
    """Per task: seen in the latest release of a platform, and the automation-mode share.

    The automation share is the share-weighted mean over platforms of the latest release
    with interaction modes; NaN where the task has no classified use there. Plain loops:
    they are fast on one occupation's rows and on all of them.
    """
    latest, moded = facts.latest, facts.with_modes
    seen: set[tuple[str, int]] = set()
    num: dict[tuple[str, int], float] = {}
    den: dict[tuple[str, int], float] = {}
    task_id = usage["task_id"].to_numpy(dtype=float, na_value=np.nan)
    share = usage["share"].to_numpy(dtype=float, na_value=np.nan)
    keyed = ~np.isnan(task_id) & (share > 0)
    for code, tid, release, platform, sh, auto in zip(
        usage["code"].to_numpy(dtype=object)[keyed].tolist(),
        task_id[keyed].astype(np.int64).tolist(),
        usage["release"].to_numpy(dtype=object)[keyed].tolist(),
        usage["platform"].to_numpy(dtype=object)[keyed].tolist(),
        share[keyed].tolist(),
        usage["automation_share"].to_numpy(dtype=float, na_value=np.nan)[keyed].tolist(),
        strict=True,
    ):
        key = (code, tid)
        if (release, platform) in latest:
            seen.add(key)
        if (release, platform) in moded and auto == auto:  # auto == auto: not NaN
            num[key] = num.get(key, 0.0) + sh * auto
            den[key] = den.get(key, 0.0) + sh
    keys = list(zip(tasks["code"].tolist(), tasks["task_id"].tolist(), strict=True))
    observed = np.fromiter((k in seen for k in keys), bool, len(keys))
    observed |= tasks["penetration"].fillna(0).to_numpy(dtype=float) > 0
    share_of = np.fromiter(
        (num[k] / den[k] if k in den else np.nan for k in keys), float, len(keys)
    )
    return observed, np.where(observed, share_of, np.nan)


@dataclass(frozen=True, eq=False)
class ScoredTasks:
    """:func:`score_tasks` as numpy columns, in the tasks' row order (missing text is NaN)."""

    code: ObjectArray
    task_id: npt.NDArray[np.int64]
    task: ObjectArray
    time_share: FloatArray
    physical: FloatArray  # 1.0 physical, 0.0 not, NaN unknown
    exposure: ObjectArray
    exposure_rater: ObjectArray
    automation_level: ObjectArray
    observed_use: BoolArray
    automation_share: FloatArray
    score: FloatArray  # NaN when unlabelled
    label: ObjectArray

    def take(self, rows: IntArray) -> ScoredTasks:
        """The scores of ``rows`` (positions), in that order."""
        return ScoredTasks(**{k: v[rows] for k, v in self.__dict__.items()})


def _text(values: ObjectArray) -> ObjectArray:
    out = values.copy()
    out[pd.isna(out)] = np.nan  # one missing marker, as a text column of a frame has
    return out


def score_task_arrays(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    facts: ReleaseFacts,
    *,
    rater: str,
    displacement_share: float,
) -> ScoredTasks:
    """Each task's score 1-5 and label, with the evidence behind them (see :func:`score_tasks`)."""
    other = "gpt4" if rater == "human" else "human"
    first = tasks[f"{rater}_e"].to_numpy(dtype=object)
    second = tasks[f"{other}_e"].to_numpy(dtype=object)
    has_first = pd.notna(first)
    exposure = np.where(has_first, first, second)
    known = pd.notna(exposure)
    exposure_rater = np.full(len(tasks), np.nan, dtype=object)
    exposure_rater[known] = other
    exposure_rater[has_first] = rater
    level = tasks[f"{rater}_t"].to_numpy(dtype=object)
    level = np.where(pd.notna(level), level, tasks[f"{other}_t"].to_numpy(dtype=object))

    observed, auto_share = _observed_use(tasks, usage, facts)
    automated = observed & (np.nan_to_num(auto_share, nan=-1.0) >= displacement_share)
    base = np.array([LEVEL_SCORE.get(t, LEVEL_SCORE["T1"]) for t in level], dtype=float)
    exposed = np.isin(exposure, ("E1", "E2"))
    score = np.where(exposed, np.minimum(base + observed + automated, 5.0), 1.0)
    high = np.isin(level, HIGH_AUTOMATION)
    label = np.where(
        exposure == "E0",
        "NOT INVOLVED",
        np.where(high | automated, "DISPLACEMENT", "AUGMENTATION"),
    ).astype(object)
    label[~known] = np.nan
    return ScoredTasks(
        code=tasks["code"].to_numpy(dtype=object),
        task_id=tasks["task_id"].to_numpy(),
        task=tasks["task"].to_numpy(dtype=object),
        time_share=tasks["time_share"].to_numpy(dtype=float, na_value=np.nan),
        physical=tasks["physical"].to_numpy(dtype=float, na_value=np.nan),
        exposure=_text(exposure),
        exposure_rater=exposure_rater,
        automation_level=_text(level),
        observed_use=observed,
        automation_share=auto_share,
        score=np.where(known, score, np.nan),
        label=label,
    )


def score_tasks(
    tasks: pd.DataFrame,
    usage: pd.DataFrame,
    releases: pd.DataFrame,
    *,
    rater: str,
    displacement_share: float,
) -> pd.DataFrame:
    """Each task's score 1-5 and label, with the evidence behind them (same row order).

    Columns: ``exposure`` (E-label used) and ``exposure_rater``, ``automation_level``,
    ``observed_use``, ``automation_share``, ``score`` (NaN when unlabelled), ``label``.
    """
    s = score_task_arrays(
        tasks,
        usage,
        release_facts_of(releases),
        rater=rater,
        displacement_share=displacement_share,
    )
    return pd.DataFrame(
        {
            "code": tasks["code"],
            "task_id": tasks["task_id"],
            "task": tasks["task"],
            "time_share": tasks["time_share"],
            "physical": tasks["physical"],
            "exposure": s.exposure,
            "exposure_rater": s.exposure_rater,
            "automation_level": s.automation_level,
            "observed_use": s.observed_use,
            "automation_share": s.automation_share,
            "score": s.score,
            "label": s.label,
        },
        index=tasks.index,
    )
