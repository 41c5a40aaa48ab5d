"""Equality of records up to the last bits of their floats (a sum taken in another order)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any


def assert_same(got: Any, want: Any, where: str = "", rel: float = 1e-12) -> None:
    """``got == want``, walking dataclasses, mappings and sequences, with floats equal within
    ``rel`` (NaN equal to NaN): what a role scored in a batch must give, field by field."""
    if dataclasses.is_dataclass(want) and not isinstance(want, type):
        assert type(got) is type(want), f"{where}: {type(got)} != {type(want)}"
        for f in dataclasses.fields(want):
            assert_same(getattr(got, f.name), getattr(want, f.name), f"{where}.{f.name}", rel)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), f"{where}: keys differ"
        for k in want:
            assert_same(got[k], want[k], f"{where}[{k!r}]", rel)
    elif isinstance(want, list | tuple):
        assert type(got) is type(want) and len(got) == len(want), f"{where}: length differs"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]", rel)
    elif isinstance(want, float) and isinstance(got, float):
        same = (math.isnan(got) and math.isnan(want)) or math.isclose(
            got, want, rel_tol=rel, abs_tol=1e-15
        )
        assert same, f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"
