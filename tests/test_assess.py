"""A custom role through every method, on the real index (lexical matcher, the label model)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.cli_run import run_cli
from tests.same import assert_same

from jobrisk import api, roles
from jobrisk.catalog import Catalog
from jobrisk.consensus import consensus_for
from jobrisk.errors import InputError
from jobrisk.matching.service import role_matching
from jobrisk.methods import REGISTRY, load_evidence
from jobrisk.role_evidence import (
    MATCHED,
    PREDICTED,
    UNMATCHED,
    TaskMatch,
    match_tasks,
    role_evidence,
    role_subject,
    roles_subject,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "roles"


@pytest.fixture(scope="module")
def clerk(catalog: Catalog) -> api.RoleScores:
    # Three statements copied from O*NET 43-4051.00 and one that is no O*NET task.
    role = roles.make_role(
        "Support agent",
        [
            "Confer with customers by telephone or in person to provide information about "
            "products or services, take or enter orders, cancel accounts, or obtain details "
            "of complaints.",
            "Keep records of customer interactions or transactions, recording details of "
            "inquiries, complaints, or comments, as well as actions taken.",
            "Resolve customers' service or billing complaints by performing activities such as "
            "exchanging merchandise, refunding money, or adjusting bills.",
            "qwzx vlorp blenk",
        ],
        [40, 30, 20, 10],
    )
    return api.assess(catalog, role, matcher="lexical")


def test_every_method_scores_the_role(clerk: api.RoleScores) -> None:
    assert [m.method for m in clerk.methods] == list(REGISTRY)
    assert [e.method for e in clerk.explanations] == list(REGISTRY)
    assert clerk.matcher == "lexical"
    assert clerk.code == "role:support-agent"
    lo_hi = {n: m.score_range for n, m in REGISTRY.items()}
    for m in clerk.methods:
        if m.value is not None:
            lo, hi = lo_hi[m.method]
            assert lo <= m.value <= hi, m.method
        else:
            assert m.note, m.method


def test_copied_statements_match_their_own_task_and_carry_its_labels(
    clerk: api.RoleScores, catalog: Catalog
) -> None:
    labels = catalog.query(
        "select task, human_e from task_exposure_labels where src_code = '43-4051.00'"
    ).set_index("task")["human_e"]
    for m in clerk.matches[:3]:
        assert m.status == MATCHED
        assert m.best is not None and m.best.code == "43-4051.00" and m.best.task == m.text
        assert m.e_label == labels[m.text]  # the twin's human label, from the paper's file
        assert m.confidence >= 0.9


def test_gibberish_is_unmatched_and_its_time_is_left_out(clerk: api.RoleScores) -> None:
    last = clerk.matches[3]
    assert last.status in (UNMATCHED, PREDICTED)
    if last.status == UNMATCHED:
        assert last.e_label is None
        assert any("10% of the time" in n for n in clerk.notes)
        exp = clerk.explanation("eloundou_beta_human")
        assert exp is not None and len(exp.tasks) == 3
        assert math.isclose(sum(t.time_share for t in exp.tasks), 1.0)


def test_role_scores_equal_the_occupation_when_it_is_the_occupation(
    catalog: Catalog,
) -> None:
    # Every task of an occupation, verbatim, with its own time shares: Eloundou beta must be
    # the time-weighted mean of the occupation's own labels.
    tasks = catalog.query(
        """select t.task, t.time_share, l.human_e from tasks t join task_exposure_labels l
           on l.code = t.code and l.task_id = t.task_id where t.code = '43-4051.00'"""
    )
    role = roles.make_role("CSR", tasks["task"].tolist(), (tasks["time_share"] * 100).tolist())
    result = api.assess(catalog, role, matcher="lexical")
    assert all(m.status == MATCHED for m in result.matches)
    beta = tasks["human_e"].map({"E0": 0.0, "E1": 1.0, "E2": 0.5})
    expected = float((beta * tasks["time_share"]).sum() / tasks["time_share"].sum())
    assert result.value("eloundou_beta_human") == pytest.approx(expected)


def test_role_json_is_strict(clerk: api.RoleScores) -> None:
    text = json.dumps(clerk.to_dict(), allow_nan=False)
    assert "Support agent" in text


def test_nothing_matchable_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="none of the role's tasks"):
        api.assess(catalog, roles.make_role("x", ["qwzx vlorp", "blenk zzzt"]), matcher="lexical")


def test_cli_assess_example_and_bad_input(built_index: Path, shared_data_dir: Path) -> None:
    r = run_cli(
        "assess", str(EXAMPLES / "ml-engineer-task-matrix.role.yaml"), "--matcher", "lexical",
        index=built_index, data=shared_data_dir,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Machine learning engineer (applied)" in r.stdout and "Consensus" in r.stdout
    assert "no time shares given" in r.stdout
    bad = run_cli(
        "assess", "--title", "x", "--task", "Train models", "--share", "50",
        index=built_index, data=shared_data_dir,
    )  # fmt: skip
    assert bad.returncode == 2 and "sum to 50%, not 100%" in bad.stderr
    assert "Traceback" not in bad.stderr
    none = run_cli("assess", index=built_index, data=shared_data_dir)
    assert none.returncode == 2 and "exactly one of" in none.stderr


SUPPORT_TASKS = [
    "Answer customer questions by phone and email",
    "Process refunds and exchanges for returned orders",
    "Keep records of customer complaints and how they were resolved",
    "Escalate technical problems to the engineering team",
    "Update account details in the billing system",
    "Explain pricing plans and recommend upgrades",
    "Write help-center articles for common issues",
    "Train new support agents on tools and policies",
    "Review weekly satisfaction survey results",
    "Coordinate with shipping to track lost parcels",
]


@pytest.mark.parametrize(
    "role",
    [
        roles.make_role("Support agent", SUPPORT_TASKS),
        roles.make_role(
            "Data analyst",
            [
                "Clean and merge data sets from several sources",
                "Build dashboards that track weekly sales",
                "Present findings to managers",
                "Write SQL queries to answer ad hoc questions",
            ],
            [40, 30, 10, 20],
            hourly_wage=41.0,
        ),
    ],
    ids=["support-agent", "data-analyst"],
)
def test_fast_role_scores_equal_the_full_recompute(catalog: Catalog, role: roles.Role) -> None:
    # api.assess scores the role's own rows against the memoized O*NET population; appending
    # the role to the O*NET evidence and recomputing every method over every occupation (the
    # slow path) must give the same table row, explanation and consensus, for every method.
    setup = role_matching(catalog, "lexical")
    ev = load_evidence(catalog)
    matches = match_tasks(
        role, setup.matcher, setup.confidence, setup.labeler, setup.policy, setup.twin_labels
    )
    code = f"role:{role.slug}"
    slow = role_evidence(ev, role, matches, code)
    fast = role_subject(ev, role, matches, code)
    assert list(fast.units.index) == [code] and fast.reference is ev
    slow_exps, fast_exps = {}, {}
    for name, method in REGISTRY.items():
        want = method.memoized_scores(slow).loc[code]
        got = method.memoized_scores(fast).loc[code]
        assert list(got.index) == list(want.index), name
        for column, expected in want.items():
            value = got[column]
            if isinstance(expected, float | np.floating) and not isinstance(expected, bool):
                assert value == pytest.approx(expected, rel=1e-9, abs=1e-12, nan_ok=True), (
                    f"{name}.{column}"
                )
            else:
                assert value == expected or (pd.isna(value) and pd.isna(expected)), (
                    f"{name}.{column}: {value!r} != {expected!r}"
                )
        slow_exps[name] = method.explain_evidence(slow, code)
        fast_exps[name] = method.explain_evidence(fast, code)
        assert fast_exps[name] == slow_exps[name], name
    assert consensus_for(fast, code, fast_exps) == consensus_for(slow, code, slow_exps)
    result = api.assess(catalog, role, matcher="lexical")
    assert result.consensus == consensus_for(slow, code, slow_exps)


def test_a_batch_gives_each_role_what_it_gets_alone(catalog: Catalog) -> None:
    # assess_many scores roles in one evidence and one search; batching must not change a
    # figure: the same title twice (a unit code of its own in the batch, its own code in the
    # answer), a role nothing matches (its error in its place), and two ordinary roles.
    batch_roles = [
        roles.make_role("Support agent", SUPPORT_TASKS),
        roles.make_role("Support agent", SUPPORT_TASKS[:4]),
        roles.make_role("Nonsense", ["qqq zzz xxv", "vvv www yyy"]),
        roles.make_role(
            "Data analyst",
            ["Clean and merge data sets from several sources", "Present findings to managers"],
        ),
    ]
    batch = api.assess_many(catalog, batch_roles, matcher="lexical")
    assert len(batch) == len(batch_roles)
    assert isinstance(batch[2], InputError) and "none of the role's tasks" in batch[2].message
    for role, got in zip(batch_roles, batch, strict=True):
        if role.title == "Nonsense":
            continue
        alone = api.assess(catalog, role, matcher="lexical")
        assert isinstance(got, api.RoleScores)
        assert got.code == alone.code == f"role:{role.slug}"
        assert got.matches == alone.matches
        # the same figures; a float may differ in its last bits (sums taken over the batch)
        assert_same(got, alone, role.title)


def test_a_role_with_only_predicted_tasks_has_empty_occupation_frames(catalog: Catalog) -> None:
    # No matched task, so no occupation lends the role its usage, measures or skills: those
    # frames are empty but keep the O*NET frames' columns and types, alone and in a batch.
    ev = load_evidence(catalog)
    role = roles.make_role("Predicted only", ["Write grant proposals", "Tune pianos"])
    guessed = tuple(
        TaskMatch(
            index=i,
            text=t.text,
            share=t.share,
            status=PREDICTED,
            best=None,
            confidence=0.0,
            alternatives=(),
            e_label="E1",
            t_label="T2",
            label_source="predicted",
            label_confidence=0.6,
        )
        for i, t in enumerate(role.tasks, 1)
    )
    own = role_subject(ev, role, guessed, "role:predicted-only")
    for frame in ("usage", "measures", "skills"):
        got, base = getattr(own, frame), getattr(ev, frame)
        assert got.empty, frame
        assert list(got.columns) == list(base.columns), frame
        assert got.dtypes.equals(base.dtypes), frame
    assert list(own.tasks["human_e"]) == ["E1", "E1"]
    assert own.units.loc["role:predicted-only", "matched_code"] is None or pd.isna(
        own.units.loc["role:predicted-only", "matched_code"]
    )
    other = roles.make_role("Data analyst", ["Clean and merge data sets from several sources"])
    setup = role_matching(catalog, "lexical")
    matched = match_tasks(
        other, setup.matcher, setup.confidence, setup.labeler, setup.policy, setup.twin_labels
    )
    batch = roles_subject(ev, [(other, matched, "role:a"), (role, guessed, "role:b")])
    for frame in ("usage", "measures", "skills"):
        assert not (getattr(batch, frame)["code"] == "role:b").any(), frame
    pd.testing.assert_frame_equal(
        batch.tasks[batch.tasks["code"] == "role:b"].reset_index(drop=True),
        own.tasks.assign(code="role:b"),
        check_exact=True,
    )
