"""Train the event-type classifier shipped in ingest/extraction/model/ (weights.npz + metadata.json).

    HF_HUB_OFFLINE=1 .venv/bin/python tools/train_event_classifier.py [--shared ../shared] [--out DIR]

Data (all read from ../shared at training time, never copied into the project):
* train: NGEC's VOA evidence quotes (`training/ngec_voa_quotes/verify.jsonl`), NGEC's synthetic headlines with
  their slots filled from a fixed list of names, the CAMEO code descriptions (`reference/cameo2plover.txt`),
  and the project's own sentences (`tools/event_sentences.jsonl`, written for the project);
* validation: NGEC's separate VOA holdout (`training/ngec_voa_quotes/holdout_verify.jsonl`): the regulariser and
  the abstention threshold are chosen on it, and its figures are the ones to quote as validation;
* the PLOVER gold (`gold/*.jsonl`) is a test set: it is read here only to drop training texts that are
  near-duplicates of a gold sentence (cosine >= 0.90 of their embeddings, or a fuzzy token-set ratio >= 90).

Model: all-MiniLM-L6-v2 fine-tuned on the training texts for a fixed 3 epochs (CPU, ~15 min on 2 cores) and
exported to int8 ONNX (`encoder_int8.onnx`, run as the pipeline runs it); then a class-balanced multinomial
logistic regression over that encoder's text vector, word 1-2 gram TF-IDF and a one-hot of the rule extractor's
own PLOVER reading of the text (NONE when the rules find no event), so the model learns from data the rules were
not written for how far to trust each rule label. `--epochs 0` keeps the base encoder. Fixed seeds, data order
and slot fillers: a re-run on the same machine gives the same model.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_schema.ontology import EventType  # noqa: E402
from ingest.extraction.classify import (  # noqa: E402
    DEFAULT_MODEL_DIR,
    ENCODER,
    ENCODER_FILE,
    NONE,
    RULE_LABELS,
    TYPE_LABELS,
    EventTypeModel,
    WordNgrams,
)
from ingest.extraction.plover2021 import from_plover_2021, read_ngec_quotes  # noqa: E402

# slot fillers for the synthetic headlines: a fixed, varied list (facts, not text from the data)
_COUNTRIES = (
    "Kenya", "Peru", "Turkey", "Vietnam", "Poland", "Egypt", "Brazil", "Japan", "Nigeria", "Ukraine",
    "Iran", "Canada", "Pakistan", "Sweden", "Mexico", "Indonesia", "Ethiopia", "Chile", "Serbia", "Jordan",
    "Morocco", "India", "Argentina", "Georgia", "Sudan", "Colombia", "Qatar", "Mali", "Greece", "Thailand",
)  # fmt: skip
_CITIES = (
    "Nairobi", "Lima", "Ankara", "Hanoi", "Warsaw", "Cairo", "Recife", "Osaka", "Kano", "Kharkiv",
    "Tabriz", "Quetta", "Gothenburg", "Monterrey", "Medan", "Mekele", "Valparaiso", "Nis", "Irbid", "Fez",
)  # fmt: skip


@dataclass(frozen=True)
class Example:
    text: str
    label: EventType
    origin: str  # voa | headline | cameo | own | holdout
    group: str  # the article or file it came from


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_quotes(path: Path, origin: str) -> list[Example]:
    return [Example(q.text, q.label, origin, q.group) for q in read_ngec_quotes(path)]


def read_headlines(path: Path) -> list[Example]:
    pick = random.Random(20261203)  # fixed slot fillers: the same headlines every run
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            countries = pick.sample(_COUNTRIES, 3)
            text = row["title"].strip()
            for slot, value in (("{country_1}", countries[0]), ("{country_2}", countries[1])):
                text = text.replace(slot, value)
            text = text.replace("{country_3}", countries[2]).replace("{city}", pick.choice(_CITIES))
            label = from_plover_2021(row["event"], [row.get("mode") or ""], text)
            if label is not None:
                examples.append(Example(text, label, "headline", f"headline-{number // 25}"))
    return examples


def read_cameo(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,\s*([^,]*),[^#]*#\s*(.+)$", line)
        if match is None:
            continue
        code, event, mode, description = match.groups()
        text = description.strip()
        if text.upper() == event:
            continue  # "100: REQUEST ... # REQUEST": the bare type name teaches nothing
        label = from_plover_2021(event, [mode], text, conventional=code.startswith("19"))
        if label is not None:
            examples.append(Example(text, label, "cameo", f"cameo-{code[:2]}"))
    return examples


def read_own(path: Path) -> list[Example]:
    if not path.is_file():
        return []
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            examples.append(Example(row["text"], EventType(row["event"]), "own", "own"))
    return examples


def read_gold_texts(folder: Path) -> list[str]:
    texts = []
    for file in sorted(folder.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["text"]))
    return texts


class CachedEncoder:
    """An int8 ONNX MiniLM (the base export, or a fine-tuned one), with vectors cached on disk per encoder file
    and text, so re-runs embed only what is new."""

    def __init__(self, cache: Path, onnx_file: Path | None = None) -> None:
        from core.adapters.embedder import PACKAGED_MODEL
        from core.adapters.onnx_embedder import OnnxEmbedder

        self._embedder = OnnxEmbedder(PACKAGED_MODEL, onnx_file=onnx_file)
        tag = _sha256(onnx_file)[:12] if onnx_file is not None else "base"
        self._cache_file = cache.with_name(f"{cache.stem}-{tag}.npz")
        self._cache: dict[str, npt.NDArray[np.float32]] = {}
        if self._cache_file.is_file():
            with np.load(self._cache_file) as stored:
                self._cache = {key: stored[key] for key in stored.files}

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        keys = [hashlib.sha1(text.encode()).hexdigest() for text in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}.items())
        started = time.perf_counter()
        for done, (key, text) in enumerate(missing, 1):
            self._cache[key] = self._embedder.encode([text])[0]
            if done % 1000 == 0:
                print(f"  embedded {done}/{len(missing)} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if missing:
            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self._cache_file, **self._cache)
        return np.stack([self._cache[k] for k in keys]).astype(np.float32)


def fine_tune(train: Sequence[Example], epochs: int, out: Path, *, seed: int = 20261203) -> Path:
    """Fine-tune MiniLM on the training texts (mean pooling, unit vectors, a linear head, class-weighted cross
    entropy; fixed seed and order), then export the encoder to int8 ONNX as the pipeline runs it. Returns the
    ONNX file. The head is dropped: the shipped logistic regression is fitted on the exported encoder's vectors."""
    import tempfile

    import torch
    from transformers import AutoModel, AutoTokenizer

    from core.adapters.embedder import PACKAGED_MODEL, resolve_model_path
    from core.adapters.onnx_embedder import exported_int8

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(os.cpu_count() or 1)
    order = random.Random(seed)  # the same batches every run
    base = resolve_model_path(PACKAGED_MODEL)
    tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    encoder = AutoModel.from_pretrained(str(base), local_files_only=True)
    head = torch.nn.Linear(encoder.config.hidden_size, len(TYPE_LABELS))
    labels = [TYPE_LABELS.index(e.label.value) for e in train]
    counts = np.bincount(labels, minlength=len(TYPE_LABELS))
    class_weights = torch.tensor(len(labels) / (len(TYPE_LABELS) * np.maximum(counts, 1)), dtype=torch.float32)
    optimiser = torch.optim.AdamW([*encoder.parameters(), *head.parameters()], lr=4e-5, weight_decay=0.01)

    def pooled(texts: list[str]) -> torch.Tensor:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
        hidden = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    encoder.train()
    indices = list(range(len(train)))
    started = time.perf_counter()
    for epoch in range(epochs):
        order.shuffle(indices)
        for step, start in enumerate(range(0, len(indices), 16), 1):
            batch = indices[start : start + 16]
            logits = head(pooled([train[i].text for i in batch]) * 10.0)  # cosine-scale logits
            target = torch.tensor([labels[i] for i in batch])
            loss = torch.nn.functional.cross_entropy(logits, target, weight=class_weights)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if step % 100 == 0:
                elapsed = time.perf_counter() - started
                print(f"  fine-tune epoch {epoch + 1}/{epochs} step {step}: loss {loss.item():.3f} ({elapsed:.0f} s)")
    encoder.eval()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "minilm-events"
        encoder.save_pretrained(str(folder))
        tokenizer.save_pretrained(str(folder))
        exported = exported_int8(folder, Path(scratch) / "export")
        out.mkdir(parents=True, exist_ok=True)
        target_file = out / ENCODER_FILE
        target_file.write_bytes(exported.read_bytes())
    return target_file


def drop_near_gold(
    examples: list[Example],
    vectors: npt.NDArray[np.float32],
    gold_texts: list[str],
    gold_vectors: npt.NDArray[np.float32],
) -> list[int]:
    """Indices of examples kept: none within cosine 0.90 or fuzzy ratio 90 of a gold sentence."""
    from rapidfuzz import fuzz, process

    similarity = vectors @ gold_vectors.T if len(gold_texts) else np.zeros((len(examples), 0))
    kept = []
    for index, example in enumerate(examples):
        if similarity.shape[1] and float(similarity[index].max()) >= 0.90:
            continue
        if gold_texts and process.extractOne(example.text, gold_texts, scorer=fuzz.token_set_ratio, score_cutoff=90):
            continue
        kept.append(index)
    return kept


def rule_labels(texts: Sequence[str]) -> list[str]:
    """The rule extractor's PLOVER reading of each text (NONE when it finds no event)."""
    from core.registry import ActorRegistry
    from ingest.evaluate import plover_type
    from ingest.extraction import Extractor, load_nlp

    extractor = Extractor(ActorRegistry.load(), load_nlp())
    started = time.perf_counter()
    labels = []
    for done, text in enumerate(texts, 1):
        found = extractor.extract_sentence(text)
        labels.append(plover_type(found[0].event_type, found[0].mode).value if found else NONE)
        if done % 1000 == 0:
            print(f"  rules on {done}/{len(texts)} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return labels


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, labels=list(TYPE_LABELS), average="macro", zero_division=0))


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "briefgraph" / "train-vectors.npz")
    parser.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs of the encoder (fixed, not tuned)")
    parser.add_argument(
        "--encoder", type=Path, help="an encoder_int8.onnx this command fine-tuned before: refit the rest on it"
    )
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    shared: Path = args.shared
    sources = {
        "voa": shared / "training" / "ngec_voa_quotes" / "verify.jsonl",
        "headlines": shared / "training" / "ngec_synthetic_headlines.csv",
        "cameo": shared / "reference" / "cameo2plover.txt",
        "own": ROOT / "tools" / "event_sentences.jsonl",
        "holdout": shared / "training" / "ngec_voa_quotes" / "holdout_verify.jsonl",
    }
    train = (
        read_quotes(sources["voa"], "voa")
        + read_headlines(sources["headlines"])
        + read_cameo(sources["cameo"])
        + read_own(sources["own"])
    )
    validation = read_quotes(sources["holdout"], "holdout")
    gold_texts = read_gold_texts(shared / "gold")
    base = CachedEncoder(args.cache)
    print(f"embedding {len(train)} training, {len(validation)} validation texts", file=sys.stderr)
    kept = drop_near_gold(train, base.encode([e.text for e in train]), gold_texts, base.encode(gold_texts))
    dropped = len(train) - len(kept)
    train = [train[i] for i in kept]
    print(f"dropped {dropped} training texts close to a test sentence; {len(train)} left", file=sys.stderr)
    if args.encoder is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        if args.encoder.resolve() != (args.out / ENCODER_FILE).resolve():
            (args.out / ENCODER_FILE).write_bytes(args.encoder.read_bytes())
        encoder = CachedEncoder(args.cache, args.out / ENCODER_FILE)
    elif args.epochs > 0:
        encoder = CachedEncoder(args.cache, fine_tune(train, args.epochs, args.out))
    else:
        encoder = base
    train_vectors = encoder.encode([e.text for e in train])
    validation_vectors = encoder.encode([e.text for e in validation])

    train_rules = rule_labels([e.text for e in train])
    validation_rules = rule_labels([e.text for e in validation])
    train_texts, validation_texts = [e.text for e in train], [e.text for e in validation]
    y_train, y_validation = [e.label.value for e in train], [e.label.value for e in validation]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(train_texts)
    vocabulary = [term for term, _ in sorted(tfidf.vocabulary_.items(), key=lambda item: item[1])]
    idf = tfidf.idf_.astype(np.float32)
    empty = np.zeros(0, np.float32)
    shell = EventTypeModel(weights=empty, bias=empty, threshold=0.0, ngrams=WordNgrams(vocabulary, idf))
    x_train = shell.features(train_vectors, train_texts, train_rules)
    x_validation = shell.features(validation_vectors, validation_texts, validation_rules)

    # the regulariser: chosen on the validation set's macro F1
    trials: dict[float, tuple[float, float]] = {}
    best_c, best_model = 0.0, None
    for c in (2.0, 4.0, 8.0):
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
        model.fit(x_train, y_train)
        predicted = list(model.predict(x_validation))
        trials[c] = (accuracy(y_validation, predicted), macro_f1(y_validation, predicted))
        print(f"  C={c}: validation accuracy {trials[c][0]:.3f}, macro F1 {trials[c][1]:.3f}", file=sys.stderr)
        if best_model is None or trials[c][1] > trials[best_c][1]:
            best_c, best_model = c, model
    assert best_model is not None
    order = [list(best_model.classes_).index(label) for label in TYPE_LABELS]
    weights = best_model.coef_[order].T.astype(np.float32)
    bias = best_model.intercept_[order].astype(np.float32)
    candidate = EventTypeModel(weights=weights, bias=bias, threshold=0.0, ngrams=shell.ngrams)
    probabilities = candidate.probabilities(validation_vectors, validation_texts, validation_rules)

    def decided(threshold: float) -> list[str]:
        """The model's label when it is at least this sure, else the rules' (NONE when they found nothing)."""
        return [
            TYPE_LABELS[int(row.argmax())] if float(row.max()) >= threshold else rule
            for row, rule in zip(probabilities, validation_rules, strict=True)
        ]

    # abstention: chosen where it matters, on the validation quotes the rules do label (elsewhere abstaining
    # leaves nothing): the lowest threshold with the best accuracy there
    labelled = [n for n, rule in enumerate(validation_rules) if rule != NONE]
    thresholds = {}
    for t in np.round(np.arange(0.0, 0.95, 0.05), 2):
        choice = decided(float(t))
        thresholds[float(t)] = accuracy([y_validation[n] for n in labelled], [choice[n] for n in labelled])
    threshold = max(thresholds, key=lambda t: (thresholds[t], -t))
    final = decided(threshold)
    model_only = decided(0.0)
    figures = {
        "rules_only": {
            "accuracy": accuracy(y_validation, validation_rules),
            "macro_f1": macro_f1(y_validation, validation_rules),
        },
        "model_only": {"accuracy": accuracy(y_validation, model_only), "macro_f1": macro_f1(y_validation, model_only)},
        "combined": {"accuracy": accuracy(y_validation, final), "macro_f1": macro_f1(y_validation, final)},
        "rule_labelled": {
            "quotes": len(labelled),
            "rules_accuracy": accuracy([y_validation[n] for n in labelled], [validation_rules[n] for n in labelled]),
            "combined_accuracy": thresholds[threshold],
        },
    }
    metadata = {
        "encoder": ENCODER,
        "encoder_file": (
            {"file": ENCODER_FILE, "sha256": _sha256(args.out / ENCODER_FILE)} if encoder is not base else None
        ),
        "fine_tuning": {"epochs": args.epochs, "batch": 16, "lr": 4e-5, "max_tokens": 64, "seed": 20261203},
        "labels": list(TYPE_LABELS),
        "rule_labels": list(RULE_LABELS),
        "features": f"text embedding (384) + word 1-2 gram TF-IDF ({len(vocabulary)}) + one-hot rule label (19)",
        "classifier": f"sklearn LogisticRegression(C={best_c}, class_weight='balanced'), multinomial",
        "threshold": threshold,
        "trained": dt.date.today().isoformat(),
        "command": "HF_HUB_OFFLINE=1 .venv/bin/python tools/train_event_classifier.py",
        "data": {
            name: {"file": str(path.relative_to(path.parents[2] if name != "own" else ROOT)), "sha256": _sha256(path)}
            for name, path in sources.items()
            if path.is_file()
        },
        "counts": {
            "train": dict(Counter(e.origin for e in train)),
            "train_per_type": dict(sorted(Counter(y_train).items())),
            "dropped_near_test": dropped,
            "validation": len(validation),
        },
        "validation": {
            "set": "NGEC VOA holdout quotes (holdout_verify.jsonl)",
            "regulariser_trials": {str(c): {"accuracy": a, "macro_f1": f} for c, (a, f) in trials.items()},
            "threshold_trials": {str(t): a for t, a in thresholds.items()},
            **figures,
        },
        "licence": "trained on NGEC-2025 data (MIT) and PLOVER's CAMEO table (CC BY-SA 4.0); see NOTICE.md",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "weights.npz", weights=weights, bias=bias, vocabulary=np.array(vocabulary), idf=idf)
    (args.out / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(metadata["validation"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
