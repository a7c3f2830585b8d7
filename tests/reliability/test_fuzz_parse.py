"""Property tests of reading and parsing: whatever bytes or text arrive, the only error is
UnreadableBriefError, and what parsing keeps of a brief keeps all of its words.

Cases tried per run: 400 + 300 + 300 + 300 + 300 + 200 + 200 = 2,000 (the max_examples below).
"""

from __future__ import annotations

import contextlib
import json
import re
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import UnreadableBriefError
from ingest.parse import _BYLINE, _DATE_LINE, _NOISE_LINE, _SKIP_LINK, normalise_text, parse_brief, parse_date
from ingest.sources import RawBrief, read_bytes, record_to_raw

SUFFIXES = [".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", "", ".pdf"]


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_and_parse(data: bytes, suffix: str) -> None:
    """Read then parse; any error other than UnreadableBriefError escapes and fails the property."""
    try:
        raws = read_bytes(data, name=f"fuzz{suffix}", suffix=suffix)
    except UnreadableBriefError as error:
        assert str(error).startswith(f"fuzz{suffix}")
        return
    for raw in raws:
        try:
            brief, _ = parse_brief(raw)
        except UnreadableBriefError:
            continue
        assert brief.sections and all(section.text for section in brief.sections)
        assert brief.id.startswith("b-") and len(brief.content_hash) == 64


_texty = st.one_of(
    st.text(max_size=3_000).map(str.encode),
    st.text(alphabet=string.printable + "éüçñ–—’\u00a0\u200b", max_size=3_000).map(lambda t: t.encode("utf-8")),
    st.text(max_size=500).map(lambda t: t.encode("utf-16")),
    st.text(alphabet=string.ascii_letters + " .\n", max_size=500).map(lambda t: t.encode("utf-16-le")),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=500).map(lambda t: t.encode("latin-1")),
)


@fuzz(400)
@given(data=st.one_of(st.binary(max_size=4_000), _texty), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xff\xfe", suffix=".txt")
@example(data=b"\xfe\xff\x00", suffix=".txt")
@example(data=b"[" * 100_000, suffix=".json")
@example(data=b"[" * 100_000 + b"\n{}", suffix=".jsonl")
@example(data=b"http://example.org/", suffix=".html")
@example(data=b"<html><body><p>\x00</p></body></html>", suffix=".html")
def test_any_bytes_read_and_parse_or_fail_with_unreadable_brief(data: bytes, suffix: str) -> None:
    _read_and_parse(data, suffix)


_html_tags = st.sampled_from(
    ["p", "div", "li", "h1", "h2", "h3", "script", "style", "nav", "article", "main", "time", "meta", "title", "br"]
)
_html = st.lists(st.tuples(_html_tags, st.text(max_size=80), st.booleans()), max_size=20).map(
    lambda parts: "".join(f"<{t}>{text}" + (f"</{t}>" if close else "") for t, text, close in parts)
)


@fuzz(300)
@given(page=_html, charset=st.sampled_from(["", "utf-8", "iso-8859-1", "no-such-charset", "utf-16"]))
def test_html_fragments_never_raise_anything_else(page: str, charset: str) -> None:
    head = f'<meta charset="{charset}">' if charset else ""
    _read_and_parse(f"<html><head>{head}</head><body>{page}</body></html>".encode(), ".html")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=200),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        key: st.one_of(st.text(max_size=300), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2))
        for key in ("title", "date", "url", "body", "text", "description", "impact")
    },
)


@fuzz(300)
@given(value=st.one_of(_json, _record, st.lists(_record, max_size=4)))
def test_json_values_never_raise_anything_else(value: object) -> None:
    data = json.dumps(value).encode()
    _read_and_parse(data, ".json")
    _read_and_parse(data, ".jsonl")


@fuzz(300)
@given(record=_record)
def test_records_from_the_api_never_raise_anything_else(record: dict[str, object]) -> None:
    try:
        raw = record_to_raw(record, "api#0")
    except UnreadableBriefError:
        return
    with contextlib.suppress(UnreadableBriefError):
        parse_brief(raw)


# ------------------------------------------------------------------ parsing keeps what it keeps

_word = st.text(alphabet=string.ascii_lowercase, min_size=4, max_size=10)
_line = st.lists(_word, min_size=1, max_size=15).map(" ".join)
_paragraph = st.lists(_line, min_size=1, max_size=4).map("\n".join)
_WORDS = re.compile(r"[a-z]+")


def _dropped_as_noise(line: str) -> bool:
    return any(
        pattern.match(line) or pattern.search(line) for pattern in (_NOISE_LINE, _SKIP_LINK, _BYLINE, _DATE_LINE)
    )


def _kept_words(brief_title: str, sections: tuple[str, ...]) -> set[str]:
    return set(_WORDS.findall(" ".join((brief_title, *sections))))


@fuzz(300)
@given(paragraphs=st.lists(_paragraph, min_size=1, max_size=6), title=st.none() | _line)
def test_parse_keeps_every_word_of_a_body(paragraphs: list[str], title: str | None) -> None:
    text = "\n\n".join(paragraphs)
    lines = [line for paragraph in paragraphs for line in paragraph.split("\n")]
    expected = {w for line in lines if not _dropped_as_noise(line) for w in _WORDS.findall(line)}
    brief, _ = parse_brief(RawBrief(source="fuzz.txt", text=text, title=title))
    kept = _kept_words(brief.title, tuple(s.text for s in brief.sections))
    assert expected <= kept
    assert set(_WORDS.findall(brief.text)) <= expected | set(_WORDS.findall(title or ""))  # nothing invented


@fuzz(200)
@given(title=_line, description=_paragraph, impact=_paragraph)
def test_parse_keeps_every_word_of_marked_sections(title: str, description: str, impact: str) -> None:
    text = f"{title}\n\nDescription: {description}\n\nImpact: {impact}\n"
    brief, _ = parse_brief(RawBrief(source="fuzz.txt", text=text))
    assert brief.title == title
    assert [s.name for s in brief.sections] == ["description", "impact"]
    for section, original in zip(brief.sections, (description, impact), strict=True):
        assert _WORDS.findall(section.text) == _WORDS.findall(original)
    again, _ = parse_brief(RawBrief(source="elsewhere.txt", text=text))
    assert (again.id, again.content_hash) == (brief.id, brief.content_hash)


@fuzz(200)
@given(text=st.text(max_size=300))
def test_text_helpers_never_raise(text: str) -> None:
    assert normalise_text(normalise_text(text)) == normalise_text(text)
    parsed = parse_date(text)
    assert parsed is None or 1900 < parsed.year < 2200
