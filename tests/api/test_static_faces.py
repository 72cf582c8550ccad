"""What mypy sees of the API's run-time classes is what strawberry builds.

Types and enums built from the ontology (and the load kinds) at import have a static face under
``if TYPE_CHECKING:`` in the module that builds them. The faces are read here from the source,
as mypy reads them, and each is held to the class the module builds under the same name: its
bases, its plain fields (a face that declares fields of its own declares all of them, by the
same names; one that declares none claims only its bases' fields), the enum members it names.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.lazy_type import LazyType

import api

API = Path(api.__file__).parent


@dataclass(frozen=True)
class Face:
    module: str
    name: str
    bases: tuple[str, ...]
    fields: tuple[str, ...]  # annotated attributes, in order
    members: dict[str, object]  # NAME = value assignments (enum members)


def _faces_in(path: Path) -> list[Face]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(path.relative_to(API.parent).with_suffix("").parts)
    found = []
    for stmt in tree.body:
        if not (isinstance(stmt, ast.If) and ast.unparse(stmt.test) == "TYPE_CHECKING"):
            continue
        for cls in (s for s in stmt.body if isinstance(s, ast.ClassDef)):
            fields = tuple(
                s.target.id
                for s in cls.body
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            )
            members = {
                s.targets[0].id: ast.literal_eval(s.value)
                for s in cls.body
                if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name)
            }
            bases = tuple(ast.unparse(b) for b in cls.bases)
            found.append(Face(module, cls.name, bases, fields, members))
    return found


FACES = [f for path in sorted(API.rglob("*.py")) for f in _faces_in(path)]
_BY_NAME = {(f.module, f.name): f for f in FACES}


def _fields_with_bases(face: Face) -> list[str]:
    """The face's fields and those of the faces it derives from (as mypy sees them)."""
    inherited = [
        name
        for base in face.bases
        if (face.module, base) in _BY_NAME
        for name in _fields_with_bases(_BY_NAME[(face.module, base)])
    ]
    return inherited + list(face.fields)


def test_the_faces_are_found() -> None:
    names = {f"{f.module}.{f.name}" for f in FACES}
    assert {"api.types.Node", "api.types.Kind", "api.filters.RelStep"} <= names
    assert {"api.schema.admin.AgreementInput", "api.schema.chain.GapKindEnum"} <= names


@pytest.mark.parametrize("face", FACES, ids=lambda f: f"{f.module}.{f.name}")
def test_each_face_matches_its_built_class(face: Face) -> None:
    module = importlib.import_module(face.module)
    built = getattr(module, face.name, None)
    assert isinstance(built, type), f"{face.module} builds no class {face.name}"
    ancestors = {c.__name__ for c in built.__mro__}
    for base in face.bases:
        assert base.rsplit(".", 1)[-1] in ancestors, f"{face.name} is no {base} when built"
    if "Enum" in face.bases:
        assert issubclass(built, Enum) and hasattr(built, "__strawberry_definition__")
        assert len(built) > 0, f"{face.name} is built without members"
        for member, value in face.members.items():
            assert built[member].value == value
        return
    definition = getattr(built, "__strawberry_definition__", None)
    assert isinstance(definition, StrawberryObjectDefinition), f"{face.name} is no GraphQL type"
    declared = [n for n in _fields_with_bases(face) if not n.startswith("_")]
    plain = [f.python_name for f in definition.fields if f.base_resolver is None]
    if face.fields:  # a face that declares fields of its own declares them all
        assert sorted(declared) == sorted(plain), f"{face.name}: face and built fields differ"
    else:  # a marker face (a kind type, a where input) claims only what its bases declare
        assert set(declared) <= set(plain), f"{face.name} lacks fields its face inherits"


def test_a_face_that_declares_fields_would_fail_on_a_missing_one() -> None:
    node = next(f for f in FACES if (f.module, f.name) == ("api.types", "Node"))
    assert "name" in node.fields and "kind" in node.fields
    short = Face(
        node.module, node.name, node.bases, tuple(n for n in node.fields if n != "name"), {}
    )
    with pytest.raises(AssertionError, match="differ"):
        test_each_face_matches_its_built_class(short)


def test_the_lazy_references_resolve_to_the_built_filters() -> None:
    import api.filters
    import api.types

    for name in ("NodeWhere", "RelStep"):
        lazy = getattr(api.types, name)
        assert isinstance(lazy, LazyType)
        assert lazy.resolve_type() is getattr(api.filters, name)


def test_the_domain_enums_are_their_own_graphql_enums() -> None:
    import api.types
    from graph.model import Direction
    from schema.ontology import GridLevel

    assert api.types.GridLevelEnum is GridLevel and api.types.DirectionEnum is Direction
    assert getattr(GridLevel, "__strawberry_definition__").name == "GridLevel"  # noqa: B009
