"""Read briefs from files and folders: scraped text, Markdown, HTML, JSON and JSON Lines.

Each reader turns bytes into RawBrief records and raises UnreadableBriefError with a message a person can act on;
a folder walk reports each bad file and goes on with the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

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


def read_file(path: Path, max_bytes: int) -> list[RawBrief]:
    """Read one file into its briefs (a JSON list or JSON Lines file may hold several)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableBriefError(
            f"{path}: file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
            "(BRIEFGRAPH_INGEST__MAX_FILE_BYTES)"
        )
    return read_bytes(path.read_bytes(), name=str(path), suffix=path.suffix.lower())


def read_bytes(data: bytes, *, name: str, suffix: str) -> list[RawBrief]:
    if not data.strip():
        raise UnreadableBriefError(f"{name}: empty file")
    if suffix in HTML_SUFFIXES:
        return [_read_html(data, name)]
    text = decode(data, name)
    if suffix in JSON_SUFFIXES:
        return _read_json(text, name)
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(text, name)
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
        raise UnreadableBriefError(f"{name}: binary file (NUL bytes), not a text brief")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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


def _read_json(text: str, name: str) -> list[RawBrief]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableBriefError(
            f"{name}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    records = data if isinstance(data, list) else [data]
    return [record_to_raw(record, f"{name}#{index}") for index, record in enumerate(records)]


def _read_jsonl(text: str, name: str) -> list[RawBrief]:
    briefs: list[RawBrief] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise UnreadableBriefError(f"{name}: malformed JSON on line {number}: {error.msg}") from None
        briefs.append(record_to_raw(record, f"{name}#{len(briefs)}"))
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
