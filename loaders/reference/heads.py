"""The heads the other parts leave out: secretaries of the district committee and the
subdistrict working committees, chairs of residents' and owners' committees.

Why a part of its own, built last: every random draw of the parts before it stays as it was,
so adding these posts changes no other record of the graph (names, dates, samples). None of
these people is named by the seed: all are generated and marked synthetic.
"""

from __future__ import annotations

from graph.model import Node
from loaders.reference import timeline
from loaders.reference.builder import DistrictBuild
from loaders.reference.governance import Governance
from loaders.reference.society import Society
from loaders.reference.timeline import CHANGE_COUNTS, day_before, random_day
from schema.vocab import PostType

DISTRICT_SECRETARY_FROM = "2021-03-01"  # the district committee's secretary, with the leading group


def build_heads(b: DistrictBuild, gov: Governance, society: Society) -> None:
    """Party secretaries of the two upper party levels; chairs of self-governing committees."""
    assert gov.district_committee is not None
    _hold(b, PostType.PARTY_SECRETARY, gov.district_committee, DISTRICT_SECRETARY_FROM, True)
    for committee in gov.working_committee.values():
        start = random_day(b.rng, "2020-06-01", "2021-06-01")
        _hold(b, PostType.PARTY_SECRETARY, committee, start, True)
    committees = list(society.residents_committee.values())
    replaced = {c.id for c in b.sample(committees, CHANGE_COUNTS["chair_election"])}
    day = timeline.CHAIR_ELECTION_DAY
    for rc in committees:
        start = random_day(b.rng, "2021-05-01", "2021-07-31")  # the 2021 elections (换届)
        post = b.post(PostType.COMMITTEE_DIRECTOR, rc)
        if rc.id in replaced:
            _hold_post(b, post, rc, start, day_before(day))
            _hold_post(b, post, rc, day)
        else:
            _hold_post(b, post, rc, start)
    for oc in society.owners_committee.values():
        start = random_day(b.rng, "2019-01-01", timeline.REPORT_DAY)
        _hold(b, PostType.COMMITTEE_DIRECTOR, oc, start, None)


def _hold(
    b: DistrictBuild, post_type: PostType, within: Node, start: str, party: bool | None
) -> None:
    """A new post of ``post_type`` in ``within``, held by a new member from ``start`` on."""
    person = b.person(party_member=party)
    b.hold(person, b.post(post_type, within), start)
    b.rel("MEMBER_OF", person, within, valid_from=start)


def _hold_post(
    b: DistrictBuild, post: Node, within: Node, start: str, end: str | None = None
) -> None:
    """A resident elected to ``post`` for ``[start, end]``, a member of ``within`` as long."""
    person = b.person()
    b.hold(person, post, start, end, drawn_from="residents")
    b.rel("MEMBER_OF", person, within, valid_from=start, valid_to=end)
