"""BM25 weights as Qdrant sparse vectors, for hybrid (dense + keyword) passage search.

A passage's sparse vector holds each term (accents folded, stop words dropped, light-stemmed) hashed to a stable
31-bit index, weighted with BM25's document side tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / AVG_LEN)); the
collection's `Modifier.IDF` makes Qdrant apply IDF at query time, so no vocabulary of ours is kept. A query's
sparse vector is its distinct terms with weight 1. Measured in benchmarks/RESULTS.md (retrieval quality).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence

from qdrant_client import models

K1 = 1.2
B = 0.75
AVG_LEN = 40.0  # mean terms per passage (title + text) on the demo corpus; a constant is enough for the length norm


_STOP_WORDS = (
    "a an the and or of in on at to for with from by as is are was were be been has have had how what when who "
    "which where why did does do since over between into about their they its it this that these those after "
    "before during than then there any all more most new"
)
_STOP = frozenset(_STOP_WORDS.split())


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def terms(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text).replace("'s", ""))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    """A light plural/verb-ending fold so 'strikes'/'strike', 'talks'/'talk', 'ceasefires' meet."""
    for suffix, keep in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def term_index(term: str) -> int:
    return zlib.crc32(term.encode()) & 0x7FFFFFFF


def document_sparse(terms: Sequence[str]) -> models.SparseVector:
    counts = Counter(terms)
    norm = K1 * (1 - B + B * len(terms) / AVG_LEN)
    weights: dict[int, float] = {}
    for term, tf in counts.items():  # hash collisions add up, as a shared term would
        index = term_index(term)
        weights[index] = weights.get(index, 0.0) + tf * (K1 + 1) / (tf + norm)
    indices = sorted(weights)
    return models.SparseVector(indices=indices, values=[weights[i] for i in indices])


def query_sparse(terms: Sequence[str]) -> models.SparseVector:
    indices = sorted({term_index(t) for t in terms})
    return models.SparseVector(indices=indices, values=[1.0] * len(indices))
