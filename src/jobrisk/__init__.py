"""jobrisk: an open, reproducible AI job-risk index over public evidence.

The Python API returns records, not strings::

    >>> import jobrisk
    >>> card = jobrisk.score("15-2051.00")  # doctest: +SKIP
    >>> card.consensus.exposure_percentile  # doctest: +SKIP
    >>> jobrisk.compare(["15-2051.00", "15-2041.00"]).table()  # doctest: +SKIP
    >>> jobrisk.rank(method="aijri", group="29-0000")[:3]  # doctest: +SKIP

Without ``catalog=``, the functions open the default index (``$JOBRISK_INDEX`` or the user
cache), building it from ``$JOBRISK_DATA_DIR`` (or the user cache) the first time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobrisk.api import Comparison, MethodInfo, OccupationScores, RankedOccupation, RoleScores
    from jobrisk.catalog import Catalog
    from jobrisk.reports import Report
    from jobrisk.roles import Role

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "assess",
    "compare",
    "list_methods",
    "open_catalog",
    "rank",
    "report",
    "score",
]

_DEFAULT: list[Catalog] = []


def open_catalog(data_dir: str | None = None, index: str | None = None) -> Catalog:
    """Open an index (default locations as the CLI), building it first if there is none."""
    from jobrisk.build import build_index, index_is_current
    from jobrisk.catalog import Catalog
    from jobrisk.paths import resolve_locations

    loc = resolve_locations(data_dir, index)
    if not index_is_current(loc.index_path):
        build_index(loc.data_dir, loc.index_path)
    return Catalog.open(loc.index_path)


def _catalog(catalog: Catalog | None) -> Catalog:
    if catalog is not None:
        return catalog
    if not _DEFAULT:
        _DEFAULT.append(open_catalog())
    return _DEFAULT[0]


def score(occupation: str, *, catalog: Catalog | None = None) -> OccupationScores:
    """Every method for one occupation (code, SOC code or title), with the consensus."""
    from jobrisk import api

    return api.score(_catalog(catalog), occupation)


def compare(occupations: list[str], *, catalog: Catalog | None = None) -> Comparison:
    """Two to five occupations side by side."""
    from jobrisk import api

    return api.compare(_catalog(catalog), occupations)


def rank(
    method: str, *, group: str | None = None, catalog: Catalog | None = None, **filters: Any
) -> list[RankedOccupation]:
    """Occupations ranked by one method (see :func:`jobrisk.api.rank` for the filters)."""
    from jobrisk import api

    return api.rank(_catalog(catalog), method, group=group, **filters)


def list_methods() -> list[MethodInfo]:
    """The registered methods with their citations."""
    from jobrisk import api

    return api.list_methods()


def assess(
    role: Role | str, *, matcher: str = "auto", catalog: Catalog | None = None
) -> RoleScores:
    """A custom role (a :class:`~jobrisk.roles.Role` or the path of a role file) with every
    method: its tasks matched to O*NET tasks, predicted or left unmatched, then scored.

        >>> jobrisk.assess("examples/roles/ml-ai-engineer.role.yaml").consensus  # doctest: +SKIP
    """
    from pathlib import Path

    from jobrisk import api
    from jobrisk.roles import load_role

    subject = load_role(Path(role)) if isinstance(role, str) else role
    return api.assess(_catalog(catalog), subject, matcher=matcher)


def report(subject: str | Role, *, matcher: str = "auto", catalog: Catalog | None = None) -> Report:
    """The full report of an occupation (code or title) or a custom role; ``to_dict()`` is
    the JSON the web API serves for it."""
    from jobrisk import api

    return api.report(_catalog(catalog), subject, matcher=matcher)
