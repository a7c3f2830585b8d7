"""Score extraction against a PLOVER-style gold file (JSON Lines), one sentence per record.

A record looks like ``{"id", "text", "event": "AGREE", "source": [{"actorText", "code"}], "target": [...]}``.
Every sentence is run through :meth:`ingest.extraction.Extractor.extract_sentence` with no date (the gold has none),
and the prediction is compared with the gold record.

**Which prediction is scored.** A sentence may yield several interactions. ``extract_sentence`` returns them
most salient first (see :meth:`Extractor.extract_sentence`: the trigger nearest the root of the dependency parse,
then the earliest); the harness takes the first interaction's *event* — its trigger and event type — and every
interaction of the sentence that shares that trigger and type (one event with a compound actor gives several
pairs: "Israel and Turkey struck Syria" -> ISR->SYR, TUR->SYR). That group is the sentence's prediction:

* its event type is scored against the gold ``event`` (a sentence with no interaction counts as wrong, column
  ``NONE`` of the confusion table);
* a directed interaction puts its source in the predicted sources and its target in the predicted targets; an
  undirected one (joint talks, mutual clashes) puts both sides in the predicted sources, as PLOVER codes
  reciprocal events (both sides as actors, no recipient).

**PLOVER reading of type and mode.** The extractor keeps an event's type apart from its mode ("will withdraw"
is RETREAT, mode future), while PLOVER folds intent into the type. The scored type is therefore the PLOVER
reading of (type, mode): an event in future or hypothetical mode is AGREE when cooperative and THREATEN when it
is a material conflict (sanction, mobilise, coerce, assault, fight, protest); a negated cooperative event
("will not accept refugees") is REJECT; everything else keeps its type. The report gives the accuracy of the raw
type as well.

**Actors are matched by code, as sets.** A predicted actor's code is the registry ``code`` of the actor it rolls
up to with no date (``registry.roll_up(id, None)``: a person's latest role); interaction endpoints are already
rolled up, so this mostly changes nothing. Actors without a registry code get a class code: an armed group
``IMG`` (CAMEO's "international militarised group"), any organisation ``IGO``. Organisations are matched as one
class: gold ``IGO`` and ``NGO`` are treated alike (PLOVER-style gold files are not consistent about the two:
non-governmental bodies are often coded ``IGO``), so a predicted UN agency, NGO or unknown organisation matches
either. Gold codes are taken
as written after upper-casing, except ``JAP``, a legacy spelling, read as ``JPN``. Per sentence, the
predicted and gold code sets of each side are compared: true positives are the codes in both, so a sentence with
two gold sources and one predicted source has precision 1 and recall 1/2. Counts are summed over sentences
(micro-averaged); "actors" pools both sides.

**Direction.** Among sentences whose gold has both a source and a target, with no code on both sides (a domestic
event such as "Kenyan police detained striking teachers", KEN -> KEN, has no direction to get wrong at the
level of codes), and whose prediction is directed, the direction is right when the predicted sides agree with
the gold sides more than they agree swapped (``|Ps∩Gs| + |Pt∩Gt| > |Ps∩Gt| + |Pt∩Gs|``); ties (including a
pair that shares no code with the gold) count as wrong.

Coverage is the share of sentences with any prediction; speed is sentences per second of extraction alone
(model loading excluded).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.models import Interaction
from core.registry import ActorRegistry
from graph_schema.ontology import ActorKind, EventType, parse_event_type
from ingest.extraction.classify import plover_reading

if TYPE_CHECKING:
    from ingest.extraction import Extractor

NONE = "NONE"
ORG = "IGO"  # the class code organisations are matched under (gold IGO and NGO alike)
_ORG_CODES = frozenset({"IGO", "NGO"})
_LEGACY_CODES = {"JAP": "JPN"}
# the PLOVER reading of an extracted (type, mode) is the classifier's label space too; one definition
plover_type = plover_reading


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    event: EventType
    sources: frozenset[str]
    targets: frozenset[str]


@dataclass(frozen=True)
class Prediction:
    event: EventType | None  # the PLOVER reading of type and mode
    raw_event: EventType | None
    sources: frozenset[str]
    targets: frozenset[str]
    directed: bool
    trigger: str | None = None


@dataclass(frozen=True)
class Scored:
    gold: GoldRecord
    predicted: Prediction

    @property
    def type_correct(self) -> bool:
        return self.predicted.event is self.gold.event

    @property
    def direction(self) -> bool | None:
        """True/False for sentences that count towards direction accuracy, None for the others."""
        g, p = self.gold, self.predicted
        if not (g.sources and g.targets and p.directed and p.sources and p.targets):
            return None
        if g.sources & g.targets:
            return None  # a domestic event (the same code on both sides) has no direction to get wrong
        aligned = len(p.sources & g.sources) + len(p.targets & g.targets)
        swapped = len(p.sources & g.targets) + len(p.targets & g.sources)
        return aligned > swapped


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: frozenset[str], gold: frozenset[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    path: str
    scored: list[Scored]
    seconds: float = 0.0
    skipped: int = 0
    source: _Counts = field(default_factory=_Counts)
    target: _Counts = field(default_factory=_Counts)

    def __post_init__(self) -> None:
        for s in self.scored:
            self.source.add(s.predicted.sources, s.gold.sources)
            self.target.add(s.predicted.targets, s.gold.targets)

    # -- figures ------------------------------------------------------------------------------------------

    @property
    def sentences(self) -> int:
        return len(self.scored)

    @property
    def type_accuracy(self) -> float:
        return _share(sum(s.type_correct for s in self.scored), self.sentences)

    @property
    def raw_type_accuracy(self) -> float:
        return _share(sum(s.predicted.raw_event is s.gold.event for s in self.scored), self.sentences)

    @property
    def coverage(self) -> float:
        return _share(sum(s.predicted.event is not None for s in self.scored), self.sentences)

    @property
    def actors(self) -> _Counts:
        return _Counts(
            self.source.tp + self.target.tp, self.source.fp + self.target.fp, self.source.fn + self.target.fn
        )

    @property
    def direction_eligible(self) -> int:
        return sum(s.direction is not None for s in self.scored)

    @property
    def direction_accuracy(self) -> float:
        return _share(sum(s.direction is True for s in self.scored), self.direction_eligible)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0

    def confusion(self) -> dict[str, Counter[str]]:
        """gold type -> Counter of predicted types (``NONE`` when nothing was predicted)."""
        table: dict[str, Counter[str]] = {}
        for s in self.scored:
            predicted = s.predicted.event.value if s.predicted.event is not None else NONE
            table.setdefault(s.gold.event.value, Counter())[predicted] += 1
        return table

    # -- text ---------------------------------------------------------------------------------------------

    def render(self) -> str:
        lines = [
            f"gold: {self.path}  sentences: {self.sentences}"
            + (f"  (skipped {self.skipped} unreadable records)" if self.skipped else ""),
            "",
            f"event type accuracy   {self.type_accuracy:.3f}  (raw type, mode ignored: {self.raw_type_accuracy:.3f})",
            f"coverage              {self.coverage:.3f}",
            f"direction accuracy    {self.direction_accuracy:.3f}  (over {self.direction_eligible} sentences)",
            "",
            "actors (matched by code)   precision  recall   F1",
        ]
        for name, counts in (("source", self.source), ("target", self.target), ("all", self.actors)):
            lines.append(f"  {name:<24} {counts.precision:9.3f} {counts.recall:7.3f} {counts.f1:6.3f}")
        lines += [
            "",
            f"extraction speed      {self.sentences_per_second:.1f} sentences/s ({self.seconds:.2f} s)",
            "",
            "confusion (rows gold, columns predicted):",
            *self.render_confusion(),
        ]
        return "\n".join(lines)

    def render_confusion(self) -> list[str]:
        table = self.confusion()
        gold_types = [t.value for t in EventType if t.value in table]
        predicted = {p for row in table.values() for p in row}
        columns = [t.value for t in EventType if t.value in predicted] + ([NONE] if NONE in predicted else [])
        head = " " * 12 + " ".join(f"{c[:4]:>4}" for c in columns) + "   acc"
        rows = [head]
        for g in gold_types:
            row = table[g]
            total = sum(row.values())
            cells = " ".join(f"{row.get(c, 0) or '.':>4}" for c in columns)
            rows.append(f"{g:<12}{cells}  {row.get(g, 0) / total:.2f}")
        return rows

    def render_errors(self) -> str:
        """One block per sentence whose type or actors are wrong (for error analysis; never stored)."""
        out: list[str] = []
        for s in self.scored:
            g, p = s.gold, s.predicted
            if s.type_correct and p.sources == g.sources and p.targets == g.targets:
                continue
            event = p.event.value if p.event else NONE
            if p.raw_event is not None and p.raw_event is not p.event:
                event += f" (raw {p.raw_event.value})"
            arrow = "->" if p.directed else "<>"
            out.append(
                f"{g.id}\n  gold {g.event.value} {sorted(g.sources)} -> {sorted(g.targets)}\n"
                f"  pred {event} {sorted(p.sources)} {arrow} {sorted(p.targets)} [{p.trigger}]\n  {g.text.strip()}"
            )
        return "\n".join(out)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# ---------------------------------------------------------------------------------------------- reading


def read_gold(path: Path, limit: int | None = None) -> tuple[list[GoldRecord], int]:
    """The gold records (up to ``limit``) and how many lines could not be read."""
    records: list[GoldRecord] = []
    skipped = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(records) >= limit:
                break
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                records.append(
                    GoldRecord(
                        id=str(raw.get("id", len(records))),
                        text=str(raw["text"]),
                        event=parse_event_type(str(raw["event"])),
                        sources=_gold_codes(raw.get("source") or []),
                        targets=_gold_codes(raw.get("target") or []),
                    )
                )
            except (ValueError, KeyError, TypeError):
                skipped += 1
    return records, skipped


def _gold_codes(actors: Iterable[dict[str, object]]) -> frozenset[str]:
    codes: set[str] = set()
    for actor in actors:
        code = str(actor.get("code") or "").strip().upper()
        if not code:
            continue
        code = _LEGACY_CODES.get(code, code)
        codes.add(ORG if code in _ORG_CODES else code)
    return frozenset(codes)


# ---------------------------------------------------------------------------------------------- scoring


def actor_code(registry: ActorRegistry, actor_id: str) -> str:
    """The code an actor is matched under (see the module docstring)."""
    rolled = registry.roll_up(actor_id, None)
    known = registry.get(rolled)
    if known is None:
        return ORG if actor_id.startswith("org:") else actor_id
    code = (known.code or "").upper()
    if code in _ORG_CODES or (not code and known.kind is ActorKind.ORGANISATION):
        return ORG
    if not code:
        return "IMG" if known.kind is ActorKind.ARMED_GROUP else known.id
    return code


def predict(interactions: Sequence[Interaction], registry: ActorRegistry) -> Prediction:
    """The scored prediction of a sentence: the first (most salient) interaction's event and its siblings."""
    if not interactions:
        return Prediction(None, None, frozenset(), frozenset(), directed=False)
    best = interactions[0]
    group = [i for i in interactions if i.trigger == best.trigger and i.event_type is best.event_type]
    sources: set[str] = set()
    targets: set[str] = set()
    for interaction in group:
        source = actor_code(registry, interaction.source_id)
        target = actor_code(registry, interaction.target_id)
        if interaction.directed:
            sources.add(source)
            targets.add(target)
        else:
            sources.update((source, target))
    return Prediction(
        plover_type(best.event_type, best.mode),
        best.event_type,
        frozenset(sources),
        frozenset(targets),
        directed=best.directed,
        trigger=best.trigger,
    )


def evaluate(records: Sequence[GoldRecord], extractor: Extractor, registry: ActorRegistry) -> EvalReport:
    scored: list[Scored] = []
    seconds = 0.0
    for record in records:
        started = time.perf_counter()
        interactions = extractor.extract_sentence(record.text)
        seconds += time.perf_counter() - started
        scored.append(Scored(record, predict(interactions, registry)))
    return EvalReport(path="", scored=scored, seconds=seconds)


def evaluate_file(path: Path, limit: int | None = None) -> EvalReport:
    """Read the gold file, build the extractor once (registry + spaCy), score every sentence."""
    from ingest.extraction import Extractor, load_nlp

    records, skipped = read_gold(path, limit)
    registry = ActorRegistry.load()
    extractor = Extractor(registry, load_nlp())
    report = evaluate(records, extractor, registry)
    report.path = str(path)
    report.skipped = skipped
    return report
