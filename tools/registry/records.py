"""Final records: aliases filtered and deduplicated per actor, collisions across actors resolved or dropped,
consistency checked, written as JSON lines."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, cast

from rapidfuzz import fuzz

from core.registry import RegistryActor, normalise_name
from tools.registry.drafts import Draft, role_order
from tools.registry.text import SHORT_ALLOWED, acceptable_alias, strip_article

# Aliases claimed by more than one actor, and who keeps them (normalised alias -> actor id).
ALIAS_OWNERS: Final = {
    "congo": "COD",  # in current reporting "Congo" is mostly the DRC; the Republic keeps Congo-Brazzaville
    "congolese": "COD",
    "dominican": "DOM",
    "montenegrin": "MNE",
    "montenegrins": "MNE",
    "serbian": "SRB",
    "serbs": "SRB",
    "samoan": "WSM",
    "samoans": "WSM",
    "guinean": "GIN",
    "guineans": "GIN",
    "islamic jihad": "group:palestinian-islamic-jihad",
    "virgin islands": "VIR",
    "belgrade": "SRB",
    "beograd": "SRB",
}


@dataclass
class Report:
    resolved: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def finalise(drafts: dict[str, Draft]) -> tuple[list[dict[str, object]], Report]:
    report = Report()
    # 1. per actor: filter, dedupe by normalised key (first written form wins; curated come first).
    per_actor: dict[str, dict[str, tuple[str, str]]] = {}
    for draft in drafts.values():
        name_key = normalise_name(draft.name)
        kept: dict[str, tuple[str, str]] = {}
        ordered = sorted(draft.aliases, key=lambda item: item[1] != "curated")
        for written, origin in ordered:
            written = written.strip() if origin == "curated" else strip_article(written.strip())
            key = normalise_name(written)
            if key == name_key or key in kept:
                continue
            if origin == "curated":
                # deliberate choices: only the length rule applies ("WHO" stays although "who" is a stop word)
                if not key or (len(key.replace(" ", "")) < 3 and key not in SHORT_ALLOWED):
                    continue
            elif not acceptable_alias(written):
                continue
            kept[key] = (written, origin)
        per_actor[draft.id] = kept

    # 2. collisions across actors.
    names: dict[str, list[str]] = defaultdict(list)
    for draft in drafts.values():
        names[normalise_name(draft.name)].append(draft.id)
    for key, owners in names.items():
        if len(owners) > 1:
            report.errors.append(f"name {key!r} is the name of several actors: {', '.join(sorted(owners))}")
    claims: dict[str, list[str]] = defaultdict(list)
    for actor_id, kept in per_actor.items():
        for key in kept:
            claims[key].append(actor_id)
    for key, claimants in sorted(claims.items()):
        everyone = sorted(set(claimants) | set(names.get(key, [])))
        if len(everyone) < 2:
            continue
        owner: str | None = None
        why = ""
        if key in ALIAS_OWNERS and ALIAS_OWNERS[key] in everyone:
            owner, why = ALIAS_OWNERS[key], "listed owner"
        elif len(names.get(key, [])) == 1:
            owner, why = names[key][0], "its name"
        else:
            curated = [actor_id for actor_id in claimants if per_actor[actor_id][key][1] == "curated"]
            if len(curated) == 1:
                owner, why = curated[0], "curated"
            else:  # a territory's demonym listed under its parent state too: the closest name wins
                name_of = {actor_id: normalise_name(drafts[actor_id].name) for actor_id in everyone}
                scored = sorted(((fuzz.WRatio(key, name_of[who]), who) for who in everyone), reverse=True)
                if scored[0][0] >= 80 and scored[0][0] - scored[1][0] >= 15:
                    owner, why = scored[0][1], "closest name"
        for actor_id in claimants:
            if actor_id != owner:
                del per_actor[actor_id][key]
        if owner is None:
            report.dropped.append(f"{key!r}: {', '.join(everyone)}")
        else:
            losers = ", ".join(actor_id for actor_id in everyone if actor_id != owner)
            report.resolved.append(f"{key!r} -> {owner} ({why}); dropped from {losers}")

    # 3. records.
    records: list[dict[str, object]] = []
    for actor_id in sorted(drafts):
        draft = drafts[actor_id]
        aliases = sorted(
            (written for written, _ in per_actor[actor_id].values()),
            key=lambda written: (normalise_name(written), written),
        )
        roles = sorted(draft.roles, key=role_order)
        record: dict[str, object] = {
            "id": draft.id,
            "name": draft.name,
            "kind": draft.kind,
            "code": draft.code,
            "aliases": aliases,
            "roles": roles,
            "sources": sorted(draft.sources),
        }
        if draft.sector is not None:  # only collectives carry these; other records keep their shape
            record["sector"] = draft.sector
        if draft.countries:
            record["countries"] = list(draft.countries)
        RegistryActor.model_validate(record)
        records.append(record)

    # 4. consistency: affiliations must name actors; ids follow the naming scheme.
    ids = {str(record["id"]) for record in records}
    prefixes = {
        "person": "person:",
        "organisation": "org:",
        "armed_group": "group:",
        "collective": "collective:",
        "other": "other:",
    }
    for record in records:
        kind = str(record["kind"])
        actor_id = str(record["id"])
        if kind == "country":
            if not re.fullmatch(r"[A-Z]{3}", actor_id):
                report.errors.append(f"{actor_id}: a country id must be an ISO3 code")
        elif not re.fullmatch(rf"{prefixes[kind]}[a-z0-9]+(-[a-z0-9]+)*", actor_id):
            report.errors.append(f"{actor_id}: a {kind} id must look like {prefixes[kind]}lower-case-slug")
        for country in cast(list[str], record.get("countries", [])):
            if country not in ids or not re.fullmatch(r"[A-Z]{3}", country):
                report.errors.append(f"{actor_id}: country {country!r} is not a country id")
        for role in cast(list[dict[str, object]], record["roles"]):
            if role["affiliation"] not in ids:
                report.errors.append(f"{actor_id}: affiliation {role['affiliation']!r} is not an actor id")
    return records, report


def write_jsonl(records: Iterable[dict[str, object]], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
