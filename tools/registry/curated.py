"""The project's curated actors (graph_schema/data/curated_actors.json) merged with the countries and the
Phoenix aliases; curated values win."""

from __future__ import annotations

import json
from pathlib import Path

from core.registry import RegistryActor
from tools.registry.countries import CountryRecord
from tools.registry.drafts import Draft


def load_curated(path: Path) -> list[RegistryActor]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a JSON list of actor records")
    actors: list[RegistryActor] = []
    for index, item in enumerate(data):
        try:
            actors.append(RegistryActor.model_validate(item))
        except ValueError as exc:
            raise SystemExit(f"{path}: record #{index} ({item.get('id', '?')}): {exc}") from exc
    return actors


def merge(
    countries: dict[str, CountryRecord], curated: list[RegistryActor], phoenix: dict[str, list[str]]
) -> dict[str, Draft]:
    drafts: dict[str, Draft] = {}
    for iso3, country in countries.items():
        drafts[iso3] = Draft(
            id=iso3,
            name=country.name,
            kind="country",
            code=iso3,
            aliases=[(written, "source") for written, _ in country.aliases],
            roles=[],
            sources=set(country.sources),
        )
    for actor in curated:
        roles = [role.model_dump(mode="json") for role in actor.roles]
        curated_aliases = [(alias, "curated") for alias in actor.aliases]
        existing = drafts.get(actor.id)
        if existing is None:
            drafts[actor.id] = Draft(
                id=actor.id,
                name=actor.name,
                kind=actor.kind.value,
                code=actor.code,
                aliases=curated_aliases,
                roles=roles,
                sources={"curated"},
                sector=actor.sector.value if actor.sector is not None else None,
                countries=actor.countries,
            )
        else:  # curated wins: name, kind, code, roles; aliases are merged with curated ones first
            existing.aliases = [(existing.name, "source"), *curated_aliases, *existing.aliases]
            existing.name, existing.kind, existing.code = actor.name, actor.kind.value, actor.code
            existing.roles = roles or existing.roles
            existing.sources.add("curated")
    for actor_id, aliases in phoenix.items():
        if actor_id in drafts:
            drafts[actor_id].aliases.extend((alias, "source") for alias in aliases)
            drafts[actor_id].sources.add("phoenix")
    return drafts
