"""A small graph the spreadsheets refer to: units, communities, departments, compounds.

Two communities share the alias 老城社区, so a cell saying 老城社区 is ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.model import new_node
from schema.codes import uscc_with_check

UNIT_A = uscc_with_check("12410000415801234")  # 河南师范大学社会事业学院
UNIT_B = uscc_with_check("91410611MA44ABCD1")  # 鹤壁合成科技有限公司 (synthetic)
FIRM = uscc_with_check("91410611MA44WY001")


def seed(store: MemoryStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes([
            new_node("District", division_code="410611", name="淇滨区"),
            new_node("Subdistrict", division_code="410611001", name="黎阳路街道"),
            new_node("Community", division_code="410611001001", name="黎阳社区",
                     aliases=["老城社区"]),
            new_node("Community", division_code="410611001002", name="东方社区",
                     aliases=["老城社区"]),
            new_node("Community", division_code="410611001003", name="观景社区"),
            new_node("Unit", uscc=UNIT_A, name="河南师范大学社会事业学院", aliases=["河师大"]),
            new_node("Unit", uscc=UNIT_B, name="鹤壁合成科技有限公司", synthetic=True),
            new_node("Department", code="D001", name="淇滨区城市管理局", key_unit=True),
            new_node("Department", code="D002", name="淇滨区民政局"),
            new_node("Compound", community_code="410611001001", compound_no="007",
                     name="幸福小区"),
            new_node("PropertyFirm", uscc=FIRM, name="鹤壁合成物业服务有限公司", synthetic=True),
        ])  # fmt: skip
        tx.upsert_relationships([])


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    s = MemoryStore(path)
    seed(s)
    s.close()
    return path


@pytest.fixture
def seeded(store_path: Path) -> Iterator[MemoryStore]:
    s = MemoryStore(store_path)
    yield s
    s.close()


def snapshot(store: MemoryStore) -> tuple[dict, dict]:
    """Every data node and relationship with its properties (the import log left out)."""
    nodes = {n.id: dict(n.props) for n in store.iter_nodes() if n.kind != "ImportRun"}
    rels = {r.id: dict(r.props) for r in store.iter_relationships()}
    return nodes, rels


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)
