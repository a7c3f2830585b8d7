"""Event dates: a day the sentence names, resolved against the brief date; else the brief date."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from dateutil import parser as date_parser

if TYPE_CHECKING:
    from spacy.tokens import Span

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_HAS_DAY = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}|{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def sentence_date(span: Span, brief_date: dt.date | None) -> dt.date | None:
    """The first DATE entity of the sentence that names a day, else the brief date."""
    for ent in span.ents:
        if ent.label_ != "DATE":
            continue
        resolved = resolve_date(ent.text, brief_date)
        if resolved is not None:
            return resolved
    return brief_date


def resolve_date(text: str, reference: dt.date | None) -> dt.date | None:
    """A day named in a sentence, resolved against the brief date: 'April 10', '10 March 2025', 'yesterday',
    'on Monday'. Vaguer spans ('in March', 'recently') give None so the brief date stands."""
    lowered = text.lower().strip()
    if reference is not None:
        if lowered == "yesterday":
            return reference - dt.timedelta(days=1)
        if lowered in {"today", "this morning", "tonight", "this evening"}:
            return reference
        for number, name in enumerate(_WEEKDAYS):
            if lowered in {name, f"on {name}", f"last {name}"}:
                return reference - dt.timedelta(days=(reference.weekday() - number) % 7 or 7)
    if not _HAS_DAY.search(lowered):
        return None
    default = dt.datetime(reference.year if reference else 2000, 1, 1)
    try:
        parsed = date_parser.parse(text, default=default, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    if not _HAS_YEAR.search(lowered):
        if reference is None:
            return None
        if parsed > reference + dt.timedelta(days=7):
            parsed = parsed.replace(year=parsed.year - 1)
    return parsed
