"""Clean a raw brief and find its title, date and sections; give it a stable id and a content hash.

The id (README, "How a brief is identified"): the canonical URL, fragment included, when there is one
(url_brief_id); a hash of the content when there is none. Entries of a page that carries several briefs under one
URL without anchors get entry_brief_id (URL + title + date): the write path decides that, since it takes the other
briefs of the input and the stored brief under the URL (ingest/pipeline.py, _Identities)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from dateutil import parser as date_parser

from core.errors import UnreadableBriefError
from core.models import Brief, Section
from ingest.sources import RawBrief

# Page noise seen in scraped briefs: CMS notices, skip links, bylines glued to dates, share buttons.
_NOISE_LINE = re.compile(
    r"^\s*(?:(?:PHP\s+)?(?:Notice|Warning|Deprecated|Fatal error)\s*:.*"
    r"|Skip to (?:main )?content|Brief|Share(?: this)?:?|Print|Menu|Search|Home|Related posts?:?"
    r"|Leave a (?:comment|reply)|\d+\s+Comments?|No Comments)\s*$",
    re.IGNORECASE,
)
_SKIP_LINK = re.compile(r"\s*Skip to (?:main )?content\s*$", re.IGNORECASE)
_BYLINE = re.compile(
    r"^\s*(?:By\s+)?(?:[A-Z][\w.\- ]{0,40}\s+)?(?:on\s+)?"
    r"(?P<date>(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4})\s*(?:No Comments|\d+ Comments?|Comments? off)?\s*$",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^\s*(?:Date|Published|Posted)\s*:\s*(?P<date>.+?)\s*$", re.IGNORECASE)
_SECTION_START = re.compile(
    r"^\s*(?P<name>Description|Impact|Summary|Background|Assessment|Analysis)\s*:\s*", re.IGNORECASE
)
_FILENAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_TITLE_SITE_SUFFIX = re.compile(r"\s+[–—|-]\s+[^–—|]{2,40}$")
_SECTION_NAMES = {
    "description": "description",
    "impact": "impact",
    "summary": "description",
    "background": "description",
    "assessment": "impact",
    "analysis": "impact",
}


@dataclass(frozen=True)
class ParseNotes:
    """Things worth telling the user about a brief that was still ingested."""

    warnings: tuple[str, ...] = ()


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", text)


def parse_date(value: str | None) -> dt.date | None:
    if not value or not value.strip():
        return None
    try:
        parsed = date_parser.parse(value.strip(), fuzzy=False, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    if not 1900 < parsed.year < 2200:
        return None
    return parsed.date()


# Fragments that point into a page's furniture rather than at one entry of it: dropped from the identity.
_NAVIGATION_FRAGMENTS = frozenset({"top", "main", "content", "main-content", "comments", "respond", "share"})


def canonical_url(url: str) -> str | None:
    """The URL a brief is known by: https, host without 'www.', no trailing slash, tracking parameters
    (utm_*, fbclid, gclid) removed, and the fragment KEPT, since pages that carry several briefs (a CrisisWatch
    month, a liveblog) tell their entries apart by it. Text fragments (#:~:text=...), navigation anchors
    (#top, #comments, ...) and tracking fragments are dropped: they name no entry."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith(("utm_", "fbclid", "gclid")))
    fragment = parts.fragment.strip()
    if fragment.startswith((":~:", "utm_")) or fragment.lower() in _NAVIGATION_FRAGMENTS:
        fragment = ""
    return urlunsplit(
        ("https", parts.netloc.lower().removeprefix("www."), parts.path.rstrip("/") or "/", query, fragment)
    )


def url_brief_id(url: str) -> str:
    """The id of the brief a (canonical) URL names: one brief per URL, fragment included."""
    return _brief_id(f"url:{url}")


def entry_brief_id(url: str, title: str, date: dt.date | None) -> str:
    """The id of one entry of a page that carries several briefs under one URL without anchors: the URL with
    the entry's key, its title (compared without case or spacing) and date."""
    key = re.sub(r"\s+", " ", title).strip().casefold()
    return _brief_id(f"url:{url}\x1fentry:{key}\x1f{date.isoformat() if date else ''}")


def _brief_id(identity: str) -> str:
    return "b-" + hashlib.sha256(identity.encode()).hexdigest()[:20]


def parse_brief(raw: RawBrief) -> tuple[Brief, ParseNotes]:
    warnings: list[str] = []
    lines = [line.strip() for line in normalise_text(raw.text).split("\n")]
    title = _clean_title(raw.title) if raw.title else None
    date = parse_date(raw.date)
    if raw.date and date is None:
        warnings.append(f"could not read the date {raw.date!r}")
    kept: list[str] = []
    for line in lines:
        if not line:
            kept.append("")
            continue
        if _SKIP_LINK.search(line):
            # "<page title> – <site> Skip to main content": the page title, not body text.
            if _SKIP_LINK.sub("", line).strip():
                title = title or _clean_title(_SKIP_LINK.sub("", line))
            continue
        byline = _BYLINE.match(line)
        if byline:
            date = date or parse_date(byline.group("date"))
            continue
        date_line = _DATE_LINE.match(line)
        if date_line and parse_date(date_line.group("date")):
            date = date or parse_date(date_line.group("date"))
            continue
        if _NOISE_LINE.match(line):
            continue
        kept.append(line)
    if title is not None:
        _drop_repeated_title(kept, title)
    sections, preamble = _split_sections(kept, raw.sections)
    if title is None and preamble:
        title = _clean_title(preamble[0])
    if title is None:
        title, sections = _title_from_body(sections)
    elif sections:
        # the title repeated as the first paragraph of the text; text that merely starts with the title's words
        # ("Israel strikes Syria" / "Israel strikes Syria's T4 airbase ...") is the brief's own and stays
        head, _, rest = sections[0][1].partition("\n\n")
        if rest and _clean_title(head) == title:
            sections[0] = (sections[0][0], rest.strip())
    sections = [(name, text) for name, text in sections if text]
    if not sections:
        raise UnreadableBriefError(f"{raw.source}: no brief text left after removing page noise")
    if date is None:
        match = _FILENAME_DATE.search(raw.source.rsplit("/", 1)[-1])
        date = parse_date(match.group(1)) if match else None
    if date is None:
        warnings.append("no date found; the brief and its interactions are undated")
    url = canonical_url(raw.url) if raw.url else None
    if raw.url and url is None:
        warnings.append(f"ignored an unusable URL {raw.url!r}")
    section_models = tuple(Section(name=name, text=text) for name, text in sections)
    content_hash = _content_hash(title, date, url, section_models)
    brief_id = url_brief_id(url) if url else _brief_id(f"content:{content_hash}")
    brief = Brief(
        id=brief_id,
        title=title,
        date=date,
        url=url,
        source=raw.source,
        sections=section_models,
        content_hash=content_hash,
    )
    return brief, ParseNotes(tuple(warnings))


def _drop_repeated_title(lines: list[str], title: str) -> None:
    """Remove the first line of text when it is the title again, provided other text follows."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or _clean_title(lines[first]) != title:
        return
    if any(line for line in lines[first + 1 :]):
        del lines[first]


def _clean_title(title: str) -> str:
    title = normalise_text(title).strip()
    title = _SKIP_LINK.sub("", title)
    title = _TITLE_SITE_SUFFIX.sub("", title) if _TITLE_SITE_SUFFIX.search(title) and len(title) > 30 else title
    return re.sub(r"\s+", " ", title).strip()[:500]


def _split_sections(lines: list[str], given: tuple[tuple[str, str], ...]) -> tuple[list[tuple[str, str]], list[str]]:
    """Sections marked 'Description:' / 'Impact:' (or given by the source), otherwise one 'body'; and the
    short lines before the first marker (where the title stands) when there are markers."""
    sections: list[tuple[str, list[str]]] = [(name, [normalise_text(text)]) for name, text in given]
    current: list[str] = []
    sections_from_text: list[tuple[str, list[str]]] = []
    preamble: list[str] = []
    for line in lines:
        marker = _SECTION_START.match(line)
        if marker:
            current = [line[marker.end() :]]
            sections_from_text.append((_SECTION_NAMES[marker.group("name").lower()], current))
        elif sections_from_text:
            current.append(line)
        else:
            preamble.append(line)
    if sections_from_text:
        sections.extend(sections_from_text)
        # text before the first marker is usually the title repeated; keep it only if it is substantial
        lead = _paragraphs(preamble)
        if len(lead.split()) > 25:
            sections.insert(0, ("body", [lead]))
            preamble = []
    elif any(line for line in preamble):
        sections.append(("body", preamble))
        preamble = []
    short_lines = [line for line in preamble if line and len(line.split()) <= 30]
    return [(name, _paragraphs(parts)) for name, parts in sections], short_lines


def _paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    paragraphs = [re.sub(r"\s*\n\s*", " ", block).strip() for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _title_from_body(sections: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """No title given: a short first line is the title; otherwise the first words of the text."""
    name, text = sections[0] if sections else ("body", "")
    first, _, rest = text.partition("\n\n")
    if first and len(first.split()) <= 20 and rest:
        return first.rstrip("."), [(name, rest), *sections[1:]]
    words = text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else ""), sections


def _content_hash(title: str, date: dt.date | None, url: str | None, sections: tuple[Section, ...]) -> str:
    digest = hashlib.sha256()
    for part in (title, date.isoformat() if date else "", url or "", *(f"{s.name}\x1f{s.text}" for s in sections)):
        digest.update(part.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
