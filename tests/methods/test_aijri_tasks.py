"""AIJRI task arithmetic equals pandas' to the bit, on real tasks (the grouped sums are in
``test_sums.py``): the method's values must not move by one ulp."""

from __future__ import annotations

import numpy as np
import pytest

from jobrisk.catalog import Catalog
from jobrisk.methods.aijri_tasks import series_sum
from jobrisk.methods.evidence import Evidence, load_evidence


@pytest.fixture(scope="module")
def evidence(catalog: Catalog) -> Evidence:
    return load_evidence(catalog)


def test_series_sum_is_pandas_series_sum(evidence: Evidence) -> None:
    share = evidence.tasks["time_share"].iloc[:200].where(lambda s: s > 0.01)
    assert series_sum(share.to_numpy(dtype=float, na_value=np.nan)) == share.sum()
