"""docs/reports.md names every JSON key of the report (the web API's occupation JSON)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from jobrisk.reports import records

DOC = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def test_every_record_field_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    keys_section = text.split("## JSON keys", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z0-9_]+)(?:\[\])?`", keys_section))
    classes = [
        obj
        for obj in vars(records).values()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj)
    ]
    assert len(classes) >= 16
    missing = {f"{c.__name__}.{f.name}" for c in classes for f in dataclasses.fields(c)
               if f.name not in named}  # fmt: skip
    assert not missing, f"document these keys in docs/reports.md: {sorted(missing)}"
