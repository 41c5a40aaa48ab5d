"""One conversion of records to strict-JSON values, shared by every ``to_dict()``.

:func:`plain_record` is ``json_ready(dataclasses.asdict(record))`` in one pass: ``asdict``
deep-copies every value and then ``json_ready`` walks the copy again, which made
``Report.to_dict`` the slowest step of a batch of custom roles after the scoring itself. The
one-pass walk reads each dataclass's field names once per class and keeps the values that are
already JSON (str, int, bool, None, finite floats) as they are.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from typing import Any

Unknown = Callable[[Any], Any]
_Converter = Callable[[Any, Unknown], dict[str, Any]]

# Exact types kept as they are (subclasses such as IntEnum take the general path).
_PLAIN: frozenset[type] = frozenset({str, int, bool, type(None)})
_CONVERTERS: dict[type, _Converter] = {}


def _keep(obj: Any) -> Any:
    return obj


def json_ready(obj: Any, unknown: Unknown = _keep) -> Any:
    """``obj`` with dicts, lists, tuples and dataclasses made plain, NaN and infinities as
    None, dates as ISO text and NumPy scalars as Python numbers; an object with its own
    ``to_dict()`` is asked for it. Anything else goes through ``unknown`` (kept by default)."""
    if isinstance(obj, dict):
        return {str(k): json_ready(v, unknown) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v, unknown) for v in obj]
    if obj is None or isinstance(obj, bool | str | int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        own = getattr(obj, "to_dict", None)
        return json_ready(own(), unknown) if callable(own) else record_json(obj, unknown)
    if hasattr(obj, "item"):  # NumPy scalars
        return json_ready(obj.item(), unknown)
    return unknown(obj)


def record_json(record: Any, unknown: Unknown = _keep) -> dict[str, Any]:
    """A dataclass record's fields through :func:`json_ready` (for the record's own
    ``to_dict``; nested records with a ``to_dict`` are asked for theirs)."""
    return {
        f.name: json_ready(getattr(record, f.name), unknown) for f in dataclasses.fields(record)
    }


def plain_record(record: Any, unknown: Unknown = _keep) -> dict[str, Any]:
    """``json_ready(dataclasses.asdict(record), unknown)``, the same dict, in one pass.

    As with ``asdict``, nested dataclasses become dicts of their fields (their own
    ``to_dict`` is not asked), and an object that is none of the JSON kinds, a date or a
    NumPy scalar goes through ``unknown`` as a deep copy.

    >>> @dataclasses.dataclass(frozen=True)
    ... class Point:
    ...     x: float
    ...     tags: tuple[str, ...]
    >>> plain_record(Point(float("nan"), ("a",)))
    {'x': None, 'tags': ['a']}
    """
    return _converter(type(record))(record, unknown)


def _converter(cls: type) -> _Converter:
    conv = _CONVERTERS.get(cls)
    if conv is None:
        conv = _CONVERTERS[cls] = _make_converter(cls)
    return conv


def _make_converter(cls: type) -> _Converter:
    names = tuple(f.name for f in dataclasses.fields(cls))
    plain, value = _PLAIN, _plain_value

    def convert(record: Any, unknown: Unknown) -> dict[str, Any]:
        out = {}
        for name in names:
            v = getattr(record, name)
            out[name] = v if type(v) in plain else value(v, unknown)
        return out

    return convert


def _plain_value(v: Any, unknown: Unknown) -> Any:
    """One value as ``json_ready(asdict-copy-of-v)`` would make it."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is float:
        return v if v - v == 0.0 else None  # NaN and infinities give NaN
    conv = _CONVERTERS.get(t)
    if conv is not None:
        return conv(v, unknown)
    if t is tuple or t is list:
        return [x if type(x) in _PLAIN else _plain_value(x, unknown) for x in v]
    if t is dict:
        return {
            (k if type(k) is str else str(k)): (
                x if type(x) in _PLAIN else _plain_value(x, unknown)
            )
            for k, x in v.items()
        }
    return _general_value(v, unknown)


def _general_value(v: Any, unknown: Unknown) -> Any:
    """Subclasses and the rarer kinds, in the order ``asdict`` then ``json_ready`` test them."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return _converter(type(v))(v, unknown)
    if isinstance(v, list | tuple):
        return [_plain_value(x, unknown) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain_value(x, unknown) for k, x in v.items()}
    if v is None or isinstance(v, bool | str | int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "item"):  # NumPy scalars
        return json_ready(v.item(), unknown)
    return unknown(copy.deepcopy(v))
