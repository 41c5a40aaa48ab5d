"""Terminal rendering of method scores (``jobrisk score``, ``compare``, ``rank``, ``methods``).

Rendering only: every number comes from :mod:`jobrisk.api` records.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jobrisk.api import Comparison, MethodInfo, OccupationScores, RankedOccupation, RoleScores
from jobrisk.consensus import Consensus, MethodValue
from jobrisk.methods import Explanation

ONET_ATTRIBUTION = (
    "O*NET 30.1 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), CC BY 4.0; modified by jobrisk."
)


def fmt_value(m: MethodValue) -> str:
    if m.value is None:
        return "-"
    size = abs(m.value)
    if "$" in m.unit or "dollar" in m.unit:
        return f"${m.value:,.2f}"
    if 0 < size < 0.01:
        return f"{m.value:.2g}"  # small shares of conversations, e.g. 0.0116 %
    if ("percent" in m.unit or "0-100" in m.unit) and size >= 1:
        return f"{m.value:.1f}"
    return f"{m.value:.3f}" if size < 10 else f"{m.value:,.1f}"


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}"


def render_scores(
    card: OccupationScores,
    console: Console,
    *,
    only: Sequence[str] = (),
    n_tasks: int = 3,
) -> None:
    occ = card.occupation
    console.print(f"[bold]{escape(occ.title)}[/bold]  [dim]O*NET-SOC {occ.code}[/dim]")
    if occ.major_title:
        console.print(f"[dim]{escape(occ.major_title)} ({occ.major_code})[/dim]")
    _render_body(card.consensus, card.explanations, console, only=only, n_tasks=n_tasks)


def render_role(
    result: RoleScores, console: Console, *, only: Sequence[str] = (), n_tasks: int = 3
) -> None:
    console.print(
        f"[bold]{escape(result.role.title)}[/bold]  [dim]custom role, {result.code}[/dim]"
    )
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    t = Table(
        title=f"Tasks and their O*NET matches ({result.matcher} matcher)", title_justify="left"
    )
    for col in ("#", "task", "share", "status", "closest O*NET task", "conf.", "E", "T", "from"):
        t.add_column(col, overflow="fold")
    for m in result.matches:
        best = f"{m.best.task} ({m.best.code})" if m.best else "-"
        style = {"matched": "green", "predicted": "yellow"}.get(m.status, "red")
        t.add_row(
            str(m.index),
            escape(m.text),
            f"{m.share:.0f}%",
            f"[{style}]{m.status}[/{style}]",
            escape(best),
            f"{m.confidence:.2f}",
            m.e_label or "-",
            m.t_label or "-",
            escape(m.label_source),
        )
    console.print(t)
    _render_body(result.consensus, result.explanations, console, only=only, n_tasks=n_tasks)


def _render_body(
    c: Consensus,
    explanations: Sequence[Explanation],
    console: Console,
    *,
    only: Sequence[str],
    n_tasks: int,
) -> None:
    t = Table(title="Every method", title_justify="left")
    for col in ("method", "value", "pct", "exp. pct", "zone/cell", "note"):
        t.add_column(col, overflow="fold")
    for m in c.methods:
        if only and m.method not in only:
            continue
        star = " *" if m.in_consensus else ""
        t.add_row(
            escape(m.title) + star,
            fmt_value(m),
            _pct(m.percentile),
            _pct(m.exposure_percentile),
            escape(m.label or ""),
            escape(m.note),
        )
    console.print(t)
    console.print(
        "[dim]pct: percentile among O*NET occupations with a value; exp. pct: the percentile "
        "turned so that higher = more exposed; * = in the consensus; units: `jobrisk methods`"
        "[/dim]"
    )
    console.print(f"\n[bold]Consensus[/bold]: {escape(c.summary)}")
    if c.with_human_labels is not None and c.with_gpt4_labels is not None:
        console.print(
            f"  rater: {c.with_human_labels:.0f} with human labels, "
            f"{c.with_gpt4_labels:.0f} with GPT-4 labels"
        )
    if c.bootstrap_low is not None and c.bootstrap_high is not None:
        console.print(
            f"  bootstrap over tasks (5-95%): {c.bootstrap_low:.0f}-{c.bootstrap_high:.0f}"
        )
    d = c.disagreement
    if d is not None:
        console.print(f"\n[bold]Where methods disagree[/bold]: {escape(d.summary)}")
        if d.tasks:
            console.print("  task score 0-100 under each (occ = occupation-level measure):")
        for g in d.tasks:
            a = "occ" if g.score_a is None else _pct(g.score_a * 100)
            b = "occ" if g.score_b is None else _pct(g.score_b * 100)
            console.print(f"  {a:>3} vs {b:>3}  ({g.time_share:.0%} of time) {escape(g.task)}")
    if not explanations:
        return
    console.print("\n[bold]Explanations[/bold]")
    for e in explanations:
        if only and e.method not in only:
            continue
        console.print(f"[cyan]{escape(e.method)}[/cyan]: {escape(e.summary)}")
        for task in e.tasks[:n_tasks]:
            console.print(
                f"    {task.contribution:+.3f}  ({task.time_share:.0%}) {escape(task.task)}"
            )
        for note in e.notes:
            console.print(f"    [dim]{escape(note)}[/dim]")
    console.print(f"\n[dim]{ONET_ATTRIBUTION} Sources: `jobrisk methods`.[/dim]")


def render_comparison(cmp: Comparison, console: Console) -> None:
    t = Table(title="Side by side (value, exposure percentile)", title_justify="left")
    t.add_column("method", overflow="fold")
    for o in cmp.occupations:
        t.add_column(f"{escape(o.subject_title)}\n{o.subject_code}", overflow="fold")
    first = cmp.occupations[0]
    for i, m in enumerate(first.methods):
        cells = []
        for o in cmp.occupations:
            mv = o.methods[i]
            label = f" {mv.label}" if mv.label else ""
            cells.append(f"{fmt_value(mv)} ({_pct(mv.exposure_percentile)}){escape(label)}")
        t.add_row(escape(m.title) + (" *" if m.method in _consensus_names(cmp) else ""), *cells)
    t.add_row(
        "[bold]consensus exposure pct[/bold]",
        *[
            f"{_pct(o.consensus.exposure_percentile)} "
            f"[{_pct(o.consensus.low)}-{_pct(o.consensus.high)}]"
            for o in cmp.occupations
        ],
    )
    console.print(t)
    for o in cmp.occupations:
        d = o.consensus.disagreement
        if d is not None:
            console.print(f"[bold]{escape(o.subject_title)}[/bold]: {escape(d.summary)}")
        for e in o.explanations:
            console.print(f"  [cyan]{escape(e.method)}[/cyan]: {escape(e.summary)}")
    console.print(f"\n[dim]{ONET_ATTRIBUTION}[/dim]")


def _consensus_names(cmp: Comparison) -> set[str]:
    return {m.method for o in cmp.occupations for m in o.methods if m.in_consensus}


def render_rank(rows: list[RankedOccupation], method: str, console: Console) -> None:
    t = Table(title=f"Ranked by {method}", title_justify="left")
    for col in (
        "#",
        "code",
        "occupation",
        "value",
        "exposure pct",
        "zone/cell",
        "employment",
        "median wage",
    ):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r.rank),
            r.code,
            escape(r.title),
            f"{r.value:.3f}" if abs(r.value) < 10 else f"{r.value:,.1f}",
            _pct(r.percentile),
            escape(r.label or ""),
            "-" if r.employment is None else f"{r.employment:,.0f}",
            "-" if r.annual_median_wage is None else f"${r.annual_median_wage:,.0f}",
        )
    console.print(t)


def render_methods(methods: list[MethodInfo], console: Console) -> None:
    t = Table("name", "title", "family", "range", "direction", "citation")
    for m in methods:
        lo, hi = m.score_range
        t.add_row(
            m.name, escape(m.title), m.family, f"{lo:g}..{hi:g}", m.direction, escape(m.citation)
        )
    console.print(t)


def render_method(m: MethodInfo, console: Console) -> None:
    console.print(f"[bold]{escape(m.title)}[/bold] ({m.name}), {m.family}")
    console.print(
        f"range {m.score_range[0]:g}..{m.score_range[1]:g}, {m.direction}, unit: {escape(m.unit)}"
    )
    console.print(f"sources: {', '.join(m.sources)}")
    console.print(f"citation: {escape(m.citation)}")
    if m.parameters:
        console.print("parameters: " + ", ".join(f"{k}={escape(v)}" for k, v in m.parameters))
    console.print()
    console.print(escape(m.doc))
