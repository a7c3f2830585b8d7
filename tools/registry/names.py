"""People's names, office titles and office dates as the reference files write them."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Final

from rapidfuzz import fuzz

from core.registry import normalise_name
from tools.registry.text import SMALL_WORDS, case_word, clean_token, nice_case

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


# Two-digit years in Phoenix dates: up to this one they are 20YY (the file is of January 2014), else 19YY.
_TWO_DIGIT_PIVOT: Final = 14


# Particles that join a name part to the word after it ("bin Laden", "al-Bashir", "da Silva").
NAME_JOINERS: Final = frozenset(
    {"al", "el", "ad", "as", "ash", "an", "ar", "at", "az", "bin", "ibn", "ben", "abu", "ould"}
)


# A name part after one of these is a father's or tribe's name, not a family name ("Muhammad bin Mubarak").
NASAB: Final = frozenset({"bin", "ibn", "ben", "bint", "ould", "abu", "umm", "wa"})


# Words in a Phoenix headword that mark an institution, not a person.
INSTITUTION: Final = re.compile(
    r"\b(army|forces|force|party|council|congress|committee|ministry|government|assembly|parliament|court|"
    r"police|navy|guard|guards|agency|office|service|services|directorate|front|movement|union|league|"
    r"organization|organisation|palace|street|house|bank|amro|tank|group|brigades?|battalions?|coalition|alliance|"
    r"jaish|jaysh|jabhat|harakat|liwa|kataib|reichstag|bundestag|bundesrat)\b"
)


# Honorifics written before a name: dropped from the display name (the written form stays an alias).
_HONORIFIC: Final = re.compile(
    r"^(?:sheikh|shaikh|sheik|sir|dr|datuk|dato|datuk seri|tun|tan sri|general|gen|king|queen|prince|princess|"
    r"emir|amir|sultan|president|ayatollah|sayyed|sayyid|seyyed|sayed|hojatolislam|hojjatoleslam|mullah|archbishop|cardinal|lord|lady|dame|"
    r"mr|mrs|ms)\.? ",
    re.IGNORECASE,
)


# Words that make a Phoenix headword an office or a description rather than a name ('RUSSIAN_PRESIDENT_YELTSIN').
TITLE_WORDS_TEXT: Final = (
    "president|minister|secretary|chancellor|kanzler|bundeskanzler|premier|general|chairman|leader|chief|"
    "ambassador|envoy|governor|senator|spokesman|official|former|reformer|king|emir|sultan|sheikh"
)


TITLE_WORDS: Final = re.compile(rf"\b({TITLE_WORDS_TEXT})\b")


def display_names(written: str) -> list[str]:
    """'Sir Hassanal Bolkiah' -> ['Hassanal Bolkiah', 'Sir Hassanal Bolkiah']: the name without honorifics
    first."""
    bare = written
    while (match := _HONORIFIC.match(bare)) is not None and len(bare.split()) > 2:
        bare = bare[match.end() :]
    return [bare, written] if bare != written else [written]


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
        if (index and word in SMALL_WORDS)
        else case_word(word)
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


def alias_of(alias: str, own_tokens: set[str]) -> bool:
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
        score >= 70 or len(token) <= 1 or token in NAME_JOINERS for token, score in zip(tokens, best, strict=True)
    )
    return spelled and any(token in own_tokens and token not in NAME_JOINERS for token in tokens)


def bare_name(key: str) -> str:
    """A loose form of a name for matching spellings of one person across the sources: particles dropped,
    'ibn'/'ben' as 'bin', doubled letters single, a final 'h' after a vowel dropped ('Hamad ibn Khalifah al
    Thani' and 'Hamad bin Khalifa al Thani' are 'hamad bin khalifa thani')."""
    words: list[str] = []
    for word in key.split():
        if word in NAME_JOINERS - NASAB:
            continue
        word = "bin" if word in {"ibn", "ben"} else re.sub(r"(.)\1", r"\1", word)
        words.append(re.sub(r"(?<=[aeiou])h$", "", word) if len(word) > 3 else word)
    return " ".join(words)
