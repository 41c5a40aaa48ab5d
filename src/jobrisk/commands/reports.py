"""``jobrisk report``: one occupation's or custom role's full report in any format."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from jobrisk.cli import Context, cli, out, pass_ctx
from jobrisk.errors import InputError
from jobrisk.reports.formats import FORMATS


@cli.command()
@click.argument("subject")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="terminal",
    show_default=True,
    help="terminal (rich tables), markdown, html (one self-contained file), json, csv (tasks).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.option(
    "--matcher",
    type=click.Choice(["auto", "lexical", "semantic"]),
    default="auto",
    show_default=True,
    help="Custom roles: how tasks are matched to O*NET tasks.",
)
@pass_ctx
def report(obj: Context, subject: str, fmt: str, output: Path | None, matcher: str) -> None:
    """Full report of an occupation or a custom role: facts, every method, consensus, tasks,
    AIJRI breakdown, AI cost, comparable jobs and sources.

    SUBJECT is an O*NET-SOC code (15-2051.00), a SOC code, a title, or a role file (.yaml,
    .yml, .json or .csv, as for `jobrisk assess`).

    \b
    Example:
      jobrisk report 15-2051.00
      jobrisk report "Registered Nurses" --format markdown
      jobrisk report 15-2051.00 --format html --output data-scientists.html
      jobrisk report examples/roles/ml-ai-engineer.role.yaml --format json
    """
    from jobrisk import api
    from jobrisk.reports.formats import render_report

    if output is not None:
        _check_folder(output)
    from jobrisk.roles import role_or_query

    query = role_or_query(subject)
    with obj.catalog() as cat:
        rep = api.report(cat, query, matcher=matcher)
        if fmt == "terminal" and output is None:
            from jobrisk.reports.terminal import render_terminal

            render_terminal(rep, out)
            return
        text = render_report(rep, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    _write_atomic(output, text)
    click.echo(f"wrote {output} ({fmt}, {len(text.encode('utf-8')):,} bytes)", err=True)


def _check_folder(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"no folder {str(folder)!r} for {path}", hint="create it first")
    return folder


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    folder = _check_folder(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
