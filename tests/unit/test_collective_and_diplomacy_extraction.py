"""Communities as actors and diplomacy between named officials, on sentences written for these tests (real
spaCy model and registry)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Brief, Interaction, Section
from core.registry import ActorRegistry
from graph_schema.ontology import ActorKind, EventType
from ingest.extraction import Extractor, load_nlp

pytestmark = pytest.mark.model

DAY = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def extractor(registry: ActorRegistry) -> Extractor:
    return Extractor(registry, load_nlp())


def _rows(interactions: list[Interaction]) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(i.event_type.value, i.source_id, i.target_id, i.source_agent, i.target_agent) for i in interactions]


def _brief(text: str) -> Brief:
    sections = (Section(name="body", text=text),)
    return Brief(id="b", title="t", date=DAY, source="test", sections=sections, content_hash="")


def test_communities_clashing_in_a_province_are_a_domestic_event_of_that_country(extractor: Extractor) -> None:
    rows = _rows(extractor.extract_sentence("Druze fighters clashed with Bedouin tribesmen in Sweida province.", DAY))
    assert rows == [("FIGHT", "SYR", "SYR", "collective:druze", "collective:bedouin")]


def test_a_community_and_its_government_forces(extractor: Extractor) -> None:
    rows = _rows(extractor.extract_sentence("Alawite civilians were killed by government forces in Latakia.", DAY))
    assert ("ASSAULT", "SYR", "SYR", None, "collective:alawites") in rows


def test_a_community_named_with_its_country(extractor: Extractor) -> None:
    rows = _rows(extractor.extract_sentence("Lebanese Druze protested against Israel on Sunday.", DAY))
    assert [(r[1], r[3]) for r in rows if r[2] == "ISR"] == [("LBN", "collective:druze")]


@pytest.mark.parametrize(("opening", "country"), [("Lebanese officials", "LBN"), ("Syrian officials", "SYR")])
def test_a_community_is_placed_by_the_brief_when_its_sentence_does_not_say(
    extractor: Extractor, opening: str, country: str
) -> None:
    text = f"{opening} met UN envoys on Monday. Druze fighters clashed with Israeli troops on Wednesday."
    extracted = extractor.extract(_brief(text))
    rows = _rows([i for i in extracted.interactions if i.event_type is EventType.FIGHT])
    assert rows == [("FIGHT", country, "ISR", "collective:druze", None)]
    assert any(a.id == "collective:druze" and a.kind is ActorKind.COLLECTIVE for a in extracted.actors)


def test_a_leader_of_a_community_meeting_the_president(extractor: Extractor) -> None:
    rows = _rows(
        extractor.extract_sentence(
            "Syrian President Ahmed al-Sharaa met Druze spiritual leader Hikmat al-Hijri in Damascus.", DAY
        )
    )
    assert rows == [("CONSULT", "SYR", "SYR", "person:ahmed-al-sharaa", "person:hikmat-al-hijri")]


def test_a_group_named_after_a_people_is_one_actor(extractor: Extractor) -> None:
    sentence = "The Kurdish-led SDF clashed with Turkish-backed factions near Manbij."
    rows = _rows(extractor.extract_sentence(sentence, DAY))
    assert all("collective:kurds" not in (r[1], r[2], r[3]) for r in rows)


def test_two_delegation_heads_in_talks_are_both_named(extractor: Extractor) -> None:
    rows = _rows(
        extractor.extract_sentence(
            "Russian delegation head Vladimir Medinsky and Ukrainian Defence Minister Rustem Umerov held talks in "
            "Istanbul on Friday.",
            DAY,
        )
    )
    assert rows == [("CONSULT", "RUS", "UKR", "person:vladimir-medinsky", "person:rustem-umerov")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "US special envoy Steve Witkoff met Iranian Foreign Minister Abbas Araghchi in Muscat on Saturday.",
            ("CONSULT", "USA", "IRN", "person:steve-witkoff", "person:abbas-araghchi"),
        ),
        (
            "Secretary of State Marco Rubio demanded that Sergei Lavrov release the detained journalists.",
            ("DEMAND", "USA", "RUS", "person:marco-rubio", "person:sergey-lavrov"),
        ),
    ],
)
def test_officials_of_two_states(extractor: Extractor, sentence: str, expected: tuple[str, ...]) -> None:
    assert expected in _rows(extractor.extract_sentence(sentence, DAY))


def test_generic_protesters_stay_a_domestic_sector_of_their_state(extractor: Extractor) -> None:
    rows = _rows(extractor.extract_sentence("Kenyan police detained striking teachers in Nairobi.", DAY))
    assert rows == [("COERCE", "KEN", "KEN", None, None)]


def test_a_community_protesting_with_no_addressee_protests_against_its_state(extractor: Extractor) -> None:
    sentence = "Thousands of Kurds protested in Diyarbakir against the removal of elected mayors."
    assert _rows(extractor.extract_sentence(sentence, DAY)) == [("PROTEST", "TUR", "TUR", "collective:kurds", None)]


def test_loyalists_of_a_former_ruler_are_a_sector_of_his_state_not_him(extractor: Extractor) -> None:
    rows = _rows(extractor.extract_sentence("Assad loyalists attacked security forces in Latakia on Thursday.", DAY))
    assert rows == [("ASSAULT", "SYR", "SYR", None, None)]


def test_an_official_named_again_by_surname_acts_for_the_same_state(extractor: Extractor) -> None:
    text = (
        "Russian delegation head Vladimir Medinsky and Ukrainian Defence Minister Rustem Umerov held talks in "
        "Istanbul on Friday. Umerov later met Fidan to thank Turkey for hosting the talks."
    )
    rows = _rows(list(extractor.extract(_brief(text)).interactions))
    assert ("CONSULT", "UKR", "TUR", "person:rustem-umerov", "person:hakan-fidan") in rows
