"""The schema of a proposed accountability decision (pydantic v2), and reading one from YAML or JSON.

A decision names its scenario (a path relative to the decision file) and states, per person or team, what it
relies on and what it decides; the organs, dates, any appeal, and the 问责决定书 as drafted. Reading reuses the
scenario reader's machinery (kb/scenario_io.py: YAML 1.2 with line numbers, the same error codes), so a bad
decision gets the file, line, field and fix, Chinese then English, like a bad scenario."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kb import scenario_io
from kb.registry import load_registry
from kb.scenario_io import Issue, ScenarioError, line_of, read_yaml
from kb.schema import MAX_TEXT, Id, Method, Scenario, Text

# 情节 a decision may find: the words of A1-14p1 and D16-9.
Circumstance = Literal["较轻", "较重", "群众反映强烈", "造成恶劣影响", "情节严重"]
Responsibility = Literal["主体责任", "监督责任", "集体责任", "主要领导责任", "重要领导责任", "直接责任"]
# D16-9 对领导班子追究责任的方式
TeamMeasure = Literal["提醒", "书面检查", "通报批评", "组织调整"]
# A1-15 从轻或者减轻; A1-16 从重或者加重
Mitigating = Literal["A1-15.1", "A1-15.2", "A1-15.3"]
Aggravating = Literal["A1-16.1.1", "A1-16.1.2", "A1-16.1.3", "A1-16.1.4", "A1-16.1.5", "A1-16.2", "A1-16.3"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, coerce_numbers_to_str=True)


class DecisionMeta(_Strict):
    """About the decision itself."""

    id: Id = Field(title="决定编号 decision id")
    title: Text = Field(title="标题 title")
    scenario: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        title="情景文件 scenario file (path relative to this file)"
    )
    number: Text = Field(default="", title="文号 document number, e.g. 市纪问责决字（2015）第3号")
    interpretations: dict[str, str] = Field(
        default_factory=dict, title="解释选项 interpretation readings (NAME: READING)"
    )


class Discipline(_Strict):
    """A 党纪政纪处分 decided beside the accountability (A1-4, D16-3, A2-3)."""

    sanction: Text = Field(title="处分 the disciplinary sanction, e.g. 党内严重警告")
    by: Id = Field(title="作出处分的机关 organ (unit id)")


class PartyDecision(_Strict):
    """What the decision holds about one person or team."""

    party: Id = Field(title="被问责对象 person or team (id in the scenario)")
    event: Id = Field(title="所涉事件 event (id in the scenario)")
    clauses: list[Id] = Field(min_length=1, max_length=20, title="所依据的情形条款 situation clauses relied on")
    responsibility: Responsibility = Field(title="责任类型 responsibility type")
    circumstances: list[Circumstance] = Field(
        default_factory=list,
        max_length=5,
        title="认定的情节 circumstances found (较轻/较重/群众反映强烈/造成恶劣影响/情节严重)",
    )
    methods: list[Method] = Field(default_factory=list, max_length=10, title="问责方式 A1-13 methods")
    team_measures: list[TeamMeasure] = Field(
        default_factory=list, max_length=4, title="领导班子追究方式 D16-9 measures (teams)"
    )
    mitigating: list[Mitigating] = Field(default_factory=list, max_length=3, title="从轻减轻情形 A1-15 claimed")
    aggravating: list[Aggravating] = Field(default_factory=list, max_length=7, title="从重加重情形 A1-16 claimed")
    discipline: Discipline | None = Field(default=None, title="党纪政纪处分 disciplinary sanction (A1-4)")
    referral: bool = Field(default=False, title="移送司法机关 referred to the judicial organs")


ORGAN_ROLES = ("start", "investigate", "approve", "decide")  # the organs of Organs, each a unit of the scenario
MATTERS = ("finding", "case")  # the events a decision may concern (not an accountability record)


class Organs(_Strict):
    """The organs that start, investigate, approve and decide (unit ids of the scenario)."""

    start: Id | None = Field(default=None, title="启动机关 organ that starts")
    investigate: Id | None = Field(default=None, title="调查机关 organ that investigates")
    approve: Id | None = Field(default=None, title="批准机关 approving organ")
    decide: Id = Field(title="决定机关 deciding organ")
    collective: bool = Field(default=False, title="集体研究 decided by collective deliberation (党委、政府集体研究)")
    consent: bool = Field(
        default=False, title="同级党委、政府同意 consent of the same-level committee and government (A1-22)"
    )


class Dates(_Strict):
    """The decision's dates."""

    decision: dt.date = Field(title="决定日期 date of the decision")
    effective: dt.date | None = Field(default=None, title="生效日期 effective date")
    service: dt.date | None = Field(default=None, title="送达日期 date served (A1-24)")
    receipt: dt.date | None = Field(default=None, title="收到日期 date the person received it (A1-27)")
    handling_ended: dt.date | None = Field(default=None, title="处理结束日期 date handling ended (D16-12)")
    filing: dt.date | None = Field(default=None, title="存档/备案日期 date filed (A1-25, D16-11)")
    reporting: dt.date | None = Field(default=None, title="报告备案日期 date reported (D16-12)")


class Appeal(_Strict):
    """A written appeal (A1-27)."""

    filed: dt.date = Field(title="提出申诉日期 date the appeal was made")
    received: dt.date | None = Field(default=None, title="机关接到申诉日期 date the organ received it")
    decided: dt.date | None = Field(default=None, title="申诉处理决定日期 date of the decision on it")
    handler: Text = Field(default="", title="申诉承办人 who handled the appeal")
    original_handler: Text = Field(default="", title="原承办人 who handled the original decision")


class Document(_Strict):
    """The 问责决定书 as drafted (A1-23, 附2 式样)."""

    basic_facts: Text = Field(default="", title="被问责人员基本情况 the person's basic facts")
    facts: Text = Field(default="", title="问责事实 facts")
    basis: Text = Field(default="", title="问责依据 basis")
    methods: Text = Field(default="", title="问责方式 methods")
    approving_organ: Text = Field(default="", title="批准机关 approving organ")
    effective: Text = Field(default="", title="生效时间 effective time")
    appeal_period: Text = Field(default="", title="申诉期限 appeal period")
    appeal_organ: Text = Field(default="", title="申诉受理机关 organ hearing an appeal")
    apology_manner: Text = Field(default="", title="公开道歉的方式 manner of a public apology")
    apology_scope: Text = Field(default="", title="公开道歉的范围 scope of a public apology")
    copy_to: Text = Field(default="", title="抄送 copied to")


class Decision(_Strict):
    """A proposed accountability decision, to be checked against the measures."""

    decision: DecisionMeta
    parties: list[PartyDecision] = Field(min_length=1, max_length=200, title="被问责对象 parties")
    organs: Organs
    dates: Dates
    appeal: Appeal | None = Field(default=None, title="申诉 appeal")
    document: Document = Field(default_factory=Document, title="问责决定书 the decision document as drafted")


def json_schema() -> dict:
    """The published JSON Schema of a decision file."""
    schema = Decision.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "问责决定 Proposed accountability decision (连云港问责办法知识库)"
    return schema


@dataclass(frozen=True)
class LoadedDecision:
    """A validated decision with its scenario and the content hashes of both files."""

    decision: Decision
    scenario: Scenario
    path: str
    scenario_path: str
    decision_sha256: str
    scenario_sha256: str


def _cross_check(d: Decision, s: Scenario) -> list[Issue]:
    """References to the scenario and the registry that the schema alone cannot check."""
    reg = load_registry()
    units = {u.id for u in s.units}
    ids = units | {p.id for p in s.persons}
    events = {e.id for e in s.events if e.type in MATTERS}
    out: list[Issue] = []
    for i, p in enumerate(d.parties):
        if p.party not in ids:
            out.append(Issue("decision_unknown_party", ("parties", i, "party"), None, {"value": p.party}))
        if p.event not in events:
            out.append(Issue("decision_unknown_event", ("parties", i, "event"), None, {"value": p.event}))
        for k, c in enumerate(p.clauses):
            if c not in reg:
                near = "、".join(reg.nearest(c))
                out.append(
                    Issue("decision_unknown_clause", ("parties", i, "clauses", k), None, {"value": c, "near": near})
                )
    for role in ORGAN_ROLES:
        organ = getattr(d.organs, role)
        if organ is not None and organ not in units:
            out.append(Issue("decision_unknown_organ", ("organs", role), None, {"value": organ}))
    for i, p in enumerate(d.parties):
        if p.discipline and p.discipline.by not in units:
            out.append(
                Issue("decision_unknown_organ", ("parties", i, "discipline", "by"), None, {"value": p.discipline.by})
            )
    return out


def load_decision_text(text: str, file: str = "<decision>") -> tuple[Decision, Any]:
    """Validate decision text (YAML or JSON); return the model and the round-trip tree (line numbers)."""
    if len(text.encode("utf-8")) > scenario_io.MAX_BYTES:
        raise ScenarioError(file, [Issue("file_too_large", (), None, {"max": scenario_io.MAX_BYTES})])
    root = read_yaml(text, file)  # JSON is YAML 1.2: one reader, line numbers for both
    if not isinstance(root, dict):
        raise ScenarioError(file, [Issue("not_a_mapping", (), 1, {})])
    try:
        data = scenario_io._plain(root)
    except scenario_io._TooLarge as exc:
        raise ScenarioError(file, [scenario_io._too_large(exc, line_of(root, exc.path))]) from None
    try:
        return Decision.model_validate(data), root
    except ValidationError as exc:
        issues = [scenario_io._pydantic_issue(e) for e in exc.errors()[: scenario_io.MAX_ISSUES]]
        raise ScenarioError(file, [Issue(i.code, i.path, line_of(root, i.path), i.params) for i in issues]) from None


def load_decision_texts(decision_text: str, scenario_text: str, file: str = "<decision>") -> LoadedDecision:
    """A decision and its scenario given as texts (the app's uploads); the decision's scenario path is not read."""
    decision, root = load_decision_text(decision_text, file)
    scenario = scenario_io.load_scenario_text(scenario_text, decision.decision.scenario)[0]
    issues = [Issue(i.code, i.path, line_of(root, i.path), i.params) for i in _cross_check(decision, scenario)]
    if issues:
        raise ScenarioError(file, issues)
    return LoadedDecision(
        decision,
        scenario,
        file,
        decision.decision.scenario,
        hashlib.sha256(decision_text.encode("utf-8")).hexdigest(),
        hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
    )


def load_decision(path: str | Path) -> LoadedDecision:
    """Read a decision file and its scenario; every problem raises ScenarioError (file, line, field, code)."""
    p = Path(path)
    # the scenario loader's reader: a regular file up to the size limit, checked before reading (a FIFO or a
    # device is refused, not waited on), UTF-8 with the line and byte of the first that is not
    raw = scenario_io.read_scenario_bytes(p)
    decision, root = load_decision_text(scenario_io.decode_scenario(raw, str(path)), str(path))
    spath = (p.parent / decision.decision.scenario).resolve()
    if not spath.is_file():
        where = ("decision", "scenario")
        raise ScenarioError(
            str(path),
            [Issue("decision_no_scenario", where, line_of(root, where), {"value": decision.decision.scenario})],
        )
    sraw = scenario_io.read_scenario_bytes(spath)  # read once: the hash is of the bytes validated
    stext = scenario_io.decode_scenario(sraw, str(spath))
    scenario = scenario_io.load_scenario_text(stext, str(spath), scenario_io.scenario_format(spath))[0]
    issues = [Issue(i.code, i.path, line_of(root, i.path), i.params) for i in _cross_check(decision, scenario)]
    if issues:
        raise ScenarioError(str(path), issues)
    return LoadedDecision(
        decision,
        scenario,
        str(path),
        str(spath),
        hashlib.sha256(raw).hexdigest(),
        hashlib.sha256(sraw).hexdigest(),
    )


__all__ = [
    "Decision",
    "LoadedDecision",
    "json_schema",
    "load_decision",
    "load_decision_text",
    "load_decision_texts",
    "MAX_TEXT",
]
