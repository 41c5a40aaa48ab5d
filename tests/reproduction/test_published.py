"""Reproductions: each rebuilds a table its source published and compares with the source's
own file or the paper's own numbers, never with jobrisk's earlier output."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobrisk import published
from jobrisk.catalog import Catalog

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


def test_eloundou_occ_level_rebuilt_from_task_labels(
    catalog: Catalog, shared_data_dir: Path
) -> None:
    published_file = pd.read_csv(shared_data_dir / "eloundou_2023" / "occ_level.csv")
    rebuilt = published.eloundou_occupation_scores(catalog).set_index("code")
    expected = published_file.set_index("O*NET-SOC Code").drop(columns="Title")
    assert expected.shape == (923, 6)
    assert sorted(rebuilt.index) == sorted(expected.index)
    diff = (rebuilt.loc[expected.index, expected.columns] - expected).abs().to_numpy().max()
    assert diff < 1e-9


def test_microsoft_applicability_rebuilt_with_equation_1(
    catalog: Catalog, shared_data_dir: Path
) -> None:
    published_file = pd.read_csv(
        shared_data_dir / "microsoft_working_with_ai" / "soc_ai_applicability_scores.csv"
    ).set_index("SOC Code")["ai_applicability_score"]
    rebuilt = published.microsoft_applicability(catalog).set_index("soc_code")[
        "ai_applicability_score"
    ]
    assert len(published_file) == 785
    assert sorted(rebuilt.index) == sorted(published_file.index)
    assert np.abs(rebuilt.loc[published_file.index] - published_file).max() < 1e-9


def _reference(quantity: str) -> dict[str, tuple[float, float]]:
    with (REFERENCE / "anthropic_2025_02_10.csv").open(encoding="utf-8") as fh:
        return {
            r["key"]: (float(r["published_pct"]), float(r["tolerance_points"]))
            for r in csv.DictReader(fh)
            if r["quantity"] == quantity
        }


@pytest.mark.parametrize("major_code", sorted(_reference("major_group_share")))
def test_anthropic_v1_share_by_major_group(catalog: Catalog, major_code: str) -> None:
    expected, tolerance = _reference("major_group_share")[major_code]
    shares = published.anthropic_v1_major_group_shares(catalog).set_index("major_code")["pct"]
    assert shares.sum() == pytest.approx(100.0)
    assert abs(shares[major_code] - expected) <= tolerance
    assert round(shares[major_code], 1) == expected


def test_anthropic_v1_automation_vs_augmentation(catalog: Catalog) -> None:
    ref = _reference("interaction")
    got = published.anthropic_v1_automation_share(catalog)
    for key in ("automation", "augmentation"):
        assert round(got[key], 1) == ref[key][0]
    assert got["automation"] + got["augmentation"] == pytest.approx(100.0)
