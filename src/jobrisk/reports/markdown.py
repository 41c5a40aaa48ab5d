"""Markdown renderer (GitHub-flavoured tables). Text is escaped: ``|``, ``<``, ``>``, ``&``.

>>> print(render_markdown(build_report(cat, "15-2051.00")))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from jobrisk.reports import formatting as fmt
from jobrisk.reports.model import AijriInput, Report

__all__ = ["render_markdown"]


def esc(value: object) -> str:
    """Text safe in a Markdown table cell and inert as HTML."""
    s = fmt.text(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
    return " ".join(s.split())


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return [*out, ""]


def _cite(ids: Iterable[str]) -> list[str]:
    unique = list(dict.fromkeys(ids))
    return [f"Sources: {', '.join(esc(i) for i in unique)}", ""] if unique else []


def _notes(notes: Iterable[str]) -> list[str]:
    lines = [f"- {esc(n)}" for n in notes]
    return [*lines, ""] if lines else []


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    r, p = report, report.profile
    out: list[str] = [f"# {esc(r.title)}", ""]
    out += [
        f"*{'O*NET-SOC ' + r.code if r.kind == 'occupation' else 'Custom role ' + r.code}*"
        .replace("O*NET", "O\\*NET"),
        "",
    ]  # fmt: skip
    out += ["## What the role is", "", esc(p.description), ""]
    if p.kind == "occupation":
        groups = " > ".join(
            f"{t or '-'} ({c})"
            for c, t in (
                (p.major_code, p.major_title),
                (p.minor_code, p.minor_title),
                (p.broad_code, p.broad_title),
            )
            if c
        )
        wage = "at or above the top code" if p.wage_topcoded else fmt.money(
            p.annual_median_wage, cents=False
        )  # fmt: skip
        facts = [
            ("SOC group", esc(groups)),
            ("Job zone", fmt.text(p.job_zone)),
            (f"Employment (BLS OEWS May {p.wage_year})", fmt.count(p.employment)),
            ("Median annual wage", wage),
            ("Median hourly wage", fmt.money(p.hourly_median_wage)),
            ("Projected change 2024-34", fmt.signed_pct(p.projected_change_pct_2024_34)),
            ("Entry education", esc(p.entry_education)),
        ]
    else:
        best = f"{p.best_match_title} ({p.best_match_code})" if p.best_match_code else None
        facts = [
            ("Task matcher", esc(p.matcher)),
            ("Best-matched occupation", esc(best)),
            ("Hourly wage given", fmt.money(p.hourly_median_wage)),
        ]
    out += _table(["fact", "value"], facts)
    out += _notes(p.notes) + _cite(p.sources)

    out += ["## Score card per method", ""]
    out += _table(
        ["method", "value", "unit", "pct.", "exposure pct.", "zone / cell", "in consensus"],
        [
            [esc(c.title), esc(c.display), esc(c.unit), fmt.pct(c.percentile),
             fmt.pct(c.exposure_percentile), esc(c.zone), fmt.flag(c.in_consensus)]
            for c in r.scores
        ],
    )  # fmt: skip
    out += _cite(s for c in r.scores for s in c.sources)

    c = r.consensus
    out += ["## Consensus and disagreement", ""]
    out += _table(
        ["consensus exposure pct.", "low", "high", "methods", "spread"],
        [[fmt.pct(c.exposure_percentile), fmt.pct(c.low), fmt.pct(c.high), str(c.n_methods),
          fmt.pct(c.spread)]],
    )  # fmt: skip
    out += [esc(c.summary), ""]
    if c.disagreement is not None:
        d = c.disagreement
        out += ["### Where methods disagree", "", esc(d.summary), ""]
        if d.tasks:
            out += _table(
                ["task", "time share", esc(d.title_a), esc(d.title_b)],
                [
                    [esc(t.task), fmt.share(t.time_share), _score(t.score_a), _score(t.score_b)]
                    for t in d.tasks
                ],
            )
    out += _cite(c.sources)

    out += ["## Tasks", ""]
    role = r.kind == "custom_role"
    headers = ["#", "task", "time share", "exposure", "automation", "observed use",
               "matrix cell", "AIJRI task score"]  # fmt: skip
    if role:
        headers += ["match", "match confidence", "closest O\\*NET task"]
    rows = []
    for t in r.tasks.rows:
        row = [str(t.number), esc(t.task), fmt.share(t.time_share), esc(t.exposure),
               esc(t.automation), fmt.flag(t.observed_use), esc(t.matrix_cell),
               fmt.text(t.aijri_score)]  # fmt: skip
        if role:
            closest = f"{t.matched_task} ({t.matched_code})" if t.matched_task else None
            row += [esc(t.match_status), fmt.confidence(t.match_confidence), esc(closest)]
        rows.append(row)
    out += [f"Time shares: {esc(r.tasks.weight_source)}.", ""]
    out += _table(headers, rows) + _notes(r.tasks.notes) + _cite(r.tasks.sources)

    o = r.outlook
    out += [
        "## Tasks most likely automated, and tasks that remain",
        "",
        "**Most likely automated**",
        "",
    ]
    out += [f"{i}. {esc(t.task)}" for i, t in enumerate(o.most_automated, 1)] or ["None."]
    out += ["", "**Likely to remain**", ""]
    out += [f"{i}. {esc(t.task)}" for i, t in enumerate(o.remaining, 1)] or ["None."]
    out += ["", f"Basis: {esc(o.basis)}.", "", *_cite(o.sources)]

    a = r.aijri
    zone = f"{a.zone}, {a.sub_label}" if a.sub_label else fmt.text(a.zone)
    out += ["## AIJRI breakdown", "", f"**AIJRI {fmt.number(a.value, 1)}** ({esc(zone)}); "
            "0-100, higher = more resistant.", "", esc(a.summary), ""]  # fmt: skip
    inputs: list[AijriInput] = [*a.principles, *a.evidence, *a.barriers, *a.growth]
    out += _table(
        ["input", "value", "status", "basis"],
        [[esc(i.name), fmt.text(i.value), esc(i.status), esc(i.basis)] for i in inputs],
    )
    out += _table(
        ["part", "total", "modifier"],
        [
            ["weighted task score", fmt.number(a.weighted_task_score, 2), "-"],
            ["task resistance", fmt.number(a.task_resistance, 2), "-"],
            ["principles", fmt.text(a.principles_total), "-"],
            ["evidence", fmt.text(a.evidence_total), fmt.number(a.evidence_modifier, 2)],
            ["barriers", fmt.text(a.barrier_total), fmt.number(a.barrier_modifier, 2)],
            ["growth correlation", fmt.text(a.growth_correlation),
             fmt.number(a.growth_modifier, 2)],
            ["raw", fmt.number(a.raw, 4), "-"],
            ["composite", "-", fmt.number(a.composite, 1)],
        ],
    )  # fmt: skip
    out += [*_notes(a.notes), esc(a.citation), "", *_cite(a.sources)]

    k = r.cost
    out += ["## Operational AI cost of a task-hour", ""]
    out += _table(
        ["part", "per hour"],
        [
            ["AI cost per AI-handled task-hour", fmt.money(k.value)],
            ["inference", fmt.money(k.inference)],
            [f"oversight ({fmt.number(k.oversight_minutes, 0)} min)", fmt.money(k.oversight)],
            ["downstream errors", fmt.money(k.errors)],
            ["hourly wage", fmt.money(k.hourly_wage)],
            [f"loaded human hour (x {fmt.number(k.loading_factor, 3)})",
             fmt.money(k.human_cost_per_hour)],
            ["AI cost / human hour", fmt.share(k.ai_cost_share, 0)],
        ],
    )  # fmt: skip
    out += [esc(k.summary), "", *_notes(k.notes), esc(k.citation), "", *_cite(k.sources)]

    cj = r.comparable
    out += ["## Comparable jobs", "", f"{esc(cj.note)} (by {esc(cj.method)}).", ""]
    if cj.rows:
        out += _table(
            ["code", "occupation", "value", "exposure pct.", "employment", "median wage",
             "similarity"],
            [
                [j.code, esc(j.title), fmt.number(j.value, 1), fmt.pct(j.percentile),
                 fmt.count(j.employment), fmt.money(j.median_wage, cents=False),
                 fmt.confidence(j.similarity)]
                for j in cj.rows
            ],
        )  # fmt: skip
    out += _cite(cj.sources)

    out += ["## Sources", ""]
    for s in r.sources:
        derived = "; derived by a third party" if s.derived else ""
        out.append(f"- `{s.source_id}`: {esc(s.citation)} ({esc(s.license)}{derived})")
    out.append("")
    if r.notes:
        out += ["### Notes", "", *_notes(r.notes)]
    out += [esc(r.attribution), ""]
    return "\n".join(out)


def _score(v: float | None) -> str:
    return "occ." if v is None else fmt.pct(v * 100)
