"""AIJRI (METHODS 2.2) against page 003 and hand arithmetic; every bad input is an InputError.

"page 003 line N" below means /work/shared/reference/pages/003_67e231221272947a.txt.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jobrisk.aijri import (
    AijriResult,
    Assessment,
    Principles,
    clamp_to_scale,
    compute,
    load_assessment,
    parse_assessment,
    sub_label_for,
    zone_for,
)
from jobrisk.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ml-ai-engineer.aijri.yaml"


def page_003() -> dict[str, Any]:
    """The ML/AI Engineer inputs, typed in from page 003."""
    return {
        "title": "ML/AI Engineer",
        "principles": {  # lines 13-15
            "embodied_physicality": 0,
            "deep_interpersonal_connection": 0,
            "goal_setting_moral_judgment": 2,
        },
        "tasks": [  # lines 22-27
            {"task": "Design", "time_share": 20, "score": 2, "label": "AUGMENTATION"},
            {"task": "Develop", "time_share": 25, "score": 2, "label": "AUGMENTATION"},
            {"task": "Deploy", "time_share": 20, "score": 3, "label": "AUGMENTATION"},
            {"task": "Fine-tune", "time_share": 15, "score": 3, "label": "AUGMENTATION"},
            {"task": "Research", "time_share": 10, "score": 1, "label": "NOT INVOLVED"},
            {"task": "Collaborate", "time_share": 10, "score": 2, "label": "NOT INVOLVED"},
        ],
        "evidence": {  # lines 35-39
            "job_posting_trends": 2,
            "company_actions": 2,
            "wage_trends": 2,
            "ai_tool_maturity": 1,
            "expert_consensus": 2,
        },
        "barriers": {  # lines 45-49
            "regulatory_licensing": 1,
            "physical_presence": 0,
            "union_collective_bargaining": 0,
            "liability_accountability": 1,
            "cultural_ethical": 1,
        },
        "growth_correlation": 2,  # line 17, confirmed line 52
    }


def neutral(tasks: list[tuple[float, int]], **changes: Any) -> dict[str, Any]:
    """An assessment whose three modifiers are 1.00 (evidence 0, barriers 0, growth 0)."""
    mapping = page_003()
    mapping["evidence"] = dict.fromkeys(mapping["evidence"], 0)
    mapping["barriers"] = dict.fromkeys(mapping["barriers"], 0)
    mapping["growth_correlation"] = 0
    mapping["tasks"] = [
        {"task": f"t{i}", "time_share": share, "score": score, "label": "AUGMENTATION"}
        for i, (share, score) in enumerate(tasks)
    ]
    mapping.update(changes)
    return mapping


# --- page 003 ------------------------------------------------------------------------------


def check_page_003(result: AijriResult) -> None:
    assert result.weighted_sum == 2.25  # line 28
    assert result.task_resistance == 3.75  # line 29: 6.00 - 2.25 = 3.75
    assert result.principles_total == 2  # line 16
    assert result.evidence_total == 9  # line 40
    assert result.barrier_total == 3  # line 50
    assert result.growth_correlation == 2  # line 17
    # lines 62-64 print the modifiers rounded; whole-number totals make them exact
    assert (result.evidence_modifier, result.barrier_modifier, result.growth_modifier) == (
        1.36,
        1.06,
        1.10,
    )
    assert round(result.raw, 4) == 5.9466  # line 65
    # line 65 by hand: 3.75 x 1.36 = 5.1; 5.1 x 1.06 = 5.406; 5.406 x 1.10 = 5.9466, exact
    assert result.raw == pytest.approx(5.9466, abs=1e-12)
    assert round(result.aijri, 1) == 68.2  # line 66
    # line 66 unrounded by hand: (5.9466 - 0.54) / 7.93 x 100 = 540.66 / 7.93 = 68.1790...
    assert result.aijri == pytest.approx(540.66 / 7.93, abs=1e-9)
    assert result.aijri_unclamped == result.aijri
    assert result.clamped is False
    assert result.zone == "GREEN"  # line 67
    assert result.sub_label == "Green (Accelerated)"  # line 73
    assert result.share_scoring_3_plus == 35  # line 71
    assert dict(result.label_shares) == {  # line 30
        "DISPLACEMENT": 0,
        "AUGMENTATION": 80,
        "NOT INVOLVED": 20,
    }
    assert [c.weighted for c in result.contributions] == [0.40, 0.50, 0.60, 0.45, 0.10, 0.20]
    assert result.override is None  # line 74: "None - formula score accepted"
    assert (result.final_aijri, result.final_zone) == (result.aijri, "GREEN")
    assert result.final_sub_label == "Green (Accelerated)"
    assert result.derived_inputs == ()


def test_page_003_from_mapping() -> None:
    check_page_003(compute(parse_assessment(page_003())))


def test_example_file_matches_page_003() -> None:
    assessment = load_assessment(EXAMPLE)
    assert assessment.title == "ML/AI Engineer"
    check_page_003(compute(assessment))
    from_page = parse_assessment(page_003())
    assert [(t.time_share, t.score, t.label) for t in assessment.tasks] == [
        (t.time_share, t.score, t.label) for t in from_page.tasks
    ]


def test_json_file_gives_the_same_result(tmp_path: Path) -> None:
    path = tmp_path / "ml.json"
    path.write_text(json.dumps(page_003()), encoding="utf-8")
    check_page_003(compute(load_assessment(path)))


def test_input_mapping_is_not_changed() -> None:
    mapping = page_003()
    before = copy.deepcopy(mapping)
    compute(parse_assessment(mapping))
    assert mapping == before


# --- zones, sub-label, clamping ----------------------------------------------------------
# With neutral modifiers raw = task resistance = 6 - weighted, and
# AIJRI = x  <=>  raw = 0.54 + x / 100 x 7.93.
BOUNDARIES = [
    # AIJRI 48: raw = 0.54 + 3.8064 = 4.3464, weighted 1.6536 = 0.6536 x 2 + 0.3464 x 1
    pytest.param([(65.36, 2), (34.64, 1)], 48.0, "GREEN", id="48-green"),
    # 47.99: raw = 0.54 + 3.805607 = 4.345607, weighted 1.654393 = 0.654393 x 2 + 0.345607 x 1
    pytest.param([(65.4393, 2), (34.5607, 1)], 47.99, "YELLOW", id="47.99-yellow"),
    # 25: raw = 0.54 + 1.9825 = 2.5225, weighted 3.4775 = 0.4775 x 4 + 0.5225 x 3
    pytest.param([(47.75, 4), (52.25, 3)], 25.0, "YELLOW", id="25-yellow"),
    # 24.99: raw = 0.54 + 1.981707 = 2.521707, weighted 3.478293 = 0.478293 x 4 + 0.521707 x 3
    pytest.param([(47.8293, 4), (52.1707, 3)], 24.99, "RED", id="24.99-red"),
]


@pytest.mark.parametrize(("tasks", "expected", "zone"), BOUNDARIES)
def test_zone_boundaries(tasks: list[tuple[float, int]], expected: float, zone: str) -> None:
    result = compute(parse_assessment(neutral(tasks)))
    assert result.aijri == pytest.approx(expected, abs=1e-9)
    assert result.zone == zone
    assert result.sub_label is None  # growth correlation 0
    assert result.clamped is False


@pytest.mark.parametrize(
    ("aijri", "growth", "expected"),
    [
        (48.0, 2, "Green (Accelerated)"),  # line 57: growth = 2 AND AIJRI >= 48
        (47.99, 2, None),
        (80.0, 1, None),
    ],
)
def test_sub_label(aijri: float, growth: int, expected: str | None) -> None:
    assert sub_label_for(aijri, growth) == expected


@pytest.mark.parametrize(
    ("aijri", "zone"),
    [(100, "GREEN"), (48, "GREEN"), (47.99, "YELLOW"), (25, "YELLOW"), (0, "RED")],
)
def test_zone_for(aijri: float, zone: str) -> None:
    assert zone_for(aijri) == zone


def test_clamped_above_100() -> None:
    # all time at score 1: resistance 5; evidence 10 -> 1.40; barriers 10 -> 1.20; growth 2 -> 1.10
    # raw = 5 x 1.4 x 1.2 x 1.1 = 9.24; AIJRI = (9.24 - 0.54) / 7.93 x 100 = 870 / 7.93 = 109.71
    mapping = neutral([(100, 1)], growth_correlation=2)
    mapping["evidence"] = dict.fromkeys(mapping["evidence"], 2)
    mapping["barriers"] = dict.fromkeys(mapping["barriers"], 2)
    result = compute(parse_assessment(mapping))
    assert result.raw == pytest.approx(9.24)
    assert result.aijri_unclamped == pytest.approx(870 / 7.93)
    assert (result.aijri, result.clamped, result.zone) == (100.0, True, "GREEN")
    assert result.sub_label == "Green (Accelerated)"


def test_lowest_valid_inputs_sit_on_zero_unclamped() -> None:
    # all time at score 5: resistance 1; evidence -10 -> 0.60; barriers 0 -> 1.00; growth -2 -> 0.90
    # raw = 1 x 0.6 x 1.0 x 0.9 = 0.54 = the scale's offset, so AIJRI is exactly 0
    mapping = neutral([(100, 5)], growth_correlation=-2)
    mapping["evidence"] = dict.fromkeys(mapping["evidence"], -2)
    result = compute(parse_assessment(mapping))
    assert (result.aijri, result.aijri_unclamped, result.clamped) == (0.0, 0.0, False)
    assert result.zone == "RED"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-3.5, (0.0, True)), (0.0, (0.0, False)), (50.0, (50.0, False)), (120.0, (100.0, True))],
)
def test_clamp_to_scale(value: float, expected: tuple[float, bool]) -> None:
    assert clamp_to_scale(value) == expected


# --- override ------------------------------------------------------------------------------


def test_zone_override_is_kept_not_applied() -> None:
    mapping = page_003()
    mapping["override"] = {"zone": "yellow", "reason": "pipeline-maintainer variant"}
    result = compute(parse_assessment(mapping))
    computed = (result.zone, round(result.aijri, 1), result.sub_label)
    assert computed == ("GREEN", 68.2, "Green (Accelerated)")  # lines 66-67, 73
    assert result.override is not None
    assert result.override.reason == "pipeline-maintainer variant"
    assert (result.final_zone, result.final_aijri) == ("YELLOW", result.aijri)
    assert result.final_sub_label is None


def test_score_override_sets_final_score_and_zone() -> None:
    mapping = page_003()
    mapping["override"] = {"aijri": 40, "reason": "supply shortage inflates evidence"}
    result = compute(parse_assessment(mapping))
    assert (result.zone, round(result.aijri, 1)) == ("GREEN", 68.2)
    assert (result.final_aijri, result.final_zone, result.final_sub_label) == (40, "YELLOW", None)
    assert result.override is not None and result.override.aijri == 40


# --- provenance ----------------------------------------------------------------------------


def test_provenance_defaults_to_given_and_lists_derived() -> None:
    mapping = page_003()
    mapping["provenance"] = {"evidence.wage_trends": "derived", "tasks": "Derived"}
    assessment = parse_assessment(mapping)
    assert assessment.provenance["barriers.physical_presence"] == "given"
    assert len(assessment.provenance) == 3 + 1 + 5 + 5 + 1
    assert compute(assessment).derived_inputs == ("tasks", "evidence.wage_trends")


@pytest.mark.parametrize("first_share", [19.5, 20.4])
def test_shares_within_half_a_point_are_accepted_as_given(first_share: float) -> None:
    mapping = page_003()
    mapping["tasks"][0]["time_share"] = first_share
    result = compute(parse_assessment(mapping))
    # not rescaled: weighted = 2.25 + (first_share - 20) / 100 x 2
    assert result.weighted_sum == pytest.approx(2.25 + (first_share - 20) / 50)


def test_label_spellings_accepted() -> None:
    mapping = page_003()
    mapping["tasks"][4]["label"] = "NOT_INVOLVED"
    mapping["tasks"][5]["label"] = "not involved"
    mapping["tasks"][0]["label"] = "augmentation"
    check_page_003(compute(parse_assessment(mapping)))


# --- validation ----------------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def set_task(i: int, key: str, value: object) -> Edit:
    return lambda m: m["tasks"][i].__setitem__(key, value)


def set_in(section: str, key: str, value: object) -> Edit:
    return lambda m: m[section].__setitem__(key, value)


def drop(key: str) -> Edit:
    return lambda m: m.pop(key)


def many_tasks(n: int) -> Edit:
    def edit(m: dict[str, Any]) -> None:
        m["tasks"] = [
            {"task": f"t{i}", "time_share": 100 / n, "score": 2, "label": "AUGMENTATION"}
            for i in range(n)
        ]

    return edit


INVALID: list[Any] = [
    pytest.param(
        set_task(0, "time_share", 19),
        "tasks[*].time_share: the time shares sum to 99, 1 below 100",
        id="shares-99",
    ),
    pytest.param(
        set_task(0, "time_share", 21),
        "tasks[*].time_share: the time shares sum to 101, 1 above 100",
        id="shares-101",
    ),
    pytest.param(set_task(2, "score", 6), "tasks[2].score: must be a whole number 1..5", id="6"),
    pytest.param(set_task(2, "score", 0), "tasks[2].score: must be a whole number 1..5", id="0"),
    pytest.param(set_task(2, "score", 2.5), "tasks[2].score: must be a whole number", id="2.5"),
    pytest.param(
        set_task(2, "label", "MAYBE"),
        "tasks[2].label: 'MAYBE' is not a label; allowed: DISPLACEMENT, AUGMENTATION, NOT INVOLVED",
        id="label-maybe",
    ),
    pytest.param(
        lambda m: m.__setitem__("colour", "green"),
        "assessment: unknown key(s) 'colour'; allowed keys: title, principles, tasks, evidence, "
        "barriers, growth_correlation, override, provenance",
        id="unknown-top-key",
    ),
    pytest.param(
        set_task(1, "hours", 3),
        "tasks[1]: unknown key(s) 'hours'; allowed keys: task, time_share, score, label, rationale",
        id="unknown-task-key",
    ),
    pytest.param(drop("principles"), "assessment: missing key(s) principles", id="no-principles"),
    pytest.param(
        lambda m: m["principles"].pop("embodied_physicality"),
        "principles: missing key(s) embodied_physicality",
        id="no-principle",
    ),
    pytest.param(
        set_task(2, "time_share", "20%"),
        "tasks[2].time_share: must be a number, got text '20%'",
        id="share-text",
    ),
    pytest.param(
        set_in("evidence", "wage_trends", "2"),
        "evidence.wage_trends: must be a number, got text '2'",
        id="evidence-text",
    ),
    pytest.param(
        set_in("evidence", "wage_trends", True),
        "evidence.wage_trends: must be a number, got bool True",
        id="evidence-bool",
    ),
    pytest.param(
        set_in("evidence", "wage_trends", 3),
        "evidence.wage_trends: must be a whole number -2..2",
        id="evidence-3",
    ),
    pytest.param(
        set_in("barriers", "physical_presence", -1),
        "barriers.physical_presence: must be a whole number 0..2",
        id="barrier-neg",
    ),
    pytest.param(
        set_in("principles", "embodied_physicality", 4),
        "principles.embodied_physicality: must be a whole number 0..3",
        id="principle-4",
    ),
    pytest.param(
        lambda m: m.__setitem__("growth_correlation", -3),
        "growth_correlation: must be a whole number -2..2",
        id="growth-3",
    ),
    pytest.param(
        lambda m: m.__setitem__("growth_correlation", float("nan")),
        "growth_correlation: must be a finite number",
        id="growth-nan",
    ),
    pytest.param(
        set_task(0, "time_share", -20),
        "tasks[0].time_share: must be 0-100 percent",
        id="share-negative",
    ),
    pytest.param(
        lambda m: m.__setitem__("tasks", []), "tasks: at least one task is required", id="0-tasks"
    ),
    pytest.param(many_tasks(201), "tasks: at most 200 tasks are allowed, got 201", id="201-tasks"),
    pytest.param(
        lambda m: m.__setitem__("tasks", "design"),
        "tasks: must be a list of tasks, got text 'design'",
        id="tasks-text",
    ),
    pytest.param(
        lambda m: m.__setitem__("principles", [0, 0, 2]),
        "principles: must be a mapping",
        id="principles-list",
    ),
    pytest.param(drop("title"), "assessment: missing key(s) title", id="no-title"),
    pytest.param(
        lambda m: m.__setitem__("override", {"zone": "GREEN"}),
        "override: missing key(s) reason",
        id="override-no-reason",
    ),
    pytest.param(
        lambda m: m.__setitem__("override", {"zone": "GREEN", "reason": " "}),
        "override.reason: must be non-empty text",
        id="override-blank-reason",
    ),
    pytest.param(
        lambda m: m.__setitem__("override", {"reason": "because"}),
        "override: give `aijri` (0-100), `zone` (GREEN/YELLOW/RED) or both",
        id="override-empty",
    ),
    pytest.param(
        lambda m: m.__setitem__("override", {"aijri": 30, "zone": "GREEN", "reason": "x"}),
        "override: aijri 30.0 is YELLOW, not GREEN",
        id="override-inconsistent",
    ),
    pytest.param(
        lambda m: m.__setitem__("override", {"zone": "BLUE", "reason": "x"}),
        "override.zone: 'BLUE' is not a zone; allowed: GREEN, YELLOW, RED",
        id="override-zone",
    ),
    pytest.param(
        lambda m: m.__setitem__("provenance", {"evidence.vibes": "derived"}),
        "provenance: unknown key(s) 'evidence.vibes'; allowed keys: principles.embodied_physicality",
        id="provenance-name",
    ),
    pytest.param(
        lambda m: m.__setitem__("provenance", {"tasks": "guessed"}),
        "provenance.tasks: 'guessed' must be 'given' or 'derived'",
        id="provenance-kind",
    ),
]


@pytest.mark.parametrize(("edit", "message"), INVALID)
def test_invalid_mapping(edit: Edit, message: str) -> None:
    mapping = page_003()
    edit(mapping)
    with pytest.raises(InputError) as info:
        parse_assessment(mapping)
    assert message in info.value.message
    assert info.value.http_status == 422


@pytest.mark.parametrize("value", [None, [], "ML engineer", 5, {"tasks": [1, 2]}])
def test_not_an_assessment(value: object) -> None:
    with pytest.raises(InputError, match=r"^assessment: "):
        parse_assessment(value)


def test_tasks_that_are_not_mappings() -> None:
    mapping = page_003()
    mapping["tasks"][3] = "Fine-tune"
    with pytest.raises(InputError, match=r"^tasks\[3\]: must be a mapping"):
        parse_assessment(mapping)


def test_direct_construction_is_checked() -> None:
    with pytest.raises(InputError, match=r"^principles.goal_setting_moral_judgment: "):
        Principles(0, 0, 7)
    good = parse_assessment(page_003())
    with pytest.raises(InputError, match=r"^tasks: at least one"):
        Assessment(
            good.title, good.principles, (), good.evidence, good.barriers, good.growth_correlation
        )


# --- files ---------------------------------------------------------------------------------

MALFORMED_YAML = """\
title: ML/AI Engineer
principles:
  embodied_physicality: 0
  deep_interpersonal_connection: 0: 1
"""  # line 4 has a second ": "

MALFORMED_JSON = """\
{
  "title": "ML/AI Engineer",
  "principles": {"embodied_physicality": 0,}
}
"""  # line 3 has a trailing comma

DUPLICATE_YAML = """\
title: ML/AI Engineer
growth_correlation: 2
title: Data Scientist
"""  # line 3 repeats title

DUPLICATE_JSON = '{"title": "a", "title": "b"}'

BAD_FILES = [
    pytest.param("bad.yaml", MALFORMED_YAML, "bad.yaml, line 4: malformed YAML", id="yaml"),
    pytest.param("bad.json", MALFORMED_JSON, "bad.json, line 3: malformed JSON", id="json"),
    pytest.param(
        "dup.yml", DUPLICATE_YAML, "dup.yml, line 3: malformed YAML: duplicate key", id="dup-yaml"
    ),
    pytest.param("dup.json", DUPLICATE_JSON, "dup.json: duplicate key 'title'", id="dup-json"),
    pytest.param("empty.yaml", "", "empty.yaml: assessment: must be a mapping", id="empty"),
    pytest.param(
        "bad.yaml",
        "title: x\ntasks: []\n",
        "bad.yaml: assessment: missing key(s) principles",
        id="yaml-content",
    ),
    pytest.param("a.txt", "title: x", "a.txt: unsupported file type '.txt'", id="suffix"),
    pytest.param("bin.json", b"\xff\xfe{", "bin.json: cannot read the assessment", id="binary"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_file(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_assessment(path)
    assert f"{tmp_path}/{message}" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the assessment"):
        load_assessment(tmp_path / "nope.yaml")
