"""Reading and parsing briefs: every kind of bad input gets a clear UnreadableBriefError (never another
exception), the size limit is checked before a byte is read, and the seed brief and the example formats parse
into the title, date and sections a reader sees."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from core.errors import UnreadableBriefError
from ingest.parse import parse_brief
from ingest.sources import RawBrief, SourceFailure, read_bytes, read_file
from tests.conftest import EXAMPLES, SEED_BRIEF

GOOD_TEXT = (
    "Turkey and Israel Hold Talks in Baku\n\n"
    "Description: Turkish and Israeli officials held technical talks in Baku on April 9, 2025. "
    "Both sides agreed to keep the channel open.\n\n"
    "Impact: The talks lower the risk of a direct clash over Syria.\n"
)


def _only(briefs: list[RawBrief]) -> RawBrief:
    assert len(briefs) == 1
    return briefs[0]


# ------------------------------------------------------------------ unreadable input


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl", ".html"])
@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_file_is_refused_in_every_format(suffix: str, data: bytes) -> None:
    with pytest.raises(UnreadableBriefError, match="empty file"):
        read_bytes(data, name=f"brief{suffix}", suffix=suffix)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl", ".html"])
def test_binary_file_is_refused(suffix: str) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    with pytest.raises(UnreadableBriefError, match="binary file"):
        read_bytes(png, name=f"image{suffix}", suffix=suffix)


def test_control_characters_without_nul_are_binary() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 200
    with pytest.raises(UnreadableBriefError, match=r"binary file \(control characters\)"):
        read_bytes(data, name="blob.txt", suffix=".txt")


def test_latin1_bytes_name_the_offending_byte() -> None:
    data = "Café talks in Zürich: Turkey and Israel met.".encode("latin-1")
    with pytest.raises(UnreadableBriefError, match=r"not valid UTF-8 \(byte 0xe9 at offset 3\).*re-save"):
        read_bytes(data, name="latin.txt", suffix=".txt")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named_as_such(codec: str) -> None:
    data = GOOD_TEXT.encode(codec)
    with pytest.raises(UnreadableBriefError, match="UTF-16 text without a byte-order mark"):
        read_bytes(data, name="wide.txt", suffix=".txt")


def test_utf16_with_bom_and_utf8_with_bom_are_read() -> None:
    for data in (GOOD_TEXT.encode("utf-16"), b"\xef\xbb\xbf" + GOOD_TEXT.encode()):
        raw = _only(read_bytes(data, name="ok.txt", suffix=".txt"))
        assert raw.text.startswith("Turkey and Israel Hold Talks")


def test_html_declaring_its_charset_is_decoded_with_it() -> None:
    html = '<html><head><meta charset="iso-8859-1"><title>x</title></head><body><p>Caf\xe9 talks.</p></body></html>'
    raw = _only(read_bytes(html.encode("latin-1"), name="page.html", suffix=".html"))
    assert "Café talks." in raw.text


def test_malformed_json_gives_line_and_column() -> None:
    with pytest.raises(UnreadableBriefError, match=r"malformed JSON at line 2, column \d+"):
        read_bytes(b'{"title": "x",\n "body": }', name="bad.json", suffix=".json")


def test_deeply_nested_json_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(UnreadableBriefError, match="nested too deeply"):
        read_bytes(b"[" * 200_000, name="deep.json", suffix=".json")


def test_empty_json_list_is_refused() -> None:
    with pytest.raises(UnreadableBriefError, match="holds no brief records"):
        read_bytes(b"[]", name="none.json", suffix=".json")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ([1, 2], "expected a JSON object"),
        ({"title": "t"}, "record has no text"),
        ({"title": 5, "body": "text"}, "field 'title' must be a string"),
        ({"body": ["a"]}, "field 'body' must be a string"),
    ],
)
def test_json_records_of_the_wrong_shape(record: object, reason: str) -> None:
    with pytest.raises(UnreadableBriefError, match=reason):
        read_bytes(json.dumps(record).encode(), name="r.json", suffix=".json")


def test_malformed_jsonl_line_fails_the_file_without_a_collector() -> None:
    data = b'{"title": "a", "body": "Text one."}\n{"title": "b", "body": \n'
    with pytest.raises(UnreadableBriefError, match="malformed JSON on line 2"):
        read_bytes(data, name="feed.jsonl", suffix=".jsonl")


def test_malformed_jsonl_line_is_reported_and_the_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"title": "First", "body": "Text one."}\n'
        "\n"
        '{"title": "Broken", "body": \n'
        '{"title": "No text"}\n'
        '{"title": "Third", "body": "Text three."}\n'
    )
    failures: list[SourceFailure] = []
    briefs = read_file(path, 10_000, failures)
    assert [b.title for b in briefs] == ["First", "Third"]
    assert [b.source for b in briefs] == [f"{path}#0", f"{path}#1"]
    assert failures == [
        SourceFailure(str(path), "malformed JSON on line 3: Expecting value"),
        SourceFailure(str(path), "line 4: record has no text (expected 'body' or 'description'/'impact')"),
    ]


def test_bad_record_of_a_json_list_is_reported_and_the_others_kept() -> None:
    data = json.dumps([{"title": "A", "body": "Text."}, "not an object", {"title": "C", "body": "More."}]).encode()
    failures: list[SourceFailure] = []
    briefs = read_bytes(data, name="list.json", suffix=".json", failures=failures)
    assert [b.title for b in briefs] == ["A", "C"]
    assert failures == [SourceFailure("list.json#1", "expected a JSON object with title/date/body, got str")]


def test_html_with_scripts_only_has_no_text() -> None:
    page = (
        b"<html><head><title>Empty</title><script>var a = 'Turkey and Israel held talks';</script></head>"
        b"<body><script>document.write('x')</script><style>p{}</style><nav><a>Home</a></nav></body></html>"
    )
    with pytest.raises(UnreadableBriefError, match="HTML page has no text content"):
        read_bytes(page, name="scripts.html", suffix=".html")


def test_unsupported_suffix_is_named() -> None:
    with pytest.raises(UnreadableBriefError, match=r"unsupported file type '\.pdf'"):
        read_bytes(b"%PDF-1.7 text", name="x.pdf", suffix=".pdf")


def test_noise_only_text_has_no_brief_left() -> None:
    raw = _only(read_bytes(b"Skip to main content\nBrief\nShare this:\nNo Comments\n", name="n.txt", suffix=".txt"))
    with pytest.raises(UnreadableBriefError, match="no brief text left"):
        parse_brief(raw)


# ------------------------------------------------------------------ size limit


def test_file_over_a_small_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(GOOD_TEXT)
    size = path.stat().st_size
    with pytest.raises(
        UnreadableBriefError, match=rf"file is {size} bytes, over the {size - 1} bytes limit \(BRIEFGRAPH_INGEST__"
    ):
        read_file(path, size - 1)
    assert _only(read_file(path, size)).text.startswith("Turkey and Israel")  # at the limit it is read


def test_sparse_file_over_a_small_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "padded.md"
    path.write_text(GOOD_TEXT)
    os.truncate(path, 2_000_000)
    with pytest.raises(UnreadableBriefError, match=r"file is 2\.0 MB, over the 1\.0 MB limit"):
        read_file(path, 1_000_000)


def test_100_mb_sparse_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(GOOD_TEXT)
    os.truncate(path, 100_000_000)  # sparse: 100 MB by size, a few bytes on disk
    assert path.stat().st_size == 100_000_000

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableBriefError, match=r"file is 100\.0 MB, over the 20\.0 MB limit"):
            read_file(path, 20_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


# ------------------------------------------------------------------ dates


def test_brief_without_a_date_is_kept_with_a_warning() -> None:
    raw = _only(read_bytes(GOOD_TEXT.replace("on April 9, 2025", "").encode(), name="undated.txt", suffix=".txt"))
    brief, notes = parse_brief(raw)
    assert brief.date is None
    assert notes.warnings == ("no date found; the brief and its interactions are undated",)
    assert [s.name for s in brief.sections] == ["description", "impact"]


def test_unreadable_date_field_is_a_warning_and_the_filename_date_is_used() -> None:
    raw = RawBrief(source="x/talks_2025-04-10.json#0", text="Some text about talks.", title="T", date="soon")
    brief, notes = parse_brief(raw)
    assert brief.date is not None and brief.date.isoformat() == "2025-04-10"
    assert notes.warnings == ("could not read the date 'soon'",)


def test_unusable_url_is_a_warning_and_the_id_falls_back_to_content() -> None:
    raw = RawBrief(source="api#0", text="Some text.", title="T", date="2025-01-01", url="javascript:alert(1)")
    brief, notes = parse_brief(raw)
    assert brief.url is None
    assert notes.warnings == ("ignored an unusable URL 'javascript:alert(1)'",)


# ------------------------------------------------------------------ the seed brief and the example formats


@pytest.fixture(scope="module")
def seed() -> RawBrief:
    if not SEED_BRIEF.exists():
        pytest.skip("../shared is not beside this checkout")
    return _only(read_file(SEED_BRIEF, 20_000_000))


def test_seed_brief_title_date_and_sections(seed: RawBrief) -> None:
    brief, notes = parse_brief(seed)
    assert brief.title == "Turkey and Israel: Governments Engage in Deconfliction Negotiations Over Syria"
    assert brief.date is not None and brief.date.isoformat() == "2025-04-10"
    assert [s.name for s in brief.sections] == ["description", "impact"]
    assert brief.sections[0].text.startswith("Turkish and Israeli security and diplomatic officials held technical")
    assert brief.sections[1].text.startswith("Israel and Turkey have recently clashed repeatedly")
    assert brief.sections[1].text.endswith("power and influence in Syria.")
    assert notes.warnings == ()


def test_seed_brief_page_noise_is_removed(seed: RawBrief) -> None:
    brief, _ = parse_brief(seed)
    text = brief.text
    for noise in (
        "Notice:",
        "_load_textdomain_just_in_time",
        "wp-includes",
        "Skip to main content",
        "T-Dynamics",
        "By April 10, 2025",
        "No Comments",
        "Description:",
        "Impact:",
    ):
        assert noise not in text, noise
    assert "Brief" not in text.split()


def test_seed_brief_id_and_hash_are_stable(seed: RawBrief) -> None:
    first, _ = parse_brief(seed)
    second, _ = parse_brief(seed)
    assert (first.id, first.content_hash) == (second.id, second.content_hash)
    assert first.id.startswith("b-") and len(first.id) == 22


def test_markdown_example() -> None:
    brief, notes = parse_brief(_only(read_file(EXAMPLES / "turkey_israel_baku_talks_2025-04-10.md", 10**7)))
    assert brief.title == "Turkey and Israel Open Deconfliction Talks in Baku Over Syria"
    assert brief.date is not None and brief.date.isoformat() == "2025-04-10"
    assert [s.name for s in brief.sections] == ["description", "impact"]
    assert brief.sections[0].text.startswith("Turkish and Israeli delegations met in Baku, Azerbaijan")
    assert "#" not in brief.text and "Date:" not in brief.text
    assert notes.warnings == ()


def test_html_example() -> None:
    brief, _ = parse_brief(_only(read_file(EXAMPLES / "israel_strikes_syria_arsenal_2024-12-11.html", 10**7)))
    assert brief.title == "Israel and Syria: Hundreds of Israeli Strikes Target the Former Regime's Arsenal"
    assert brief.date is not None and brief.date.isoformat() == "2024-12-11"
    assert brief.url == (
        "https://t-dynamics.example/brief/israel-and-syria-hundreds-of-israeli-strikes-target-the-former-regime-s-arsenal"
    )
    assert [s.name for s in brief.sections] == ["description", "impact"]
    for noise in ("dataLayer", "Skip to main content", "About Us", "Contact"):
        assert noise not in brief.text


def test_json_example_holds_two_briefs() -> None:
    raws = read_file(EXAMPLES / "lebanon_withdrawal_deadline_2025-02-19.json", 10**7)
    briefs = [parse_brief(raw)[0] for raw in raws]
    assert [b.title for b in briefs] == [
        "Israel and Lebanon: Deadly Returns as the 60-Day Withdrawal Deadline Passes",
        "Israel and Lebanon: IDF Leaves Border Villages but Holds Five Hilltop Positions",
    ]
    assert [b.date.isoformat() if b.date else None for b in briefs] == ["2025-01-27", "2025-02-19"]
    assert all([s.name for s in b.sections] == ["description", "impact"] for b in briefs)
    assert all(b.url and b.url.startswith("https://t-dynamics.example/brief/") for b in briefs)
    assert len({b.id for b in briefs}) == 2


def test_jsonl_example_holds_two_briefs() -> None:
    raws = read_file(EXAMPLES / "iran_iaea_snapback_2025-09-28.jsonl", 10**7)
    briefs = [parse_brief(raw)[0] for raw in raws]
    assert [b.title for b in briefs] == [
        "Iran and the IAEA: Cairo Agreement Sets Framework for Resuming Inspections",
        "Iran: UN Sanctions Return Under the Snapback Mechanism",
    ]
    assert [b.date.isoformat() if b.date else None for b in briefs] == ["2025-09-10", "2025-09-28"]
    assert all([s.name for s in b.sections] == ["description", "impact"] for b in briefs)


def test_url_identifies_a_brief_across_edits_and_tracking_parameters() -> None:
    first = RawBrief(source="a", text="One text.", title="T", url="https://www.example.org/b/1/?utm_source=x")
    edited = RawBrief(source="b", text="Another text.", title="T", url="https://example.org/b/1")
    one, _ = parse_brief(first)
    two, _ = parse_brief(edited)
    assert one.id == two.id
    assert one.content_hash != two.content_hash


# ------------------------------------------------------------------ regressions found by the fuzz tests


def test_text_that_starts_with_the_title_words_is_kept_whole() -> None:
    raw = RawBrief(source="api#0", text="Israel strikes Syria's T4 airbase near Homs.", title="Israel strikes Syria")
    brief, _ = parse_brief(raw)
    assert brief.text == "Israel strikes Syria's T4 airbase near Homs."


def test_body_equal_to_the_title_is_not_emptied() -> None:
    brief, _ = parse_brief(RawBrief(source="api#0", text="Ceasefire holds", title="Ceasefire holds"))
    assert brief.text == "Ceasefire holds"


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_title_repeated_as_the_first_line_is_dropped(separator: str) -> None:
    raw = RawBrief(
        source="a.json#0", text=f"Ceasefire holds{separator}The truce held overnight.", title="Ceasefire holds"
    )
    brief, _ = parse_brief(raw)
    assert brief.text == "The truce held overnight."


def test_given_section_starting_with_the_title_words_is_kept_whole() -> None:
    raw = RawBrief(source="a.json#0", text="", title="Turkey", sections=(("description", "Turkey said no."),))
    brief, _ = parse_brief(raw)
    assert brief.sections[0].text == "Turkey said no."


@pytest.mark.parametrize("data", [b"\xfe\xff\x00", b"\xff\xfe\x00\xd8"])
def test_broken_utf16_after_a_bom_is_unreadable_not_a_crash(data: bytes) -> None:
    with pytest.raises(UnreadableBriefError, match="not valid UTF-16"):
        read_bytes(data, name="x.txt", suffix=".txt")


def test_html_that_looks_like_a_url_is_markup_not_a_warning() -> None:
    with pytest.raises(UnreadableBriefError, match="no text content"):
        read_bytes(b"https://example.org/brief", name="u.html", suffix=".html")
