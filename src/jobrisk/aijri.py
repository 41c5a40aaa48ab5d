"""The JobZone composite score, AIJRI (METHODS 2.2, reference page 003).

An :class:`Assessment` holds an assessor's inputs: three protective principles, a task
decomposition (time share, score 1-5, label), five evidence dimensions, five barrier
dimensions and the AI growth correlation. :func:`compute` turns it into an
:class:`AijriResult`::

    weighted          = sum(time_share / 100 x score)
    task resistance   = 6 - weighted
    evidence modifier = 1 + 0.04 x evidence total
    barrier modifier  = 1 + 0.02 x barrier total
    growth modifier   = 1 + 0.05 x growth correlation
    raw               = task resistance x the three modifiers
    AIJRI             = (raw - 0.54) / 7.93 x 100, clamped to 0-100
    zone              = GREEN >= 48, YELLOW >= 25 and < 48, RED < 25

Where the page rounds. Page 003 prints the modifiers as 1.36, 1.06 and 1.10, the raw score
to 4 decimals (5.9466) and the AIJRI to 1 decimal (68.2). The totals are whole numbers, so
every modifier has at most two decimals and the printed modifiers *are* the exact ones:
3.75 x 1.36 = 5.1, x 1.06 = 5.406, x 1.10 = 5.9466 exactly, so 5.9466 is the exact raw and
no rounding happens before the last step. The only rounding is the printed AIJRI
(5.4066 / 7.93 x 100 = 68.179..., printed 68.2) and the zone legend "Yellow 25-47", which
labels whole numbers. Nothing here rounds: zones and the sub-label use the unrounded score
(47.99 is YELLOW even though it prints as 48.0). Reported numbers are only snapped to
:data:`NOISE_DIGITS` decimals to drop binary floating-point noise (0.6 x 0.9 gives
0.5399999999999999), so boundaries and clamping behave as the arithmetic on paper does.

The scale. raw = 0.54 maps to 0: the lowest raw valid inputs reach is
1 x 0.6 x 1.0 x 0.9 = 0.54, so the lower clamp only guards the arithmetic. raw = 8.47 maps to
100, which is 5 x 1.4 x 1.1 x 1.1: a barrier modifier of at most 1.10, whereas ten barrier
points give 1.20 and a raw up to 9.24 (AIJRI 109.7). Scores above 100 are clamped and
``clamped`` says so.

Time shares must sum to 100 within 0.5 and are used as given, not rescaled. An assessor
override is kept beside the computed score, never applied to it: ``zone`` and ``aijri`` are
the formula's, ``final_zone`` and ``final_aijri`` carry the override and its reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

import yaml

from jobrisk.errors import InputError

Label = Literal["AUGMENTATION", "DISPLACEMENT", "NOT INVOLVED"]
Zone = Literal["GREEN", "YELLOW", "RED"]
Provenance = Literal["given", "derived"]

LABELS: tuple[Label, ...] = ("DISPLACEMENT", "AUGMENTATION", "NOT INVOLVED")
ZONES: tuple[Zone, ...] = ("GREEN", "YELLOW", "RED")
PROVENANCES: tuple[Provenance, ...] = ("given", "derived")

GREEN_MIN = 48.0
YELLOW_MIN = 25.0
SCALE_OFFSET = 0.54
SCALE_SPAN = 7.93
SHARE_TOLERANCE = 0.5
MAX_TASKS = 200
NOISE_DIGITS = 9
ACCELERATED = "Green (Accelerated)"


def _snap(value: float) -> float:
    return round(value, NOISE_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Principles:
    """Protective principles, each 0-3 (total /9)."""

    embodied_physicality: int
    deep_interpersonal_connection: int
    goal_setting_moral_judgment: int

    def __post_init__(self) -> None:
        _check_ranges(self, "principles", 0, 3)

    @property
    def total(self) -> int:
        return sum(_values(self))


@dataclass(frozen=True)
class Evidence:
    """Market evidence, each dimension -2..2 (total -10..10)."""

    job_posting_trends: int
    company_actions: int
    wage_trends: int
    ai_tool_maturity: int
    expert_consensus: int

    def __post_init__(self) -> None:
        _check_ranges(self, "evidence", -2, 2)

    @property
    def total(self) -> int:
        return sum(_values(self))


@dataclass(frozen=True)
class Barriers:
    """What prevents AI execution even when it is possible, each 0..2 (total /10)."""

    regulatory_licensing: int
    physical_presence: int
    union_collective_bargaining: int
    liability_accountability: int
    cultural_ethical: int

    def __post_init__(self) -> None:
        _check_ranges(self, "barriers", 0, 2)

    @property
    def total(self) -> int:
        return sum(_values(self))


@dataclass(frozen=True)
class AssessedTask:
    """One task of the decomposition; ``time_share`` is in percent."""

    task: str
    time_share: float
    score: int
    label: Label
    rationale: str = ""


@dataclass(frozen=True)
class Override:
    """An assessor's override of the formula: a score, a zone or both, always with a reason."""

    reason: str
    aijri: float | None = None
    zone: Zone | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise InputError("override.reason: an override needs a non-empty reason")
        if self.aijri is None and self.zone is None:
            raise InputError("override: give `aijri` (0-100), `zone` (GREEN/YELLOW/RED) or both")
        if self.aijri is not None and not 0 <= self.aijri <= 100:
            raise InputError(f"override.aijri: {self.aijri} is outside 0-100")
        if self.aijri is not None and self.zone is not None and zone_for(self.aijri) != self.zone:
            raise InputError(
                f"override: aijri {self.aijri} is {zone_for(self.aijri)}, not {self.zone}; "
                "give a score inside the zone, or only one of the two"
            )


@dataclass(frozen=True)
class Assessment:
    """An assessor's inputs for one role; ranges are checked on construction."""

    title: str
    principles: Principles
    tasks: tuple[AssessedTask, ...]
    evidence: Evidence
    barriers: Barriers
    growth_correlation: int
    override: Override | None = None
    provenance: Mapping[str, Provenance] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_tasks(self.tasks)
        _check_whole(self.growth_correlation, "growth_correlation", -2, 2)
        full = {name: "given" for name in INPUT_NAMES}
        for name, kind in self.provenance.items():
            if name not in full:
                raise InputError(
                    f"provenance.{name}: not an input; allowed: {', '.join(INPUT_NAMES)}"
                )
            if kind not in PROVENANCES:
                raise InputError(f"provenance.{name}: {kind!r} must be 'given' or 'derived'")
            full[name] = kind
        object.__setattr__(self, "provenance", MappingProxyType(full))

    @property
    def derived_inputs(self) -> tuple[str, ...]:
        return tuple(name for name, kind in self.provenance.items() if kind == "derived")


@dataclass(frozen=True)
class TaskContribution:
    """A task's part of the weighted sum: time_share / 100 x score."""

    task: str
    time_share: float
    score: int
    label: Label
    weighted: float


@dataclass(frozen=True)
class AijriResult:
    """Every intermediate number of the composite, the computed zone and the final one."""

    title: str
    task_resistance: float
    weighted_sum: float
    evidence_total: int
    barrier_total: int
    principles_total: int
    growth_correlation: int
    evidence_modifier: float
    barrier_modifier: float
    growth_modifier: float
    raw: float
    aijri: float
    aijri_unclamped: float
    clamped: bool
    zone: Zone
    sub_label: str | None
    share_scoring_3_plus: float
    label_shares: Mapping[Label, float]
    contributions: tuple[TaskContribution, ...]
    override: Override | None
    final_aijri: float
    final_zone: Zone
    final_sub_label: str | None
    derived_inputs: tuple[str, ...]


def zone_for(aijri: float) -> Zone:
    """GREEN >= 48, YELLOW >= 25 and < 48, RED < 25, on the unrounded score."""
    if aijri >= GREEN_MIN:
        return "GREEN"
    return "YELLOW" if aijri >= YELLOW_MIN else "RED"


def sub_label_for(aijri: float, growth_correlation: int) -> str | None:
    """ "Green (Accelerated)" when growth correlation = 2 and AIJRI >= 48 (page 003)."""
    return ACCELERATED if growth_correlation == 2 and aijri >= GREEN_MIN else None


def clamp_to_scale(value: float) -> tuple[float, bool]:
    """``value`` limited to 0-100, and whether it had to be."""
    clamped = min(100.0, max(0.0, value))
    return clamped, clamped != value


def compute(assessment: Assessment) -> AijriResult:
    """The AIJRI of an assessment, with every intermediate figure.

    >>> result = compute(load_assessment("examples/ml-ai-engineer.aijri.yaml"))
    >>> round(result.aijri, 1), result.zone, result.sub_label
    (68.2, 'GREEN', 'Green (Accelerated)')
    """
    a = assessment
    contributions = tuple(
        TaskContribution(
            t.task, t.time_share, t.score, t.label, _snap(t.time_share / 100 * t.score)
        )
        for t in a.tasks
    )
    weighted = math.fsum(t.time_share / 100 * t.score for t in a.tasks)
    resistance = 6 - weighted
    evidence_modifier = 1 + 0.04 * a.evidence.total
    barrier_modifier = 1 + 0.02 * a.barriers.total
    growth_modifier = 1 + 0.05 * a.growth_correlation
    raw = resistance * evidence_modifier * barrier_modifier * growth_modifier
    unclamped = _snap((raw - SCALE_OFFSET) / SCALE_SPAN * 100)
    aijri, clamped = clamp_to_scale(unclamped)
    zone = zone_for(aijri)
    sub_label = sub_label_for(aijri, a.growth_correlation)

    label_shares = {
        label: _snap(math.fsum(t.time_share for t in a.tasks if t.label == label))
        for label in LABELS
    }
    final_aijri = aijri
    final_zone = zone
    if a.override is not None:
        if a.override.aijri is not None:
            final_aijri = a.override.aijri
            final_zone = zone_for(final_aijri)
        if a.override.zone is not None:
            final_zone = a.override.zone
    final_sub_label = (
        sub_label_for(final_aijri, a.growth_correlation) if final_zone == "GREEN" else None
    )
    return AijriResult(
        title=a.title,
        task_resistance=_snap(resistance),
        weighted_sum=_snap(weighted),
        evidence_total=a.evidence.total,
        barrier_total=a.barriers.total,
        principles_total=a.principles.total,
        growth_correlation=a.growth_correlation,
        evidence_modifier=_snap(evidence_modifier),
        barrier_modifier=_snap(barrier_modifier),
        growth_modifier=_snap(growth_modifier),
        raw=_snap(raw),
        aijri=aijri,
        aijri_unclamped=unclamped,
        clamped=clamped,
        zone=zone,
        sub_label=sub_label,
        share_scoring_3_plus=_snap(math.fsum(t.time_share for t in a.tasks if t.score >= 3)),
        label_shares=MappingProxyType(label_shares),
        contributions=contributions,
        override=a.override,
        final_aijri=final_aijri,
        final_zone=final_zone,
        final_sub_label=final_sub_label,
        derived_inputs=a.derived_inputs,
    )


# --- reading assessments -------------------------------------------------------------------

PRINCIPLE_KEYS = tuple(f.name for f in fields(Principles))
EVIDENCE_KEYS = tuple(f.name for f in fields(Evidence))
BARRIER_KEYS = tuple(f.name for f in fields(Barriers))
INPUT_NAMES: tuple[str, ...] = (
    *(f"principles.{k}" for k in PRINCIPLE_KEYS),
    "tasks",
    *(f"evidence.{k}" for k in EVIDENCE_KEYS),
    *(f"barriers.{k}" for k in BARRIER_KEYS),
    "growth_correlation",
)
_TOP_REQUIRED = ("title", "principles", "tasks", "evidence", "barriers", "growth_correlation")
_TOP_OPTIONAL = ("override", "provenance")
_TASK_REQUIRED = ("task", "time_share", "score", "label")
_TASK_OPTIONAL = ("rationale",)
_OVERRIDE_KEYS = ("aijri", "zone", "reason")


def load_assessment(path: str | Path) -> Assessment:
    """Read an assessment from a ``.yaml``/``.yml`` or ``.json`` file.

    >>> load_assessment("examples/ml-ai-engineer.aijri.yaml").title
    'ML/AI Engineer'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise InputError(f"{path}: unsupported file type {suffix!r}; use .yaml, .yml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the assessment ({exc})") from exc
    data: object
    if suffix == ".json":
        try:
            data = json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {exc.lineno}: malformed JSON: {exc.msg}") from exc
        except _DuplicateKey as exc:
            raise InputError(f"{path}: duplicate key {exc.key!r}") from exc
    else:
        try:
            data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
            raise InputError(f"{where}: malformed YAML: {exc.problem or exc.context}") from exc
        except yaml.YAMLError as exc:
            raise InputError(f"{path}: malformed YAML: {exc}") from exc
    try:
        return parse_assessment(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc.message}", hint=exc.hint) from exc


def parse_assessment(mapping: object) -> Assessment:
    """Build a checked :class:`Assessment` from a plain mapping (parsed YAML or JSON)."""
    top = _mapping(mapping, "assessment", _TOP_REQUIRED, _TOP_OPTIONAL)
    title = _text(top["title"], "title")
    principles = Principles(**_whole_fields(top["principles"], "principles", PRINCIPLE_KEYS))
    evidence = Evidence(**_whole_fields(top["evidence"], "evidence", EVIDENCE_KEYS))
    barriers = Barriers(**_whole_fields(top["barriers"], "barriers", BARRIER_KEYS))
    raw_tasks = top["tasks"]
    if not isinstance(raw_tasks, list):
        raise InputError(f"tasks: must be a list of tasks, got {_kind(raw_tasks)}")
    tasks = tuple(_task(item, f"tasks[{i}]") for i, item in enumerate(raw_tasks))
    growth = _whole(top["growth_correlation"], "growth_correlation")
    override = _override(top.get("override"))
    provenance = _provenance(top.get("provenance"))
    return Assessment(title, principles, tasks, evidence, barriers, growth, override, provenance)


def _task(item: object, path: str) -> AssessedTask:
    raw = _mapping(item, path, _TASK_REQUIRED, _TASK_OPTIONAL)
    rationale = raw.get("rationale")
    return AssessedTask(
        task=_text(raw["task"], f"{path}.task"),
        time_share=_number(raw["time_share"], f"{path}.time_share"),
        score=_whole(raw["score"], f"{path}.score"),
        label=_label(raw["label"], f"{path}.label"),
        rationale="" if rationale is None else _text(rationale, f"{path}.rationale"),
    )


def _label(value: object, path: str) -> Label:
    allowed = ", ".join(LABELS)
    if not isinstance(value, str):
        raise InputError(f"{path}: must be one of {allowed}, got {_kind(value)}")
    label = value.strip().upper().replace("_", " ")
    if label not in LABELS:
        raise InputError(f"{path}: {value!r} is not a label; allowed: {allowed}")
    return label


def _override(value: object) -> Override | None:
    if value is None:
        return None
    raw = _mapping(value, "override", ("reason",), ("aijri", "zone"))
    aijri = raw.get("aijri")
    zone = raw.get("zone")
    if zone is not None:
        if not isinstance(zone, str) or zone.strip().upper() not in ZONES:
            raise InputError(f"override.zone: {zone!r} is not a zone; allowed: GREEN, YELLOW, RED")
        zone = zone.strip().upper()
    return Override(
        reason=_text(raw["reason"], "override.reason"),
        aijri=None if aijri is None else _number(aijri, "override.aijri"),
        zone=cast(Zone | None, zone),
    )


def _provenance(value: object) -> dict[str, Provenance]:
    if value is None:
        return {}
    raw = _mapping(value, "provenance", (), INPUT_NAMES)
    out: dict[str, Provenance] = {}
    for name, kind in raw.items():
        if not isinstance(kind, str) or kind.strip().lower() not in PROVENANCES:
            raise InputError(f"provenance.{name}: {kind!r} must be 'given' or 'derived'")
        out[name] = cast(Provenance, kind.strip().lower())
    return out


def _mapping(
    value: object, path: str, required: Sequence[str], optional: Sequence[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{path}: must be a mapping of {', '.join(required)}, got {_kind(value)}")
    allowed = (*required, *optional)
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise InputError(
            f"{path}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"allowed keys: {', '.join(allowed)}"
        )
    missing = [k for k in required if k not in value]
    if missing:
        raise InputError(f"{path}: missing key(s) {', '.join(missing)}")
    return cast(dict[str, Any], value)


def _whole_fields(value: object, path: str, keys: Sequence[str]) -> dict[str, int]:
    raw = _mapping(value, path, keys, ())
    return {k: _whole(raw[k], f"{path}.{k}") for k in keys}


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{path}: must be a number, got {_kind(value)}")
    if isinstance(value, int) and abs(value) > 10**15:
        raise InputError(f"{path}: {value} is far outside any allowed range")
    if not math.isfinite(value):
        raise InputError(f"{path}: must be a finite number, got {value}")
    return float(value)


def _whole(value: object, path: str) -> int:
    number = _number(value, path)
    if not number.is_integer():
        raise InputError(f"{path}: must be a whole number, got {value}")
    return int(number)


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{path}: must be non-empty text, got {_kind(value)}")
    return value.strip()


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, bool | int | float):
        return f"{type(value).__name__} {value!r}"
    return type(value).__name__


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    # dataclasses.fields builds its tuple on every call; a batch of roles asks thousands of times
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _values(record: object) -> list[int]:
    return [cast(int, getattr(record, name)) for name in _field_names(type(record))]


def _check_whole(value: int, path: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{path}: must be a whole number {low}..{high}, got {value!r}")


def _check_ranges(record: object, section: str, low: int, high: int) -> None:
    for name in _field_names(type(record)):
        _check_whole(getattr(record, name), f"{section}.{name}", low, high)


def _check_tasks(tasks: Sequence[AssessedTask]) -> None:
    if not tasks:
        raise InputError("tasks: at least one task is required")
    if len(tasks) > MAX_TASKS:
        raise InputError(f"tasks: at most {MAX_TASKS} tasks are allowed, got {len(tasks)}")
    for i, t in enumerate(tasks):
        if not 0 <= t.time_share <= 100:
            raise InputError(f"tasks[{i}].time_share: must be 0-100 percent, got {t.time_share}")
        _check_whole(t.score, f"tasks[{i}].score", 1, 5)
        if t.label not in LABELS:
            raise InputError(f"tasks[{i}].label: {t.label!r} not one of {', '.join(LABELS)}")
    total = _snap(math.fsum(t.time_share for t in tasks))
    if abs(total - 100) > SHARE_TOLERANCE:
        off = _snap(abs(total - 100))
        side = "above" if total > 100 else "below"
        raise InputError(
            f"tasks[*].time_share: the time shares sum to {total:g}, {off:g} {side} 100; "
            f"they must sum to 100 within {SHARE_TOLERANCE:g}"
        )


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # SafeLoader reports an unhashable key itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
