"""False person actors on scraped-page fixture briefs (tests/fixtures/person_evidence, written for this test):
page chrome, photo credits, headlines, airports and foreign-language fragments must not become people, and the
officials the briefs are about must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.models import Brief
from core.registry import ActorRegistry, normalise_name
from graph_schema.ontology import ActorKind
from ingest.extraction import Extractor, load_nlp
from ingest.parse import parse_brief
from ingest.sources import read_file

pytestmark = pytest.mark.model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "person_evidence"
EXPECTED: dict[str, dict[str, list[str]]] = {
    name: value
    for name, value in json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
MAX_FALSE_SHARE = 0.05


@pytest.fixture(scope="module")
def extracted_actors(registry: ActorRegistry) -> dict[str, dict[str, ActorKind]]:
    """Fixture file name -> the actors extracted from it (id -> kind)."""
    briefs: list[tuple[str, Brief]] = []
    for name in sorted(EXPECTED):
        for raw in read_file(FIXTURES / name, 1_000_000):
            briefs.append((name, parse_brief(raw)[0]))
    extractor = Extractor(registry, load_nlp())
    found: dict[str, dict[str, ActorKind]] = {name: {} for name in EXPECTED}
    for (name, _), extracted in zip(briefs, extractor.extract_many([b for _, b in briefs]), strict=True):
        found[name] |= {actor.id: actor.kind for actor in extracted.actors}
    return found


@pytest.fixture(scope="module")
def people(extracted_actors: dict[str, dict[str, ActorKind]]) -> dict[str, set[str]]:
    """Fixture file name -> the ids of the person actors extracted from it."""
    return {
        name: {actor_id for actor_id, kind in actors.items() if kind is ActorKind.PERSON}
        for name, actors in extracted_actors.items()
    }


def test_real_people_are_kept(people: dict[str, set[str]]) -> None:
    missing = {name: sorted(set(expected["people"]) - people[name]) for name, expected in EXPECTED.items()}
    assert {name: ids for name, ids in missing.items() if ids} == {}


def test_false_person_actors_are_at_most_five_percent(people: dict[str, set[str]]) -> None:
    false = sorted(
        (name, actor_id) for name, expected in EXPECTED.items() for actor_id in people[name] - set(expected["people"])
    )
    total = sum(len(ids) for ids in people.values())
    assert total > 0
    assert len(false) / total <= MAX_FALSE_SHARE, false


def test_page_noise_never_becomes_an_actor(extracted_actors: dict[str, dict[str, ActorKind]]) -> None:
    """Of any kind: a credit line is no organisation ('Getty Images') and a menu no person."""
    noise = {name: [*expected["not_people"], "Getty Images", "Reuters", "AFP"] for name, expected in EXPECTED.items()}
    leaked = sorted(
        (name, words, actor_id)
        for name, actors in extracted_actors.items()
        for words in noise[name]
        for actor_id in actors
        if normalise_name(words).replace(" ", "-") in actor_id
    )
    assert leaked == []
