"""The event-type classifier: its features match training's, it abstains to the rules, and the shipped model
loads with the labels and encoder it was trained for."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from core.errors import ConfigurationError
from graph_schema.ontology import EventType
from ingest.extraction.classify import (
    DEFAULT_MODEL_DIR,
    ENCODER,
    NONE,
    RULE_LABELS,
    TYPE_LABELS,
    EventTypeClassifier,
    EventTypeModel,
    TypeQuery,
    WordNgrams,
    rule_features,
)
from ingest.extraction.plover2021 import from_plover_2021


class KeywordEncoder:
    """A fake encoder: a text's vector is a one-hot of the first known keyword it contains."""

    KEYWORDS = ("met", "shelled", "arrested")

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        rows = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            words = text.lower().replace(".", " ").split()
            for column, word in enumerate(self.KEYWORDS):
                if word in words:
                    rows[row, column] = 1.0
                    break
        return rows


def _model(threshold: float) -> EventTypeModel:
    """A hand-made model: keyword 0 -> CONSULT, 1 -> FIGHT, 2 -> COERCE, confident when the keyword is there."""
    features = 384 + 2 + len(RULE_LABELS)  # embedding, two n-gram columns, rule one-hot
    weights = np.zeros((features, len(TYPE_LABELS)), dtype=np.float32)
    for column, label in enumerate(("CONSULT", "FIGHT", "COERCE")):
        weights[column, TYPE_LABELS.index(label)] = 10.0
    ngrams = WordNgrams(["zzz", "yyy"], np.ones(2, dtype=np.float32))
    return EventTypeModel(
        weights=weights, bias=np.zeros(len(TYPE_LABELS), np.float32), threshold=threshold, ngrams=ngrams
    )


def test_word_ngrams_match_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = [
        "Kenya and Uganda held talks in Kampala.",
        "Troops shelled the town; the army shelled it again.",
        "Police arrested the protest leaders in Nairobi.",
        "The talks in Kampala ended without a deal, officials said.",
    ]
    fitted = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit(corpus)
    vocabulary = [term for term, _ in sorted(fitted.vocabulary_.items(), key=lambda item: item[1])]
    ours = WordNgrams(vocabulary, fitted.idf_.astype(np.float32))
    probe = [*corpus, "Shelled, shelled and shelled: the army's talks!", ""]
    np.testing.assert_allclose(ours.transform(probe), fitted.transform(probe).toarray(), atol=1e-6)


def test_rule_features_are_one_hot_with_unknown_as_none() -> None:
    rows = rule_features(["FIGHT", NONE, "NOT-A-TYPE"])
    assert rows.sum(axis=1).tolist() == [1.0, 1.0, 1.0]
    assert rows[0, RULE_LABELS.index("FIGHT")] == 1.0
    assert rows[1, 0] == rows[2, 0] == 1.0


def test_confident_model_overrides_the_rule_and_each_text_is_embedded_once() -> None:
    encoder = KeywordEncoder()
    classifier = EventTypeClassifier(_model(threshold=0.5), encoder)
    decisions = classifier.decide(
        [
            TypeQuery(text="Army units shelled the village.", rule="ASSAULT"),
            TypeQuery(text="Army units shelled the village.", rule="FIGHT"),
        ]
    )
    assert [d.event_type for d in decisions] == [EventType.FIGHT, EventType.FIGHT]
    assert all(d.by_model and d.confidence > 0.5 for d in decisions)
    assert encoder.calls == [["Army units shelled the village."]]  # one distinct text, one encode call


def test_unsure_model_abstains_to_the_rule_or_to_nothing() -> None:
    classifier = EventTypeClassifier(_model(threshold=0.5), KeywordEncoder())
    decisions = classifier.decide(
        [
            TypeQuery(text="Something happened.", rule="AID"),
            TypeQuery(text="Something happened.", rule=NONE),
        ]
    )
    assert decisions[0].event_type is EventType.AID and not decisions[0].by_model
    assert decisions[1].event_type is None
    assert classifier.decide([]) == []


def test_shipped_model_loads_with_its_metadata() -> None:
    model = EventTypeModel.load()
    assert model.metadata["encoder"] == ENCODER
    assert tuple(model.metadata["labels"]) == TYPE_LABELS
    assert 0.0 <= model.threshold < 1.0
    assert model.weights.shape == (384 + len(model.ngrams) + len(RULE_LABELS), len(TYPE_LABELS))
    # training never read the test set except to drop near-duplicates of it, and says how it was built
    assert "command" in model.metadata and "holdout" in model.metadata["validation"]["set"].lower()


def test_model_for_another_encoder_or_label_set_is_refused(tmp_path: Path) -> None:
    shipped = json.loads((DEFAULT_MODEL_DIR / "metadata.json").read_text())
    (tmp_path / "weights.npz").write_bytes((DEFAULT_MODEL_DIR / "weights.npz").read_bytes())
    for change in ({"encoder": "some-other-model"}, {"labels": ["AGREE"]}):
        (tmp_path / "metadata.json").write_text(json.dumps({**shipped, **change}))
        with pytest.raises(ConfigurationError, match="retrain"):
            EventTypeModel.load(tmp_path)
    with pytest.raises(ConfigurationError, match="missing"):
        EventTypeModel.load(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("event", "modes", "text", "expected"),
    [
        ("REQUEST", [], "asked for help", EventType.DEMAND),
        ("ACCUSE", ["allege", "investigate"], "opened a probe", EventType.INVESTIGATE),
        ("ACCUSE", ["disapprove"], "condemned the raid", EventType.DISAPPROVE),
        ("ASSAULT", ["heavy-weapons"], "troops shelled rebel positions", EventType.FIGHT),
        ("ASSAULT", ["heavy-weapons"], "a shell hit the market", EventType.ASSAULT),
        ("ASSAULT", ["firearms", "massacre"], "soldiers killed villagers", EventType.ASSAULT),
        ("ASSAULT", [""], "a shell hit the market", EventType.ASSAULT),
        ("ASSAULT", [""], "troops clashed with rebels", EventType.FIGHT),
        ("SUPPORT", [], "praised the deal", EventType.SUPPORT),
        ("UNKNOWN", [], "x", None),
    ],
)
def test_plover_2021_types_read_as_ours(event: str, modes: list[str], text: str, expected: EventType | None) -> None:
    assert from_plover_2021(event, modes, text) is expected


def test_cameo_conventional_force_is_fight() -> None:
    assert from_plover_2021("ASSAULT", [], "Use conventional military force", conventional=True) is EventType.FIGHT


def test_a_model_whose_encoder_file_changed_is_refused(tmp_path: Path) -> None:
    shipped = json.loads((DEFAULT_MODEL_DIR / "metadata.json").read_text())
    if shipped.get("encoder_file") is None:
        pytest.skip("the shipped model uses the base encoder")
    for name in ("metadata.json", "weights.npz"):
        (tmp_path / name).write_bytes((DEFAULT_MODEL_DIR / name).read_bytes())
    (tmp_path / shipped["encoder_file"]["file"]).write_bytes(b"not the encoder it was trained with")
    with pytest.raises(ConfigurationError, match="not the one it was trained with"):
        EventTypeModel.load(tmp_path)
