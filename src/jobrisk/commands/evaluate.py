"""``jobrisk eval`` and ``jobrisk eval compare``: the validation loop of the matcher and the label model."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from jobrisk.cli import Context, cli, err, out
from jobrisk.errors import InputError


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
