"""How /ask reads a question: dates, event types and actors, without any model."""

from __future__ import annotations

import datetime as dt

import pytest

from core.alias_scan import alias_index, scan_aliases, tokenize
from core.errors import InvalidInputError
from core.registry import ActorRegistry
from graph_schema.ontology import EventType
from services.ask import interpret_dates, interpret_event_types


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How have Turkey and Israel interacted since March 2025?", (dt.date(2025, 3, 1), None)),
        ("What happened in June 2025 between Israel and Iran?", (dt.date(2025, 6, 1), dt.date(2025, 6, 30))),
        ("Strikes in 2024", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        ("Talks from 2025-04-01 until 2025-05-15", (dt.date(2025, 4, 1), dt.date(2025, 5, 15))),
        ("Talks after 10 April 2025", (dt.date(2025, 4, 10), None)),
        ("Who met whom?", (None, None)),
    ],
)
def test_dates(question: str, expected: tuple[dt.date | None, dt.date | None]) -> None:
    assert interpret_dates(question) == expected


def test_impossible_date_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="impossible date"):
        interpret_dates("What happened since 31 February 2025?")


def test_event_types_from_words() -> None:
    assert interpret_event_types("Which airstrikes and talks took place?") == [EventType.ASSAULT, EventType.CONSULT]
    assert interpret_event_types("Did anyone impose sanctions or threaten Iran?") == [
        EventType.SANCTION,
        EventType.THREATEN,
    ]
    assert interpret_event_types("How have Turkey and Israel interacted?") == []
    assert interpret_event_types("What happened since March 2025?") == []
    assert interpret_event_types("Was there a march in Beirut?") == [EventType.PROTEST]


def test_actor_names_in_a_question() -> None:
    registry = ActorRegistry.load()
    index = alias_index(registry)
    tokens = [text for text, _ in tokenize("Did Ankara and the Israelis talk with Hizballah or al-Julani?")]
    assert [actor for *_, actor in scan_aliases(tokens, index)] == [
        "TUR",
        "ISR",
        "group:hezbollah",
        "person:ahmed-al-sharaa",
    ]
    lower = [text for text, _ in tokenize("did the us and us officials meet")]
    assert scan_aliases(lower, index) == []  # 'us' the pronoun is not the United States
