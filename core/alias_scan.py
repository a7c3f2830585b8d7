"""Find registry aliases in a token sequence: longest match first, accents/possessives/'the' folded.

Shared by extraction (spaCy tokens) and question parsing (plain tokens) so both read names the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.registry import ActorRegistry, normalise_name

MAX_ALIAS_TOKENS = 7
_NAME_PARTICLES = frozenset({"al", "el", "ad", "as", "an", "bin", "ibn", "abu", "de", "van", "von", "da"})
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]")


def alias_index(registry: ActorRegistry) -> dict[str, str]:
    """normalised alias -> actor id; the first actor listed for an alias keeps it."""
    index: dict[str, str] = {}
    for alias, actor_id in registry.surface_forms():
        index.setdefault(normalise_name(alias), actor_id)
    return index


def tokenize(text: str) -> list[tuple[str, int]]:
    """Plain word tokens with their character offsets (for text that has no spaCy parse)."""
    return [(m.group(), m.start()) for m in _TOKEN.finditer(text)]


def scan_aliases(tokens: Sequence[str], index: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, actor_id) token spans, left to right, non-overlapping, longest first at each start."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        match = _alias_at(tokens, i, index)
        if match is None:
            i += 1
            continue
        found.append((i, match[0], match[1]))
        i = match[0]
    return found


def _alias_at(tokens: Sequence[str], start: int, index: Mapping[str, str]) -> tuple[int, str] | None:
    first = tokens[start]
    if not (first[:1].isupper() or re.split(r"[-'’]", first.lower())[0] in _NAME_PARTICLES):
        return None
    for end in range(min(len(tokens), start + MAX_ALIAS_TOKENS), start, -1):
        last = tokens[end - 1]
        if not any(ch.isalnum() for ch in last) or last.lower() in {"'s", "’s"}:
            continue
        text = " ".join(tokens[start:end])
        key = normalise_name(text)
        actor_id = index.get(key)
        if actor_id is None:
            continue
        if len(key) <= 3 and not text.replace(".", "").replace(" ", "").isupper():
            continue  # 'us', 'is', 'un' as words are not the US, IS, UN
        return end, actor_id
    return None
