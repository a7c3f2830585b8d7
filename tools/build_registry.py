"""Builds the actor registry (graph_schema/data/actors.jsonl) from the reference dictionaries + curated data.

    python tools/build_registry.py --reference ../shared/reference --out graph_schema/data/actors.jsonl

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
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, cast

from rapidfuzz import fuzz, process
from spacy.lang.en.stop_words import STOP_WORDS

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from core.registry import RegistryActor, normalise_name  # noqa: E402

CURATED_PATH: Final = REPO_ROOT / "graph_schema" / "data" / "curated_actors.json"

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


def parse_countryinfo(path: Path) -> list[dict[str, list[str]]]:
    """Each <Country> block as {tag: [lines]} for the tags we use."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: list[dict[str, list[str]]] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):
        block = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("#"))
        fields: dict[str, list[str]] = {}
        for tag in ("CountryCode", "CountryName", "ISO3166-alpha3", "Nationality", "Capital"):
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
        current = TabariEntry(headword=clean_token(raw), codes=list(codes))
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
    # States whose CAMEO code equals their ISO3 code; another block with the same code is a territory.
    parents = {
        code
        for fields in blocks
        for code in [" ".join(fields.get("CountryCode", [])).split(" ", 1)[0]]
        if code and code == " ".join(fields.get("ISO3166-alpha3", [])).split(" ", 1)[0]
    }
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
        RegistryActor.model_validate(record)
        records.append(record)

    # 4. consistency: affiliations must name actors; ids follow the naming scheme.
    ids = {str(record["id"]) for record in records}
    prefixes = {"person": "person:", "organisation": "org:", "armed_group": "group:", "other": "other:"}
    for record in records:
        kind = str(record["kind"])
        actor_id = str(record["id"])
        if kind == "country":
            if not re.fullmatch(r"[A-Z]{3}", actor_id):
                report.errors.append(f"{actor_id}: a country id must be an ISO3 code")
        elif not re.fullmatch(rf"{prefixes[kind]}[a-z0-9]+(-[a-z0-9]+)*", actor_id):
            report.errors.append(f"{actor_id}: a {kind} id must look like {prefixes[kind]}lower-case-slug")
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
    records, report = finalise(merge(countries, curated, phoenix))
    if report.errors:
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        return 1
    size = write_jsonl(records, args.out)

    kinds = Counter(str(record["kind"]) for record in records)
    alias_total = sum(len(cast(list[str], record["aliases"])) for record in records)
    print(f"wrote {len(records)} actors ({alias_total} aliases, {size} bytes) to {args.out}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:<13} {count}")
    limit = 10_000 if args.verbose else 40
    print(f"alias collisions resolved: {len(report.resolved)}")
    for line in _lines(report.resolved, limit):
        print(line)
    print(f"alias collisions dropped (ambiguous): {len(report.dropped)}")
    for line in _lines(report.dropped, limit):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
