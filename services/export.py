"""Exports for the tools analysts already use: the interaction graph (whole, or one actor's neighbourhood) as
GraphML (Gephi, Cytoscape desktop, yEd) or JSON (the web UI's graph view), and interactions with their
evidence as CSV (spreadsheets).

Edges are aggregated per (source, target, event type): `count` interactions, their mean score (negated ones
left out, as in the dyad summary), first and last date. Undirected interactions (joint talks, mutual clashes)
are keyed with their ends in id order and marked `directed: false`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from core.bootstrap import Stores
from core.models import ActorSummary, InteractionRecord
from graph_schema.ontology import EventMode, EventType, event_score

MAX_EXPORT_INTERACTIONS = 100_000
MAX_ACTORS = 50_000


@dataclass
class ExportEdge:
    source: str
    target: str
    event_type: EventType
    directed: bool
    count: int = 0
    score_sum: float = 0.0
    scored: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    brief_ids: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"{self.source}|{self.target}|{self.event_type.value}|{'d' if self.directed else 'u'}"

    @property
    def mean_score(self) -> float:
        return round(self.score_sum / self.scored, 3) if self.scored else 0.0

    def add(self, record: InteractionRecord) -> None:
        interaction = record.interaction
        self.count += 1
        if interaction.mode is not EventMode.NEGATED:
            self.score_sum += interaction.score
            self.scored += 1
        if interaction.date is not None:
            self.first_date = min(self.first_date or interaction.date, interaction.date)
            self.last_date = max(self.last_date or interaction.date, interaction.date)
        self.brief_ids.add(interaction.brief_id)


@dataclass
class ExportGraph:
    center: ActorSummary | None
    nodes: dict[str, ActorSummary]
    edges: list[ExportEdge]
    truncated: bool

    def degree(self, actor_id: str) -> int:
        return sum(e.count for e in self.edges if actor_id in (e.source, e.target))


def build_graph(
    stores: Stores,
    center: ActorSummary | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    event_types: Sequence[EventType] = (),
    limit: int = MAX_EXPORT_INTERACTIONS,
) -> ExportGraph:
    """The actor's neighbourhood (its interactions, as endpoint or named agent, and the actors at their other
    ends) or, without `center`, every interaction in the graph; with the same date and type filters as the dyad
    endpoints. Past `limit` interactions the newest are kept and `truncated` says so."""
    graph = stores.graph
    seen: dict[str, InteractionRecord] = {}
    truncated = False
    anchors = [center] if center is not None else graph.find_actors("", MAX_ACTORS)
    for anchor in anchors:
        records = graph.interactions(anchor.id, None, date_from, date_to, event_types, limit)
        truncated = truncated or len(records) >= limit
        for record in records:
            seen.setdefault(record.interaction.id, record)
    records = sorted(seen.values(), key=_order)
    if len(records) > limit:
        records, truncated = records[-limit:], True
    edges: dict[str, ExportEdge] = {}
    for record in records:
        interaction = record.interaction
        ends = (interaction.source_id, interaction.target_id)
        if not interaction.directed:
            ends = (min(ends), max(ends))
        edge = ExportEdge(ends[0], ends[1], interaction.event_type, interaction.directed)
        edges.setdefault(edge.id, edge).add(record)
    wanted = {end for edge in edges.values() for end in (edge.source, edge.target)}
    if center is not None:
        wanted.add(center.id)
    known = {anchor.id: anchor for anchor in anchors if anchor.id in wanted}
    for actor_id in sorted(wanted - set(known)):
        actor = graph.get_actor(actor_id)
        if actor is not None:
            known[actor_id] = actor
    ordered = sorted(edges.values(), key=lambda e: (-e.count, e.id))
    return ExportGraph(center=center, nodes=dict(sorted(known.items())), edges=ordered, truncated=truncated)


def _order(record: InteractionRecord) -> tuple[bool, dt.date, str, int]:
    interaction = record.interaction
    return (interaction.date is None, interaction.date or dt.date.min, interaction.brief_id, interaction.sentence_index)


def graph_json(graph: ExportGraph) -> dict[str, object]:
    """Nodes and edges in the shape the web UI's graph view (and Cytoscape.js) reads."""
    return {
        "center": graph.center.id if graph.center else None,
        "truncated": graph.truncated,
        "nodes": [
            {
                "id": actor.id,
                "name": actor.name,
                "kind": actor.kind.value,
                "mention_count": actor.mention_count,
                "interactions": graph.degree(actor.id),
            }
            for actor in graph.nodes.values()
        ],
        "edges": [
            {
                "id": edge.id,
                "source": edge.source,
                "target": edge.target,
                "event_type": edge.event_type.value,
                "directed": edge.directed,
                "count": edge.count,
                "mean_score": edge.mean_score,
                "type_score": event_score(edge.event_type),
                "first_date": edge.first_date.isoformat() if edge.first_date else None,
                "last_date": edge.last_date.isoformat() if edge.last_date else None,
                "briefs": len(edge.brief_ids),
            }
            for edge in graph.edges
        ],
    }


_NODE_KEYS = (("name", "string"), ("kind", "string"), ("mention_count", "int"), ("interactions", "int"))
_EDGE_KEYS = (
    ("event_type", "string"),
    ("weight", "int"),
    ("mean_score", "double"),
    ("first_date", "string"),
    ("last_date", "string"),
    ("briefs", "int"),
)


def graph_graphml(graph: ExportGraph) -> str:
    """GraphML 1.0: directed by default, undirected interactions carry directed="false"; `weight` is the count."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for name, kind in _NODE_KEYS:
        out.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in _EDGE_KEYS:
        out.write(f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <graph id="briefgraph" edgedefault="directed">\n')
    for actor in graph.nodes.values():
        node_values = (actor.name, actor.kind.value, actor.mention_count, graph.degree(actor.id))
        out.write(f"    <node id={quoteattr(actor.id)}>\n")
        for (name, _), value in zip(_NODE_KEYS, node_values, strict=True):
            out.write(f'      <data key="{name}">{escape(str(value))}</data>\n')
        out.write("    </node>\n")
    for edge in graph.edges:
        directed = "" if edge.directed else ' directed="false"'
        out.write(
            f"    <edge id={quoteattr(edge.id)} source={quoteattr(edge.source)} "
            f"target={quoteattr(edge.target)}{directed}>\n"
        )
        edge_values: tuple[object, ...] = (
            edge.event_type.value,
            edge.count,
            edge.mean_score,
            edge.first_date.isoformat() if edge.first_date else "",
            edge.last_date.isoformat() if edge.last_date else "",
            len(edge.brief_ids),
        )
        for (name, _), value in zip(_EDGE_KEYS, edge_values, strict=True):
            out.write(f'      <data key="{name}">{escape(str(value))}</data>\n')
        out.write("    </edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return out.getvalue()


CSV_COLUMNS = (
    "date",
    "event_type",
    "mode",
    "score",
    "source_id",
    "source_name",
    "target_id",
    "target_name",
    "directed",
    "source_agent",
    "target_agent",
    "location",
    "trigger",
    "sentence",
    "brief_id",
    "brief_title",
    "sentence_index",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    """Text from briefs is data: a cell a spreadsheet would run as a formula is prefixed with a quote."""
    value = text or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def interactions_csv(records: Iterable[InteractionRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        i = record.interaction
        writer.writerow(
            [
                i.date.isoformat() if i.date else "",
                i.event_type.value,
                i.mode.value,
                i.score,
                _cell(i.source_id),
                _cell(record.source_name),
                _cell(i.target_id),
                _cell(record.target_name),
                "yes" if i.directed else "no",
                _cell(i.source_agent),
                _cell(i.target_agent),
                _cell(i.location),
                _cell(i.trigger),
                _cell(i.sentence),
                _cell(i.brief_id),
                _cell(record.brief_title),
                i.sentence_index,
            ]
        )
    return out.getvalue()
