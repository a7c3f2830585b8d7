"""Countries from countryinfo.txt (CC BY-SA 3.0) and ngec_countries.csv (MIT), with the spelling variants
of phoenix_countries.actors.txt (MIT) that are variants of a name already trusted."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rapidfuzz import fuzz, process

from core.registry import normalise_name
from tools.registry.phoenix import parse_tabari
from tools.registry.text import clean_token, nice_case

# Countries: the ISO3 id used for codes that are not ISO 3166 (Kosovo has no ISO code; XKX is the
# user-assigned code used by the EU, the IMF and ngec).
CODE_FIXES: Final = {"KSV": "XKX", "TMP": "TLS"}


NON_COUNTRY_CODES: Final = frozenset({"EUR", "UNO", "DDR", "KNT"})


# Words an official country name may add to the short name ("Republic of Turkey", "Kingdom of Spain").
_OFFICIAL_NAME_TEXT: Final = """republic kingdom state states of the islamic democratic people s peoples
federal federation arab united socialist principality commonwealth union sultanate emirate emirates
grand duchy plurinational bolivarian oriental cooperative co operative independent hashemite lao and
great northern ireland britain popular algerian hellenic swiss confederation ivory coast territory
former yugoslav"""


OFFICIAL_NAME_WORDS: Final = frozenset(_OFFICIAL_NAME_TEXT.split())


@dataclass
class CountryRecord:
    iso3: str
    name: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (written, source)
    sources: set[str] = field(default_factory=set)


def parse_countryinfo(path: Path) -> list[dict[str, list[str]]]:
    """Each <Country> block as {tag: [lines]} for the tags we use."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: list[dict[str, list[str]]] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):
        fields: dict[str, list[str]] = {}
        for tag in ("Leaders", "Government"):  # kept raw: '#<Title>' comment lines head some lists
            match = re.search(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S)
            if match is not None:
                fields[f"raw:{tag}"] = match.group(1).splitlines()
        block = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("#"))
        tags = ("CountryCode", "CountryName", "ISO3166-alpha3", "Nationality", "Capital", "MajorCities", "Regions")
        for tag in (*tags, "GeogFeatures"):
            match = re.search(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S)
            if match is None:
                continue
            lines = [line.split("#", 1)[0].strip() for line in match.group(1).splitlines()]
            fields[tag] = [line for line in lines if line]
        blocks.append(fields)
    return blocks


def parse_ngec(path: Path) -> list[tuple[str, str, list[str]]]:
    rows: list[tuple[str, str, list[str]]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = [part.strip() for part in row["Nationality"].split(",") if part.strip()]
            rows.append((row["CCA3"].strip(), row["Name"].strip(), names))
    return rows


def iso_from_countryinfo(fields: dict[str, list[str]], parents: set[str]) -> str | None:
    """The ISO3 id of a countryinfo block.

    The CAMEO CountryCode is preferred (the ISO3166-alpha3 field has typos: Japan JON, Guatemala GLP).
    A territory coded to its parent state (Mayotte: FRA) or with a 6-letter code (American Samoa:
    USAASM) takes its own ISO3 field instead.
    """
    code = " ".join(fields.get("CountryCode", [])).split(" ", 1)[0]
    iso = " ".join(fields.get("ISO3166-alpha3", ["---"])).split(" ", 1)[0]
    iso_valid = re.fullmatch(r"[A-Z]{3}", iso) is not None
    if re.fullmatch(r"[A-Z]{3}", code):
        if code in parents and iso_valid and iso != code:
            return CODE_FIXES.get(iso, iso)
        return CODE_FIXES.get(code, code)
    return CODE_FIXES.get(iso, iso) if iso_valid else None


def build_countries(reference: Path) -> dict[str, CountryRecord]:
    countries: dict[str, CountryRecord] = {}

    def record(iso3: str) -> CountryRecord:
        return countries.setdefault(iso3, CountryRecord(iso3=iso3))

    # ngec first: its names are in natural case.
    for cca3, name, names in parse_ngec(reference / "ngec_countries.csv"):
        if not re.fullmatch(r"[A-Z]{3}", cca3) or cca3 in NON_COUNTRY_CODES:
            continue
        iso3 = CODE_FIXES.get(cca3, cca3)
        country = record(iso3)
        country.name = re.sub(r"\s*\[[^\]]*\]", "", name)  # "Myanmar [Burma]"
        country.aliases.append((name.replace("[", "").replace("]", ""), "ngec"))
        # "Falkland Islands (Malvinas)" -> "Falkland Islands", "Cocos [Keeling] Islands" -> "Cocos Islands"
        country.aliases.extend((re.sub(r"\s*[(\[][^)\]]*[)\]]", "", alias), "ngec") for alias in names)
        country.sources.add("ngec")

    blocks = parse_countryinfo(reference / "countryinfo.txt")
    parents = parent_codes(blocks)
    for fields in blocks:
        block_iso3 = iso_from_countryinfo(fields, parents)
        if block_iso3 is None or block_iso3 in NON_COUNTRY_CODES:
            continue
        country = record(block_iso3)
        raw_name = clean_token((fields.get("CountryName") or [""])[0])
        if not country.name:
            country.name = nice_case(raw_name)
        for raw in [raw_name, *fields.get("Nationality", []), *fields.get("Capital", [])]:
            written = nice_case(clean_token(raw))
            if written:
                country.aliases.append((written, "countryinfo"))
        country.sources.add("countryinfo")

    # Phoenix: only variants of names we already trust (no cities, regions, provinces or people).
    for entry in parse_tabari(reference / "phoenix_countries.actors.txt"):
        if len(entry.codes) != 1 or not re.fullmatch(r"[A-Z]{3}", entry.codes[0].strip()):
            continue
        iso3 = CODE_FIXES.get(entry.codes[0].strip(), entry.codes[0].strip())
        if iso3 not in countries:
            continue
        country = countries[iso3]
        trusted = {normalise_name(country.name)} | {
            normalise_name(written) for written, source in country.aliases if source == "ngec"
        }
        trusted.discard("")
        taken = False
        for raw in [entry.headword, *entry.aliases]:
            written = nice_case(raw)
            key = normalise_name(written)
            if key and _is_name_variant(key, trusted):
                country.aliases.append((written, "phoenix"))
                taken = True
        if taken:
            country.sources.add("phoenix")
    _move_territory_aliases(countries)
    return countries


def _move_territory_aliases(countries: dict[str, CountryRecord]) -> None:
    """ngec lists territories under their state ("Greenlanders" under Denmark); countryinfo lists many of
    them as entries of their own. An alias much closer to another entry's name than to its own state's
    name moves to that entry."""
    names = {iso3: normalise_name(country.name) for iso3, country in countries.items()}
    choices = list(names.values())
    owners = list(names.keys())
    for iso3, country in countries.items():
        kept: list[tuple[str, str]] = []
        for written, source in country.aliases:
            key = normalise_name(written)
            best = process.extractOne(key, choices, scorer=fuzz.ratio) if key else None
            if (
                best is not None
                and best[1] >= 85
                and owners[best[2]] != iso3
                and fuzz.ratio(key, names[iso3]) < best[1] - 15
            ):
                target = countries[owners[best[2]]]
                target.aliases.append((written, source))
                target.sources.add(source)
                continue
            kept.append((written, source))
        country.aliases = kept


def _is_name_variant(key: str, trusted: set[str]) -> bool:
    """A spelling variant of a trusted name, or the trusted name plus official-name words."""
    for name in trusted:
        if fuzz.ratio(key, name) >= 80:
            return True
        if re.search(rf"\b{re.escape(name)}\b", key):
            extra = re.sub(rf"\b{re.escape(name)}\b", " ", key).split()
            if extra and all(word in OFFICIAL_NAME_WORDS for word in extra):
                return True
    return False


def country_of(code: str, countries: Iterable[str]) -> str | None:
    iso3 = CODE_FIXES.get(code[:3], code[:3])
    return iso3 if iso3 in countries else None


def parent_codes(blocks: list[dict[str, list[str]]]) -> set[str]:
    """States whose CAMEO code equals their ISO3 code; another block with the same code is a territory."""
    return {
        code
        for fields in blocks
        for code in [" ".join(fields.get("CountryCode", [])).split(" ", 1)[0]]
        if code and code == " ".join(fields.get("ISO3166-alpha3", [])).split(" ", 1)[0]
    }
