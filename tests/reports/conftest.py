"""Reports built once per session on the real index: an occupation and a hostile custom role."""

from __future__ import annotations

import pytest

from jobrisk.catalog import Catalog
from jobrisk.reports import Report, build_report
from jobrisk.roles import make_role

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_TASK = '<img src=x onerror="alert(2)"> Write reports | with pipes & ampersands'
ROLE_TASKS = [
    "Analyze, manipulate, or process large sets of data using statistical software.",
    "Create graphs, charts, or other visualizations to convey the results of data analysis.",
    HOSTILE_TASK,
]


@pytest.fixture(scope="session")
def occupation_report(catalog: Catalog) -> Report:
    return build_report(catalog, "15-2051.00")


@pytest.fixture(scope="session")
def role_report(catalog: Catalog) -> Report:
    role = make_role(HOSTILE_TITLE, ROLE_TASKS, [50, 30, 20], hourly_wage=60.0)
    return build_report(catalog, role, matcher="lexical")
