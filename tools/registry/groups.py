"""Armed groups of phoenix_milnonstate.actors.txt coded as rebels of one country."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Final

from core.registry import normalise_name
from tools.registry.drafts import Draft
from tools.registry.phoenix import OFFICE_WORDS, parse_tabari
from tools.registry.text import acceptable_alias, nice_case
from tools.registry.words import english_nouns

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
        if not key or not acceptable_alias(name) or OFFICE_WORDS.search(key):
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
