"""Custom roles posted at the same time are scored in one batch, each getting its own answer."""

from __future__ import annotations

import threading
import time

from fastapi import FastAPI
from tests.same import assert_same

from jobrisk import api, roles
from jobrisk.catalog import Catalog
from jobrisk.errors import InputError
from jobrisk.web.service import WebService

ROLES = [
    roles.make_role(
        "Payroll specialist", ["Process payroll for employees", "Answer pay questions"]
    ),
    roles.make_role("Data analyst", ["Write SQL queries", "Build dashboards of weekly sales"]),
    roles.make_role("Nonsense", ["qqq zzz xxv", "vvv www yyy"]),
    roles.make_role("Nurse", ["Give medications to patients", "Record patients' vital signs"]),
    roles.make_role("Data analyst", ["Clean and merge data sets", "Present findings to managers"]),
]


def test_concurrent_roles_are_batched_and_each_gets_its_own_report(
    app: FastAPI, catalog: Catalog
) -> None:
    svc: WebService = app.state.service
    results: dict[int, object] = {}

    def post(i: int) -> None:
        try:
            results[i] = svc.role(ROLES[i], "lexical", html=False).payload
        except InputError as exc:
            results[i] = exc

    before = len(svc.roles.batches)
    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(ROLES))]
    # Hold the index lock so the batch worker waits on it while every request queues
    # (deterministic, whatever the machine's load); then let it go.
    with svc.lock:
        threads[0].start()
        while svc.roles._worker is None or svc.roles._pending:
            time.sleep(0.005)  # the worker took the first role and waits on the lock
        for t in threads[1:]:
            t.start()
        while len(svc.roles._pending) < len(ROLES) - 1:
            time.sleep(0.005)
    for t in threads:
        t.join(timeout=300)
    assert list(svc.roles.batches)[before:] == [1, len(ROLES) - 1]
    for i, role in enumerate(ROLES):
        if role.title == "Nonsense":
            assert isinstance(results[i], InputError)
            continue
        alone = api.report(catalog, role, matcher="lexical").to_dict()
        assert_same(results[i], alone, role.title)
