"""The report of one occupation or custom role: every section, built from :mod:`jobrisk.api`.

Rendering only reads a :class:`Report`; nothing in a renderer computes a number. The JSON of a
report (:meth:`Report.to_dict`) is the JSON of an occupation in the web API, so its keys are
stable and documented in ``docs/reports.md``; change them only with
:data:`REPORT_SCHEMA_VERSION`.

    >>> report = build_report(cat, "15-2051.00")  # doctest: +SKIP
    >>> report.profile.title, report.consensus.exposure_percentile  # doctest: +SKIP
    ('Data Scientists', 78.2...)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jobrisk import api
from jobrisk.catalog import Catalog, SourceInfo
from jobrisk.methods import REGISTRY, Explanation
from jobrisk.methods.base import opt_float
from jobrisk.render_scores import ONET_ATTRIBUTION, fmt_value
from jobrisk.reports.records import (
    REPORT_SCHEMA_VERSION,
    AijriInput,
    AijriSection,
    ComparableJobRow,
    ComparableSection,
    ConsensusSection,
    CostSection,
    DisagreementSection,
    DisagreementTask,
    Profile,
    Report,
    ScoreCard,
    Source,
    TaskOutlook,
    TaskRef,
    TaskRow,
    TaskTable,
)
from jobrisk.role_evidence import MATCHED, UNMATCHED
from jobrisk.roles import Role, load_role

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "AijriInput",
    "AijriSection",
    "ComparableJobRow",
    "ComparableSection",
    "ConsensusSection",
    "CostSection",
    "DisagreementSection",
    "DisagreementTask",
    "Profile",
    "Report",
    "ScoreCard",
    "Source",
    "TaskOutlook",
    "TaskRef",
    "TaskRow",
    "TaskTable",
    "build_report",
    "report_for_role",
]

COMPARABLE_LIMIT = 10
COMPARABLE_METHOD = "consensus"
OUTLOOK_SIZE = 5
AI_CELLS = ("Replaceable", "AI-augmented")
HUMAN_CELLS = ("Human-critical", "Human-led + AI-assisted")
PROFILE_SOURCES = ("onet_30_1", "bls")
TASK_SOURCES = (
    "onet_30_1",
    "eloundou_2023",
    "anthropic_economic_index/release_2025_03_27",
    "anthropic_economic_index/labor_market_impacts",
)


# --- building ----------------------------------------------------------------------------


def build_report(
    cat: Catalog, query_or_role: str | Path | Role, *, matcher: str = "auto"
) -> Report:
    """The report of an occupation (code, SOC code or title) or a custom role.

    A :class:`~pathlib.Path` is read as a role file (YAML, JSON or CSV); ``matcher`` applies
    to custom roles only.

        >>> build_report(cat, "Data Scientists").profile.code  # doctest: +SKIP
        '15-2051.00'
    """
    if isinstance(query_or_role, Path):
        query_or_role = load_role(query_or_role)
    if isinstance(query_or_role, Role):
        return report_for_role(cat, api.assess(cat, query_or_role, matcher=matcher))
    return report_for_occupation(cat, api.score(cat, query_or_role))


def report_for_occupation(cat: Catalog, card: api.OccupationScores) -> Report:
    """The report of an already scored occupation."""
    occ = card.occupation
    profile = Profile(
        kind="occupation",
        code=occ.code,
        title=occ.title,
        description=occ.description,
        soc_code=occ.soc_code,
        major_code=occ.major_code,
        major_title=occ.major_title,
        minor_code=occ.minor_code,
        minor_title=occ.minor_title,
        broad_code=occ.broad_code,
        broad_title=occ.broad_title,
        job_zone=occ.job_zone,
        employment=occ.employment,
        annual_median_wage=occ.annual_median_wage,
        hourly_median_wage=occ.hourly_median_wage,
        wage_topcoded=occ.wage_topcoded,
        wage_year=occ.wage_year,
        projected_change_pct_2024_34=occ.projected_change_pct_2024_34,
        projected_annual_openings=occ.projected_annual_openings,
        entry_education=occ.entry_education,
        matcher=None,
        best_match_code=None,
        best_match_title=None,
        notes=_profile_notes(occ.wage_match, occ.onet_codes_sharing_soc, occ.soc_code),
        sources=PROFILE_SOURCES,
    )
    explanations = {e.method: e for e in card.explanations}
    rows = _occupation_task_rows(cat, occ.code, explanations)
    weight = cat.tasks(occ.code)[0].weight_source if occ.has_tasks else None
    notes = () if rows else ("O*NET 30.1 lists no tasks for this occupation",)
    table = TaskTable(rows, weight, notes, _task_sources())
    return _assemble(cat, profile, card.consensus, explanations, table, occ.code, ())


def report_for_role(cat: Catalog, result: api.RoleScores) -> Report:
    """The report of an assessed custom role."""
    role = result.role
    best_code = _best_match(result)
    best_title = cat.occupation(best_code).title if best_code else None
    profile = Profile(
        kind="custom_role",
        code=result.code,
        title=role.title,
        description=f"A custom role described by {len(role.tasks)} task(s) in its own words"
        + ("" if role.shares_given else ", each given an equal share of the time")
        + ".",
        soc_code=None,
        major_code=None,
        major_title=None,
        minor_code=None,
        minor_title=None,
        broad_code=None,
        broad_title=None,
        job_zone=None,
        employment=None,
        annual_median_wage=None,
        hourly_median_wage=role.hourly_wage,
        wage_topcoded=False,
        wage_year=None,
        projected_change_pct_2024_34=None,
        projected_annual_openings=None,
        entry_education=None,
        matcher=result.matcher,
        best_match_code=best_code,
        best_match_title=best_title,
        notes=tuple(result.notes),
        sources=("onet_30_1",),
    )
    explanations = {e.method: e for e in result.explanations}
    by_text = _details_by_text(explanations)
    rows = []
    for m in result.matches:
        aj, tm = by_text.get(m.text, ({}, {}))
        rows.append(
            TaskRow(
                number=m.index,
                task_id=None,
                task=m.text,
                time_share=m.share / 100.0,
                exposure=m.e_label,
                exposure_source=m.label_source,
                automation=m.t_label,
                observed_use=_opt_bool(aj.get("observed_use")),
                usage_share=None,
                penetration=None,
                matrix_cell=_opt_text(tm.get("cell")),
                aijri_score=_opt_int(aj.get("score")),
                aijri_label=_opt_text(aj.get("label")),
                match_status=m.status,
                match_confidence=m.confidence,
                matched_task=m.best.task if m.best else None,
                matched_code=m.best.code if m.best else None,
            )
        )
    weight = "as given" if role.shares_given else "equal shares (none given)"
    table = TaskTable(tuple(rows), weight, (), ("onet_30_1", *_task_sources()))
    return _assemble(
        cat, profile, result.consensus, explanations, table, best_code, tuple(result.notes)
    )


def _assemble(
    cat: Catalog,
    profile: Profile,
    consensus: Any,
    explanations: Mapping[str, Explanation],
    table: TaskTable,
    comparable_code: str | None,
    notes: tuple[str, ...],
) -> Report:
    scores = tuple(_card(m) for m in consensus.methods)
    sections_sources: list[Iterable[str]] = [profile.sources, table.sources]
    sections_sources += [c.sources for c in scores]
    consensus_section = _consensus(consensus)
    aijri_section = _aijri(explanations.get("aijri"))
    cost_section = _cost(explanations.get("ai_cost_per_task_hour"))
    comparable = _comparable(cat, comparable_code, profile.kind)
    outlook = _outlook(explanations, table)
    for s in (consensus_section, aijri_section, cost_section, comparable, outlook):
        sections_sources.append(s.sources)
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        kind=profile.kind,
        code=profile.code,
        title=profile.title,
        profile=profile,
        scores=scores,
        consensus=consensus_section,
        tasks=table,
        outlook=outlook,
        aijri=aijri_section,
        cost=cost_section,
        comparable=comparable,
        sources=_sources(cat, sections_sources),
        attribution=ONET_ATTRIBUTION,
        notes=notes,
    )


def _profile_notes(wage_match: str, sharing: int, soc: str) -> tuple[str, ...]:
    notes = []
    if wage_match == "missing":
        notes.append("no BLS employment or wage line for this occupation")
    elif wage_match != "detailed":
        notes.append(f"employment and wage are BLS's {wage_match} line for SOC {soc}")
    if sharing > 1:
        notes.append(
            f"BLS reports SOC {soc} as one line, shared by {sharing} O*NET occupations: "
            "employment and wage are that line's"
        )
    return tuple(notes)


def _card(m: Any) -> ScoreCard:
    method = REGISTRY.get(m.method)
    return ScoreCard(
        method=m.method,
        title=m.title,
        family=m.family,
        value=m.value,
        display=fmt_value(m),
        unit=m.unit,
        direction=m.direction,
        percentile=m.percentile,
        exposure_percentile=m.exposure_percentile,
        zone=m.label,
        in_consensus=m.in_consensus,
        note=m.note,
        citation=method.citation if method else "",
        sources=tuple(method.source_ids) if method else (),
    )


def _consensus(c: Any) -> ConsensusSection:
    names = tuple(m.method for m in c.methods if m.in_consensus)
    titles = {m.method: m.title for m in c.methods}
    d = c.disagreement
    disagreement = (
        None
        if d is None
        else DisagreementSection(
            method_a=d.method_a,
            title_a=titles.get(d.method_a, d.method_a),
            percentile_a=d.percentile_a,
            method_b=d.method_b,
            title_b=titles.get(d.method_b, d.method_b),
            percentile_b=d.percentile_b,
            gap=d.gap,
            summary=d.summary,
            tasks=tuple(
                DisagreementTask(t.task, t.time_share, t.score_a, t.score_b) for t in d.tasks
            ),
        )
    )
    return ConsensusSection(
        exposure_percentile=c.exposure_percentile,
        low=c.low,
        high=c.high,
        with_human_labels=c.with_human_labels,
        with_gpt4_labels=c.with_gpt4_labels,
        bootstrap_low=c.bootstrap_low,
        bootstrap_high=c.bootstrap_high,
        spread=c.spread,
        n_methods=c.n_methods,
        methods=names,
        summary=c.summary,
        disagreement=disagreement,
        sources=_method_sources(names),
    )


def _method_sources(names: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for n in names:
        if n in REGISTRY:
            out.update(dict.fromkeys(REGISTRY[n].source_ids))
    return tuple(out)


def _task_sources() -> tuple[str, ...]:
    return tuple(dict.fromkeys((*TASK_SOURCES, *_method_sources(["task_matrix", "aijri"]))))


def _occupation_task_rows(
    cat: Catalog, code: str, explanations: Mapping[str, Explanation]
) -> tuple[TaskRow, ...]:
    aj = _details_by_id(explanations.get("aijri"))
    tm = _details_by_id(explanations.get("task_matrix"))
    rows = []
    for i, t in enumerate(cat.tasks(code), start=1):
        a = aj.get(t.task_id, {})
        exposure, source = (
            (t.human_e, "human") if t.human_e else (t.gpt4_e, "GPT-4" if t.gpt4_e else None)
        )
        observed = _opt_bool(a.get("observed_use"))
        if observed is None and (t.usage_share is not None or t.penetration is not None):
            observed = bool((t.usage_share or 0) > 0 or (t.penetration or 0) > 0)
        rows.append(
            TaskRow(
                number=i,
                task_id=t.task_id,
                task=t.task,
                time_share=t.time_share,
                exposure=exposure,
                exposure_source=source,
                automation=t.human_t or t.gpt4_t,
                observed_use=observed,
                usage_share=t.usage_share,
                penetration=t.penetration,
                matrix_cell=_opt_text(tm.get(t.task_id, {}).get("cell")),
                aijri_score=_opt_int(a.get("score")),
                aijri_label=_opt_text(a.get("label")),
                match_status=None,
                match_confidence=None,
                matched_task=None,
                matched_code=None,
            )
        )
    return tuple(rows)


def _details_by_id(e: Explanation | None) -> dict[int, dict[str, Any]]:
    if e is None:
        return {}
    return {t.task_id: t.detail for t in e.tasks if t.task_id is not None}


def _details_by_text(
    explanations: Mapping[str, Explanation],
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    aj = {t.task: t.detail for t in getattr(explanations.get("aijri"), "tasks", ())}
    tm = {t.task: t.detail for t in getattr(explanations.get("task_matrix"), "tasks", ())}
    return {k: (aj.get(k, {}), tm.get(k, {})) for k in set(aj) | set(tm)}


def _best_match(result: api.RoleScores) -> str | None:
    weight: dict[str, float] = {}
    for status in (MATCHED, None):
        for m in result.matches:
            if m.best is None or m.status == UNMATCHED or (status and m.status != status):
                continue
            weight[m.best.code] = weight.get(m.best.code, 0.0) + m.share * m.confidence
        if weight:
            return max(weight, key=lambda c: weight[c])
    return None


def _outlook(explanations: Mapping[str, Explanation], table: TaskTable) -> TaskOutlook:
    risk = explanations.get("risk_index")
    inputs = risk.inputs if risk is not None else {}
    auto = [TaskRef(_task_id(i), str(t)) for i, t in inputs.get("most_automatable") or ()]
    keep = [TaskRef(_task_id(i), str(t)) for i, t in inputs.get("will_remain") or ()]
    if auto or keep:
        return TaskOutlook(
            tuple(auto[:OUTLOOK_SIZE]),
            tuple(keep[:OUTLOOK_SIZE]),
            "AI job risk index (baseline): tasks within reach of automation now or by the "
            "projection year, and tasks out of reach",
            _method_sources(["risk_index"]),
        )
    ranked = sorted(table.rows, key=lambda r: -r.time_share)
    auto = [TaskRef(r.task_id, r.task) for r in ranked if r.matrix_cell in AI_CELLS]
    keep = [TaskRef(r.task_id, r.task) for r in ranked if r.matrix_cell in HUMAN_CELLS]
    return TaskOutlook(
        tuple(auto[:OUTLOOK_SIZE]),
        tuple(keep[:OUTLOOK_SIZE]),
        "the risk index names no task here, so the task matrix's cells are used: "
        "Replaceable and AI-augmented tasks, then Human-critical and Human-led ones, "
        "largest time share first",
        _method_sources(["task_matrix"]),
    )


def _aijri(e: Explanation | None) -> AijriSection:
    from jobrisk import aijri
    from jobrisk.methods.aijri_derived import build_assessment
    from jobrisk.methods.aijri_rules import GIVEN, INPUT_RULES

    method = REGISTRY["aijri"]
    groups: dict[str, list[AijriInput]] = {
        "principles": [],
        "evidence": [],
        "barriers": [],
        "growth": [],
    }
    raw_inputs = dict(e.inputs) if e is not None else {}
    for name, d in raw_inputs.items():
        if name == "tasks":
            continue
        group = name.partition(".")[0] if "." in name else "growth"
        groups.setdefault(group, []).append(
            AijriInput(name, group, _opt_int(d.value), str(d.status), d.rule, d.basis)
        )
    result = None
    if e is not None and e.value is not None and e.tasks:
        columns = {r.name: r.column for r in INPUT_RULES if r.name != "tasks"}
        values: dict[str, Any] = {col: raw_inputs[n].value for n, col in columns.items()}
        values["given_inputs"] = ",".join(
            col for n, col in columns.items() if raw_inputs[n].status == GIVEN
        )
        tasks = [(t.task, t.time_share, int(t.detail["score"]), t.detail["label"]) for t in e.tasks]
        result = aijri.compute(build_assessment(e.code, tasks, values))
    scored = [i for g in groups.values() for i in g]
    shares = result.label_shares if result else {}
    return AijriSection(
        value=e.value if e else None,
        zone=e.label if e else None,
        sub_label=result.sub_label if result else None,
        principles=tuple(groups["principles"]),
        evidence=tuple(groups["evidence"]),
        barriers=tuple(groups["barriers"]),
        growth=tuple(groups["growth"]),
        principles_total=result.principles_total if result else None,
        evidence_total=result.evidence_total if result else None,
        barrier_total=result.barrier_total if result else None,
        growth_correlation=result.growth_correlation if result else None,
        weighted_task_score=result.weighted_sum if result else None,
        task_resistance=result.task_resistance if result else None,
        evidence_modifier=result.evidence_modifier if result else None,
        barrier_modifier=result.barrier_modifier if result else None,
        growth_modifier=result.growth_modifier if result else None,
        raw=result.raw if result else None,
        composite=result.aijri if result else None,
        clamped=result.clamped if result else False,
        time_displacement=_share(shares, "DISPLACEMENT"),
        time_augmentation=_share(shares, "AUGMENTATION"),
        time_not_involved=_share(shares, "NOT INVOLVED"),
        n_derived=sum(1 for i in scored if i.status != GIVEN),
        n_inputs=len(scored),
        summary=e.summary if e else "AIJRI was not scored",
        notes=tuple(e.notes) if e else (),
        citation=method.citation,
        sources=tuple(method.source_ids),
    )


def _share(shares: Mapping[Any, float], label: str) -> float | None:
    v = shares.get(label)
    return None if v is None else v / 100.0


def _cost(e: Explanation | None) -> CostSection:
    method = REGISTRY["ai_cost_per_task_hour"]
    inputs = dict(e.inputs) if e is not None else {}
    parts: dict[str, float | None] = dict.fromkeys(
        ("inference", "oversight_minutes", "oversight", "error_cost"), None
    )
    value = e.value if e is not None else None
    if e is not None and value is not None:
        # The value is the week-share-weighted mean of the in-scope tasks' cost lines; each
        # task's contribution is its weight x its ai_cost, so the weights come back exactly.
        weights = [
            (t.contribution / t.detail["ai_cost"], t.detail)
            for t in e.tasks
            if t.contribution > 0 and opt_float(t.detail.get("ai_cost"))
        ]
        total = math.fsum(w for w, _ in weights)
        if total > 0:
            for line in parts:
                parts[line] = math.fsum(w * float(d[line]) for w, d in weights) / total
    wage = opt_float(inputs.get("hourly_wage"))
    loading = opt_float(inputs.get("loading_factor"))
    human = wage * loading if wage is not None and loading is not None else None
    shares = inputs.get("shares") or {}
    return CostSection(
        value=value,
        inference=parts["inference"],
        oversight_minutes=parts["oversight_minutes"],
        oversight=parts["oversight"],
        errors=parts["error_cost"],
        hourly_wage=wage,
        loading_factor=loading,
        human_cost_per_hour=human,
        ai_cost_share=value / human if value is not None and human else None,
        week_shares=tuple((str(k), opt_float(v)) for k, v in shares.items()),
        summary=e.summary if e is not None else "the AI cost was not computed",
        notes=tuple(e.notes) if e is not None else (),
        citation=method.citation,
        sources=tuple(method.source_ids),
    )


def _comparable(cat: Catalog, code: str | None, kind: str) -> ComparableSection:
    sources = tuple(dict.fromkeys(("onet_30_1", "bls", *_method_sources(api_consensus_set()))))
    if code is None:
        return ComparableSection(
            None, COMPARABLE_METHOD, (), "No task matched an occupation closely enough", sources
        )
    from jobrisk.careers import comparable_jobs

    jobs = comparable_jobs(cat, code, method=COMPARABLE_METHOD, limit=COMPARABLE_LIMIT)
    rows = tuple(
        ComparableJobRow(
            j.code, j.title, j.value, j.percentile, j.employment, j.median_wage, j.similarity
        )
        for j in jobs
    )
    group = cat.occupation(code).minor_code
    note = f"Other occupations in SOC minor group {group}, closest in career terms first"
    if kind == "custom_role":
        note += f" (the group of {code}, this role's best-matched occupation)"
    return ComparableSection(code, COMPARABLE_METHOD, rows, note, sources)


def api_consensus_set() -> tuple[str, ...]:
    from jobrisk.consensus import CONSENSUS_SET

    return CONSENSUS_SET


def _sources(cat: Catalog, groups: Iterable[Iterable[str]]) -> tuple[Source, ...]:
    known: dict[str, SourceInfo] = {s.source_id: s for s in cat.sources()}
    ids: dict[str, None] = {}
    for g in groups:
        ids.update(dict.fromkeys(g))
    out = []
    for sid in ids:
        s = known.get(sid)
        if s is not None:
            out.append(Source(sid, s.title, s.citation, s.license, bool(s.derived)))
    return tuple(out)


def _opt_int(v: Any) -> int | None:
    x = opt_float(v)
    return None if x is None else int(x)


def _task_id(v: Any) -> int | None:
    # custom-role tasks carry negative placeholder ids: they are no O*NET task
    i = _opt_int(v)
    return i if i is not None and i >= 0 else None


def _opt_bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


def _opt_text(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and v != v) else str(v)
