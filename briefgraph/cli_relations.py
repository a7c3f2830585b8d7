"""Relationship commands for the terminal: `briefgraph actor`, `dyad`, `similar`, `paths`, printed as tables.

Each `render_*` function takes open stores and returns the text, so tests read it without a process; the
`cmd_*` wrappers open the stores from the settings, print and close."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence

from core.bootstrap import Stores
from core.errors import InvalidInputError
from services import queries, relations

MAX_CELL = 90


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> str:
    """A plain-text table: a header, a rule, one line per row; long cells end in an ellipsis."""

    def cell(value: object) -> str:
        text = "" if value is None else " ".join(str(value).split())
        return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    if not rows:
        out.append("(none)")
    return "\n".join(out)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "undated"


def _check(option: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InvalidInputError(f"{option} must be between {low} and {high}")


def render_actor(stores: Stores, name: str, limit: int = 10) -> str:
    _check("--limit", limit, 1, 100)
    detail = relations.actor_detail(stores, name, limit)
    actor = detail.actor
    lines = [
        f"{actor.name}  [{actor.id}]  {actor.kind.value}",
        f"aliases: {', '.join(actor.aliases) or '-'}",
        f"mentions: {actor.mention_count} in {actor.brief_count} briefs",
    ]
    if detail.roles:
        lines += ["", "Roles"]
        lines.append(
            table(
                ["title", "of", "from", "to"],
                [[r.title, r.affiliation, r.start or "", r.end or "now"] for r in detail.roles],
            )
        )
    lines += ["", "Counterparts (most interactions first)"]
    lines.append(
        table(
            ["actor", "id", "interactions", "mean score"],
            [[c.actor.name, c.actor.id, c.interaction_count, f"{c.mean_score:+.2f}"] for c in detail.counterparts],
            right=(2, 3),
        )
    )
    return "\n".join(lines)


def render_dyad(
    stores: Stores,
    first: str,
    second: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    event_types: Sequence[str] = (),
    limit: int = 20,
) -> str:
    _check("--limit", limit, 1, 2_000)
    page = relations.interactions(stores, first, second, date_from, date_to, event_types, limit)
    other = page.other
    assert other is not None
    summary = page.summary
    span = f"{date_from or '…'} to {date_to or '…'}" if date_from or date_to else "all dates"
    lines = [
        f"{page.actor.name} [{page.actor.id}] – {other.name} [{other.id}], {span}",
        f"{summary.total} interactions, mean score {summary.mean_score:+.2f}, "
        f"{summary.corroborated_events} events reported by two or more briefs",
        "",
        "By month",
        table(
            ["month", "interactions", "mean score", "types"],
            [
                [m.month, m.total, f"{m.mean_score:+.2f}", ", ".join(f"{k} {v}" for k, v in sorted(m.counts.items()))]
                for m in summary.by_month
            ],
            right=(1, 2),
        ),
        "",
        "By type",
        table(
            ["type", "interactions"],
            [[kind, count] for kind, count in sorted(summary.by_type.items(), key=lambda kv: (-kv[1], kv[0]))],
            right=(1,),
        ),
        "",
        f"Evidence ({'the newest ' + str(len(page.interactions)) if page.truncated else 'all'}, in date order)",
        table(
            ["date", "type", "who", "sentence", "brief"],
            [
                [
                    _date(r.interaction.date),
                    r.interaction.event_type.value,
                    f"{r.interaction.source_id} {'->' if r.interaction.directed else '<->'} {r.interaction.target_id}",
                    r.interaction.sentence,
                    r.interaction.brief_id,
                ]
                for r in page.interactions
            ],
        ),
    ]
    return "\n".join(lines)


def render_similar(stores: Stores, brief_id: str, k: int = 5) -> str:
    anchor = stores.graph.get_brief(brief_id)
    head = f"Briefs similar to {anchor.title} [{brief_id}]" if anchor else f"Briefs similar to [{brief_id}]"
    found = queries.similar(stores, brief_id, k)
    rows = [[f"{s.score:.3f}", _date(s.date), s.title, s.brief_id] for s in found]
    return head + "\n" + table(["score", "date", "title", "id"], rows, right=(0,))


def render_paths(stores: Stores, source: str, target: str, max_hops: int = 3, limit: int = 5) -> str:
    _check("--max-hops", max_hops, 1, queries.MAX_HOPS)
    _check("--limit", limit, 1, 20)
    first = queries.resolve_actor(stores, source)
    second = queries.resolve_actor(stores, target)
    found = stores.graph.paths(first.id, second.id, max_hops, limit)
    lines = [f"Paths from {first.name} [{first.id}] to {second.name} [{second.id}] (at most {max_hops} hops)"]
    if not found:
        lines.append("(no path)")
    for number, path in enumerate(found, 1):
        chain = " -> ".join(actor.name for actor in path.actors)
        lines += ["", f"{number}. {chain}"]
        lines.append(
            table(
                ["step", "date", "type", "sentence", "brief"],
                [
                    [
                        f"{r.interaction.source_id} -> {r.interaction.target_id}",
                        _date(r.interaction.date),
                        r.interaction.event_type.value,
                        r.interaction.sentence,
                        r.interaction.brief_id,
                    ]
                    for r in path.steps
                ],
            )
        )
    return "\n".join(lines)


def _with_stores(render: Callable[[Stores], str]) -> int:
    from briefgraph.cli import _settings
    from core.bootstrap import build_stores

    stores = build_stores(_settings())
    try:
        text = render(stores)
    finally:
        stores.close()
    print(text)
    return 0


def cmd_actor(args: argparse.Namespace) -> int:
    return _with_stores(lambda s: render_actor(s, args.name, args.limit))


def cmd_dyad(args: argparse.Namespace) -> int:
    return _with_stores(lambda s: render_dyad(s, args.a, args.b, args.date_from, args.date_to, args.type, args.limit))


def cmd_similar(args: argparse.Namespace) -> int:
    return _with_stores(lambda s: render_similar(s, args.brief_id, args.k))


def cmd_paths(args: argparse.Namespace) -> int:
    return _with_stores(lambda s: render_paths(s, args.a, args.b, args.max_hops, args.limit))


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    actor = commands.add_parser("actor", help="an actor: aliases, roles, counterparts")
    actor.add_argument("name", help="id, name or alias (TUR, Turkey, Ankara)")
    actor.add_argument("--limit", type=int, default=10, help="counterparts shown")
    actor.set_defaults(func=cmd_actor)

    dyad = commands.add_parser("dyad", help="how two actors interacted: by month, by type, with evidence")
    dyad.add_argument("a", metavar="A", help="id, name or alias")
    dyad.add_argument("b", metavar="B", help="id, name or alias")
    dyad.add_argument("--from", dest="date_from", metavar="DAY", type=_day, help="first day, YYYY-MM-DD")
    dyad.add_argument("--to", dest="date_to", metavar="DAY", type=_day, help="last day, YYYY-MM-DD")
    dyad.add_argument("--type", action="append", default=[], help="PLOVER type (repeatable), e.g. CONSULT")
    dyad.add_argument("--limit", type=int, default=20, help="evidence rows shown (the newest)")
    dyad.set_defaults(func=cmd_dyad)

    similar = commands.add_parser("similar", help="past briefs most similar to a brief")
    similar.add_argument("brief_id")
    similar.add_argument("-k", type=int, default=5)
    similar.set_defaults(func=cmd_similar)

    paths = commands.add_parser("paths", help="how two actors connect: shortest chains of interactions")
    paths.add_argument("a", metavar="A", help="id, name or alias")
    paths.add_argument("b", metavar="B", help="id, name or alias")
    paths.add_argument("--max-hops", type=int, default=3)
    paths.add_argument("--limit", type=int, default=5)
    paths.set_defaults(func=cmd_paths)
