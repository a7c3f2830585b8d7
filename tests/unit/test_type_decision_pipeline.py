"""The type seam in the pipeline: only triggers the rules can give sides to are typed, the decided type is the
one stored, and the shipped classifier types clear sentences (written for these tests) as a reader would."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.language import Language

from core.models import Brief, Section
from core.registry import ActorRegistry
from graph_schema.ontology import EventType
from ingest.eval_suite import run_suite
from ingest.extraction import Extractor, TypeCandidate, load_nlp
from ingest.extraction.classify import EventTypeClassifier, load_type_classifier
from ingest.extraction.type_decision import ClauseCandidate
from ingest.validation import TypeScores

pytestmark = pytest.mark.model

DAY = dt.date(2025, 4, 10)


class RecordingTypes:
    """A fake decider: answers one fixed type and remembers what it was asked."""

    def __init__(self, answer: EventType) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]:
        self.asked += [c.trigger.token.text for c in candidates]
        return [self.answer for _ in candidates]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def classifier() -> EventTypeClassifier:
    return load_type_classifier()


def _brief(text: str) -> Brief:
    section = Section(name="body", text=text)
    return Brief(id="b", title="t", date=DAY, source="test", sections=(section,), content_hash="")


def test_only_triggers_with_sides_are_typed_and_the_decision_is_stored(registry: ActorRegistry, nlp: Language) -> None:
    types = RecordingTypes(EventType.AID)
    text = "Kenya welcomed the decision. Kenya sent troops to Somalia on Tuesday."
    extracted = Extractor(registry, nlp, types=types).extract(_brief(text))
    assert types.asked == ["sent"]  # "welcomed" names no second side: not worth an embedding
    assert {(i.source_id, i.target_id, i.event_type) for i in extracted.interactions} == {("KEN", "SOM", EventType.AID)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Japanese police arrested two Chinese nationals on spying charges in Osaka.", EventType.COERCE),
        ("Egypt's foreign minister held talks with his Sudanese counterpart in Cairo.", EventType.CONSULT),
        ("Kenya sent 40 tonnes of food aid to Somalia after the floods.", EventType.AID),
        ("The European Union imposed new sanctions on Iran over its drone exports.", EventType.SANCTION),
    ],
)
def test_the_shipped_classifier_types_clear_sentences(
    registry: ActorRegistry, nlp: Language, classifier: EventTypeClassifier, sentence: str, expected: EventType
) -> None:
    found = Extractor(registry, nlp, types=classifier).extract_sentence(sentence, DAY)
    assert found and found[0].event_type is expected


def test_type_scores() -> None:
    scores = TypeScores(("AID", "AID", "FIGHT", "CONSULT"), ("AID", "NONE", "FIGHT", "FIGHT"))
    assert scores.accuracy == 0.5
    # AID: p 1, r .5 -> .667; FIGHT: p .5, r 1 -> .667; CONSULT: 0
    assert scores.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)


def test_eval_reports_validation_and_test_apart(tmp_path: Path) -> None:
    validation = tmp_path / "quotes.jsonl"
    validation.write_text(
        "\n".join(
            json.dumps({"quote": q, "event_type": t, "modes": m, "doc": "d"})
            for q, t, m in (
                ("Police in Lima arrested 30 protesters outside Congress.", "COERCE", ["arrest"]),
                ("Ministers from Chile and Peru met in Santiago on Monday.", "CONSULT", []),
            )
        )
    )
    test = tmp_path / "gold.jsonl"
    test.write_text(
        json.dumps(
            {
                "id": "own-1",
                "text": "Ghana sent medical supplies to Burkina Faso.",
                "event": "AID",
                "source": [{"actorText": "Ghana", "code": "GHA"}],
                "target": [{"actorText": "Burkina Faso", "code": "BFA"}],
            }
        )
    )
    text = run_suite(test, validation).render()
    assert text.index("VALIDATION") < text.index("TEST")
    assert "rules only" in text and "rules + classifier" in text and "never trained, tuned" in text
    assert "nothing to evaluate" in run_suite(tmp_path / "missing", tmp_path / "missing").render()


class NewEventTypes(RecordingTypes):
    """A fake decider that also finds an event of its fixed type in every clause the rules left."""

    def __init__(self, answer: EventType, new: EventType | None) -> None:
        super().__init__(answer)
        self.new = new
        self.clauses: list[str] = []

    def decide_new(self, clauses: Sequence[ClauseCandidate]) -> list[EventType | None]:
        self.clauses += [c.verb.text for c in clauses]
        return [self.new for _ in clauses]


def test_a_decider_may_find_an_event_the_lexicon_has_no_word_for(registry: ActorRegistry, nlp: Language) -> None:
    sentence = "Kenya and Uganda huddled in Kampala on Monday."
    assert Extractor(registry, nlp).extract_sentence(sentence, DAY) == []  # RuleTypes: no event
    quiet = NewEventTypes(EventType.AID, new=None)
    assert Extractor(registry, nlp, types=quiet).extract_sentence(sentence, DAY) == []
    assert quiet.clauses == ["huddled"]
    found = Extractor(registry, nlp, types=NewEventTypes(EventType.AID, EventType.CONSULT)).extract_sentence(
        sentence, DAY
    )
    assert [(i.event_type, {i.source_id, i.target_id}, i.directed) for i in found] == [
        (EventType.CONSULT, {"KEN", "UGA"}, False)
    ]


def test_a_sentence_with_an_event_the_rules_found_is_not_asked_again(registry: ActorRegistry, nlp: Language) -> None:
    types = NewEventTypes(EventType.AID, EventType.CONSULT)
    Extractor(registry, nlp, types=types).extract_sentence("Kenya sent troops to Somalia on Tuesday.", DAY)
    assert types.asked == ["sent"] and types.clauses == []


@pytest.mark.parametrize("answer", list(EventType))
def test_no_decided_type_loses_an_event_the_rules_found(
    registry: ActorRegistry, nlp: Language, answer: EventType
) -> None:
    """Whatever type a decider gives, every trigger the rules built an event for still yields one (retyped, or
    with the rule's type when the decided one cannot be built: no sides, or sides that do not roll up)."""
    text = (
        "Kenya sent troops to Somalia on Tuesday. Egyptian police arrested three Sudanese traders in Aswan. "
        "Kenyan students rallied in Nairobi. Israel struck targets in southern Lebanon. "
        "Turkish and Israeli officials held talks in Baku."
    )
    rules = Extractor(registry, nlp).extract(_brief(text))
    decided = Extractor(registry, nlp, types=NewEventTypes(answer, new=None)).extract(_brief(text))
    ruled = {(i.sentence_index, i.trigger) for i in rules.interactions}
    assert ruled and ruled <= {(i.sentence_index, i.trigger) for i in decided.interactions}


def test_the_trigger_clause_drops_the_reporting_frame(nlp: Language) -> None:
    from ingest.extraction.classify import trigger_clause

    doc = nlp("Officials said on Thursday that Kenya sent troops to Somalia.")
    assert trigger_clause(next(t for t in doc if t.text == "sent")) == "that Kenya sent troops to Somalia"
    doc = nlp("The two ministers held talks in Nairobi, a spokesman said.")
    assert trigger_clause(next(t for t in doc if t.text == "talks")).startswith(
        "The two ministers held talks in Nairobi"
    )


def test_eval_command_refuses_a_file_that_is_not_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefgraph import cli

    missing = tmp_path / "no-such.jsonl"
    assert cli.main(["eval", str(missing)]) == 2
    assert f"no such file: {missing}" in capsys.readouterr().err
    assert cli.main(["eval", "--validation", str(missing)]) == 2
