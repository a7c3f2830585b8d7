"""Validation figures for the event type: NGEC's VOA holdout quotes, the set the classifier's settings were
chosen on (never the test gold).

Three readings of each quote are scored against its label (type accuracy and macro F1 over the 18 types):
* **rules**: the PLOVER reading of the rule extractor's first event (NONE when it finds none: many quotes are
  fragments whose actors are pronouns, so the rules often have nothing to type);
* **type decision**: what the pipeline decides for a trigger, given the rules' reading as one of its inputs
  (the classifier when it is confident, else the rules);
* **system**: the first event the whole extractor (rules + classifier) gives, NONE when it gives none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.registry import ActorRegistry
from graph_schema.ontology import EventType
from ingest.evaluate import predict
from ingest.extraction.classify import NONE, EventTypeClassifier, TypeQuery
from ingest.extraction.plover2021 import LabelledText, read_ngec_quotes

if TYPE_CHECKING:
    from ingest.extraction import Extractor


@dataclass(frozen=True)
class TypeScores:
    """Accuracy and macro F1 of predicted types (NONE counts as wrong) against gold types."""

    gold: tuple[str, ...]
    predicted: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in zip(self.gold, self.predicted, strict=True)) / max(1, len(self.gold))

    @property
    def macro_f1(self) -> float:
        """The mean F1 over the types present in the gold (a type never predicted scores 0)."""
        scores = []
        for label in sorted(set(self.gold)):
            hits = sum(g == p == label for g, p in zip(self.gold, self.predicted, strict=True))
            predicted = sum(p == label for p in self.predicted)
            actual = sum(g == label for g in self.gold)
            precision = hits / predicted if predicted else 0.0
            recall = hits / actual if actual else 0.0
            scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        return sum(scores) / max(1, len(scores))


@dataclass(frozen=True)
class ValidationReport:
    path: str
    rules: TypeScores
    decision: TypeScores
    system: TypeScores

    def render(self) -> str:
        count = len(self.rules.gold)
        lines = [
            f"VALIDATION: NGEC VOA holdout quotes ({count}): {self.path}",
            "  (the classifier's settings were chosen on this set; it is independent of the test gold)",
            "                                        accuracy  macro F1",
        ]
        for name, scores in (
            ("rules only (first event, NONE if none)", self.rules),
            ("type decision (classifier + rule label)", self.decision),
            ("system (first event, rules + classifier)", self.system),
        ):
            lines.append(f"  {name:<40} {scores.accuracy:6.3f}  {scores.macro_f1:8.3f}")
        return "\n".join(lines)


def _reading(extractor: Extractor, registry: ActorRegistry, text: str) -> str:
    event: EventType | None = predict(extractor.extract_sentence(text), registry).event
    return event.value if event is not None else NONE


def validate(
    records: Sequence[LabelledText],
    rules: Extractor,
    system: Extractor,
    classifier: EventTypeClassifier,
    registry: ActorRegistry,
    *,
    path: str = "",
) -> ValidationReport:
    gold = tuple(r.label.value for r in records)
    rule_readings = [_reading(rules, registry, r.text) for r in records]
    decisions = classifier.decide(
        [TypeQuery(text=r.text, rule=rule) for r, rule in zip(records, rule_readings, strict=True)]
    )
    decided = tuple(d.event_type.value if d.event_type is not None else NONE for d in decisions)
    return ValidationReport(
        path=path,
        rules=TypeScores(gold, tuple(rule_readings)),
        decision=TypeScores(gold, decided),
        system=TypeScores(gold, tuple(_reading(system, registry, r.text) for r in records)),
    )


def validate_file(
    path: Path,
    rules: Extractor,
    system: Extractor,
    classifier: EventTypeClassifier,
    registry: ActorRegistry,
    limit: int | None = None,
) -> ValidationReport:
    records = read_ngec_quotes(path)[:limit]
    return validate(records, rules, system, classifier, registry, path=str(path))
