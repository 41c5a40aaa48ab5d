"""Custom roles: a title and tasks in a person's own words, read and checked.

A role comes from a YAML or JSON file, a CSV file (a ``task`` column and an optional
``share`` column), repeated CLI options, a web form, or a pasted job ad split into task
sentences (:func:`tasks_from_job_ad`). Time shares are optional: without them every task gets
an equal share, and the role says so.

Limits (each breach is an :class:`~jobrisk.errors.InputError` that says what to change):

- at most :data:`MAX_TASKS` tasks, each at most :data:`MAX_TASK_CHARS` characters, not empty;
- a title of at most :data:`MAX_TITLE_CHARS` characters;
- a file of at most :data:`MAX_FILE_BYTES` bytes, UTF-8 text (no NUL bytes);
- a job ad of at most :data:`MAX_AD_CHARS` characters;
- shares given for every task or for none, each above 0, summing to 100 within 0.5.

Text that does not look like English gets a warning, not an error: the evidence is English,
so its matches will be weak and are likely to fall below the confidence floor.

    >>> role = role_from_mapping({"title": "ML engineer", "tasks": ["Train models", "Deploy APIs"]})
    >>> [t.share for t in role.tasks], role.shares_given
    ([50.0, 50.0], False)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jobrisk.errors import InputError

MAX_TASKS = 100
MAX_TASK_CHARS = 600
MAX_TITLE_CHARS = 200
MAX_FILE_BYTES = 1_000_000
MAX_AD_CHARS = 50_000
SHARE_TOLERANCE = 0.5  # percent points, as page 003's validation

# A few very common English words; a task of 4+ words with none of them is likely not English.
_ENGLISH_HINTS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "a",
        "an",
        "or",
        "by",
        "from",
        "as",
        "at",
        "data",
        "new",
        "use",
        "using",
        "ensure",
        "manage",
        "prepare",
        "review",
        "develop",
        "analyze",
        "provide",
        "maintain",
        "plan",
        "work",
        "client",
        "customer",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class RoleTask:
    text: str
    share: float  # percent of the working time, 0-100


@dataclass(frozen=True)
class Role:
    """A role described by its tasks."""

    title: str
    tasks: tuple[RoleTask, ...]
    shares_given: bool
    hourly_wage: float | None = None
    warnings: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        s = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return s[:60] or "role"


def _clean(text: Any, where: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"{where} must be text, got {type(text).__name__}")
    return " ".join(text.split())


def _looks_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    letters = "".join(words)
    if not letters:
        return False
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    if ascii_share < 0.8:
        return False
    return len(words) < 4 or any(w in _ENGLISH_HINTS for w in words)


def make_role(
    title: str,
    tasks: Sequence[str],
    shares: Sequence[Any] | None = None,
    *,
    hourly_wage: float | None = None,
) -> Role:
    """A checked role from a title, task texts and optional shares in percent."""
    title = _clean(title, "the title")
    if not title:
        raise InputError("the role has no title", hint="give a title, e.g. --title 'ML engineer'")
    if len(title) > MAX_TITLE_CHARS:
        raise InputError(f"the title is {len(title):,} characters; the limit is {MAX_TITLE_CHARS}")
    if not tasks:
        raise InputError(
            "the role has no tasks",
            hint="list what the job does, one task per line (e.g. --task 'Train models')",
        )
    if len(tasks) > MAX_TASKS:
        raise InputError(
            f"the role has {len(tasks):,} tasks; the limit is {MAX_TASKS}",
            hint="keep the tasks that take most of the week, or merge similar ones",
        )
    texts = []
    warnings: list[str] = []
    for i, raw in enumerate(tasks, start=1):
        text = _clean(raw, f"task {i}")
        if not text:
            raise InputError(f"task {i} is empty", hint="remove it or write what the task is")
        if len(text) > MAX_TASK_CHARS:
            raise InputError(
                f"task {i} is {len(text):,} characters; a task is a sentence or two, at most "
                f"{MAX_TASK_CHARS}",
                hint="split it into several tasks, or paste the whole text as a job ad (--ad)",
            )
        if not _looks_english(text):
            warnings.append(
                f"task {i} does not look like English; the evidence is English, so it may stay "
                "unmatched"
            )
        texts.append(text)
    lowered = [t.lower() for t in texts]
    dupes = sorted({i + 1 for i, t in enumerate(lowered) if lowered.index(t) != i})
    if dupes:
        warnings.append(f"tasks {', '.join(map(str, dupes))} repeat an earlier task")
    given = [s for s in (shares or []) if s is not None]
    if shares is None or not given:
        even = 100.0 / len(texts)
        warnings.append(f"no time shares given: each of the {len(texts)} tasks counts {even:.1f}%")
        return Role(
            title, tuple(RoleTask(t, even) for t in texts), False, hourly_wage, tuple(warnings)
        )
    if len(given) != len(texts) or len(shares) != len(texts):
        raise InputError(
            f"time shares are given for {len(given)} of {len(texts)} tasks",
            hint="give a share for every task, or for none (then they count equally)",
        )
    values = []
    for i, s in enumerate(given, start=1):
        try:
            v = float(s)
        except (TypeError, ValueError):
            raise InputError(f"the share of task {i} is not a number: {s!r}") from None
        if not 0 < v <= 100:
            raise InputError(f"the share of task {i} is {v:g}%; a share is above 0 and at most 100")
        values.append(v)
    total = sum(values)
    if abs(total - 100.0) > SHARE_TOLERANCE:
        raise InputError(
            f"the time shares sum to {total:g}%, not 100%",
            hint=f"adjust them by {100 - total:+g} points in total, or leave them all out",
        )
    return Role(
        title,
        tuple(RoleTask(t, v * 100.0 / total) for t, v in zip(texts, values, strict=True)),
        True,
        hourly_wage,
        tuple(warnings),
    )


def check_wage(value: Any) -> float | None:
    if value is None:
        return None
    try:
        wage = float(value)
    except (TypeError, ValueError):
        raise InputError(f"the hourly wage is not a number: {value!r}") from None
    if not 0 < wage < 2000:
        raise InputError(f"the hourly wage {wage:g} is outside 0-2,000 dollars an hour")
    return wage


def role_from_mapping(data: Any, *, default_title: str = "") -> Role:
    """A role from parsed YAML/JSON: ``{title, tasks: [text | {task, share}], hourly_wage}``."""
    if not isinstance(data, Mapping):
        raise InputError(
            "a role file holds a mapping with 'title' and 'tasks'",
            hint="e.g.\ntitle: ML engineer\ntasks:\n  - task: Train models\n    share: 60",
        )
    unknown = sorted(set(data) - {"title", "tasks", "hourly_wage", "description"})
    if unknown:
        raise InputError(
            f"unknown field(s) in the role: {', '.join(unknown)}",
            hint="allowed: title, tasks, hourly_wage, description",
        )
    items = data.get("tasks")
    if not isinstance(items, list):
        raise InputError("'tasks' must be a list of tasks", hint="one '- ...' line per task")
    texts: list[str] = []
    shares: list[float | None] = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, Mapping):
            extra = sorted(set(item) - {"task", "text", "share"})
            if extra:
                raise InputError(f"task {i} has unknown field(s) {', '.join(extra)}",
                                 hint="a task has 'task' (or 'text') and an optional 'share'")  # fmt: skip
            texts.append(item.get("task", item.get("text", "")))
            shares.append(item.get("share"))
        else:
            texts.append(item)
            shares.append(None)
    title = data.get("title") or default_title
    return make_role(title, texts, shares, hourly_wage=check_wage(data.get("hourly_wage")))


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"{path} is {len(raw):,} bytes; a role file is at most {MAX_FILE_BYTES:,}")
    if b"\x00" in raw:
        raise InputError(f"{path} is not a text file", hint="give a YAML, JSON or CSV role file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text (byte {exc.start})", hint="save it as UTF-8"
        ) from None


ROLE_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def role_or_query(text: str) -> str | Role:
    """A command-line subject: the role in the file ``text`` names (by its suffix), else
    ``text`` itself, an occupation code or title. A role file that is not there is an error,
    never a title to search for."""
    path = Path(text)
    if path.suffix.lower() not in ROLE_FILE_SUFFIXES:
        return text
    if not path.is_file():
        raise InputError(
            f"no role file {text!r}",
            hint="give an existing .yaml/.json/.csv role file, or an occupation code or title",
        )
    return load_role(path)


def load_role(path: Path, *, title: str | None = None) -> Role:
    """A role from a ``.yaml``/``.yml``, ``.json`` or ``.csv`` file."""
    text = _read_text(path)
    suffix = path.suffix.lower()
    default_title = title or path.stem.replace("_", " ").replace("-", " ")
    if suffix == ".csv":
        return role_from_csv(text, title=default_title, source=str(path))
    try:
        data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else None)
        where = f", line {line}" if line else ""
        raise InputError(f"{path}{where}: not valid {'JSON' if suffix == '.json' else 'YAML'}",
                         hint=str(getattr(exc, "problem", None) or exc).split("\n")[0]) from None  # fmt: skip
    role = role_from_mapping(data, default_title=default_title)
    return role if title is None else make_role(
        title, [t.text for t in role.tasks],
        [t.share for t in role.tasks] if role.shares_given else None,
        hourly_wage=role.hourly_wage,
    )  # fmt: skip


def role_from_csv(text: str, *, title: str, source: str = "the CSV") -> Role:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "task" not in (rows[0].keys() if rows else ()):
        raise InputError(
            f"{source} needs a header row with a 'task' column (and optionally 'share')",
            hint="e.g.\ntask,share\nTrain models,60\nDeploy APIs,40",
        )
    shares = [r.get("share") or None for r in rows]
    return make_role(title, [r.get("task") or "" for r in rows], shares)


_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf>]+|\d+[.)])\s*")
_BOILERPLATE = re.compile(
    r"^(we are|we're|our |about (us|the)|join |benefits|salary|compensation|pay range|"
    r"equal opportunity|apply|location|requirements?:?$|qualifications?:?$|responsibilities:?$|"
    r"what you|who you|you will|you'll have|perks|why )",
    re.IGNORECASE,
)


def tasks_from_job_ad(ad: str) -> list[str]:
    """Task sentences from a pasted job ad: bullets and sentences of 2-40 words, headings,
    company blurbs and benefits dropped.

        >>> tasks_from_job_ad("About us: we sell shoes.\\n- Build data pipelines\\n- Train models")
        ['Build data pipelines', 'Train models']
    """
    if len(ad) > MAX_AD_CHARS:
        raise InputError(f"the job ad is {len(ad):,} characters; the limit is {MAX_AD_CHARS:,}")
    pieces: list[str] = []
    for line in ad.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        pieces.extend(p.strip() for p in re.split(r"(?<=[.!?;])\s+", line))
    out: list[str] = []
    for p in pieces:
        p = p.strip(" .;:")
        words = p.split()
        if not 2 <= len(words) <= 40 or _BOILERPLATE.match(p) or p.endswith("?"):
            continue
        out.append(p[0].upper() + p[1:])
    return list(dict.fromkeys(out))[:MAX_TASKS]


def role_from_job_ad(title: str, ad: str) -> Role:
    tasks = tasks_from_job_ad(ad)
    if not tasks:
        raise InputError(
            "no task sentences found in the job ad",
            hint="paste the responsibilities part, one duty per line or sentence",
        )
    role = make_role(title, tasks)
    return Role(role.title, role.tasks, False, None,
                (f"{len(tasks)} task sentences taken from the job ad", *role.warnings))  # fmt: skip


def role_from_options(title: str, tasks: Iterable[str], shares: Iterable[float] = ()) -> Role:
    """A role from CLI options (``--task`` repeated, optional ``--share`` repeated)."""
    task_list = list(tasks)
    share_list: list[float | None] = list(shares)
    if share_list and len(share_list) != len(task_list):
        raise InputError(
            f"{len(share_list)} --share values for {len(task_list)} --task values",
            hint="give one --share per --task, in the same order, or none",
        )
    return make_role(title, task_list, share_list or None)
