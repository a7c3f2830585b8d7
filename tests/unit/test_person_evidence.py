"""Which names the NER tags as people are evidence of a person actor (sentences written for these tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from core.registry import ActorRegistry, RegistryActor
from graph_schema.ontology import ActorKind
from ingest.extraction.person_evidence import (
    Noise,
    PersonEvidence,
    glued_to_a_name,
    has_role_cue,
    new_actor_allowed,
    page_noise,
    person_shaped,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Language:
    from ingest.extraction import load_nlp

    return load_nlp()


def _span(nlp: Language, text: str, name: str) -> Span:
    """The words ``name`` in the parsed ``text`` as a PERSON span (the NER's own choice does not matter here)."""
    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name), label="PERSON", alignment_mode="expand")
    assert span is not None
    return span


@pytest.mark.parametrize(
    ("text", "name", "noise"),
    [
        ("Arrow Down Arrow Left Arrow Right Israel struck Syrian tanks on Tuesday.", "Arrow Down Arrow", Noise.CHROME),
        ("Map Marker Istanbul, Türkiye. The delegations met on Friday.", "Map Marker Istanbul", Noise.CHROME),
        ("Trends Box - 1080/761 Fighting spread across the province on Monday.", "Trends Box - 1080/761", Noise.CHROME),
        ("Bottom Line The fighting shows how weak the hold on the south remains.", "Bottom Line", Noise.CHROME),
        ("Smoke rises over the town. Leyla Demirci/AFP via Getty Images", "Leyla Demirci", Noise.CREDIT),
        ("The talks ended. Photo: Kamran Yousefi / Reuters", "Kamran Yousefi", Noise.CREDIT),
        ("Police fired tear gas near Jomo Kenyatta International Airport on Wednesday.", "Jomo Kenyatta", Noise.PLACE),
        ("Fidan opened the meeting at Dolmabahce Palace on Friday.", "Dolmabahce Palace", Noise.PLACE),
        (
            "Según testigos, la policía disparó contra los manifestantes en el centro, dijo Mariana Ortega Vidal.",
            "Mariana Ortega Vidal",
            Noise.FOREIGN,
        ),
        (
            "Kenya: Protests Turn Deadly On Anniversary Of Finance Bill Unrest Thousands of protesters marched.",
            "Bill Unrest",
            Noise.HEADLINE,
        ),
    ],
)
def test_page_noise_is_named(nlp: Language, registry: ActorRegistry, text: str, name: str, noise: Noise) -> None:
    assert page_noise(_span(nlp, text, name), registry) is noise


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ukrainian Defence Minister Rustem Umerov held talks in Istanbul on Friday.", "Rustem Umerov"),
        ("Russian delegation head Vladimir Medinsky said Russia was ready to continue contacts.", "Vladimir Medinsky"),
        ("Hikmat al-Hijri, the Druze spiritual leader, rejected the ceasefire.", "Hikmat al-Hijri"),
        ("Prime Minister Mark Carney spoke with the Mexican president on Monday.", "Mark Carney"),
    ],
)
def test_names_in_running_text_are_not_noise(nlp: Language, registry: ActorRegistry, text: str, name: str) -> None:
    span = _span(nlp, text, name)
    assert page_noise(span, registry) is None
    assert has_role_cue(span)


@pytest.mark.parametrize(
    ("name", "shaped"),
    [
        ("Rustem Umerov", True),
        ("Hikmat al-Hijri", True),
        ("Ursula von der Leyen", True),
        ("J. D. Vance", True),
        ("Umerov", False),  # one word: too often a place or a misparse
        ("TRENDS BOX", False),
        ("Box 1080", False),
        ("the committee chairman", False),
        ("A Very Long Run Of Capitalised Words", False),
    ],
)
def test_person_shaped(name: str, shaped: bool) -> None:
    assert person_shaped(name) is shaped


def test_an_unknown_name_needs_a_role_or_a_second_mention(nlp: Language) -> None:
    once = nlp("The convoy was delayed, said Samir Khoury. Aid agencies asked for safe passage.")
    twice = nlp("Samir Khoury, who runs a bakery, stayed. Khoury said the convoy was delayed.")
    titled = nlp("The UN humanitarian coordinator, Clementine Nkweta-Salami, visited Port Sudan.")
    for doc, name, confirmed in (
        (once, "Samir Khoury", False),
        (twice, "Samir Khoury", True),
        (titled, "Clementine Nkweta-Salami", True),
    ):
        start = doc.text.index(name)
        span = doc.char_span(start, start + len(name), label="PERSON", alignment_mode="expand")
        assert span is not None
        assert PersonEvidence([doc]).confirmed(span, name) is confirmed, name


def test_a_surname_glued_to_another_name_is_not_that_person(nlp: Language) -> None:
    doc = nlp("The coordinator, Clementine Nkweta-Salami, met the army chief.")
    salami = next(t.i for t in doc if t.text == "Salami")
    assert glued_to_a_name(doc, salami)
    assert not glued_to_a_name(doc, next(t.i for t in doc if t.text == "Clementine"))


def test_new_actors_need_evidence_known_ones_do_not(nlp: Language, registry: ActorRegistry) -> None:
    doc = nlp("Trends Box Fighting spread. Hikmat al-Hijri, the Druze spiritual leader, rejected the truce.")
    chrome = doc.char_span(0, len("Trends Box"), label="PERSON")
    start = doc.text.index("Hikmat")
    leader = doc.char_span(start, start + len("Hikmat al-Hijri"), label="PERSON")
    assert chrome is not None and leader is not None
    evidence = PersonEvidence([doc])
    person = RegistryActor(id="person:x", name="x", kind=ActorKind.PERSON)
    organisation = RegistryActor(id="org:x", name="x", kind=ActorKind.ORGANISATION)
    assert not new_actor_allowed(chrome, person, "Trends Box", registry, evidence)
    assert not new_actor_allowed(chrome, organisation, "Trends Box", registry, evidence)
    assert new_actor_allowed(leader, person, "Hikmat al-Hijri", registry, evidence)
    known = registry.get("person:benjamin-netanyahu")
    assert known is not None and not new_actor_allowed(chrome, known, "Trends Box", registry, evidence)
    assert new_actor_allowed(leader, known, "Benjamin Netanyahu", registry, None)
