"""Read briefs from files and folders: scraped text, Markdown, HTML, JSON and JSON Lines.

Each reader turns bytes into RawBrief records and raises UnreadableBriefError with a message a person can act on;
a folder walk reports each bad file and goes on with the rest.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from core.errors import UnreadableBriefError

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class RawBrief:
    """A brief as found in its source, before cleaning. Fields the source states outright (a JSON title, an
    HTML meta date) are kept apart from the text, which is scanned for the rest."""

    source: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sections: tuple[tuple[str, str], ...] = ()  # (name, text) when the source separates them (JSON records)


@dataclass(frozen=True)
class SourceFailure:
    source: str
    reason: str


def iter_files(path: Path) -> Iterator[Path]:
    """The file itself, or every supported file under a folder (recursively, sorted, hidden ones skipped)."""
    if path.is_file():
        yield path
        return
    if not path.exists():
        raise UnreadableBriefError(f"{path}: no such file or folder")
    for candidate in sorted(path.rglob("*")):
        hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
        if candidate.is_file() and not hidden and candidate.suffix.lower() in SUPPORTED_SUFFIXES:
            yield candidate


def read_file(path: Path, max_bytes: int, failures: list[SourceFailure] | None = None) -> list[RawBrief]:
    """Read one file into its briefs (a JSON list or JSON Lines file may hold several).

    The size is checked before anything is read. With `failures`, a bad record of a JSON list or a bad line of
    a JSON Lines file is reported there and the file's other records are still returned; without it, the first
    bad record fails the whole file."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableBriefError(
            f"{path}: file is {_size(size)}, over the {_size(max_bytes)} limit (BRIEFGRAPH_INGEST__MAX_FILE_BYTES)"
        )
    return read_bytes(path.read_bytes(), name=str(path), suffix=path.suffix.lower(), failures=failures)


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def read_bytes(data: bytes, *, name: str, suffix: str, failures: list[SourceFailure] | None = None) -> list[RawBrief]:
    if not data.strip():
        raise UnreadableBriefError(f"{name}: empty file")
    if suffix in HTML_SUFFIXES:
        return [_read_html(data, name)]
    text = decode(data, name)
    if suffix in JSON_SUFFIXES:
        return _read_json(text, name, failures)
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(text, name, failures)
    if suffix in MARKDOWN_SUFFIXES:
        return [_read_markdown(text, name)]
    if suffix in TEXT_SUFFIXES:
        return [RawBrief(source=name, text=text)]
    raise UnreadableBriefError(
        f"{name}: unsupported file type {suffix!r}; expected one of {', '.join(sorted(SUPPORTED_SUFFIXES - {''}))}"
    )


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or a charset the document declares; else a clear error."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_like_bomless_utf16(data[:8192]):
            raise UnreadableBriefError(
                f"{name}: looks like UTF-16 text without a byte-order mark; re-save the file as UTF-8"
            )
        raise UnreadableBriefError(f"{name}: binary file (NUL bytes), not a text brief")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableBriefError(
                f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16 ({error.reason} at offset "
                f"{error.start}); re-save the file as UTF-8"
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if declared:
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
        raise UnreadableBriefError(
            f"{name}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "re-save the file as UTF-8"
        ) from None
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:8192]) // 100):
        raise UnreadableBriefError(f"{name}: binary file (control characters), not a text brief")
    return text


def _looks_like_bomless_utf16(head: bytes) -> bool:
    """Mostly ASCII text stored as UTF-16 without a BOM: NUL bytes at every other offset."""
    pairs = len(head) // 2
    if pairs < 2:
        return False
    even_nuls = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd_nuls = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    return max(even_nuls, odd_nuls) >= 0.9 * pairs and min(even_nuls, odd_nuls) <= 0.05 * pairs


def _collect(failures: list[SourceFailure] | None, error: UnreadableBriefError, source: str) -> None:
    """Report a bad record where the caller collects them; otherwise the whole file fails."""
    if failures is None:
        raise error
    message = str(error)
    failures.append(SourceFailure(source, message.removeprefix(f"{source}: ")))


def _read_json(text: str, name: str, failures: list[SourceFailure] | None = None) -> list[RawBrief]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableBriefError(
            f"{name}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise UnreadableBriefError(f"{name}: JSON nested too deeply") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise UnreadableBriefError(f"{name}: the JSON list holds no brief records")
    return records_to_raw(records, name, failures)


def records_to_raw(records: Sequence[Any], name: str, failures: list[SourceFailure] | None) -> list[RawBrief]:
    """Records `name#0`, `name#1`, ...; a bad record goes to `failures` (or raises when it is None)."""
    briefs: list[RawBrief] = []
    for index, record in enumerate(records):
        source = f"{name}#{index}"
        try:
            briefs.append(record_to_raw(record, source))
        except UnreadableBriefError as error:
            _collect(failures, error, source)
    return briefs


def _read_jsonl(text: str, name: str, failures: list[SourceFailure] | None = None) -> list[RawBrief]:
    briefs: list[RawBrief] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            _collect(failures, UnreadableBriefError(f"{name}: malformed JSON on line {number}: {error.msg}"), name)
            continue
        except RecursionError:
            _collect(failures, UnreadableBriefError(f"{name}: JSON nested too deeply on line {number}"), name)
            continue
        source = f"{name}#{len(briefs)}"
        try:
            briefs.append(record_to_raw(record, source))
        except UnreadableBriefError as error:
            reason = str(error).removeprefix(f"{source}: ")
            _collect(failures, UnreadableBriefError(f"{name}: line {number}: {reason}"), name)
    return briefs


def record_to_raw(record: Any, source: str) -> RawBrief:
    """A JSON record {title, date, url, body | description/impact} as a RawBrief."""
    if not isinstance(record, dict):
        raise UnreadableBriefError(
            f"{source}: expected a JSON object with title/date/body, got {type(record).__name__}"
        )

    def text_field(key: str) -> str | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise UnreadableBriefError(f"{source}: field {key!r} must be a string, got {type(value).__name__}")
        return value

    sections = tuple((key, value) for key in ("description", "impact") if (value := text_field(key)) and value.strip())
    body = text_field("body") or text_field("text") or ""
    if not sections and not body.strip():
        raise UnreadableBriefError(f"{source}: record has no text (expected 'body' or 'description'/'impact')")
    return RawBrief(
        source=source,
        text=body,
        title=text_field("title"),
        date=text_field("date"),
        url=text_field("url"),
        sections=sections,
    )


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _read_markdown(text: str, name: str) -> RawBrief:
    """Markdown: '# Title' is the title; '## Description' style headings start sections."""
    title: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and title is None:
            title = heading.group(2)
            continue
        if heading:
            lines.append(f"{heading.group(2)}:")
            continue
        lines.append(re.sub(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}", r"\1", line))
    return RawBrief(source=name, text="\n".join(lines), title=title)


def _read_html(data: bytes, name: str) -> RawBrief:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
    text = decode(data, name, declared.group(1).decode("ascii") if declared else None)
    with warnings.catch_warnings():
        # a page whose whole text looks like a URL or a file name is still markup to us
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    for noise in soup(["script", "style", "nav", "footer", "header", "aside", "form", "noscript"]):
        noise.decompose()

    def meta(*keys: str) -> str | None:
        for key in keys:
            tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
            content = tag.get("content") if tag else None
            if isinstance(content, str) and content.strip():
                return content.strip()
        return None

    heading = soup.find("h1")
    title = (
        (heading.get_text(" ", strip=True) if heading else None)
        or meta("og:title")
        or (soup.title.get_text(" ", strip=True) if soup.title else None)
    )
    if heading:
        heading.decompose()
    time_tag = soup.find("time")
    time_value = time_tag.get("datetime") if time_tag else None
    date = meta("article:published_time", "date", "dc.date", "pubdate") or (
        time_value if isinstance(time_value, str) else None
    )
    canonical = soup.find("link", attrs={"rel": "canonical"})
    href = canonical.get("href") if canonical else None
    url = (href if isinstance(href, str) else None) or meta("og:url")
    container = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [
        block.get_text(" ", strip=True)
        for block in container.find_all(["p", "li", "h2", "h3", "div"])
        if not block.find(["p", "div"])
    ]
    body = "\n\n".join(block for block in blocks if block)
    if not body.strip():
        raise UnreadableBriefError(f"{name}: HTML page has no text content")
    return RawBrief(source=name, text=body, title=title, date=date, url=url)
