"""Fakes for tests: deterministic stand-ins that behave like the real thing, no mocks."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence


class HashingEmbedder:
    """Bag-of-words hashed into a fixed number of buckets, L2-normalised: texts sharing words are close."""

    def __init__(self, dimension: int = 256, name: str = "hashing-fake") -> None:
        """name: what it reports to the vector store; a test reading a folder the real model wrote passes that
        model's name, since the store refuses an embedder other than the one that wrote it."""
        self._dimension = dimension
        self._name = name

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def name(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            vector = [0.0] * self._dimension
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                vector[bucket % self._dimension] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors
