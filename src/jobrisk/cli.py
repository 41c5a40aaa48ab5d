"""The ``jobrisk`` command: a thin layer over the library that turns its errors into one line.

Exit codes: 0 ok, 2 bad input (unknown occupation, bad option), 1 any other failure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from jobrisk import __version__
from jobrisk.errors import InputError, JobriskError, UnknownMethodError, UnknownOccupationError
from jobrisk.paths import Locations, resolve_locations

F = TypeVar("F", bound=Callable[..., Any])

out = Console()
err = Console(stderr=True)


class Context:
    def __init__(self, data_dir: str | None, index: str | None) -> None:
        self.locations: Locations = resolve_locations(data_dir, index)

    def catalog(self) -> Any:
        """Open the index, building it first (with a notice) when there is none yet."""
        from jobrisk.build import index_is_current, read_meta
        from jobrisk.catalog import Catalog

        if not index_is_current(self.locations.index_path):
            what = (
                "No index"
                if read_meta(self.locations.index_path) is None
                else "The index was built by an older jobrisk"
            )
            err.print(
                f"[yellow]{what} at {self.locations.index_path}: building it first "
                f"from {self.locations.data_dir} (one time, about 10 s).[/yellow]"
            )
            run_build(self.locations, force=False, allow_changed=False, parquet=None, quiet=True)
        return Catalog.open(self.locations.index_path)


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder of the public datasets "
    "(default: $JOBRISK_DATA_DIR, then the user cache filled by `jobrisk data pull`).",
)
@click.option(
    "--index",
    type=click.Path(dir_okay=False),
    help="Index file (default: $JOBRISK_INDEX, then index.duckdb in the user cache).",
)
@click.version_option(__version__, prog_name="jobrisk")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, index: str | None) -> None:
    """jobrisk: how exposed is a job to AI, which tasks, and from which evidence.

    \b
    Example:
      jobrisk build
      jobrisk show "Data Scientists"
      jobrisk search "machine lerning engineer"
    """
    ctx.obj = Context(data_dir, index)


# --- data ------------------------------------------------------------------------------


@cli.group()
def data() -> None:
    """The public datasets: check them, or download them from their upstream addresses."""


@data.command("status")
@click.option("--quick", is_flag=True, help="Compare sizes only; skip the sha256 check.")
@click.option(
    "--files", "show_files", is_flag=True, help="List every file, not one line per source."
)
@pass_ctx
def data_status(obj: Context, quick: bool, show_files: bool) -> None:
    """Show each source as verified, present, missing or changed.

    \b
    Example:
      jobrisk data status
      jobrisk --data-dir ../shared/data data status --files
    """
    from rich.table import Table

    from jobrisk.sources.pull import status, summarize
    from jobrisk.sources.registry import FileState

    loc = obj.locations
    statuses = status(loc.data_dir, verify=not quick)
    out.print(f"data directory: {loc.data_dir} (from {loc.data_dir_from})")
    colors = {"verified": "green", "present": "cyan", "missing": "yellow", "changed": "red"}
    if show_files:
        t = Table("source", "file", "state", "bytes")
        for s in statuses:
            t.add_row(
                s.source_id,
                s.path.split("/", 1)[-1],
                f"[{colors[s.state.value]}]{s.state.value}",
                f"{s.expected_bytes:,}",
            )
    else:
        t = Table("source", "files", "state", "detail")
        for src in summarize(statuses):
            detail = ", ".join(f"{src.count(k)} {k.value}" for k in FileState if src.count(k))
            t.add_row(
                src.source_id,
                str(src.n_files),
                f"[{colors[src.state.value]}]{src.state.value}",
                detail,
            )
    out.print(t)
    bad = [s for s in statuses if s.state.value in ("missing", "changed")]
    if bad:
        err.print(
            f"{len(bad)} file(s) missing or changed: run `jobrisk data pull` (add --force to replace changed files)."
        )
        sys.exit(1)


@data.command("pull")
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option(
    "--mirror", help="Download from this base URL or folder instead of the upstream addresses."
)
@click.option(
    "--force", is_flag=True, help="Replace files that changed locally with the published ones."
)
@click.option(
    "--accept-changed", is_flag=True, help="Keep a download whose sha256 differs from the registry."
)
@pass_ctx
def data_pull(
    obj: Context, sources: tuple[str, ...], mirror: str | None, force: bool, accept_changed: bool
) -> None:
    """Download the public datasets into the data directory and verify each sha256.

    A download whose sha256 differs from the registry is refused unless --accept-changed.

    \b
    Example:
      jobrisk data pull
      jobrisk data pull --source eloundou_2023 --mirror https://example.org/jobrisk-data
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from jobrisk.sources.pull import BytesReceived, FileDone, FileStarted, Outcome, pull

    loc = obj.locations
    out.print(f"data directory: {loc.data_dir} (from {loc.data_dir_from})")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), console=err
    ) as bar:
        tasks: dict[str, Any] = {}

        def on_event(ev: Any) -> None:
            if isinstance(ev, FileStarted):
                tasks[ev.path] = bar.add_task(ev.path, total=ev.content_length or ev.expected_bytes)
            elif isinstance(ev, BytesReceived) and ev.path in tasks:
                bar.update(tasks[ev.path], completed=ev.received)
            elif isinstance(ev, FileDone) and ev.path in tasks:
                bar.remove_task(tasks.pop(ev.path))

        report = pull(
            loc.data_dir,
            sources=list(sources) or None,
            mirror=mirror,
            force=force,
            accept_changed=accept_changed,
            progress=on_event,
        )
    for o in report.outcomes:
        if o.outcome is not Outcome.SKIPPED_VERIFIED:
            (out if o.ok else err).print(f"{o.outcome.value:18} {o.path}: {escape(o.message)}")
    out.print(", ".join(f"{n} {k.value}" for k, n in report.counts().items() if n))
    if not report.ok:
        sys.exit(1)


# --- build -----------------------------------------------------------------------------


def run_build(
    loc: Locations,
    *,
    force: bool,
    allow_changed: bool,
    parquet: Path | None,
    quiet: bool,
    embeddings: bool | None = None,
) -> Any:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from jobrisk.build import build_index

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=quiet,
    ) as bar:
        task = bar.add_task("building", total=1)

        def on_step(step: str, i: int, n: int) -> None:
            bar.update(task, description=step, completed=i, total=n)

        return build_index(
            loc.data_dir,
            loc.index_path,
            force=force,
            allow_changed=allow_changed,
            progress=on_step,
            parquet_dir=parquet,
            embeddings=embeddings,
        )


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even if no source file changed.")
@click.option(
    "--allow-changed",
    is_flag=True,
    help="Build from files whose sha256 differs from the registry (marked in the index).",
)
@click.option(
    "--parquet",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also export every table as Parquet into this folder.",
)
@click.option(
    "--embeddings/--no-embeddings",
    default=None,
    help="Embed every O*NET task for the semantic matcher (needs the semantic extra; a few "
    "minutes). Default: keep what the current index has.",
)
@pass_ctx
def build(
    obj: Context, force: bool, allow_changed: bool, parquet: Path | None, embeddings: bool | None
) -> None:
    """Build the index from the public datasets and print the coverage report.

    Every file's sha256 is checked first; the new index replaces the old one only when it is
    complete. A build over unchanged files returns at once.

    \b
    Example:
      jobrisk build
      jobrisk build --parquet exports/
      jobrisk build --embeddings
    """
    loc = obj.locations
    out.print(
        f"data: {loc.data_dir} (from {loc.data_dir_from})\nindex: {loc.index_path} (from {loc.index_path_from})"
    )
    result = run_build(
        loc,
        force=force,
        allow_changed=allow_changed,
        parquet=parquet,
        quiet=False,
        embeddings=embeddings,
    )
    if not result.rebuilt:
        out.print(
            f"[green]index is up to date[/green] (no source file changed; checked in {result.seconds:.2f} s). "
            "Use --force to rebuild."
        )
        return
    if result.changed_files:
        err.print(
            f"[red]built from {len(result.changed_files)} changed file(s):[/red] {', '.join(result.changed_files)}"
        )
    from jobrisk.catalog import Catalog

    with Catalog.open(loc.index_path) as cat:
        print_coverage(cat.coverage())
    out.print(
        f"[green]built[/green] {len(result.tables)} tables in {result.seconds:.1f} s -> {loc.index_path}"
    )
    if parquet:
        out.print(f"Parquet exports in {parquet}")


def print_coverage(cov: Any) -> None:
    from rich.table import Table

    t = Table(
        "source",
        "table",
        "read",
        "joined",
        "unmatched",
        "note",
        title="Coverage",
        title_justify="left",
    )
    for r in cov.itertuples():
        t.add_row(
            r.source_id,
            r.table,
            f"{r.rows_read:,}",
            f"{r.rows_joined:,}",
            f"[yellow]{r.rows_unmatched:,}[/yellow]" if r.rows_unmatched else "0",
            r.note,
        )
    out.print(t)


@cli.command()
@pass_ctx
def coverage(obj: Context) -> None:
    """Print the coverage report of the current index: rows read, joined, unmatched per source.

    \b
    Example:
      jobrisk coverage
    """
    with obj.catalog() as cat:
        print_coverage(cat.coverage())


# --- catalog ---------------------------------------------------------------------------


@cli.command()
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@pass_ctx
def search(obj: Context, query: str, limit: int) -> None:
    """Find occupations by title, alternate title or abbreviation; typos are tolerated.

    \b
    Example:
      jobrisk search "machine lerning engineer"
      jobrisk search RN
    """
    from rich.table import Table

    with obj.catalog() as cat:
        hits = cat.search(query, limit=limit)
    t = Table("code", "occupation", "matched", "kind", "score")
    for h in hits:
        t.add_row(h.code, h.title, h.matched, h.kind, f"{h.score:.0f}")
    out.print(t)


@cli.command()
@click.argument("occupation")
@click.option(
    "--tasks",
    "n_tasks",
    default=12,
    show_default=True,
    type=click.IntRange(0, 500),
    help="How many tasks to list.",
)
@pass_ctx
def show(obj: Context, occupation: str, n_tasks: int) -> None:
    """Show one occupation's evidence: who it is, tasks with their AI signals, published measures.

    OCCUPATION is an O*NET-SOC code (15-2051.00), a SOC code (15-2051) or a title.

    \b
    Example:
      jobrisk show 15-2051.00
      jobrisk show "Registered Nurses"
    """
    from jobrisk.render import render_occupation

    with obj.catalog() as cat:
        render_occupation(cat, occupation, out, n_tasks=n_tasks)


@cli.command("list")
@click.argument("group", required=False)
@pass_ctx
def list_(obj: Context, group: str | None) -> None:
    """List SOC major groups, or the occupations in one SOC group.

    \b
    Example:
      jobrisk list
      jobrisk list 15-1200
    """
    from rich.table import Table

    with obj.catalog() as cat:
        if group is None:
            t = Table("major group", "title")
            for r in cat.groups("major").itertuples():
                t.add_row(r.code, r.title)
        else:
            t = Table("code", "occupation", "job zone", "employment", "median wage")
            for r in cat.list_group(group).itertuples():
                t.add_row(
                    r.code,
                    r.title,
                    _fmt(r.job_zone),
                    _fmt(r.employment),
                    _fmt(r.annual_median_wage, "$"),
                )
    out.print(t)


# --- methods ---------------------------------------------------------------------------


def _print_json(payload: Any) -> None:
    import json

    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


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


@cli.group(invoke_without_command=True)
@click.option("--matcher", type=click.Choice(["lexical", "semantic"]), default="lexical",
              show_default=True, help="Task matcher to evaluate.")  # fmt: skip
@click.option("--labeler", type=click.Choice(["model", "transfer"]), default="model",
              show_default=True,
              help="model: the label model trained on the other groups; transfer: the matched "
              "twins' human labels.")  # fmt: skip
@click.option("--sample", default=20, show_default=True, type=click.IntRange(1, 100_000),
              help="Labelled tasks drawn per SOC major group (fixed seed).")  # fmt: skip
@click.option("--all", "all_tasks", is_flag=True, help="Every labelled task (a long run).")
@click.option("--layouts", help="Comma-separated layouts (default: all six).")
@click.option("--train-layouts", default="", help="Layouts added to the label model's training.")
@click.option("--split", type=click.Choice(["kfold", "logo"]), default="kfold", show_default=True,
              help="kfold: major groups in K folds; logo: leave one major group out.")  # fmt: skip
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 22))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Run log (JSON lines; default: eval-runs.jsonl in the user cache).")  # fmt: skip
@click.pass_context
def eval(
    ctx: click.Context,
    matcher: str,
    labeler: str,
    sample: int,
    all_tasks: bool,
    layouts: str | None,
    train_layouts: str,
    split: str,
    folds: int,
    seed: int,
    log_path: Path | None,
) -> None:
    """The validation loop: held-out SOC major groups, re-rendered layouts, worst slice.

    Holds out whole major groups, re-renders their tasks into six layouts, hides their own
    tasks from the matcher, and scores retrieval (shared DWA, same minor group) and E-labels
    (accuracy, Cohen's kappa; GPT-4's labels as the anchor) per layout and per group. Each
    run is appended to the run log; `jobrisk eval compare` ranks them by worst slice.

    \b
    Example:
      jobrisk eval --sample 20
      jobrisk eval --labeler transfer --matcher lexical
      jobrisk eval compare
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from jobrisk.validation.layouts import LAYOUTS
    from jobrisk.validation.loop import EvalConfig, format_report, log_run, run_eval
    from jobrisk.validation.runlog import default_run_log_path

    chosen = tuple(x.strip() for x in layouts.split(",")) if layouts else LAYOUTS
    unknown = [x for x in chosen if x not in LAYOUTS]
    if unknown:
        raise InputError(f"unknown layout(s): {', '.join(unknown)}", hint=", ".join(LAYOUTS))
    config = EvalConfig(
        matcher=matcher,
        labeler=labeler,
        layouts=chosen,
        train_layouts=tuple(x for x in train_layouts.split(",") if x),
        split=split,
        folds=folds,
        sample=None if all_tasks else sample,
        seed=seed,
    )
    obj: Context = ctx.obj
    with obj.catalog() as cat, Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
        transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("evaluating", total=1)

        def on_progress(i: int, n: int, step: str) -> None:
            bar.update(task, description=step, completed=i, total=n)

        report = run_eval(cat, config, on_progress)
    path = log_path or default_run_log_path()
    log_run(report, path)
    out.print(escape(format_report(report)), highlight=False)
    out.print(f"[dim]run {report.run_id} appended to {path}[/dim]")


@eval.command("compare")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Run log (default: eval-runs.jsonl in the user cache).")  # fmt: skip
@click.option("--metric", default="e_kappa", show_default=True,
              help="Metric whose worst slice ranks the runs.")  # fmt: skip
def eval_compare(log_path: Path | None, metric: str) -> None:
    """Rank the logged runs by worst slice and say which factor moved the number.

    \b
    Example:
      jobrisk eval compare
      jobrisk eval compare --metric dwa_top5
    """
    from jobrisk.validation.runlog import (
        compare_runs,
        default_run_log_path,
        format_comparison,
        read_runs,
    )

    path = log_path or default_run_log_path()
    entries = read_runs(path)
    if not entries:
        raise InputError(f"no runs in {path}", hint="run `jobrisk eval` first")
    out.print(escape(format_comparison(compare_runs(entries, metric))), highlight=False)


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


def _fmt(v: Any, prefix: str = "") -> str:
    try:
        if v is None or v != v:
            return "-"
        return f"{prefix}{float(v):,.0f}"
    except (TypeError, ValueError):
        return "-"


def main() -> None:
    """Entry point: run the CLI, turning jobrisk errors into one clear message and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (InputError, UnknownOccupationError, UnknownMethodError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(2)
    except JobriskError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted; the previous index is untouched")
        sys.exit(130)


# command modules register themselves on import
from jobrisk.commands import careers, reports, timeline, web  # noqa: E402, F401
