"""Builds the actor registry (graph_schema/data/actors.jsonl) from the reference dictionaries + curated data.

    python tools/build_registry.py --reference ../shared/reference --out graph_schema/data/actors.jsonl

It also writes ``places.json`` next to the output: place names (cities, regions) -> the country they are in,
used only to locate events ('in Tel Aviv'), never as actors.

Inputs (see graph_schema/data/NOTICE.md for licences and attribution):

* countryinfo.txt (CC BY-SA 3.0): ISO codes, English names, nationality adjectives and synonyms, capitals;
* ngec_countries.csv (MIT): country names and demonyms;
* phoenix_countries.actors.txt (MIT): spelling variants and official names of countries (cities, regions and
  people listed under a country are *not* taken: only aliases that look like a variant of the country's name);
* phoenix_international.actors.txt / phoenix_milnonstate.actors.txt (MIT): aliases of the curated
  organisations and armed groups (only from the entries named in PHOENIX_ENTRIES, tools/registry/phoenix.py);
* graph_schema/data/curated_actors.json: the project's own records (organisations, groups, people with dated
  roles, and country overrides). Curated values win on conflicts.

The output is deterministic: records sorted by id, aliases sorted, one JSON object per line. The script
prints counts by kind and every alias collision it resolved or dropped. It exits with status 1 when the
curated data is inconsistent (an affiliation that names no actor, two actors with the same name).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Final, cast

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# the steps live in tools/registry/, one module per source; the names tests use are re-exported here
from tools.registry.countries import build_countries  # noqa: E402
from tools.registry.curated import load_curated, merge  # noqa: E402
from tools.registry.groups import build_groups  # noqa: E402
from tools.registry.names import is_key_office, office_title, parse_interval, person_names  # noqa: E402
from tools.registry.people import build_people  # noqa: E402
from tools.registry.phoenix import phoenix_aliases  # noqa: E402
from tools.registry.places import build_places, write_places  # noqa: E402
from tools.registry.records import finalise, write_jsonl  # noqa: E402
from tools.registry.words import common_words  # noqa: E402

__all__ = ["is_key_office", "main", "office_title", "parse_interval", "person_names"]

CURATED_PATH: Final = REPO_ROOT / "graph_schema" / "data" / "curated_actors.json"


def _lines(items: list[str], limit: int) -> Iterator[str]:
    for item in items[:limit]:
        yield f"    {item}"
    if len(items) > limit:
        yield f"    ... and {len(items) - limit} more"


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--reference", type=Path, required=True, help="folder of reference dictionaries")
    parser.add_argument("--out", type=Path, required=True, help="output JSON-lines file")
    parser.add_argument("--curated", type=Path, default=CURATED_PATH, help="curated actors (JSON list)")
    parser.add_argument("--verbose", action="store_true", help="list every collision")
    args = parser.parse_args(argv)

    countries = build_countries(args.reference)
    curated = load_curated(args.curated)
    phoenix = phoenix_aliases(args.reference)
    drafts = merge(countries, curated, phoenix)
    common = common_words()
    people, people_report = build_people(args.reference, countries, drafts, common)
    for person in people:
        drafts[person.id] = person
    groups, groups_skipped = build_groups(args.reference, drafts, common)
    for group in groups:
        drafts[group.id] = group
    records, report = finalise(drafts)
    if report.errors:
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        return 1
    size = write_jsonl(records, args.out)
    places = build_places(args.reference, countries, records, common)
    places_path = args.out.parent / "places.json"
    write_places(places, places_path)

    kinds = Counter(str(record["kind"]) for record in records)
    alias_total = sum(len(cast(list[str], record["aliases"])) for record in records)
    print(f"wrote {len(records)} actors ({alias_total} aliases, {size} bytes) to {args.out}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:<13} {count}")
    limit = 10_000 if args.verbose else 40
    sources = ", ".join(f"{source} {count}" for source, count in sorted(people_report.imported.items()))
    print(f"people imported: {len(people)} ({sources}); surname aliases offered: {people_report.surnames}")
    print(f"  open offices closed from the Phoenix release: {people_report.closed}")
    print(f"  skipped, a curated person: {len(people_report.curated)}")
    for line in _lines(people_report.curated, limit):
        print(line)
    print(f"  skipped, the name of a place or another actor: {len(people_report.shadowing)}")
    for line in _lines(people_report.shadowing, limit):
        print(line)
    print(f"  one name, several countries: {len(people_report.multi_country)}")
    for line in _lines(people_report.multi_country, limit):
        print(line)
    print(f"  person aliases dropped (shared, or another actor's): {len(people_report.aliases_dropped)}")
    for line in _lines(people_report.aliases_dropped, limit):
        print(line)
    print(f"places (locations only, never actors): {len(places)} written to {places_path}")
    print(f"armed groups imported (Phoenix, one home country): {len(groups)}; skipped, name taken: {groups_skipped}")
    print(f"alias collisions resolved: {len(report.resolved)}")
    for line in _lines(report.resolved, limit):
        print(line)
    print(f"alias collisions dropped (ambiguous): {len(report.dropped)}")
    for line in _lines(report.dropped, limit):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
