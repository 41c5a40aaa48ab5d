"""The consensus's shortcuts change no number: the bootstrap's cached draws are the seeded
generator's draws in turn, the interval is the one recomputed here from the explanations, and
the per-unit method values and population frames read the method tables as they are."""

from __future__ import annotations

import numpy as np
import pytest

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.consensus import (
    BOOTSTRAP_DRAWS,
    INTERVAL,
    SEED,
    _percentile_of,
    _resample_counts,
    consensus_for,
    population,
)
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.methods.base import Direction, opt_float

CODES = ("15-2051.00", "43-4051.00", "29-1141.00", "47-2111.00")


def test_cached_draws_are_the_seeded_generators_draws_in_turn() -> None:
    rng = np.random.default_rng(SEED)
    fresh = [rng.multinomial(n, np.full(n, 1.0 / n), size=BOOTSTRAP_DRAWS) for n in (3, 7, 2)]
    cached = _resample_counts((3, 7, 2))
    assert [c.tolist() for c in cached] == [f.tolist() for f in fresh]
    assert all(
        c.sum(axis=1).tolist() == [n] * BOOTSTRAP_DRAWS
        for c, n in zip(cached, (3, 7, 2), strict=True)
    )
    assert _resample_counts((3,))[0].tolist() == fresh[0].tolist()  # a prefix draws the same
    with pytest.raises(ValueError):
        cached[0][0, 0] = 99  # shared between calls: read-only


@pytest.mark.parametrize("code", CODES)
def test_bootstrap_interval_recomputed_from_the_explanations(catalog: Catalog, code: str) -> None:
    scores = api.score(catalog, code)
    cons = scores.consensus
    exp_pct = {
        m.method: m.exposure_percentile
        for m in cons.methods
        if m.in_consensus and m.exposure_percentile is not None
    }
    by_name = {e.method: e for e in scores.explanations}
    pop = population(load_evidence(catalog))
    rng = np.random.default_rng(SEED)
    draws = np.tile(np.array(list(exp_pct.values())), (BOOTSTRAP_DRAWS, 1))
    varied = False
    for j, name in enumerate(exp_pct):
        exp = by_name[name]
        if not exp.additive or len(exp.tasks) < 2:
            continue
        w = np.array([t.time_share for t in exp.tasks])
        c = np.array([t.contribution for t in exp.tasks])
        s = np.divide(c, w, out=np.zeros_like(c), where=w > 0)
        counts = rng.multinomial(len(w), np.full(len(w), 1.0 / len(w)), size=BOOTSTRAP_DRAWS)
        den = counts @ w
        vals = np.divide(counts @ (w * s), den, out=np.full(den.shape, np.nan), where=den > 0)
        p = _percentile_of(pop.sorted_onet[name], vals)
        if REGISTRY[name].direction is Direction.RESISTANCE:
            p = 100.0 - p
        draws[:, j] = np.where(np.isnan(p), draws[:, j], p)
        varied = True
    assert varied
    lo, hi = np.percentile(draws.mean(axis=1), INTERVAL)
    assert (cons.bootstrap_low, cons.bootstrap_high) == (float(lo), float(hi))


def test_method_values_read_the_method_tables(catalog: Catalog) -> None:
    ev = load_evidence(catalog)
    pop = population(ev)
    for code in CODES:
        explanations = {m.name: m.explain_evidence(ev, code) for m in REGISTRY.values()}
        first = consensus_for(ev, code, explanations)
        assert consensus_for(ev, code, explanations) == first  # asked again: the same
        for mv in first.methods:
            row = REGISTRY[mv.method].memoized_scores(ev).loc[code]
            assert mv.value == opt_float(row["value"]) or (mv.value is None and row.isna()["value"])
            assert mv.n_tasks == int(opt_float(row["n_tasks"]) or 0)
            assert mv.note == ("" if row.isna()["note"] else str(row["note"]))
            assert mv.title == REGISTRY[mv.method].title
    assert list(pop.values.columns) == list(pop.pct) == list(pop.percentiles.columns)
    for name, pct in pop.pct.items():
        assert np.array_equal(pop.percentiles[name].to_numpy(), pct, equal_nan=True)
        values = REGISTRY[name].memoized_scores(ev)["value"].to_numpy(dtype=float, na_value=np.nan)
        assert np.array_equal(pop.values[name].to_numpy(), values, equal_nan=True)
