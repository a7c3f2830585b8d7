"""Retrieval quality on the demo corpus: the labelled queries and same-event groups of benchmarks/data/.

    python benchmarks/retrieval_quality.py [--json benchmarks/out/retrieval.json] [--per-query]

Ingests examples/briefs into a temporary data folder with the real models, maps each file name (records of
.json/.jsonl files as `file#index`) to its brief id through the IngestReport outcomes' `source`, then ranks the
briefs for each of the 44 queries with several variants and prints recall@5, recall@10, MRR and nDCG@10 (gain
2^grade - 1 with the file's grades 2/1) side by side:

  api_search     services.queries.search as the API runs it in this checkout (hybrid: dense and Qdrant's BM25
                 fused by RRF inside the vector store)
  dense          dense passage search as services.queries.search did it before hybrid search (passages, k*6,
                 grouped by brief, best passage first): the baseline the other variants are compared with
  dense_brief    nearest brief vectors (kind='brief': the mean of title and passages)
  bm25           BM25 (k1 1.2, b 0.75) over the same passages with their brief's title, best passage per brief
                 (our own tokeniser below: accents folded, stop words dropped, light stemming)
  rrf            reciprocal rank fusion (k=60) of dense and bm25
  rrf_actor      rrf plus a third list: briefs ranked by how many of the actors named in the query
                 (registry alias scan, as POST /ask reads questions) they mention, when the query names any
  dense_actor    dense score + 0.05 x share of the query's actors the brief mentions (a boost, no filter)
  rrf_actor_date rrf_actor with the query's own date words ('since March 2025') as a date filter

and similar-brief precision: for each brief of a same-event group, services.queries.similar (k=5, re-ranked by
shared actors and closeness in time) against the plain nearest brief vectors, scored P@1, P@5 and R@5 against
the other members of its group (groups have 2-3 members, so P@5 can reach at most 0.2-0.4).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import statistics
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import DATA, EXAMPLES, OUT, machine_line, settings_for, table

RRF_K = 60
ACTOR_BOOST = 0.05
DEPTH = 50  # the API's MAX_K: every variant ranks (up to) this many briefs


# ---------------------------------------------------------------- metrics


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    return next((1.0 / rank for rank, item in enumerate(ranked, start=1) if item in relevant), 0.0)


def ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int) -> float:
    def gain(grade: int) -> float:
        return float(2**grade - 1)

    dcg = sum(gain(grades.get(item, 0)) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def sign_test(better: int, worse: int) -> float:
    """Two-sided exact sign test (ties dropped): how likely a split at least this uneven is by chance."""
    n = better + worse
    if n == 0:
        return 1.0
    tail: float = sum(math.comb(n, i) for i in range(max(better, worse), n + 1)) / 2**n
    return min(1.0, 2 * tail)


# ---------------------------------------------------------------- BM25 (no new dependency)

_STOP_WORDS = (
    "a an the and or of in on at to for with from by as is are was were be been has have had how what when who "
    "which where why did does do since over between into about their they its it this that these those after "
    "before during than then there any all more most new"
)
_STOP = frozenset(_STOP_WORDS.split())


def terms(text: str) -> list[str]:
    """Words folded to ASCII lower case, stop words dropped, plural and verb endings lightly folded."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", folded.replace("'s", "")) if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


@dataclass
class Bm25:
    docs: list[list[str]]
    k1: float = 1.2
    b: float = 0.75
    df: Counter[str] = field(default_factory=Counter)
    tf: list[Counter[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tf = [Counter(doc) for doc in self.docs]
        for counts in self.tf:
            self.df.update(counts.keys())
        self.avg_len = statistics.fmean(len(doc) for doc in self.docs) if self.docs else 0.0

    def scores(self, query: Sequence[str]) -> list[float]:
        n = len(self.docs)
        idf = {t: math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5)) for t in set(query)}
        out: list[float] = []
        for doc, counts in zip(self.docs, self.tf, strict=True):
            norm = self.k1 * (1 - self.b + self.b * len(doc) / self.avg_len)
            out.append(sum(idf[t] * counts[t] * (self.k1 + 1) / (counts[t] + norm) for t in idf if counts[t]))
        return out


def rrf(*rankings: Sequence[str]) -> list[str]:
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] += 1.0 / (RRF_K + rank)
    return sorted(fused, key=lambda item: (-fused[item], item))


# ---------------------------------------------------------------- the experiment


@dataclass
class Corpus:
    name_to_id: dict[str, str]
    passages: list[Any]  # PassagePoint (kind='passage')
    brief_actors: dict[str, set[str]]
    brief_dates: dict[str, Any]


def ingest_examples(stores: Any) -> dict[str, str]:
    from ingest.pipeline import IngestPipeline

    report = IngestPipeline(stores).ingest_paths([EXAMPLES])
    if not report.ok or report.of("skipped"):
        raise SystemExit(f"the demo corpus did not ingest cleanly:\n{report.summary()}")
    name_to_id: dict[str, str] = {}
    for outcome in report.of("ingested"):
        path, _, index = outcome.source.partition("#")
        name = Path(path).name + (f"#{index}" if index else "")
        assert outcome.brief_id is not None
        name_to_id[name] = outcome.brief_id
    return name_to_id


def load_corpus(stores: Any, name_to_id: dict[str, str]) -> Corpus:
    """Every stored point, read back from the vector store (the passages BM25 indexes are the dense ones)."""
    from core.adapters.vector_points import to_point

    points: list[Any] = []
    for kind in ("brief", "passage"):
        for stored in stores.vectors.stored_points(kind):
            points.append(to_point(stored.id, stored.payload).model_copy(update={"vector": tuple(stored.dense)}))
    passages = sorted((p for p in points if p.kind == "passage"), key=lambda p: p.point_id)
    actors: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, Any] = {}
    for p in points:
        actors[p.brief_id].update(p.actors)
        dates[p.brief_id] = p.date
    return Corpus(name_to_id, passages, dict(actors), dates)


def query_actors(stores: Any, index: dict[str, str], text: str) -> list[str]:
    from core.alias_scan import scan_aliases, tokenize

    found: list[str] = []
    for _, _, actor_id in scan_aliases([t for t, _ in tokenize(text)], index):
        if actor_id not in found:
            found.append(actor_id)
    return found


def make_variants(stores: Any, corpus: Corpus) -> dict[str, Callable[[str], list[str]]]:
    from core.alias_scan import alias_index
    from core.models import VectorFilter
    from services.ask import interpret_dates
    from services.queries import group_hits, search

    index = alias_index(stores.registry)
    bm25 = Bm25([terms(f"{p.title}. {p.text}") for p in corpus.passages])
    briefs = sorted(corpus.brief_actors)

    def dense_hits(query: str, date_from: Any = None, date_to: Any = None) -> list[tuple[str, float]]:
        """Dense only, exactly as services.queries.search ranked before hybrid search: passages, k*6, grouped."""
        k = min(DEPTH, len(briefs))
        vector = stores.embedder.embed([query])[0]
        passage_filter = VectorFilter(kind="passage", date_from=date_from, date_to=date_to)
        hits = stores.vectors.search(vector, limit=min(k * 6, 300), filter=passage_filter)
        return [(h.brief_id, h.score) for h in group_hits(hits, query, k)]

    def dense(query: str) -> list[str]:
        return [b for b, _ in dense_hits(query)]

    def api_search(query: str) -> list[str]:
        return [h.brief_id for h in search(stores, query, min(DEPTH, len(briefs)), index=index)]

    def dense_brief(query: str) -> list[str]:
        vector = stores.embedder.embed([query])[0]
        hits = stores.vectors.search(vector, limit=DEPTH, filter=VectorFilter(kind="brief"))
        return [h.point.brief_id for h in hits]

    def bm25_rank(query: str, allowed: set[str] | None = None) -> list[str]:
        best: dict[str, float] = {}
        for p, score in zip(corpus.passages, bm25.scores(terms(query)), strict=True):
            if score > 0 and (allowed is None or p.brief_id in allowed):
                best[p.brief_id] = max(best.get(p.brief_id, 0.0), score)
        return sorted(best, key=lambda b: (-best[b], b))[:DEPTH]

    def actor_rank(query: str, ordered: list[str]) -> list[str]:
        wanted = query_actors(stores, index, query)
        if not wanted:
            return []
        matched = {b: len(set(wanted) & corpus.brief_actors[b]) for b in briefs}
        position = {b: i for i, b in enumerate(ordered)}
        keep = [b for b in briefs if matched[b]]
        return sorted(keep, key=lambda b: (-matched[b], position.get(b, len(position)), b))

    def fused(query: str) -> list[str]:
        return rrf(dense(query), bm25_rank(query))[:DEPTH]

    def fused_actor(query: str) -> list[str]:
        first = dense(query)
        return rrf(first, bm25_rank(query), actor_rank(query, first))[:DEPTH]

    def dense_actor(query: str) -> list[str]:
        wanted = set(query_actors(stores, index, query))
        scored = dense_hits(query)
        if not wanted:
            return [b for b, _ in scored]
        boosted = {b: s + ACTOR_BOOST * len(wanted & corpus.brief_actors[b]) / len(wanted) for b, s in scored}
        return sorted(boosted, key=lambda b: (-boosted[b], b))

    def fused_actor_date(query: str) -> list[str]:
        date_from, date_to = interpret_dates(query)
        if date_from is None and date_to is None:
            return fused_actor(query)
        allowed = {
            b
            for b, day in corpus.brief_dates.items()
            if day is not None and (date_from is None or day >= date_from) and (date_to is None or day <= date_to)
        }
        first = [b for b, _ in dense_hits(query, date_from, date_to)]
        return rrf(first, bm25_rank(query, allowed), [b for b in actor_rank(query, first) if b in allowed])[:DEPTH]

    return {
        "api_search": api_search,
        "dense": dense,
        "dense_brief": dense_brief,
        "bm25": bm25_rank,
        "rrf": fused,
        "rrf_actor": fused_actor,
        "dense_actor": dense_actor,
        "rrf_actor_date": fused_actor_date,
    }


def evaluate_queries(
    variants: dict[str, Callable[[str], list[str]]], corpus: Corpus
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").read_text().splitlines() if line.strip()]
    per_query: list[dict[str, Any]] = []
    sums: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in variants}
    for query in queries:
        relevant = {corpus.name_to_id[name] for name in query["relevant"]}
        grades = {corpus.name_to_id[name]: int(g) for name, g in (query.get("grades") or {}).items()}
        grades = grades or dict.fromkeys(relevant, 1)
        row: dict[str, Any] = {"id": query["id"], "query": query["query"], "relevant": len(relevant)}
        for name, rank in variants.items():
            ranked = rank(query["query"])
            scores = {
                "recall@5": recall_at(ranked, relevant, 5),
                "recall@10": recall_at(ranked, relevant, 10),
                "mrr": reciprocal_rank(ranked, relevant),
                "ndcg@10": ndcg_at(ranked, grades, 10),
            }
            for metric, value in scores.items():
                sums[name][metric].append(value)
            row[name] = {m: round(v, 3) for m, v in scores.items()}
        per_query.append(row)
    means: dict[str, dict[str, Any]] = {
        name: {m: round(statistics.fmean(v), 3) for m, v in metrics.items()} for name, metrics in sums.items()
    }
    for name in variants:  # paired against dense, query by query: better / same / worse nDCG@10, sign test
        diffs = [a - b for a, b in zip(sums[name]["ndcg@10"], sums["dense"]["ndcg@10"], strict=True)]
        better, worse = sum(d > 1e-9 for d in diffs), sum(d < -1e-9 for d in diffs)
        means[name]["vs dense (nDCG@10 +/=/-)"] = f"{better}/{len(diffs) - better - worse}/{worse}"
        means[name]["sign test p"] = f"{sign_test(better, worse):.2g}"
    return means, per_query


def evaluate_similar(stores: Any, corpus: Corpus) -> dict[str, dict[str, float]]:
    from core.models import VectorFilter
    from services.queries import similar

    groups = json.loads((DATA / "same_event_groups.json").read_text())

    def plain(brief_id: str, k: int) -> list[str]:
        vector = stores.vectors.brief_point(brief_id).vector
        hits = stores.vectors.search(vector, limit=k, filter=VectorFilter(kind="brief", exclude_brief=brief_id))
        return [h.point.brief_id for h in hits]

    def reranked(brief_id: str, k: int) -> list[str]:
        return [s.brief_id for s in similar(stores, brief_id, k)]

    out: dict[str, dict[str, float]] = {}
    for label, rank in (("similar (re-ranked, the API)", reranked), ("nearest brief vectors only", plain)):
        p1: list[float] = []
        p5: list[float] = []
        r5: list[float] = []
        ceiling: list[float] = []
        for group in groups:
            ids = [corpus.name_to_id[name] for name in group]
            for member in ids:
                others = set(ids) - {member}
                ranked = rank(member, 5)
                p1.append(1.0 if ranked[:1] and ranked[0] in others else 0.0)
                p5.append(len(set(ranked[:5]) & others) / 5)
                r5.append(len(set(ranked[:5]) & others) / len(others))
                ceiling.append(min(5, len(others)) / 5)
        out[label] = {
            "members": len(p1),
            "P@1": round(statistics.fmean(p1), 3),
            "P@5": round(statistics.fmean(p5), 3),
            "P@5 max": round(statistics.fmean(ceiling), 3),
            "R@5": round(statistics.fmean(r5), 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=OUT / "retrieval_quality.json")
    parser.add_argument("--per-query", action="store_true", help="also print nDCG@10 of each query per variant")
    parser.add_argument(
        "--embedder",
        choices=["onnx-int8", "torch"],
        default="onnx-int8",
        help="EMBEDDING__BACKEND: the int8 ONNX export (the default) or sentence-transformers on torch",
    )
    args = parser.parse_args(argv)
    from core.bootstrap import build_stores

    workdir = Path(tempfile.mkdtemp(prefix="bg-quality-", dir=OUT))
    settings = settings_for(workdir)
    settings.embedding.backend = args.embedder
    stores = build_stores(settings)
    try:
        name_to_id = ingest_examples(stores)
        corpus = load_corpus(stores, name_to_id)
        variants = make_variants(stores, corpus)
        means, per_query = evaluate_queries(variants, corpus)
        similar_scores = evaluate_similar(stores, corpus)
    finally:
        stores.close()
        shutil.rmtree(workdir, ignore_errors=True)
    metrics = ["recall@5", "recall@10", "mrr", "ndcg@10", "vs dense (nDCG@10 +/=/-)", "sign test p"]
    print(machine_line())
    print(f"embedder: {args.embedder}")
    print(f"{len(name_to_id)} briefs, {len(corpus.passages)} passages, {len(per_query)} queries\n")
    print(table([[name, *(means[name][m] for m in metrics)] for name in means], ["variant", *metrics]))
    print()
    sim_metrics = ["members", "P@1", "P@5", "P@5 max", "R@5"]
    print(
        table([[name, *(v[m] for m in sim_metrics)] for name, v in similar_scores.items()], ["similar", *sim_metrics])
    )
    if args.per_query:
        print()
        rows = [[q["id"], q["relevant"], *(q[name]["ndcg@10"] for name in means), q["query"][:60]] for q in per_query]
        print("nDCG@10 per query")
        print(table(rows, ["query", "rel", *means, "text"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {"machine": machine_line(), "means": means, "similar": similar_scores, "per_query": per_query}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
