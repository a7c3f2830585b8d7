"""Writes are idempotent and keep the two stores consistent: re-ingesting is a no-op, an edited brief replaces
exactly its own facts in both stores, a delete removes exactly one brief, and a failure between the vector
write and the graph write is found by `check` and repaired by running the same ingest again or `check --repair`."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from briefgraph import cli
from core.bootstrap import Stores, build_stores
from core.errors import StoreUnavailableError
from core.models import ExtractedBrief
from core.settings import Settings
from ingest.consistency import check_stores
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline
from tests.conftest import EXAMPLES
from tests.fakes import HashingEmbedder
from tests.reliability.conftest import IRAN, LEBANON, TALKS, facts_of, mentions_of, points_of, record, snapshot


def _ids(pipeline: IngestPipeline, *records: dict[str, Any]) -> list[str]:
    report = pipeline.ingest_records(list(records), source="test")
    assert [o.status for o in report.outcomes] == ["ingested"] * len(records), report.summary()
    return [o.brief_id for o in report.outcomes if o.brief_id]


def _crash_graph_writes(monkeypatch: pytest.MonkeyPatch, stores: Stores) -> list[str]:
    """The graph write fails after the vector write went through: what a crash between the two leaves."""
    attempts: list[str] = []

    def crash(batch: Sequence[ExtractedBrief]) -> None:
        attempts.extend(extracted.brief.id for extracted in batch)
        raise StoreUnavailableError("graph went away (simulated crash between the two writes)")

    monkeypatch.setattr(stores.graph, "replace_briefs", crash)
    return attempts


# ------------------------------------------------------------------ idempotence


# every source format, 14 briefs: enough to show idempotence without re-extracting the whole demo corpus
SAMPLE = [
    EXAMPLES / name
    for name in (
        "turkey_israel_baku_talks_2025-04-10.md",
        "israel_strikes_syria_arsenal_2024-12-11.html",
        "lebanon_withdrawal_deadline_2025-02-19.json",
        "iran_iaea_snapback_2025-09-28.jsonl",
        "israel_strikes_t4_hama_2025-04-03.txt",
        "turkey_israel_deconfliction_mechanism_2025-04-11.txt",
        "israel_hezbollah_ceasefire_2024-11-27.txt",
        "us_iran_talks_muscat_2025-04-13.txt",
        "sdf_damascus_integration_agreement_2025-03-11.txt",
        "houthi_red_sea_ship_sinkings_2025-07-10.txt",
        "pkk_dissolution_2025-05-12.txt",
        "us_strikes_fordow_natanz_2025-06-22.txt",
    )
]


def test_reingesting_unchanged_briefs_is_a_no_op(pipeline: IngestPipeline, fake_stores: Stores) -> None:
    first = pipeline.ingest_paths(SAMPLE)
    assert first.ok and not first.of("skipped") and len(first.of("ingested")) == 14
    before = snapshot(fake_stores)
    assert before.graph_hashes == before.vector_hashes
    assert before.counts.interactions > 10

    again = pipeline.ingest_paths(SAMPLE)
    assert {o.status for o in again.outcomes} == {"unchanged"}
    assert len(again.outcomes) == len(first.outcomes)
    assert snapshot(fake_stores) == before

    forced = pipeline.ingest_paths(SAMPLE, force=True)
    assert len(forced.of("ingested")) == len(first.of("ingested"))
    assert snapshot(fake_stores) == before  # rewriting replaces, never duplicates


def test_extraction_in_worker_processes_writes_what_in_process_extraction_writes(
    fake_stores: Stores, extractor: Extractor, tmp_path: Path
) -> None:
    """BRIEFGRAPH_INGEST__WORKERS: batches extracted by a spawned process, ahead of embedding, in input order."""
    in_process = IngestPipeline(fake_stores, extractor, batch_size=4, workers=0).ingest_paths(SAMPLE)
    # the workers build their extractor from settings: rules only, like the injected one
    rules_only = fake_stores.settings.ingest.model_copy(update={"event_classifier": False})
    settings = fake_stores.settings.model_copy(update={"data_dir": tmp_path / "workers", "ingest": rules_only})
    other = build_stores(settings, embedder=HashingEmbedder())
    try:
        in_workers = IngestPipeline(other, extractor, batch_size=4, workers=1).ingest_paths(SAMPLE)
        assert [(o.brief_id, o.status) for o in in_workers.outcomes] == [
            (o.brief_id, o.status) for o in in_process.outcomes
        ]
        assert len(in_workers.of("ingested")) == 14 and in_workers.stage_seconds["extract"] > 0
        for report in (in_process, in_workers):  # copies are found inside extraction's wait, counted once
            assert report.stage_seconds["copies"] > 0
            assert sum(report.stage_seconds.values()) <= report.seconds
        for outcome in in_process.outcomes:
            assert outcome.brief_id is not None
            assert facts_of(other, outcome.brief_id) == facts_of(fake_stores, outcome.brief_id)
        assert snapshot(other) == snapshot(fake_stores)
    finally:
        other.close()


def test_edited_brief_replaces_its_facts_in_both_stores_and_nothing_else(
    pipeline: IngestPipeline, fake_stores: Stores
) -> None:
    edited_id, other_id = _ids(pipeline, record("a", TALKS), record("b", LEBANON))
    other_before = facts_of(fake_stores, other_id)
    old_points = points_of(fake_stores, edited_id)
    assert {r.interaction.source_id for r in fake_stores.graph.brief_interactions(edited_id)} >= {"ISR", "TUR"}

    report = pipeline.ingest_records([record("a", IRAN)], source="test")
    assert [(o.status, o.brief_id) for o in report.outcomes] == [("replaced", edited_id)]
    assert (report.outcomes[0].previous_title, report.outcomes[0].previous_date) == ("Brief a", dt.date(2025, 4, 10))

    # graph: the brief's interactions and mentions are the new text's only
    pairs = {
        (r.interaction.source_id, r.interaction.target_id) for r in fake_stores.graph.brief_interactions(edited_id)
    }
    assert pairs == {("IRN", "USA")}
    assert {actor for actor, _ in mentions_of(fake_stores, edited_id)} <= {"IRN", "USA", "OMN"}
    assert all("Baku" not in r.interaction.sentence for r in fake_stores.graph.brief_interactions(edited_id))
    # vectors: the old passages are gone, the new ones carry the new hash
    new_points = points_of(fake_stores, edited_id)
    new_hash = fake_stores.graph.brief_hashes()[edited_id]
    assert new_points and all(p.content_hash == new_hash for p in new_points)
    assert all("Baku" not in p.text for p in new_points)
    assert {p.content_hash for p in old_points}.isdisjoint({new_hash})
    assert fake_stores.vectors.brief_hashes()[edited_id] == new_hash
    # the other brief, which shares Israel with the old text, is untouched
    assert facts_of(fake_stores, other_id) == other_before
    israel = fake_stores.graph.get_actor("ISR")
    assert israel is not None and israel.brief_count == 1
    assert fake_stores.graph.get_actor("TUR") is None  # no brief names Turkey any more
    assert check_stores(fake_stores).consistent


def test_delete_removes_exactly_one_brief_from_both_stores(pipeline: IngestPipeline, fake_stores: Stores) -> None:
    gone_id, kept_id = _ids(pipeline, record("a", TALKS), record("b", LEBANON))
    kept_before = facts_of(fake_stores, kept_id)
    before = snapshot(fake_stores)
    gone_points = len(points_of(fake_stores, gone_id))

    assert pipeline.delete(gone_id) is True

    after = snapshot(fake_stores)
    assert fake_stores.graph.get_brief(gone_id) is None and points_of(fake_stores, gone_id) == []
    assert set(after.graph_hashes) == set(after.vector_hashes) == {kept_id}
    assert after.points == before.points - gone_points
    assert after.counts.briefs == 1
    assert facts_of(fake_stores, kept_id) == kept_before
    assert fake_stores.graph.get_actor("ISR") is not None  # shared with the kept brief
    assert pipeline.delete(gone_id) is False
    assert snapshot(fake_stores) == after


def test_delete_through_the_api(client: TestClient, fake_stores: Stores) -> None:
    body = client.post("/briefs", json={"briefs": [record("a", TALKS), record("b", LEBANON)]}).json()
    gone_id, kept_id = (o["brief_id"] for o in body["outcomes"])
    kept_before = facts_of(fake_stores, kept_id)

    assert client.delete(f"/briefs/{gone_id}").status_code == 204
    assert client.get(f"/briefs/{gone_id}").status_code == 404
    assert client.get(f"/briefs/{gone_id}/similar").status_code == 404
    assert set(fake_stores.vectors.brief_hashes()) == set(fake_stores.graph.brief_hashes()) == {kept_id}
    assert facts_of(fake_stores, kept_id) == kept_before
    assert client.get("/actors/ISR").status_code == 200
    missing = client.delete(f"/briefs/{gone_id}")
    assert missing.status_code == 404 and "no brief with id" in missing.json()["detail"]


# ------------------------------------------------------------------ a failure between the two writes


def test_failure_between_the_writes_is_reported_and_repaired_by_the_next_run(
    pipeline: IngestPipeline, fake_stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kept_id,) = _ids(pipeline, record("b", LEBANON))
    with monkeypatch.context() as patch:
        attempts = _crash_graph_writes(patch, fake_stores)
        report = pipeline.ingest_records([record("a", TALKS)], source="test")
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and "simulated crash" in outcome.detail
    assert attempts == [outcome.brief_id] * 3  # retried with backoff, then reported
    drift = check_stores(fake_stores)
    assert drift.only_in_vectors == [outcome.brief_id] and not drift.consistent

    rerun = pipeline.ingest_records([record("a", TALKS)], source="test")
    assert [o.status for o in rerun.outcomes] == ["ingested"]
    assert check_stores(fake_stores).consistent
    assert set(fake_stores.graph.brief_hashes()) == {kept_id, outcome.brief_id}


def test_failed_edit_leaves_a_hash_mismatch_that_check_repair_resolves(
    pipeline: IngestPipeline, fake_stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    (brief_id,) = _ids(pipeline, record("a", TALKS))
    old_hash = fake_stores.graph.brief_hashes()[brief_id]
    with monkeypatch.context() as patch:
        _crash_graph_writes(patch, fake_stores)
        assert pipeline.ingest_records([record("a", IRAN)], source="test").of("failed")
    drift = check_stores(fake_stores)
    assert drift.hash_mismatch == [brief_id]

    repaired = check_stores(fake_stores, repair=True)
    assert repaired.repaired == [brief_id]
    assert check_stores(fake_stores).consistent
    # the graph's version won; running the edit again brings both stores to it
    assert fake_stores.vectors.brief_hashes()[brief_id] == old_hash
    assert [o.status for o in pipeline.ingest_records([record("a", IRAN)], source="test").outcomes] == ["replaced"]
    assert fake_stores.vectors.brief_hashes() == fake_stores.graph.brief_hashes() != {brief_id: old_hash}


# ------------------------------------------------------------------ the `briefgraph check` command


@pytest.fixture
def disk_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """On-disk stores (as the CLI opens them) with the fake embedder in both this test and the CLI."""
    for name in list(os.environ):
        if name.startswith("BRIEFGRAPH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFGRAPH_DATA_DIR", str(tmp_path / "data"))

    def fake_build(settings: Settings, **kwargs: Any) -> Stores:
        return build_stores(settings, embedder=HashingEmbedder(), **kwargs)

    monkeypatch.setattr(cli, "build_stores", fake_build)
    yield Settings()


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = cli.main(["check", *args])
    return code, json.loads(capsys.readouterr().out)


def test_check_command_reports_each_kind_of_drift_and_repair_fixes_it(
    disk_settings: Settings,
    extractor: Extractor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stores = build_stores(disk_settings, embedder=HashingEmbedder())
    try:
        pipeline = IngestPipeline(stores, extractor, retry_delay_s=0.01)
        edited, vectors_lost, graph_lost = _ids(pipeline, record("a", TALKS), record("b", LEBANON), record("c", IRAN))
        stores.vectors.delete_brief(vectors_lost)  # only in the graph
        stores.graph.delete_brief(graph_lost)  # only in the vectors
        with monkeypatch.context() as patch:
            _crash_graph_writes(patch, stores)
            pipeline.ingest_records([record("a", IRAN)], source="test")  # vectors new, graph old
    finally:
        stores.close()

    code, drift = _check(capsys)
    assert code == 1
    assert drift["only_in_graph"] == [vectors_lost]
    assert drift["only_in_vectors"] == [graph_lost]
    assert drift["hash_mismatch"] == [edited]

    code, repaired = _check(capsys, "--repair")
    assert code == 0
    assert repaired["removed"] == [graph_lost]
    assert sorted(repaired["repaired"]) == sorted([edited, vectors_lost])

    code, after = _check(capsys)
    assert code == 0
    assert after["only_in_graph"] == after["only_in_vectors"] == after["hash_mismatch"] == []

    stores = build_stores(disk_settings, embedder=HashingEmbedder())
    try:
        assert set(stores.graph.brief_hashes()) == {edited, vectors_lost}
        assert points_of(stores, vectors_lost)  # rebuilt from the text the graph keeps
        assert stores.vectors.brief_hashes() == stores.graph.brief_hashes()
    finally:
        stores.close()
