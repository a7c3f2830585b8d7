"""An ONNX Runtime version of the embedder, for the comparison in ingest_throughput.py --onnx.

sentence-transformers' own ONNX backend (`SentenceTransformer(path, backend="onnx")`) goes through optimum, and
optimum 2.3 / optimum-onnx 0.1 (the newest on the registry) import `transformers.modeling_utils.get_parameter_dtype`,
which transformers 5.x no longer has, so with our transformers it cannot load at all (`onnx_backend_error` says
why when it is run). This module does the same thing without optimum: export the BERT encoder once with
`torch.onnx.export` (offline, from the packaged weights), then tokenise with the model's tokenizer.json, run the
graph in onnxruntime, mean-pool over the attention mask and L2-normalise, as the model's 1_Pooling config says.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_onnx(model_dir: Path, target_dir: Path) -> Path:
    """Copy the model folder and write onnx/model.onnx next to it (once). Returns the ONNX file."""
    onnx_file = target_dir / "onnx" / "model.onnx"
    if onnx_file.is_file():
        return onnx_file
    import torch
    from transformers import AutoModel, AutoTokenizer

    if not target_dir.exists():
        shutil.copytree(model_dir, target_dir)
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

    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
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
    return onnx_file


def quantize_int8(onnx_file: Path) -> Path:
    """Dynamic int8 quantisation of the weights (onnxruntime.quantization), next to the float model."""
    target = onnx_file.with_name("model_int8.onnx")
    if not target.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(onnx_file), str(target), weight_type=QuantType.QInt8)
    return target


def onnx_backend_error(model_dir: Path) -> str | None:
    """Try sentence-transformers' own ONNX backend; None if it loads, else why not (first line of the error)."""
    try:
        from sentence_transformers import SentenceTransformer

        SentenceTransformer(str(model_dir), backend="onnx", local_files_only=True)
    except Exception as error:  # any failure is the finding we report
        return f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return None


class OnnxEmbedder:
    """Same output as SentenceTransformerEmbedder (mean pooling, unit length) from an ONNX file."""

    def __init__(self, model_dir: Path, onnx_file: Path, *, batch_size: int = 64, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=256)  # sentence_bert_config.json max_seq_length
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch_size = batch_size
        self.encode_seconds = 0.0

    @property
    def dimension(self) -> int:
        return 384

    @property
    def name(self) -> str:
        return "onnx"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, in input order; batches of similar length as sentence-transformers does."""
        started = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            chunk = order[start : start + self._batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            (hidden,) = self._session.run(
                ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[chunk] = pooled
        self.encode_seconds += time.perf_counter() - started
        return out

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.encode(texts).tolist() if texts else []
