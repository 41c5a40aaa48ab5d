"""``jobrisk timeline`` and ``jobrisk movers``: the weekly AI job risk index (docs/timeline.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jobrisk.cli import Context, _print_json, cli, out, pass_ctx

SPARK = "▁▂▃▄▅▆▇█"
DATE = click.DateTime(formats=["%Y-%m-%d"])


def sparkline(values: list[float | None]) -> str:
    """One character per value, scaled between the series' own minimum and maximum."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    span = hi - lo or 1.0
    return "".join(
        " " if v is None else SPARK[min(len(SPARK) - 1, int((v - lo) / span * len(SPARK)))]
        for v in values
    )


def _f(v: float | None, fmt: str = ".1f") -> str:
    return "-" if v is None else format(v, fmt)


def _events_note(events_file: str, console: Console) -> None:
    from jobrisk.timeline import DEFAULT_EVENTS

    if events_file == str(DEFAULT_EVENTS):
        console.print(
            "[yellow]Events: the shipped EXAMPLE file (illustrative sizes); use --events FILE "
            "for your own.[/yellow]"
        )
    else:
        console.print(f"Events: {escape(events_file)}")


def render_timeline(tl: Any, console: Console, n_rows: int = 8) -> None:
    """The release history, the weekly series, the latest change and the events."""
    from jobrisk.render_scores import ONET_ATTRIBUTION

    console.print(f"[bold]{tl.code} {escape(tl.title)}[/bold]: weekly AI risk index (0-100)")
    _events_note(tl.events_file, console)
    t = Table(title="Anthropic Economic Index releases (Claude.ai)", title_justify="left")
    for col in ("release", "date", "source", "use %", "tasks seen", "exposure", "automation"):
        t.add_column(col, justify="right" if col not in ("release", "source") else "left")
    for r in tl.releases:
        t.add_row(
            r.key + (" (derived)" if r.derived else ""),
            r.date,
            r.source_id.rsplit("/", 1)[-1],
            "-" if r.usage_share is None else f"{r.usage_share:.3f}",
            "-" if r.tasks_seen is None else str(r.tasks_seen),
            _f(r.exposure),
            _f(r.automation_risk),
        )
    console.print(t)
    if all(r.usage_share is None for r in tl.releases):
        console.print(
            "[dim]use: unknown, not zero: no release reaches this occupation (its O*NET code "
            "is newer than the O*NET 20.1 tasks the releases are coded to)[/dim]"
        )
    values = [w.value for w in tl.weeks]
    known = [v for v in values if v is not None]
    if known:
        console.print(
            f"{tl.weeks[0].week} {sparkline(values)} {tl.weeks[-1].week}   "
            f"min {min(known):.1f}, max {max(known):.1f}"
        )
    w = Table(title=f"Last {min(n_rows, len(tl.weeks))} weeks", title_justify="left")
    for col in ("week ending", "score", "change", "baseline", "events total", "events"):
        w.add_column(col, justify="left" if col in ("week ending", "events") else "right")
    for p in tl.weeks[-n_rows:]:
        w.add_row(
            p.week + (" *" if p.projected else ""),
            _f(p.value),
            _f(p.change, "+.1f"),
            _f(p.baseline),
            f"{p.adjustment:+.1f}",
            ", ".join(p.event_ids),
        )
    console.print(w)
    console.print(
        f"[dim]* past the latest release ({tl.release_date}): the baseline is projected "
        f"along the adoption curves. Baseline = risk_index as of {escape(tl.baseline_as_of)}."
        "[/dim]"
    )
    console.print(f"\n[bold]This week[/bold]: {escape(tl.latest.text)}")
    if tl.events:
        console.print("\n[bold]Events reaching this occupation[/bold] (size x part in scope):")
        for f in tl.events:
            ev = f.event
            label = "[example] " if ev.example else ""
            console.print(
                f"- {ev.date.isoformat()} {escape(label + ev.headline)}: {ev.direction} "
                f"{ev.size:g} x {100 * f.weight:.0f}% = {f.points:+.2f}\n  {escape(ev.source)}"
            )
    else:
        console.print("No event in the file reaches this occupation.")
    console.print(f"\n[dim]{ONET_ATTRIBUTION}[/dim]")


def render_movers(m: Any, console: Console) -> None:
    console.print(f"[bold]Movers in the week ending {m.week}[/bold] ({m.n_occupations} scored)")
    _events_note(m.events_file, console)
    for name, rows in (("Up", m.up), ("Down", m.down)):
        t = Table(title=name, title_justify="left")
        for col in ("code", "occupation", "score", "change", "baseline", "events", "event ids"):
            t.add_column(
                col, justify="left" if col in ("code", "occupation", "event ids") else "right"
            )
        for r in rows:
            t.add_row(
                r.code,
                escape(r.title),
                f"{r.value:.1f}",
                f"{r.change:+.2f}",
                f"{r.baseline_change:+.2f}",
                f"{r.events_change:+.2f}",
                ", ".join(r.event_ids),
            )
        console.print(t if rows else f"{name}: none")
    for ev in m.events:
        label = "[example] " if ev.example else ""
        console.print(
            f"- {ev.date} {escape(label + ev.headline)} ({ev.direction} {ev.size:g}): "
            f"{escape(ev.source)}"
        )


@cli.command("timeline")
@click.argument("occupation")
@click.option("--events", "events_path", help="YAML events file (default: the shipped example).")
@click.option(
    "--weeks", default=52, show_default=True, type=click.IntRange(1, 1100), help="Weeks shown."
)
@click.option("--end", type=DATE, help="Last week shown (YYYY-MM-DD; default: this week).")
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@pass_ctx
def timeline_command(
    obj: Context,
    occupation: str,
    events_path: str | None,
    weeks: int,
    end: dt.datetime | None,
    as_json: bool,
) -> None:
    """One occupation's weekly AI risk index: releases, weekly series, this week's change.

    The score is the risk_index baseline moving along its adoption curves, plus the dated
    events whose scope reaches the occupation (docs/timeline.md).

    \b
    Example:
      jobrisk timeline 15-1252.00
      jobrisk timeline "Customer Service Representatives" --weeks 104 --end 2025-09-01
      jobrisk timeline 43-4051.00 --events my-events.yaml --json
    """
    from jobrisk import api

    with obj.catalog() as cat:
        tl = api.timeline(
            cat, occupation, events_path=events_path, weeks=weeks, end=end.date() if end else None
        )
    if as_json:
        _print_json(tl.to_dict())
    else:
        render_timeline(tl, out)


@cli.command("movers")
@click.option("--week", type=DATE, help="Any day of the week (YYYY-MM-DD; default: this week).")
@click.option("--events", "events_path", help="YAML events file (default: the shipped example).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1016))
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@pass_ctx
def movers_command(
    obj: Context, week: dt.datetime | None, events_path: str | None, limit: int, as_json: bool
) -> None:
    """The occupations whose weekly AI risk index rose and fell most in one week.

    \b
    Example:
      jobrisk movers
      jobrisk movers --week 2025-05-22 --limit 5
      jobrisk movers --events my-events.yaml --json
    """
    from jobrisk import api

    with obj.catalog() as cat:
        m = api.movers(
            cat, week=week.date() if week else None, limit=limit, events_path=events_path
        )
    if as_json:
        _print_json(m.to_dict())
    else:
        render_movers(m, out)
