"""The weekly AI job risk index on the real index: releases, events, scope, explanations, movers."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.cli_run import run_cli

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.methods import get_method, load_evidence
from jobrisk.sources.registry import REGISTRY
from jobrisk.timeline import (
    CAPABILITY_KINDS,
    DEFAULT_EVENTS,
    Event,
    Scope,
    baseline_at,
    explain_week,
    load_events,
    movers,
    release_series,
    week_end,
    weekly_index,
)

START, END = dt.date(2024, 12, 1), dt.date(2026, 6, 28)


def _event(i: int, day: dt.date, scope: Scope, direction: str = "up", size: float = 3.0) -> Event:
    return Event(
        id=f"t{i}",
        date=day,
        headline=f"test event {i}",
        source="https://example.org/event",
        scope=scope,
        direction=direction,
        size=size,
        reason="test",
        origin=f"test, event {i}",
    )


# --- releases ------------------------------------------------------------------------


def test_release_series_dates_and_derived_flags_follow_the_sources_registry(
    catalog: Catalog,
) -> None:
    expected: dict[str, tuple[str, bool]] = {}
    for source in REGISTRY:
        if source.id.startswith("anthropic_economic_index/"):
            for day in re.findall(r"\d{4}-\d{2}-\d{2}", source.version):
                expected[day] = (source.id, "derived" in source.id)
    points = release_series(catalog, "15-1252.00")
    assert [p.key for p in points] == ["v1", "v2", "v3", "v4", "v5"]
    assert [p.date for p in points] == sorted(expected)
    assert {p.date: (p.source_id, p.derived) for p in points} == expected
    assert [p.derived for p in points] == [False, False, True, True, True]


def test_release_use_is_the_occupations_share_of_claude_conversations(catalog: Catalog) -> None:
    code = "43-4051.00"
    raw = catalog.query(
        """select release, sum(share) as share, count(distinct task_id) filter (where share > 0) n
           from task_usage where code = ? and platform = 'claude_ai' and task_id is not null
           group by release""",
        [code],
    ).set_index("release")
    for p in release_series(catalog, code):
        assert p.usage_share == pytest.approx(raw.loc[p.key, "share"], rel=1e-9)
        assert p.tasks_seen == raw.loc[p.key, "n"]


def test_release_use_is_unknown_where_no_release_reaches_the_occupation(catalog: Catalog) -> None:
    # Data Scientists (15-2051.00) is newer than the O*NET 20.1 tasks the releases are coded
    # to: no row of task_usage names it, so its use is unknown, not zero
    n = catalog.query("select count(*) n from task_usage where code = '15-2051.00'").n.iloc[0]
    assert n == 0
    points = release_series(catalog, "15-2051.00")
    assert [(p.usage_share, p.tasks_seen) for p in points] == [(None, None)] * 5


# --- the baseline --------------------------------------------------------------------


def test_the_baseline_on_the_latest_release_is_the_risk_index_score(catalog: Catalog) -> None:
    ev = load_evidence(catalog)
    scores = get_method("risk_index").memoized_scores(ev)["value"].to_numpy(dtype=float)
    idx = weekly_index(catalog, [], start=START, end=END)
    on_release = baseline_at(catalog, [idx.release_date])[0]
    np.testing.assert_allclose(on_release, scores, atol=1e-9)
    assert np.array_equal(np.isnan(on_release), np.isnan(scores))
    # Without events the index is the baseline, inside 0-100, and it moves smoothly.
    np.testing.assert_array_equal(idx.value, idx.baseline)
    known = idx.value[~np.isnan(idx.value)]
    assert known.min() >= 0 and known.max() <= 100
    assert np.nanmax(np.abs(idx.change)) < 1.0


def test_weeks_end_on_sunday_and_cover_the_range(catalog: Catalog) -> None:
    idx = weekly_index(catalog, [], start=START, end=END)
    assert all(w.weekday() == 6 for w in idx.weeks)
    assert idx.weeks[0] == week_end(START) and idx.weeks[-1] == week_end(END)
    assert idx.value.shape == (len(idx.weeks), len(load_evidence(catalog).units))


# --- the scope invariant -------------------------------------------------------------


def _independent_weights(catalog: Catalog, scope: Scope) -> dict[str, float]:
    """Occupation -> part of its work in scope, straight from the index tables."""
    ev = load_evidence(catalog)
    tasks = ev.tasks[["code", "task_id", "time_share"]].copy()
    in_scope = np.zeros(len(tasks), dtype=bool)
    links = catalog.query("select code, task_id, dwa_id, iwa_id from task_iwas")
    for column, ids in (("dwa_id", scope.dwa), ("iwa_id", scope.iwa)):
        hit = links[links[column].isin(ids)][["code", "task_id"]].drop_duplicates()
        keys = set(zip(hit["code"], hit["task_id"], strict=True))
        in_scope |= np.array([k in keys for k in zip(tasks["code"], tasks["task_id"], strict=True)])
    e = ev.tasks["human_e"].fillna(ev.tasks["gpt4_e"])
    t = ev.tasks["human_t"].fillna(ev.tasks["gpt4_t"])
    signals = {
        "llm": e == "E1",
        "llm_tools": e == "E2",
        "autonomy": t.isin(["T3", "T4"]),
        "physical": ev.tasks["physical"].astype(bool),
        "copilot": ev.tasks["task_applicability"].fillna(0) > 0,
    }
    seen = catalog.query(
        "select distinct code, task_id from task_usage where task_id is not null and share > 0"
    )
    seen_keys = set(zip(seen["code"], seen["task_id"], strict=True))
    signals["observed_use"] = pd.Series(
        [k in seen_keys for k in zip(tasks["code"], tasks["task_id"], strict=True)]
    )
    for kind in scope.capability:
        in_scope |= signals[kind].to_numpy(dtype=bool)
    codes = list(ev.units.index)
    if scope.dwa or scope.iwa or scope.capability:
        share = tasks.assign(w=tasks["time_share"] * in_scope).groupby("code")["w"].sum()
        weight = {c: float(share.get(c, 0.0)) for c in codes}
    else:
        weight = dict.fromkeys(codes, 1.0)
    if scope.soc:
        for c in codes:
            major, rest = c.split("-")
            selected = False
            for s in scope.soc:
                s_major, s_rest = s.split("-")
                digits = s_rest.rstrip("0") if "." not in s else s_rest
                selected |= major == s_major and rest.startswith(digits)
            if not selected:
                weight[c] = 0.0
    return weight


def _random_events(catalog: Catalog, seed: int, n: int) -> list[Event]:
    rng = np.random.default_rng(seed)
    groups = catalog.query("select code, level from soc_groups where level != 'detailed'")
    occupations = catalog.query("select code from occupations")["code"].tolist()
    links = catalog.query("select distinct dwa_id, iwa_id from task_iwas")
    days = [START + dt.timedelta(days=int(d)) for d in rng.integers(0, (END - START).days, n)]
    events = []
    for i in range(n):
        kind = ["soc", "occupation", "dwa", "iwa", "capability", "soc+capability"][i % 6]
        scope = {
            "soc": lambda: Scope(soc=(str(rng.choice(groups["code"])),)),
            "occupation": lambda: Scope(soc=(str(rng.choice(occupations)),)),
            "dwa": lambda: Scope(dwa=tuple(rng.choice(links["dwa_id"], 3))),
            "iwa": lambda: Scope(iwa=tuple(rng.choice(links["iwa_id"], 2))),
            "capability": lambda: Scope(capability=(str(rng.choice(list(CAPABILITY_KINDS))),)),
            "soc+capability": lambda: Scope(
                soc=(str(rng.choice(groups.loc[groups["level"] == "major", "code"])),),
                capability=("llm",),
            ),
        }[kind]()
        events.append(
            _event(i, days[i], scope, str(rng.choice(["up", "down"])), float(rng.uniform(0.5, 8)))
        )
    return events


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_event_changes_only_its_scope_and_only_from_its_week_on(
    catalog: Catalog, seed: int
) -> None:
    events = _random_events(catalog, seed, 7)
    base = weekly_index(catalog, events[:-1], start=START, end=END)
    for new in events[-1:] + events[:1]:
        others = [e for e in events if e is not new]
        before = weekly_index(catalog, others, start=START, end=END)
        after = weekly_index(catalog, [*others, new], start=START, end=END)
        expected_w = _independent_weights(catalog, new.scope)
        weight = np.array([expected_w[c] for c in after.codes])
        from_week = np.array([w >= new.date for w in after.weeks])
        expected = np.where(from_week[:, None], new.signed_size * weight[None, :], 0.0)
        np.testing.assert_allclose(after.adjustment - before.adjustment, expected, atol=1e-9)
        moved = np.nan_to_num(after.value - before.value)
        outside = ~from_week[:, None] | (weight[None, :] == 0)
        assert np.all(moved[outside] == 0.0)
        np.testing.assert_array_equal(after.baseline, before.baseline)
        # Dated inside exactly one week, the week whose events_change it is.
        week = [i for i, w in enumerate(after.weeks) if w - dt.timedelta(days=7) < new.date <= w]
        if week:
            assert [after.events[k] for k in after.events_in_week(week[0])].count(new) == 1
    assert base.value.shape == after.value.shape


def test_shipped_example_events_reach_what_they_say(catalog: Catalog) -> None:
    events = {e.id: e for e in load_events(DEFAULT_EVENTS)}
    idx = weekly_index(catalog, list(events.values()), start=START, end=END)
    k = [e.id for e in idx.events].index("canaries")
    reached = {c for c, w in zip(idx.codes, idx.weights[k], strict=True) if w > 0}
    assert reached == {"15-1252.00", "43-4051.00"}
    assert all(e.example and e.source.startswith("https://") for e in events.values())


# --- the explanation -----------------------------------------------------------------

NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _numbers_in(text: str) -> list[str]:
    text = re.sub(r"“[^”]*”", "", text)  # headlines are quoted text, checked separately
    text = re.sub(r"\d{4}-\d{2}-\d{2}", "", text)
    text = text.replace("/ 100", "").replace("0-100", "")
    return NUMBER.findall(text)


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("15-1251.00", dt.date(2025, 5, 22)),  # claude-4 (DWA scope)
        ("43-4051.00", dt.date(2025, 8, 26)),  # canaries (SOC scope)
        ("15-1252.00", dt.date(2025, 7, 10)),  # METR (down)
        ("27-3091.00", dt.date(2025, 8, 7)),  # GPT-5 (capability)
        ("29-1141.00", dt.date(2025, 1, 15)),  # no event
        ("15-1252.00", dt.date(2026, 6, 1)),  # projected baseline
    ],
)
def test_every_number_in_the_explanation_is_the_data(
    catalog: Catalog, code: str, day: dt.date
) -> None:
    events = load_events(DEFAULT_EVENTS)
    idx = weekly_index(catalog, events, start=START, end=END)
    x = explain_week(idx, code, day)
    i, j = idx.row(day), idx.column(code)
    allowed = {
        f"{idx.value[i, j]:.1f}",
        f"{abs(idx.change[i, j]):.1f}",
        f"{idx.value[i - 1, j]:.1f}",
        f"{idx.baseline_change[i, j]:+.1f}",
        f"{idx.events_change[i, j]:+.1f}",
    }
    in_week = [idx.events[k] for k in idx.events_in_week(i) if idx.weights[k, j] > 0]
    allowed.add(str(len(in_week)))  # "2 events in its scope"
    for k in idx.events_in_week(i):
        if idx.weights[k, j] > 0:
            e = idx.events[k]
            allowed |= {f"{e.size:g}", f"{100 * idx.weights[k, j]:.0f}"}
            allowed.add(f"{e.signed_size * idx.weights[k, j]:+.1f}")
    found = _numbers_in(x.text)
    assert found, x.text
    assert set(found) <= allowed, (set(found) - allowed, x.text)
    assert f"{idx.value[i, j]:.1f}" in found
    assert re.findall(r"“([^”]*)”", x.text) == [e.headline for e in in_week]
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", x.text))
    assert dates == {idx.weeks[i].isoformat()} | {e.date.isoformat() for e in in_week}
    assert x.value == pytest.approx(idx.value[i, j])
    assert [f.event for f in x.effects] == in_week
    assert x.projected == (idx.weeks[i] > idx.release_date)


# --- movers --------------------------------------------------------------------------


@pytest.mark.parametrize("day", [dt.date(2025, 5, 22), dt.date(2025, 7, 10), dt.date(2026, 2, 2)])
def test_movers_are_the_largest_weekly_changes_sorted(catalog: Catalog, day: dt.date) -> None:
    m = movers(catalog, week=day, limit=7)
    idx = weekly_index(catalog, load_events(DEFAULT_EVENTS), start=START, end=END)
    i = idx.row(day)
    change = idx.value[i] - idx.value[i - 1]
    order = np.argsort(-np.nan_to_num(change, nan=-np.inf), kind="stable")
    top = [idx.codes[j] for j in order if change[j] > 0][:7]
    bottom = [idx.codes[j] for j in order[::-1] if change[j] < 0][:7]
    assert [r.code for r in m.up] == top
    assert [r.code for r in m.down] == bottom
    assert [r.change for r in m.up] == sorted((r.change for r in m.up), reverse=True)
    assert [r.change for r in m.down] == sorted(r.change for r in m.down)
    for r in (*m.up, *m.down):
        assert r.change == pytest.approx(r.value - r.previous)
    assert m.week == idx.weeks[i].isoformat()


def test_an_event_week_moves_its_scope_to_the_top(catalog: Catalog) -> None:
    m = movers(catalog, week=dt.date(2025, 8, 26), limit=2)
    assert {r.code for r in m.up} == {"15-1252.00", "43-4051.00"}
    assert all(r.event_ids == ("canaries",) for r in m.up)
    assert all(r.events_change == pytest.approx(3.0) for r in m.up)


# --- records and the API -------------------------------------------------------------


def test_timeline_record_is_plain_json(catalog: Catalog) -> None:
    tl = api.timeline(catalog, "Software Developers", weeks=30, end=dt.date(2025, 9, 1))
    d = json.loads(json.dumps(tl.to_dict()))
    assert d["code"] == "15-1252.00" and len(d["weeks"]) == 30
    assert d["weeks"][-1]["week"] == week_end(dt.date(2025, 9, 1)).isoformat()
    assert d["latest"]["week"] == d["weeks"][-1]["week"]
    assert [r["derived"] for r in d["releases"]] == [False, False, True, True, True]
    ids = {e["event"]["id"] for e in d["events"]}
    assert {"canaries", "metr-developer-study"} <= ids
    canaries = next(w for w in d["weeks"] if "canaries" in w["event_ids"])
    assert canaries["week"] == "2025-08-31"


def test_api_checks_its_arguments(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="weeks"):
        api.timeline(catalog, "15-1252.00", weeks=0)
    with pytest.raises(InputError, match="limit"):
        api.movers(catalog, limit=0)


# --- bad event files -----------------------------------------------------------------

GOOD = """events:
  - date: 2025-05-22
    headline: A test event
    source: https://example.org/a
    scope: {soc: [15-1250]}
    direction: up
    size: 2
    reason: a test
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("    headline: A test event\n", ""), r"event 1.*'headline'.*missing"),
        (GOOD.replace("2025-05-22", "2025-13-40"), r"event 1.*'date'.*not a date"),
        (GOOD.replace("2025-05-22", "last May"), r"event 1.*'date'.*not a date"),
        (GOOD.replace("direction: up", "direction: sideways"), r"event 1.*'direction'"),
        (GOOD.replace("size: 2", "size: 50"), r"event 1.*'size'"),
        (GOOD.replace("size: 2", "size: big"), r"event 1.*'size'"),
        (GOOD.replace("15-1250", "15-12X0"), r"event 1.*'scope'.*not a SOC code"),
        (GOOD.replace("{soc: [15-1250]}", "{capability: [telepathy]}"), r"capability kind"),
        (GOOD.replace("{soc: [15-1250]}", "{industry: [tech]}"), r"unknown scope kind"),
        (GOOD.replace("https://example.org/a", "example dot org"), r"'source'.*http"),
        (GOOD.replace("events:", "events: [\n"), r"line \d+"),
        ("- just a list\n", r"no `events:` list"),
    ],
)
def test_bad_event_files_name_the_file_event_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=expected) as info:
        load_events(path)
    assert str(path) in info.value.message
    assert info.value.hint


def test_non_utf8_and_missing_event_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("A test event", "Caf\xe9").encode("latin-1"))
    with pytest.raises(InputError, match=r"line 3: not UTF-8") as info:
        load_events(path)
    assert info.value.hint == "save the events file as UTF-8"
    with pytest.raises(InputError, match="no events file"):
        load_events(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("{soc: [15-9990]}", r"SOC code '15-9990' is not in O\*NET"),
        ("{dwa: [4.A.9.z.9.I99.D99]}", r"DWA '4.A.9.z.9.I99.D99' is not in"),
        ("{iwa: [4.A.9.z.9.I99]}", r"IWA '4.A.9.z.9.I99' is not in"),
    ],
)
def test_unknown_scope_codes_are_errors_when_applied(
    catalog: Catalog, tmp_path: Path, scope: str, expected: str
) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(GOOD.replace("{soc: [15-1250]}", scope), encoding="utf-8")
    events = load_events(path)
    with pytest.raises(InputError, match=expected) as info:
        weekly_index(catalog, events, start=START, end=END)
    assert f"{path}, event 1" in info.value.message


# --- the command line ----------------------------------------------------------------


def test_cli_timeline_and_movers(built_index: Path, shared_data_dir: Path, tmp_path: Path) -> None:
    r = run_cli("timeline", "15-1252.00", "--end", "2025-09-01", "--weeks", "12",
             index=built_index, data=shared_data_dir)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "v3 (derived)" in r.stdout and "EXAMPLE" in r.stdout and "CC BY 4.0" in r.stdout
    assert "Stanford Digital Economy Lab" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("direction: up", "direction: sideways"), encoding="utf-8")
    r = run_cli("movers", "--events", str(bad), index=built_index, data=shared_data_dir)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "direction" in r.stderr and "up" in r.stderr


def test_docs_list_every_capability_kind_and_scope_rule() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "timeline.md").read_text("utf-8")
    for kind in CAPABILITY_KINDS:
        assert f"| `{kind}` |" in doc
    for key in ("soc", "dwa", "iwa", "capability"):
        assert f"| `{key}` |" in doc
