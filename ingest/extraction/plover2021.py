"""The 2021 PLOVER event types (16, as NGEC's training data and the CAMEO conversion table use them) read as
our 18 types.

REQUEST is DEMAND. ACCUSE is INVESTIGATE when one of its modes is `investigate`, else DISAPPROVE. ASSAULT is
FIGHT for conventional military force between armed forces (CAMEO 19x, or modes of military weapons only, in
a text about armed forces), else ASSAULT (one-sided and unconventional violence: massacres, abductions,
bombings, sexual violence...). Every other type keeps its name. This is the mapping the training data's README
gives; it reads only a record's own type, modes and text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph_schema.ontology import EventType

# modes that make violence one-sided or unconventional whatever the weapon
_ONE_SIDED_MODES = frozenset(
    {
        "abduct",
        "assassinate",
        "beat",
        "cleansing",
        "crowd-control",
        "execute",
        "massacre",
        "primative",  # sic, as spelled in NGEC's headline file
        "primitive",
        "sexual",
        "suicide-attack",
        "torture",
        "unconventional",
    }
)
_MILITARY_MODES = frozenset({"aerial", "drone", "firearms", "heavy-weapons", "explosives", "destroy"})
_ARMED_FORCES = re.compile(
    r"\b(troops|forces|army|armies|military|soldiers|militants|rebels|insurgents|fighters|militias?|"
    r"clash(es|ed)?|fighting|battles?|offensive|front ?lines?|shelling|artillery|air ?strikes?|airstrikes?)\b",
    re.IGNORECASE,
)
_TYPE_2021 = {
    "REQUEST": EventType.DEMAND,
    "AGREE": EventType.AGREE,
    "CONSULT": EventType.CONSULT,
    "SUPPORT": EventType.SUPPORT,
    "CONCEDE": EventType.CONCEDE,
    "COOPERATE": EventType.COOPERATE,
    "AID": EventType.AID,
    "RETREAT": EventType.RETREAT,
    "REJECT": EventType.REJECT,
    "THREATEN": EventType.THREATEN,
    "PROTEST": EventType.PROTEST,
    "SANCTION": EventType.SANCTION,
    "MOBILIZE": EventType.MOBILIZE,
    "COERCE": EventType.COERCE,
}


def from_plover_2021(event: str, modes: Iterable[str], text: str, *, conventional: bool = False) -> EventType | None:
    """Our type for a 2021 PLOVER label with its modes; None for a label outside PLOVER.

    `conventional`: the source says the violence is conventional military force (CAMEO 19x)."""
    name = event.strip().upper()
    lowered = {mode.strip().lower() for mode in modes if mode.strip()}
    if name == "ACCUSE":
        return EventType.INVESTIGATE if "investigate" in lowered else EventType.DISAPPROVE
    if name == "ASSAULT":
        if conventional:
            return EventType.FIGHT
        if lowered & _ONE_SIDED_MODES:
            return EventType.ASSAULT
        if lowered <= _MILITARY_MODES and _ARMED_FORCES.search(text):
            return EventType.FIGHT
        return EventType.ASSAULT
    return _TYPE_2021.get(name)


@dataclass(frozen=True)
class LabelledText:
    """A text labelled with one of our types, and the article it came from (to split by article, not by text)."""

    text: str
    label: EventType
    group: str


def read_ngec_quotes(path: Path) -> list[LabelledText]:
    """NGEC's verified VOA evidence quotes (JSON Lines: quote, event_type, modes, doc), read as our types."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = re.sub(r"\s+", " ", str(row["quote"])).strip()
        label = from_plover_2021(str(row["event_type"]), row.get("modes") or [], text)
        if label is not None and text:
            examples.append(LabelledText(text, label, str(row.get("doc") or row.get("file"))))
    return examples
