"""``jobrisk score``, ``compare``, ``assess``, ``rank`` and ``methods``: every method on occupations and custom roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from jobrisk.cli import Context, _print_json, cli, out, pass_ctx
from jobrisk.errors import InputError


@cli.command()
@click.argument("occupation")
@click.option(
    "--method", "only", multiple=True, help="Show only this method (repeatable); all are scored."
)
@click.option(
    "--tasks",
    "n_tasks",
    default=3,
    show_default=True,
    type=click.IntRange(0, 500),
    help="Tasks listed under each explanation.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@pass_ctx
def score(
    obj: Context, occupation: str, only: tuple[str, ...], n_tasks: int, as_json: bool
) -> None:
    """Score one occupation with every method: values, percentiles, consensus, explanations.

    OCCUPATION is an O*NET-SOC code (15-2051.00), a SOC code (15-2051) or a title.

    \b
    Example:
      jobrisk score 15-2051.00
      jobrisk score "Registered Nurses" --method aijri --tasks 10
      jobrisk score 43-4051.00 --json
    """
    from jobrisk import api
    from jobrisk.methods import get_method
    from jobrisk.render_scores import render_scores

    for name in only:
        get_method(name)
    with obj.catalog() as cat:
        card = api.score(cat, occupation)
    if as_json:
        _print_json(card.to_dict())
    else:
        render_scores(card, out, only=only, n_tasks=n_tasks)


@cli.command()
@click.argument("occupations", nargs=-1, required=True)
@click.option("--explain/--no-explain", default=False, help="Print each method's explanation.")
@click.option(
    "--matcher",
    type=click.Choice(["auto", "lexical", "semantic"]),
    default="auto",
    show_default=True,
    help="How a role file's tasks are matched to O*NET tasks.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full records as JSON.")
@pass_ctx
def compare(
    obj: Context, occupations: tuple[str, ...], explain: bool, matcher: str, as_json: bool
) -> None:
    """Compare 2 to 5 occupations or custom roles side by side on every method.

    An argument ending in .yaml, .yml, .json or .csv is a role file (see `jobrisk assess`).

    \b
    Example:
      jobrisk compare 15-2051.00 15-2041.00
      jobrisk compare "Registered Nurses" "Licensed Practical and Licensed Vocational Nurses"
      jobrisk compare "Data Scientists" examples/roles/ml-ai-engineer.role.yaml
    """
    from jobrisk import api
    from jobrisk.render_scores import render_comparison
    from jobrisk.roles import role_or_query

    subjects = [role_or_query(o) for o in occupations]
    with obj.catalog() as cat:
        result = api.compare(cat, subjects, explain=explain or as_json, matcher=matcher)
    if as_json:
        _print_json(result.to_dict())
    else:
        render_comparison(result, out)


@cli.command()
@click.argument("role_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The role's title (default: from the file, or its name).")
@click.option("--task", "tasks", multiple=True, help="A task in your own words (repeatable).")
@click.option(
    "--share", "shares", multiple=True, type=float, help="Time share in % per --task, in order."
)
@click.option(
    "--ad",
    type=click.File("r", encoding="utf-8", errors="replace"),
    help="A job ad to split into task sentences (a file, or - for standard input).",
)
@click.option(
    "--hourly-wage", type=float, help="The role's hourly wage in dollars (for the AI cost)."
)
@click.option(
    "--matcher",
    type=click.Choice(["auto", "lexical", "semantic"]),
    default="auto",
    show_default=True,
    help="How tasks are matched to O*NET tasks; auto = semantic when its extra is installed.",
)
@click.option("--method", "only", multiple=True, help="Show only this method (repeatable).")
@click.option("--tasks-shown", "n_tasks", default=3, show_default=True, type=click.IntRange(0, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@pass_ctx
def assess(
    obj: Context,
    role_file: Path | None,
    title: str | None,
    tasks: tuple[str, ...],
    shares: tuple[float, ...],
    ad: Any,
    hourly_wage: float | None,
    matcher: str,
    only: tuple[str, ...],
    n_tasks: int,
    as_json: bool,
) -> None:
    """Assess a custom role described by its tasks, with every method.

    Give a role file (YAML, JSON or CSV), or --title with --task (and optional --share), or
    --title with --ad (a pasted job ad). Each task is matched to O*NET tasks; a task with no
    close twin gets predicted labels or is shown as unmatched.

    \b
    Example:
      jobrisk assess examples/roles/ml-ai-engineer.role.yaml
      jobrisk assess --title "Data wrangler" --task "Clean raw data" --task "Build dashboards"
      jobrisk assess --title "Analyst" --ad job-ad.txt
    """
    from jobrisk import api, roles
    from jobrisk.render_scores import render_role

    sources = sum(x is not None and x != () for x in (role_file, tasks or None, ad))
    if sources != 1:
        raise InputError(
            "give exactly one of: a role file, --task options, or --ad",
            hint="e.g. jobrisk assess --title 'Analyst' --task 'Prepare reports'",
        )
    if role_file is not None:
        role = roles.load_role(role_file, title=title)
    elif ad is not None:
        role = roles.role_from_job_ad(
            title or "Role from a job ad", ad.read(roles.MAX_AD_CHARS + 1)
        )
    else:
        role = roles.role_from_options(title or "Custom role", tasks, shares)
    if hourly_wage is not None:
        role = roles.make_role(
            role.title,
            [t.text for t in role.tasks],
            [t.share for t in role.tasks] if role.shares_given else None,
            hourly_wage=roles.check_wage(hourly_wage),
        )
    with obj.catalog() as cat:
        result = api.assess(cat, role, matcher=matcher)
    if as_json:
        _print_json(result.to_dict())
    else:
        render_role(result, out, only=only, n_tasks=n_tasks)


@cli.command()
@click.option("--method", "method", required=True, help="Method name (see `jobrisk methods`).")
@click.option("--group", help="SOC group code: major 15-0000, minor 15-2000 or broad 15-2050.")
@click.option("--least", is_flag=True, help="Least exposed first instead of most exposed.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1016))
@click.option("--min-wage", type=float, help="Only occupations with a median wage at least this.")
@click.option("--max-wage", type=float, help="Only occupations with a median wage at most this.")
@click.option("--min-employment", type=float, help="Only occupations employing at least this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@pass_ctx
def rank(
    obj: Context,
    method: str,
    group: str | None,
    least: bool,
    limit: int,
    min_wage: float | None,
    max_wage: float | None,
    min_employment: float | None,
    as_json: bool,
) -> None:
    """Rank occupations by one method, most exposed first, with optional filters.

    \b
    Example:
      jobrisk rank --method eloundou_beta_human --group 15-0000 --limit 10
      jobrisk rank --method aijri --least --min-employment 100000
    """
    import dataclasses

    from jobrisk import api
    from jobrisk.render_scores import render_rank

    with obj.catalog() as cat:
        rows = api.rank(
            cat,
            method,
            group=group,
            most_exposed=not least,
            limit=limit,
            min_wage=min_wage,
            max_wage=max_wage,
            min_employment=min_employment,
        )
    if as_json:
        _print_json([dataclasses.asdict(r) for r in rows])
    else:
        render_rank(rows, method, out)


@cli.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def methods(name: str | None, as_json: bool) -> None:
    """List the methods with their citations, or describe one method in full.

    \b
    Example:
      jobrisk methods
      jobrisk methods aijri
    """
    import dataclasses

    from jobrisk import api
    from jobrisk.methods import get_method
    from jobrisk.render_scores import render_method, render_methods

    infos = api.list_methods()
    if name is not None:
        get_method(name)
        infos = [m for m in infos if m.name == name]
    if as_json:
        _print_json([dataclasses.asdict(m) for m in infos])
    elif name is not None:
        render_method(infos[0], out)
    else:
        render_methods(infos, out)
