"""The band of methods a decision's stated 情节 reaches, read from the words of A1-14p1 and D16-9 themselves.

A1-14p1 (附件1第十四条第一款): “情节较轻的，按照第十三条第（一）、（二）、（三）、（四）项方式问责；情节较重的，
按照第十三条第（五）、（六）、（七）项方式问责；群众反映强烈、造成恶劣影响的，按照第十三条第（八）、（九）、（十）项方式
问责。” The third band rests on 群众反映强烈 and 造成恶劣影响 — both, joined by “、” — and not on any word of
severity: “情节严重” does not appear in A1-14p1 and reaches no band there.

D16-9 (16号第九条): “情节较轻的，及时予以提醒；情节较重的，责令作出书面检查，给予通报批评；情节严重、造成恶劣影响的，
对该领导班子进行调整处理。” For a team the third measure rests on 情节严重 and 造成恶劣影响.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.schema import METHODS

# A1-14p1: the band of each A1-13 method (1: items 1–4, 2: items 5–7, 3: items 8–10)
METHOD_BAND = {m: (1 if i < 4 else 2 if i < 7 else 3) for i, m in enumerate(METHODS)}
# D16-9: the level of each team measure (0 提醒, 1 书面检查 + 通报批评, 2 组织调整)
TEAM_LEVEL = {"提醒": 0, "书面检查": 1, "通报批评": 1, "组织调整": 2}
COLLECTIVE_METHODS = METHODS[:4]  # A1-14p2: 第十三条中（一）至（四）种


@dataclass(frozen=True)
class Band:
    """The band a decision's 情节 reaches, what it rests on, and whether 情节严重 was the only heavy word."""

    band: int | None
    rests_on: tuple[str, ...]
    severity_word_only: bool  # 情节严重 stated without 群众反映强烈 and 造成恶劣影响


def a1_14p1_band(circumstances: list[str], join: str = "both", grave: str = "own_criterion") -> Band:
    """A1-14p1: 较轻 → band 1; 较重 → band 2; 群众反映强烈、造成恶劣影响 → band 3 (both facts under the literal
    `third_band_join=both`, either under `either`); 情节严重 is no criterion of A1-14p1 and reaches no band
    (`grave_degree=own_criterion`), or counts as 较重 (`at_least_heavier`)."""
    c = set(circumstances)
    third = ("群众反映强烈", "造成恶劣影响")
    hits = tuple(w for w in third if w in c)
    if len(hits) == 2 or (join == "either" and hits):
        return Band(3, hits, False)
    alone = "情节严重" in c
    if "较重" in c:
        return Band(2, ("较重",), alone)
    if alone and grave == "at_least_heavier":
        return Band(2, ("情节严重",), True)
    if "较轻" in c:
        return Band(1, ("较轻",), alone)
    return Band(None, (), alone)


def d16_9_level(circumstances: list[str], join: str = "both", grave: str = "own_criterion") -> Band:
    """D16-9: 较轻 → 提醒 (0); 较重 → 书面检查 and 通报批评 (1); 情节严重、造成恶劣影响 → 调整处理 (2) (both facts
    under `third_band_join=both`, either under `either`); 情节严重 alone counts as 较重 under `at_least_heavier`."""
    c = set(circumstances)
    third = ("情节严重", "造成恶劣影响")
    hits = tuple(w for w in third if w in c)
    if len(hits) == 2 or (join == "either" and hits):
        return Band(2, hits, False)
    if "较重" in c:
        return Band(1, ("较重",), False)
    if "情节严重" in c and grave == "at_least_heavier":
        return Band(1, ("情节严重",), False)
    if "较轻" in c:
        return Band(0, ("较轻",), False)
    return Band(None, (), "情节严重" in c)


def allowed_bands(base: int, mitigating: bool, aggravating: bool, modifier_effect: str) -> tuple[int, ...]:
    """The bands open after A1-15/A1-16: under the `usual` reading 减轻 reaches the band below and 加重 the one
    above; under `within_band` both stay in the band (kb/interpretations.yaml, modifier_effect)."""
    out = {base}
    if modifier_effect == "usual":
        if mitigating and base > 1:
            out.add(base - 1)
        if aggravating and base < 3:
            out.add(base + 1)
    return tuple(sorted(out))
