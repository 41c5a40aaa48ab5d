"""Published occupation-level measures, carried to O*NET-SOC 2019 codes as their sources gave them.

:class:`OccupationMeasure` is the shared machinery: it reads one measure of ``ev.measures``
and says, per occupation, which source codes the value came from and how they matched
(``exact``, ``split``, ``aggregated``). The older indices live here: AIOE (Felten, Raj,
Seamans), Frey-Osborne and Webb; the Microsoft and Anthropic measures subclass it in their own
modules.

A split is never hidden: a source code that reaches several O*NET occupations is named in
``split_codes`` and in the note, also when the occupation is ``aggregated`` from several source
codes (the crosswalk's own label then says only ``aggregated``).
"""

from __future__ import annotations

import weakref
from abc import abstractmethod
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from jobrisk.methods.base import Direction, Explanation, Family, Method, Parameter
from jobrisk.methods.evidence import Evidence
from jobrisk.methods.sums import BoolArray, IntArray, average_percentile
from jobrisk.methods.unit_rows import as_floats, unit_positions

__all__ = [
    "AIOE",
    "FreyOsborne",
    "MeasureTable",
    "OccupationMeasure",
    "Webb",
    "measure_table",
    "optional_float",
    "score_row",
]

MATCH_MEANING = {
    "exact": "one source code reaches this occupation and no other",
    "split": "its source code reaches several O*NET occupations, each given the same value",
    "aggregated": "several source codes reach this occupation; the value is their mean",
}

# AIOE is standardized over Felten et al.'s 774 SOC 2010 occupations (mean 0, sd 1), so it has
# no natural bound; the published extremes over the three variants are -3.65 and 2.42 (image
# generation). +-4 sd holds every published value and is a display range, not a property of AIOE.
AIOE_BOUND = 4.0

# Webb's replication file (final_df_out.dta) holds raw patent-overlap scores, not the
# percentiles his figures show: they are >= 0 without an upper bound, and the largest published
# value is 4.52 (robot). 5 holds every published value; a larger one fails the range check loudly.
WEBB_SCORE_CEILING = 5.0


def optional_float(value: Any) -> float | None:
    """``None`` for a missing number (NaN, NA, None), else the number as a float."""
    return None if pd.isna(value) else float(value)


def score_row(method: Method, ev: Evidence, code: str) -> dict[str, Any]:
    """One unit's row of the method's (memoized) scores, as plain column -> value."""
    return method.scores_row(ev, code)


@dataclass(frozen=True, eq=False)
class MeasureTable:
    """``ev.measures`` keyed once per evidence for every measure method: per measure, each
    unit's row (its first, as ``drop_duplicates("code")``; -1 without one) and the measure's
    source id (its first row's)."""

    rows: dict[str, IntArray]
    source_id: dict[str, str]


_TABLES: weakref.WeakKeyDictionary[Evidence, MeasureTable] = weakref.WeakKeyDictionary()


def measure_table(ev: Evidence) -> MeasureTable:
    """The evidence's :class:`MeasureTable`, made once per evidence."""
    table = _TABLES.get(ev)
    if table is None:
        table = _TABLES[ev] = _measure_table(ev)
    return table


def _measure_table(ev: Evidence) -> MeasureTable:
    n = len(ev.units)
    names, measure = np.unique(ev.measures["measure"].to_numpy(), return_inverse=True)
    measure = measure.reshape(-1)
    unit = unit_positions(ev, ev.measures["code"].to_numpy())
    inside = np.flatnonzero(unit >= 0)
    cells, first = np.unique(measure[inside] * n + unit[inside], return_index=True)
    rows = np.full(len(names) * n, -1, dtype=np.intp)
    rows[cells] = inside[first]
    sources = ev.measures["source_id"].to_numpy()
    _, first_row = np.unique(measure, return_index=True)
    return MeasureTable(
        rows={str(m): rows[i * n : (i + 1) * n] for i, m in enumerate(names.tolist())},
        source_id={str(m): str(sources[r]) for m, r in zip(names.tolist(), first_row, strict=True)},
    )


class OccupationMeasure(Method):
    """Base of the methods that read one published occupation measure of ``ev.measures``.

    Subclasses name the measure (:attr:`measure`) and the source's own code system
    (:attr:`taxonomy`); values are the source's, so the score of an exactly matched occupation
    reproduces the published file. ``compute`` adds ``match_quality``, ``source_codes`` and
    ``split_codes`` columns; ``n_tasks`` is 0 (the value is not built from tasks).
    """

    family = Family.PUBLISHED
    direction = Direction.EXPOSURE
    inputs: ClassVar[tuple[str, ...]] = ("measures.value", "measures.match_quality")
    taxonomy: ClassVar[str]

    @property
    @abstractmethod
    def measure(self) -> str:
        """The ``ev.measures.measure`` this method reads."""

    def measure_rows(self, ev: Evidence) -> pd.DataFrame:
        """Per unit: value, match_quality, source_codes, split_codes and a note on the match."""
        columns = self._measure_columns(ev)
        return pd.DataFrame(
            {
                k: columns[k]
                for k in ("value", "match_quality", "source_codes", "split_codes", "note")
            },
            index=ev.units.index,
        )

    def _measure_columns(self, ev: Evidence) -> dict[str, Any]:
        """The columns of :meth:`measure_rows`, as arrays (one frame is built, in compute)."""
        units = ev.units
        at = measure_table(ev).rows.get(self.measure)
        if at is None:
            at = np.full(len(units), -1, dtype=np.intp)
        value = take(as_floats(ev.measures["value"]), at, allow_fill=True)
        quality = take(ev.measures["match_quality"].array, at, allow_fill=True)
        known = ~np.isnan(value)
        kinds = units["kind"].tolist()
        sources = self._source_codes(ev, at, known)
        onet = [ok and kind == "onet" for ok, kind in zip(known.tolist(), kinds, strict=True)]
        # a source code that reaches several O*NET occupations (counted over the O*NET units
        # here; a custom role alone has none, so nothing to split)
        fan_out = Counter(c for s, o in zip(sources, onet, strict=True) if o for c in s.split(","))
        split_codes = [
            ",".join(c for c in s.split(",") if c != "" and fan_out[c] > 1) if o else ""
            for s, o in zip(sources, onet, strict=True)
        ]
        note = [
            self._match_note(q, s, sp) if ok else self._missing_note(kind)
            for ok, q, s, sp, kind in zip(
                known.tolist(), quality, sources, split_codes, kinds, strict=True
            )
        ]
        return {
            "value": value,
            "match_quality": quality,
            "source_codes": pd.array(sources, dtype=str),
            "split_codes": pd.array(split_codes, dtype=str),
            "note": pd.array(note, dtype=str),
        }

    def _source_codes(self, ev: Evidence, at: IntArray, known: BoolArray) -> list[str]:
        if "source_codes" in ev.measures.columns:
            codes = take(ev.measures["source_codes"].to_numpy(), at, allow_fill=True)
            return ["" if pd.isna(c) else str(c) for c in codes]
        if self.taxonomy == "SOC 2018":
            soc = ev.units["soc_code"].tolist()
            return ["" if not k or pd.isna(c) else str(c) for c, k in zip(soc, known, strict=True)]
        return [""] * len(ev.units)

    def _match_note(self, quality: str, sources: str, split: str) -> str:
        named = sources.replace(",", ", ") if sources else "source codes not in the evidence"
        note = f"{quality} match from {self.taxonomy} {named}: {MATCH_MEANING.get(quality, '')}"
        if split and quality != "split":
            note += f"; split: {split.replace(',', ', ')} also reach other O*NET occupations"
        return note

    def _missing_note(self, kind: str) -> str:
        if kind != "onet":
            return f"{self.measure} is published per occupation; a custom role has no value"
        return f"no {self.taxonomy} code of {self.measure} reaches this occupation"

    def compute(self, ev: Evidence) -> pd.DataFrame:
        return pd.DataFrame(self._columns(ev), index=ev.units.index)

    def _columns(self, ev: Evidence) -> dict[str, Any]:
        """The score table's columns in order; subclasses add theirs (one frame is built)."""
        rows = self._measure_columns(ev)
        return {
            "value": rows["value"],
            "n_tasks": np.zeros(len(ev.units), dtype=int),
            "note": rows["note"],
            "match_quality": rows["match_quality"],
            "source_codes": rows["source_codes"],
            "split_codes": rows["split_codes"],
        }

    def measure_inputs(self, ev: Evidence, code: str) -> tuple[dict[str, Any], str]:
        """The explanation inputs (measure, source, codes, match) and the match note."""
        return self._inputs(ev, score_row(self, ev, code))

    def _inputs(self, ev: Evidence, row: dict[str, Any]) -> tuple[dict[str, Any], str]:
        inputs: dict[str, Any] = {
            "measure": self.measure,
            "source_id": measure_table(ev).source_id.get(self.measure, self.source_ids[0]),
            "source_taxonomy": self.taxonomy,
            "source_codes": [c for c in str(row["source_codes"]).split(",") if c],
            "match_quality": None if pd.isna(row["match_quality"]) else str(row["match_quality"]),
            "split_codes": [c for c in str(row["split_codes"]).split(",") if c],
        }
        return inputs, str(row["note"])

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        row = score_row(self, ev, code)
        inputs, note = self._inputs(ev, row)
        value = optional_float(row["value"])
        summary = (
            f"{self.title} = {value:.4g}, as published for {self.taxonomy} "
            f"{', '.join(inputs['source_codes']) or '(code not in the evidence)'} "
            f"({inputs['match_quality']} match); an occupation-level measure, without tasks"
            if value is not None
            else note
        )
        return Explanation(
            method=self.name,
            code=code,
            value=value,
            label=None,
            summary=summary,
            additive=False,
            tasks=(),
            inputs=inputs,
            notes=(note,),
        )


class AIOE(OccupationMeasure):
    """AI Occupational Exposure: how much the abilities an occupation needs overlap with the
    AI applications that made progress (EFF AI metrics), standardized over occupations.

    Source: Felten, Raj, Seamans (2021), Strategic Management Journal 42(12), Data Appendix A
    (``overall``); Felten, Raj, Seamans (2023), "How will language modelers like ChatGPT affect
    occupations and industries?", language-modeling and image-generation AIOE. Values are SOC
    2010 scores carried to O*NET-SOC 2019 through the BLS 2010-to-2018 crosswalk: exact matches
    reproduce the published files; the method deviates where a SOC 2010 code is split over
    several 2019 occupations (each gets its value) or several codes are aggregated (their mean).
    Range: a standardized score (mean 0, sd 1 over the source's 774 occupations), negative for
    less exposed occupations; ``score_range`` is +-4 sd, which holds every published value.
    """

    key = "aioe"
    label = "AIOE (Felten et al.)"
    citation = (
        "Felten, E., Raj, M., Seamans, R. (2021). Occupational, industry, and geographic "
        "exposure to artificial intelligence: A novel dataset and its potential uses. Strategic "
        "Management Journal 42(12); Felten, Raj, Seamans (2023), How will language modelers "
        "like ChatGPT affect occupations and industries? arXiv:2303.01157."
    )
    source_ids = ("felten_aioe",)
    taxonomy = "SOC 2010"
    score_range = (-AIOE_BOUND, AIOE_BOUND)
    unit = "standardized score (sd over occupations)"
    parameters = (
        Parameter(
            "variant",
            "overall",
            "overall (2021, all AI applications), language_modeling or image_generation (2023)",
            choices=("overall", "language_modeling", "image_generation"),
        ),
    )

    @property
    def measure(self) -> str:
        variant = self.params["variant"]
        return "aioe" if variant == "overall" else f"aioe_{variant}"

    @property
    def name(self) -> str:
        return self.measure

    @property
    def title(self) -> str:
        variant = self.params["variant"]
        return "AIOE" if variant == "overall" else f"AIOE, {variant.replace('_', ' ')}"


class FreyOsborne(OccupationMeasure):
    """Frey and Osborne's probability that an occupation is computerisable (0-1).

    Source: Frey, Osborne (2017), "The future of employment", Technological Forecasting and
    Social Change 114, appendix table (the 2013 working paper's numbers), on SOC 2010 codes
    carried to O*NET-SOC 2019 through the BLS 2010-to-2018 crosswalk (17 SOC 2000 / OES-only
    codes first through ``sources.indices.FREY_OSBORNE_CODE_MAP``). Exact matches reproduce
    the appendix; the method deviates where a SOC 2010 code is split over several 2019
    occupations (each gets its probability) or several are aggregated (their mean).
    """

    key = "frey_osborne"
    label = "Frey-Osborne probability of computerisation"
    citation = (
        "Frey, C. B., Osborne, M. A. (2017). The future of employment: How susceptible are jobs "
        "to computerisation? Technological Forecasting and Social Change 114 (working paper 2013)."
    )
    source_ids = ("frey_osborne",)
    taxonomy = "SOC 2010"
    score_range = (0.0, 1.0)
    unit = "probability (0-1)"

    @property
    def measure(self) -> str:
        return "frey_osborne_probability"


class Webb(OccupationMeasure):
    """Webb's patent-based exposure: how much an occupation's tasks (verb-object pairs) overlap
    with what patents of a technology (AI, software, robots) describe.

    Source: Webb (2020), "The Impact of Artificial Intelligence on the Labor Market",
    replication file ``final_df_out.dta`` keyed by O*NET-SOC 2010 code, carried to 2019 codes
    through O*NET's 2010-to-2019 crosswalk. ``value`` is the file's raw score (>= 0, unbounded;
    exact matches reproduce it); the paper's figures show employment-weighted percentiles,
    which this method deviates from: ``percentile`` (extra column) is the unweighted rank among
    O*NET occupations, 0-100. Splits and aggregations are marked as for the other indices.
    """

    key = "webb"
    label = "Webb patent exposure"
    citation = (
        "Webb, M. (2020). The Impact of Artificial Intelligence on the Labor Market. Working paper."
    )
    source_ids = ("webb_2020",)
    taxonomy = "O*NET-SOC 2010"
    score_range = (0.0, WEBB_SCORE_CEILING)
    unit = "raw patent-overlap score (>= 0)"
    parameters = (
        Parameter(
            "technology",
            "ai",
            "whose patents: ai, software or robot",
            choices=("ai", "software", "robot"),
        ),
    )

    @property
    def measure(self) -> str:
        return f"webb_{self.params['technology']}"

    @property
    def name(self) -> str:
        return self.measure

    @property
    def title(self) -> str:
        return f"Webb exposure to {self.params['technology']} patents"

    def _columns(self, ev: Evidence) -> dict[str, Any]:
        columns = super()._columns(ev)
        onet = np.array([kind == "onet" for kind in ev.units["kind"].tolist()], dtype=bool)
        columns["percentile"] = average_percentile(np.where(onet, columns["value"], np.nan))
        return columns
