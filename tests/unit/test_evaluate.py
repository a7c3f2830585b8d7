"""The evaluation harness: reading a gold file and the metric arithmetic, on a gold file written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.models import Interaction
from core.registry import ActorRegistry
from graph_schema.ontology import EventMode, EventType
from ingest.evaluate import EvalReport, actor_code, evaluate, evaluate_file, plover_type, read_gold


def _gold(sentence_id: str, text: str, event: str, sources: list[str], targets: list[str]) -> dict[str, object]:
    return {
        "id": sentence_id,
        "text": text,
        "event": event,
        "mode": None,
        "source": [{"actorText": code, "code": code} for code in sources],
        "target": [{"actorText": code, "code": code} for code in targets],
    }


def _write(path: Path, records: list[dict[str, object]], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _interaction(
    source: str,
    target: str,
    event_type: EventType,
    *,
    directed: bool = True,
    mode: EventMode = EventMode.ASSERTED,
    trigger: str = "t",
) -> Interaction:
    return Interaction(
        id=f"i-{source}-{target}-{event_type.value}",
        brief_id="sentence",
        source_id=source,
        target_id=target,
        directed=directed,
        event_type=event_type,
        mode=mode,
        score=0.0,
        date=None,
        trigger=trigger,
        section="body",
        sentence_index=0,
        start=0,
        end=1,
        sentence="s",
        event_key="k",
    )


class _Canned:
    """Stands in for the extractor: each sentence's interactions are given by the test."""

    def __init__(self, answers: dict[str, list[Interaction]]) -> None:
        self.answers = answers

    def extract_sentence(self, text: str) -> list[Interaction]:
        return self.answers.get(text, [])


def _report(
    tmp_path: Path, registry: ActorRegistry, records: list[dict[str, object]], answers: dict[str, list[Interaction]]
) -> EvalReport:
    gold, skipped = read_gold(_write(tmp_path / "gold.jsonl", records))
    assert skipped == 0
    return evaluate(gold, _Canned(answers), registry)  # type: ignore[arg-type]


def test_perfect_prediction_scores_one(tmp_path: Path, registry: ActorRegistry) -> None:
    records = [
        _gold("1", "Jets from Ruritania bombed a depot.", "ASSAULT", ["ISR"], ["SYR"]),
        _gold("2", "The two sides met.", "CONSULT", ["TUR", "ISR"], []),
    ]
    answers = {
        "Jets from Ruritania bombed a depot.": [_interaction("ISR", "SYR", EventType.ASSAULT)],
        "The two sides met.": [_interaction("ISR", "TUR", EventType.CONSULT, directed=False)],
    }
    report = _report(tmp_path, registry, records, answers)
    assert report.type_accuracy == 1.0
    assert report.coverage == 1.0
    assert (report.actors.precision, report.actors.recall, report.actors.f1) == (1.0, 1.0, 1.0)
    assert report.direction_eligible == 1  # the reciprocal meeting has no direction
    assert report.direction_accuracy == 1.0
    assert "event type accuracy   1.000" in report.render()


def test_swapped_direction(tmp_path: Path, registry: ActorRegistry) -> None:
    records = [_gold("1", "A strike.", "ASSAULT", ["ISR"], ["SYR"])]
    report = _report(tmp_path, registry, records, {"A strike.": [_interaction("SYR", "ISR", EventType.ASSAULT)]})
    assert report.type_accuracy == 1.0
    assert report.direction_eligible == 1
    assert report.direction_accuracy == 0.0
    assert report.source.precision == 0.0 and report.target.recall == 0.0


def test_missing_target_lowers_recall_only(tmp_path: Path, registry: ActorRegistry) -> None:
    records = [_gold("1", "Sanctions.", "SANCTION", ["USA"], ["IRN", "SYR"])]
    report = _report(tmp_path, registry, records, {"Sanctions.": [_interaction("USA", "IRN", EventType.SANCTION)]})
    assert report.target.precision == 1.0
    assert report.target.recall == 0.5
    assert report.actors.recall == pytest.approx(2 / 3)
    assert report.actors.f1 == pytest.approx(0.8)


def test_no_prediction_counts_as_wrong_and_uncovered(tmp_path: Path, registry: ActorRegistry) -> None:
    records = [
        _gold("1", "Found.", "DEMAND", ["FRA"], ["IRQ"]),
        _gold("2", "Missed.", "PROTEST", ["EGY"], ["EGY"]),
        _gold("3", "Domestic.", "COERCE", ["EGY"], ["EGY"]),
    ]
    answers = {
        "Found.": [_interaction("FRA", "IRQ", EventType.DEMAND)],
        "Domestic.": [_interaction("EGY", "EGY", EventType.COERCE)],
    }
    report = _report(tmp_path, registry, records, answers)
    assert report.type_accuracy == pytest.approx(2 / 3)
    assert report.coverage == pytest.approx(2 / 3)
    assert report.actors.recall == pytest.approx(4 / 6)
    assert report.confusion()["PROTEST"]["NONE"] == 1
    assert report.direction_eligible == 1  # the domestic EGY -> EGY event has no direction to get wrong


def test_the_first_interaction_and_its_siblings_are_scored(tmp_path: Path, registry: ActorRegistry) -> None:
    records = [_gold("1", "Two attackers.", "ASSAULT", ["ISR", "TUR"], ["SYR"])]
    answers = {
        "Two attackers.": [
            _interaction("ISR", "SYR", EventType.ASSAULT, trigger="struck"),
            _interaction("TUR", "SYR", EventType.ASSAULT, trigger="struck"),
            _interaction("SYR", "ISR", EventType.DISAPPROVE, trigger="condemned"),
        ]
    }
    report = _report(tmp_path, registry, records, answers)
    predicted = report.scored[0].predicted
    assert predicted.sources == {"ISR", "TUR"} and predicted.targets == {"SYR"}
    assert report.actors.f1 == 1.0


def test_plover_reading_of_mode(tmp_path: Path, registry: ActorRegistry) -> None:
    assert plover_type(EventType.RETREAT, EventMode.FUTURE) is EventType.AGREE
    assert plover_type(EventType.ASSAULT, EventMode.HYPOTHETICAL) is EventType.THREATEN
    assert plover_type(EventType.AGREE, EventMode.NEGATED) is EventType.REJECT
    assert plover_type(EventType.DEMAND, EventMode.FUTURE) is EventType.DEMAND
    records = [_gold("1", "Will pull out.", "AGREE", ["ISR"], ["LBN"])]
    answers = {"Will pull out.": [_interaction("ISR", "LBN", EventType.RETREAT, mode=EventMode.FUTURE)]}
    report = _report(tmp_path, registry, records, answers)
    assert report.type_accuracy == 1.0
    assert report.raw_type_accuracy == 0.0


def test_organisations_match_as_one_class(registry: ActorRegistry) -> None:
    assert actor_code(registry, "org:un") == "IGO"
    assert actor_code(registry, "org:icrc") == "IGO"  # an NGO in the registry, matched with gold IGO and NGO
    assert actor_code(registry, "org:some-new-body") == "IGO"
    assert actor_code(registry, "org:idf") == "ISR"
    assert actor_code(registry, "person:tzachi-hanegbi") == "ISR"
    assert actor_code(registry, "TUR") == "TUR"
    assert actor_code(registry, "group:al-qaeda") == "IMG"


def test_reading_skips_bad_lines_and_honours_limit(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        [_gold("1", "One.", "AGREE", ["JPN"], []), _gold("2", "Two.", "REQUEST", ["NGO"], ["JAP"])],
        extra_lines=("{not json", json.dumps({"id": "x", "text": "No event."})),
    )
    records, skipped = read_gold(path)
    assert [r.id for r in records] == ["1", "2"] and skipped == 2
    assert records[1].event is EventType.DEMAND  # PLOVER's REQUEST
    assert records[1].sources == {"IGO"} and records[1].targets == {"JPN"}
    assert len(read_gold(path, limit=1)[0]) == 1


@pytest.mark.model
def test_evaluate_file_end_to_end(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        [
            _gold("1", "Israeli jets struck Hezbollah positions in southern Lebanon.", "ASSAULT", ["ISR"], ["IMG"]),
            _gold("2", "Turkish and Israeli officials held talks in Baku.", "CONSULT", ["TUR", "ISR"], []),
            _gold("3", "The weather was mild on Tuesday.", "AGREE", ["FRA"], ["DEU"]),
        ],
    )
    report = evaluate_file(path)
    assert report.sentences == 3
    assert report.type_accuracy == pytest.approx(2 / 3)
    assert report.coverage == pytest.approx(2 / 3)
    assert report.direction_accuracy == 1.0
    assert report.sentences_per_second > 0
    text = report.render()
    assert "confusion" in text and "NONE" in text
