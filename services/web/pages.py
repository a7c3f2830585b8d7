"""The analysts' web UI: server-rendered pages (Jinja2) over the same read logic as the JSON API, with small JS
modules for the chart (Chart.js), the graph (Cytoscape.js), actor typeahead and adding briefs. Everything is
served by this process from the package (templates/, static/, vendored libraries in static/vendor/): nothing is
fetched from elsewhere at run time. Every page's state is in its query string, so a URL can be shared.

Pages: `/` search, `/ui/brief`, `/ui/actor`, `/ui/dyad`, `/ui/graph`, `/ui/ask`, `/ui/add`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.params import Depends as DependsParam
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from core.alias_scan import scan_aliases, tokenize
from core.errors import BriefgraphError, InvalidInputError, NotFoundError
from core.models import InteractionRecord, Section
from graph_schema.ontology import EVENT_TYPES, EventType
from services import ask as ask_logic
from services import queries, relations
from services.errors import status_for
from services.schemas import MonthSummary

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
STATIC_DIR = HERE / "static"
EVIDENCE_LIMIT = 200
SEARCH_K = 10


def install_web(app: FastAPI, dependencies: Sequence[DependsParam] = ()) -> None:
    """Mount the static files and the pages (behind the same read protection as the API)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(web_router(), dependencies=list(dependencies))


# ------------------------------------------------------------------ helpers


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInputError(f"{name!r} must be a date, YYYY-MM-DD (got {value[:40]!r})") from None


def _number(value: str, name: str, low: int, high: int) -> int:
    if not value.strip().isdecimal() or not low <= int(value) <= high:
        raise InvalidInputError(f"{name!r} must be a whole number from {low} to {high} (got {value[:10]!r})")
    return int(value)


def _runtime(request: Request) -> Any:
    return request.app.state.runtime


def _actor_name(request: Request, actor_id: str) -> str:
    known = _runtime(request).stores.registry.get(actor_id)
    return str(known.name) if known is not None else actor_id


def _mark_terms(text: str, terms: set[str]) -> Markup:
    """Escaped text with the query's words in <mark>."""
    if not terms:
        return Markup(escape(text))
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b", re.I)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _highlight_sentence(text: str, index: dict[str, str], triggers: Sequence[str]) -> Markup:
    """A sentence with the actors it names (registry aliases) and its event triggers marked."""
    tokens = tokenize(text)
    spans: list[tuple[int, int, str, str]] = []
    for start, end, actor_id in scan_aliases([t for t, _ in tokens], index):
        first, last = tokens[start], tokens[end - 1]
        word = last[0][:-1] if last[0].endswith(".") and last[0].count(".") == 1 else last[0]  # "Israel." not "U.S."
        spans.append((first[1], last[1] + len(word), "actor", actor_id))
    lowered = text.lower()
    for trigger in triggers:
        at = lowered.find(trigger.lower()) if trigger else -1
        if at >= 0 and not any(s < at + len(trigger) and at < e for s, e, _, _ in spans):
            spans.append((at, at + len(trigger), "trigger", trigger))
    spans.sort()
    out: list[str] = []
    last_end = 0
    for start, end, kind, value in spans:
        if start < last_end:
            continue
        out.append(str(escape(text[last_end:start])))
        label = escape(text[start:end])
        if kind == "actor":
            out.append(f'<a class="actor" href="/ui/actor?name={escape(value)}">{label}</a>')
        else:
            out.append(f'<mark class="trigger" title="event trigger">{label}</mark>')
        last_end = end
    out.append(str(escape(text[last_end:])))
    return Markup("".join(out))


_REFERENCE = re.compile(r"\[([^\[\],\s]+), sentence (\d+)\]")


def _link_references(line: str) -> Markup:
    """An answer line whose '[brief id, sentence n]' references link to that sentence of that brief."""
    out: list[str] = []
    last = 0
    for match in _REFERENCE.finditer(line):
        brief_id, index = match.group(1), match.group(2)
        out.append(str(escape(line[last : match.start()])))
        href = f"/ui/brief?id={quote(brief_id, safe='')}&s={index}#s{index}"
        out.append(f'<a class="ref" href="{escape(href)}">{escape(match.group())}</a>')
        last = match.end()
    out.append(str(escape(line[last:])))
    return Markup("".join(out))


def answer_blocks(text: str) -> list[tuple[str, list[Markup]]]:
    """The composed answer as paragraphs and lists ('- ' lines), with linked references."""
    blocks: list[tuple[str, list[Markup]]] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if line.startswith("- "):
            if not blocks or blocks[-1][0] != "list":
                blocks.append(("list", []))
            blocks[-1][1].append(_link_references(line[2:]))
        else:
            blocks.append(("p", [_link_references(line)]))
    return blocks


def _render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"request": request, **context}, status_code=status_code)


def _page(name: str, active: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., Response]]:
    """Render `name` with what the wrapped function returns; briefgraph errors become an error page with the
    same status as the API would answer."""

    def wrap(build: Callable[..., dict[str, Any]]) -> Callable[..., Response]:
        def endpoint(request: Request, **kwargs: Any) -> Response:
            try:
                context = build(request, **kwargs)
            except BriefgraphError as error:
                status = status_for(error)
                kind = "Not found" if isinstance(error, NotFoundError) else "Cannot show this page"
                return _render(request, "error.html", {"active": active, "title": kind, "message": str(error)}, status)
            return _render(request, name, {"active": active, **context})

        endpoint.__signature__ = _signature_of(build)  # type: ignore[attr-defined]
        endpoint.__name__ = build.__name__
        return endpoint

    return wrap


def _signature_of(build: Callable[..., Any]) -> Any:
    import inspect

    return inspect.signature(build)


def _text() -> Any:
    return Query(default="", max_length=1_000)


def _short() -> Any:
    return Query(default="", max_length=200)


# ------------------------------------------------------------------ pages


def web_router() -> APIRouter:
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @_page("search.html", "search")
    def search_page(
        request: Request,
        q: str = _text(),
        date_from: str = Query(default="", alias="from", max_length=40),
        date_to: str = Query(default="", alias="to", max_length=40),
        actor: str = _short(),
    ) -> dict[str, Any]:
        runtime = _runtime(request)
        context: dict[str, Any] = {"q": q, "date_from": date_from, "date_to": date_to, "actor": actor, "results": None}
        if q.strip():
            start, end = _day(date_from, "from"), _day(date_to, "to")
            actors = [actor] if actor.strip() else []
            hits = queries.search(runtime.stores, q, SEARCH_K, start, end, actors, index=runtime.alias_index)
            terms = queries.query_terms(q)
            context["results"] = [
                {
                    "hit": hit,
                    "passages": [
                        {"section": p.section, "sentence": p.sentence_start, "html": _mark_terms(p.text, terms)}
                        for p in hit.passages
                    ],
                    "actors": [(a, _actor_name(request, a)) for a in hit.actors],
                }
                for hit in hits
            ]
        return context

    router.add_api_route("/", search_page, methods=["GET"])

    @_page("brief.html", "search")
    def brief_page(request: Request, id: str = _short(), s: str = Query(default="", max_length=10)) -> dict[str, Any]:
        runtime = _runtime(request)
        cited = _number(s, "s", 0, 1_000_000) if s else None
        if not id:
            raise InvalidInputError("which brief? give its id: /ui/brief?id=…")
        brief = runtime.stores.graph.get_brief(id)
        if brief is None:
            raise NotFoundError(f"no brief with id {id!r}")
        records = runtime.stores.graph.brief_interactions(id)
        triggers: dict[int, list[str]] = {}
        for record in records:
            triggers.setdefault(record.interaction.sentence_index, []).append(record.interaction.trigger)
        sections = [
            {
                "name": section.name,
                "sentences": [
                    {
                        "index": sentence.index,
                        "html": _highlight_sentence(
                            sentence.text, runtime.alias_index, triggers.get(sentence.index, [])
                        ),
                        "cited": cited == sentence.index,
                        "has_event": sentence.index in triggers,
                    }
                    for sentence in section.sentences
                ],
                "text": section.text if not section.sentences else None,
            }
            for section in brief.sections
            if isinstance(section, Section)
        ]
        try:
            similar = queries.similar(runtime.stores, id, 5)
        except BriefgraphError:
            similar = []  # the vector store may be down or hold no vector for it; the page still shows the brief
        copies = runtime.stores.graph.copies(id)  # the same or a near-identical text under other briefs
        return {
            "brief": brief,
            "sections": sections,
            "records": records,
            "similar": similar,
            "cited": cited,
            "copies": copies,
        }

    router.add_api_route("/ui/brief", brief_page, methods=["GET"])

    @_page("actor.html", "actor")
    def actor_page(request: Request, name: str = _short()) -> dict[str, Any]:
        runtime = _runtime(request)
        if not name.strip():
            return {"name": name, "detail": None}
        detail = relations.actor_detail(runtime.stores, name, 15)
        timeline = relations.interactions(runtime.stores, detail.actor.id, limit=EVIDENCE_LIMIT)
        return {
            "name": name,
            "detail": detail,
            "timeline": list(reversed(timeline.interactions)),
            "summary": timeline.summary,
            "chart": monthly_series(timeline.summary.by_month),
            "truncated": timeline.truncated,
        }

    router.add_api_route("/ui/actor", actor_page, methods=["GET"])

    @_page("dyad.html", "dyad")
    def dyad_page(
        request: Request,
        a: str = _short(),
        b: str = _short(),
        date_from: str = Query(default="", alias="from", max_length=40),
        date_to: str = Query(default="", alias="to", max_length=40),
        type: str = Query(default="", max_length=40),
    ) -> dict[str, Any]:
        runtime = _runtime(request)
        context: dict[str, Any] = {
            "a": a,
            "b": b,
            "date_from": date_from,
            "date_to": date_to,
            "type": type,
            "event_types": [t.value for t in EventType],
            "page": None,
        }
        if a.strip() and b.strip():
            start, end = _day(date_from, "from"), _day(date_to, "to")
            types = [type] if type else []  # relations.interactions checks the range and the type
            page = relations.interactions(runtime.stores, a, b, start, end, types, EVIDENCE_LIMIT)
            context["page"] = page
            context["chart"] = monthly_series(page.summary.by_month)
            context["by_type"] = sorted(page.summary.by_type.items(), key=lambda kv: (-kv[1], kv[0]))
            context["scores"] = {t.value: EVENT_TYPES[t].score for t in EventType}
            context["evidence"] = list(reversed(page.interactions))
        return context

    router.add_api_route("/ui/dyad", dyad_page, methods=["GET"])

    @_page("graph.html", "graph")
    def graph_page(
        request: Request,
        actor: str = _short(),
        target: str = _short(),
        date_from: str = Query(default="", alias="from", max_length=40),
        date_to: str = Query(default="", alias="to", max_length=40),
        type: str = Query(default="", max_length=40),
        hops: str = Query(default="3", max_length=10),
    ) -> dict[str, Any]:
        runtime = _runtime(request)
        max_hops = _number(hops, "hops", 1, queries.MAX_HOPS)
        context: dict[str, Any] = {
            "actor": actor,
            "target": target,
            "date_from": date_from,
            "date_to": date_to,
            "type": type,
            "hops": max_hops,
            "max_hops": queries.MAX_HOPS,
            "event_types": [t.value for t in EventType],
            "center": None,
            "paths": None,
            "path_data": {"nodes": [], "edges": []},
        }
        queries.check_range(_day(date_from, "from"), _day(date_to, "to"))  # the graph script reads them again
        queries.parse_types([type] if type else [])
        if actor.strip():
            center = queries.resolve_actor(runtime.stores, actor)
            context["center"] = center
            if target.strip():
                other = queries.resolve_actor(runtime.stores, target)
                found = runtime.stores.graph.paths(center.id, other.id, max_hops, 5)
                context["other"] = other
                context["paths"] = found
                context["path_data"] = {
                    "nodes": sorted({(a.id, a.name) for path in found for a in path.actors}),
                    "edges": [
                        {
                            "source": r.interaction.source_id,
                            "target": r.interaction.target_id,
                            "event_type": r.interaction.event_type.value,
                            "score": r.interaction.score,
                        }
                        for path in found
                        for r in path.steps
                    ],
                }
        return context

    router.add_api_route("/ui/graph", graph_page, methods=["GET"])

    @_page("ask.html", "ask")
    def ask_page(request: Request, q: str = _text()) -> dict[str, Any]:
        runtime = _runtime(request)
        context: dict[str, Any] = {"q": q, "response": None}
        if q.strip():
            if len(q.strip()) < 3:
                raise InvalidInputError("ask a question of at least three characters")
            response = ask_logic.answer(runtime.stores, runtime.alias_index, q, 5)
            context["response"] = response
            context["answer"] = answer_blocks(response.answer)
        return context

    router.add_api_route("/ui/ask", ask_page, methods=["GET"])

    @_page("add.html", "add")
    def add_page(request: Request) -> dict[str, Any]:
        runtime = _runtime(request)
        return {
            "needs_key": bool(runtime.stores.settings.api.write_keys),
            "can_write": runtime.writer is not None,
        }

    router.add_api_route("/ui/add", add_page, methods=["GET"])
    return router


def monthly_series(months: Sequence[MonthSummary]) -> dict[str, list[Any]]:
    """The chart's series: every month from the first to the last (months without interactions count 0 and have
    no score), then 'undated' if any."""
    by_month = {m.month: m for m in months}
    dated = sorted(m for m in by_month if m != "undated")
    labels: list[str] = []
    if dated:
        year, month = (int(x) for x in dated[0].split("-"))
        while f"{year:04d}-{month:02d}" <= dated[-1]:
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if "undated" in by_month:
        labels.append("undated")
    return {
        "months": labels,
        "totals": [by_month[m].total if m in by_month else 0 for m in labels],
        "scores": [by_month[m].mean_score if m in by_month else None for m in labels],
    }


def direction(record: InteractionRecord) -> str:
    """'Turkey → Israel', or 'Turkey ↔ Israel' for a joint act."""
    arrow = "→" if record.interaction.directed else "↔"
    return f"{record.source_name} {arrow} {record.target_name}"


TEMPLATES.env.filters["direction"] = direction
