"""A read-only view of the index: occupations, tasks, signals, measures, search.

    >>> cat = Catalog.open(Path("index.duckdb"))  # doctest: +SKIP
    >>> cat.occupation("15-2051.00").title  # doctest: +SKIP
    'Data Scientists'
    >>> [h.code for h in cat.search("machine lerning engineer")][:1]  # doctest: +SKIP
    ['15-2051.00']

Search looks at O*NET titles, alternate titles, short titles (``RN``) and reported titles,
tolerates typos (RapidFuzz WRatio) and expands a few common abbreviations (``dev``,
``mgr``, ``eng``...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from jobrisk.build import require_index
from jobrisk.errors import InputError, UnknownOccupationError

CODE_RE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")

ABBREVIATIONS = {
    "dev": "developer",
    "devs": "developers",
    "eng": "engineer",
    "engr": "engineer",
    "mgr": "manager",
    "mgmt": "management",
    "sr": "senior",
    "jr": "junior",
    "asst": "assistant",
    "admin": "administrator",
    "tech": "technician",
    "rep": "representative",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "hr": "human resources",
    "it": "information technology",
    "qa": "quality assurance",
    "ux": "user experience",
}

# When scores tie, an occupation's own title beats an alternate title beats a reported one.
KIND_RANK = {"title": 0, "short": 1, "alternate": 1, "reported": 2}


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    description: str
    soc_code: str
    major_code: str
    major_title: str | None
    minor_code: str | None
    minor_title: str | None
    broad_code: str | None
    broad_title: str | None
    job_zone: int | None
    has_tasks: bool
    employment: float | None
    annual_median_wage: float | None
    hourly_median_wage: float | None
    wage_topcoded: bool
    wage_year: int
    wage_soc_code: str | None
    wage_match: str
    onet_codes_sharing_soc: int
    projected_employment_2034: float | None
    projected_change_pct_2024_34: float | None
    projected_annual_openings: float | None
    entry_education: str | None
    projection_match: str


@dataclass(frozen=True)
class TaskEvidence:
    task_id: int
    task: str
    task_type: str | None
    time_share: float
    weight_source: str
    human_e: str | None
    gpt4_e: str | None
    gpt4_t: str | None
    human_t: str | None
    usage_share: float | None  # percent of Claude conversations, latest non-derived release
    penetration: float | None


@dataclass(frozen=True)
class Measure:
    measure: str
    value: float | None
    match_quality: str
    n_source_codes: int
    source_codes: str | None
    source_id: str
    source_taxonomy: str


@dataclass(frozen=True)
class WageYear:
    year: int
    employment: float | None
    annual_median_wage: float | None
    wage_topcoded: bool


@dataclass(frozen=True)
class SearchHit:
    code: str
    title: str
    matched: str
    kind: str
    score: float


@dataclass(frozen=True)
class SourceInfo:
    source_id: str
    title: str
    citation: str
    license: str
    attribution: str
    derived: bool


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v


class Catalog:
    """Read-only access to one built index."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, meta: dict[str, str]) -> None:
        self._con = con
        self.path = path
        self.meta = meta
        self._occupations: dict[str, Occupation] = {}  # an index never changes: read once

    @classmethod
    def open(cls, path: Path) -> Catalog:
        meta = require_index(path)
        return cls(duckdb.connect(str(path), read_only=True), path, meta)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read-only SQL query on the index (for the library's own modules and tests)."""
        return self._con.execute(sql, params or []).df()

    # --- occupations -----------------------------------------------------------------

    @cached_property
    def _codes(self) -> set[str]:
        return {r[0] for r in self._con.execute("select code from occupations").fetchall()}

    def resolve(self, query: str) -> str:
        """An O*NET-SOC code for a code, a 6-digit SOC code or a title; else suggestions."""
        q = query.strip()
        if CODE_RE.match(q):
            code = q if "." in q else f"{q}.00"
            if code in self._codes:
                return code
            near = sorted(c for c in self._codes if c.startswith(q[:7]))
            raise UnknownOccupationError(q, near[:5] or self._near_codes(q))
        if not q:
            raise InputError("empty occupation query", hint="give an O*NET-SOC code or a title")
        if q.lower().endswith((".yaml", ".yml", ".json", ".csv")):
            # a path is not a title: fuzzy search would still "find" an occupation for it
            raise InputError(
                f"{q!r} looks like a role file, not an occupation",
                hint="assess a custom role with `jobrisk assess FILE` (compare, careers and "
                "report take role files too)",
            )
        hits = self.search(q, limit=5)
        if hits and hits[0].score >= 90:
            return hits[0].code
        raise UnknownOccupationError(q, [f"{h.code} {h.title}" for h in hits if h.score >= 60])

    def _near_codes(self, q: str) -> list[str]:
        same_group = sorted(c for c in self._codes if c.startswith(q[:4]))
        return same_group[:5]

    def occupation(self, code: str) -> Occupation:
        code = self.resolve(code)
        if code not in self._occupations:
            self._occupations[code] = self._read_occupation(code)
        return self._occupations[code]

    def _read_occupation(self, code: str) -> Occupation:
        df = self.query(
            """select o.*, mj.title as major_title, mn.title as minor_title, br.title as broad_title
               from occupations o
               left join soc_groups mj on mj.code = o.major_code and mj.level = 'major'
               left join soc_groups mn on mn.code = o.minor_code and mn.level = 'minor'
               left join soc_groups br on br.code = o.broad_code and br.level = 'broad'
               where o.code = ?""",
            [code],
        )
        r = {k: _none(v) for k, v in df.iloc[0].to_dict().items()}
        return Occupation(
            code=r["code"],
            title=r["title"],
            description=r["description"],
            soc_code=r["soc_code"],
            major_code=r["major_code"],
            major_title=r["major_title"],
            minor_code=r["minor_code"],
            minor_title=r["minor_title"],
            broad_code=r["broad_code"],
            broad_title=r["broad_title"],
            job_zone=None if r["job_zone"] is None else int(r["job_zone"]),
            has_tasks=bool(r["has_tasks"]),
            employment=r["employment"],
            annual_median_wage=r["annual_median_wage"],
            hourly_median_wage=r["hourly_median_wage"],
            wage_topcoded=bool(r["wage_topcoded"]),
            wage_year=int(r["wage_year"]),
            wage_soc_code=r["wage_soc_code"],
            wage_match=r["wage_match"],
            onet_codes_sharing_soc=int(r["onet_codes_sharing_soc"]),
            projected_employment_2034=r["projected_employment_2034"],
            projected_change_pct_2024_34=r["projected_change_pct_2024_34"],
            projected_annual_openings=r["projected_annual_openings"],
            entry_education=r["entry_education"],
            projection_match=r["projection_match"],
        )

    def tasks(self, code: str) -> list[TaskEvidence]:
        """The occupation's O*NET 30.1 tasks with their signals, largest time share first."""
        code = self.resolve(code)
        latest = self._con.execute(
            "select max(release) from task_usage where not derived"
        ).fetchone()
        release = latest[0] if latest else None
        df = self.query(
            """select t.task_id, t.task, t.task_type, t.time_share, t.weight_source,
                      l.human_e, l.gpt4_e, l.gpt4_t, l.human_t, u.share as usage_share,
                      p.penetration
               from tasks t
               left join (select code, task_id, any_value(human_e) human_e, any_value(gpt4_e) gpt4_e,
                                 any_value(gpt4_t) gpt4_t, any_value(human_t) human_t
                          from task_exposure_labels where task_id is not null group by all) l
                 using (code, task_id)
               left join (select code, task_id, sum(share) share from task_usage
                          where release = ? and platform = 'claude_ai' and task_id is not null
                          group by all) u using (code, task_id)
               left join task_penetration p using (code, task_id)
               where t.code = ?
               order by t.time_share desc, t.task_id""",
            [release, code],
        )
        return [
            TaskEvidence(**{k: _none(v) for k, v in row.items()})  # type: ignore[arg-type]
            for row in df.to_dict("records")
        ]

    def measures(self, code: str) -> list[Measure]:
        code = self.resolve(code)
        df = self.query(
            """select measure, value, match_quality, n_source_codes, source_codes, source_id,
                      source_taxonomy from occupation_measures where code = ? order by measure""",
            [code],
        )
        return [Measure(**{k: _none(v) for k, v in r.items()}) for r in df.to_dict("records")]  # type: ignore[arg-type]

    def wage_history(self, code: str) -> list[WageYear]:
        occ = self.occupation(code)
        if occ.wage_soc_code is None:
            return []
        df = self.query(
            """select year, employment, annual_median_wage, wage_topcoded from oews
               where soc_code = ? order by year""",
            [occ.wage_soc_code],
        )
        return [WageYear(**{k: _none(v) for k, v in r.items()}) for r in df.to_dict("records")]  # type: ignore[arg-type]

    def list_group(self, group: str) -> pd.DataFrame:
        """Occupations under a SOC group code (``15-0000``, ``15-1200``, ``15-1250``) or prefix."""
        g = group.strip()
        if not re.match(r"^\d{2}(-\d{1,4}(\.\d{0,2})?)?$", g):
            raise InputError(
                f"{group!r} is not a SOC group code",
                hint="use a code such as 15-0000 (major), 15-1200 (minor), 15-1250 (broad) or 15-",
            )
        level_col = None
        if re.match(r"^\d{2}-0000$", g):
            level_col = "major_code"
        elif re.match(r"^\d{2}-\d{2}00$", g):
            level_col = "minor_code"
        elif re.match(r"^\d{2}-\d{3}0$", g):
            level_col = "broad_code"
        sql = """select code, title, job_zone, employment, annual_median_wage from occupations
                 where {} order by code"""
        if level_col:
            df = self.query(sql.format(f"{level_col} = ?"), [g])
        else:
            df = self.query(sql.format("code like ?"), [g + "%"])
        if df.empty:
            raise UnknownOccupationError(group, ["list major groups with `jobrisk list`"])
        return df

    def groups(self, level: str = "major") -> pd.DataFrame:
        return self.query(
            "select code, title from soc_groups where level = ? order by code", [level]
        )

    def sources(self) -> list[SourceInfo]:
        return list(self._sources)

    @cached_property
    def _sources(self) -> tuple[SourceInfo, ...]:
        df = self.query(
            "select source_id, title, citation, license, attribution, derived from sources"
        )
        return tuple(SourceInfo(**r) for r in df.to_dict("records"))  # type: ignore[arg-type]

    def coverage(self) -> pd.DataFrame:
        return self.query("select * from coverage")

    # --- search ------------------------------------------------------------------------

    @cached_property
    def _search_index(self) -> _TitleIndex:
        df = self.query(
            """select t.code, t.title as matched, t.kind, o.title
               from (select code, title, 'title' as kind from occupations
                     union all select code, title, kind from occupation_titles) t
               join occupations o using (code)"""
        )
        df["norm"] = df["matched"].map(normalize_title)
        df = df.drop_duplicates(["code", "norm"])
        return _TitleIndex(
            norm=df["norm"].tolist(),
            code=df["code"].tolist(),
            title=df["title"].tolist(),
            matched=df["matched"].tolist(),
            kind=df["kind"].tolist(),
        )

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Occupations whose title, alternate, short or reported title matches ``query``.

        Each occupation appears once, with its best-matching title; ties go to the
        occupation's own title, then to the title closest in length to the query.
        """
        from rapidfuzz import fuzz, process

        if len(query) > 200:
            raise InputError("search text longer than 200 characters", hint="search a job title")
        q = normalize_title(query)
        if not q:
            raise InputError("empty search", hint='try a job title, e.g. "registered nurse"')
        ix = self._search_index
        # WRatio alone scores any title found inside the query (or the query inside a title)
        # at 90: "rn" in "learning", "register" in "registered nurse". Averaging it with the
        # token-set ratio keeps typo tolerance and ranks whole-word matches above fragments.
        scores = (
            process.cdist([q], ix.norm, scorer=fuzz.WRatio, dtype=np.float32)[0]
            + process.cdist([q], ix.norm, scorer=fuzz.token_set_ratio, dtype=np.float32)[0]
        ) / 2
        top = np.argsort(-scores, kind="stable")[: max(200, limit * 20)]
        best: dict[str, tuple[float, int, int, int]] = {}
        words = set(q.split())
        for i in top.tolist():
            score = round(float(scores[i]), 1)
            if score <= 0:
                break
            exact = ix.norm[i] == q
            if len(ix.norm[i]) <= SHORT_TITLE_CHARS and not exact and ix.norm[i] not in words:
                continue  # "rn" inside "learning" is not a match for Registered Nurses

            key = (
                float(score) + (1.0 if exact else 0.0),
                -KIND_RANK.get(ix.kind[i], 3),
                -abs(len(ix.norm[i]) - len(q)),
                i,
            )
            if ix.code[i] not in best or key[:3] > best[ix.code[i]][:3]:
                best[ix.code[i]] = key
        ranked = sorted(best.values(), key=lambda k: k[:3], reverse=True)[:limit]
        return [
            SearchHit(ix.code[i], ix.title[i], ix.matched[i], ix.kind[i], min(score, 100.0))
            for score, _, _, i in ranked
        ]


@dataclass(frozen=True)
class _TitleIndex:
    norm: list[str]
    code: list[str]
    title: list[str]
    matched: list[str]
    kind: list[str]


SHORT_TITLE_CHARS = 3
"""Titles this short ("RN", "MA") match only as the whole query or one of its words: the
fuzzy scorer's partial match would find them inside any longer word."""


def normalize_title(text: str) -> str:
    """Lower-case, drop punctuation, expand common abbreviations (``sr. dev`` -> ``senior developer``)."""
    words = re.sub(r"[^\w\s]", " ", str(text).lower()).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)
