"""A brief's parsed sections as sentences: each sentence numbered across the brief, with the actors found in
it, and the mentions those actors make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import Actor, Brief, Mention, Section, Sentence
from ingest.extraction.actors import ActorFinder
from ingest.extraction.context import SentenceContext
from ingest.extraction.person_evidence import PersonEvidence

if TYPE_CHECKING:
    from spacy.tokens import Doc


def read_sentences(
    brief: Brief, docs: list[Doc], finder: ActorFinder, actors: dict[str, Actor]
) -> tuple[Brief, list[SentenceContext]]:
    """The brief with its sections' sentences filled in, and a context per non-empty sentence in reading
    order. `docs` are the parsed sections, in order; every actor found is stored in `actors`."""
    sections: list[Section] = []
    contexts: list[SentenceContext] = []
    sentence_index = 0
    evidence = PersonEvidence(docs)  # names seen more than once anywhere in the brief
    for section, doc in zip(brief.sections, docs, strict=True):
        found_in_doc = finder.find(doc, brief.date, actors, evidence)
        sentences: list[Sentence] = []
        for span in doc.sents:
            text = span.text.strip()
            if not text:
                continue
            sentence = Sentence(index=sentence_index, text=text, start=span.start_char, end=span.start_char + len(text))
            sentences.append(sentence)
            found = [f for f in found_in_doc if span.start <= f.start < span.end]
            contexts.append(SentenceContext(section=section, sentence=sentence, span=span, found=found))
            sentence_index += 1
        sections.append(Section(name=section.name, text=section.text, sentences=tuple(sentences)))
    return brief.model_copy(update={"sections": tuple(sections)}), contexts


def sentence_mentions(contexts: list[SentenceContext]) -> list[Mention]:
    """Every actor found, as a mention with its character offsets in its section."""
    return [
        Mention(
            actor_id=f.actor_id,
            surface=f.surface,
            section=ctx.section.name,
            sentence_index=ctx.sentence.index,
            start=ctx.span.doc[f.start].idx,
            end=ctx.span.doc[f.end - 1].idx + len(ctx.span.doc[f.end - 1].text),
        )
        for ctx in contexts
        for f in ctx.found
    ]
