"""Terminal rendering of one occupation's evidence (``jobrisk show``).

Rendering only: every number comes from :class:`~jobrisk.catalog.Catalog`.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jobrisk.catalog import Catalog

MEASURE_LABELS = {
    "eloundou_human_beta": "Eloundou et al. beta (human labels)",
    "eloundou_gpt4_beta": "Eloundou et al. beta (GPT-4 labels)",
    "anthropic_observed_exposure": "Anthropic observed exposure (2026)",
    "microsoft_ai_applicability": "Microsoft AI applicability",
    "aioe": "AIOE (Felten et al.)",
    "aioe_language_modeling": "AIOE, language modeling",
    "frey_osborne_probability": "Frey-Osborne probability",
    "webb_ai": "Webb AI exposure (percentile)",
}


def _num(v: float | None, fmt: str = "{:,.0f}", missing: str = "-") -> str:
    return missing if v is None else fmt.format(v)


def render_occupation(cat: Catalog, query: str, console: Console, *, n_tasks: int = 12) -> None:
    occ = cat.occupation(query)
    console.print(f"[bold]{escape(occ.title)}[/bold]  [dim]O*NET-SOC {occ.code}[/dim]")
    groups = " > ".join(
        f"{t} ({c})"
        for c, t in (
            (occ.major_code, occ.major_title),
            (occ.minor_code, occ.minor_title),
            (occ.broad_code, occ.broad_title),
        )
        if c and t
    )
    console.print(f"[dim]{escape(groups)}[/dim]")
    console.print(f"Job zone: {occ.job_zone if occ.job_zone is not None else 'not rated'}")
    console.print(escape(occ.description), "\n")

    wages = cat.wage_history(occ.code)
    if wages:
        t = Table(
            title=f"Employment and median annual wage, BLS OEWS (SOC {occ.wage_soc_code}, {occ.wage_match})",
            title_justify="left",
        )
        t.add_column("May")
        t.add_column("employment", justify="right")
        t.add_column("median wage", justify="right")
        for w in wages:
            wage = ">= top code" if w.wage_topcoded else _num(w.annual_median_wage, "${:,.0f}")
            t.add_row(str(w.year), _num(w.employment), wage)
        console.print(t)
        if occ.onet_codes_sharing_soc > 1:
            console.print(
                f"[dim]BLS reports SOC {occ.soc_code} as one line, shared by "
                f"{occ.onet_codes_sharing_soc} O*NET occupations.[/dim]"
            )
    else:
        console.print("[yellow]No BLS employment or wage line for this occupation.[/yellow]")
    if occ.projection_match != "missing":
        console.print(
            f"Projected 2024-34: {_num(occ.projected_change_pct_2024_34, '{:+.1f}%')} employment, "
            f"{_num(occ.projected_annual_openings)} openings a year; entry: {occ.entry_education or '-'}\n"
        )

    tasks = cat.tasks(occ.code)
    if tasks:
        t = Table(
            title=f"Tasks ({len(tasks)}; {min(n_tasks, len(tasks))} largest by time share, "
            f"weights from {tasks[0].weight_source})",
            title_justify="left",
        )
        t.add_column("share", justify="right")
        t.add_column("task", ratio=1)
        t.add_column("E human", justify="center")
        t.add_column("E GPT-4", justify="center")
        t.add_column("T GPT-4", justify="center")
        t.add_column("Claude use %", justify="right")
        t.add_column("penetration", justify="right")
        for task in tasks[:n_tasks]:
            t.add_row(
                f"{task.time_share:.1%}",
                escape(task.task),
                task.human_e or "-",
                task.gpt4_e or "-",
                task.gpt4_t or "-",
                _num(task.usage_share, "{:.3f}"),
                _num(task.penetration, "{:.2f}"),
            )
        console.print(t)
        labelled = [x for x in tasks if x.human_e]
        if labelled:
            share = sum(x.time_share for x in labelled if x.human_e in ("E1", "E2"))
            console.print(
                f"[dim]E1/E2 = an LLM (E1) or an LLM with tools (E2) could halve the task's time "
                f"(human labels): {share:.0%} of this occupation's task time.[/dim]\n"
            )
    else:
        console.print("[yellow]O*NET 30.1 lists no tasks for this occupation.[/yellow]\n")

    measures = [m for m in cat.measures(occ.code) if m.measure in MEASURE_LABELS]
    t = Table(title="Published measures, crosswalked to O*NET-SOC 2019", title_justify="left")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("match")
    t.add_column("source codes")
    for m in sorted(measures, key=lambda m: list(MEASURE_LABELS).index(m.measure)):
        t.add_row(
            MEASURE_LABELS[m.measure],
            _num(m.value, "{:.3f}"),
            m.match_quality,
            f"{m.source_taxonomy}: {m.source_codes}" if m.source_codes else "-",
        )
    console.print(t)

    console.print("[bold]Sources[/bold]")
    used = {m.source_id for m in measures} | {
        "onet_30_1",
        "bls",
        "eloundou_2023",
        "anthropic_economic_index/release_2025_03_27",
        "anthropic_economic_index/labor_market_impacts",
    }
    sources = cat.sources()
    for s in sources:
        if s.source_id in used:
            console.print(f"[dim]- {escape(s.citation)} ({escape(s.license)})[/dim]")
    onet = next(s for s in sources if s.source_id == "onet_30_1")
    console.print(f"[dim]{escape(onet.attribution)}[/dim]")
