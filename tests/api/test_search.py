"""Search ranking: what a user typed most likely means comes first."""

from __future__ import annotations

from api.search import search_nodes
from api.state import ApiState
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings

LIYANG = new_node("Community", division_code="410611001001", name="黎阳社区")
FAMILY = new_node("EventType", code="07-02", name="家庭婚姻纠纷", aliases=["family dispute"])
LIANG = new_node("Community", division_code="410611001009", name="李岩街社区", synthetic=True)


def state() -> ApiState:
    store = MemoryStore(None)
    store.upsert_nodes([LIYANG, FAMILY, LIANG])
    return ApiState(store, Settings())


def names(text: str, first: int = 10) -> list[str | None]:
    return [n.name for n in search_nodes(state(), text, None, first)]


def test_initials_outrank_a_latin_substring_of_an_alias() -> None:
    assert names("ly", first=1) == ["黎阳社区"]
    assert names("ly") == ["黎阳社区", "李岩街社区", "家庭婚姻纠纷"]


def test_equal_spelling_outranks_a_prefix() -> None:
    assert names("lysq") == ["黎阳社区"]
    assert names("li", first=2) == ["黎阳社区", "李岩街社区"]


def test_an_exact_alias_comes_first() -> None:
    assert names("family dispute") == ["家庭婚姻纠纷"]


def test_chinese_text_uses_the_store_only() -> None:
    assert names("社区") == ["黎阳社区", "李岩街社区"]
