"""Request models at the web boundary, and the shareable role link that encodes a form.

A role link carries the whole input in the URL (``/role?d=TOKEN``, TOKEN = urlsafe base64 of
zlib-compressed JSON); nothing a person types is stored on the server.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobrisk.errors import InputError
from jobrisk.roles import MAX_AD_CHARS, MAX_TITLE_CHARS, Role, role_from_job_ad, role_from_options

# A request line longer than ~16 KB is refused by uvicorn's HTTP parser; links stay under it.
MAX_TOKEN_CHARS = 12_000
MAX_DECODED_BYTES = 256 * 1024

Matcher = Literal["auto", "lexical", "semantic"]


class AssessRequest(BaseModel):
    """A custom role: a title and its tasks (optional time shares, percent), or a job ad."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_AD_CHARS)

    title: str = Field(max_length=MAX_TITLE_CHARS, description="The role's title.")
    tasks: list[str] = Field(default_factory=list, description="One duty per item.")
    shares: list[float] | None = Field(
        default=None, description="Percent of the working time per task, summing to 100."
    )
    ad: str | None = Field(default=None, description="A pasted job ad (used when no tasks).")
    matcher: Matcher = "auto"

    def to_role(self) -> Role:
        """The checked role (task count, lengths and shares are checked by :mod:`jobrisk.roles`)."""
        if self.tasks:
            return role_from_options(self.title, self.tasks, self.shares or ())
        if self.ad and self.ad.strip():
            if self.shares:
                raise InputError("shares go with a task list, not with a job ad")
            return role_from_job_ad(self.title, self.ad)
        raise InputError(
            "the role has no tasks and no job ad",
            hint="list the tasks, one per line, or paste the job ad",
        )


def request_from_form(title: str, tasks: str, shares: str, ad: str, matcher: str) -> AssessRequest:
    """An :class:`AssessRequest` from the role form's text fields (one task per line)."""
    task_list = [t.strip() for t in tasks.splitlines() if t.strip()]
    share_list: list[float] | None = None
    if shares.strip():
        share_list = []
        for i, raw in enumerate(re.split(r"[\s,;]+", shares.strip()), start=1):
            try:
                share_list.append(float(raw.rstrip("%")))
            except ValueError:
                raise InputError(
                    f"share {i} is not a number: {raw[:40]!r}",
                    hint="give one number per task (percent of the time), or leave shares empty",
                ) from None
    return validated(
        {
            "title": title,
            "tasks": task_list,
            "shares": share_list,
            "ad": ad or None,
            "matcher": matcher or "auto",
        }
    )


def validated(data: object) -> AssessRequest:
    """The request, or an :class:`InputError` naming each bad field."""
    try:
        return AssessRequest.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(f"the role is not valid: {problems}") from None


def encode_share(req: AssessRequest) -> str | None:
    """The link token for ``req``, or None when the input is too long to fit in a URL."""
    payload = req.model_dump(exclude_none=True, exclude_defaults=True)
    payload["title"] = req.title
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    token = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
    return token if len(token) <= MAX_TOKEN_CHARS else None


def decode_share(token: str) -> AssessRequest:
    """The request a link token encodes; a damaged or oversized token is an InputError."""
    damaged = InputError(
        "this role link is damaged or incomplete",
        hint="copy the whole link again, or fill in the role form",
    )
    if len(token) > MAX_TOKEN_CHARS or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise damaged
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_DECODED_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise damaged
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError):
        raise damaged from None
    return validated(data)
