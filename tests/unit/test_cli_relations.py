"""`briefgraph actor | dyad | similar | paths`: readable tables from hand-built briefs in fake stores."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgraph import cli
from briefgraph.cli_relations import render_actor, render_dyad, render_paths, render_similar, table
from core.adapters.qdrant_store import point_id
from core.bootstrap import Stores
from core.errors import InvalidInputError, NotFoundError
from core.models import PassagePoint
from graph_schema.ontology import EventType
from tests.graph_fixtures import HEZ, ISR, LBN, SYR, TUR, make_brief


@pytest.fixture
def stores(fake_stores: Stores) -> Stores:
    briefs = [
        make_brief(
            "b1",
            dt.date(2025, 3, 2),
            [
                (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials met in a neutral capital."),
                (ISR, SYR, EventType.ASSAULT, True, "Israeli aircraft struck an air base in central Syria."),
            ],
        ),
        make_brief(
            "b2",
            dt.date(2025, 4, 9),
            [
                (ISR, TUR, EventType.CONSULT, False, "Delegations from both countries talked about air safety."),
                (HEZ, ISR, EventType.ASSAULT, True, "The group fired rockets across the border at dawn."),
            ],
        ),
        make_brief("b3", dt.date(2024, 11, 20), [(LBN, HEZ, EventType.COERCE, True, "Beirut pressed the group.")]),
    ]
    fake_stores.graph.replace_briefs(briefs)
    texts = {"b1": "talks between Turkey and Israel on Syria air bases", "b2": "talks Turkey Israel air safety rockets"}
    texts["b3"] = "Lebanon presses Hezbollah to withdraw"
    vectors = fake_stores.embedder.embed(list(texts.values()))
    fake_stores.vectors.replace_briefs(
        [
            (
                brief.brief.id,
                [
                    PassagePoint(
                        point_id=point_id(brief.brief.id, "brief", 0),
                        brief_id=brief.brief.id,
                        kind="brief",
                        vector=tuple(vector),
                        text=texts[brief.brief.id],
                        title=brief.brief.title,
                        date=brief.brief.date,
                        section=None,
                        sentence_start=None,
                        sentence_end=None,
                        actors=tuple(a.id for a in brief.actors),
                        event_types=(),
                        content_hash=brief.brief.content_hash,
                    )
                ],
            )
            for brief, vector in zip(briefs, vectors, strict=True)
        ]
    )
    return fake_stores


def test_table_aligns_columns_and_shortens_long_cells() -> None:
    text = table(["name", "n"], [["Turkey", 3], ["Israel", 12], ["x" * 200, 1]], right=(1,))
    lines = text.splitlines()
    assert lines[0].split() == ["name", "n"] and len(lines[0]) == len(lines[4])
    assert lines[1].startswith("----") and lines[2].endswith(" 3") and lines[3].endswith("12")
    assert lines[4].startswith("x" * 89 + "…")
    assert table(["a"], []).endswith("(none)")


def test_actor_shows_identity_and_ranked_counterparts(stores: Stores) -> None:
    text = render_actor(stores, "Israeli")
    assert text.splitlines()[0] == "Israel  [ISR]  country"
    counterparts = text.split("Counterparts (most interactions first)\n")[1].splitlines()[2:]
    assert [row.split()[1] for row in counterparts] == ["TUR", "SYR", "group:hezbollah"]
    assert counterparts[0].split()[2] == "2"  # two talks with Turkey
    with pytest.raises(NotFoundError):
        render_actor(stores, "nobody at all")


def test_dyad_prints_months_types_and_evidence(stores: Stores) -> None:
    text = render_dyad(stores, "Türkiye", "Israel")
    assert text.splitlines()[0] == "Turkey [TUR] – Israel [ISR], all dates"
    assert "2 interactions" in text.splitlines()[1]
    months = text.split("By month\n")[1].split("\n\n")[0].splitlines()[2:]
    assert [m.split()[0] for m in months] == ["2025-03", "2025-04"]
    evidence = text.split("in date order)\n")[1].splitlines()[2:]
    assert "neutral capital" in evidence[0] and "air safety" in evidence[1]
    assert "TUR <-> ISR" in evidence[0] or "ISR <-> TUR" in evidence[0]
    later = render_dyad(stores, "TUR", "ISR", date_from=dt.date(2025, 4, 1))
    assert "neutral capital" not in later and "air safety" in later and "2025-04-01 to …" in later
    with pytest.raises(InvalidInputError):
        render_dyad(stores, "TUR", "ISR", event_types=["NOT_A_TYPE"])


def test_similar_lists_the_nearest_briefs_without_the_brief_itself(stores: Stores) -> None:
    text = render_similar(stores, "b1", k=2)
    assert text.splitlines()[0] == "Briefs similar to Brief b1 [b1]"
    rows = text.splitlines()[3:]
    assert [row.split()[-1] for row in rows] == ["b2", "b3"]
    with pytest.raises(NotFoundError):
        render_similar(stores, "missing")


def test_paths_print_each_chain_with_its_evidence(stores: Stores) -> None:
    text = render_paths(stores, "TUR", "Hizballah", max_hops=3)
    assert "Paths from Turkey [TUR] to Hezbollah [group:hezbollah]" in text
    assert "1. Turkey -> Israel -> Hezbollah" in text
    assert "rockets across the border" in text
    assert "(no path)" in render_paths(stores, "TUR", "LBN", max_hops=1)
    with pytest.raises(InvalidInputError):
        render_paths(stores, "TUR", "ISR", max_hops=9)


def test_the_commands_run_from_the_command_line(
    stores: Stores, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("core.bootstrap.build_stores", lambda settings, **kwargs: stores)
    monkeypatch.setattr(stores, "close", lambda: None)
    assert cli.main(["dyad", "TUR", "ISR", "--from", "2025-01-01", "--type", "CONSULT"]) == 0
    assert "Turkey [TUR] – Israel [ISR], 2025-01-01 to …" in capsys.readouterr().out
    assert cli.main(["actor", "Hizballah"]) == 0
    assert "Hezbollah  [group:hezbollah]" in capsys.readouterr().out
    assert cli.main(["paths", "ISR", "LBN"]) == 0 and "Israel -> Hezbollah -> Lebanon" in capsys.readouterr().out
    assert cli.main(["similar", "b2", "-k", "1"]) == 0 and "b1" in capsys.readouterr().out
    assert cli.main(["actor", "nobody at all"]) == 2
    assert "no actor with id or name" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["dyad", "TUR", "ISR", "--from", "last spring"])
