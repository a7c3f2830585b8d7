"""The Phoenix/TABARI dictionaries (MIT): the file format, and the aliases of the curated organisations and
armed groups named in PHOENIX_ENTRIES."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from core.registry import normalise_name
from tools.registry.text import clean_token, nice_case

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
OFFICE_WORDS: Final = re.compile(
    r"\b(president|secretary|secy|sec|chief|director|envoy|spokesman|official|officials|members?|countries|"
    r"ministers?|monitor|mission|resident|bodies|offshoot|operatives|linked|affiliated|book|project|"
    r"sheikh?|sayy?ed|sayyid|seyyed|imam|ayatollah|mullah|imad|nasrallah|mughniyeh|moughniyah|mughniyah|unscr)\b"
)


@dataclass
class TabariEntry:
    headword: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    comment: str = ""  # the comment on the headword line ("CountryInfo.txt" marks generated entries)


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
                    if key and not OFFICE_WORDS.search(key):
                        aliases.append(nice_case(raw))
        if aliases:
            found[actor_id] = aliases
    return found
