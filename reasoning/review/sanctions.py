"""Checks of what a decision decides: each method inside the band A1-14p1 / A1-14p2 / D16-9 allow for the 情节
found (after A1-15 / A1-16), the circumstances claimed, and 党纪政纪处分 / 移送司法机关 kept apart (A1-4)."""

from __future__ import annotations

from kb.registry import covers
from kb.schema import circumstances_of
from reasoning.facts import CIRCUMSTANCE_FACTS
from reasoning.review.bands import (
    COLLECTIVE_METHODS,
    METHOD_BAND,
    TEAM_LEVEL,
    a1_14p1_band,
    allowed_bands,
    d16_9_level,
)
from reasoning.review.context import Context, doc_of
from reasoning.review.verdict import CANNOT_TELL, PASS, PROBLEM, Verdict, judged

_BAND_DEPS = ["modifier_effect", "third_band_join", "grave_degree"]
_TEAM_DEPS = ["team_sanctions", "third_band_join", "grave_degree"]


def _readings(ctx: Context) -> tuple[str, str]:
    """The readings of A1-14p1's and D16-9's joined facts and of 情节严重 (literal defaults where the rule book
    does not name them)."""
    return ctx.readings.get("third_band_join", "both"), ctx.readings.get("grave_degree", "own_criterion")


def _individual(ctx: Context, p) -> list[Verdict]:
    band = a1_14p1_band(p.circumstances, *_readings(ctx))
    if not p.methods:
        return [Verdict("band", p.party, "A1-13", PROBLEM, "no_method", {}, fix="fix_add_method")]
    heaviest = max(METHOD_BAND[m] for m in p.methods)
    lightest = min(METHOD_BAND[m] for m in p.methods)
    params = {"circumstances": list(p.circumstances), "methods": list(p.methods)}
    if band.band is None:
        if band.severity_word_only and heaviest == 3:
            return [
                Verdict(
                    "band",
                    p.party,
                    "A1-14p1",
                    PROBLEM,
                    "band3_on_severity_word",
                    params,
                    fix="fix_band3_circumstances",
                    interpretations=_BAND_DEPS,
                )
            ]
        return [
            Verdict("band", p.party, "A1-14p1", CANNOT_TELL, "no_circumstance", params, fix="fix_state_circumstance")
        ]
    allowed = allowed_bands(band.band, bool(p.mitigating), bool(p.aggravating), ctx.readings["modifier_effect"])
    params.update(
        {
            "base_band": band.band,
            "rests_on": list(band.rests_on),
            "allowed": list(allowed),
            "mitigating": list(p.mitigating),
            "aggravating": list(p.aggravating),
        }
    )
    if heaviest > max(allowed):
        reason = "band3_on_severity_word" if band.severity_word_only and heaviest == 3 else "method_above_band"
        over = [m for m in p.methods if METHOD_BAND[m] > max(allowed)]
        return [
            Verdict(
                "band",
                p.party,
                "A1-14p1",
                PROBLEM,
                reason,
                {**params, "over": over},
                fix="fix_method_in_band",
                fix_params={"allowed": list(allowed)},
                interpretations=_BAND_DEPS,
            )
        ]
    if lightest < min(allowed):
        under = [m for m in p.methods if METHOD_BAND[m] < min(allowed)]
        return [
            Verdict(
                "band",
                p.party,
                "A1-14p1",
                PASS,
                "method_below_band",
                {**params, "under": under},
                interpretations=_BAND_DEPS,
                note=True,
            )
        ]
    return [Verdict("band", p.party, "A1-14p1", PASS, "method_in_band", params, interpretations=_BAND_DEPS)]


def _team(ctx: Context, p) -> list[Verdict]:
    d16_party_team = p.responsibility == "主体责任" and any(doc_of(c) == "D16" for c in p.clauses)
    reading = ctx.readings["team_sanctions"]
    params = {"circumstances": list(p.circumstances), "methods": list(p.methods), "measures": list(p.team_measures)}
    if d16_party_team and reading == "d16_9":
        level = d16_9_level(p.circumstances, *_readings(ctx))
        if p.methods:
            return [
                Verdict(
                    "band",
                    p.party,
                    "D16-9",
                    PROBLEM,
                    "team_a1_methods_under_d16_9",
                    params,
                    fix="fix_team_measures",
                    interpretations=_TEAM_DEPS,
                )
            ]
        if not p.team_measures:
            return [Verdict("band", p.party, "D16-9", PROBLEM, "no_method", params, fix="fix_add_method")]
        if level.band is None:
            return [
                Verdict(
                    "band",
                    p.party,
                    "D16-9",
                    CANNOT_TELL,
                    "no_circumstance",
                    params,
                    fix="fix_state_circumstance",
                    interpretations=_TEAM_DEPS,
                )
            ]
        params.update({"base_band": level.band, "rests_on": list(level.rests_on)})
        heaviest = max(TEAM_LEVEL[m] for m in p.team_measures)
        if heaviest > level.band:
            return [
                Verdict(
                    "band",
                    p.party,
                    "D16-9",
                    PROBLEM,
                    "team_above_band",
                    params,
                    fix="fix_team_measures",
                    interpretations=_TEAM_DEPS,
                )
            ]
        if heaviest < level.band:
            return [
                Verdict(
                    "band", p.party, "D16-9", PASS, "team_below_band", params, interpretations=_TEAM_DEPS, note=True
                )
            ]
        return [Verdict("band", p.party, "D16-9", PASS, "team_in_band", params, interpretations=_TEAM_DEPS)]
    # A1-14p2: collective accountability of a team takes methods 1–4 only
    bad = [m for m in p.methods if m not in COLLECTIVE_METHODS] + [m for m in p.team_measures if m == "组织调整"]
    deps = _TEAM_DEPS if d16_party_team else []
    if bad:
        return [
            Verdict(
                "band",
                p.party,
                "A1-14p2",
                PROBLEM,
                "team_beyond_collective",
                {**params, "over": bad},
                fix="fix_collective_methods",
                interpretations=deps,
            )
        ]
    if not p.methods and not p.team_measures:
        return [Verdict("band", p.party, "A1-14p2", PROBLEM, "no_method", params, fix="fix_add_method")]
    params["methods"] = list(p.methods) + list(p.team_measures)
    return [Verdict("band", p.party, "A1-14p2", PASS, "team_collective_ok", params, interpretations=deps)]


def check_bands(ctx: Context) -> list[Verdict]:
    """Each party's methods against the band of its 情节."""
    out = []
    for p in ctx.parties():
        out += _individual(ctx, p) if ctx.is_person(p.party) else _team(ctx, p)
    return out


_A16_READINGS = ("one_year", "two_situations")  # what A1-16.1's aggravating circumstances depend on


def check_circumstances(ctx: Context) -> list[Verdict]:
    """A1-15/A1-16 claimed are established on the facts; an A1-16 circumstance found must be applied (应当)."""
    out = []
    for p in ctx.parties():
        if not ctx.is_person(p.party):
            continue
        found_m = {r[2] for r in ctx.ev.rows("mitigating") if r[:2] == (p.party, p.event)}
        found_a = {r[2] for r in ctx.ev.rows("aggravating") if r[:2] == (p.party, p.event)}
        for claimed, found, deps in ((p.mitigating, found_m, []), (p.aggravating, found_a, _A16_READINGS)):
            for item in claimed:
                ok = any(covers(item, f) for f in found)
                out.append(
                    judged(
                        "circumstance",
                        p.party,
                        item,
                        ok,
                        ("circumstance_established", "circumstance_not_established"),
                        {"event": p.event},
                        "fix_circumstance_facts",
                        interpretations=list(deps),
                        subject=item,
                    )
                )
        for item in sorted(found_a - set(p.aggravating)):
            out.append(
                Verdict(
                    "circumstance",
                    p.party,
                    item,
                    PROBLEM,
                    "aggravating_not_applied",
                    {"event": p.event},
                    fix="fix_apply_aggravating",
                    interpretations=list(_A16_READINGS),
                    subject=item,
                )
            )
    return out


def check_channels(ctx: Context) -> list[Verdict]:
    """A1-4 (D16-3, A2-3): 党纪政纪处分 decided apart by the discipline organ; a suspected crime is referred."""
    out = []
    for p in ctx.parties():
        e = ctx.event(p.event)
        flags = set(getattr(e, "flags", []) or [])
        if p.discipline is not None:
            organ = ctx.units.get(p.discipline.by)
            ok = organ is not None and organ.kind in ("纪委", "纪检组")
            out.append(
                judged(
                    "discipline",
                    p.party,
                    "A1-4",
                    ok,
                    ("discipline_apart", "discipline_wrong_organ"),
                    {"sanction": p.discipline.sanction, "by": p.discipline.by},
                    "fix_discipline_organ",
                    subject="discipline",
                )
            )
        elif "需要追究纪律责任" in flags and ctx.is_person(p.party):
            out.append(
                Verdict(
                    "discipline",
                    p.party,
                    "A1-4",
                    PROBLEM,
                    "discipline_missing",
                    {"event": p.event},
                    fix="fix_discipline_add",
                    subject="discipline",
                )
            )
        if "涉嫌犯罪" in flags and ctx.is_person(p.party):
            out.append(
                judged(
                    "discipline",
                    p.party,
                    "A1-4",
                    bool(p.referral),
                    ("referral_made", "referral_missing"),
                    {"event": p.event},
                    "fix_referral",
                    subject="referral",
                )
            )
    return out


_DEGREE_WORDS = {"较轻": "较轻", "较重": "较重", "严重": "情节严重"}  # a recorded degree in a decision's words


def recorded_circumstances(event: object) -> set[str] | None:
    """The 情节 the scenario records for an event, in the decision's words: its sanction facts as the rules read
    them (kb/schema.circumstances_of: `circumstances`, else the older `severity`); None when nothing is recorded."""
    found = circumstances_of(event)
    if found is None:
        return None
    words = {_DEGREE_WORDS[found.degree]} if found.degree in _DEGREE_WORDS else set()
    words |= {word for field, word in CIRCUMSTANCE_FACTS if getattr(found, field)}
    return words or None


def check_found(ctx: Context) -> list[Verdict]:
    """The 情节 the decision finds against those the scenario records: another degree (较轻 for 较重) is a problem;
    a fact the scenario does not record cannot be told from it."""
    out = []
    for p in ctx.parties():
        recorded = recorded_circumstances(ctx.event(p.event))
        if recorded is None or not p.circumstances:
            continue
        stated = set(p.circumstances)
        degrees = {"较轻", "较重"}
        clause = "A1-14p1" if ctx.is_person(p.party) else "D16-9"
        params = {"stated": sorted(stated), "recorded": sorted(recorded), "event": p.event}
        if stated & degrees and recorded & degrees and stated & degrees != recorded & degrees:
            out.append(
                Verdict(
                    "circumstances_found",
                    p.party,
                    clause,
                    PROBLEM,
                    "degree_differs",
                    params,
                    fix="fix_degree",
                    fix_params={"recorded": sorted(recorded)},
                )
            )
        elif stated - recorded:
            out.append(
                Verdict(
                    "circumstances_found",
                    p.party,
                    clause,
                    CANNOT_TELL,
                    "circumstance_unrecorded",
                    {**params, "unrecorded": sorted(stated - recorded)},
                    fix="fix_record_circumstance",
                )
            )
        else:
            out.append(Verdict("circumstances_found", p.party, clause, PASS, "circumstances_as_recorded", params))
    return out
