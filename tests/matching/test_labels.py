"""The label model on the real Eloundou et al. labels: anchor, held-out groups, storage, the
twins' vote, the kappa offsets, the no-known-word floor.

Training on all 19,265 tasks with calibration takes ~20 s here, so the storage tests train on a
fixed 3,000-task sample and the held-out test uses 4 grouped folds over SOC major groups on a
fixed 12,000-task sample, without calibration (labels only): each model sees ~9,000 tasks, so
its kappa (~0.45) is below the full leave-one-group-out figure (0.477, in the module docstring
of :mod:`jobrisk.matching.labels`), which is the one to compare with the issue's targets.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from jobrisk.catalog import Catalog
from jobrisk.errors import DataError, InputError
from jobrisk.matching.base import Candidate
from jobrisk.matching.features import kappa_of_indices, kappa_offsets
from jobrisk.matching.labels import (
    E_LABELS,
    FEATURE_TABLE,
    GPT4_ANCHOR_KAPPA,
    PARAMS_TABLE,
    T_LABELS,
    LabelModel,
    LabelModelConfig,
    augmented,
    load_label_model,
    train_label_model,
    twin_votes,
)
from jobrisk.validation.label_folds import (
    cohen_kappa,
    grouped_evaluation,
    recommend_confidence_floor,
)


@pytest.fixture(scope="module")
def labels(catalog: Catalog) -> pd.DataFrame:
    frame = catalog.query(
        "select src_code, task, human_e, gpt4_e, gpt4_t from task_exposure_labels"
    )
    frame["major"] = frame["src_code"].str[:2]
    return frame


@pytest.fixture(scope="module")
def small_model(labels: pd.DataFrame) -> LabelModel:
    rows = labels.sample(3000, random_state=0)
    return train_label_model(
        rows["task"].tolist(),
        rows["human_e"].tolist(),
        rows["gpt4_t"].tolist(),
        groups=rows["major"].tolist(),
        config=LabelModelConfig(calibration_folds=2, tune_offsets=True),
    )


def perturb(text: str, rng: random.Random) -> str:
    """Lower case, drop ~10% of the words, and swap, drop or replace a letter in ~10%."""
    words = text.lower().split()
    out = []
    for word in words:
        if len(words) > 3 and rng.random() < 0.1:
            continue
        if len(word) > 3 and rng.random() < 0.1:
            i = rng.randrange(1, len(word) - 1)
            op = rng.randrange(3)
            if op == 0:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            elif op == 1:
                word = word[:i] + word[i + 1 :]
            else:
                word = word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]
        out.append(word)
    return " ".join(out)


def test_cohen_kappa_hand_computed() -> None:
    # p_o = 3/4; p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2
    assert cohen_kappa(["E0", "E0", "E1", "E1"], ["E0", "E1", "E1", "E1"]) == pytest.approx(0.5)
    assert cohen_kappa(["E0", "E1", "E2"], ["E0", "E1", "E2"]) == pytest.approx(1.0)
    assert np.isnan(cohen_kappa(["E0", "E0"], ["E0", "E0"]))


def test_gpt4_anchor_matches_the_published_figures(labels: pd.DataFrame) -> None:
    # METHODS.md s.4: GPT-4's E labels agree with the human ones on 65.6%, kappa 0.437.
    kappa = cohen_kappa(labels["human_e"].tolist(), labels["gpt4_e"].tolist())
    assert len(labels) == 19265
    assert kappa == pytest.approx(GPT4_ANCHOR_KAPPA, abs=5e-4)
    assert (labels["human_e"] == labels["gpt4_e"]).mean() == pytest.approx(0.656, abs=5e-4)


def test_held_out_groups_beat_gpt4_and_survive_perturbation(labels: pd.DataFrame) -> None:
    rows = labels.sample(12000, random_state=1)
    rng = random.Random(0)
    noisy = [perturb(t, rng) for t in rows["task"]]
    ev = grouped_evaluation(
        rows["task"].tolist(),
        rows["human_e"].tolist(),
        rows["major"].tolist(),
        variants=[("perturbed", noisy)],
        reference_labels=rows["gpt4_e"].tolist(),
        n_folds=4,
        config=LabelModelConfig(calibration_folds=0),
    )
    clean, perturbed = ev.layout("original"), ev.layout("perturbed")
    assert ev.n_folds == 4
    assert [s.group for s in clean.groups] == sorted(rows["major"].unique())
    assert sum(s.n for s in clean.groups) == clean.overall.n == 12000
    assert clean.overall.reference_kappa is not None
    # GPT-4's labels on the same 12,000 tasks are the anchor (0.437 on all 19,265).
    assert clean.overall.kappa > clean.overall.reference_kappa
    assert perturbed.overall.kappa > clean.overall.kappa - 0.04
    assert perturbed.overall.kappa > 0.40
    assert clean.worst_group.kappa == min(s.kappa for s in clean.groups)


def test_held_out_groups_are_not_in_training() -> None:
    # Each group's label is carried by a word only that group uses: a model that saw the
    # held-out group would read it off (kappa ~1); a held-out model cannot (kappa ~0).
    rng = random.Random(0)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    filler = ["review", "prepare", "inspect", "record", "plan", "assist", "order", "check"]
    texts, e, groups = [], [], []
    for k, word in enumerate(words):
        for _ in range(60):
            texts.append(f"{word} {' '.join(rng.sample(filler, 3))}")
            e.append(E_LABELS[k % 3])
            groups.append(word)
    ev = grouped_evaluation(
        texts, e, groups, n_folds=None, config=LabelModelConfig(calibration_folds=0)
    )
    assert ev.n_folds == 6
    assert ev.layout().overall.accuracy < 0.5
    assert ev.layout().overall.kappa < 0.2
    seen = train_label_model(
        texts,
        e,
        [T_LABELS[i % 5] for i in range(len(texts))],
        config=LabelModelConfig(calibration_folds=0),
    )
    assert seen.predict(texts).e_labels == tuple(e)


def test_predictions_are_probabilities_and_deterministic(small_model: LabelModel) -> None:
    texts = ["Write press releases", "Operate a forklift in a warehouse", "", "xqzv"]
    a, b = small_model.predict(texts), small_model.predict(texts)
    assert len(a) == 4
    np.testing.assert_array_equal(a.e_proba, b.e_proba)
    np.testing.assert_allclose(a.e_proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.t_proba.sum(axis=1), 1.0)
    assert set(a.e_labels) <= set(E_LABELS)
    assert set(a.t_labels) <= set(T_LABELS)
    # no known word: the priors come back, but as no evidence (confidence 0 -> unmatched)
    assert a.known.tolist() == [True, True, False, False]
    assert a.e_confidence[2] == a.e_confidence[3] == 0.0
    assert [r.above_floor for r in a.records(floor=0.01)][2:] == [False, False]
    for rec, row, known in zip(a.records(floor=0.6), a.e_proba, a.known, strict=True):
        assert rec.e_label == E_LABELS[int(row.argmax())]
        assert rec.e_confidence == pytest.approx(row.max() if known else 0.0)
        assert rec.above_floor == (known and row.max() >= 0.6)
    assert len(small_model.predict([])) == 0


def test_obvious_tasks_get_the_expected_side(small_model: LabelModel) -> None:
    physical = small_model.predict(
        ["Operate forklift to move pallets", "Clean and sanitize patient rooms"]
    )
    assert physical.e_labels == ("E0", "E0")


def test_storage_round_trip_through_duckdb(
    small_model: LabelModel, catalog: Catalog, tmp_path: Path, labels: pd.DataFrame
) -> None:
    tables = small_model.to_tables()
    assert set(tables) == {FEATURE_TABLE, PARAMS_TABLE}
    path = tmp_path / "index.duckdb"
    with duckdb.connect(str(path)) as con:
        for name, frame in {**tables, "meta": catalog.query("select * from meta")}.items():
            con.register("frame", frame)
            con.execute(f'create table "{name}" as select * from frame')
            con.unregister("frame")
    texts = [*labels["task"].sample(200, random_state=2).tolist(), "I  fix  cars  "]
    with Catalog.open(path) as stored:
        loaded = load_label_model(stored)
    want, got = small_model.predict(texts), loaded.predict(texts)
    np.testing.assert_allclose(got.e_proba, want.e_proba, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.t_proba, want.t_proba, rtol=0, atol=1e-12)
    assert got.e_labels == want.e_labels and got.t_labels == want.t_labels
    assert loaded.config == small_model.config
    np.testing.assert_array_equal(loaded.e_head.offsets, small_model.e_head.offsets)


def test_a_model_without_t_head_round_trips(labels: pd.DataFrame) -> None:
    rows = labels.sample(1500, random_state=4)
    model = train_label_model(
        rows["task"].tolist(), rows["human_e"].tolist(), None,
        config=LabelModelConfig(calibration_folds=0),
    )  # fmt: skip
    assert model.t_head is None
    loaded = LabelModel.from_tables(model.to_tables())
    p = loaded.predict(["Write press releases"])
    assert p.t_labels == (None,) and p.t_proba.shape == (1, 0)
    assert p.records()[0].t_confidence is None
    assert p.e_labels == model.predict(["Write press releases"]).e_labels


def test_twin_votes_are_similarity_weighted_shares() -> None:
    def cand(task_id: int, sim: float) -> Candidate:
        return Candidate(code="11-1011.00", task_id=task_id, task="t", similarity=sim)

    labels = {1: "E0", 2: "E1", 3: "E1", 4: None}
    found = [[cand(1, 0.6), cand(2, 0.3), cand(3, 0.1), cand(1, 0.9)], [cand(4, 0.9)], []]
    votes = twin_votes(found, lambda code, task_id: labels[task_id], k=3)
    # first text: E0 0.6, E1 0.3 + 0.1 among its best 3; the 4th is beyond k
    np.testing.assert_allclose(votes[0], [0.6, 0.4, 0.0])
    np.testing.assert_array_equal(votes[1:], np.zeros((2, 3)))


def test_the_twins_vote_is_blended_at_its_weight(small_model: LabelModel) -> None:
    texts = ["Write press releases", "Operate forklift to move pallets"]
    plain = small_model.predict(texts)
    votes = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    mixed = small_model.predict(texts, votes)
    w = small_model.config.twin_weight
    assert 0 < w < 1
    np.testing.assert_allclose(mixed.e_proba[0], (1 - w) * plain.e_proba[0] + w * votes[0])
    np.testing.assert_array_equal(mixed.e_proba[1], plain.e_proba[1])  # no vote: unchanged
    with pytest.raises(InputError, match="twin votes of shape"):
        small_model.predict(texts, np.zeros((3, 3)))


def test_kappa_offsets_restore_a_shifted_class_mix() -> None:
    # scores that rank right but are biased against E2: a shift on E2 recovers the labels
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 600)
    logp = np.log(np.full((600, 3), 0.2))
    logp[np.arange(600), y] = np.log(0.6)
    logp[:, 2] -= 1.5
    assert kappa_of_indices(y, logp.argmax(axis=1), 3) < 0.6
    shift = kappa_offsets(logp, y)
    assert shift[0] == 0.0
    assert kappa_of_indices(y, (logp + shift).argmax(axis=1), 3) == pytest.approx(1.0)


def test_augmented_copies_are_re_rendered_in_turn() -> None:
    texts = ["Prepare scale drawings, using computer-aided design.", "Inspect welds for defects."]
    out = augmented(texts, ("terse", "bullet"), seed=0)
    assert len(out) == 2 and out[0] != texts[0] and out[1] != texts[1]
    assert out[1].startswith(("- ", "* ", "\u2022 "))  # the bullet layout
    assert augmented(texts, ("terse", "bullet"), seed=0) == out


def test_a_ten_task_role_is_predicted_in_a_few_ms(small_model: LabelModel) -> None:
    role = [f"Prepare monthly report number {i} for the regional sales team" for i in range(10)]
    small_model.predict(role)
    best = min(_timed(lambda: small_model.predict(role)) for _ in range(5))
    assert best < 0.05


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_bad_input_is_named(small_model: LabelModel, catalog: Catalog) -> None:
    with pytest.raises(InputError, match="2 texts but 1 E labels"):
        train_label_model(["a", "b"], ["E0"], ["T0", "T1"])
    with pytest.raises(InputError, match="unknown E labels"):
        train_label_model(["a"], ["E9"], ["T0"])
    with pytest.raises(InputError, match="not one string"):
        small_model.predict("Write reports")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="no label model tables"):
        LabelModel.from_tables({PARAMS_TABLE: small_model.to_tables()[PARAMS_TABLE]})


def test_confidence_floor_hand_case() -> None:
    # 0.30-0.35: 10 of 50 right (20%); 0.60-0.65: 40 of 50 right; floor = top of the bad bin.
    conf = np.r_[np.full(50, 0.32), np.full(50, 0.62)]
    correct = np.r_[np.arange(50) < 10, np.arange(50) < 40]
    assert recommend_confidence_floor(conf, correct) == pytest.approx(0.35)
    assert recommend_confidence_floor(conf, np.ones(100, dtype=bool)) == 0.0


def test_the_built_index_holds_the_default_model_trained_on_every_label(
    catalog: Catalog, labels: pd.DataFrame
) -> None:
    model = load_label_model(catalog)
    assert model.config == LabelModelConfig()
    assert model.n_train == len(labels.dropna(subset=["task", "human_e", "gpt4_t"])) == 19265
    assert model.t_head is not None and model.t_head.classes == T_LABELS
    assert model.e_head.classes == E_LABELS
    assert 0.0 < model.e_head.temperature < 50.0
    # the model step ran on the human labels: it agrees with them on its own training rows
    # far above GPT-4's 0.437 (an in-sample figure, not a held-out one)
    rows = labels.sample(2000, random_state=5)
    fitted = model.predict(rows["task"].tolist()).e_labels
    assert cohen_kappa(rows["human_e"].tolist(), list(fitted)) > 0.6
