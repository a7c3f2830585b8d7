"""Make a larger corpus for the speed benchmarks by recombining the sentences of the demo briefs.

    python benchmarks/make_corpus.py --count 10000 [--seed 7] [--out benchmarks/out/corpus_10k.jsonl]

Every brief of examples/briefs is read with the project's own readers and parser, its sections split into
sentences, and the sentences pooled as 'description' (description and body sections) or 'impact'. Brief i then
takes a main source brief, 3-5 description sentences (mostly the main brief's, in order, plus one or two from
other briefs) and 2-3 impact sentences the same way, the main brief's title, a date in the demo's time span and
a unique URL. The output is JSON Lines of {title, date, url, description, impact}, which `briefgraph ingest`
and the pipeline read as records.

The text is the demo's own sentences recombined, not new reporting: extraction and embedding cost per brief are
realistic, while the graph grows by repeating the same interactions (the same dyads get denser).

Deterministic: brief i depends only on (seed, i), so the first 1,000 briefs of the 10k corpus are the 1k corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from _common import EXAMPLES, OUT

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])")
FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2025, 10, 31)


@dataclass(frozen=True)
class Source:
    title: str
    description: tuple[str, ...]
    impact: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for block in text.split("\n\n") for s in _SENTENCE_END.split(block) if len(s.split()) >= 4]


def load_sources(folder: Path = EXAMPLES) -> list[Source]:
    from ingest.parse import parse_brief
    from ingest.sources import iter_files, read_file

    sources: list[Source] = []
    for file in iter_files(folder):
        for raw in read_file(file, 20_000_000):
            brief, _ = parse_brief(raw)
            description: list[str] = []
            impact: list[str] = []
            for section in brief.sections:
                (impact if section.name == "impact" else description).extend(split_sentences(section.text))
            if not impact:  # a body without an Impact section: its last third reads like an assessment
                cut = max(1, len(description) * 2 // 3)
                description, impact = description[:cut], description[cut:] or description[-1:]
            sources.append(Source(brief.title, tuple(description), tuple(impact)))
    return sources


def _pick(rng: random.Random, own: tuple[str, ...], pool: list[str], count: int, foreign: int) -> list[str]:
    """`count` sentences: an in-order run from `own`, then `foreign` sentences from the whole pool."""
    keep = max(1, min(len(own), count - foreign))
    start = rng.randrange(0, len(own) - keep + 1)
    chosen = list(own[start : start + keep])
    for _ in range(count - keep):
        sentence = rng.choice(pool)
        if sentence not in chosen:
            chosen.append(sentence)
    return chosen


def make_record(
    index: int, seed: int, sources: list[Source], descriptions: list[str], impacts: list[str]
) -> dict[str, str]:
    rng = random.Random(f"{seed}:{index}")
    main = rng.choice(sources)
    description = _pick(rng, main.description, descriptions, rng.randint(3, 5), rng.randint(0, 2))
    impact = _pick(rng, main.impact, impacts, rng.randint(2, 3), rng.randint(0, 1))
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    return {
        "title": main.title,
        "date": day.isoformat(),
        "url": f"https://bench.briefgraph.invalid/brief/{seed}/{index:07d}",
        "description": " ".join(description),
        "impact": " ".join(impact),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="default benchmarks/out/corpus_<count>.jsonl")
    args = parser.parse_args(argv)
    sources = load_sources()
    descriptions = sorted({s for source in sources for s in source.description})
    impacts = sorted({s for source in sources for s in source.impact})
    out: Path = args.out or OUT / f"corpus_{_short(args.count)}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for index in range(args.count):
            record = make_record(index, args.seed, sources, descriptions, impacts)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    size = out.stat().st_size
    print(
        f"wrote {args.count} briefs to {out} ({size / 1e6:.1f} MB) from {len(sources)} demo briefs: "
        f"{len(descriptions)} description and {len(impacts)} impact sentences, seed {args.seed}",
        file=sys.stderr,
    )
    return 0


def _short(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 and count >= 1000 else str(count)


if __name__ == "__main__":
    raise SystemExit(main())
