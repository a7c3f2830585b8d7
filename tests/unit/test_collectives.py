"""The country a community acts in, from the evidence a text gives (registry data, no parsing)."""

from __future__ import annotations

from core.registry import ActorRegistry
from ingest.extraction.collectives import brief_countries, collective_country


def test_a_country_named_beside_the_community_wins(registry: ActorRegistry) -> None:
    assert collective_country(registry, "collective:druze", named="LBN", sentence_places=["Sweida"]) == "LBN"


def test_a_place_in_the_sentence_then_in_the_one_before(registry: ActorRegistry) -> None:
    assert collective_country(registry, "collective:druze", sentence_places=["Sweida"]) == "SYR"
    assert collective_country(registry, "collective:kurds", previous_places=["Kobani"]) == "SYR"
    # where a community acts is where it is, even outside the countries it mainly lives in
    assert collective_country(registry, "collective:kurds", sentence_places=["Berlin"]) == "DEU"


def test_the_brief_country_it_lives_in_then_its_home(registry: ActorRegistry) -> None:
    # a brief about US mediation in Syria: the Druze are Syria's, not the United States'
    assert collective_country(registry, "collective:druze", countries_of_brief=["USA", "SYR", "ISR"]) == "SYR"
    assert collective_country(registry, "collective:druze", countries_of_brief=["USA"]) is None
    assert collective_country(registry, "collective:alawites", countries_of_brief=["USA"]) == "SYR"


def test_not_a_collective(registry: ActorRegistry) -> None:
    assert collective_country(registry, "SYR", sentence_places=["Sweida"]) is None
    assert collective_country(registry, "collective:nobody") is None


def test_brief_countries_most_named_first(registry: ActorRegistry) -> None:
    ids = ["USA", "SYR", "person:tom-barrack", "SYR", "collective:druze"]
    assert brief_countries(registry, ids, ["Sweida", "Amman"]) == ["SYR", "USA", "JOR"]
