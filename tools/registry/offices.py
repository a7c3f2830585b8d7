"""Dated offices of people from the reference files: countryinfo's <Leaders> and <Government> lines, and
the role codes of Phoenix person entries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from tools.registry.countries import country_of, iso_from_countryinfo
from tools.registry.drafts import make_role
from tools.registry.names import is_key_office, office_title, parse_interval, person_names
from tools.registry.phoenix import TabariEntry

# Phoenix role codes: country (3 letters), then the sector. Sectors that name an office, and their titles.
SECTOR_TITLES: Final = (("GOV", "government"), ("MIL", "military"), ("REB", "rebel"), ("OPP", "opposition"))


# Codes of international organisations in the Phoenix dictionaries -> actor id (longest prefix wins).
IGO_CODES: Final = {
    "IGOUNO": "org:un",
    "IGOUNOIAE": "org:iaea",
    "IGOUNOKID": "org:unicef",
    "IGOUNOHLHWHO": "org:who",
    "IGOUNOREFHCR": "org:unhcr",
    "IGOUNOWFP": "org:wfp",
    "IGOUNODEVWBK": "org:world-bank",
    "IGOUNOHRIHCH": "org:ohchr",
    "IGOWSTNAT": "org:nato",
}


@dataclass
class Listing:
    """One countryinfo line: a person's name variants and the roles listed on it."""

    names: list[str]
    roles: list[dict[str, object]]
    key_office: bool
    head: bool = False  # a <Leaders> line: head of state or government


def countryinfo_listings(blocks: list[dict[str, list[str]]], parents: set[str], countries: set[str]) -> list[Listing]:
    """Every person line of the <Leaders> (heads of state and government) and <Government> sections."""
    listings: list[Listing] = []
    for fields in blocks:
        iso3 = iso_from_countryinfo(fields, parents)
        if iso3 is None or iso3 not in countries:
            continue
        title = ""
        for line in fields.get("raw:Leaders", []):
            stripped = line.strip()
            if re.fullmatch(r"<[^/>][^>]*>", stripped):
                title = office_title(stripped[1:-1])
                continue
            body = stripped.split("#", 1)[0]
            if "[" not in body or not title:
                continue
            names = person_names(body[: body.index("[")])
            roles: list[dict[str, object]] = []
            for group in re.findall(r"\[([^\]]*)\]", body):
                coded = re.fullmatch(r"([A-Z]{3,})\s+(.*)", group.strip())
                affiliation: str | None = iso3
                if coded is not None:
                    affiliation, group = country_of(coded.group(1), countries), coded.group(2)
                interval = parse_interval(group)
                if affiliation is not None and interval is not None:
                    roles.append(make_role(title, affiliation, interval))
            if names and roles:
                listings.append(Listing(names, roles, key_office=True, head=True))
        header = ""
        for line in fields.get("raw:Government", []):
            stripped = line.strip()
            if stripped.startswith("#<"):
                header = office_title(stripped[2:].rstrip(">"))
                continue
            if stripped.startswith("#") or "[" not in stripped:
                continue
            body, _, comment = stripped.partition("#")
            names = person_names(body[: body.index("[")])
            groups = re.findall(r"\[([A-Z]{3,})\s*([^\]]*)\]", body)
            titles = [office_title(part) for part in comment.split("&")] if comment.strip() else [header]
            if len(titles) != len(groups):
                titles = titles[:1] * len(groups) if len(titles) == 1 else [""] * len(groups)
            roles = []
            key_office = False
            for (code, dates), role_title in zip(groups, titles, strict=True):
                affiliation = country_of(code, countries)
                interval = parse_interval(dates)
                if affiliation is None or interval is None or not role_title:
                    continue
                roles.append(make_role(role_title, affiliation, interval))
                key_office = key_office or is_key_office(role_title)
            if names and roles:
                listings.append(Listing(names, roles, key_office))
    return listings


def phoenix_person(entry: TabariEntry) -> bool:
    """A person entry: some role code names a sector after the country ('EGYGOV', not 'AFG' or 'USRARM')."""
    return any(
        re.fullmatch(r"[A-Z]{3}(GOV|MIL|ELI|REB|OPP|SPY|COP|JUD|LEG|BUS|MED)\w*", code.split()[0])
        for code in entry.codes
        if code.split()
    )


def phoenix_roles(entry: TabariEntry, countries: set[str], org_names: dict[str, str]) -> list[dict[str, object]]:
    """Dated office roles of a Phoenix entry: country sectors (titled 'government', 'military', ...) and the
    international organisations of IGO_CODES."""
    roles: list[dict[str, object]] = []
    for raw in entry.codes:
        parts = raw.split(None, 1)
        if len(parts) != 2:
            continue  # undated ([EGYELI]): no interval to state
        code, dates = parts
        interval = parse_interval(dates.replace(" ", ""))
        if interval is None:
            continue
        igo = max((prefix for prefix in IGO_CODES if code.startswith(prefix)), key=len, default=None)
        if igo is not None and IGO_CODES[igo] in org_names:
            roles.append(make_role(f"{org_names[IGO_CODES[igo]]} official", IGO_CODES[igo], interval))
            continue
        affiliation = country_of(code, countries)
        title = next((title for sector, title in SECTOR_TITLES if code[3:].startswith(sector)), None)
        if affiliation is not None and title is not None:
            roles.append(make_role(title, affiliation, interval))
    return roles
