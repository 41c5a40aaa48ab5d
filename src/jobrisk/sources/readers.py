"""Reading registered files into DataFrames, with errors that name the file and the line.

Every loader goes through :func:`read_table`, so a missing column, a row with the wrong number
of fields or a value that is not a number stops the build with
:class:`~jobrisk.errors.MalformedSourceError` naming the file, the line and the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jobrisk.errors import ChecksumMismatchError, MalformedSourceError
from jobrisk.sources.registry import get_source, require_file


@dataclass(frozen=True)
class SourceContext:
    """Where the files are, and whether a changed file may still be read (``--allow-changed``).

    ``verified`` says the caller already checked every file's sha256 (the build does, once, in
    :func:`jobrisk.build.fingerprint`), so reading a file does not hash it again.
    """

    data_dir: Path
    allow_changed: bool = False
    verified: bool = False

    def path(self, source_id: str, name: str) -> Path:
        if self.verified:
            return self.data_dir / get_source(source_id).file(name).path
        try:
            return require_file(self.data_dir, source_id, name)
        except ChecksumMismatchError:
            if not self.allow_changed:
                raise
            return self.data_dir / get_source(source_id).file(name).path


_LINE = re.compile(r"line (\d+)")
# "EOF inside string starting at row N": pandas counts that row from 0 with the header as row 0
_ROW = re.compile(r"starting at row (\d+)")


def _parser_line(message: str) -> int | None:
    """The line (header = 1) a pandas ParserError message points at, if it names one."""
    if m := _LINE.search(message):
        return int(m.group(1))
    if m := _ROW.search(message):
        return int(m.group(1)) + 1
    return None


def read_table(
    ctx: SourceContext,
    source_id: str,
    name: str,
    *,
    columns: Sequence[str],
    numeric: Sequence[str] = (),
    sheet: str | int = 0,
    header_row: int = 0,
    sep: str = ",",
    index_col: int | None = None,
    encoding: str = "utf-8-sig",
    thousands: str | None = None,
    dtype: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read one registered CSV, TSV or Excel file and check it.

    ``columns`` must all be present; ``numeric`` columns must parse as numbers (empty cells
    are allowed and become NaN). Line numbers in errors count the header as line 1 (for Excel,
    the spreadsheet row).
    """
    path = ctx.path(source_id, name)
    rel = f"{source_id}/{name}"
    try:
        if path.suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name=sheet, engine="calamine", header=header_row)
        else:
            frame = pd.read_csv(
                path,
                sep=sep,
                index_col=index_col,
                encoding=encoding,
                thousands=thousands,
                dtype=dtype,
                keep_default_na=True,
            )
    except pd.errors.ParserError as exc:
        raise MalformedSourceError(
            rel, _parser_line(str(exc)), str(exc).strip(), source_id=source_id
        ) from exc
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise MalformedSourceError(
            rel, None, f"cannot be read: {exc}", source_id=source_id
        ) from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MalformedSourceError(
            rel,
            header_row + 1,
            f"missing column(s) {missing}; found {list(frame.columns)[:12]}",
            source_id=source_id,
        )
    first_line = header_row + 2
    for col in numeric:
        raw = frame[col]
        if pd.api.types.is_numeric_dtype(raw):
            continue
        text = raw.astype("string").str.strip()
        if thousands:
            text = text.str.replace(thousands, "", regex=False)
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & text.notna() & (text != "")
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise MalformedSourceError(
                rel,
                first_line + pos,
                f"column {col!r} should be a number, found {str(raw.iloc[pos])!r}",
                source_id=source_id,
            )
        frame[col] = values
    return frame


def text_key(text: pd.Series) -> pd.Series:
    """The join key for task text: lower-cased and stripped (METHODS 1, Anthropic joins)."""
    return text.astype("string").str.lower().str.strip()
