"""One conversion of records to strict-JSON values, shared by every ``to_dict()``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from typing import Any


def _keep(obj: Any) -> Any:
    return obj


def json_ready(obj: Any, unknown: Callable[[Any], Any] = _keep) -> Any:
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


def record_json(record: Any, unknown: Callable[[Any], Any] = _keep) -> dict[str, Any]:
    """A dataclass record's fields through :func:`json_ready` (for the record's own
    ``to_dict``; nested records with a ``to_dict`` are asked for theirs)."""
    return {
        f.name: json_ready(getattr(record, f.name), unknown) for f in dataclasses.fields(record)
    }
