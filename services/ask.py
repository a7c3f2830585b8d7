"""Answer a natural-language question without an LLM: read the actors, time range and event types it names,
gather the graph's interactions among those actors and the most relevant passages, and compose an answer whose
every statement cites a brief and a sentence."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections import Counter

from core.alias_scan import scan_aliases, tokenize
from core.bootstrap import Stores
from core.errors import InvalidInputError, StoreError
from core.models import ActorSummary, InteractionRecord
from graph_schema import lexicon
from graph_schema.ontology import EventMode, EventType
from services.queries import search
from services.schemas import AskResponse, Citation, Interpretation

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_YEAR = (
    r"(?:(?P<{p}day>\d{{1,2}})\s+)?(?P<{p}month>[A-Za-z]{{3,9}})\.?\s+"
    r"(?:(?P<{p}day2>\d{{1,2}}),?\s+)?(?P<{p}year>\d{{4}})"
)
_ISO = r"(?P<{p}iso>\d{{4}}-\d{{2}}(?:-\d{{2}})?)"
_YEAR = r"(?P<{p}onlyyear>(?:19|20)\d{{2}})"


def _point(p: str) -> str:
    return f"(?:{_ISO.format(p=p)}|{_MONTH_YEAR.format(p=p)}|{_YEAR.format(p=p)})"


_SINCE = re.compile(rf"\b(?:since|after|from)\s+{_point('a')}", re.IGNORECASE)
_UNTIL = re.compile(rf"\b(?:until|till|before|to|through)\s+{_point('b')}", re.IGNORECASE)
_IN = re.compile(rf"\b(?:in|during)\s+{_point('c')}", re.IGNORECASE)
_MAX_FACTS = 200
_SHOWN_FACTS = 8


def _bounds(match: re.Match[str], prefix: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a matched date expression covers ('March 2025' -> 1..31 March)."""
    groups = match.groupdict()
    if iso := groups.get(f"{prefix}iso"):
        parts = [int(x) for x in iso.split("-")]
        if len(parts) == 3:
            exact_day = dt.date(*parts)
            return exact_day, exact_day
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    if year_only := groups.get(f"{prefix}onlyyear"):
        return dt.date(int(year_only), 1, 1), dt.date(int(year_only), 12, 31)
    month_name = (groups.get(f"{prefix}month") or "").lower()
    if month_name not in _MONTHS:
        return None
    year, month = int(groups[f"{prefix}year"]), _MONTHS[month_name]
    day = groups.get(f"{prefix}day") or groups.get(f"{prefix}day2")
    if day:
        exact = dt.date(year, month, int(day))
        return exact, exact
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def interpret_dates(question: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        date_from = date_to = None
        if (since := _SINCE.search(question)) and (bounds := _bounds(since, "a")):
            date_from = bounds[0]
        if (until := _UNTIL.search(question)) and (bounds := _bounds(until, "b")):
            date_to = bounds[1]
        within = _IN.search(question) if date_from is None and date_to is None else None
        if within and (bounds := _bounds(within, "c")):
            date_from, date_to = bounds
    except ValueError as error:  # e.g. '31 February 2025'
        raise InvalidInputError(f"the question names an impossible date: {error}") from None
    return date_from, date_to


def interpret_event_types(question: str) -> list[EventType]:
    found: list[EventType] = []
    written = re.findall(r"[A-Za-z\-]+", question)
    words = [word.lower() for word in written]
    for position, word in enumerate(words):
        if word in _MONTHS and written[position][0].isupper():
            continue  # "since March 2025" names a month, not a protest march
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in lexicon.LIGHT_VERBS and (following in lexicon.NOUNS or following.removesuffix("s") in lexicon.NOUNS):
            continue  # "impose sanctions", "hold talks": the noun names the event
        for candidate in (
            word,
            word.removesuffix("s"),
            word.removesuffix("es"),
            word.removesuffix("ed"),
            word.removesuffix("d"),
            word.removesuffix("ing"),
        ):
            event_type = lexicon.NOUNS.get(candidate) or (
                lexicon.VERBS.get(candidate) if candidate not in _GENERIC_VERBS else None
            )
            if event_type is not None:
                if event_type not in found:
                    found.append(event_type)
                break
    return found


# Verbs that ask about any interaction rather than naming a type.
_GENERIC_VERBS = frozenset({"interact", "engage", "relate", "deal", "do", "have", "call", "back"})


def interpret_actors(stores: Stores, index: dict[str, str], question: str) -> list[ActorSummary]:
    tokens = [text for text, _ in tokenize(question)]
    actors: list[ActorSummary] = []
    for _, _, actor_id in scan_aliases(tokens, index):
        if any(a.id == actor_id for a in actors):
            continue
        known = stores.registry.get(actor_id)
        actor = stores.graph.get_actor(actor_id)
        if actor is None and known is not None:
            actor = ActorSummary(id=known.id, name=known.name, kind=known.kind, code=known.code, aliases=known.aliases)
        if actor is not None:
            actors.append(actor)
    return actors


def answer(stores: Stores, index: dict[str, str], question: str, k: int = 5) -> AskResponse:
    question = question.strip()
    if len(question) < 3:
        raise InvalidInputError("question must be at least 3 characters")
    date_from, date_to = interpret_dates(question)
    event_types = interpret_event_types(question)
    notes: list[str] = []
    facts: list[InteractionRecord] = []
    try:
        actors = interpret_actors(stores, index, question)
        facts = _facts(stores, actors, date_from, date_to, event_types)
    except StoreError as error:
        actors = []
        notes.append(f"The graph could not be read ({error}); the answer rests on passages only.")
    passages = search(stores, question, k, date_from=date_from, date_to=date_to, index=index)
    text = _compose(actors, facts, date_from, date_to, event_types, passages_found=len(passages))
    citations = [
        Citation(
            brief_id=f.interaction.brief_id,
            title=f.brief_title,
            sentence_index=f.interaction.sentence_index,
            sentence=f.interaction.sentence,
        )
        for f in facts[:_SHOWN_FACTS]
    ]
    citations += [
        Citation(
            brief_id=hit.brief_id,
            title=hit.title,
            sentence_index=hit.passages[0].sentence_start,
            sentence=(hit.passages[0].highlights or [hit.passages[0].text])[0],
        )
        for hit in passages
        if hit.passages
    ]
    return AskResponse(
        question=question,
        interpretation=Interpretation(actors=actors, date_from=date_from, date_to=date_to, event_types=event_types),
        answer=" ".join([text, *notes]),
        facts=facts[:_MAX_FACTS],
        passages=passages,
        citations=citations,
    )


def _facts(
    stores: Stores,
    actors: list[ActorSummary],
    date_from: dt.date | None,
    date_to: dt.date | None,
    event_types: list[EventType],
) -> list[InteractionRecord]:
    if not actors:
        return []
    pairs: list[tuple[str, str | None]] = [*itertools.combinations([a.id for a in actors[:4]], 2)]
    pairs = pairs or [(actors[0].id, None)]
    seen: set[str] = set()
    facts: list[InteractionRecord] = []
    for first, second in pairs:
        for record in stores.graph.interactions(first, second, date_from, date_to, event_types, limit=_MAX_FACTS):
            if record.interaction.id not in seen:
                seen.add(record.interaction.id)
                facts.append(record)
    # The first two actors named are the question's subject: their own interactions come first.
    subject = {a.id for a in actors[:2]}
    facts.sort(
        key=lambda r: (
            not {r.interaction.source_id, r.interaction.target_id} <= subject,
            r.interaction.date or dt.date.max,
            r.interaction.brief_id,
            r.interaction.sentence_index,
        )
    )
    return facts


def _compose(
    actors: list[ActorSummary],
    facts: list[InteractionRecord],
    date_from: dt.date | None,
    date_to: dt.date | None,
    event_types: list[EventType],
    passages_found: int,
) -> str:
    names = [a.name for a in actors]
    period = ""
    if date_from and date_to:
        period = f" between {date_from} and {date_to}"
    elif date_from:
        period = f" since {date_from}"
    elif date_to:
        period = f" until {date_to}"
    kinds = f" of type {', '.join(t.value for t in event_types)}" if event_types else ""
    if not actors:
        return f"No known actor is named in the question; here are the {passages_found} most relevant briefs{period}."
    who = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f" and {names[-1]}"
    if not facts:
        return (
            f"The graph holds no interactions{kinds} involving {who}{period}. "
            f"See the {passages_found} most relevant passages below."
        )
    briefs = {f.interaction.brief_id for f in facts}
    counts = Counter(f.interaction.event_type.value for f in facts)
    scored = [f.interaction.score for f in facts if f.interaction.mode is not EventMode.NEGATED]
    mean = sum(scored) / len(scored) if scored else 0.0
    tone = "mostly cooperative" if mean > 1 else "mostly conflictual" if mean < -1 else "mixed"
    lines = [
        f"{len(facts)} interaction{'s' if len(facts) != 1 else ''}{kinds} involving {who}{period} "
        f"in {len(briefs)} brief{'s' if len(briefs) != 1 else ''}: "
        + ", ".join(f"{n} {t}" for t, n in counts.most_common())
        + f". Overall {tone} (mean cooperation-conflict score {mean:+.1f} on -10..+10).",
        "Key events:",
    ]
    for f in facts[:_SHOWN_FACTS]:
        i = f.interaction
        arrow = "→" if i.directed else "↔"
        mode = f" ({i.mode.value})" if i.mode is not EventMode.ASSERTED else ""
        lines.append(
            f"- {i.date or 'undated'}: {f.source_name} {arrow} {f.target_name}, {i.event_type.value}{mode}"
            f' — "{i.sentence}" [{i.brief_id}, sentence {i.sentence_index}]'
        )
    return "\n".join(lines)
