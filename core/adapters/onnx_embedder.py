"""The embedding port over ONNX Runtime: all-MiniLM-L6-v2 exported from the packaged weights and quantised to
int8, 2.3x faster than torch on our 2-core CPUs at the same retrieval quality (benchmarks/RESULTS.md).

sentence-transformers' own `backend="onnx"` goes through optimum, whose releases import a function transformers
5.x removed, so it cannot load here. This does the same without optimum: export the BERT encoder once with
`torch.onnx.export` (offline, from the packaged weights), quantise the weights with onnxruntime's dynamic int8
quantisation, then tokenise with the model's tokenizer.json, run the graph, mean-pool over the attention mask
and L2-normalise, as the model's pooling config says. The export is cached per model content, so it runs once
per machine (a few seconds) and every later start loads the file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.adapters.embedder import resolve_model_path
from core.errors import ConfigurationError

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MAX_TOKENS = 256  # the model's sentence_bert_config.json max_seq_length
ONNX_INT8 = "onnx-int8"


def onnx_embedder_name(model: str) -> str:
    """What the vector store records as the embedder of collections this backend writes."""
    return f"{model} ({ONNX_INT8})"


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgraph"


def _fingerprint(model_dir: Path) -> str:
    """Content of the weights and configs, so a changed model never reuses an old export."""
    digest = hashlib.sha256()
    for file in sorted(model_dir.iterdir()):
        if file.is_file() and file.suffix in {".safetensors", ".bin", ".json", ".txt"}:
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def exported_int8(model_dir: Path, cache_dir: Path) -> Path:
    """The int8 ONNX file of the model in `model_dir`, exported and quantised into `cache_dir` on first use.
    Written to a temporary name and renamed, so two processes starting together cannot read half a file."""
    target = cache_dir / f"minilm-{_fingerprint(model_dir)}" / "model_int8.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        float_file = Path(scratch) / "model.onnx"
        _export(model_dir, float_file)
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8_file = Path(scratch) / "model_int8.onnx"
        quantize_dynamic(str(float_file), str(int8_file), weight_type=QuantType.QInt8)
        os.replace(int8_file, target)
    return target


def _export(model_dir: Path, onnx_file: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    sample = tokenizer(["a short one", "a somewhat longer sentence for the export"], padding=True, return_tensors="pt")

    class Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shape-dependent branches, expected here
        torch.onnx.export(
            Encoder(model),
            tuple(sample[name] for name in INPUTS),
            str(onnx_file),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")},
            opset_version=17,
            dynamo=False,
        )


class OnnxEmbedder:
    """Unit vectors from the int8 ONNX export: mean pooling over the tokens, as the model's own pooling."""

    def __init__(
        self,
        model: str,
        *,
        cache_dir: Path | None = None,
        threads: int | None = None,
        onnx_file: Path | None = None,
    ) -> None:
        """threads: ONNX Runtime's intra-op threads (None: one per core). onnx_file: an export of a model
        fine-tuned from `model` (same tokenizer) to run instead of `model`'s own."""
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ConfigurationError(
                f"embedding backend {ONNX_INT8!r} needs onnxruntime and onnx: pip install onnxruntime onnx"
            ) from error
        model_dir = resolve_model_path(model)
        onnx_file = onnx_file or exported_int8(model_dir, cache_dir or default_cache_dir())
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        self._name = onnx_embedder_name(model)
        width = self._session.get_outputs()[0].shape[-1]
        if not isinstance(width, int):
            raise ConfigurationError(f"the ONNX export {onnx_file} has no fixed output width ({width!r}); delete it")
        self._dimension = width

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def name(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit vectors in input order, one text per run: dynamic int8 quantisation scales activations by the
        range of the whole input tensor, so in a batch a text's vector would depend on its neighbours (cosine
        0.985 between batched and single runs). Alone, a text always gets the same vector, and needs no padding;
        it costs ~20 % of the batched speed and stays ~2.6x faster than torch batched (benchmarks/RESULTS.md)."""
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {
                    "input_ids": ids,
                    "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.asarray([encoding.type_ids], dtype=np.int64),
                },
            )
            pooled = hidden[0].mean(axis=0)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out
