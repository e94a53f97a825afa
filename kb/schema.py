"""The scenario schema (pydantic v2): what a user may say about units, persons and events.
Published as JSON Schema by `akb schema`; cross-field checks live in kb/scenario_check.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kb import unit_kinds
from kb.dates import Date

MAX_TEXT = 2000
MAX_ID = 100

# Unit kinds and roles come from the one table kb/unit_kinds.yaml (with each kind's place under D16-14, A1-2, A2-2).
UnitKind = Literal[tuple(unit_kinds.kinds())]  # type: ignore[valid-type]
BODY_KINDS = unit_kinds.body_kinds()
DISCIPLINE_KINDS = unit_kinds.body_kinds(("discipline",))

Role = Literal[tuple(unit_kinds.roles())]  # type: ignore[valid-type]
Rank = Literal["办事员", "科员", "副科级", "正科级", "副处级", "正处级", "副厅级", "正厅级", "其他"]
Severity = Literal[
    "较轻", "较重", "严重"
]  # the old `severity` field: 较轻/较重 read as circumstances.degree; 严重 refused
Degree = Literal["较轻", "较重", "严重"]  # 情节较轻 / 情节较重 (A1-14p1, D16-9) / 情节严重 (D16-9 only)
Flag = Literal["需要追究纪律责任", "涉嫌犯罪", "重大"]
Outcome = Literal["追究", "未追究"]
Share = Literal["主要领导责任", "重要领导责任"]
# The optional dates of an accountability record that a source may state as unknown (不详)
OptionalDate = Literal[
    "handled_on", "served_on", "received_on", "appeal_filed_on", "appeal_received_on", "appeal_decided_on"
]
UNKNOWN_WORDS = ("不详", "unknown")
# 党纪处分 (中国共产党纪律处分条例) and 政务处分 (grades), kept apart from the A1-13 methods (附件1第四条)
PartyDiscipline = Literal["警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"]
GovernmentDiscipline = Literal["警告", "记过", "记大过", "降级", "撤职", "开除"]
# Other measures reported in real cases, which are not among the ten A1-13 methods
OtherMeasure = Literal[
    "提醒谈话", "约谈", "函询", "批评教育", "责令检查", "专题民主生活会", "停发绩效", "组织处理", "其他"
]
# 附件1第十三条 问责的方式 (the ten methods, in the order of the text)
Method = Literal[
    "诫勉谈话", "书面检查", "责令公开道歉", "通报批评", "停职检查", "调离岗位", "引咎辞职", "责令辞职", "免职", "降职"
]
METHODS: tuple[str, ...] = get_args(Method)  # the ten, in the order of the text
# 附件1第十八条 问责的信息来源
Source = Literal[
    "投诉、检举、控告和申诉",
    "领导批示、指示",
    "有关机关和部门的意见和建议",
    "督查、巡察、明查暗访发现",
    "新闻媒体、网络曝光",
    "其他信息来源",
]

Id = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=r"^[^\x00-\x1f\x7f]+$")]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, coerce_numbers_to_str=True)


class Meta(_Strict):
    """About the scenario itself."""

    id: Id = Field(title="情景编号 scenario id")
    title: Text = Field(title="标题 title")
    as_of: Date = Field(title="评估日期 date of assessment (YYYY-MM-DD, YYYY-MM or YYYY)")
    description: Text = Field(default="", title="说明 description")
    interpretations: dict[str, str] = Field(
        default_factory=dict, title="解释选项 interpretation readings (NAME: READING)"
    )


class Unit(_Strict):
    """A 地区/部门/单位, or a party or discipline body with the unit it answers for (kinds: kb/unit_kinds.yaml)."""

    id: Id = Field(title="单位编号 unit id")
    name: Text = Field(default="", title="名称 name")
    kind: UnitKind = Field(title="类别 kind")
    parent: Id | None = Field(default=None, title="上级单位 parent unit (not for 党委/党组/纪委/纪检组)")
    answers_for: Id | None = Field(
        default=None, title="所负责的地区/部门/单位 the unit this 党委/党组/纪委/纪检组 answers for"
    )
    party_relations_local: bool = Field(
        default=False,
        title="党的关系属地方管理 (D16-14): a vertically managed or 驻连部省属 unit whose party relations are locally managed",
    )
    note: Text = Field(default="", title="说明 note (required for kind 其他: what the body is)")


class Position(_Strict):
    """A position held over a period; `to` empty means still held."""

    unit: Id = Field(title="任职单位 unit")
    role: Role = Field(title="职务类别 role")
    title: Text = Field(default="", title="职务名称 title, e.g. 区委书记")
    portfolio: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=50, title="分管 fields in charge"
    )
    rank: Rank | None = Field(default=None, title="职级 rank")
    from_: Date = Field(alias="from", title="任职起始 from (YYYY-MM-DD, YYYY-MM or YYYY)")
    to: Date | None = Field(default=None, title="任职截止 to (YYYY-MM-DD, YYYY-MM or YYYY), empty if still held")
    concurrent: bool = Field(default=False, title="兼任 held concurrently with another position")


class Person(_Strict):
    """A person and the positions held."""

    id: Id = Field(title="人员编号 person id")
    name: Text = Field(default="", title="姓名 name")
    positions: list[Position] = Field(default_factory=list, max_length=100, title="任职 positions")


class Circumstances(_Strict):
    """The sanction facts found (情节), each recorded on its own so that a band is derived, never assumed:
    A1-14p1 情节较轻 / 情节较重 / 群众反映强烈、造成恶劣影响; D16-9 情节较轻 / 情节较重 / 情节严重、造成恶劣影响."""

    model_config = ConfigDict(
        **_Strict.model_config,
        json_schema_extra={
            "examples": [{"degree": "较重"}, {"degree": "严重", "public_outcry": True, "bad_influence": True}]
        },
    )

    degree: Degree | None = Field(
        default=None, title="情节 degree found: 较轻 情节较轻, 较重 情节较重, 严重 情节严重 (a criterion of D16-9 only)"
    )
    public_outcry: bool = Field(default=False, title="群众反映强烈 strong public outcry found (A1-14p1)")
    bad_influence: bool = Field(default=False, title="造成恶劣影响 bad influence caused, found (A1-14p1, D16-9)")


def circumstances_of(ev: object) -> Circumstances | None:
    """The sanction facts of a finding or case: its `circumstances`, or the old `severity` 较轻/较重 read as the
    degree (the scenario check refuses `severity: 严重` and both fields at once)."""
    found = getattr(ev, "circumstances", None)
    if found is not None:
        return found
    old = getattr(ev, "severity", None)
    return Circumstances(degree=old) if old in ("较轻", "较重") else None


class ShareFinding(_Strict):
    """A leader's share of a team's failing (e.g. "X 负主要领导责任"), distinct from the leader's own conduct."""

    person: Id = Field(title="领导干部 the leader")
    responsibility: Share = Field(title="所负责任 主要领导责任 or 重要领导责任")


class Group(_Strict):
    """A party reported as a group ("…等13名镇村干部"): a count and, where known, the names; never one person."""

    id: Id = Field(title="群体编号 group id")
    label: Text = Field(title="表述 as the source reports it", examples=["浦西镇等13名镇村干部"])
    count: int = Field(ge=1, le=100000, title="人数 number of persons")
    unit: Id | None = Field(default=None, title="所在单位 unit the group belongs to")
    members: list[Id] = Field(default_factory=list, max_length=1000, title="已知成员 persons known by name")


class Finding(_Strict):
    """Established facts (认定事实) about a subject: a 领导班子 (党委/党组), a person, or a 纪委/纪检组."""

    type: Literal["finding"] = Field(title="事件类型 event type: finding 认定事实")
    id: Id = Field(title="事件编号 event id")
    date: Date = Field(title="发生日期 date of the events (YYYY-MM-DD, YYYY-MM or YYYY)")
    subject: Id = Field(title="认定对象 subject: unit or person id")
    elements: list[Id] = Field(min_length=1, max_length=200, title="认定的要素 established elements (ids)")
    circumstances: Circumstances | None = Field(default=None, title="情节 sanction facts found (A1-14p1, D16-9)")
    severity: Severity | None = Field(
        default=None, title="情节 (old form of circumstances.degree: 较轻 or 较重 only; for 严重 use circumstances)"
    )
    portfolio: Annotated[str, Field(max_length=100)] | None = Field(default=None, title="涉及的分管领域 field")
    parties: list[Id] = Field(
        default_factory=list, max_length=200, title="当事人 persons or groups directly responsible (直接责任)"
    )
    shares: list[ShareFinding] = Field(
        default_factory=list,
        max_length=200,
        title="领导责任 each leader's share of the team's failing, as the investigating organ found it",
        examples=[
            [{"person": "李明", "responsibility": "主要领导责任"}, {"person": "吴刚", "responsibility": "重要领导责任"}]
        ],
    )
    case: Id | None = Field(
        default=None, title="所属案件 the case (一案双查) whose 当事人 this finding is about", examples=["案1"]
    )
    flags: list[Flag] = Field(default_factory=list, title="其他认定 further findings")
    source: Source | None = Field(default=None, title="信息来源 source of the information (附件1第十八条)")
    description: Text = Field(default="", title="说明 description")


class Case(_Strict):
    """A case against one or more 当事人 (persons or groups), with the D16-8 situations it involved (一案双查)."""

    def all_parties(self) -> list[str]:
        """The 当事人 named by `party` and `parties`, in order, once each."""
        return list(dict.fromkeys(([self.party] if self.party else []) + self.parties))

    type: Literal["case"] = Field(title="事件类型 event type: case 案件")
    id: Id = Field(title="事件编号 event id")
    date: Date = Field(title="发生日期 date (YYYY-MM-DD, YYYY-MM or YYYY)")
    party: Id | None = Field(default=None, title="当事人 the person concerned (one; or use parties)")
    parties: list[Id] = Field(
        default_factory=list,
        max_length=200,
        title="当事人 persons or groups concerned",
        examples=[["张强", "镇村干部"]],
    )
    unit: Id = Field(title="案发地区/部门/单位 unit where the case arose")
    elements: list[Id] = Field(default_factory=list, max_length=200, title="第八条情形要素 D16-8 elements")
    circumstances: Circumstances | None = Field(default=None, title="情节 sanction facts found (A1-14p1, D16-9)")
    severity: Severity | None = Field(
        default=None, title="情节 (old form of circumstances.degree: 较轻 or 较重 only; for 严重 use circumstances)"
    )
    flags: list[Flag] = Field(default_factory=list, title="其他认定 further findings")
    source: Source | None = Field(default=None, title="信息来源 source of the information (附件1第十八条)")
    description: Text = Field(default="", title="说明 description")


class Accountability(_Strict):
    """A record of what happened about a person or a unit for a matter: accountability carried out (追究), with
    its outcome, or a decision not to pursue (未追究), with its date, the deciding body and, if found, the
    severity of that failure itself (the upward chains of D16-5.9, D16-7.7 and A2-9 rest on such a record)."""

    type: Literal["accountability"] = Field(title="事件类型 event type: accountability 追究记录")
    id: Id = Field(title="事件编号 event id")
    date: Date = Field(title="决定日期 date of the decision, or of the decision not to pursue")
    unknown_dates: list[OptionalDate] = Field(
        default_factory=list,
        title="日期不详 dates the source states as unknown: write the field as `不详` (or `unknown`); a deadline that "
        "depends on it cannot be told, where a field left out is simply not recorded",
        examples=[["served_on"]],
    )

    @model_validator(mode="before")
    @classmethod
    def _explicit_unknown(cls, data: Any) -> Any:
        """`served_on: 不详` is a fact (the date is unknown), not a silence: the field is empty and named here."""
        if isinstance(data, dict):
            unknown = [k for k in get_args(OptionalDate) if str(data.get(k, "")).strip().lower() in UNKNOWN_WORDS]
            if unknown:
                stated = data.get("unknown_dates") or []
                listed = sorted(set(stated if isinstance(stated, list) else []) | set(unknown))
                data = {**data, **dict.fromkeys(unknown), "unknown_dates": listed}
        return data

    concerning: Id = Field(title="所涉事件 the finding or case concerned")
    target: Id = Field(title="被追究对象 party held (or not held) accountable")
    by: Id | None = Field(default=None, title="追究机关 deciding organ")
    outcome: Outcome = Field(title="结果 outcome: 追究 carried out, 未追究 decided not to pursue")
    circumstances: Circumstances | None = Field(
        default=None,
        title="情节 sanction facts found for this decision not to pursue itself (chains; never inherited)",
    )
    severity: Severity | None = Field(
        default=None,
        title="情节 (old form of circumstances.degree for a decision not to pursue: 较轻 or 较重 only)",
    )
    party_discipline: PartyDiscipline | None = Field(
        default=None, title="党纪处分 party discipline imposed", examples=["严重警告"]
    )
    government_discipline: GovernmentDiscipline | None = Field(
        default=None, title="政务处分 government sanction", examples=["记过"]
    )
    other_measures: list[OtherMeasure] = Field(
        default_factory=list,
        max_length=20,
        title="其他措施 measures outside A1-13 (提醒谈话, 约谈, …)",
        examples=[["批评教育"]],
    )
    handled_on: Date | None = Field(default=None, title="处理结束日期 date handling ended")
    methods: list[Method] = Field(default_factory=list, max_length=10, title="问责方式 methods decided")
    served_on: Date | None = Field(default=None, title="决定书送达日期 date the decision was served")
    received_on: Date | None = Field(default=None, title="收到决定书日期 date the person received it")
    appeal_filed_on: Date | None = Field(default=None, title="提出申诉日期 date of the written appeal")
    appeal_received_on: Date | None = Field(
        default=None,
        title="接到书面申诉日期 date the deciding organ received the appeal (A1-27: the 30 days run from it)",
    )
    appeal_decided_on: Date | None = Field(default=None, title="申诉处理决定日期 date the appeal was decided")
    apology_manner: Text = Field(default="", title="公开道歉的方式 manner of a public apology")
    apology_scope: Text = Field(default="", title="公开道歉的范围 scope of a public apology")
    description: Text = Field(default="", title="说明 description")


Event = Annotated[Finding | Case | Accountability, Field(discriminator="type")]


class ExpectedFinding(_Strict):
    """A finding a sample scenario expects (checked by the tests)."""

    party: Id
    responsibility: str
    clause: Id
    event: Id


class Scenario(_Strict):
    """A hypothetical: units, persons with positions over time, and dated events."""

    scenario: Meta
    units: list[Unit] = Field(min_length=1, max_length=20000, title="单位 units")
    persons: list[Person] = Field(default_factory=list, max_length=20000, title="人员 persons")
    groups: list[Group] = Field(default_factory=list, max_length=20000, title="群体 parties reported as groups")
    events: list[Event] = Field(default_factory=list, max_length=50000, title="事件 events")
    expected: list[ExpectedFinding] | None = Field(default=None, title="预期结论 expected findings (samples)")

    def names(self) -> dict[str, str]:
        """id → display name (its name, else its id) of every unit and person, for every output."""
        out = {u.id: u.name or u.id for u in self.units}
        out.update({p.id: p.name or p.id for p in self.persons})
        return out


def json_schema() -> dict:
    """The published JSON Schema of a scenario file."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "情景 Scenario (连云港问责办法知识库 accountability knowledge base)"
    # the one table of unit kinds and roles, with each kind's place under D16-14, A1-2 and A2-2
    schema["x-unit-kinds"] = unit_kinds.schema_table()
    schema["x-roles"] = {
        name: {"reads_as": r.reads_as, "note": {"zh": r.note_zh, "en": r.note_en}, "measures": r.measures}
        for name, r in unit_kinds.roles().items()
    }
    return schema
