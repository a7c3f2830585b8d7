"""The embedding port over ONNX Runtime: all-MiniLM-L6-v2 exported from the packaged weights, run as the float
export ('onnx-fp32') or quantised to int8 ('onnx-int8', 2.3x faster than torch on our 2-core CPUs with VNNI at
the same retrieval quality; ~1.2x on a CPU without; benchmarks/RESULTS.md).

sentence-transformers' own `backend="onnx"` goes through optimum, whose releases import a function transformers
5.x removed, so it cannot load here. This does the same without optimum: export the BERT encoder once with
`torch.onnx.export` (offline, from the packaged weights), quantise the weights with onnxruntime's dynamic int8
quantisation (int8), then tokenise with the model's tokenizer.json, run the graph, mean-pool over the attention mask
and L2-normalise, as the model's pooling config says. Both files are cached per model content, so the export
runs once per machine (a few seconds) and every later start loads the file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from core.adapters.embedder import resolve_model_path
from core.errors import ConfigurationError

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MAX_TOKENS = 256  # the model's sentence_bert_config.json max_seq_length
ONNX_INT8 = "onnx-int8"
ONNX_FP32 = "onnx-fp32"
Precision = Literal["int8", "fp32"]
FLOAT_BATCH = 32  # texts per run of the float export (sorted by length, so little padding)


def onnx_embedder_name(model: str, precision: Precision = "int8") -> str:
    """What the vector store records as the embedder of collections this backend writes."""
    return f"{model} ({ONNX_INT8 if precision == 'int8' else ONNX_FP32})"


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


def exported_fp32(model_dir: Path, cache_dir: Path) -> Path:
    """The float ONNX export of the model in `model_dir`, made into `cache_dir` on first use. Written to a
    temporary name and renamed, so two processes starting together cannot read half a file."""
    target = cache_dir / f"minilm-{_fingerprint(model_dir)}" / "model.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        float_file = Path(scratch) / "model.onnx"
        _export(model_dir, float_file)
        os.replace(float_file, target)
    return target


def exported_int8(model_dir: Path, cache_dir: Path) -> Path:
    """The int8 ONNX file of the model in `model_dir`: the float export (kept beside it) quantised into
    `cache_dir` on first use, written to a temporary name and renamed."""
    target = cache_dir / f"minilm-{_fingerprint(model_dir)}" / "model_int8.onnx"
    if target.is_file():
        return target
    float_file = exported_fp32(model_dir, cache_dir)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
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
    """Unit vectors from the ONNX export (int8 or float): mean pooling over the tokens, as the model's own."""

    def __init__(
        self,
        model: str,
        *,
        cache_dir: Path | None = None,
        threads: int | None = None,
        onnx_file: Path | None = None,
        precision: Precision = "int8",
        batch_size: int = FLOAT_BATCH,
        split: Literal["texts", "operators"] = "texts",
    ) -> None:
        """threads: how many cores an encode uses (None: one per core). split: how they share it; 'texts': each
        thread runs whole texts (or float batches) on a single-threaded session, with no synchronisation inside
        a run, so a busy core slows only its own texts; 'operators': ONNX Runtime splits every operator of one
        run across the threads (what a lone long text needs, but its per-operator barriers stall when any core
        is busy: 2 threads ran slower than 1 beside a lower-priority extraction process, benchmarks/RESULTS.md).
        onnx_file: an export of a model fine-tuned from `model` (same tokenizer) to run instead of `model`'s
        own. precision: which export, int8 (one text per run) or float (`batch_size` texts per run)."""
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ConfigurationError(
                f"embedding backend {onnx_embedder_name(model, precision)!r} needs onnxruntime and onnx: "
                "pip install onnxruntime onnx"
            ) from error
        model_dir = resolve_model_path(model)
        exported = exported_int8 if precision == "int8" else exported_fp32
        onnx_file = onnx_file or exported(model_dir, cache_dir or default_cache_dir())
        self._precision: Precision = precision
        self._batch_size = batch_size
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._runners = max(1, threads or os.cpu_count() or 1) if split == "texts" else 1
        self._pool: ThreadPoolExecutor | None = None
        if split == "texts":
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
        elif threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        self._name = onnx_embedder_name(model, precision)
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
        """Unit vectors in input order. int8: one text per run, since dynamic int8 quantisation scales
        activations by the range of the whole input tensor, so in a batch a text's vector would depend on its
        neighbours (cosine 0.985 between batched and single runs). Alone, a text always gets the same vector, and
        needs no padding; it costs ~20 % of the batched speed (benchmarks/RESULTS.md). The float export has no
        such coupling (padding is masked out), so it runs texts in batches of similar length."""
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        if self._precision == "fp32":
            order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
            groups = [order[start : start + self._batch_size] for start in range(0, len(order), self._batch_size)]
        else:
            groups = [[row] for row in range(len(encodings))]
        if self._runners == 1 or len(groups) == 1:
            for rows in groups:
                self._run(encodings, rows, out)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._runners, thread_name_prefix="onnx-embed")
            # each group writes its own rows of `out`; the session is safe to run from several threads
            for done in self._pool.map(lambda rows: self._run(encodings, rows, out), groups):
                del done
        return out

    def _run(self, encodings: Sequence[Any], rows: Sequence[int], out: npt.NDArray[np.float32]) -> None:
        """One run of the session on the texts `rows` (padded to the longest, padding masked), pooled into `out`."""
        if len(rows) == 1:  # no padding: the int8 path, and the last float group of one
            (row,) = rows
            ids = np.asarray([encodings[row].ids], dtype=np.int64)
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {
                    "input_ids": ids,
                    "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.asarray([encodings[row].type_ids], dtype=np.int64),
                },
            )
            pooled = hidden[0].mean(axis=0)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
            return
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for slot, i in enumerate(rows):
            length = len(encodings[i].ids)
            ids[slot, :length] = encodings[i].ids
            types[slot, :length] = encodings[i].type_ids
            mask[slot, :length] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out[list(rows)] = pooled / norms
