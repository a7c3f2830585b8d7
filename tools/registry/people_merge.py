"""One person listed several times or under several spellings becomes one, with one role per office."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from rapidfuzz import fuzz

from tools.registry.drafts import PersonDraft, role_order
from tools.registry.names import NAME_JOINERS
from tools.registry.offices import SECTOR_TITLES


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


def without_repeats(roles: list[dict[str, object]]) -> list[dict[str, object]]:
    """One office listed twice (countryinfo's <Leaders> and <Government> overlap from 2003) becomes one role
    over both intervals; a Phoenix role titled only by its sector ('government') that repeats a titled office
    of the same affiliation (same start or same end) is dropped."""
    joined: list[dict[str, object]] = []
    for role in sorted(roles, key=role_order):
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
    sector_titles = {title for _, title in SECTOR_TITLES}
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


def _shares_word(one: PersonDraft, two: PersonDraft) -> bool:
    words = [word for word in one.key.split() if word not in NAME_JOINERS]
    return any(fuzz.ratio(word, other) >= 80 for word in words for other in two.key.split())


def close_open_roles(person: PersonDraft, phoenix_roles: list[dict[str, object]]) -> int:
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
