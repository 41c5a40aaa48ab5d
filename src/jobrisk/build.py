"""Raw public files -> one DuckDB index of tidy tables, written atomically.

    >>> from jobrisk.build import build_index
    >>> result = build_index(Path("../shared/data"), Path("index.duckdb"))  # doctest: +SKIP

The build checks every registered file's sha256 first (a changed file stops it and is
named), reads each source through its loader, joins every signal to O*NET 30.1 tasks and
occupations (:mod:`jobrisk.joins`), and writes a new file beside the target that replaces the
old index only once it is complete, so an interrupted or failed build leaves the previous
index usable. A second build over unchanged files returns at once.
"""

from __future__ import annotations

import glob
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from jobrisk import __version__, joins
from jobrisk.errors import ChecksumMismatchError, DataError, MissingSourceFileError
from jobrisk.joins import Coverage
from jobrisk.sources import anthropic, bls, eloundou, indices, microsoft, onet
from jobrisk.sources.readers import SourceContext
from jobrisk.sources.registry import REGISTRY, FileState, sha256_of

SCHEMA_VERSION = 3  # 2: Frey-Osborne SOC 2000 / OES-only codes mapped (FREY_OSBORNE_CODE_MAP)
# 3: the label model's tables are label_model_features / label_model_params (format 2)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    index_path: Path
    rebuilt: bool
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    coverage: tuple[Coverage, ...] = ()
    changed_files: tuple[str, ...] = ()


def fingerprint(data_dir: Path, *, allow_changed: bool = False) -> tuple[dict[str, str], list[str]]:
    """sha256 of every registered file; raises on a missing file, or a changed one unless allowed."""
    digests: dict[str, str] = {}
    changed: list[str] = []
    for src in REGISTRY:
        for f in src.files:
            p = data_dir / f.path
            if not p.is_file():
                raise MissingSourceFileError(
                    f"missing file {f.path} of source {src.id} ({src.title}) in {data_dir}",
                    hint="run `jobrisk data pull`, or point --data-dir / JOBRISK_DATA_DIR at a copy",
                )
            digest = sha256_of(p)
            if digest != f.sha256:
                if not allow_changed:
                    raise ChecksumMismatchError(
                        f"file {f.path} of source {src.id} is not the published file "
                        f"(sha256 {digest[:12]}..., expected {f.sha256[:12]}...)",
                        hint="restore it with `jobrisk data pull --force`, or build with "
                        "--allow-changed to use it anyway; the previous index is untouched",
                    )
                changed.append(f.path)
            digests[f.path] = digest
    return digests, changed


def read_meta(index_path: Path) -> dict[str, str] | None:
    """The build metadata of an existing index, or None if there is no readable index."""
    if not index_path.is_file():
        return None
    try:
        with duckdb.connect(str(index_path), read_only=True) as con:
            rows = con.execute("select key, value from meta").fetchall()
    except duckdb.Error:
        return None
    return {str(k): str(v) for k, v in rows}


def build_index(
    data_dir: Path,
    index_path: Path,
    *,
    force: bool = False,
    allow_changed: bool = False,
    progress: Progress | None = None,
    parquet_dir: Path | None = None,
    embeddings: bool | None = None,
) -> BuildResult:
    """Build the index at ``index_path`` from the files in ``data_dir`` (see module docstring).

    ``embeddings``: embed every O*NET task for the semantic matcher (the ``semantic`` extra;
    minutes on a small CPU); ``None`` keeps what the current index has (none for a new one).
    """
    started = time.perf_counter()
    report = progress or (lambda step, i, n: None)
    previous = read_meta(index_path)
    with_embeddings = (
        (previous is not None and "task_embedding_model" in previous)
        if embeddings is None
        else embeddings
    )
    if with_embeddings:
        from jobrisk.matching.semantic import SEMANTIC_MISSING, semantic_available

        if not semantic_available():
            raise DataError(f"cannot embed the O*NET tasks: {SEMANTIC_MISSING}")
    n_steps = len(STEPS) + len(MODEL_STEPS) + 2
    report("checking source files (sha256)", 0, n_steps)
    digests, changed = fingerprint(data_dir, allow_changed=allow_changed)
    stamp = json.dumps(
        {
            "schema": SCHEMA_VERSION,
            "version": __version__,
            "files": digests,
            "embeddings": with_embeddings,
        },
        sort_keys=True,
    )
    meta = previous
    if (
        not force
        and meta is not None
        and meta.get("fingerprint") == stamp
        and meta.get("schema_version") == str(SCHEMA_VERSION)
    ):
        if parquet_dir is not None:
            export_parquet(index_path, parquet_dir)
        return BuildResult(index_path, False, time.perf_counter() - started)

    ctx = SourceContext(data_dir, allow_changed=allow_changed, verified=True)
    tables: dict[str, pd.DataFrame] = {}
    coverage: list[Coverage] = []
    for i, (label, step) in enumerate(STEPS, start=1):
        report(label, i, n_steps)
        coverage.extend(step(ctx, tables))
    for j, (label, model_step) in enumerate(MODEL_STEPS, start=len(STEPS) + 1):
        report(label, j, n_steps)

        def sub(done: int, total: int, label: str = label, j: int = j) -> None:
            report(f"{label} ({done:,}/{total:,})", j, n_steps)

        model_step(tables, with_embeddings, sub)

    report("writing the index", n_steps - 1, n_steps)
    tables["coverage"] = pd.DataFrame([asdict(c) for c in coverage])
    tables["sources"] = pd.DataFrame(
        [
            {
                "source_id": s.id,
                "title": s.title,
                "citation": s.citation,
                "upstream": s.upstream,
                "version": s.version,
                "license": s.license,
                "attribution": s.attribution,
                "derived": s.is_derived,
            }
            for s in REGISTRY
        ]
    )
    tables["source_files"] = pd.DataFrame(
        [
            {
                "source_id": s.id,
                "path": f.path,
                "bytes": f.bytes,
                "sha256": digests[f.path],
                "state": (FileState.CHANGED if f.path in changed else FileState.VERIFIED).value,
            }
            for s in REGISTRY
            for f in s.files
        ]
    )
    meta_rows = {
        "schema_version": str(SCHEMA_VERSION),
        "jobrisk_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir.resolve()),
        "fingerprint": stamp,
        "changed_files": ",".join(changed),
        **({"task_embedding_model": EMBEDDING_MODEL} if "task_embeddings" in tables else {}),
    }
    tables["meta"] = pd.DataFrame({"key": list(meta_rows), "value": list(meta_rows.values())})
    _write_atomically(index_path, tables)
    if parquet_dir is not None:
        export_parquet(index_path, parquet_dir)
    report("done", n_steps, n_steps)
    return BuildResult(
        index_path,
        True,
        time.perf_counter() - started,
        {name: len(frame) for name, frame in tables.items()},
        tuple(coverage),
        tuple(changed),
    )


def _remove_stale_temps(index_path: Path) -> None:
    """Delete ``.<index>.<pid>.tmp`` (and its ``.wal``) left by a build whose process is gone.

    A killed build cannot clean up after itself; a temp file of a live process (another build
    writing now) is left alone.
    """
    prefix = f".{index_path.name}."
    for stale in index_path.parent.glob(f"{glob.escape(prefix)}*.tmp*"):
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
            stale.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would terminate it there; keep the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def _write_atomically(index_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    index_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(index_path)
    tmp = index_path.with_name(f".{index_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(tmp)) as con:
            for name, frame in tables.items():
                con.register("frame", frame)
                con.execute(f'create table "{name}" as select * from frame')
                con.unregister("frame")
            for sql in VIEWS:
                con.execute(sql)
            con.execute("checkpoint")
        os.replace(tmp, index_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise


def export_parquet(index_path: Path, out_dir: Path) -> list[Path]:
    """Write every table of the index as ``out_dir/<table>.parquet``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(index_path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        for name in names:
            target = out_dir / f"{name}.parquet"
            con.execute(f"copy \"{name}\" to '{target.as_posix()}' (format parquet)")
            written.append(target)
    return written


# --- build steps: each reads its sources into `tables` and returns coverage rows ---------

Tables = dict[str, pd.DataFrame]


def _step_onet(ctx: SourceContext, t: Tables) -> list[Coverage]:
    occ = onet.occupations(ctx)
    t["soc_groups"] = onet.soc_groups(ctx)
    t["occupation_titles"] = onet.titles(ctx)
    t["tasks"] = onet.tasks(ctx)
    t["task_dwas"], t["dwa_reference"] = onet.dwas(ctx)
    t["skills_knowledge"] = onet.skills_knowledge(ctx)
    t["related_occupations"] = onet.related_occupations(ctx)
    t["technology_skills"] = onet.technology_skills(ctx)
    t["emerging_tasks"] = onet.emerging_tasks(ctx)
    t["job_zone_reference"] = onet.job_zone_reference(ctx)
    t["onet_crosswalk_2010_2019"] = onet.onet_crosswalk_2010_2019(ctx)
    codes_with_tasks = set(t["tasks"]["code"])
    occ["has_tasks"] = occ["code"].isin(codes_with_tasks)
    t["occupations"] = occ
    rated = int((t["tasks"]["weight_source"] == "task ratings").sum())
    no_hier = int(occ["minor_code"].isna().sum())
    return [
        Coverage(
            "onet_30_1",
            "occupations",
            len(occ),
            len(occ) - no_hier,
            no_hier,
            f"{len(codes_with_tasks)} with tasks; {int(occ['job_zone'].isna().sum())} without a job zone",
        ),
        Coverage(
            "onet_task_ratings_derived",
            "tasks (time weights)",
            len(t["tasks"]),
            rated,
            len(t["tasks"]) - rated,
            "tasks whose occupation is fully rated use ratings; others core=2/supplemental=1",
        ),
        Coverage(
            "onet_30_1",
            "task_dwas",
            len(t["task_dwas"]),
            int(t["task_dwas"]["dwa_id"].isin(t["dwa_reference"]["dwa_id"]).sum()),
            int((~t["task_dwas"]["dwa_id"].isin(t["dwa_reference"]["dwa_id"])).sum()),
        ),
    ]


def _step_bls(ctx: SourceContext, t: Tables) -> list[Coverage]:
    wages = bls.oews(ctx)
    proj = bls.projections(ctx)
    t["oews"] = wages
    t["projections"] = proj
    t["soc_crosswalk_2010_2018"] = bls.soc_crosswalk_2010_2018(ctx)
    occ = t["occupations"]
    latest = int(wages["year"].max())
    w = wages[wages["year"] == latest].drop_duplicates("soc_code").set_index("soc_code")
    broad = occ["broad_code"].fillna(occ["soc_code"].str[:6] + "0")
    detailed_hit = occ["soc_code"].isin(w.index)
    broad_hit = ~detailed_hit & broad.isin(w.index)
    key = occ["soc_code"].where(detailed_hit, broad)
    picked = w.reindex(key)
    occ["wage_year"] = latest
    occ["wage_soc_code"] = key.where(detailed_hit | broad_hit)
    occ["wage_match"] = (
        pd.Series("missing", index=occ.index)
        .mask(broad_hit, "broad group")
        .mask(detailed_hit, "detailed")
    )
    for col in (
        "employment",
        "annual_median_wage",
        "hourly_median_wage",
        "annual_mean_wage",
        "wage_topcoded",
    ):
        occ[col] = picked[col].to_numpy()
    occ["onet_codes_sharing_soc"] = occ.groupby("soc_code")["code"].transform("size")
    p = proj[proj["row_type"] == "Line item"].drop_duplicates("soc_code").set_index("soc_code")
    p_hit = occ["soc_code"].isin(p.index)
    pp = p.reindex(occ["soc_code"])
    for col, name in (
        ("employment_2034", "projected_employment_2034"),
        ("change_pct_2024_34", "projected_change_pct_2024_34"),
        ("annual_openings", "projected_annual_openings"),
        ("entry_education", "entry_education"),
    ):
        occ[name] = pp[col].to_numpy()
    occ["projection_match"] = p_hit.map({True: "detailed", False: "missing"})
    t["occupations"] = occ
    covs = []
    for year, part in wages.groupby("year"):
        det = part[part["level"] == "detailed"]
        hit = int(det["soc_code"].isin(occ["soc_code"]).sum())
        covs.append(
            Coverage(
                "bls" if year != 2021 else "eloundou_2023",
                f"oews {year}",
                len(part),
                hit,
                len(det) - hit,
                "detailed SOC rows that reach an O*NET occupation",
            )
        )
    covs.append(
        Coverage(
            "bls",
            f"occupations: wages May {latest}",
            len(occ),
            int((detailed_hit | broad_hit).sum()),
            int((~(detailed_hit | broad_hit)).sum()),
            f"{int(detailed_hit.sum())} on their detailed SOC, {int(broad_hit.sum())} on the broad group",
        )
    )
    items = proj[proj["row_type"] == "Line item"]
    hit = int(items["soc_code"].isin(occ["soc_code"]).sum())
    covs.append(
        Coverage(
            "bls",
            "projections 2024-34",
            len(items),
            hit,
            len(items) - hit,
            f"{int(p_hit.sum())} of {len(occ)} O*NET occupations have a projection",
        )
    )
    return covs


def _step_eloundou(ctx: SourceContext, t: Tables) -> list[Coverage]:
    labels = eloundou.task_labels(ctx)
    linked, cov = joins.link_eloundou(labels, t["tasks"])
    t["task_exposure_labels"] = linked
    t["eloundou_occ_level"] = eloundou.occupation_scores(ctx)
    return [cov]


def _step_anthropic(ctx: SourceContext, t: Tables) -> list[Coverage]:
    v1 = anthropic.v1_task_statements(ctx)
    links = joins.link_v1_statements(v1, t["tasks"], t["onet_crosswalk_2010_2019"])
    t["legacy_tasks"] = v1.merge(
        links.drop(columns="task_key"), on=["code_v1", "task_id_v1"], how="left"
    )
    t["legacy_tasks"]["source_id"] = anthropic.V1
    usage = anthropic.usage(ctx)
    t["anthropic_task_pct"] = usage
    alloc, covs = joins.allocate_usage(usage, v1, links, t["tasks"])
    t["task_usage"] = alloc
    t["task_modes"] = anthropic.modes(ctx)
    t["anthropic_v1_modes"] = anthropic.v1_modes(ctx)
    pen, pen_cov = joins.link_penetration(anthropic.task_penetration(ctx), t["tasks"], links)
    t["task_penetration"] = pen
    link_counts = (
        t["legacy_tasks"].drop_duplicates(["code_v1", "task_id_v1"])["link"].value_counts()
    )
    covs.insert(
        0,
        Coverage(
            anthropic.V1,
            "legacy_tasks (O*NET 20.1 statements)",
            len(v1),
            len(v1) - int(link_counts.get("unmatched", 0)),
            int(link_counts.get("unmatched", 0)),
            ", ".join(f"{k} {int(v)}" for k, v in link_counts.items()),
        ),
    )
    modes = t["task_modes"]
    for (rel, plat), part in modes.groupby(["release", "platform"], sort=False):
        hit = int(
            part["task_key"]
            .isin(set(usage[(usage["release"] == rel) & (usage["platform"] == plat)]["task_key"]))
            .sum()
        )
        covs.append(
            Coverage(
                joins.source_of_release(str(rel)),
                f"task_modes {rel} {plat}",
                len(part),
                hit,
                len(part) - hit,
                "task texts with a usage share in the same release",
            )
        )
    return [*covs, pen_cov]


def _step_microsoft(ctx: SourceContext, t: Tables) -> list[Coverage]:
    t["iwa_metrics"] = microsoft.iwa_metrics(ctx)
    t["ms_soc_to_iwas"] = microsoft.soc_to_iwas(ctx)
    t["ms_soc_iwa_weights"] = microsoft.soc_iwa_weights(ctx)
    t["ms_applicability_published"] = microsoft.applicability_scores(ctx)
    t["task_physical"] = microsoft.physical_tasks(ctx)
    ref = t["dwa_reference"][["dwa_id", "iwa_id"]]
    task_iwas = t["task_dwas"].merge(ref, on="dwa_id", how="left")
    t["task_iwas"] = task_iwas
    known = set(t["iwa_metrics"]["iwa_id"])
    n_tasks = t["tasks"][["code", "task_id"]].drop_duplicates()
    reached = task_iwas[task_iwas["iwa_id"].isin(known)][["code", "task_id"]].drop_duplicates()
    hit = len(n_tasks.merge(reached))
    soc_hit = int(
        t["ms_applicability_published"]["soc_code"].isin(t["occupations"]["soc_code"]).sum()
    )
    return [
        Coverage(
            microsoft.MICROSOFT,
            "task_iwas (tasks -> DWAs -> IWAs with metrics)",
            len(n_tasks),
            hit,
            len(n_tasks) - hit,
        ),
        Coverage(
            microsoft.MICROSOFT,
            "ms_applicability_published (SOC 2018)",
            len(t["ms_applicability_published"]),
            soc_hit,
            len(t["ms_applicability_published"]) - soc_hit,
        ),
        Coverage(
            microsoft.MICROSOFT,
            "task_physical",
            len(t["task_physical"]),
            int(t["task_physical"]["task_id"].isin(t["tasks"]["task_id"]).sum()),
            int((~t["task_physical"]["task_id"].isin(t["tasks"]["task_id"])).sum()),
        ),
    ]


def _step_measures(ctx: SourceContext, t: Tables) -> list[Coverage]:
    occ = t["occupations"]
    targets = occ["code"]
    onet_direct = pd.DataFrame({"src_code": occ["code"], "code": occ["code"]})
    soc18 = joins.soc_to_onet(occ)
    xw = t["soc_crosswalk_2010_2018"].rename(
        columns={"soc_2010": "src_code", "soc_2018": "soc_code"}
    )
    soc10 = xw.merge(soc18.rename(columns={"src_code": "soc_code"}), on="soc_code")[
        ["src_code", "code"]
    ]
    onet10 = t["onet_crosswalk_2010_2019"].rename(
        columns={"code_2010": "src_code", "code_2019": "code"}
    )
    frames, covs = [], []

    def add(
        values: pd.DataFrame,
        mapping: pd.DataFrame,
        source_id: str,
        taxonomy: str,
        measures: dict[str, str],
    ) -> None:
        f, c = joins.crosswalk_measure(
            values, mapping, targets, source_id=source_id, taxonomy=taxonomy, measures=measures
        )
        frames.append(f)
        covs.extend(c)

    e = t["eloundou_occ_level"].rename(columns={"code": "src_code"})
    add(
        e,
        onet_direct,
        "eloundou_2023",
        "O*NET-SOC 2019",
        {
            f"{r}_{k}": f"eloundou_{'gpt4' if r == 'dv_rating' else 'human'}_{k}"
            for r in ("human_rating", "dv_rating")
            for k in ("alpha", "beta", "gamma")
        },
    )
    obs = anthropic.observed_exposure(ctx).rename(columns={"soc_code": "src_code"})
    add(
        obs,
        soc18,
        anthropic.LABOR,
        "SOC 2018",
        {"observed_exposure": "anthropic_observed_exposure"},
    )
    ms = t["ms_applicability_published"].rename(columns={"soc_code": "src_code"})
    add(
        ms,
        soc18,
        microsoft.MICROSOFT,
        "SOC 2018",
        {"ai_applicability_score": "microsoft_ai_applicability"},
    )
    a = indices.aioe(ctx).rename(columns={"soc_2010": "src_code"})
    t["aioe_published"] = a.rename(columns={"src_code": "soc_2010"})
    add(
        a,
        soc10,
        indices.AIOE,
        "SOC 2010",
        {
            "aioe": "aioe",
            "aioe_language_modeling": "aioe_language_modeling",
            "aioe_image_generation": "aioe_image_generation",
        },
    )
    fo = indices.frey_osborne(ctx).rename(columns={"soc_2010": "src_code"})
    t["frey_osborne_published"] = fo.rename(columns={"src_code": "soc_2010"})
    add(fo, soc10, indices.FREY_OSBORNE, "SOC 2010", {"probability": "frey_osborne_probability"})
    w = indices.webb(ctx).rename(columns={"code_2010": "src_code"})
    t["webb_published"] = w.rename(columns={"src_code": "code_2010"})
    add(
        w,
        onet10,
        indices.WEBB,
        "O*NET-SOC 2010",
        {"webb_ai": "webb_ai", "webb_software": "webb_software", "webb_robot": "webb_robot"},
    )
    t["schaal_comparison"] = indices.schaal(ctx)
    t["occupation_measures"] = pd.concat(frames, ignore_index=True)
    sc = t["schaal_comparison"]
    hit = int(sc["code"].isin(targets).sum())
    covs.append(Coverage(indices.SCHAAL, "schaal_comparison", len(sc), hit, len(sc) - hit))
    return covs


STEPS: tuple[tuple[str, Callable[[SourceContext, Tables], list[Coverage]]], ...] = (
    ("O*NET 30.1: occupations, tasks, titles, skills", _step_onet),
    ("BLS: employment, wages, projections", _step_bls),
    ("Eloundou et al.: task exposure labels", _step_eloundou),
    ("Anthropic Economic Index: usage, modes, penetration", _step_anthropic),
    ("Microsoft Working with AI: IWA metrics", _step_microsoft),
    ("Occupation measures: crosswalks to O*NET-SOC 2019", _step_measures),
)

VIEWS = (
    """create view task_iwa_metrics as
       select ti.code, ti.task_id, ti.dwa_id, m.*
       from task_iwas ti join iwa_metrics m using (iwa_id)""",
)


def index_is_current(index_path: Path) -> bool:
    """An index exists and has the schema this jobrisk reads (else it must be (re)built)."""
    meta = read_meta(index_path)
    return meta is not None and meta.get("schema_version") == str(SCHEMA_VERSION)


def require_index(index_path: Path) -> dict[str, str]:
    """The metadata of a usable index, or a DataError that says how to build one."""
    meta = read_meta(index_path)
    if meta is None:
        raise DataError(f"no index at {index_path}", hint="build it with `jobrisk build`")
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise DataError(
            f"the index at {index_path} has schema {meta.get('schema_version')}, this jobrisk "
            f"reads schema {SCHEMA_VERSION}",
            hint="rebuild it with `jobrisk build --force`",
        )
    return meta


# --- models: trained or embedded from the tables above, stored in the index -------------

EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
ModelStep = Callable[[Tables, bool, Callable[[int, int], None]], None]


def _model_label_model(t: Tables, with_embeddings: bool, sub: Callable[[int, int], None]) -> None:
    from jobrisk.matching.labels import label_model_tables

    t.update(label_model_tables(t["task_exposure_labels"]))


def _model_embeddings(t: Tables, with_embeddings: bool, sub: Callable[[int, int], None]) -> None:
    if not with_embeddings:
        return
    from jobrisk.matching.semantic import task_embedding_table

    t["task_embeddings"] = task_embedding_table(t["tasks"], progress=sub)


MODEL_STEPS: tuple[tuple[str, ModelStep], ...] = (
    ("training the task label model", _model_label_model),
    ("embedding O*NET tasks for semantic matching", _model_embeddings),
)
