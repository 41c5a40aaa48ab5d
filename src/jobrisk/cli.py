"""The ``jobrisk`` command: a thin layer over the library that turns its errors into one line.

Exit codes: 0 ok, 2 bad input (unknown occupation, bad option), 1 any other failure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
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
            from jobrisk.commands.data import run_build

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


# --- methods ---------------------------------------------------------------------------


def _print_json(payload: Any) -> None:
    import json

    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


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
from jobrisk.commands import careers, data, evaluate, reports, scores, timeline, web  # noqa: E402, F401
