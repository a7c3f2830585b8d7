"""Which surnames are distinctive enough to be an alias: every person named anywhere in the reference files
(the population) and the rules for surnames and one-word names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from rapidfuzz import fuzz

from core.registry import normalise_name
from tools.registry.countries import CODE_FIXES, CountryRecord
from tools.registry.drafts import Draft, PersonDraft
from tools.registry.names import NAME_JOINERS, NASAB, TITLE_WORDS_TEXT
from tools.registry.offices import Listing
from tools.registry.phoenix import TabariEntry
from tools.registry.text import case_word

# Countries whose names put the family name first (Hu Jintao, Kim Dae-jung) or that have no family names
# (Burma): the last word of a leader's name is no surname there, so no surname alias is made.
SURNAME_FIRST: Final = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "MMR", "MNG", "LAO", "SGP"})


# Monarchs known by one name ('HUSSEIN_' among Jordan's kings) are named with their title ('King Hussein').
_MONARCHS: Final = ("king", "queen", "emir", "amir", "sultan", "emperor", "empress", "shah", "prince", "grand duke")


class Population:
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
    if before in NASAB:
        return "nasab"
    if before in NAME_JOINERS:
        return "particle"
    return "last" if position == len(tokens) - 1 else "middle"


def _same_name(one: str, two: str) -> bool:
    """Two spellings of one name: one's words within the other's ('Kohl' is within 'Helmut Kohl'), or a close
    spelling ('Yasser Arafat', 'Yasir Arafat') with the same last word."""
    one_words, two_words = set(one.split()), set(two.split())
    if one_words <= two_words or two_words <= one_words:
        return True
    return one.split()[-1] == two.split()[-1] and fuzz.ratio(one, two) >= 85


def people_population(
    countries: dict[str, CountryRecord],
    drafts: dict[str, Draft],
    listings: list[Listing],
    entries: list[TabariEntry],
) -> Population:
    """Everyone named in the reference files and the curated data, for the surname rules."""
    demonyms = {normalise_name(written) for country in countries.values() for written, _ in country.aliases}
    noise = frozenset(word for word in demonyms if " " not in word) | frozenset(TITLE_WORDS_TEXT.split("|"))
    population = Population(noise)
    for listing in listings:
        population.add(listing.names, {str(role["affiliation"]) for role in listing.roles}, head=listing.head)
    for entry in entries:
        population.add([entry.headword, *entry.aliases], {CODE_FIXES.get(code[:3], code[:3]) for code in entry.codes})
    for draft in drafts.values():
        if draft.kind == "person":
            names = [draft.name, *(written for written, _ in draft.aliases)]
            population.add(names, {str(role["affiliation"]) for role in draft.roles})
    return population


def name_one_word(person: PersonDraft, population: Population, common: frozenset[str], places: set[str]) -> bool:
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
    person.names = [f"{case_word(monarch)} {person.names[0]}"]
    person.short = []
    return True


def distinctive_surnames(
    person: PersonDraft, population: Population, common: frozenset[str], places: set[str]
) -> list[str]:
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
        elif words[-2].lower() in NAME_JOINERS and words[-2].lower() not in NASAB:
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
