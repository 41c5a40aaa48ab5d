"""Terminal renderer (rich tables), in the look of ``jobrisk score``.

>>> render_terminal(build_report(cat, "15-2051.00"), Console())  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jobrisk.reports import formatting as fmt
from jobrisk.reports.model import Report

__all__ = ["render_terminal"]


def _cite(console: Console, ids: Iterable[str]) -> None:
    unique = list(dict.fromkeys(ids))
    if unique:
        console.print(f"[dim]Sources: {escape(', '.join(unique))}[/dim]")


def _notes(console: Console, notes: Iterable[str]) -> None:
    for n in notes:
        console.print(f"[yellow]note:[/yellow] {escape(n)}")


def _h(console: Console, title: str) -> None:
    console.print(f"\n[bold underline]{escape(title)}[/bold underline]")


def render_terminal(report: Report, console: Console) -> None:
    """Print every section of the report."""
    r, p = report, report.profile
    kind = f"O*NET-SOC {r.code}" if r.kind == "occupation" else f"custom role, {r.code}"
    console.print(f"[bold]{escape(r.title)}[/bold]  [dim]{escape(kind)}[/dim]")

    _h(console, "What the role is")
    console.print(escape(p.description))
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="dim")
    facts.add_column()
    if p.kind == "occupation":
        for gcode, gtitle in ((p.major_code, p.major_title), (p.minor_code, p.minor_title),
                     (p.broad_code, p.broad_title)):  # fmt: skip
            if gcode:
                facts.add_row("SOC group", escape(f"{gtitle or '-'} ({gcode})"))
        wage = "at or above the top code" if p.wage_topcoded else fmt.money(
            p.annual_median_wage, cents=False
        )  # fmt: skip
        facts.add_row("Job zone", fmt.text(p.job_zone))
        facts.add_row(f"Employment (May {p.wage_year})", fmt.count(p.employment))
        facts.add_row("Median annual wage", wage)
        facts.add_row("Median hourly wage", fmt.money(p.hourly_median_wage))
        facts.add_row("Projected change 2024-34", fmt.signed_pct(p.projected_change_pct_2024_34))
        facts.add_row("Entry education", escape(fmt.text(p.entry_education)))
    else:
        best = f"{p.best_match_title} ({p.best_match_code})" if p.best_match_code else "-"
        facts.add_row("Task matcher", escape(fmt.text(p.matcher)))
        facts.add_row("Best-matched occupation", escape(best))
        facts.add_row("Hourly wage given", fmt.money(p.hourly_median_wage))
    console.print(facts)
    _notes(console, p.notes)
    _cite(console, p.sources)

    _h(console, "Score card per method")
    t = Table()
    for col in ("method", "value", "pct", "exp. pct", "zone/cell", "note"):
        t.add_column(col, overflow="fold")
    for card in r.scores:
        t.add_row(
            escape(card.title) + (" *" if card.in_consensus else ""),
            escape(card.display),
            fmt.pct(card.percentile),
            fmt.pct(card.exposure_percentile),
            escape(card.zone or ""),
            escape(card.note),
        )
    console.print(t)
    console.print(
        "[dim]pct: percentile among O*NET occupations with a value; exp. pct: turned so that "
        "higher = more exposed; * = in the consensus[/dim]"
    )
    _cite(console, (s for sc in r.scores for s in sc.sources))

    c = r.consensus
    _h(console, "Consensus")
    console.print(escape(c.summary))
    if c.with_human_labels is not None and c.with_gpt4_labels is not None:
        console.print(
            f"  rater: {fmt.pct(c.with_human_labels)} with human labels, "
            f"{fmt.pct(c.with_gpt4_labels)} with GPT-4 labels"
        )
    if c.bootstrap_low is not None:
        console.print(
            f"  bootstrap over tasks (5-95%): {fmt.pct(c.bootstrap_low)}-{fmt.pct(c.bootstrap_high)}"
        )
    d = c.disagreement
    if d is not None:
        console.print(f"[bold]Where methods disagree[/bold]: {escape(d.summary)}")
        for g in d.tasks:
            a = "occ" if g.score_a is None else fmt.pct(g.score_a * 100)
            b = "occ" if g.score_b is None else fmt.pct(g.score_b * 100)
            console.print(f"  {a:>3} vs {b:>3}  ({fmt.share(g.time_share)}) {escape(g.task)}")
    _cite(console, c.sources)

    _h(console, "Tasks")
    role = r.kind == "custom_role"
    t = Table(caption=f"time shares: {escape(fmt.text(r.tasks.weight_source))}")
    cols = ["#", "task", "share", "E", "T", "used", "matrix cell", "AIJRI"]
    if role:
        cols += ["match", "conf.", "closest O*NET task"]
    for col in cols:
        t.add_column(col, overflow="fold")
    for row in r.tasks.rows:
        cells = [
            str(row.number),
            escape(row.task),
            fmt.share(row.time_share),
            fmt.text(row.exposure),
            fmt.text(row.automation),
            fmt.flag(row.observed_use),
            escape(fmt.text(row.matrix_cell)),
            fmt.text(row.aijri_score),
        ]
        if role:
            closest = f"{row.matched_task} ({row.matched_code})" if row.matched_task else "-"
            cells += [
                escape(fmt.text(row.match_status)),
                fmt.confidence(row.match_confidence),
                escape(closest),
            ]
        t.add_row(*cells)
    console.print(t)
    _notes(console, r.tasks.notes)
    _cite(console, r.tasks.sources)

    o = r.outlook
    _h(console, "Tasks most likely automated")
    for i, task in enumerate(o.most_automated, 1):
        console.print(f"  {i}. {escape(task.task)}")
    if not o.most_automated:
        console.print("  none")
    _h(console, "Tasks likely to remain")
    for i, task in enumerate(o.remaining, 1):
        console.print(f"  {i}. {escape(task.task)}")
    if not o.remaining:
        console.print("  none")
    console.print(f"[dim]Basis: {escape(o.basis)}[/dim]")
    _cite(console, o.sources)

    aj = r.aijri
    _h(console, "AIJRI breakdown")
    zone = f"{aj.zone}, {aj.sub_label}" if aj.sub_label else fmt.text(aj.zone)
    console.print(f"AIJRI {fmt.number(aj.value, 1)} ({escape(zone)}); higher = more resistant")
    console.print(escape(aj.summary))
    inputs = Table("input", "value", "status", "basis")
    for item in (*aj.principles, *aj.evidence, *aj.barriers, *aj.growth):
        inputs.add_row(
            escape(item.name), fmt.text(item.value), escape(item.status), escape(item.basis)
        )
    console.print(inputs)
    console.print(
        f"evidence {fmt.text(aj.evidence_total)} -> x{fmt.number(aj.evidence_modifier, 2)}, "
        f"barriers {fmt.text(aj.barrier_total)} -> x{fmt.number(aj.barrier_modifier, 2)}, "
        f"growth {fmt.text(aj.growth_correlation)} -> x{fmt.number(aj.growth_modifier, 2)}; "
        f"task resistance {fmt.number(aj.task_resistance, 2)}, raw {fmt.number(aj.raw, 4)}, "
        f"composite {fmt.number(aj.composite, 1)}"
    )
    _notes(console, aj.notes)
    _cite(console, aj.sources)

    k = r.cost
    _h(console, "Operational AI cost of a task-hour")
    console.print(
        f"{fmt.money(k.value)} per AI-handled task-hour: inference {fmt.money(k.inference)}, "
        f"oversight {fmt.number(k.oversight_minutes, 0)} min = {fmt.money(k.oversight)}, "
        f"errors {fmt.money(k.errors)}; loaded human hour {fmt.money(k.human_cost_per_hour)} "
        f"({fmt.share(k.ai_cost_share, 0)})"
    )
    _notes(console, k.notes)
    _cite(console, k.sources)

    cj = r.comparable
    _h(console, "Comparable jobs")
    console.print(f"{escape(cj.note)} (by {escape(cj.method)})")
    if cj.rows:
        jobs = Table("code", "occupation", "value", "exp. pct", "employment", "median wage", "sim.")
        for j in cj.rows:
            jobs.add_row(
                j.code,
                escape(j.title),
                fmt.number(j.value, 1),
                fmt.pct(j.percentile),
                fmt.count(j.employment),
                fmt.money(j.median_wage, cents=False),
                fmt.confidence(j.similarity),
            )
        console.print(jobs)
    _cite(console, cj.sources)

    _h(console, "Sources")
    for s in r.sources:
        derived = "; derived by a third party" if s.derived else ""
        console.print(f"[dim]- {escape(s.source_id)}: {escape(s.citation)} "
                      f"({escape(s.license)}{derived})[/dim]")  # fmt: skip
    _notes(console, r.notes)
    console.print(f"\n[dim]{escape(r.attribution)}[/dim]")
