"""``jobrisk data status|pull``, ``jobrisk build`` and ``jobrisk coverage``: the public datasets and the index built from them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from jobrisk.cli import Context, cli, err, out, pass_ctx
from jobrisk.paths import Locations

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
