"""Steps of the registry builder (tools/registry/) on small inputs written for these tests."""

from __future__ import annotations

from pathlib import Path

from tools.registry.drafts import PersonDraft, make_role
from tools.registry.names import bare_name, display_names
from tools.registry.people_merge import merge_duplicates, without_repeats
from tools.registry.phoenix import parse_tabari
from tools.registry.text import acceptable_alias, clean_token, nice_case


def test_text_cleaning_and_the_alias_filter() -> None:
    assert clean_token("NORTHERN_LAND_ # a comment") == "NORTHERN LAND"
    assert nice_case("AL-QASSAM BRIGADES") == "al-Qassam Brigades"
    assert nice_case("USA") == "USA"
    assert nice_case("Already Cased") == "Already Cased"
    assert acceptable_alias("Northland")
    assert not acceptable_alias("the")  # a stop word
    assert not acceptable_alias("Gaza")  # on the deny list: a place, not the state
    assert not acceptable_alias("Northland, East")  # a description


def test_tabari_entries_with_aliases_and_codes(tmp_path: Path) -> None:
    path = tmp_path / "actors.txt"
    path.write_text(
        "# a comment line\nNORTHLAND_FRONT_ [NLDREB] # hand-added\n+NORTH_FRONT_\n    [NLDREB 900101-951231]\n",
        encoding="utf-8",
    )
    (entry,) = parse_tabari(path)
    assert entry.headword == "NORTHLAND FRONT"
    assert entry.aliases == ["NORTH FRONT"]
    assert entry.codes == ["NLDREB", "NLDREB 900101-951231"]
    assert entry.comment == "hand-added"


def test_names_without_honorifics_and_loose_forms() -> None:
    assert display_names("Sheikh Omar Valdane") == ["Omar Valdane", "Sheikh Omar Valdane"]
    assert bare_name("hamad ibn khalifah al thani") == bare_name("hamad bin khalifa al thani")


def test_one_person_listed_twice_is_merged_with_one_role_per_office() -> None:
    office = make_role("Prime Minister", "NLD", (None, None))
    first = PersonDraft(names=["Ada Varn"], roles=[dict(office)], sources={"countryinfo"})
    second = PersonDraft(names=["Ada Maren Varn"], roles=[dict(office)], sources={"phoenix"})
    (merged,) = merge_duplicates([first, second])
    assert merged.names == ["Ada Varn", "Ada Maren Varn"]
    assert merged.sources == {"countryinfo", "phoenix"}
    assert without_repeats([dict(office), dict(office)]) == [office]
