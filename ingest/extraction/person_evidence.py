"""Whether a name the NER tags as a person (or an organisation) is evidence of a new actor.

Scraped pages put much besides prose in front of the parser: menus and icons ("Arrow Down Arrow Left Arrow",
"Map Marker", "Trends Box - 1080/761"), photo credits ("... /Getty Images"), headlines glued to the first
sentence, section labels ("Bottom Line"), airports and streets named after people, and fragments in other
languages. The small English model tags many of them PERSON. A new person actor therefore needs:

* a name in running text that is none of those (:func:`page_noise` says which it is), shaped like a person's
  name (:func:`person_shaped`), and
* confirmation (:meth:`PersonEvidence.confirmed`): a title or role beside it ("Defence Minister X", "X, the
  Druze spiritual leader"), or the name seen at least twice in the brief (the full name, then the surname).

Names the registry knows are found by the alias scan and never come here; the same noise tests still tell
when a registry person's name is part of a place ("Jomo Kenyatta International Airport").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from core.registry import ActorRegistry, RegistryActor, normalise_name
from graph_schema.ontology import ActorKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Noise",
    "PersonEvidence",
    "glued_to_a_name",
    "has_role_cue",
    "new_actor_allowed",
    "page_noise",
    "person_shaped",
    "place_follows",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Noise(StrEnum):
    """Why a name is not evidence of an actor."""

    CHROME = "chrome"  # page furniture: menus, icons, widgets, section labels
    CREDIT = "credit"  # a photo or image credit
    HEADLINE = "headline"  # part of a title-cased headline
    FOREIGN = "foreign"  # a fragment in another language
    PLACE = "place"  # a place, or a place named after someone


# Words of page furniture; a name containing one is not a name.
_CHROME_WORDS: Final = _words(
    """arrow marker chevron caret icon menu button logo newsletter subscribe subscription login signup share print
    email facebook twitter linkedin whatsapp telegram instagram youtube tiktok download video gallery trends box
    widget banner sidebar footer header toggle navigation cookie cookies advertisement sponsored loading bookmark
    pdf copyright getty shutterstock alamy images photo photos credit podcast newsletter"""
)
# Section labels and widget titles that are everyday words in title case.
_CHROME_PHRASES: Final = frozenset(
    {
        "bottom line",
        "key takeaways",
        "key judgments",
        "key judgements",
        "read more",
        "what to watch",
        "our view",
        "breaking news",
        "live updates",
        "top stories",
        "most read",
        "related posts",
        "related content",
        "the bottom line",
    }
)
_CREDIT: Final = re.compile(
    r"(?:/|\bvia\s+)\s*(?:Getty|AFP|Reuters|AP|EPA|Anadolu|Bloomberg|Shutterstock|Alamy|Xinhua|ANSA|Images?)\b"
    r"|\b(?:Photo|Photograph|Picture|Image|Credit)s?\s*(?:by\b|:)|©",
    re.IGNORECASE,
)
# Words that make a name a place: "Queen Alia International Airport", "Dolmabahce Palace".
_PLACE_WORDS: Final = _words(
    """airport airbase base street road avenue boulevard highway square bridge crossing port harbour harbor
    province governorate district city town village camp palace mosque church cathedral temple hospital
    university school stadium tower museum prison hotel mountain mountains valley river sea gulf strait island
    islands desert plain dam"""
)
# Function words of the languages whose fragments reach English briefs (Spanish, French, Portuguese, Italian,
# German); a sentence with more of these than English ones is not English prose.
_FOREIGN_WORDS: Final = _words(
    """el la los las del que y con por para una según dijo fue es se su sus al lo como más pero también
    le les des du et est dans pour sur une qui ne pas avec aux cette selon été
    não da do das dos em um uma com pela pelo foi
    il di che per gli della nel sono
    der die und ist nicht mit dem den ein eine zu von auf"""
)
_ENGLISH_WORDS: Final = _words(
    """the a an of to in on at for with by from and or but that which who is are was were be been has have
    had said says will would after before over against their his her its they he she it this these"""
)
# Lower-case parts of names: al-Hijri, bin Salman, de Mistura, von der Leyen.
_PARTICLES: Final = frozenset(
    {"al", "el", "ad", "as", "an", "bin", "ibn", "abu", "bint", "de", "da", "del", "della", "di", "dos", "das", "du"}
    | {"van", "von", "der", "den", "la", "le", "y"}
)
# Titles and roles that stand beside a person's name ("Defence Minister X", "X, the UN envoy").
ROLE_WORDS: Final = _words(
    """president minister premier chancellor king queen prince princess emir sheikh sultan envoy ambassador
    diplomat secretary spokesman spokeswoman spokesperson adviser advisor negotiator mediator official chief head
    leader commander general colonel lieutenant captain admiral marshal brigadier governor mayor senator lawmaker
    legislator mp deputy speaker judge prosecutor director coordinator representative delegate chairman
    chairwoman chair ceo founder cleric imam rabbi pope patriarch bishop cardinal ayatollah mufti activist
    journalist analyst researcher professor economist counterpart rapporteur commissioner mr mrs ms dr gen col
    lt sgt capt adm sen rep"""
)
# Capitalised words of office titles, which do not make a run of capitals a headline.
_TITLE_CASE_OFFICE_WORDS: Final = ROLE_WORDS | _words(
    """defence defense foreign interior finance prime vice special state staff affairs national security supreme
    armed forces army navy air force united nations un eu council ministry office of the"""
)
_CONNECTORS: Final = frozenset(
    {"of", "on", "in", "and", "the", "to", "for", "a", "as", "at", "with", "after", "over", "by", "from", "-", "–"}
)
_HEADLINE_CAPITALS: Final = 3  # capitalised words beside a name, not titles or actors, that make a headline


def page_noise(ent: Span, registry: ActorRegistry, actor_tokens: Iterable[int] = ()) -> Noise | None:
    """Why the name ``ent`` is page noise rather than a name in running text; None when it is not noise.

    ``actor_tokens`` are the token indices of actors already found in the doc (countries, groups...): they
    do not count toward a headline ("Ukrainian Defence Minister X" is not one)."""
    text = ent.text
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", text)]
    key = " ".join(words)
    if any(word in _CHROME_WORDS for word in words) or any(phrase in key for phrase in _CHROME_PHRASES):
        return Noise.CHROME
    if re.search(r"\d|/|\|", text):
        return Noise.CHROME  # "Trends Box - 1080/761": a widget label, never a name
    doc = ent.doc
    after = doc[ent.end : min(len(doc), ent.end + 6)].text
    before = doc[max(0, ent.start - 4) : ent.start].text
    if _CREDIT.search(text) or _CREDIT.match(after.lstrip()) or re.search(r"(?:Photo|Image|Credit)s?\s*:\s*$", before):
        return Noise.CREDIT
    if (
        any(word in _PLACE_WORDS for word in words)
        or place_follows(doc, ent.end)
        or registry.place_country(text) is not None
    ):
        return Noise.PLACE
    if _foreign(ent.sent):
        return Noise.FOREIGN
    if _in_headline(ent, frozenset(actor_tokens)):
        return Noise.HEADLINE
    return None


def place_follows(doc: Doc, end: int) -> bool:
    """Whether a place word follows a name: 'Jomo Kenyatta International Airport', 'Rafic Hariri Street'."""
    for token in doc[end : min(len(doc), end + 2)]:
        if token.lower_ in _PLACE_WORDS and token.text[:1].isupper():
            return True
        if token.lower_ not in {"international", "national", "memorial", "grand"}:
            return False
    return False


def person_shaped(text: str) -> bool:
    """Two to five words, each capitalised (initials allowed) or a name particle; letters, hyphens and
    apostrophes only; not in capitals throughout."""
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    capitalised = 0
    for word in words:
        stem = word.split("-", 1)[-1] if word.split("-", 1)[0].lower() in _PARTICLES else word
        if word.lower() in _PARTICLES:
            continue
        if not re.fullmatch(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?", stem) or not stem[:1].isupper():
            return False
        if len(stem) > 3 and stem.isupper():
            return False
        capitalised += 1
    return capitalised >= 2 or (capitalised == 1 and len(words) >= 2 and words[-1][:1].isupper())


def has_role_cue(ent: Span) -> bool:
    """A title or role beside the name: before it ('Defence Minister X', 'delegation head X', 'Mr X'),
    in apposition ('X, the Druze spiritual leader'; 'the UN coordinator, X'), or inside the entity."""
    doc = ent.doc
    if any(_role(token) for token in ent[:-1]):
        return True  # "President X" tagged whole
    previous = ent.start - 1
    while previous >= 0 and doc[previous].text in {",", "the", "The"}:
        previous -= 1
    if previous >= 0 and _role(doc[previous]):
        return True
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and any(_role(t) for t in child.subtree if t.i not in range(ent.start, ent.end)):
            return True
    return root.dep_ == "appos" and _role(root.head)


def _role(token: Token) -> bool:
    return token.lower_.rstrip(".") in ROLE_WORDS or token.lemma_.lower() in ROLE_WORDS


def _foreign(sentence: Span) -> bool:
    words = [t.lower_ for t in sentence if t.is_alpha]
    foreign = sum(word in _FOREIGN_WORDS and word not in _ENGLISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    return foreign >= 3 and foreign > english


def _in_headline(ent: Span, actor_tokens: frozenset[int]) -> bool:
    """The name sits in a run of title-cased words ('Protests Turn Deadly On Anniversary Of Finance Bill
    Unrest'): counted are the capitalised words beside it that are neither office titles nor other names."""
    doc = ent.doc
    named = {t.i for e in doc.ents if e.label_ in {"PERSON", "NORP", "GPE", "LOC"} for t in e} | actor_tokens
    capitals = 0
    for step, start in ((-1, ent.start - 1), (1, ent.end)):
        i = start
        while 0 <= i < len(doc):
            token = doc[i]
            lowered = token.lower_
            if lowered in _CONNECTORS:
                i += step
                continue
            if not (token.is_alpha and token.text[:1].isupper()):
                break
            if i not in named and lowered not in _TITLE_CASE_OFFICE_WORDS:
                capitals += 1
            i += step
    return capitals >= _HEADLINE_CAPITALS


class PersonEvidence:
    """What one brief's text says about the people its NER finds: which names it names more than once."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self._text = "\n".join(doc.text for doc in docs)
        self._counts: dict[str, int] = {}

    def seen(self, words: str) -> int:
        """How often ``words`` occurs as whole words in the brief."""
        if words not in self._counts:
            pattern = rf"(?<![\w-]){re.escape(words)}(?![\w-])"
            self._counts[words] = len(re.findall(pattern, self._text))
        return self._counts[words]

    def confirmed(self, ent: Span, name: str) -> bool:
        """A role beside the name, or the name named twice: in full, or once in full and once by surname."""
        if has_role_cue(ent):
            return True
        words = name.split()
        full = self.seen(name)
        surname = self.seen(words[-1]) if len(words) >= 2 and len(normalise_name(words[-1])) >= 3 else 0
        return full >= 2 or surname >= 2


def glued_to_a_name(doc: Doc, start: int) -> bool:
    """Whether the word at ``start`` is the second half of a hyphenated name ('Nkweta-Salami'): a registry
    surname found there ('Salami') is not that person."""
    if start < 2:
        return False
    hyphen, before = doc[start - 1], doc[start - 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and not before.whitespace_ and before.is_alpha


def new_actor_allowed(
    ent: Span,
    actor: RegistryActor,
    name: str,
    registry: ActorRegistry,
    evidence: PersonEvidence | None,
    actor_tokens: Iterable[int] = (),
) -> bool:
    """Whether a NER name may stand for ``actor``: never when the name is page noise (a registry person in a
    photo credit is no evidence of them either); a new actor (not in the registry) that is a person also needs
    a person-shaped ``name`` and, with ``evidence`` for the brief, a role beside it or a second mention."""
    if page_noise(ent, registry, actor_tokens) is not None:
        return False
    if actor.id in registry:
        return True
    if actor.kind is not ActorKind.PERSON:
        return True
    return person_shaped(name) and (evidence is None or evidence.confirmed(ent, name))
