"""The identity rule (README, "How a brief is identified"): what a brief's URL keeps and drops."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from ingest.parse import canonical_url, entry_brief_id, parse_brief, url_brief_id
from ingest.sources import RawBrief


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "https://www.crisisgroup.org/crisiswatch/x#South-Africa-2024-10",
            "https://crisisgroup.org/crisiswatch/x#South-Africa-2024-10",
        ),
        ("http://Example.org/a/?utm_source=x&id=3&fbclid=y#Entry-2", "https://example.org/a?id=3#Entry-2"),
        ("https://example.org/a/#", "https://example.org/a"),
        ("https://example.org/a#:~:text=troops%20crossed", "https://example.org/a"),
        ("https://example.org/a#comments", "https://example.org/a"),
        ("https://example.org/a#top", "https://example.org/a"),
        ("https://example.org/a#utm_source=feed", "https://example.org/a"),
    ],
)
def test_canonical_url_keeps_entry_fragments_and_drops_tracking(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_anchored_entries_of_one_page_get_different_ids() -> None:
    briefs = [
        parse_brief(
            RawBrief(source=f"t#{i}", text=f"Entry text number {i}.", title="T", url=f"https://p.example/m#{a}")
        )[0]
        for i, a in enumerate(["Sudan-2024-10", "Haiti-2024-10", "Sudan-2024-10"])
    ]
    assert briefs[0].id != briefs[1].id
    assert briefs[0].id == briefs[2].id  # the same anchor is the same brief, whatever its text


def test_a_url_without_fragment_keeps_the_id_it_had_before_fragments_were_kept() -> None:
    brief, _ = parse_brief(RawBrief(source="t", text="Some text.", title="T", url="https://www.example.org/b/1/"))
    assert (
        brief.id
        == url_brief_id("https://example.org/b/1")
        == "b-" + hashlib.sha256(b"url:https://example.org/b/1").hexdigest()[:20]
    )


def test_entry_ids_depend_on_title_and_date_not_on_case_or_spacing() -> None:
    day = dt.date(2024, 10, 31)
    url = "https://p.example/m"
    assert entry_brief_id(url, "South  Africa", day) == entry_brief_id(url, "south africa", day)
    assert entry_brief_id(url, "South Africa", day) != entry_brief_id(url, "Sudan", day)
    assert entry_brief_id(url, "Update", day) != entry_brief_id(url, "Update", dt.date(2024, 11, 1))
    assert entry_brief_id(url, "South Africa", day) != url_brief_id(url)
