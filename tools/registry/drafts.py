"""The records the builder assembles before writing: an actor draft, a person draft, and dated office roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.registry import normalise_name


@dataclass
class PersonDraft:
    names: list[str]  # written forms; the first is the display name
    roles: list[dict[str, object]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    short: list[str] = field(default_factory=list)  # one-word names a source offers ('+MUBARAK')

    @property
    def key(self) -> str:
        return normalise_name(self.names[0])

    def name_keys(self) -> set[str]:
        return {key for key in (normalise_name(name) for name in self.names) if key}

    def affiliations(self) -> set[str]:
        return {str(role["affiliation"]) for role in self.roles}


def make_role(title: str, affiliation: str, interval: tuple[date | None, date | None]) -> dict[str, object]:
    start, end = interval
    return {
        "title": title,
        "affiliation": affiliation,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }


@dataclass
class Draft:
    id: str
    name: str
    kind: str
    code: str | None
    aliases: list[tuple[str, str]]  # (written, origin: "curated" | "source")
    roles: list[dict[str, object]]
    sources: set[str]
    sector: str | None = None  # collectives only
    countries: tuple[str, ...] = ()  # collectives only: the countries the community lives in


def role_order(role: dict[str, object]) -> tuple[str, str]:
    """Roles by start date (open start first), then end date (open end last)."""
    return (str(role.get("start") or ""), str(role.get("end") or "~"))
