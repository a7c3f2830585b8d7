"""The extractor the ingest pipeline runs, built from settings: the rules, and the event-type classifier unless
it is switched off (`BRIEFGRAPH_INGEST__EVENT_CLASSIFIER=false`)."""

from __future__ import annotations

from core.registry import ActorRegistry
from core.settings import IngestSettings
from ingest.extraction.pipeline import Extractor, load_nlp


def build_extractor(registry: ActorRegistry, settings: IngestSettings) -> Extractor:
    types = None
    if settings.event_classifier:
        from ingest.extraction.classify import load_type_classifier

        types = load_type_classifier()
    return Extractor(registry, load_nlp(settings.spacy_model), batch_size=settings.spacy_batch_size, types=types)
