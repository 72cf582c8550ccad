"""Who answers at each grid level: the declarations responsibility chains are read from.

The seed names, level by level, the person in charge, the party organisation and the units a
grid may convene. Declared here once, as data, so that the chain query, the gaps report, the
CLI and the API documentation all read the same rules; the meeting of each level comes from
:data:`schema.registry.GRID_LEVELS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schema.ontology import GridLevel, GridLevelInfo
from schema.registry import GRID_LEVELS
from schema.vocab import PartyLevel, PostType


class Via(StrEnum):
    """Where a post that puts someone in charge of a grid is attached."""

    GRID = "grid"  # Post -POST_IN-> the grid itself
    PARTY_ORGANIZATION = "party_organization"  # Post -POST_IN-> the party org that COVERS the grid
    PAIRED_DEPARTMENT = "paired_department"  # Post -POST_IN-> the Department PAIRED_WITH the grid
    LEADING_GROUP = "leading_group"  # Post -POST_IN-> the LeadingGroup that COVERS the grid


class UnitRole(StrEnum):
    """Why a unit can be convened by a grid (what it is to that grid)."""

    PROPERTY_FIRM = "property_firm"  # 物业公司 managing the compound
    OWNERS_COMMITTEE = "owners_committee"  # 业委会 managing the compound itself (业主自管)
    PAIRED_DEPARTMENT = "paired_department"  # 包联单位: the "1" of 1+5+N
    KEY_UNIT = "key_unit"  # one of the five key responsible units: the "5"
    N_DEPARTMENT = "n_department"  # a further department handling the event: the "N"


@dataclass(frozen=True)
class LeaderSource:
    """A post whose holders are in charge of a grid, and where that post is attached."""

    post_type: PostType
    via: Via


@dataclass(frozen=True)
class LevelDuty:
    """What a grid at one level must have on a given date for its chain to be complete."""

    level: GridLevel
    leaders: tuple[LeaderSource, ...]
    party_level: PartyLevel
    party_leader_posts: tuple[PostType, ...]
    needs_manager: bool = False  # a property firm or owners' committee (compounds)
    needs_pairing: bool = False  # a paired department (communities)
    needs_leading_group: bool = False  # a leading group (the district)

    @property
    def info(self) -> GridLevelInfo:
        """The seed's description of the level: leader and meeting (五级议事协商)."""
        return _INFO[self.level]


_INFO = {g.level: g for g in GRID_LEVELS}

LEVEL_DUTIES: tuple[LevelDuty, ...] = (
    LevelDuty(
        GridLevel.BUILDING,
        leaders=(LeaderSource(PostType.BUILDING_LEADER, Via.GRID),),
        party_level=PartyLevel.BUILDING_GROUP,
        party_leader_posts=(PostType.GROUP_LEADER,),
    ),
    LevelDuty(
        GridLevel.COMPOUND,
        leaders=(
            LeaderSource(PostType.COMPOUND_GRID_LEADER, Via.GRID),
            LeaderSource(PostType.BRANCH_SECRETARY, Via.PARTY_ORGANIZATION),
        ),
        party_level=PartyLevel.COMPOUND_BRANCH,
        party_leader_posts=(PostType.BRANCH_SECRETARY,),
        needs_manager=True,
    ),
    LevelDuty(
        GridLevel.COMMUNITY,
        leaders=(
            LeaderSource(PostType.COMMUNITY_GRID_LEADER, Via.GRID),
            LeaderSource(PostType.DEPARTMENT_HEAD, Via.PAIRED_DEPARTMENT),
        ),
        party_level=PartyLevel.COMMUNITY_BIG_COMMITTEE,
        party_leader_posts=(PostType.FIRST_SECRETARY, PostType.PARTY_SECRETARY),
        needs_pairing=True,
    ),
    LevelDuty(
        GridLevel.SUBDISTRICT,
        leaders=(LeaderSource(PostType.DISTRICT_CONTACT_LEADER, Via.GRID),),
        party_level=PartyLevel.SUBDISTRICT_WORKING_COMMITTEE,
        party_leader_posts=(PostType.PARTY_SECRETARY,),
    ),
    LevelDuty(
        GridLevel.DISTRICT,
        leaders=(LeaderSource(PostType.LEADING_GROUP_HEAD, Via.LEADING_GROUP),),
        party_level=PartyLevel.DISTRICT_COMMITTEE,
        party_leader_posts=(PostType.PARTY_SECRETARY,),
        needs_leading_group=True,
    ),
)

#: Duties by level; iterate :data:`LEVEL_DUTIES` for the chain's order (building first).
DUTY_OF: dict[GridLevel, LevelDuty] = {d.level: d for d in LEVEL_DUTIES}

#: The chain's order: from the building, where the event happens, up to the district.
CHAIN_ORDER: tuple[GridLevel, ...] = tuple(d.level for d in LEVEL_DUTIES)
