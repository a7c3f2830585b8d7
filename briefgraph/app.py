"""Composition of the service: the API with the ingest pipeline as its write path."""

from __future__ import annotations

from fastapi import FastAPI

from core.bootstrap import Stores
from core.ports import BriefWriter
from core.settings import Settings
from ingest.pipeline import IngestPipeline
from services.app import create_app


def make_writer(stores: Stores) -> BriefWriter:
    # requests extract in-process: no worker processes spawned from the server unless the settings ask for them
    return IngestPipeline(stores, workers=stores.settings.ingest.workers or 0)


def create_production_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app as deployed (`uvicorn --factory briefgraph.app:create_production_app`)."""
    return create_app(settings or Settings(), writer_factory=make_writer)
