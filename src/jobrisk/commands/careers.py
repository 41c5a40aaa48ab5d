"""``jobrisk careers``: where a person can move, what to learn, comparable jobs."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jobrisk.careers import DEFAULT_MIN_SIMILARITY, DEFAULT_MIN_WAGE_SHARE, Careers
from jobrisk.cli import Context, _print_json, cli, out, pass_ctx


@cli.command()
@click.argument("subject")
@click.option(
    "--method",
    default="consensus",
    show_default=True,
    help="What 'safer' means: a method name (see `jobrisk methods`) or consensus.",
)
@click.option(
    "--min-similarity",
    type=float,
    default=DEFAULT_MIN_SIMILARITY,
    show_default=True,
    help="Viable: similarity (0-1) at least this.",
)
@click.option(
    "--min-wage-share",
    type=float,
    default=DEFAULT_MIN_WAGE_SHARE,
    show_default=True,
    help="Desirable: keeps at least this share of the median wage (0 ignores wages).",
)
@click.option("--not-safer", is_flag=True, help="Also show moves that are not less exposed.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--matcher",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "lexical", "semantic"]),
    help="Task matcher for a role file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@pass_ctx
def careers(
    obj: Context,
    subject: str,
    method: str,
    min_similarity: float,
    min_wage_share: float,
    not_safer: bool,
    limit: int,
    matcher: str,
    as_json: bool,
) -> None:
    """Career moves, skills to learn and comparable jobs for an occupation or a role.

    SUBJECT is an O*NET-SOC code, a SOC code, a title, or a role file (YAML, JSON or CSV, as
    for `jobrisk assess`). Moves are filtered as a counsellor would: viable (similar enough),
    desirable (keeps the wage, has projected openings), safer (less exposed on --method).

    \b
    Example:
      jobrisk careers 15-2041.00
      jobrisk careers "Data Scientists" --min-wage-share 0.8 --method eloundou_beta_human
      jobrisk careers my-role.yaml --not-safer --json
    """
    from jobrisk import api
    from jobrisk.roles import role_or_query

    query = role_or_query(subject)
    with obj.catalog() as cat:
        result = api.careers(
            cat,
            query,
            method=method,
            min_similarity=min_similarity,
            min_wage_share=min_wage_share,
            safer=not not_safer,
            limit=limit,
            matcher=matcher,
        )
    if as_json:
        _print_json(result.to_dict())
    else:
        render_careers(result, out)


def _money(v: float | None) -> str:
    return "-" if v is None else f"${v:,.0f}"


def _num(v: float | None, fmt: str = ".0f") -> str:
    return "-" if v is None else format(v, fmt)


def _element(name: str, kind: str) -> str:
    return f"{name} (knowledge)" if kind == "knowledge" else name


def render_careers(result: Careers, console: Console) -> None:
    """The rich-terminal view of one :class:`~jobrisk.careers.Careers`."""
    m = result.moves
    kind = "custom role" if m.subject_kind == "role" else "O*NET-SOC"
    console.print(f"[bold]{escape(m.subject_title)}[/bold]  [dim]{kind} {m.subject_code}[/dim]")
    console.print(
        f"exposure ({escape(m.method)}): {_num(m.exposure_now)} percentile; "
        f"median wage {_money(m.annual_median_wage)}; skills: {escape(m.skills_source)}"
    )
    for note in m.notes:
        if m.skills_source in note:
            continue  # already said on the line above
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    f = m.funnel
    steps = [
        f"{f.compared} compared",
        f"{f.viable} viable (similarity >= {m.min_similarity:.2f})",
        f"{f.desirable} desirable (>= {m.min_wage_share:.0%} of the wage, openings projected)",
    ]
    if f.safer is not None:
        steps.append(f"{f.safer} safer (lower {m.method} exposure)")
    console.print("[dim]" + " -> ".join(steps) + "[/dim]")
    weights = ", ".join(f"{k} {w:.2f}" for k, w in m.weights)
    t = Table(title=f"Career moves (similarity = {weights})", title_justify="left")
    for col in (
        "#",
        "occupation",
        "sim.",
        "related",
        "wage",
        "outlook 24-34",
        "exposure",
        "top gap",
    ):
        t.add_column(col, overflow="fold")
    for i, mv in enumerate(m.moves, 1):
        gap = mv.gaps[0] if mv.gaps else None
        delta = (
            "-"
            if mv.exposure_now is None or mv.exposure_there is None
            else f"{mv.exposure_now:.0f} -> {mv.exposure_there:.0f}"
        )
        t.add_row(
            str(i),
            f"{escape(mv.title)} [dim]{mv.code}[/dim]",
            f"{mv.similarity:.2f}",
            escape(mv.related_tier or "-"),
            f"{_money(mv.annual_median_wage)} ({_num(None if mv.wage_share is None else mv.wage_share * 100)}%)",
            f"{_num(mv.projected_change_pct, '+.1f')}%, {_num(mv.projected_annual_openings, ',.0f')}/yr",
            delta,
            "-"
            if gap is None
            else f"{escape(gap.element)} {gap.level_now:.1f}->{gap.level_to_reach:.1f}",
        )
    console.print(t)
    for i, mv in enumerate(m.moves[:3], 1):
        console.print(f"\n[bold]{i}. {escape(mv.title)}[/bold]: {escape(mv.why)}")
        if mv.shared_skills:
            names = ", ".join(_element(s.element, s.kind) for s in mv.shared_skills[:6])
            console.print(f"  shared: {escape(names)}")
        if mv.gaps:
            gaps = ", ".join(
                f"{_element(g.element, g.kind)} {g.level_now:.1f}->{g.level_to_reach:.1f}"
                for g in mv.gaps[:5]
            )
            console.print(f"  to reach (O*NET level 0-7): {escape(gaps)}")
        for c in mv.carried_tasks[:2]:
            console.print(f"  carries over ({c.time_share:.0%}): {escape(c.task)}")
        if mv.technologies_to_learn:
            console.print(
                f"  hot technologies there: {escape(', '.join(mv.technologies_to_learn))}"
            )
    _render_skills(result, console)
    if result.comparable:
        cj = Table(
            title="Comparable jobs in the same industry (SOC minor group)", title_justify="left"
        )
        for col in ("occupation", "similarity", "exposure pct", "employment", "median wage"):
            cj.add_column(col, overflow="fold")
        for j in result.comparable:
            cj.add_row(
                f"{escape(j.title)} [dim]{j.code}[/dim]",
                _num(j.similarity, ".2f"),
                _num(j.percentile),
                _num(j.employment, ",.0f"),
                _money(j.median_wage),
            )
        console.print(cj)
    console.print(f"[dim]{escape(m.attribution)}[/dim]")


def _render_skills(result: Careers, console: Console) -> None:
    s = result.skills
    console.print(
        f"\n[bold]Skills to learn[/bold] [dim](rising in the tasks that remain; task scores "
        f"from {', '.join(s.methods_used) or 'none'})[/dim]"
    )
    t = Table(show_header=True)
    for col in ("kind", "element", "rise", "importance", "level now"):
        t.add_column(col)
    for r in (*s.skills[:5], *s.knowledge[:3]):
        t.add_row(
            r.kind, escape(r.element), f"{r.rise:.3f}", f"{r.importance:.1f}", f"{r.level:.1f}"
        )
    console.print(t)
    if s.rising_activities:
        console.print(f"  work that gains weight: {escape(', '.join(s.rising_activities))}")
    for task in s.remaining_tasks[:3]:
        console.print(f"  remains ({task.exposure:.2f} exposed): {escape(task.task)}")
    if s.hot_technologies:
        names = ", ".join(x.technology for x in s.hot_technologies[:8])
        console.print(f"  hot technologies: {escape(names)}")
    for e in s.emerging_tasks[:5]:
        console.print(f"  emerging ({escape(e.category)}): {escape(e.task)}")
