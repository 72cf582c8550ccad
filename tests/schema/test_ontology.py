"""The ontology is internally consistent and derives stable ids."""

from __future__ import annotations

import pytest

from schema import ONTOLOGY, GridLevel
from schema.codes import CodeError, uscc_with_check, validate_uscc


def test_five_grid_levels_in_order() -> None:
    assert [k.grid_level for k in ONTOLOGY.grid_kinds()] == list(GridLevel)
    assert set(ONTOLOGY.grid_levels) == set(GridLevel)


def test_every_relationship_names_known_kinds() -> None:
    for rel in ONTOLOGY.relations.values():
        for end in (*rel.sources, *rel.targets):
            assert end in ONTOLOGY.kinds


def test_keys_are_declared_properties() -> None:
    for kind in ONTOLOGY.kinds.values():
        names = {p.name for p in kind.all_props}
        assert set(kind.key) <= names, kind.name


def test_ids_are_derived_from_natural_keys() -> None:
    building = ONTOLOGY.kind("Building")
    key = {"community_code": "410611001001", "compound_no": "007", "building_no": "03"}
    assert building.node_id(key) == "building:410611001001-007-03"
    assert ONTOLOGY.kind_of_id("building:410611001001-007-03") is building
    with pytest.raises(ValueError, match="building_no"):
        building.node_id({"community_code": "410611001001", "compound_no": "007"})


def test_temporal_relationships_carry_validity() -> None:
    for name in ("PAIRED_WITH", "HOLDS", "MANAGES", "PARTY_TO", "MEMBER_OF"):
        rel = ONTOLOGY.relation(name)
        assert rel.temporal
        assert {"valid_from", "valid_to"} <= {p.name for p in rel.all_props}


def test_uscc_check_character() -> None:
    code = uscc_with_check("91410611MA44ABCD1")
    assert validate_uscc(code) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(CodeError, match="check character"):
        validate_uscc(wrong)


def test_personal_fields_are_declared_in_the_ontology() -> None:
    assert ONTOLOGY.kind("Agreement").personal_props == {"contact", "contact_phone"}
    assert ONTOLOGY.kind("Agreement").prop("contact").personal
    assert not ONTOLOGY.kind("Agreement").prop("code").personal


def test_an_organisation_kind_needs_no_hand_kept_list() -> None:
    """Declaring the Organization interface is all a new kind needs: the relationships that
    organisations may have follow from it (schema.relations derives its lists)."""
    from schema import ONTOLOGY
    from schema.kinds import ORGANIZATION

    orgs = {k.name for k in ONTOLOGY.implementers(ORGANIZATION)}
    assert len(orgs) >= 9
    rel = ONTOLOGY.relations
    assert orgs <= set(rel["MEMBER_OF"].targets)
    assert orgs <= set(rel["COVERS"].sources) and orgs <= set(rel["PARTY_TO"].sources)
    assert orgs <= set(rel["POST_IN"].targets)
