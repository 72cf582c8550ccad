"""The admin edits behind the API's mutations: add and end agreements and pairings."""

from __future__ import annotations

from datetime import date

import pytest

from graph.memory import MemoryStore
from loaders import edits, load_records
from loaders.edits import end_agreement, end_pairing
from loaders.errors import LoadError


def test_add_and_end_an_agreement(seeded: MemoryStore) -> None:
    report = load_records(seeded, "agreements", [
        {"code": "GJ-7", "partner": "河师大", "community": "黎阳社区", "signed_on": "2023/5/1",
         "valid_from": "2023-05-01", "topics": ["海棠书巷"]},
    ], loaded_by="admin")  # fmt: skip
    assert report.status == "loaded" and report.changes.relationships_created == 2
    bad = load_records(seeded, "agreements", [{"code": "GJ-8", "community": "无名社区"}])
    assert bad.status == "rejected"  # no partner given at all: a missing column
    assert [p.code for p in bad.errors] == ["missing_one_of"]  # one problem, not one per row
    summary = end_agreement(seeded, "GJ-7", date(2024, 12, 31), loaded_by="admin")
    assert (summary.nodes_updated, summary.relationships_updated) == (1, 2)
    hops = seeded.neighbours(["agreement:GJ-7"], "PARTY_TO", direction="in",
                             as_of=date(2025, 1, 1))["agreement:GJ-7"]  # fmt: skip
    assert hops == []
    assert seeded.get_nodes(["agreement:GJ-7"])["agreement:GJ-7"].props["valid_to"] == (
        "2024-12-31"
    )
    with pytest.raises(LoadError, match="cannot end on 2020-01-01"):
        end_agreement(seeded, "GJ-7", "2020/1/1")
    with pytest.raises(LoadError, match="no agreement"):
        end_agreement(seeded, "GJ-404", "2024-01-01")


def test_add_and_end_a_pairing(seeded: MemoryStore) -> None:
    report = load_records(seeded, "pairings", [
        {"包联单位": "淇滨区民政局", "社区": "观景社区", "生效日期": "2022年1月1日"},
    ])  # fmt: skip
    assert report.status == "loaded", report.problems
    summary = end_pairing(seeded, "D002", "观景社区", "2023-06-30")
    assert summary.relationships_updated == 1
    assert seeded.neighbours(["department:D002"], "PAIRED_WITH",
                             as_of=date(2023, 7, 1))["department:D002"] == []  # fmt: skip
    assert len(seeded.neighbours(["department:D002"], "PAIRED_WITH",
                                 as_of=date(2023, 6, 30))["department:D002"]) == 1  # fmt: skip
    with pytest.raises(LoadError, match="is not paired"):
        end_pairing(seeded, "D002", "观景社区", "2024-01-01")
    with pytest.raises(LoadError, match="matches several records"):
        end_pairing(seeded, "D002", "老城社区", "2024-01-01")


def test_ending_again_on_the_same_day_writes_nothing(
    seeded: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a second later (a new ``loaded_at`` stamp), the second end is no change."""
    pairing = {"包联单位": "D002", "社区": "观景社区", "生效日期": "2022-01-01"}
    agreement = {"code": "GJ-9", "partner": "河师大", "community": "黎阳社区",
                 "valid_from": "2023-05-01"}  # fmt: skip
    load_records(seeded, "pairings", [pairing])
    load_records(seeded, "agreements", [agreement])
    stamps = iter(["2026-01-01T00:00:01", "2026-01-01T00:00:02", "2026-01-01T00:00:03",
                   "2026-01-01T00:00:04"])  # fmt: skip
    monkeypatch.setattr(edits, "now_iso", lambda: next(stamps))
    assert end_pairing(seeded, "D002", "观景社区", "2023-06-30").relationships_updated == 1
    again = end_pairing(seeded, "D002", "观景社区", "2023-06-30")
    assert not again.changed and again.relationships_unchanged == 1
    assert end_agreement(seeded, "GJ-9", "2024-12-31").changed
    version = seeded.version()
    assert not end_agreement(seeded, "GJ-9", "2024-12-31").changed
    assert seeded.version() == version
    node = seeded.get_nodes(["agreement:GJ-9"])["agreement:GJ-9"]
    assert node.props["loaded_at"] == "2026-01-01T00:00:02"  # the first end's stamp
