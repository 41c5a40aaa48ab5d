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

from abc import abstractmethod
from typing import Any, ClassVar

import pandas as pd

from jobrisk.methods.base import Direction, Explanation, Family, Method, Parameter
from jobrisk.methods.evidence import Evidence

__all__ = ["AIOE", "FreyOsborne", "OccupationMeasure", "Webb", "optional_float", "score_row"]

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
        rows = ev.measures[ev.measures["measure"] == self.measure]
        rows = rows.drop_duplicates("code").set_index("code")
        units = ev.units
        value = rows["value"].reindex(units.index).astype(float)
        quality = rows["match_quality"].reindex(units.index)
        sources = self._source_codes(rows, units)
        known = value.notna()
        onet = known & (units["kind"] == "onet")
        if onet.any():
            exploded = sources[onet].str.split(",").explode()
            fan_out = exploded.groupby(exploded).transform("size")
            split = exploded[(fan_out > 1) & (exploded != "")]
            split_codes = split.groupby(level=0).agg(",".join).reindex(units.index).fillna("")
        else:  # a custom role (no O*NET unit): nothing to split, and pandas is slow on nothing
            split_codes = pd.Series("", index=units.index, dtype=str)
        note = [
            self._match_note(q, s, sp) if ok else self._missing_note(kind)
            for ok, q, s, sp, kind in zip(
                known, quality, sources, split_codes, units["kind"], strict=True
            )
        ]
        return pd.DataFrame(
            {
                "value": value,
                "match_quality": quality,
                "source_codes": sources,
                "split_codes": split_codes,
                "note": pd.Series(note, index=units.index, dtype=str),
            },
            index=units.index,
        )

    def _source_codes(self, rows: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
        if "source_codes" in rows.columns:
            return rows["source_codes"].reindex(units.index).fillna("").astype(str)
        if self.taxonomy == "SOC 2018":
            codes = units["soc_code"].where(rows["value"].reindex(units.index).notna())
            return codes.fillna("").astype(str)
        return pd.Series("", index=units.index, dtype=str)

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
        rows = self.measure_rows(ev)
        return pd.DataFrame(
            {
                "value": rows["value"],
                "n_tasks": 0,
                "note": rows["note"],
                "match_quality": rows["match_quality"],
                "source_codes": rows["source_codes"],
                "split_codes": rows["split_codes"],
            },
            index=rows.index,
        )

    def measure_inputs(self, ev: Evidence, code: str) -> tuple[dict[str, Any], str]:
        """The explanation inputs (measure, source, codes, match) and the match note."""
        row = score_row(self, ev, code)
        source_id = ev.measures.loc[ev.measures["measure"] == self.measure, "source_id"]
        inputs: dict[str, Any] = {
            "measure": self.measure,
            "source_id": str(source_id.iloc[0]) if len(source_id) else self.source_ids[0],
            "source_taxonomy": self.taxonomy,
            "source_codes": [c for c in str(row["source_codes"]).split(",") if c],
            "match_quality": None if pd.isna(row["match_quality"]) else str(row["match_quality"]),
            "split_codes": [c for c in str(row["split_codes"]).split(",") if c],
        }
        return inputs, str(row["note"])

    def contributions(self, ev: Evidence, code: str) -> Explanation:
        inputs, note = self.measure_inputs(ev, code)
        value = optional_float(score_row(self, ev, code)["value"])
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

    def compute(self, ev: Evidence) -> pd.DataFrame:
        out = super().compute(ev)
        onet = out["value"].where(ev.units["kind"] == "onet")
        out["percentile"] = onet.rank(pct=True) * 100.0
        return out
