"""Name cleaning shared by every source: TABARI/countryinfo entries as text, upper-case names in natural case,
and the generic alias filter (length, stop words, the deny list, descriptions)."""

from __future__ import annotations

import re
from typing import Final

from spacy.lang.en.stop_words import STOP_WORDS

from core.registry import normalise_name

# Normalised aliases shorter than 3 characters are dropped unless listed here.
SHORT_ALLOWED: Final = frozenset({"us", "uk", "eu", "un", "is", "g7"})


# Normalised aliases never taken from the reference files: places that are not the state (Gaza, West Bank),
# a capital held by a rival authority (Sanaa, held by the Houthis since 2014), jokes, plain English words,
# and aliases of Phoenix entries that name something else (people, front organisations, other groups).
ALIAS_DENY: Final = frozenset(
    {
        # places / not the state
        "gaza",
        "west bank",
        "occupied territories",
        "cisjordan",
        "sanaa",
        "sana a",
        "metohia",
        "metohija",
        "kosmet",
        "graveyard of empires",
        "soviet occupied afghanistan",
        "chaparhar",
        "sana",
        "kosovalive",
        "thilla",
        "milosevics yugoslavia",
        "aurobinda sarani",
        "ubanghi",
        "ubanghi chari",
        "belgian ubanghi",
        # nicknames, jokes and epithets in countryinfo
        "last european dictatorship",
        "cockpit of europe",
        "quebec of europe",
        "wallonia",
        "khamas country",
        "city of light",
        "former turkish province of yunanistan",
        "ftpoy",
        "picki u dusa",
        "kims joseon dynasty",
        "sheepland",
        "kiwistan",
        "aussieland",
        "moonland",
        "hidden pirate island",
        "cheung fat estate",
        "island of the moon",
        "smiling coast",
        "light of the south",
        "manchester of the east",
        "pearl of the orient",
        "venerable island",
        "new flower",
        "beloved country",
        "habeshistan",
        "togil",
        "teutonica",
        "4esko",
        "chez republic",
        "check republic",
        "tjech republic",
        "geanlaeht ricu american",
        "americky",
        "ykpaiha",
        "poccnr",
        "gsplaj",
        "capitani reggenti",
        "capitano reggente",
        "collectivite sui generis",
        "banda jalal khan",
        "us gu",
        "thule",
        "nature island",
        "land of the rising sun",
        "futuna island",
        "eua island",
        "udu point",
        "sahrawi",  # the people of Western Sahara, listed by ngec under Morocco
        # jokes, garbage and misspellings that are not real variants
        "yankee land",
        "yankeeland",
        "americaland",
        "unitedstatian",
        "americay",
        "us of a",
        "ukania",
        "u s",
        "ee uu",
        # plain English words
        "kiwi",
        "kiwis",
        "poles",
        "organization",
        "the islamic resistance",
        "islamic resistance",
        # Phoenix aliases that do not name the entry's group
        "islamic jihad",  # under HEZBOLLAH (the 1980s Islamic Jihad Organization); owned by PIJ here
        "islamic jihad for the liberation of palestine",
        "organization of the oppressed on earth",
        "revolutionary justice organization",
        "al aqsa foundation",
        "khaled meshaal",
        "mohammed deif",
        "marwan issa",
        "al quds brigades",  # PIJ's armed wing, listed under the Qassam entry
        "al quds battalions",
        "jerusalem battalions",
        "jerusalem brigades",
        "sayf al islam brigades",
        "al aqsa",  # the mosque, listed under the al-Aqsa Martyrs' Brigades
        "al aksa",
        "al qaeda in iraq",
        "al qaeda linked abu sayyaf",
        "al qaida affiliated",
        "al qaida offshoot",
        "al qaeda operatives",
        "qaeda group",
        "ahmad umar",
        "moktar ali zubeyr",
        "ahmed abdi godane",
        "hizbul shabaab",
        "world bank president",
        "president of the world bank",
        "security council",  # bare form also names national security councils
        "un secretary general",
    }
)


# Words that mark a countryinfo/Phoenix entry as a description rather than a name.
DESCRIPTIVE: Final = re.compile(
    r"\b(administrative|divisions|jewel|inhabitants|proper|bantustan|sakartvelobantustan|graveyard)\b"
)


# Particles written in lower case inside names ("Izz ad-Din al-Qassam", "Côte d'Ivoire").
_PARTICLES: Final = frozenset(
    {"al", "el", "ad", "ash", "as", "an", "ar", "at", "az", "ud", "ul", "d", "l", "bin", "ibn", "of", "the"}
)


_SMALL_WORDS_TEXT: Final = "of the and for in on to a de du des la le les et van der das di del y i da do dos"


SMALL_WORDS: Final = frozenset(_SMALL_WORDS_TEXT.split())


def clean_token(raw: str) -> str:
    """A TABARI/countryinfo entry ('UNITED_STATES_OF_AMERICA_ # comment') as spaced text, no comment."""
    text = raw.split("#", 1)[0]
    text = re.sub(r"\[[^\]]*\]", " ", text)  # codes on the same line
    text = re.sub(r"\([^)]*\)", " ", text)  # "(AAIA)", "(UNITED_STATES)"
    text = text.replace("_", " ").replace("+", " ")
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def nice_case(text: str) -> str:
    """'AL-QASSAM BRIGADES' -> 'al-Qassam Brigades', 'COTE D'IVOIRE' -> "Cote d'Ivoire", 'USA' -> 'USA'.

    Upper-case input only (text with lower-case letters is returned as is). Kept in capitals: a one-word
    alias of at most three letters (USA, DRC) and, inside longer aliases, vowel-less words of one or two
    letters (DR Congo) or short words written with dots (U.S.).
    """
    if any(ch.islower() for ch in text):
        return text
    words = text.split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        letters = lower.replace(".", "")
        if len(words) == 1 and len(letters) <= 3 and letters.isalpha():
            out.append(word)  # USA, UK, DRC
        elif index > 0 and re.fullmatch(r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})", lower):
            out.append(word.upper())  # Juan Carlos I, Abdullah II
        elif letters == "st":
            out.append(word.capitalize())  # St. John's
        elif index > 0 and (lower in SMALL_WORDS or lower in _PARTICLES):
            out.append(lower)  # Republic of the Congo, Izz ad-Din al Qassam
        elif ("." in word and len(letters) <= 3) or (
            len(letters) <= 2 and letters.isalpha() and not set(letters) & set("aeiouy")
        ):
            out.append(word)  # U.S., DR
        else:
            out.append(case_word(lower))
    return " ".join(out)


def case_word(lower: str) -> str:
    """One lower-case word: 'al-qassam' -> 'al-Qassam', "d'ivoire" -> "d'Ivoire", "people's" -> "People's"."""
    pieces = re.split(r"([-'])", lower)
    built: list[str] = []
    for position, piece in enumerate(pieces):
        if piece in ("-", "'"):
            built.append(piece)
            continue
        after_apostrophe = position > 0 and pieces[position - 1] == "'"
        before_joiner = position + 1 < len(pieces) and pieces[position + 1] in ("-", "'")
        if piece in _PARTICLES and before_joiner:
            built.append(piece)  # al-, d'
        elif after_apostrophe and pieces[position - 2] not in _PARTICLES:
            built.append(piece)  # People's, Sha'biyah, Nuku'alofa
        else:
            built.append(piece[:1].upper() + piece[1:])
    return "".join(built)


def strip_article(written: str) -> str:
    """'The Netherland' -> 'Netherland' (the article is dropped by normalise_name anyway)."""
    return written[4:] if written[:4].lower() == "the " and len(written) > 4 else written


def acceptable_alias(written: str) -> bool:
    """Generic filter: long enough, not a stop word, not on the deny list."""
    key = normalise_name(written)
    if not key:
        return False
    if key in SHORT_ALLOWED:
        return True
    if len(key.replace(" ", "")) < 3:
        return False
    if key in STOP_WORDS or key in ALIAS_DENY:
        return False
    if "\ufffd" in written:
        return False  # mojibake in the source
    if all(len(token) == 1 for token in key.split()):
        return False  # "U_S_A" spelled out letter by letter
    if "," in written or "/" in written or DESCRIPTIVE.search(key):
        return False  # "Georgia, Caucasus", "Administrative Divisions of ...", "Milosevic's Yugoslavia"
    return not key.isdigit()
