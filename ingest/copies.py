"""Copies of one text under several briefs: the same wire story reposted by several outlets, a page saved twice.

Copies stay separate briefs (each has its own URL, outlet and date), but they are one independent source: they
share an `origin`, and corroboration counts an event once per origin. Finding them stays cheap at any size: a
brief is compared only with the stored briefs that share one of its copy keys, found through the graph's index
on those keys, never with every brief.

- the exact key: a hash of the brief's body, case, punctuation and spacing removed; equal keys are exact copies.
- MinHash band keys: the body's word 5-grams are MinHashed (BANDS x ROWS hash functions) and each band of ROWS
  values is one key; two bodies with word-shingle Jaccard similarity J share a band with probability
  1 - (1 - J^ROWS)^BANDS (0.91 at J = 0.8, 0.998 at J = 0.9, 0.04 at J = 0.4). A candidate found by a band is a
  copy only when the two bodies are near-identical by rapidfuzz's ratio (NEAR_COPY_RATIO).

A title is not part of the comparison: outlets retitle wire copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

SHINGLE_WORDS = 5
BANDS = 8
ROWS = 6
NEAR_COPY_RATIO = 90.0  # rapidfuzz ratio (0-100) over the normalised bodies
SAME_STORY_RATIO = 70.0  # rapidfuzz token-set ratio above which a replacing text is an edit of the replaced one
COMPARE_CHARS = 20_000  # bodies are compared on their first characters: bounded cost for very long texts
MAX_CANDIDATES = 8  # stored briefs verified per written brief, most shared keys first

EXACT_PREFIX = "x:"
BAND_PREFIX = "m"
ORIGIN_PREFIX = "o:"

_MERSENNE = np.uint64((1 << 61) - 1)
_RANDOM = np.random.default_rng(20241031)  # fixed: stored keys must not change between runs
_A = _RANDOM.integers(1, 1 << 31, size=BANDS * ROWS, dtype=np.uint64)
_B = _RANDOM.integers(0, 1 << 31, size=BANDS * ROWS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def body_text(text: str) -> str:
    """A brief's text as copies are compared: words only, case-folded, single spaces."""
    return " ".join(_WORD.findall(text.casefold()))


def exact_key(body: str) -> str:
    return EXACT_PREFIX + hashlib.sha256(body.encode()).hexdigest()[:24]


def origin_key(origin: str) -> str:
    """The key under which every brief of one origin is found (GraphStore.copies)."""
    return ORIGIN_PREFIX + origin


def copy_keys(body: str) -> tuple[str, ...]:
    """The exact key, then one key per MinHash band (none for an empty body)."""
    words = body.split()
    if not words:
        return (exact_key(body),)
    count = max(1, len(words) - SHINGLE_WORDS + 1)
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(count)}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little") for s in shingles],
        dtype=np.uint64,
    )
    # a * x + b stays below 2**63 (a, b < 2**31, x < 2**32), so uint64 arithmetic does not overflow
    signature = ((hashes[:, None] * _A[None, :] + _B[None, :]) % _MERSENNE).min(axis=0)
    bands = [
        f"{BAND_PREFIX}{band}:"
        + hashlib.blake2b(signature[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for band in range(BANDS)
    ]
    return (exact_key(body), *bands)


def near_copies(first: str, second: str) -> bool:
    """Whether two normalised bodies are the same text, give or take a few words (rapidfuzz ratio)."""
    if first == second:
        return True
    a, b = first[:COMPARE_CHARS], second[:COMPARE_CHARS]
    return fuzz.ratio(a, b, score_cutoff=NEAR_COPY_RATIO) >= NEAR_COPY_RATIO


def same_story(old: str, new: str) -> bool:
    """Whether a text that replaces another under one brief id is an edit of it (most of its words kept, by
    rapidfuzz's token-set ratio) rather than a different text that took the id; looser than near_copies."""
    a, b = old[:COMPARE_CHARS], new[:COMPARE_CHARS]
    return fuzz.token_set_ratio(a, b, score_cutoff=SAME_STORY_RATIO) >= SAME_STORY_RATIO


@dataclass(frozen=True)
class Candidate:
    """A brief that shares copy keys with a text being written: stored, or written earlier in the same run."""

    brief_id: str
    origin: str
    shared: int
    exact: bool


def choose_origin(
    keys: Sequence[str], body: str, candidates: Sequence[Candidate], body_of: Callable[[str], str | None]
) -> str:
    """The origin of a text: that of the first candidate (most shared keys first, at most MAX_CANDIDATES) that is
    an exact copy or, compared by `body_of(brief_id)`, a near copy of it; else its own exact key."""
    ranked = sorted(candidates, key=lambda c: (not c.exact, -c.shared, c.brief_id))[:MAX_CANDIDATES]
    for candidate in ranked:
        if candidate.exact:
            return candidate.origin
        other = body_of(candidate.brief_id)
        if other is not None and near_copies(body, other):
            return candidate.origin
    return keys[0]
