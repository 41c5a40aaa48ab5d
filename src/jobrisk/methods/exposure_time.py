"""Exposure and automation risk over time (page 001): 2023, each Anthropic release, a projection.

Each task of an occupation is *reached* at a date or not, and carries an *automation* level
0-1 (the part of its work AI would do without a person):

- 2023 (LLM alone): reached when Eloundou et al. label it E1 (human label, GPT-4 where the
  human label is missing); automation from its T label (T3/T4 count, or a graded T0..T4).
- each Anthropic release: reached when the task has been seen in use (share of conversations
  above ``threshold``) at this release or an earlier one, or was reached in 2023; automation
  is the task's share of use in directive / feedback-loop modes at the latest release that
  has one (v1 has none and takes the next release's), its T label where never observed.

An occupation's exposure at a date is the time-weighted share of its tasks reached (0-100);
its automation risk is the time-weighted sum of reached x automation (0-100). The projection
moves today's value along a logistic curve (:mod:`jobrisk.methods.adoption`) whose growth
rate is fitted to all occupations' series, with an interval from a bootstrap over tasks and
release dates.

    >>> from jobrisk.methods.exposure_time import ExposureOverTime  # doctest: +SKIP
    >>> ExposureOverTime(quantity="exposure", at="now").score_evidence(ev)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

from jobrisk.methods.base import (
    Direction,
    Explanation,
    Family,
    Method,
    Parameter,
    TaskContribution,
)
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.exposure_series import (
    AUTOMATION_LEVELS,
    PENETRATION_DATE,
    QUANTITIES,
    RELEASE_KEYS,
    FitOptions,
    TimelineOptions,
    _timeline_of,
    series_columns,
)
from jobrisk.methods.unit_rows import table_row

__all__ = ["ExposureOverTime"]

AT_CHOICES = ("2023", *RELEASE_KEYS, "now", "projection")
# data/MANIFEST.md: v3-v5 are a third party's derivation from the raw releases, "label it as
# derived wherever shown"; the evidence's own ``releases.derived`` flag is used for the data.
DERIVED_IN_TITLES = ("v3", "v4", "v5")


def _number(value: Any) -> float | None:
    if isinstance(value, float):  # numpy floats too: NaN is the one value unequal to itself
        return None if value != value else float(value)
    return None if value is None or pd.isna(value) else float(value)


class ExposureOverTime(Method):
    """AI exposure or automation risk (0-100) of an occupation at a date, with the whole trend.

    Source: page 001 ("67% AI exposure in 2025, up from 50% in 2023 ... automation risk 40
    ... projected 82% by 2028"), which does not publish its method; built here from Eloundou
    et al. (2024) task labels (E1 = LLM alone; T0-T4 automation), the Anthropic Economic Index
    task shares and interaction modes (v1 2025-02-10, v2 2025-03-27; v3-v5 derived by a third
    party, labelled derived wherever shown) and, optionally, Anthropic's 2026 task penetration.

    Exposure = 100 x time-weighted share of tasks reached: 2023 = E1 tasks (human label, GPT-4
    label where the human one is missing); a release = tasks seen in use (share > threshold)
    at or before it, united with the 2023 E1 tasks. Automation risk = 100 x time-weighted sum
    over reached tasks of the part AI would do without a person: the task's directive +
    feedback-loop share of use (latest release that has one; v1 takes v2's), else its T label
    (T3/T4 = 1). The projection moves today's value along a logistic curve whose growth rate
    is fitted to all O*NET occupations' series at once (logit least squares, one rate, each
    occupation its own level) with the ceiling = tasks within reach at all (E1, E2 or seen in
    use); interval: percentiles over a bootstrap of release dates (the rate) x tasks (the
    occupation's level and ceiling). Deviation: page 001's numbers come from its own
    unpublished model; usage that reached an occupation only at the SOC level (no task) is
    not counted and is reported in ``note``.
    """

    key = "exposure_over_time"
    label = "AI exposure over time"
    family = Family.PAGE
    citation = (
        "Page 001 (exposure and automation risk over time); Eloundou et al. (2024) Science "
        "384(6702); Handa et al. (2025) Anthropic Economic Index; Anthropic (2026) Labor market "
        "impacts of AI."
    )
    source_ids = (
        "eloundou_2023",
        "anthropic_economic_index/release_2025_02_10",
        "anthropic_economic_index/release_2025_03_27",
        "anthropic_economic_index/derived_v3_v5",
        "anthropic_economic_index/labor_market_impacts",
    )
    inputs = (
        "tasks.time_share",
        "tasks.human_e",
        "tasks.gpt4_e",
        "tasks.human_t",
        "tasks.gpt4_t",
        "tasks.penetration",
        "usage.share",
        "usage.automation_share",
        "usage.release",
        "usage.platform",
        "releases.release_date",
        "releases.derived",
        "releases.has_modes",
    )
    score_range = (0.0, 100.0)
    direction = Direction.EXPOSURE
    unit = "percent of work time (0-100)"
    parameters = (
        Parameter(
            "quantity",
            "exposure",
            "exposure (share of tasks AI reaches) or automation_risk (the part it would do "
            "without a person)",
            choices=QUANTITIES,
        ),
        Parameter(
            "at",
            "now",
            "2023 (LLM alone), a release v1..v5 (v3-v5 derived), now (latest release) or "
            "projection (projection_year)",
            choices=AT_CHOICES,
        ),
        Parameter("rater", "human", "whose Eloundou labels come first", choices=("human", "gpt4")),
        Parameter(
            "platform",
            "claude_ai",
            "usage seen on claude_ai (all five releases) or any platform (API from v3 on)",
            choices=("claude_ai", "any"),
        ),
        Parameter(
            "threshold",
            0.0,
            "a task is seen in use when its share of conversations (percent, after the "
            "pct/n split over occupations sharing the statement) is above this",
            bounds=(0.0, 1.0),
        ),
        Parameter(
            "cumulative",
            True,
            "a task seen at one release stays reached later",
            choices=(True, False),
        ),
        Parameter(
            "union_2023",
            True,
            "releases also count the 2023 E1 tasks as reached",
            choices=(True, False),
        ),
        Parameter(
            "penetration",
            False,
            "also count tasks with 2026 task penetration > 0, from the first release after "
            f"{PENETRATION_DATE}",
            choices=(False, True),
        ),
        Parameter(
            "automation_levels",
            "T3+",
            "T labels as automation: T3+ (T3, T4 = 1) or graded (T0..T4 = 0, .25, .5, .75, 1)",
            choices=tuple(AUTOMATION_LEVELS),
        ),
        Parameter(
            "automation_evidence",
            "observed_first",
            "observed directive + feedback-loop share where a task has one, else the T label; "
            "or labels only",
            choices=("observed_first", "labels"),
        ),
        Parameter(
            "projection_year", 2028, "year of the projection (1 January)", bounds=(2027, 2040)
        ),
        Parameter("interval", 0.8, "coverage of the projection interval", bounds=(0.5, 0.99)),
        Parameter("n_boot", 100, "bootstrap draws for the interval", bounds=(20, 2000)),
        Parameter("seed", 20260324, "seed of the bootstrap", bounds=(0, 2**32 - 1)),
    )

    @property
    def name(self) -> str:
        at = self.params["at"]
        suffix = str(int(self.params["projection_year"])) if at == "projection" else at
        return f"{self.params['quantity']}_{suffix}"

    @property
    def title(self) -> str:
        what = "AI exposure" if self.params["quantity"] == "exposure" else "Automation risk"
        at = self.params["at"]
        when = {
            "2023": "2023 (LLM alone)",
            "now": "now (latest Anthropic release)",
            "projection": f"projected {int(self.params['projection_year'])}",
        }.get(at, f"at release {at}{' (derived)' if at in DERIVED_IN_TITLES else ''}")
        return f"{what}, {when}"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._opts = self._read_options()  # every explanation reads them: made once

    def _options(self) -> tuple[TimelineOptions, FitOptions]:
        return self._opts

    def _read_options(self) -> tuple[TimelineOptions, FitOptions]:
        p = self.params
        timeline = TimelineOptions(**{f.name: p[f.name] for f in fields(TimelineOptions)})
        fit = FitOptions(
            int(p["projection_year"]), float(p["interval"]), int(p["n_boot"]), int(p["seed"])
        )
        return timeline, fit

    def _column(self, series: dict[str, Any]) -> str | None:
        q, at = self.params["quantity"], self.params["at"]
        if at == "projection":
            return f"{q}_{int(self.params['projection_year'])}"
        if at == "now":
            return f"{q}_{series['now_point'][0]}" if len(series["now_point"]) else None
        column = f"{q}_{at}"
        return column if column in series else None

    def compute(self, ev: Evidence) -> pd.DataFrame:
        opts, fit = self._options()
        series = series_columns(ev, opts, fit)
        q = self.params["quantity"]
        year = int(self.params["projection_year"])
        column = self._column(series)
        notes = series["note"].tolist()
        n_units = len(notes)
        value = series[column] if column else np.full(n_units, np.nan)
        if column is None:
            note = [f"release {self.params['at']} is not in this evidence ({opts.platform})"]
            note *= n_units
        else:
            no_fit = "no projection: fewer than two dated points to fit"
            note = [
                no_fit if v != v and n == "" else n
                for v, n in zip(value.tolist(), notes, strict=True)
            ]
        # one frame from arrays (inserts, copies and index alignment cost more than a role's row);
        # the series' own note column where no note changed (its text is already pandas')
        columns = {
            "value": value,
            "n_tasks": series["n_tasks"],
            "note": series["note"] if note == notes else np.array(note, dtype=object),
        }
        columns.update((c, v) for c, v in series.items() if c.startswith(f"{q}_"))
        columns["projection_low"] = series[f"{q}_{year}_low"]
        columns["projection_high"] = series[f"{q}_{year}_high"]
        for column_name in ("now_release", "now_point", "untasked_share_now"):
            columns[column_name] = series[column_name]
        return pd.DataFrame(columns, index=ev.units.index)

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        opts, fit = self._options()
        q, at = self.params["quantity"], self.params["at"]
        row = table_row(ev, self.memoized_scores(ev), code)
        value = _number(row["value"])
        tl = _timeline_of(ev, code, opts)
        keys = [p.key for p in tl.points]
        j = keys.index(at) if at in keys else len(keys) - 1
        factor = tl.automation[:, j] if q == "automation_risk" else np.ones(len(tl))
        share = tl.time_share
        part = 100 * share * tl.reached[:, j] * factor
        e_label, t_label = tl.e_label.tolist(), tl.t_label.tolist()
        first_seen = tl.first_seen.tolist()
        reached, automation = tl.reached[:, j].tolist(), tl.automation[:, j].tolist()
        potential = tl.potential.tolist()
        task_ids, texts = tl.task_ids, tl.task_texts
        share_list, part_list = share.tolist(), part.tolist()
        contributions = [
            TaskContribution(
                task_id=int(str(task_ids[i])),
                task=str(texts[i]),
                time_share=share_list[i],
                contribution=part_list[i],
                detail={
                    "exposure_label": e_label[i],
                    "automation_label": t_label[i],
                    "first_seen_in_use": first_seen[i],
                    "reached": bool(reached[i]),
                    "automation": automation[i],
                    "within_reach": bool(potential[i]),
                },
            )
            for i in range(len(tl))
        ]
        year = int(fit.projection_year)
        series = {p.label: _number(row[f"{q}_{p.key}"]) for p in tl.points}
        notes = [n for n in str(row["note"]).split("; ") if n]
        derived = [p.key for p in tl.points if p.derived]
        if derived:
            notes.append(f"{', '.join(derived)}: derived releases (a third party's derivation)")
        point = tl.points[j]
        if value is None:
            summary = str(row["note"]) or "no value"
        elif at == "projection":
            summary = (
                f"{self.title} = {value:.1f} ({fit.interval:.0%} interval "
                f"{row['projection_low']:.1f}-{row['projection_high']:.1f}), from "
                f"{row[f'{q}_{point.key}']:.1f} at {point.label}; growth rate "
                f"{row[f'{q}_growth_rate']:.2f} per year (logit), ceiling {row[f'{q}_ceiling']:.1f}"
            )
        else:
            n_reached = int(tl.reached[:, j].sum())
            summary = (
                f"{self.title} = {value:.1f} at {point.label}: {n_reached} of {len(tl)} tasks "
                f"reached ({point.source})"
            )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=point.label if at != "projection" else str(year),
            summary=summary,
            additive=at != "projection",
            tasks=tuple(sorted(contributions, key=lambda t: (-t.contribution, -t.time_share))),
            inputs={
                "series": series,
                f"projection_{year}": _number(row[f"{q}_{year}"]),
                "projection_low": _number(row["projection_low"]),
                "projection_high": _number(row["projection_high"]),
                "growth_rate": _number(row[f"{q}_growth_rate"]),
                "ceiling": _number(row[f"{q}_ceiling"]),
                **{k: v for k, v in self.params.items() if k not in ("quantity", "at")},
            },
            notes=tuple(notes),
        )
