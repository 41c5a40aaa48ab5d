"""``plain_record`` gives exactly ``json_ready(dataclasses.asdict(record))``, the definition it
replaces: the same keys in the same order, equal values of the same types."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import decimal
import enum
import json
import math
import random
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np
import pandas as pd
import pytest

from jobrisk import api
from jobrisk.catalog import Catalog
from jobrisk.jsonready import json_ready, plain_record


def assert_identical(got: Any, want: Any, where: str = "") -> None:
    """Equal and of the same type all the way down (NaN equal to NaN, pd.NA to pd.NA)."""
    assert type(got) is type(want), f"{where}: {type(got)} != {type(want)}"
    if isinstance(want, dict):
        assert list(got) == list(want), f"{where}: keys {list(got)} != {list(want)}"
        for k in want:
            assert_identical(got[k], want[k], f"{where}[{k!r}]")
    elif isinstance(want, list):
        assert len(got) == len(want), f"{where}: length"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_identical(g, w, f"{where}[{i}]")
    elif want is pd.NA or (isinstance(want, float) and math.isnan(want)):
        assert got is want or (isinstance(got, float) and math.isnan(got)), where
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def reference(record: Any, unknown: Any = None) -> Any:
    if unknown is None:
        return json_ready(dataclasses.asdict(record))
    return json_ready(dataclasses.asdict(record), unknown=unknown)


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Pair(NamedTuple):
    a: int
    b: float


class Tags(list[str]):
    pass


@dataclasses.dataclass(frozen=True)
class WithOwnDict:
    x: float

    def to_dict(self) -> dict[str, Any]:  # asdict ignores it, and so must plain_record
        return {"asked": True}


@dataclasses.dataclass(frozen=True)
class Zoo:
    plain: tuple[Any, ...]
    floats: tuple[Any, ...]
    numpy: tuple[Any, ...]
    dates: tuple[Any, ...]
    odd: tuple[Any, ...]
    nested: WithOwnDict
    nested_list: list[WithOwnDict]
    mapping: dict[Any, Any]
    missing: Any = None


ZOO = Zoo(
    plain=("text", "", "é – ü", 0, -7, 2**70, True, False, None),
    floats=(0.0, -0.0, 1.5, 1e308, math.nan, math.inf, -math.inf),
    numpy=(
        np.float64(2.5),
        np.float64("nan"),
        np.float32(0.25),
        np.float32("inf"),
        np.int64(3),
        np.int8(-1),
        np.bool_(True),
        np.str_("numpy text"),
    ),
    dates=(dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, 12, 30), pd.Timestamp("2025-03-27")),
    odd=(
        Colour.RED,
        Level.HIGH,
        Pair(1, math.nan),
        Tags(["a", "b"]),
        frozenset({"x"}),
        decimal.Decimal("1.10"),
        Path("/tmp/x"),
        pd.NA,
        ((1, math.inf), [None, ("deep", np.float64("-inf"))]),
    ),
    nested=WithOwnDict(math.nan),
    nested_list=[WithOwnDict(1.0), WithOwnDict(np.float64(2.0))],
    mapping={
        "a": 1,
        2: math.nan,
        (3, 4): [WithOwnDict(0.5)],
        Colour.RED: {"inner": np.int64(9)},
        "od": collections.OrderedDict([("z", 1), ("y", math.inf)]),
    },
)


@pytest.mark.parametrize("unknown", [None, str, repr], ids=["keep", "str", "repr"])
def test_every_kind_of_value_as_asdict_then_json_ready(unknown: Any) -> None:
    got = plain_record(ZOO) if unknown is None else plain_record(ZOO, unknown)
    assert_identical(got, reference(ZOO, unknown))


def test_nested_records_are_their_fields_not_their_to_dict() -> None:
    got = plain_record(ZOO)
    assert got["nested"] == {"x": None}
    assert got["nested_list"] == [{"x": 1.0}, {"x": 2.0}]


def _random_value(rng: random.Random, depth: int) -> Any:
    leaves = [
        lambda: rng.choice(["", "a", "ü", "x" * 50]),
        lambda: rng.randint(-(2**40), 2**40),
        lambda: rng.random() < 0.5,
        lambda: None,
        lambda: rng.choice([rng.uniform(-1e6, 1e6), math.nan, math.inf, -math.inf, -0.0]),
        lambda: np.float64(rng.choice([rng.random(), math.nan])),
        lambda: np.int64(rng.randint(-100, 100)),
        lambda: dt.date(2020, 1, rng.randint(1, 28)),
    ]
    if depth <= 0 or rng.random() < 0.4:
        return rng.choice(leaves)()
    kind = rng.randrange(4)
    items = [_random_value(rng, depth - 1) for _ in range(rng.randrange(4))]
    if kind == 0:
        return tuple(items)
    if kind == 1:
        return items
    if kind == 2:
        return {rng.choice(["k", 1, 2.5, None, ("t", 1)]): v for v in items}
    return Holder(*[*items, None, None][:2])


@dataclasses.dataclass(frozen=True)
class Holder:
    first: Any
    second: Any


def test_random_trees_as_asdict_then_json_ready() -> None:
    rng = random.Random(20251122)
    for _ in range(300):
        record = Holder(_random_value(rng, 5), _random_value(rng, 5))
        assert_identical(plain_record(record, str), reference(record, str))
        assert_identical(plain_record(record), reference(record))


@dataclasses.dataclass(frozen=True)
class WithPseudoFields:
    LIMIT: ClassVar[int] = 3
    seed: dataclasses.InitVar[int] = 0
    note: str = "n"


def test_class_vars_and_init_vars_are_not_fields() -> None:
    record = WithPseudoFields()
    assert plain_record(record) == {"note": "n"} == reference(record)


def test_score_and_assess_records_as_before(catalog: Catalog) -> None:
    from jobrisk.roles import make_role

    scored = api.score(catalog, "15-2051.00")
    role = make_role("Clerk", ["File papers and answer phones", "Enter data into forms"])
    assessed = api.assess(catalog, role, matcher="lexical")
    for record in (scored, assessed, api.Comparison((scored, assessed))):
        got = record.to_dict()
        assert_identical(got, reference(record))
        json.dumps(got, allow_nan=False)
