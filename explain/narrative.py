"""Render a report (explain/report.py) as text for people: Chinese first, then English."""

from __future__ import annotations

from explain.catalogue import both, label, text
from explain.deferred import made
from explain.escape import escape_controls


def _proof_lines(node: dict, depth: int, out: list[str], max_depth: int) -> None:
    pad = "    " * depth
    if node["kind"] == "see_above":
        out.append(f"{pad}↳ {node['reads']['zh']}（{label('seen_above')['zh']}）/ {label('seen_above')['en']}")
        return
    rule = node["rule"]
    out.append(f"{pad}↳ {node['reads']['zh']}")
    out.append(f"{pad}  {node['reads']['en']}")
    out.append(f"{pad}  [{label('rule')['zh']} {rule['id']} · {rule['citation']}] {rule['gloss']['zh']}")
    out.append(f"{pad}  ({rule['gloss']['en']})")
    for fact in node["facts"]:
        if fact["kind"] == "interpretation":
            tag = label("interpretation")
        elif fact["kind"] == "law":
            tag = label("law_list")
        else:
            tag = label("fact")
        out.append(f"{pad}  · {tag['zh']} {tag['en']}: {fact['reads']['zh']} / {fact['reads']['en']}")
    for absent in node["absent"]:
        tag = label("absent")
        out.append(f"{pad}  · {tag['zh']} / {tag['en']}: {absent['reads']['zh']} / {absent['reads']['en']}")
    if depth + 1 > max_depth:
        if node["because"]:
            out.append(f"{pad}    … ({len(node['because'])})")
        return
    for sub in node["because"]:
        _proof_lines(sub, depth + 1, out, max_depth)


def render(report: dict, max_depth: int = 50) -> str:
    """The evaluation as readable text."""
    sc = report["scenario"]
    out = [
        f"{both(label('scenario'))}: {sc['title']} ({sc['id']}) · {both(label('as_of'))} {sc['as_of']}",
        f"{both(label('interpretations'))}:",
    ]
    for i in report["interpretations"]:
        default = f"（{label('default')['zh']} {label('default')['en']}）" if i["is_default"] else ""
        out.append(f"  {i['name']} = {i['reading']}{default}: {i['zh']} / {i['en']}")
    out.append(both(report["assumption"], "\n"))
    for notice in report.get("notices", []):
        out.append(both(notice, "\n"))
    if report.get("scope_notes"):
        out.append(f"{both(text('scope_note', 'header'))}:")
        out += [f"  {n['zh']}\n  {n['en']}" for n in report["scope_notes"]]
    out.append("")
    out.append(f"== {both(label('findings'))} ({report['summary']['findings']}) ==")
    if not report["findings"]:
        out.append(both(label("no_findings")))
    for n, f in enumerate(report["findings"], 1):
        resp = f["responsibility_label"]
        out.append("")
        out.append(f"{n}. {f['party_name']}（{f['party']}）— {resp['zh']} / {resp['en']}")
        out.append(
            f"   {both(label('clause'))}: {f['citation']} [{f['clause']}] · 事件 event {f['event']} ({f['event_date']})"
        )
        out.append(f"   {both(label('text'))}: {f['clause_text']}")
        for pos in f.get("position_at_time", []):
            out.append(
                f"   {both(label('position_then'))}: {pos['unit']} {pos['role']} {pos['title']}"
                f" ({pos['from']} – {pos['to'] or '至今 present'})"
            )
        for d in f.get("departed", []):
            out.append(f"   ⚑ {both(d['note'])}")
        deciders = "、".join(f["decided_by"]) if f["decided_by"] else both(label("decided_outside"))
        if f["party_kind"] != "人员" or f["decided_by"]:
            out.append(f"   {both(label('decided_by'))}: {deciders}")
        if f["collective"]:
            out.append(_team_line(f))
        if f["refer_a1"]:
            out.append(f"   → {both(label('refer_a1_' + f['refer_basis'].split('-')[0].lower()))}")
        if f.get("scope"):
            out.append(f"   {both(label('scope'))}: {'、'.join(f['scope'])}")
        if f.get("sanction"):
            _sanction_lines(f["sanction"], out)
        for ch in f["channels"]:
            out.append(f"   ⇉ {both(label('channels'))}: {ch}")
        for o in f.get("overlaps", []):
            out.append(f"   ≈ {both(label('overlap'))} {o['clause']}: {o['zh']}")
        for i in f["interpretations"]:
            out.append(f"   ◇ {both(label('interpretation'))}: {i['name']} = {i['reading']}")
        out.append(f"   {both(label('proof'))}:")
        _proof_lines(made(f["proof"]), 1, out, max_depth)
    _case_party_lines(report.get("case_parties", []), out)
    _record_lines(report.get("records", []), out)
    if report.get("dates"):
        out.append("")
        out.append(f"⚑ {both(report['dates']['convention'])}: {'、'.join(report['dates']['approximate'])}")
    if report["duties"]:
        out.append("")
        out.append(f"== {both(label('duties'))} ({len(report['duties'])}) ==")
        for d in report["duties"]:
            out.append(f"- {d['reads']['zh']}（{d['citation']}）")
            out.append(f"  {d['reads']['en']}")
            for dl in d.get("deadlines", []):
                out.append("  " + _deadline_line(dl))
    return escape_controls("\n".join(out) + "\n")  # titles and descriptions are the user's


def _case_party_lines(parties: list[dict], out: list[str]) -> None:
    """The 当事人 of the 一案双查 cases, each with the basis of his or her own accountability."""
    if not parties:
        return
    out.append("")
    out.append(f"== {both(label('case_parties'))} ({len(parties)}) ==")
    for c in parties:
        kind = f"（{both(label('group'))}）" if c["party_kind"] == "群体" else ""
        out.append(f"- {c['party_name']}（{c['party']}）{kind} · 事件 event {c['case']}")
        if not c["in_scope"]:
            out.append(f"  {both(label('party_out_of_scope'))}")
        elif c["own_basis"]:
            out.append(f"  {both(label('party_own_basis'))}: {'、'.join(c['own_basis'])}")
        else:
            out.append(f"  {both(label('party_refer'))}")
        for ch in c["channels"]:
            out.append(f"  ⇉ {both(label('channels'))}: {ch}")


def _record_lines(records: list[dict], out: list[str]) -> None:
    """What the scenario records as having happened: accountability carried out, or a decision not to pursue."""
    if not records:
        return
    out.append("")
    out.append(f"== {both(label('records'))} ({len(records)}) ==")
    for r in records:
        outcome = both(label("outcome_" + ("pursued" if r["outcome"] == "追究" else "declined")))
        by = f" · {both(label('decided_by'))}: {r['by']}" if r["by"] else ""
        out.append(f"- {r['date']} {r['target_name']}（{r['target']}）· 事件 event {r['concerning']} · {outcome}{by}")
        if r["methods"]:
            out.append(f"  {both(label('a1_methods'))}: {'、'.join(r['methods'])}")
        for key in ("party_discipline", "government_discipline"):
            if r[key]:
                out.append(f"  {both(label(key))}: {r[key]}")
        if r.get("unknown_dates"):
            out.append(f"  {both(label('unknown_dates'))}: {'、'.join(r['unknown_dates'])}")
        if r["other_measures"]:
            out.append(f"  {both(label('other_measures'))}: {'、'.join(r['other_measures'])}")
        if r["severity"] or r.get("circumstances"):
            out.append(f"  {both(label('own_severity'))}: {_facts_found(r)}")


def _deadline_line(dl: dict) -> str:
    """One deadline: date, rule, what it counts from, and whether it was met."""
    tag = label("deadline")
    if dl["date"] is None:
        return f"⏱ {tag['zh']} {tag['en']}: {both(label('gap'))} ({dl.get('gap')}; {dl['rule']})"
    status = f" · {both(label(dl['status']))}" if dl.get("status") else ""
    approx = f" · {both(label('approximate'))}" if dl.get("approximate") else ""
    return f"⏱ {tag['zh']} {tag['en']}: {dl['date']} [{dl['rule']}; {dl['basis']}; {dl['counting']}]{status}{approx}"


def _facts_found(item: dict) -> str:
    """The sanction facts found for a liability, as recorded (情节较重、群众反映强烈 …), or '—'."""
    found = ([f"情节{item['severity']}"] if item.get("severity") else []) + list(item.get("circumstances", []))
    return "、".join(found) or "—"


def _team_line(f: dict) -> str:
    """A team's methods under the clause they actually come from (D16-9 or A1-14p2), or why there are none."""
    basis = f.get("team_sanction_basis") or []
    cite = "、".join(b["citation"] for b in basis)
    cite_en = "、".join(b["clause"] for b in basis)
    head = text("bands", "team_sanctions_under", cite=cite, cite_en=cite_en) if basis else label("team_sanctions")
    if f["team_sanctions"]:
        methods = "；".join(f["team_sanctions"])
    elif f.get("severity") or f.get("circumstances"):
        methods = both(text("bands", "no_team_band", cite=cite, cite_en=cite_en))
    elif f.get("chain_level"):
        methods = both(text("bands", "no_level_facts"))
    else:
        methods = both(label("no_severity"))
    return f"   {both(head)}: {methods} ({_facts_found(f)})"


def _sanction_lines(sanction: dict, out: list[str]) -> None:
    """The methods the measures allow an individual, and why."""
    out.append(f"   {both(label('sanction'))}:")
    if sanction["base_band"]:
        band = "、".join(sanction.get("base_bands") or [sanction["base_band"]])
    elif sanction.get("severity") or sanction.get("circumstances"):
        band = both(text("bands", "no_band"))
    elif sanction.get("chain_level"):
        band = both(text("bands", "no_level_facts"))
    else:
        band = both(label("no_severity"))
    out.append(f"     {both(label('base_band'))}: {band} ({_facts_found(sanction)})")
    if sanction["mitigating"]:
        out.append(f"     {both(label('mitigating'))}: {'、'.join(sanction['mitigating'])}")
    if sanction["aggravating"]:
        out.append(f"     {both(label('aggravating'))}: {'、'.join(sanction['aggravating'])}")
    if sanction["allowed_bands"]:
        out.append(
            f"     {both(label('allowed_bands'))}: {'、'.join(sanction['allowed_bands'])} → {'、'.join(sanction['methods'])}"
        )
    if sanction["procedure"]:
        out.append(f"     {both(label('procedure'))}: {'、'.join(sanction['procedure'])}")
    deciders: dict[str, list[str]] = {}
    for d in sanction["deciders"]:
        deciders.setdefault(d["organ"], []).append(d["method"])
    for organ, methods in deciders.items():
        out.append(f"     {both(label('deciders'))}: {organ} — {'、'.join(methods)}")
    for o in sanction["organs"]:
        out.append(f"       {o['role']}: {o['unit']}")


def render_brief(report: dict) -> str:
    """One line per finding: party, responsibility (Chinese / English), citation, event."""
    out = []
    for f in report["findings"]:
        resp = f["responsibility_label"]
        out.append(f"{f['party_name']}\t{resp['zh']} / {resp['en']}\t{f['citation']} [{f['clause']}]\t{f['event']}")
    return escape_controls("\n".join(out) + ("\n" if out else both(label("no_findings")) + "\n"))
