"""``Report.to_dict`` is ``json_ready(dataclasses.asdict(report), unknown=str)``, made in one
pass: the same dict and the same JSON bytes, for an occupation and a custom role."""

from __future__ import annotations

import dataclasses
import json

import pytest
from tests.test_jsonready import assert_identical

from jobrisk.jsonready import json_ready
from jobrisk.reports import Report
from jobrisk.web.service import dumps


@pytest.mark.parametrize("which", ["occupation_report", "role_report"])
def test_to_dict_is_asdict_then_json_ready(which: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(which)
    want = json_ready(dataclasses.asdict(report), unknown=str)
    got = report.to_dict()
    assert_identical(got, want)
    assert dumps(got) == dumps(want)
    assert json.loads(dumps(got)) == want
    assert list(got) == [f.name for f in dataclasses.fields(Report)]


def test_to_dict_is_fresh_each_time(occupation_report: Report) -> None:
    a = occupation_report.to_dict()
    a["scores"][0]["title"] = "changed"
    a["tasks"]["rows"].clear()
    b = occupation_report.to_dict()
    assert b["scores"][0]["title"] == occupation_report.scores[0].title
    assert len(b["tasks"]["rows"]) == len(occupation_report.tasks.rows)
