"""Careers on the real index: the safer invariant, gaps from O*NET levels, known pairs, roles,
bad input. Expected values are read independently from the index tables or other layers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.cli_run import run_cli

from jobrisk import api
from jobrisk.careers import (
    TIER_WEIGHTS,
    WEIGHTS,
    career_moves,
    comparable_jobs,
    skills_to_learn,
)
from jobrisk.careers.model import career_model, similarity
from jobrisk.careers.subject import resolve_subject
from jobrisk.catalog import Catalog
from jobrisk.errors import (
    DataError,
    InputError,
    JobriskError,
    UnknownMethodError,
    UnknownOccupationError,
)
from jobrisk.methods import get_method
from jobrisk.methods.base import Direction
from jobrisk.roles import role_from_mapping

DATA_SCIENTISTS, STATISTICIANS = "15-2051.00", "15-2041.00"


@pytest.fixture(scope="module")
def sample_codes(catalog: Catalog) -> list[str]:
    """Every 25th occupation with tasks: about 37 across all major groups."""
    codes = catalog.query("select code from occupations where has_tasks order by code")["code"]
    return list(codes[::25])


def _levels(catalog: Catalog, code: str) -> dict[str, tuple[float, float]]:
    df = catalog.query(
        "select element_id, importance, level from skills_knowledge where code = ?", [code]
    )
    return {r.element_id: (r.importance, r.level) for r in df.itertuples()}


@pytest.mark.parametrize("method", ["consensus", "eloundou_beta_human", "aijri"])
def test_a_safer_move_is_never_more_exposed(
    catalog: Catalog, sample_codes: list[str], method: str
) -> None:
    """Checked on the method's own values (read independently), whatever its direction."""
    values = None if method == "consensus" else get_method(method).score(catalog)["value"]
    resistance = method != "consensus" and get_method(method).direction is Direction.RESISTANCE
    n_moves = 0
    for code in sample_codes:
        result = career_moves(
            catalog, code, method=method, min_similarity=0.2, min_wage_share=0.0, limit=20
        )
        for m in result.moves:
            n_moves += 1
            assert m.exposure_there is not None and result.exposure_now is not None
            assert m.exposure_there < result.exposure_now
            if values is not None:
                now, there = values[code], values[m.code]
                assert (there > now) if resistance else (there < now), (code, m.code)
    assert n_moves > 50  # the invariant was exercised, not vacuous


def test_consensus_exposure_agrees_with_the_score_card(catalog: Catalog) -> None:
    result = career_moves(catalog, STATISTICIANS)
    card = api.score(catalog, STATISTICIANS, explain=False)
    assert result.exposure_now == pytest.approx(card.consensus.exposure_percentile)
    for m in result.moves[:3]:
        there = api.score(catalog, m.code, explain=False).consensus.exposure_percentile
        assert m.exposure_there == pytest.approx(there)
        assert there is not None and card.consensus.exposure_percentile is not None
        assert there < card.consensus.exposure_percentile


@pytest.mark.parametrize(
    ("start", "target"),
    [(STATISTICIANS, "15-2041.01"), ("29-1141.00", "29-1171.00"), ("43-4051.00", "41-2031.00")],
)
def test_gaps_are_the_onet_level_differences(catalog: Catalog, start: str, target: str) -> None:
    now, there = _levels(catalog, start), _levels(catalog, target)
    expected = {
        e: (now[e][1], lv) for e, (imp, lv) in there.items() if imp >= 3.0 and lv - now[e][1] >= 0.5
    }
    result = skills_to_learn(catalog, start, move_to=target)
    assert result.move_to == target
    got = {g.element_id: (g.level_now, g.level_to_reach) for g in result.gaps}
    assert got == expected  # the same O*NET numbers, not rounded or estimated
    for g in result.gaps:
        assert g.gap == pytest.approx(there[g.element_id][1] - now[g.element_id][1])
        assert g.importance == pytest.approx(there[g.element_id][0])


def test_data_scientists_to_statisticians_share_most_skills(catalog: Catalog) -> None:
    result = career_moves(catalog, DATA_SCIENTISTS, safer=False, min_wage_share=0.0)
    assert result.moves[0].code == STATISTICIANS  # the most similar occupation
    top = result.moves[0]
    important = [e for e, (imp, _) in _levels(catalog, STATISTICIANS).items() if imp >= 3.0]
    full = skills_to_learn(catalog, DATA_SCIENTISTS, move_to=STATISTICIANS)
    assert len(full.gaps) <= len(important) // 4  # most important skills need no climb
    assert len(top.shared_skills) >= 8
    # O*NET 30.1 has not rated Data Scientists' skills: the estimate must say so
    assert result.skills_source.startswith("estimated")
    assert STATISTICIANS in result.skills_source
    reverse = skills_to_learn(catalog, STATISTICIANS, move_to=DATA_SCIENTISTS)
    assert reverse.skills_source == "O*NET ratings"


def test_similarity_components_and_related_tiers(catalog: Catalog) -> None:
    code = "13-2011.00"  # Accountants and Auditors
    rel = catalog.query("select related_code, tier from related_occupations where code = ?", [code])
    tiers = dict(zip(rel["related_code"], rel["tier"], strict=True))
    result = career_moves(
        catalog, code, safer=False, min_wage_share=0.0, min_similarity=0.0, limit=100
    )
    assert dict(result.weights) == WEIGHTS and sum(WEIGHTS.values()) == pytest.approx(1.0)
    by_tier: dict[str, list[float]] = {}
    for m in result.moves:
        comps = {c.name: c for c in m.components}
        assert m.similarity == pytest.approx(sum(c.value * c.weight for c in comps.values()))
        assert comps["related"].value == pytest.approx(TIER_WEIGHTS.get(tiers.get(m.code, ""), 0.0))
        assert m.related_tier == tiers.get(m.code)
        by_tier.setdefault(m.related_tier or "none", []).append(m.similarity)
    # moves are ranked by similarity; O*NET's closest tier ranks above the unrelated on average
    sims = [m.similarity for m in result.moves]
    assert sims == sorted(sims, reverse=True)
    assert np.mean(by_tier["Primary-Short"]) > np.mean(by_tier.get("none", [0.0]))


def test_wage_and_outlook_filters(catalog: Catalog) -> None:
    result = career_moves(catalog, "29-1141.00", safer=False, min_wage_share=1.0)
    own = catalog.occupation("29-1141.00").annual_median_wage
    assert own is not None and result.annual_median_wage == own
    assert result.moves
    for m in result.moves:
        occ = catalog.occupation(m.code)
        assert m.annual_median_wage == occ.annual_median_wage
        assert occ.annual_median_wage is not None and occ.annual_median_wage >= own
        assert (occ.projected_annual_openings or 0) > 0
    f = result.funnel
    assert f.compared >= f.viable >= f.desirable and f.safer is None


def test_carried_tasks_share_dwas(catalog: Catalog) -> None:
    result = career_moves(catalog, STATISTICIANS, safer=False, min_wage_share=0.0)
    move = result.moves[0]
    assert move.carried_tasks
    dwas = catalog.query(
        "select code, task_id, dwa_id from task_dwas where code in (?, ?)",
        [STATISTICIANS, move.code],
    )
    there = set(dwas.loc[dwas["code"] == move.code, "dwa_id"])
    for t in move.carried_tasks:
        mine = set(
            dwas.loc[(dwas["code"] == STATISTICIANS) & (dwas["task_id"] == t.task_id), "dwa_id"]
        )
        assert len(mine & there) == len(t.shared_activities) > 0


def test_records_are_strict_json(catalog: Catalog) -> None:
    result = api.careers(catalog, "43-4051.00", limit=3)
    text = json.dumps(result.to_dict(), allow_nan=False)
    payload = json.loads(text)
    assert set(payload) == {"moves", "skills", "comparable"}
    move = payload["moves"]["moves"][0]
    for key in (
        "similarity",
        "components",
        "shared_skills",
        "gaps",
        "carried_tasks",
        "changes",
        "why",
    ):
        assert key in move
    assert {c["method"] for c in move["changes"]} >= {"consensus", "eloundou_beta_human"}


def test_skills_to_learn_reads_the_onet_tables(catalog: Catalog) -> None:
    code = "11-2022.00"  # Sales Managers: O*NET lists emerging tasks for it
    result = skills_to_learn(catalog, code)
    emerging = catalog.query("select task from emerging_tasks where code = ?", [code])["task"]
    assert sorted(e.task for e in result.emerging_tasks) == sorted(emerging)
    hot = catalog.query(
        "select technology, in_demand from technology_skills where code = ? and hot", [code]
    )
    assert {t.technology for t in result.hot_technologies} <= set(hot["technology"])
    assert len(result.hot_technologies) == min(12, len(hot))
    assert result.skills and all(s.rise > 0 and s.importance >= 2.5 for s in result.skills)
    exposures = [t.exposure for t in result.remaining_tasks]
    assert exposures == sorted(exposures)


def test_comparable_jobs_are_the_same_minor_group(catalog: Catalog) -> None:
    jobs = comparable_jobs(catalog, DATA_SCIENTISTS, method="eloundou_beta_human", limit=50)
    peers = catalog.query(
        "select code from occupations where minor_code = '15-2000' and code <> ?", [DATA_SCIENTISTS]
    )["code"]
    assert {j.code for j in jobs} == set(peers)
    values = get_method("eloundou_beta_human").score(catalog)["value"]
    for j in jobs:
        assert j.value == (None if np.isnan(values[j.code]) else pytest.approx(values[j.code]))
    assert STATISTICIANS in [j.code for j in jobs[:2]]


def test_similarity_to_a_few_rows_is_the_full_similarity_bit_for_bit(catalog: Catalog) -> None:
    # comparable jobs take the similarity over one minor group's rows only; every row, aligned
    # or not, contiguous or not, must get the bits of the product over all occupations
    model = career_model(catalog)
    n = len(model.codes)
    rng = np.random.default_rng(5)
    for i in range(0, n, 37):
        full = similarity(
            model.components_for(model.imp[i], model.lvl[i], model.dwa[i], model.related[i])
        )
        for rows in (
            np.arange(max(i - 9, 0), min(i + 10, n)),
            np.sort(rng.choice(n, size=int(rng.integers(1, 40)), replace=False)),
            np.array([n - 1]),
        ):
            assert np.array_equal(model.similarity_to(i, rows), full[rows])
    assert model.similarity_to(0, np.array([], dtype=np.intp)).size == 0


def test_a_role_gets_moves_from_its_matched_tasks(catalog: Catalog) -> None:
    role = role_from_mapping(
        {
            "title": "Survey statistician",
            "tasks": [
                {"task": "Analyze and interpret statistical data to identify significant "
                 "differences in relationships among sources of information.", "share": 40},
                {"task": "Prepare data for processing by organizing information, checking for "
                 "inaccuracies, and adjusting and weighting the raw data.", "share": 30},
                {"task": "Report results of statistical analyses, including information in the "
                 "form of graphs, charts, and tables.", "share": 30},
            ],
        }
    )  # fmt: skip
    subject = resolve_subject(catalog, role)  # matched once, reused by the three questions
    assert STATISTICIANS in subject.source_codes
    result = career_moves(catalog, subject, min_wage_share=0.0, min_similarity=0.2)
    assert result.subject_kind == "role" and result.subject_code.startswith("role:")
    assert result.moves and result.exposure_now is not None
    for m in result.moves:
        assert m.exposure_there is not None and m.exposure_there < result.exposure_now
    every = career_moves(catalog, subject, safer=False, min_wage_share=0.0)
    assert STATISTICIANS in [m.code for m in every.moves[:5]]
    assert skills_to_learn(catalog, subject).subject_code == result.subject_code


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"min_similarity": 1.5}, InputError),
        ({"min_similarity": -0.1}, InputError),
        ({"min_wage_share": -1.0}, InputError),
        ({"limit": 0}, InputError),
        ({"method": "no_such_method"}, UnknownMethodError),
    ],
)
def test_bad_filters_are_clear_errors(
    catalog: Catalog, kwargs: dict[str, Any], error: type[JobriskError]
) -> None:
    with pytest.raises(error) as exc:
        career_moves(catalog, STATISTICIANS, **kwargs)
    assert exc.value.hint  # says how to fix it
    if error is UnknownMethodError:
        assert "consensus" in exc.value.hint


def test_bad_subjects_are_clear_errors(catalog: Catalog) -> None:
    with pytest.raises(UnknownOccupationError):
        career_moves(catalog, "99-9999.00")
    no_tasks = catalog.query("select code from occupations where not has_tasks limit 1")["code"][0]
    with pytest.raises(DataError, match="no tasks"):
        career_moves(catalog, no_tasks)
    with pytest.raises(InputError, match="no filter"):
        api.careers(catalog, STATISTICIANS, safest=True)
    gibberish = role_from_mapping({"title": "x", "tasks": ["qqq zzz xxv", "vvv www yyy"]})
    with pytest.raises(InputError):
        career_moves(catalog, gibberish)


def test_cli_careers(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli("careers", STATISTICIANS, index=built_index, data=shared_data_dir)
    assert r.returncode == 0, r.stderr
    for text in (
        "Statisticians",
        "Career moves",
        "Skills to learn",
        "Comparable jobs",
        "CC BY 4.0",
    ):
        assert text in r.stdout
    bad = run_cli(
        "careers", STATISTICIANS, "--min-similarity", "3", index=built_index, data=shared_data_dir
    )
    assert bad.returncode == 2 and "min_similarity" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
