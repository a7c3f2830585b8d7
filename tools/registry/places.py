"""Place names that only locate events (cities, regions, geographic features) -> the country they are in;
written to places.json beside the registry."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Final, cast

from core.registry import normalise_name
from tools.registry.countries import CODE_FIXES, CountryRecord, iso_from_countryinfo, parent_codes, parse_countryinfo
from tools.registry.offices import phoenix_person
from tools.registry.phoenix import parse_tabari
from tools.registry.text import DESCRIPTIVE, clean_token

CURATED_PLACES_PATH: Final = Path(__file__).resolve().parents[2] / "graph_schema" / "data" / "curated_places.json"


def place_keys(reference: Path, blocks: list[dict[str, list[str]]]) -> set[str]:
    """Cities, regions and geographic features (countryinfo), and the places Phoenix lists under a country:
    never a person's alias."""
    keys: set[str] = set()
    for fields in blocks:
        for tag in ("Capital", "MajorCities", "Regions", "GeogFeatures", "Nationality"):
            keys.update(normalise_name(clean_token(line)) for line in fields.get(tag, []))
    for entry in parse_tabari(reference / "phoenix_countries.actors.txt"):
        if entry.codes and not phoenix_person(entry):
            keys.update(normalise_name(raw) for raw in [entry.headword, *entry.aliases])
    keys.discard("")
    return keys


def build_places(
    reference: Path, countries: dict[str, CountryRecord], records: list[dict[str, object]], common: frozenset[str]
) -> dict[str, str]:
    """Place names that locate an event in a country, for locative phrases only ('in Tel Aviv', 'near
    Samarra'): cities, regions and geographic features of countryinfo, and the cities and regions that
    Phoenix lists under a country entry. They are never actors (a capital is an actor's alias, 'Ankara' for
    Turkey; a city is not). A name claimed by two countries, an actor's name or alias, or an everyday word is
    left out. Returns normalised place name -> ISO3 code."""
    claims: dict[str, set[str]] = defaultdict(set)
    blocks = parse_countryinfo(reference / "countryinfo.txt")
    parents = parent_codes(blocks)
    for fields in blocks:
        iso3 = iso_from_countryinfo(fields, parents)
        if iso3 is None or iso3 not in countries:
            continue
        for tag in ("Capital", "MajorCities", "Regions", "GeogFeatures"):
            for line in fields.get(tag, []):
                claims[normalise_name(clean_token(line))].add(iso3)
    for entry in parse_tabari(reference / "phoenix_countries.actors.txt"):
        code = entry.codes[0].strip() if len(entry.codes) == 1 else ""
        iso3 = CODE_FIXES.get(code, code)
        if not re.fullmatch(r"[A-Z]{3}", code) or iso3 not in countries:
            continue
        for raw in [entry.headword, *entry.aliases]:
            claims[normalise_name(raw)].add(iso3)
    actor_keys = {
        normalise_name(str(name))
        for record in records
        for name in [record["name"], *cast(list[str], record["aliases"])]
    }
    places = {
        key: next(iter(owners))
        for key, owners in sorted(claims.items())
        if len(owners) == 1
        and len(key) >= 3
        and key not in actor_keys
        and key not in common
        and not any(ch.isdigit() for ch in key)
        and not DESCRIPTIVE.search(key)
    }
    curated = json.loads(CURATED_PLACES_PATH.read_text(encoding="utf-8"))
    for name, iso3 in curated.items():
        if name.startswith("_"):
            continue
        if iso3 not in countries:
            raise SystemExit(f"{CURATED_PLACES_PATH}: {name!r} names an unknown country code {iso3!r}")
        if normalise_name(name) not in actor_keys:
            places[normalise_name(name)] = iso3
    return dict(sorted(places.items()))


def write_places(places: dict[str, str], out: Path) -> None:
    text = json.dumps(places, ensure_ascii=False, indent=0, sort_keys=True)
    out.write_text(text + "\n", encoding="utf-8")
