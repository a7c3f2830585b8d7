"""People with dated offices from countryinfo and Phoenix, merged, filtered against the curated data and the
other actors, with their spellings and distinctive surnames as aliases."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.registry import normalise_name
from tools.registry.countries import CODE_FIXES, CountryRecord, parent_codes, parse_countryinfo
from tools.registry.drafts import Draft, PersonDraft
from tools.registry.names import INSTITUTION, TITLE_WORDS, alias_of, bare_name, display_names
from tools.registry.offices import Listing, countryinfo_listings, phoenix_person, phoenix_roles
from tools.registry.people_merge import close_open_roles, merge_duplicates, without_repeats
from tools.registry.phoenix import TabariEntry, parse_tabari
from tools.registry.places import place_keys
from tools.registry.surnames import distinctive_surnames, name_one_word, people_population
from tools.registry.text import nice_case


@dataclass
class PeopleReport:
    imported: Counter[str] = field(default_factory=Counter)  # by source
    curated: list[str] = field(default_factory=list)  # skipped: a curated person has the name
    shadowing: list[str] = field(default_factory=list)  # skipped: the name is a country's or a group's alias
    multi_country: list[str] = field(default_factory=list)  # one name listed for several countries
    closed: int = 0  # open roles given an end date from the Phoenix release
    surnames: int = 0
    aliases_dropped: list[str] = field(default_factory=list)


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
    listings = countryinfo_listings(blocks, parent_codes(blocks), country_ids)
    phoenix_people = [e for e in parse_tabari(reference / "phoenix_countries.actors.txt") if phoenix_person(e)]
    international = [e for e in parse_tabari(reference / "phoenix_international.actors.txt") if e.codes]
    population = people_population(countries, drafts, listings, [*phoenix_people, *international])

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
        person.roles = without_repeats(person.roles)
    places = place_keys(reference, blocks) - {key for person in people for key in person.name_keys()}
    people = [person for person in people if name_one_word(person, population, common, places)]

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
        surnames = distinctive_surnames(person, population, common, places)
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
            self.by_bare.setdefault(bare_name(key), person)


def _from_countryinfo(index: _PeopleIndex, listings: list[Listing]) -> None:
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
    keys = [normalise_name(raw) for raw in [entry.headword, *entry.aliases] if alias_of(raw, own)]
    where = {CODE_FIXES.get(code[:3], code[:3]) for code in entry.codes}
    person = next((index.by_key[key] for key in keys if key in index.by_key), None)
    if person is None:
        twins = [index.by_bare[bare_name(key)] for key in keys if bare_name(key) in index.by_bare]
        person = next((twin for twin in twins if twin.affiliations() & where), None)
    roles = phoenix_roles(entry, country_ids, org_names)
    if person is None:
        names = display_names(nice_case(entry.headword))
        bare = normalise_name(names[0])
        if not may_add or not roles or INSTITUTION.search(bare) or TITLE_WORDS.search(bare):
            return
        person = PersonDraft(names=names, roles=list(roles))
        index.add(person, keys, new=True)
    else:
        own |= {token for key in person.name_keys() for token in key.split()}
        report.closed += close_open_roles(person, roles)
        person.roles.extend(role for role in roles if role["affiliation"] in org_names and role not in person.roles)
    for alias in (nice_case(raw) for raw in [entry.headword, *entry.aliases] if alias_of(raw, own)):
        if len(normalise_name(alias).split()) == 1:
            person.short.append(alias)
        elif alias not in person.names:
            person.names.append(alias)
    person.sources.add("phoenix")
