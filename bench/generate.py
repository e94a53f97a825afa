"""Synthetic but legally meaningful scenarios of a given size, seeded and reproducible.

`generate(persons, seed)` returns scenario data (the shape of a scenario file) for a city with the hierarchy
市 → 县区 → 部门/乡镇 → 内设机构/村: every 地区, 部门 and 乡镇 has its 党委/党组 and 纪委/纪检组, the city and
each 县区 a 政府; a few villages have a 村党委 of their own, a few departments a 事业单位 under them. Posts are
filled in order of importance (principals, discipline secretaries, other leaders with portfolios, staff), so
a scenario of any size is a complete top of the hierarchy; some principals leave office and have a successor.

Matters (findings and cases, one per `MATTERS_PER_PERSON` persons, at least `MIN_MATTERS`) are drawn across
every item of the element vocabulary in a seeded order, each about a subject of the kind the item names
(a party team, a principal, another member, a discipline body, a leader or team under A2, an investigator,
any staff member, a 一案双查 case in a leaf unit), with the elements of one branch of the item (a near miss
drops one group now and then). About half of the matters are pursued by the level above (accountability
records, some with methods, service and appeal dates), a few explicitly declined; the rest are left open so
that the upward chains (D16-5.9, D16-7.7, A2-9) fire.

Run `python -m bench.generate 100 > s.yaml` to write one as YAML.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
from dataclasses import dataclass, field

from kb.vocabulary import Item, load_vocabulary

MATTERS_PER_PERSON = 0.02
MIN_MATTERS = 8
AS_OF = dt.date(2016, 6, 30)
PERIOD = (dt.date(2015, 3, 1), dt.date(2016, 5, 31))  # matters happen after entry into force (2015-02-04)...
EARLY = (dt.date(2014, 9, 1), dt.date(2015, 2, 3))  # ...except a few, to exercise D16-16 / A1-29 / A2-11
TERM_START = (dt.date(2011, 1, 1), dt.date(2014, 12, 31))
HANDOVER = dt.date(2015, 12, 31)  # some principals leave office here; the successor starts the next day

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲燕晶斌波宁红林飞建文凯峰浩亮成志新国民春海"
FIELDS = (
    "作风建设",
    "干部人事",
    "巡察",
    "基建",
    "教育",
    "卫生",
    "农业",
    "财政",
    "国土",
    "交通",
    "民政",
    "环保",
    "安全生产",
)
DEPARTMENTS = (
    "教育局",
    "卫生计生委",
    "国土资源局",
    "交通运输局",
    "民政局",
    "财政局",
    "环保局",
    "住建局",
    "农委",
    "水利局",
)
OFFICES = ("办公室", "财务科", "审批科", "监督科", "规划科")
# sanction facts (circumstances): 情节较轻, 情节较重, or the facts of the heaviest criteria of A1-14p1 and D16-9
CIRCUMSTANCES = (
    {"degree": "较轻"},
    {"degree": "较重"},
    {"degree": "严重", "public_outcry": True, "bad_influence": True},
)
SOURCES = (
    "投诉、检举、控告和申诉",
    "领导批示、指示",
    "有关机关和部门的意见和建议",
    "督查、巡察、明查暗访发现",
    "新闻媒体、网络曝光",
    "其他信息来源",
)
METHODS = ("诫勉谈话", "书面检查", "通报批评", "停职检查", "调离岗位", "免职", "降职")
RANKS = {0: ("正厅级", "副厅级"), 1: ("正处级", "副处级"), 2: ("正科级", "副科级"), 3: ("科员", "办事员")}


@dataclass
class _Post:
    unit: str
    role: str
    title: str
    level: int  # 0 city, 1 county, 2 department/township, 3 office/village
    priority: int
    portfolio: list[str] = field(default_factory=list)


@dataclass
class _World:
    units: list[dict] = field(default_factory=list)
    posts: list[_Post] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)  # 党委/党组
    bodies: list[str] = field(default_factory=list)  # 纪委/纪检组
    governments: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)  # 内设机构, 村, 事业单位
    upper_team: dict[str, str] = field(default_factory=dict)  # unit → the 党委 one level up
    upper_body: dict[str, str] = field(default_factory=dict)  # unit → the 纪委 one level up
    team_of: dict[str, str] = field(default_factory=dict)  # area/department → its 党委/党组
    body_of: dict[str, str] = field(default_factory=dict)


def _shape(persons: int) -> tuple[int, int, int, int]:
    """(县区, departments and townships per 县区, leaf units each, municipal departments) for a size."""
    counties = max(1, round(persons / 100))
    per = persons / counties
    branches = min(5, max(1, round(per / 20)))
    leaves = min(3, max(1, round(per / 40)))
    city_departments = min(len(DEPARTMENTS), max(1, round(persons / 60)))
    return counties, branches, leaves, city_departments


def _world(persons: int, rng: random.Random) -> _World:
    w = _World()
    counties, branches, leaves, city_departments = _shape(persons)

    def unit(uid: str, kind: str, parent: str | None = None, answers_for: str | None = None, name: str = "") -> str:
        u: dict = {"id": uid, "kind": kind}
        if name:
            u["name"] = name
        if parent:
            u["parent"] = parent
        if answers_for:
            u["answers_for"] = answers_for
        w.units.append(u)
        return uid

    def post(u: str, role: str, title: str, level: int, priority: int, fields: int = 0) -> None:
        w.posts.append(_Post(u, role, title, level, priority, rng.sample(FIELDS, fields) if fields else []))

    def area(uid: str, kind: str, parent: str | None, level: int, team_kind: str, body_kind: str) -> None:
        """A unit with its 党委/党组 (principal, two other members) and 纪委/纪检组 (head, one staff member)."""
        unit(uid, kind, parent)
        team = unit(f"{uid}{'党委' if team_kind == '党委' else '党组'}", team_kind, answers_for=uid)
        body = unit(f"{uid}{'纪委' if body_kind == '纪委' else '纪检组'}", body_kind, answers_for=uid)
        w.teams.append(team)
        w.bodies.append(body)
        w.team_of[uid], w.body_of[uid] = team, body
        post(team, "主要负责人", "书记", level, 0)
        post(
            body,
            "纪委书记" if body_kind == "纪委" else "纪检组长",
            "纪委书记" if body_kind == "纪委" else "纪检组长",
            level,
            1,
        )
        post(team, "班子其他成员", "副书记", level, 2, fields=2)
        post(team, "班子其他成员", "委员", level, 4, fields=1)
        post(body, "一般工作人员", "纪检监察员", level, 5)
        if parent:
            w.upper_team[uid], w.upper_body[uid] = w.team_of[parent], w.body_of[parent]

    def government(uid: str, parent: str, level: int) -> None:
        unit(uid, "政府", parent)
        w.governments.append(uid)
        post(uid, "主要负责人", "行政首长", level, 1)
        post(uid, "班子其他成员", "副职", level, 3, fields=1)

    area("连云港市", "地区", None, 0, "党委", "纪委")
    government("市政府", "连云港市", 0)
    for d in range(city_departments):
        dep = f"市{DEPARTMENTS[d]}"
        area(dep, "部门", "连云港市", 1, "党组", "纪检组")
        office = unit(f"{dep}{OFFICES[d % len(OFFICES)]}", "内设机构", dep)
        w.leaves.append(office)
        post(office, "主要负责人", "科长", 2, 3)
        post(office, "一般工作人员", "科员", 2, 6)
    for c in range(counties):
        county = f"县区{c + 1:02d}"
        area(county, "地区", "连云港市", 1, "党委", "纪委")
        government(f"{county}政府", county, 1)
        for b in range(branches):
            dep = f"{county}{DEPARTMENTS[b % len(DEPARTMENTS)]}"
            area(dep, "部门", county, 2, "党组", "纪检组")
            town = f"{county}镇{b + 1:02d}"
            area(town, "乡镇", county, 2, "党委", "纪委")
            for k in range(leaves):
                office = unit(f"{dep}{OFFICES[k % len(OFFICES)]}", "内设机构", dep)
                village = unit(f"{town}村{k + 1:02d}", "村", town)
                w.leaves += [office, village]
                post(office, "主要负责人", "科长", 3, 3)
                post(office, "一般工作人员", "科员", 3, 6)
                post(village, "一般工作人员", "村委会委员", 3, 6)
                if k == 0 and b % 2 == 1:  # a village with a party committee of its own
                    vt = unit(f"{village}党委", "党委", answers_for=village)
                    w.teams.append(vt)
                    w.team_of[village] = vt
                    post(vt, "主要负责人", "村党委书记", 3, 3)
                else:
                    post(village, "主要负责人", "村委会主任", 3, 4)
            if b == 0:  # a public institution under the department, with a party committee of its own
                inst = f"{dep}事业单位"
                unit(inst, "事业单位", dep)
                it = unit(f"{inst}党委", "党委", answers_for=inst)
                w.leaves.append(inst)
                w.teams.append(it)
                w.team_of[inst] = it
                w.upper_team[inst], w.upper_body[inst] = w.team_of[dep], w.body_of[dep]
                post(it, "主要负责人", "党委书记", 3, 4)
                post(inst, "一般工作人员", "工作人员", 3, 6)
    return w


def _date(rng: random.Random, span: tuple[dt.date, dt.date]) -> dt.date:
    return span[0] + dt.timedelta(days=rng.randrange((span[1] - span[0]).days + 1))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _persons(w: _World, n: int, rng: random.Random) -> tuple[list[dict], dict[str, list[tuple[str, str, str]]]]:
    """Fill posts by priority until n persons; spare persons become extra staff. Returns the person data and,
    by unit, (person, role, 'before'|'after'|'always') for choosing subjects."""
    order = sorted(range(len(w.posts)), key=lambda i: (w.posts[i].priority, i))
    chosen = [w.posts[i] for i in order]
    extra = 0
    while len(chosen) < n:  # more persons than posts: extra staff in leaf units, round robin
        leaf = w.leaves[extra % len(w.leaves)] if w.leaves else w.units[0]["id"]
        chosen.append(_Post(leaf, "一般工作人员", "工作人员", 3, 7))
        extra += 1
    out: list[dict] = []
    holders: dict[str, list[tuple[str, str, str]]] = {}
    i = 0
    handover: list[_Post] = []
    for p in chosen:
        if len(out) >= n:
            break
        pid = f"P{i + 1:05d}"
        i += 1
        start = _date(rng, TERM_START)
        pos: dict = {"unit": p.unit, "role": p.role, "title": p.title, "from": start}
        if p.portfolio:
            pos["portfolio"] = list(p.portfolio)
        pos["rank"] = RANKS[min(p.level + (p.role == "一般工作人员"), 3)][p.role != "主要负责人"]
        when = "always"
        if p.role == "主要负责人" and rng.random() < 0.1:
            pos["to"] = HANDOVER
            handover.append(p)
            when = "before"
        out.append({"id": pid, "name": _name(rng), "positions": [pos]})
        holders.setdefault(p.unit, []).append((pid, p.role, when))
    for p in handover:  # successors, if the size leaves room for them
        if len(out) >= n:
            break
        pid = f"P{i + 1:05d}"
        i += 1
        pos = {"unit": p.unit, "role": p.role, "title": p.title, "from": HANDOVER + dt.timedelta(days=1)}
        out.append({"id": pid, "name": _name(rng), "positions": [pos]})
        holders.setdefault(p.unit, []).append((pid, p.role, "after"))
    return out, holders


def _elements(item: Item, rng: random.Random, near_miss: bool) -> list[str]:
    branch = rng.choice(item.branches)
    picked = []
    for g in branch.groups:
        k = 2 if g.join == "list" and len(g.elements) > 1 and rng.random() < 0.3 else 1
        picked.append([e.id for e in rng.sample(list(g.elements), k)])
    if near_miss and len(picked) > 1:
        picked.pop(rng.randrange(len(picked)))
    return [e for group in picked for e in group]


def generate(persons: int, seed: int = 0, matters: int | None = None) -> dict:
    """Scenario data (as a scenario file would hold it) with `persons` persons, reproducible from `seed`."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    rng = random.Random(f"akb-bench-{persons}-{seed}")
    w = _world(persons, rng)
    people, holders = _persons(w, persons, rng)
    vocab = load_vocabulary()

    tenure = {p: when for hs in holders.values() for p, _, when in hs}

    def active(person: str, date: dt.date) -> bool:
        when = tenure.get(person, "always")
        return when == "always" or (when == "before") == (date <= HANDOVER)

    all_units = [u["id"] for u in w.units]
    leaders = [(u, p) for u in w.teams + w.governments for p, r, _ in holders.get(u, ()) if r != "一般工作人员"]
    staff = [(u, p) for u in all_units for p, r, _ in holders.get(u, ()) if r == "一般工作人员"]
    investigators = [(u, p) for u in w.bodies for p, r, _ in holders.get(u, ()) if r == "一般工作人员"]
    principals = [(u, p) for u in w.teams for p, r, _ in holders.get(u, ()) if r == "主要负责人"]
    members = [(u, p) for u in w.teams for p, r, _ in holders.get(u, ()) if r == "班子其他成员"]
    everyone = [(pos["unit"], p["id"]) for p in people for pos in p["positions"]]
    modifiers = [i for i in vocab.items.values() if i.id.startswith(("A1-15", "A1-16.1"))]
    situations = [i for i in vocab.items.values() if i not in modifiers]

    n_matters = matters if matters is not None else max(MIN_MATTERS, round(persons * MATTERS_PER_PERSON))
    order: list[Item] = []
    events: list[dict] = []
    records: list[dict] = []
    for k in range(n_matters):
        if not order:
            order = list(situations)
            rng.shuffle(order)
        item = order.pop()
        date = _date(rng, EARLY if rng.random() < 0.05 else PERIOD)
        ev: dict = {"id": f"事{k + 1:05d}", "date": date}
        near = rng.random() < 0.15
        subject_unit = None
        kind = item.subject
        if kind == "case":
            current = [(u, p) for u, p in staff if active(p, date)]
            if not current:
                continue
            subject_unit, party = rng.choice(current)
            ev = {"type": "case", "id": f"案{k + 1:05d}", "date": date, "party": party, "unit": subject_unit}
        else:
            pool: list[tuple[str, str]] | list[str]
            if kind == "party_team":
                pool = [(t, t) for t in w.teams]
            elif kind == "discipline_body":
                pool = [(b, b) for b in w.bodies]
            elif kind == "principal":
                pool = principals
            elif kind == "other_member":
                pool = members
            elif kind == "member":
                pool = principals + members
            elif kind == "investigator":
                pool = investigators
            elif kind == "team_or_leader":
                pool = leaders + [(u, u) for u in w.teams + w.governments] if rng.random() < 0.5 else leaders
            else:  # person, interceder
                pool = everyone
            current = [(u, p) for u, p in pool if active(p, date)]
            subject_unit, subject = rng.choice(current or pool or everyone)
            ev = {"type": "finding", **ev, "subject": subject}
        elements = _elements(item, rng, near)
        if item.subject in ("person", "principal", "other_member", "member") and modifiers and rng.random() < 0.25:
            elements += _elements(rng.choice(modifiers), rng, False)
        ev["elements"] = elements
        if rng.random() < 0.7:
            ev["circumstances"] = dict(rng.choice(CIRCUMSTANCES))
        if ev["type"] == "finding" and subject_unit in w.teams and rng.random() < 0.6:
            fields = [
                f
                for p in people
                for pos in p["positions"]
                if pos["unit"] == subject_unit
                for f in pos.get("portfolio", [])
            ]
            if fields:
                ev["portfolio"] = rng.choice(sorted(fields))
        if ev["type"] == "finding" and subject_unit in w.teams and ev["subject"] == subject_unit and rng.random() < 0.3:
            area = next((u["answers_for"] for u in w.units if u["id"] == subject_unit), None)
            own = [p for u, p in staff if u == area]
            if own:
                ev["parties"] = [rng.choice(own)]
        r = rng.random()
        if r < 0.1:
            ev["flags"] = ["需要追究纪律责任"]
        elif r < 0.13:
            ev["flags"] = ["涉嫌犯罪"]
        elif r < 0.16 and ev["type"] == "case":
            ev["flags"] = ["重大"]
        if rng.random() < 0.5:
            ev["source"] = rng.choice(SOURCES)
        events.append(ev)
        records += _records(ev, subject_unit, w, rng, len(records))
    scenario = {
        "scenario": {
            "id": f"generated-{persons}-{seed}",
            "title": f"生成的情景：{persons}人（种子{seed}）",
            "as_of": AS_OF,
            "description": "bench/generate.py 生成的合成情景，用于性能和差分测试。",
        },
        "units": w.units,
        "persons": people,
        "events": events + records,
    }
    return scenario


def _records(ev: dict, subject_unit: str | None, w: _World, rng: random.Random, start: int) -> list[dict]:
    """Accountability records for a matter: pursued by the level above (about half), declined (a few)."""
    r = rng.random()
    if r >= 0.6:
        return []
    outcome = "追究" if r < 0.5 else "未追究"
    area = subject_unit
    for u in w.units:  # a body answers for its area; the level above is the area's parent
        if u["id"] == subject_unit and u.get("answers_for"):
            area = u["answers_for"]
    by = w.upper_team.get(area or "", "连云港市党委")
    target = ev["subject"] if ev["type"] == "finding" else ev["party"]
    decided = ev["date"] + dt.timedelta(days=rng.randrange(30, 120))
    if decided > AS_OF:
        decided = AS_OF
    rec: dict = {
        "type": "accountability",
        "id": f"追{start + 1:05d}",
        "date": decided,
        "concerning": ev["id"],
        "target": target,
        "by": by,
        "outcome": outcome,
    }
    if outcome == "追究":
        handled = min(decided + dt.timedelta(days=rng.randrange(3, 20)), AS_OF)
        rec["handled_on"] = handled
        if target.startswith("P") and rng.random() < 0.6:
            rec["methods"] = [rng.choice(METHODS)]
            served = min(handled + dt.timedelta(days=rng.randrange(1, 10)), AS_OF)
            rec["served_on"] = served
            if rng.random() < 0.2:
                rec["appeal_filed_on"] = min(served + dt.timedelta(days=rng.randrange(1, 40)), AS_OF)
    out = [rec]
    if ev["type"] == "case" and outcome == "追究" and subject_unit in w.upper_team:  # the team answering for it
        team = w.team_of.get(subject_unit) or w.upper_team[subject_unit]
        keep = ("type", "date", "concerning", "by", "outcome", "handled_on")
        out.append({**{k: rec[k] for k in keep if k in rec}, "id": f"追{start + 2:05d}", "target": team})
    return out


def dump_yaml(data: dict) -> str:
    """Scenario data as YAML text (dates as YYYY-MM-DD)."""
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip dumper: keys stay in the order of a scenario file
    yaml.default_flow_style = None
    yaml.width = 200
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def scenario(persons: int, seed: int = 0, matters: int | None = None):
    """The generated scenario, validated like user input (schema and cross-field checks)."""
    from kb.scenario_check import check_scenario
    from kb.scenario_io import WARNING_CODES, ScenarioError
    from kb.schema import Scenario

    s = Scenario.model_validate(generate(persons, seed, matters))
    issues = [i for i in check_scenario(s) if i.code not in WARNING_CODES]  # near misses may warn
    if issues:
        raise ScenarioError(f"generated {persons}/{seed}", issues)
    return s


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    sys.stdout.write(dump_yaml(generate(n, seed)))
