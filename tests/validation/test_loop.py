"""The validation loop: splits, scoring, the run log, and whole runs with stand-ins and for real.

The stand-in matcher returns its corpus rows in order, whatever the text, so every retrieval
figure of the seven-task fixture below can be worked out by hand.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError, InputError
from jobrisk.matching.base import Candidate
from jobrisk.validation.layouts import render
from jobrisk.validation.loop import (
    EvalConfig,
    EvalData,
    EvalReport,
    Labeler,
    LabelPrediction,
    ModelLabeler,
    TrainingSide,
    TransferLabeler,
    format_report,
    load_eval_data,
    log_run,
    run_eval,
)
from jobrisk.validation.runlog import (
    RunEntry,
    compare_runs,
    format_comparison,
    parse_entry,
    read_runs,
)
from jobrisk.validation.scoring import ScoredText, cohen_kappa, label_agreement, score_texts
from jobrisk.validation.splits import (
    fold_sides,
    major_group_folds,
    normalize_statement,
    sample_per_group,
)

# code, task_id, task, major, minor, DWAs, human_e, gpt4_e
ROWS = [
    ("11-1011.00", 1, "Prepare budgets for approval.", "11-0000", "11-1000", {"d1"}, "E1", "E1"),
    ("11-1021.00", 2, "Direct financial activities.", "11-0000", "11-1000", {"d2"}, "E0", "E2"),
    ("13-2011.00", 3, "Prepare financial reports.", "13-0000", "13-2000", {"d1"}, "E1", "E1"),
    ("13-2011.00", 4, "Audit accounts for errors.", "13-0000", "13-2000", {"d3"}, "E2", "E2"),
    ("13-1111.00", 5, "Analyze business operations.", "13-0000", "13-1000", {"d4"}, "E1", "E0"),
    ("15-1252.00", 6, "Write software code.", "15-0000", "15-1200", {"d5"}, "E2", "E2"),
    ("15-1211.00", 7, "Analyze computer systems.", "15-0000", "15-1200", {"d4"}, "E0", "E0"),
]


def tiny_data() -> EvalData:
    corpus = pd.DataFrame(
        [r[:5] for r in ROWS], columns=["code", "task_id", "task", "major_code", "minor_code"]
    )
    labels = pd.DataFrame(
        [(r[2], r[6], r[7], "T1", r[0], r[1], r[3], r[4]) for r in ROWS],
        columns=[
            "task",
            "human_e",
            "gpt4_e",
            "gpt4_t",
            "code",
            "task_id",
            "major_code",
            "minor_code",
        ],
    )
    return EvalData(
        corpus=corpus,
        items=labels.copy(),
        labels=labels,
        dwas={(r[0], r[1]): frozenset(r[5]) for r in ROWS},
        minor_of={r[0]: r[4] for r in ROWS},
    )


class InOrderMatcher:
    """Returns the first ``k`` rows of its corpus for every text."""

    def __init__(self, corpus: pd.DataFrame) -> None:
        self.corpus = corpus.reset_index(drop=True)

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[Candidate]]:
        top = [
            Candidate(str(r.code), int(r.task_id), str(r.task), 1.0 - i / 100)
            for i, r in enumerate(self.corpus.head(k).itertuples())
        ]
        return [top for _ in texts]

    def restricted(self, keep: npt.NDArray[np.bool_]) -> InOrderMatcher:
        return InOrderMatcher(self.corpus[keep])


def constant_labeler(train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
    return [LabelPrediction("E0", 1.0) for _ in texts]


TINY = EvalConfig(layouts=("original",), split="logo", sample=None)


def tiny_run(config: EvalConfig = TINY, labeler: Labeler = constant_labeler) -> EvalReport:
    return run_eval(
        None,  # type: ignore[arg-type]  # the catalog is not read when data is given
        config,
        matcher_factory=InOrderMatcher,
        labeler=labeler,
        data=tiny_data(),
    )


HAVE_LEXICAL = importlib.util.find_spec("jobrisk.matching.lexical") is not None
HAVE_LABEL_MODEL = importlib.util.find_spec("jobrisk.matching.labels") is not None


@pytest.fixture(scope="module")
def real_data(catalog: Catalog) -> EvalData:
    return load_eval_data(catalog)


@pytest.fixture(scope="module")
def lexical(real_data: EvalData) -> Any:
    """One lexical matcher over the real corpus, shared by the real runs (a fit takes ~5 s)."""
    from jobrisk.matching.lexical import LexicalMatcher

    return LexicalMatcher(real_data.corpus)


# --- splits -----------------------------------------------------------------------------------


def test_logo_gives_one_fold_per_group_and_kfold_holds_each_group_out_once() -> None:
    sizes = {f"{g}-0000": n for g, n in zip(range(11, 55, 2), range(100, 1200, 50), strict=False)}
    logo = major_group_folds(sizes, "logo")
    assert [f.held_out for f in logo] == [(g,) for g in sorted(sizes)]
    folds = major_group_folds(sizes, "kfold", k=5, seed=3)
    held = [g for f in folds for g in f.held_out]
    assert sorted(held) == sorted(sizes) and len(held) == len(set(held))
    loads = [sum(sizes[g] for g in f.held_out) for f in folds]
    assert max(loads) - min(loads) <= max(sizes.values())
    with pytest.raises(InputError, match="2 <= k"):
        major_group_folds(sizes, "kfold", k=1)
    with pytest.raises(InputError, match="unknown split scheme"):
        major_group_folds(sizes, "random")


def test_no_held_out_task_is_on_the_training_or_retrievable_side(real_data: EvalData) -> None:
    data = real_data
    sizes = {str(g): int(n) for g, n in data.items["major_code"].value_counts().items()}
    assert len(sizes) == 22
    folds = major_group_folds(sizes, "kfold", k=5)
    seen: list[str] = []
    for fold in folds:
        sides = fold_sides(fold, data.items, data.labels, data.corpus)
        held = set(fold.held_out)
        seen += fold.held_out
        assert set(sides.held_out_items["major_code"]) == held
        retrievable = data.corpus[sides.retrievable]
        assert not held & set(retrievable["major_code"])
        assert not held & set(sides.train_labels["major_code"])
        held_keys = set(
            zip(sides.held_out_items["code"], sides.held_out_items["task_id"], strict=True)
        )
        assert not held_keys & set(zip(retrievable["code"], retrievable["task_id"], strict=True))
        held_texts = set(sides.held_out_items["task"].map(normalize_statement))
        assert not held_texts & set(retrievable["task"].map(normalize_statement))
        assert not held_texts & set(sides.train_labels["task"].map(normalize_statement))
        # every row is on one side or the other, except verbatim twins of held-out statements
        twins = (~data.corpus["major_code"].isin(held)) & ~sides.retrievable
        assert int(twins.sum()) < 100
    assert sorted(seen) == sorted(sizes)


def test_sample_per_group_is_fixed_by_the_seed_not_the_row_order() -> None:
    items = pd.DataFrame(
        {
            "code": [f"c{i:02d}" for i in range(40)],
            "task_id": range(40),
            "major_code": ["a", "b"] * 20,
        }
    )
    one = sample_per_group(items, 5, seed=1)
    two = sample_per_group(items.iloc[::-1], 5, seed=1)
    assert one.equals(two)
    assert one["major_code"].value_counts().to_dict() == {"a": 5, "b": 5}
    assert not one.equals(sample_per_group(items, 5, seed=2))
    assert len(sample_per_group(items, None, seed=1)) == 40


# --- scoring ----------------------------------------------------------------------------------


def test_cohen_kappa_by_hand_and_undefined_cases() -> None:
    # p_o = 3/4; p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2; kappa = (3/4 - 1/2) / (1/2) = 1/2
    assert cohen_kappa(["E0", "E0", "E1", "E1"], ["E0", "E1", "E1", "E1"]) == pytest.approx(0.5)
    assert cohen_kappa(["E0", "E1"], ["E0", "E0"]) == pytest.approx(0.0)
    assert math.isnan(cohen_kappa(["E2", "E2"], ["E2", "E2"]))
    assert label_agreement(["E0", "E1", "E2"], ["E0", "E1", "E2"]) == (1.0, 1.0)


def test_gpt4_anchor_reproduces_the_published_agreement(catalog: Catalog) -> None:
    """METHODS.md section 4: GPT-4 agrees with the human labels on 65.6%, kappa 0.437."""
    rows = catalog.query("select human_e, gpt4_e from task_exposure_labels")
    acc, kappa = label_agreement(list(rows["human_e"]), list(rows["gpt4_e"]))
    assert (round(acc, 3), round(kappa, 3)) == (0.656, 0.437)


def _text(layout: str, group: str, dwa: int | None, human: str, pred: str, i: int) -> ScoredText:
    return ScoredText(layout, "text", group, f"x{i}", i, (), dwa, None, human, pred, 1.0, human)


def test_scoreboard_margins_cells_mean_and_worst_slice() -> None:
    texts = [
        _text("original", "11-0000", 1, "E0", "E0", 1),
        _text("original", "11-0000", 3, "E1", "E1", 2),
        _text("original", "13-0000", 1, "E0", "E0", 3),
        _text("original", "13-0000", 1, "E1", "E1", 4),
        _text("noisy", "11-0000", None, "E0", "E1", 1),
        _text("noisy", "11-0000", 6, "E1", "E1", 2),
        _text("noisy", "13-0000", 2, "E0", "E0", 3),
        _text("noisy", "13-0000", 1, "E1", "E1", 4),
    ]
    board = score_texts(texts)
    layout = {s.layout: s for s in board.by_layout}
    assert (layout["original"].dwa_top1, layout["original"].dwa_top5) == (0.75, 1.0)
    assert (layout["noisy"].dwa_top1, layout["noisy"].dwa_top5) == (0.25, 0.5)
    assert layout["noisy"].e_accuracy == 0.75
    group = {s.group: s for s in board.by_group}
    assert group["11-0000"].dwa_top5 == 0.5 and group["13-0000"].dwa_top5 == 1.0
    assert board.overall.dwa_top5 == 0.75 and board.overall.n == 8
    # cells: original/11 1.0, original/13 1.0, noisy/11 0.0, noisy/13 1.0 -> mean 0.75
    assert board.mean.dwa_top5 == 0.75 and board.mean.n == 4
    worst = board.worst("dwa_top5")
    assert (worst.kind, worst.layout, worst.value) == ("layout", "noisy", 0.5) or (
        worst.kind == "group" and worst.value == 0.5
    )
    assert board.worst("dwa_top5", "cell").value == 0.0
    assert board.worst("dwa_top1", "margin").value == 0.25
    # the anchor counts each task once, whatever the number of layouts
    assert board.anchor_overall.n == 4 and board.anchor_overall.accuracy == 1.0


# --- whole runs with stand-ins -----------------------------------------------------------------


def test_tiny_run_retrieval_by_hand() -> None:
    report = tiny_run()
    b = report.board
    # leave-one-group-out, first five retrievable rows returned for every text:
    # 11 out -> C D E F G: task 1 (d1) hits C at 1, task 2 (d2) misses
    # 13 out -> A B F G:   task 3 (d1) hits A at 1, 4 (d3) misses, 5 (d4) hits G at 4
    # 15 out -> A B C D E: task 6 (d5) misses, task 7 (d4) hits E at 5
    assert b.overall.n == 7
    assert b.overall.dwa_top1 == pytest.approx(2 / 7)
    assert b.overall.dwa_top5 == pytest.approx(4 / 7)
    # minor group: full corpus minus the own occupation, first five rows:
    # task 1 -> B (11-1000) at 1; task 2 -> A at 1; 3,4 (13-2000) -> A B E F G miss;
    # 5 (13-1000) -> A B C D F miss; 6, 7 (15-1200) -> A..E miss
    assert b.overall.minor_top1 == pytest.approx(2 / 7)
    assert b.overall.minor_top5 == pytest.approx(2 / 7)
    group = {s.group: s for s in b.by_group}
    assert group["13-0000"].dwa_top5 == pytest.approx(2 / 3)


def test_no_retrieved_task_comes_from_a_held_out_group() -> None:
    report = tiny_run(replace(TINY, layouts=("original", "noisy")))
    major = {(r[0], r[1]): r[3] for r in ROWS}
    fold_of = {g: f.held_out for f in report.folds for g in f.held_out}
    assert len(report.scored) == 14
    for text in report.scored:
        assert text.retrieved, text
        assert not {major[key] for key in text.retrieved} & set(fold_of[text.group])


def test_constant_labeler_scores_the_share_of_its_label_and_zero_kappa() -> None:
    report = tiny_run()
    e0_share = sum(r[6] == "E0" for r in ROWS) / len(ROWS)
    assert report.board.overall.e_accuracy == pytest.approx(e0_share)
    assert report.board.overall.e_kappa == pytest.approx(0.0)
    # GPT-4 vs human on the seven rows: 5 agree
    assert report.board.anchor_overall.accuracy == pytest.approx(5 / 7)


def test_labeler_sees_only_the_other_groups_and_predictions_stay_aligned() -> None:
    layouts = ("original", "terse", "bullet")
    truth = {render(r[2], lay): r[6] for r in ROWS for lay in layouts}
    seen: list[set[str]] = []

    def oracle(train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
        seen.append(set(train.labels["major_code"]))
        return [LabelPrediction(truth[t], 1.0) for t in texts]

    report = tiny_run(replace(TINY, layouts=layouts), labeler=oracle)
    assert report.board.overall.e_accuracy == 1.0 and report.board.overall.e_kappa == 1.0
    assert report.n_texts == 21
    assert seen == [
        {"13-0000", "15-0000"},
        {"11-0000", "15-0000"},
        {"11-0000", "13-0000"},
    ]


def test_train_layouts_add_rendered_copies_of_the_training_rows_only() -> None:
    sizes: list[int] = []
    texts_seen: list[set[str]] = []

    def recorder(train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
        sizes.append(len(train.labels))
        texts_seen.append(set(train.labels["task"]))
        return constant_labeler(train, texts)

    tiny_run(replace(TINY, train_layouts=("terse", "bullet")), labeler=recorder)
    # logo over 2 + 3 + 2 tasks: the other groups hold 5, 4 and 5 rows, x3 with two layouts
    assert sizes == [15, 12, 15]
    assert render(ROWS[2][2], "terse") in texts_seen[0]
    assert render(ROWS[0][2], "terse") not in texts_seen[0]


def test_a_labeler_returning_too_few_predictions_is_a_data_error() -> None:
    with pytest.raises(DataError, match="one prediction per text"):
        tiny_run(labeler=lambda train, texts: [])


def test_unknown_settings_are_input_errors() -> None:
    for bad in (
        replace(TINY, layouts=("tabular",)),
        replace(TINY, split="random"),
        replace(TINY, k=0),
        replace(TINY, matcher="fuzzy"),
    ):
        with pytest.raises(InputError):
            run_eval(None, bad, data=tiny_data(), labeler=constant_labeler)  # type: ignore[arg-type]


def test_progress_is_reported_per_fold_step() -> None:
    calls: list[tuple[int, int]] = []
    run_eval(
        None,  # type: ignore[arg-type]
        TINY,
        lambda done, total, msg: calls.append((done, total)),
        matcher_factory=InOrderMatcher,
        labeler=constant_labeler,
        data=tiny_data(),
    )
    assert calls == [(i, 9) for i in range(1, 10)]


# --- the run log --------------------------------------------------------------------------------


def test_run_log_round_trip_and_one_key_comparison(tmp_path: Path) -> None:
    log = tmp_path / "eval-runs.jsonl"

    def oracle(train: TrainingSide, texts: Sequence[str]) -> list[LabelPrediction]:
        truth = {r[2]: r[6] for r in ROWS}
        return [LabelPrediction(truth[t], 1.0) for t in texts]

    const = tiny_run()
    perfect = tiny_run(labeler=oracle)
    perfect = replace(perfect, config=replace(perfect.config, labeler="transfer"))
    other_seed = tiny_run(replace(TINY, seed=5))
    for report in (const, perfect, other_seed, const):
        log_run(report, log)
    lines = log.read_text().splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["config"]["labeler"] == "model"
    runs = read_runs(log)
    comparison = compare_runs(runs, "e_kappa")
    assert comparison.ranking[0].run.run_id == perfect.run_id
    # the repeated configuration is ranked once, with its two runs counted
    assert len(comparison.ranking) == 3
    assert {r.run.run_id: r.runs for r in comparison.ranking}[const.run_id] == 2
    effect = next(e for e in comparison.effects if e.key == "labeler")
    assert (effect.before, effect.after) == ("model", "transfer")
    # constant labeler: kappa 0 in every group; oracle: 1 everywhere
    assert effect.delta_worst == pytest.approx(1.0) and effect.delta_mean == pytest.approx(1.0)
    assert comparison.moved_by == effect
    seed_effect = next(e for e in comparison.effects if e.key == "seed")
    assert seed_effect.delta_worst == pytest.approx(0.0)
    text = format_comparison(comparison)
    assert "labeler: model -> transfer" in text and "worst +1.000" in text


def _entry(run_id: str, worst: float, mean: float, **config: str) -> RunEntry:
    summary = [
        {"metric": "e_kappa", "overall": mean, "mean": mean, "worst": worst, "worst_slice": "x"}
    ]
    base = {"matcher": "lexical", "seed": "0", "code_version": "v1"}
    return parse_entry(
        {"run_id": run_id, "timestamp": "t", "config": base | config, "summary": summary}
    )


def test_compare_sets_a_changed_code_version_aside_and_flags_it() -> None:
    runs = [
        _entry("a", 0.30, 0.40),
        _entry("b", 0.45, 0.50, matcher="semantic", code_version="v2"),
        _entry("c", 0.20, 0.40, code_version="v2"),
        _entry("d", 0.10, 0.30, matcher="semantic", seed="1", code_version="v3"),
    ]
    comparison = compare_runs(runs)
    assert [r.run.run_id for r in comparison.ranking] == ["b", "a", "c", "d"]
    found = {(e.run_before, e.run_after): e for e in comparison.effects}
    # a -> b: matcher changed, and the code with it; a -> c: only the code changed;
    # b -> c: matcher (same code); a -> d and c -> d differ in two keys besides the code
    assert set(found) == {("a", "b"), ("a", "c"), ("b", "c"), ("b", "d")}
    assert (found["a", "b"].key, found["a", "b"].code_changed) == ("matcher", True)
    assert found["a", "b"].delta_worst == pytest.approx(0.15)
    assert (found["a", "c"].key, found["a", "c"].code_changed) == ("code_version", False)
    assert (found["b", "c"].key, found["b", "c"].code_changed) == ("matcher", False)
    assert (found["b", "d"].key, found["b", "d"].code_changed) == ("seed", True)
    assert comparison.moved_by == found["b", "d"]  # -0.35, the largest change
    assert found["b", "d"].delta_worst == pytest.approx(-0.35)


def test_a_broken_log_line_is_a_data_error_naming_the_line(tmp_path: Path) -> None:
    log = tmp_path / "eval-runs.jsonl"
    report = tiny_run()
    log_run(report, log)
    with log.open("a") as fh:
        fh.write("{not json\n")
    with pytest.raises(DataError, match="line 2"):
        read_runs(log)
    with pytest.raises(InputError, match="no run log"):
        read_runs(tmp_path / "missing.jsonl")


# --- a real quick run -------------------------------------------------------------------------


@pytest.mark.skipif(not HAVE_LEXICAL, reason="jobrisk.matching.lexical is not there yet")
def test_real_quick_run_lexical_transfer(
    catalog: Catalog, real_data: EvalData, lexical: Any
) -> None:
    data = real_data
    config = EvalConfig(matcher="lexical", labeler="transfer", sample=8, folds=4, seed=1)
    report = run_eval(catalog, config, data=data, matcher_factory=lambda corpus: lexical)
    b = report.board
    assert report.n_tasks == 22 * 8 and report.n_texts == 22 * 8 * 6
    assert len(b.by_group) == 22 and len(b.by_layout) == 6
    assert {s.group for s in b.by_group} == {a.group for a in b.anchor_by_group}

    # the anchor is GPT-4 against the humans on exactly the sampled tasks
    sample = sample_per_group(data.items, 8, seed=1)
    assert (b.anchor_overall.accuracy, b.anchor_overall.kappa) == pytest.approx(
        label_agreement(list(sample["human_e"]), list(sample["gpt4_e"]))
    )

    # ceiling: a shared-DWA hit needs a task of another major group with one of the source's
    # DWAs; chance: five random tasks hit with probability ~5 x (tasks sharing a DWA) / corpus
    major = dict(zip(data.corpus["code"], data.corpus["major_code"], strict=True))
    holders: dict[str, set[tuple[str, int]]] = {}
    for key, dwas in data.dwas.items():
        for d in dwas:
            holders.setdefault(d, set()).add(key)
    reachable, chance = [], []
    for code, task_id, group in zip(
        sample["code"], sample["task_id"], sample["major_code"], strict=True
    ):
        sharing = set().union(*(holders[d] for d in data.dwas[(code, int(task_id))]))
        reachable.append(any(major[c] != group for c, _ in sharing))
        chance.append(5 * len(sharing) / len(data.corpus))
    for s in b.by_layout:
        assert 0.0 <= s.dwa_top1 <= s.dwa_top5 <= np.mean(reachable)
        assert 0.0 <= s.minor_top1 <= s.minor_top5 <= 1.0
    original = {s.layout: s for s in b.by_layout}["original"]
    assert original.dwa_top5 > 5 * np.mean(chance)
    fold_of = {g: set(f.held_out) for f in report.folds for g in f.held_out}
    for text in report.scored:
        assert len(text.retrieved) == 5
        assert not {major[c] for c, _ in text.retrieved} & fold_of[text.group]
    # minor groups hold ~1% of the corpus each; finding the right one in the top five for
    # over a quarter of the texts is far above chance
    assert original.minor_top5 > 0.25
    assert "GPT-4 anchor" in format_report(report)


@pytest.mark.skipif(not HAVE_LEXICAL, reason="jobrisk.matching.lexical is not there yet")
def test_restricted_top_k_read_off_the_full_ranking_equals_a_restricted_search(
    real_data: EvalData, lexical: Any
) -> None:
    from jobrisk.validation.loop import _RememberingMatcher, _restricted_top_k

    data, full = real_data, lexical
    fold = major_group_folds({"29-0000": 1, "15-0000": 1}, "logo")[0]
    sides = fold_sides(fold, data.items, data.labels, data.corpus)
    texts = [render(t, "noisy") for t in sides.held_out_items["task"].iloc[::40]]
    keep = data.corpus[sides.retrievable]
    keys = set(zip(keep["code"], keep["task_id"].astype(int), strict=True))
    restricted = full.restricted(sides.retrievable)
    derived = _restricted_top_k(
        _RememberingMatcher(restricted), texts, full.search(texts, 60), keys, 5
    )
    direct = restricted.search(texts, 5)
    for a, b in zip(derived, direct, strict=True):
        # equal similarities, rank by rank (ties between verbatim twins may swap places)
        assert [c.similarity for c in a] == pytest.approx([c.similarity for c in b], abs=1e-6)


@pytest.mark.skipif(
    not (HAVE_LEXICAL and HAVE_LABEL_MODEL), reason="the matchers or the label model are not there"
)
def test_real_run_with_the_label_model_on_a_training_subsample(
    catalog: Catalog, real_data: EvalData, lexical: Any
) -> None:
    # the label model trains in ~15 s per fold on the full training side (more on a busy
    # machine); 3,000 labelled rows (seed 0) keep this test to a few seconds, and the run
    # still has to beat chance
    labels = real_data.labels.sample(3000, random_state=0).reset_index(drop=True)
    config = EvalConfig(labeler="model", sample=5, folds=2, layouts=("original", "noisy"))
    report = run_eval(
        catalog,
        config,
        data=replace(real_data, labels=labels),
        matcher_factory=lambda corpus: lexical,
    )
    b = report.board
    assert report.n_texts == 22 * 5 * 2
    assert {t.predicted_e for t in report.scored} <= {"E0", "E1", "E2"}
    assert all(0.0 <= t.confidence <= 1.0 for t in report.scored)
    # a constant labeler has kappa 0; a model that learnt anything from other groups beats it
    assert b.overall.e_kappa > 0.1
    assert report.settings()["labeler"] == "model"


@pytest.mark.skipif(
    not (HAVE_LEXICAL and HAVE_LABEL_MODEL), reason="the matchers or the label model are not there"
)
def test_the_model_labeler_at_full_twin_weight_is_the_twins_vote(
    catalog: Catalog, real_data: EvalData, lexical: Any
) -> None:
    # twin_weight=1 leaves only the matched training-side tasks' votes: wherever the matcher
    # found a labelled twin the label must be the similarity-weighted vote of TransferLabeler
    labels = real_data.labels.sample(2000, random_state=1).reset_index(drop=True)
    runs = {}
    for name, labeler in (
        ("model", ModelLabeler((("calibration_folds", "0"), ("twin_weight", "1")))),
        ("transfer", TransferLabeler(k=5)),
    ):
        runs[name] = run_eval(
            catalog,
            EvalConfig(sample=3, folds=2, layouts=("original",)),
            data=replace(real_data, labels=labels),
            matcher_factory=lambda corpus: lexical,
            labeler=labeler,
        ).scored
    voted = [(m, t) for m, t in zip(runs["model"], runs["transfer"], strict=True) if t.confidence]
    assert len(voted) >= 20
    agree = np.mean([m.predicted_e == t.predicted_e for m, t in voted])
    assert agree > 0.97  # ties between labels may break the other way


def test_the_report_floor_is_the_products_label_floor() -> None:
    from jobrisk.matching.labels import CONFIDENCE_FLOOR
    from jobrisk.validation.loop import LABEL_FLOOR

    assert LABEL_FLOOR == CONFIDENCE_FLOOR


def test_agreement_above_the_floor_keeps_only_confident_texts() -> None:
    from jobrisk.validation.scoring import score_above_floor

    def text(layout: str, group: str, human: str, pred: str, conf: float) -> ScoredText:
        return ScoredText(
            layout=layout, text="t", group=group, code="11-1011.00", task_id=1, retrieved=(),
            dwa_hit_rank=None, minor_hit_rank=None, human_e=human, predicted_e=pred,
            confidence=conf, gpt4_e=human,
        )  # fmt: skip

    rows = [
        text("original", "11-0000", "E0", "E0", 0.9),
        text("original", "11-0000", "E1", "E1", 0.8),
        text("original", "13-0000", "E1", "E0", 0.7),
        text("original", "13-0000", "E2", "E2", 0.6),
        text("terse", "11-0000", "E2", "E0", 0.3),  # below the floor: not counted
        text("terse", "13-0000", "E0", "E0", 0.55),  # at the floor: counted
    ]
    f = score_above_floor(rows, 0.55)
    assert (f.n, f.kept) == (6, 5)
    assert f.accuracy == pytest.approx(4 / 5)
    kept = [r for r in rows if r.confidence >= 0.55]
    assert f.kappa == pytest.approx(
        cohen_kappa([r.human_e for r in kept], [r.predicted_e for r in kept])
    )
    # 13-0000 kept: (E1,E0) (E2,E2) (E0,E0): p_o 2/3; p_e = 1/3*2/3 + 1/3*1/3 = 1/3 -> 0.5
    assert (f.worst_group, f.worst_group_kappa) == ("13-0000", pytest.approx(0.5))
    assert f.groups_below == 0
    assert f.worst_layout == "original"  # terse keeps one text: kappa undefined, ranked last
