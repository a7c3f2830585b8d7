"""Event lexicon: verb and noun lemmas that carry PLOVER events. Pure data, curated for this project from the
PLOVER category definitions (openeventdata/PLOVER, CC BY-SA 4.0); the word lists are our own."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from graph_schema.ontology import EventContext, EventType

E = EventType

# verb lemma -> event type
VERBS: Final = MappingProxyType(
    {
        # AGREE: promise, offer, agree to cooperate
        **dict.fromkeys(
            ["agree", "offer", "promise", "pledge", "vow", "invite", "propose", "commit", "consent", "accept"], E.AGREE
        ),
        # CONSULT: meetings, visits, talks, calls
        **dict.fromkeys(
            [
                "meet",
                "visit",
                "host",
                "discuss",
                "negotiate",
                "talk",
                "consult",
                "confer",
                "phone",
                "receive",
                "travel",
                "mediate",
                "engage",
            ],
            E.CONSULT,
        ),
        # SUPPORT: verbal support, approval, signing
        **dict.fromkeys(
            [
                "support",
                "praise",
                "welcome",
                "endorse",
                "commend",
                "back",
                "thank",
                "sign",
                "ratify",
                "approve",
                "recognize",
                "recognise",
                "congratulate",
                "applaud",
                "hail",
                "defend",
                "cultivate",
                "normalize",
                "normalise",
                "restore",
            ],
            E.SUPPORT,
        ),
        # COOPERATE: material cooperation
        **dict.fromkeys(
            [
                "cooperate",
                "collaborate",
                "coordinate",
                "integrate",
                "partner",
                "ally",
                "share",
                "exchange",
                "train",
                "merge",
            ],
            E.COOPERATE,
        ),
        # AID
        **dict.fromkeys(
            [
                "aid",
                "assist",
                "help",
                "supply",
                "donate",
                "fund",
                "finance",
                "arm",
                "provide",
                "deliver",
                "send",
                "grant",
                "rescue",
                "shelter",
            ],
            E.AID,
        ),
        # CONCEDE
        **dict.fromkeys(
            [
                "release",
                "free",
                "concede",
                "yield",
                "ease",
                "lift",
                "pardon",
                "allow",
                "permit",
                "apologize",
                "apologise",
                "compromise",
                "surrender",
                "hand",
                "return",
                "disarm",
                "dissolve",
                "unblock",
                "reopen",
            ],
            E.CONCEDE,
        ),
        # RETREAT
        **dict.fromkeys(
            [
                "withdraw",
                "retreat",
                "pull",
                "evacuate",
                "demobilize",
                "demobilise",
                "de-escalate",
                "halt",
                "suspend",
                "cease",
            ],
            E.RETREAT,
        ),
        # INVESTIGATE
        **dict.fromkeys(["investigate", "probe", "inspect", "examine", "inquire", "monitor", "verify"], E.INVESTIGATE),
        # DEMAND
        **dict.fromkeys(
            [
                "demand",
                "urge",
                "request",
                "ask",
                "appeal",
                "insist",
                "press",
                "push",
                "call_on",
                "require",
                "petition",
                "seek",
            ],
            E.DEMAND,
        ),
        # DISAPPROVE
        **dict.fromkeys(
            [
                "accuse",
                "criticize",
                "criticise",
                "condemn",
                "denounce",
                "blame",
                "deplore",
                "censure",
                "rebuke",
                "slam",
                "charge",
                "allege",
                "decry",
                "protest_verbal",
                "warn_against",
                "complain",
            ],
            E.DISAPPROVE,
        ),
        # REJECT
        **dict.fromkeys(
            [
                "reject",
                "refuse",
                "deny",
                "veto",
                "oppose",
                "rebuff",
                "dismiss",
                "decline",
                "boycott",
                "resist",
                "snub",
                "spurn",
            ],
            E.REJECT,
        ),
        # THREATEN
        **dict.fromkeys(["threaten", "warn", "vow_to_attack", "menace", "intimidate"], E.THREATEN),
        # PROTEST
        **dict.fromkeys(["protest", "demonstrate", "rally", "march", "riot", "strike_work"], E.PROTEST),
        # SANCTION
        **dict.fromkeys(
            [
                "sanction",
                "embargo",
                "expel",
                "sever",
                "cut",
                "freeze",
                "ban",
                "blacklist",
                "recall",
                "downgrade",
                "penalize",
                "penalise",
                "boycott_trade",
            ],
            E.SANCTION,
        ),
        # MOBILIZE
        **dict.fromkeys(
            ["mobilize", "mobilise", "deploy", "mass", "reinforce", "station", "establish_base"], E.MOBILIZE
        ),
        # COERCE
        **dict.fromkeys(
            [
                "arrest",
                "detain",
                "seize",
                "confiscate",
                "blockade",
                "block",
                "deport",
                "besiege",
                "raid",
                "abduct",
                "kidnap",
                "capture",
                "occupy",
                "annex",
                "jail",
                "imprison",
                "torture",
                "impose",
                "restrict",
                "storm",
            ],
            E.COERCE,
        ),
        # ASSAULT
        **dict.fromkeys(
            [
                "attack",
                "strike",
                "bomb",
                "shell",
                "kill",
                "assassinate",
                "target",
                "hit",
                "fire",
                "launch",
                "pound",
                "pummel",
                "destroy",
                "invade",
                "shoot",
                "massacre",
                "ambush",
                "assault",
                "bombard",
                "torpedo",
                "wound",
                "injure",
                "execute",
                "behead",
                "blow",
                "explode",
                "raze",
                "drone",
            ],
            E.ASSAULT,
        ),
        # FIGHT
        **dict.fromkeys(["fight", "clash", "battle", "engage_militarily", "skirmish", "combat", "war"], E.FIGHT),
    }
)

# Verbs whose event needs an actor as object; without one they say nothing about a dyad
# ("Turkey targeted several sites as grounds for bases" is not an assault on anyone).
NEEDS_ACTOR_OBJECT: Final = frozenset(
    {
        "target",
        "hit",
        "launch",
        "fire",
        "call",
        "receive",
        "send",
        "provide",
        "deliver",
        "return",
        "hand",
        "release",
        "free",
        "charge",
        "press",
        "push",
        "cut",
        "pull",
        "share",
        "exchange",
        "train",
        "back",
        "mass",
        "station",
        "engage",
        "travel",
        "host",
        "restore",
        "cultivate",
        "allow",
        "permit",
        "impose",
        "block",
        "support",
        "sign",
    }
)

# noun lemma -> event type, for events named as nouns ("held talks", "a strike on", "sanctions against")
NOUNS: Final = MappingProxyType(
    {
        **dict.fromkeys(
            [
                "agreement",
                "deal",
                "accord",
                "pact",
                "treaty",
                "memorandum",
                "truce",
                "ceasefire",
                "cease-fire",
                "armistice",
                "understanding",
                "offer",
                "pledge",
                "promise",
            ],
            E.AGREE,
        ),
        **dict.fromkeys(
            [
                "talk",
                "meeting",
                "visit",
                "negotiation",
                "summit",
                "consultation",
                "call",
                "dialogue",
                "conversation",
                "mediation",
                "round",
                "conference",
                "mechanism",
            ],
            E.CONSULT,
        ),
        **dict.fromkeys(
            ["support", "endorsement", "praise", "recognition", "relation", "relationship", "tie"], E.SUPPORT
        ),
        **dict.fromkeys(
            ["cooperation", "coordination", "integration", "partnership", "alliance", "exercise", "deconfliction"],
            E.COOPERATE,
        ),
        **dict.fromkeys(
            ["aid", "assistance", "help", "support_material", "shipment", "delivery", "funding", "loan", "donation"],
            E.AID,
        ),
        **dict.fromkeys(
            ["release", "concession", "amnesty", "exchange_of_prisoners", "disarmament", "dissolution"], E.CONCEDE
        ),
        **dict.fromkeys(["withdrawal", "pullout", "retreat", "de-escalation", "deescalation", "pullback"], E.RETREAT),
        **dict.fromkeys(["investigation", "inquiry", "probe", "inspection"], E.INVESTIGATE),
        **dict.fromkeys(["demand", "request", "appeal", "ultimatum", "call_for"], E.DEMAND),
        **dict.fromkeys(["accusation", "criticism", "condemnation", "allegation", "complaint"], E.DISAPPROVE),
        **dict.fromkeys(["rejection", "refusal", "veto", "denial", "opposition"], E.REJECT),
        **dict.fromkeys(["threat", "warning", "ultimatum_threat"], E.THREATEN),
        **dict.fromkeys(["protest", "demonstration", "rally", "riot", "march"], E.PROTEST),
        **dict.fromkeys(["sanction", "embargo", "expulsion", "blacklist", "tariff"], E.SANCTION),
        **dict.fromkeys(
            ["deployment", "mobilization", "mobilisation", "buildup", "build-up", "reinforcement"], E.MOBILIZE
        ),
        **dict.fromkeys(
            [
                "arrest",
                "detention",
                "seizure",
                "blockade",
                "siege",
                "raid",
                "occupation",
                "annexation",
                "crackdown",
                "restriction",
            ],
            E.COERCE,
        ),
        **dict.fromkeys(
            [
                "strike",
                "airstrike",
                "air-strike",
                "attack",
                "bombing",
                "bombardment",
                "shelling",
                "assault",
                "offensive",
                "incursion",
                "invasion",
                "assassination",
                "killing",
                "raid_air",
                "barrage",
                "massacre",
                "ambush",
            ],
            E.ASSAULT,
        ),
        **dict.fromkeys(
            [
                "clash",
                "fighting",
                "battle",
                "war",
                "confrontation",
                "hostility",
                "skirmish",
                "conflict",
                "fire",
                "gunfire",
                "firefight",
            ],
            E.FIGHT,
        ),
    }
)

# Verbs that end what their object noun names: "suspended cooperation", "cut ties", "froze aid".
REVERSAL_VERBS: Final = frozenset(
    {
        "suspend",
        "halt",
        "end",
        "cut",
        "freeze",
        "break",
        "sever",
        "stop",
        "abandon",
        "scrap",
        "terminate",
        "cancel",
        "postpone",
        "reject",
        "quit",
    }
)
REVERSED: Final = MappingProxyType(
    {
        E.AID: E.SANCTION,
        E.SUPPORT: E.SANCTION,
        E.COOPERATE: E.REJECT,
        E.CONSULT: E.REJECT,
        E.AGREE: E.REJECT,
        E.ASSAULT: E.RETREAT,
        E.FIGHT: E.RETREAT,
        E.SANCTION: E.CONCEDE,
        E.COERCE: E.CONCEDE,
    }
)

# Symmetric event types whose verb still has one acting side: mediators do not consult each other.
ONE_SIDED_VERBS: Final = frozenset({"mediate", "host", "receive", "invite", "broker", "visit", "call"})

# Verbs that only carry the event of their object noun: "held talks", "launched strikes", "signed a deal".
LIGHT_VERBS: Final = frozenset(
    {
        "hold",
        "conduct",
        "launch",
        "carry",
        "sign",
        "reach",
        "conclude",
        "impose",
        "announce",
        "resume",
        "begin",
        "start",
        "open",
        "stage",
        "mount",
        "make",
        "issue",
        "give",
        "have",
        "take",
        "continue",
        "broker",
        "seal",
        "strike",
        "finalize",
        "finalise",
        "agree",
        "pursue",
        "join",
        "enter",
        "order",
        "step",
        "escalate",
        "intensify",
        "expand",
        "deepen",
        "renew",
        "extend",
        "wage",
        "provide",
        "deliver",
        "send",
        "offer",
        "grant",
        "lodge",
        "file",
        "level",
        "express",
        "voice",
        "exchange",
        "trade",
    }
)

# Symmetric events: several subjects and no object means they did it together (code each pair, undirected).
SYMMETRIC: Final = frozenset({E.CONSULT, E.AGREE, E.COOPERATE, E.FIGHT, E.SUPPORT})

DEFAULT_CONTEXT: Final = MappingProxyType(
    {
        E.AGREE: EventContext.DIPLOMATIC,
        E.CONSULT: EventContext.DIPLOMATIC,
        E.SUPPORT: EventContext.DIPLOMATIC,
        E.COOPERATE: EventContext.DIPLOMATIC,
        E.AID: EventContext.HUMANITARIAN,
        E.CONCEDE: EventContext.POLITICAL,
        E.RETREAT: EventContext.MILITARY,
        E.INVESTIGATE: EventContext.LEGAL,
        E.DEMAND: EventContext.DIPLOMATIC,
        E.DISAPPROVE: EventContext.DIPLOMATIC,
        E.REJECT: EventContext.DIPLOMATIC,
        E.THREATEN: EventContext.MILITARY,
        E.PROTEST: EventContext.POLITICAL,
        E.SANCTION: EventContext.ECONOMIC,
        E.MOBILIZE: EventContext.MILITARY,
        E.COERCE: EventContext.MILITARY,
        E.ASSAULT: EventContext.MILITARY,
        E.FIGHT: EventContext.MILITARY,
    }
)

# Words in a sentence that set the context whatever the event type.
CONTEXT_CUES: Final = MappingProxyType(
    {
        **dict.fromkeys(
            [
                "military",
                "troops",
                "army",
                "forces",
                "missile",
                "drone",
                "airstrike",
                "weapons",
                "base",
                "bases",
                "security",
                "nuclear",
                "defence",
                "defense",
            ],
            EventContext.MILITARY,
        ),
        **dict.fromkeys(
            [
                "trade",
                "economic",
                "economy",
                "oil",
                "gas",
                "tariff",
                "tariffs",
                "investment",
                "sanctions",
                "energy",
                "reconstruction",
            ],
            EventContext.ECONOMIC,
        ),
        **dict.fromkeys(
            ["humanitarian", "refugees", "refugee", "aid", "civilians", "hostages", "prisoners"],
            EventContext.HUMANITARIAN,
        ),
        **dict.fromkeys(["court", "legal", "law", "tribunal", "icc", "icj", "indictment"], EventContext.LEGAL),
        **dict.fromkeys(["terrorist", "terrorism", "terror"], EventContext.TERRORISM),
    }
)

# Agent nouns that stand for an actor named elsewhere in the sentence ("cultivating relations with the regime").
AGENT_NOUNS: Final = frozenset(
    {
        "regime",
        "government",
        "authorities",
        "leadership",
        "administration",
        "officials",
        "forces",
        "army",
        "military",
        "counterpart",
        "counterparts",
        "side",
        "troops",
        "militants",
        "fighters",
        "rebels",
        "ministry",
        "cabinet",
    }
)

MODAL_HYPOTHETICAL: Final = frozenset({"may", "might", "could", "would", "should", "can"})
MODAL_FUTURE: Final = frozenset({"will", "shall", "'ll"})
FUTURE_HEADS: Final = frozenset(
    {"plan", "aim", "intend", "prepare", "expect", "seek", "hope", "want", "set", "schedule", "mull", "consider"}
)
LOCATION_PREPOSITIONS: Final = frozenset(
    {"in", "near", "at", "across", "inside", "around", "outside", "throughout", "within"}
)
TARGET_PREPOSITIONS: Final = frozenset(
    {"with", "against", "on", "to", "at", "toward", "towards", "into", "upon", "for", "from"}
)
