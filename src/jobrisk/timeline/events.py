"""Dated events (page 004's weekly news): the YAML file format, its validation and the records.

An events file is a mapping with an ``events`` list; each event has

- ``date`` (ISO ``YYYY-MM-DD``), ``headline``, ``source`` (an http(s) link), ``reason``;
- ``scope``: any of ``soc`` (SOC group or occupation codes), ``dwa`` (O*NET Detailed Work
  Activity ids), ``iwa`` (Intermediate Work Activity ids), ``capability`` (kinds from
  :data:`CAPABILITY_KINDS`); each a code or a list of codes;
- ``direction`` (``up``: more risk, ``down``: less) and ``size`` (points on the 0-100 scale
  for an occupation whose whole work is in scope, ``0 < size <= 20``);
- optional ``id`` (default ``e1``, ``e2``... by position) and ``example`` (true marks an
  illustration, shown as such wherever the event appears).

Every problem is an :class:`~jobrisk.errors.InputError` naming the file, the event (its
position and line) and the field, with how to fix it.

    >>> events = load_events(DEFAULT_EVENTS)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jobrisk.errors import InputError

__all__ = [
    "CAPABILITY_KINDS",
    "DEFAULT_EVENTS",
    "DIRECTIONS",
    "MAX_SIZE",
    "Event",
    "Scope",
    "load_events",
]

# What a capability event reaches, task by task; each kind is read off one task-level signal of
# the evidence (METHODS 1 and 2.4), so its scope is checkable against the data.
CAPABILITY_KINDS: dict[str, str] = {
    "llm": "tasks an LLM alone could do in half the time (Eloundou et al. E1; human label, "
    "GPT-4's where missing)",
    "llm_tools": "tasks an LLM could halve only with software built on it: tools, retrieval, "
    "images (Eloundou et al. E2)",
    "autonomy": "tasks a model could do mostly or wholly without a person (Eloundou et al. "
    "T3 or T4): agents, computer use",
    "observed_use": "tasks already seen in Claude conversations at any Anthropic Economic "
    "Index release (v3-v5 derived)",
    "copilot": "tasks whose work activities (IWAs) Copilot conversations complete with some "
    "scope (Tomlinson et al. 2025 applicability > 0)",
    "physical": "tasks whose O*NET work activities are physical: robotics, embodied AI",
}
DIRECTIONS = ("up", "down")
MAX_SIZE = 20.0
SCOPE_KINDS = ("soc", "dwa", "iwa", "capability")
FIELDS = ("id", "date", "headline", "source", "scope", "direction", "size", "reason", "example")
REQUIRED = ("date", "headline", "source", "scope", "direction", "size", "reason")
SCOPE_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "soc": (
        re.compile(r"^\d{2}-\d{4}(\.\d{2})?$"),
        "a SOC code: major 15-0000, minor 15-1200, broad 15-1250, detailed 15-1252 or "
        "O*NET-SOC 15-1252.00",
    ),
    "dwa": (
        re.compile(r"^4\.A\.\d\.[a-z]\.\d+\.I\d{2}\.D\d{2}$"),
        "a DWA id such as 4.A.2.a.4.I09.D03",
    ),
    "iwa": (re.compile(r"^4\.A\.\d\.[a-z]\.\d+\.I\d{2}$"), "an IWA id such as 4.A.2.a.4.I09"),
}
DEFAULT_EVENTS = Path(str(resources.files("jobrisk").joinpath("data", "events.example.yaml")))
EXAMPLE_FILE = """events:
  - date: 2025-05-22
    headline: Claude 4 released
    source: https://www.anthropic.com/news/claude-4
    scope: {soc: [15-1250]}
    direction: up
    size: 2
    reason: better at long coding tasks"""


class _Loader(yaml.SafeLoader):
    """Safe YAML with dates left as text, so a bad date is reported with its event and field."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Scope:
    """What an event reaches: occupations by SOC group, tasks by activity or capability."""

    soc: tuple[str, ...] = ()
    dwa: tuple[str, ...] = ()
    iwa: tuple[str, ...] = ()
    capability: tuple[str, ...] = ()

    @property
    def task_level(self) -> bool:
        """True when the scope selects tasks (so occupations are reached by time share)."""
        return bool(self.dwa or self.iwa or self.capability)

    def describe(self) -> str:
        parts = [f"{k} {', '.join(getattr(self, k))}" for k in SCOPE_KINDS if getattr(self, k)]
        return "; ".join(parts)

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(getattr(self, k)) for k in SCOPE_KINDS}


@dataclass(frozen=True)
class Event:
    """One dated event and what it does to the occupations in its scope."""

    id: str
    date: dt.date
    headline: str
    source: str
    scope: Scope
    direction: str
    size: float
    reason: str
    example: bool = False
    origin: str = ""  # "file, event N (line L)": where error messages point

    @property
    def signed_size(self) -> float:
        return self.size if self.direction == "up" else -self.size

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "headline": self.headline,
            "source": self.source,
            "scope": self.scope.to_dict(),
            "direction": self.direction,
            "size": self.size,
            "reason": self.reason,
            "example": self.example,
        }


def _fail(where: str, problem: str, fix: str) -> InputError:
    return InputError(f"{where}: {problem}", hint=fix)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"no events file at {path}",
            hint="give the path of a YAML events file (see docs/timeline.md), or leave "
            "--events out to use the shipped example",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the events file {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})",
            hint="save the events file as UTF-8",
        ) from None


_PARSED: dict[tuple[str, int, int], tuple[Event, ...]] = {}


def load_events(path: str | Path) -> list[Event]:
    """Read and validate an events file (format in the module docstring), in file order.

    Codes are checked for their form here; whether they exist in the index is checked by
    :func:`jobrisk.timeline.check_scopes` when the events are applied. A file read before
    and unchanged since (same size and modification time) is not parsed again.
    """
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _PARSED:
        return list(_PARSED[key])
    events = _parse_file(path)
    if key is not None:
        _PARSED[key] = tuple(events)
    return events


def _parse_file(path: Path) -> list[Event]:
    text = _read_text(path)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(
            f"{where}: {problem}", hint=f"an events file is YAML like:\n{EXAMPLE_FILE}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise _fail(
            str(path),
            "no `events:` list at the top of the file",
            f"an events file is YAML like:\n{EXAMPLE_FILE}",
        )
    nodes = _event_nodes(root)
    events = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(data["events"]):
        line = nodes[i].start_mark.line + 1 if i < len(nodes) else None
        where = f"{path}, event {i + 1}" + (f" (line {line})" if line else "")
        event = _parse_event(raw, i, where, _field_lines(nodes[i]) if i < len(nodes) else {})
        if event.id in seen:
            raise _fail(
                f"{where}, field 'id'",
                f"id {event.id!r} is used twice (also {seen[event.id]})",
                "give every event its own id",
            )
        seen[event.id] = where
        events.append(event)
    return events


def _event_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "events" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _field_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _parse_event(raw: Any, i: int, where: str, lines: dict[str, int]) -> Event:
    if not isinstance(raw, dict):
        raise _fail(
            where, "an event must be a mapping of fields", f"write it like:\n{EXAMPLE_FILE}"
        )

    def at(name: str) -> str:
        line = lines.get(name)
        return f"{where}, field '{name}'" + (f" (line {line})" if line else "")

    unknown = sorted(set(map(str, raw)) - set(FIELDS))
    if unknown:
        raise _fail(
            at(unknown[0]), f"unknown field {unknown[0]!r}", f"fields are: {', '.join(FIELDS)}"
        )
    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            raise _fail(
                f"{where}, field '{name}'",
                f"the field {name!r} is missing",
                f"every event needs: {', '.join(REQUIRED)}",
            )
    date = _parse_date(raw["date"], at("date"))
    texts = {}
    for name in ("headline", "reason", "source"):
        value = raw[name]
        if not isinstance(value, str) or not value.strip():
            raise _fail(
                at(name), f"{name} must be text, got {value!r}", f"write the {name} as text"
            )
        texts[name] = " ".join(value.split())
    if not re.match(r"^https?://\S+\.\S+", texts["source"]):
        raise _fail(
            at("source"),
            f"source must be an http(s) link, got {texts['source']!r}",
            "link the page that reports the event, e.g. https://www.anthropic.com/news/claude-4",
        )
    direction = str(raw["direction"]).strip().lower()
    if direction not in DIRECTIONS:
        raise _fail(
            at("direction"),
            f"direction cannot be {raw['direction']!r}",
            "use up (the event raises AI risk) or down (it lowers it)",
        )
    size = raw["size"]
    if isinstance(size, bool) or not isinstance(size, int | float) or not 0 < size <= MAX_SIZE:
        raise _fail(
            at("size"),
            f"size must be a number above 0 and at most {MAX_SIZE:g}, got {size!r}",
            "size is the change in points (0-100 scale) for an occupation whose whole work is "
            "in scope; the direction gives its sign",
        )
    example = raw.get("example", False)
    if not isinstance(example, bool):
        raise _fail(at("example"), f"example must be true or false, got {example!r}", "")
    event_id = str(raw.get("id") or f"e{i + 1}").strip()
    return Event(
        id=event_id,
        date=date,
        headline=texts["headline"],
        source=texts["source"],
        scope=_parse_scope(raw["scope"], at("scope")),
        direction=direction,
        size=float(size),
        reason=texts["reason"],
        example=example,
        origin=where,
    )


def _parse_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _fail(
            where, f"{value!r} is not a date", "write the date as YYYY-MM-DD, e.g. 2025-05-22"
        ) from None


def _parse_scope(raw: Any, where: str) -> Scope:
    kinds = ", ".join(SCOPE_KINDS)
    if not isinstance(raw, dict) or not raw:
        raise _fail(
            where,
            "scope must be a mapping with at least one of: " + kinds,
            "e.g. scope: {soc: [15-1250]} or scope: {capability: [llm]}",
        )
    unknown = sorted(set(map(str, raw)) - set(SCOPE_KINDS))
    if unknown:
        raise _fail(where, f"unknown scope kind {unknown[0]!r}", f"scope kinds are: {kinds}")
    values: dict[str, tuple[str, ...]] = {}
    for kind in SCOPE_KINDS:
        items = raw.get(kind) or []
        items = [items] if isinstance(items, str | int | float) else items
        if not isinstance(items, list):
            raise _fail(where, f"scope {kind} must be a code or a list of codes", "")
        codes = tuple(str(c).strip() for c in items)
        for code in codes:
            if kind == "capability":
                if code not in CAPABILITY_KINDS:
                    raise _fail(
                        where,
                        f"unknown capability kind {code!r}",
                        f"capability kinds are: {', '.join(CAPABILITY_KINDS)}",
                    )
                continue
            pattern, form = SCOPE_PATTERNS[kind]
            if not pattern.match(code):
                raise _fail(where, f"{code!r} is not {form}", f"write {kind} codes as {form}")
        values[kind] = codes
    scope = Scope(**values)
    if not (scope.soc or scope.task_level):
        raise _fail(where, "the scope lists no codes", f"list codes under one of: {kinds}")
    return scope
