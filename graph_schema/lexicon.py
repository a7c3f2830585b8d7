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
            ["agree", "offer", "promise", "pledge", "vow", "invite", "propose", "commit", "consent", "accept", "swear"],
            E.AGREE,
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
                "attend",
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
                "apologize",
                "apologise",
                "forgive",
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
                "extradite",
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
                "contribute",
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
                "pressure",
                "pressurize",
                "pressurise",
                "order",
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
                "summon",
                "criticise",
                "sue",
                "indict",
                "protest_that",
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
        **dict.fromkeys(["protest", "demonstrate", "rally", "march", "riot", "picket"], E.PROTEST),
        # SANCTION
        **dict.fromkeys(
            [
                "sanction",
                "embargo",
                "expel",
                "sever",
                "cut",
                "freeze",
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
                "capture",
                "occupy",
                "annex",
                "jail",
                "imprison",
                "impose",
                "restrict",
                "storm",
                "ban",
                "outlaw",
                "prohibit",
                "disperse",
                "evict",
                "expel_people",
                "force",
                "crack",
                "censor",
                "curb",
                "suppress",
                "repress",
                "extradite_forcibly",
                "retake",
                "recapture",
                "overrun",
                "prevent",
                "deface",
                "hack",
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
                "abduct",
                "kidnap",
                "hijack",
                "torture",
                "beat",
                "abuse",
                "rape",
                "demolish",
                "murder",
                "slay",
                "stab",
                "ambush",
                "gun",
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
                "invitation",
                "consensus",
                "proposal",
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
            [
                "aid",
                "assistance",
                "help",
                "shipment",
                "delivery",
                "funding",
                "loan",
                "donation",
                "grant",
                "asylum",
                "credit",
            ],
            E.AID,
        ),
        **dict.fromkeys(
            ["release", "concession", "amnesty", "exchange_of_prisoners", "disarmament", "dissolution"], E.CONCEDE
        ),
        **dict.fromkeys(["withdrawal", "pullout", "retreat", "de-escalation", "deescalation", "pullback"], E.RETREAT),
        **dict.fromkeys(["investigation", "inquiry", "probe", "inspection"], E.INVESTIGATE),
        **dict.fromkeys(["demand", "request", "appeal", "call_for"], E.DEMAND),
        **dict.fromkeys(
            ["accusation", "criticism", "condemnation", "allegation", "complaint", "disapproval", "denunciation"],
            E.DISAPPROVE,
        ),
        **dict.fromkeys(["rejection", "refusal", "veto", "denial", "opposition"], E.REJECT),
        **dict.fromkeys(["threat", "warning", "ultimatum"], E.THREATEN),
        **dict.fromkeys(
            ["protest", "demonstration", "rally", "riot", "march", "walkout", "sit-in", "boycott"], E.PROTEST
        ),
        **dict.fromkeys(["sanction", "embargo", "expulsion", "blacklist", "tariff"], E.SANCTION),
        **dict.fromkeys(
            ["deployment", "mobilization", "mobilisation", "buildup", "build-up", "reinforcement", "alert", "patrol"],
            E.MOBILIZE,
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
                "curfew",
                "ban",
                "emergency",
                "martial_law",
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
                "abduction",
                "kidnapping",
                "hijacking",
                "torture",
                "bomb",
                "explosion",
                "blast",
                "cleansing",
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
        "lift",
        "ease",
        "relax",
        "shorten",
        "loosen",
        "remove",
        "dismiss",
        "decline",
        "refuse",
        "rebuff",
        "spurn",
    }
)
# Refusals are REJECT whatever they refuse ("rejected a call for talks").
REFUSAL_VERBS: Final = frozenset({"reject", "dismiss", "decline", "refuse", "rebuff", "spurn"})
REVERSED: Final = MappingProxyType(
    {
        E.AID: E.SANCTION,
        E.SUPPORT: E.SANCTION,
        E.COOPERATE: E.SANCTION,  # PLOVER: curtail or break off exchanges, halt negotiations
        E.CONSULT: E.SANCTION,
        E.AGREE: E.REJECT,
        E.ASSAULT: E.RETREAT,
        E.FIGHT: E.RETREAT,
        E.SANCTION: E.CONCEDE,
        E.COERCE: E.CONCEDE,
        E.PROTEST: E.CONCEDE,  # "called off the strike": easing dissent
    }
)
# Phrasal verbs that end what their object names, with their particle: "called off the strike".
PHRASAL_REVERSALS: Final = MappingProxyType({"call": "off", "break": "off", "wind": "down", "roll": "back"})

# Symmetric event types whose verb still has one acting side: mediators do not consult each other.
ONE_SIDED_VERBS: Final = frozenset(
    {
        "mediate",
        "host",
        "receive",
        "invite",
        "broker",
        "visit",
        "call",
        "offer",
        "promise",
        "pledge",
        "vow",
        "propose",
        "commit",
        "undertake",
    }
)

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
        "attend",
        "complete",
        "speed",
        "accelerate",
        "finish",
        "initiate",
        "tighten",
        "strengthen",
        "increase",
        "step_up",
        "undertake",
        "perform",
        "commit_act",
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
        "party",  # "the parties to the conflict"
        "side",
        "troops",
        "militants",
        "fighters",
        "rebels",
        "ministry",
        "cabinet",
        # the lemmas of the plurals above (the parser lemmatises "forces" to "force")
        "authority",
        "official",
        "force",
        "troop",
        "militant",
        "fighter",
        "rebel",
        "soldier",
        "police",
        "policeman",
    }
)

MODAL_HYPOTHETICAL: Final = frozenset({"may", "might", "could", "would", "should", "can"})
MODAL_FUTURE: Final = frozenset({"will", "shall", "'ll"})
FUTURE_HEADS: Final = frozenset(
    {
        "plan",
        "aim",
        "intend",
        "prepare",
        "expect",
        "seek",
        "hope",
        "want",
        "set",
        "schedule",
        "mull",
        "consider",
        "willing",
        "ready",
        "prepared",
        "determined",
        "eager",
        "poised",
        "likely",
    }
)
LOCATION_PREPOSITIONS: Final = frozenset(
    {"in", "near", "at", "across", "inside", "around", "outside", "throughout", "within"}
)
TARGET_PREPOSITIONS: Final = frozenset(
    {"with", "against", "on", "to", "at", "toward", "towards", "into", "upon", "for", "from"}
)

# Verbs of intent: their complement is what is promised or offered ("vowed to retaliate", "offered to mediate").
# PLOVER codes an intent to cooperate as AGREE and an intent to use force or pressure as THREATEN.
INTENT_VERBS: Final = frozenset(
    {"agree", "offer", "promise", "pledge", "vow", "commit", "propose", "consent", "swear", "undertake"}
)
CONFLICTUAL: Final = frozenset({E.THREATEN, E.PROTEST, E.SANCTION, E.MOBILIZE, E.COERCE, E.ASSAULT, E.FIGHT})

# Verbs whose that-clause is the content of the act ("demanded that Egypt reopen the crossing").
SPEECH_ACT_VERBS: Final = frozenset(
    {
        "demand",
        "urge",
        "ask",
        "request",
        "insist",
        "warn",
        "threaten",
        "promise",
        "pledge",
        "vow",
        "agree",
        "propose",
        "accuse",
        "deny",
        "reject",
        "refuse",
        "appeal",
        "press",
        "call",
        "protest",
    }
)

# Verbs that only report: the event is in their complement ("Iran said it would reject the offer").
REPORTING_VERBS: Final = frozenset(
    {
        "say",
        "tell",
        "announce",
        "declare",
        "state",
        "confirm",
        "report",
        "add",
        "reiterate",
        "repeat",
        "stress",
        "emphasize",
        "emphasise",
        "conclude",
        "note",
        "write",
        "argue",
        "maintain",
        "assert",
        "remind",
        "indicate",
        "believe",
        "think",
        "claim",
    }
)
# Modals of obligation in a reported clause make the report a demand ("said Syria must expel the militants").
OBLIGATION_MODALS: Final = frozenset({"must", "should"})

# Pronouns that stand for an actor named earlier in the sentence.
ANAPHORIC_PRONOUNS: Final = frozenset({"it", "they", "he", "she", "we", "its", "their", "his", "her", "our"})

# Mediators are not a side: "X mediated between Y and Z" is X -> Y and X -> Z.
MEDIATION_WORDS: Final = frozenset({"mediate", "mediation", "mediator", "broker"})

# Heads that pass the event of their compound through: "a peace mission", "a rescue effort".
TRANSPARENT_NOUNS: Final = frozenset({"effort", "mission", "bid", "attempt", "campaign", "initiative", "operation"})

# Non-state agents, by sector (the sector classes of CAMEO/PLOVER agent dictionaries; the word list is ours).
# A state's officials, forces and police act for the state; these act on their own account, so an event
# between them and their own state is a domestic event ("Kenyan police detained striking teachers").
NONSTATE_AGENTS: Final = MappingProxyType(
    {
        **dict.fromkeys(
            [
                "rebel",
                "guerrilla",
                "insurgent",
                "militant",
                "separatist",
                "gunman",
                "militia",
                "militiaman",
                "fighter",
                "jihadist",
                "extremist",
                "fundamentalist",
                "nationalist",
                "hacker",
                "bomber",
                "kidnapper",
                "hijacker",
                "assailant",
                "attacker",
                "sniper",
            ],
            "rebels",
        ),
        **dict.fromkeys(
            ["opposition", "dissident", "activist", "protester", "protestor", "demonstrator", "rioter", "striker"],
            "opposition",
        ),
        **dict.fromkeys(
            [
                "worker",
                "union",
                "unionist",
                "employee",
                "farmer",
                "peasant",
                "teacher",
                "nurse",
                "doctor",
                "miner",
                "docker",
                "trucker",
            ],
            "labour",
        ),
        **dict.fromkeys(["student", "youth", "pupil"], "students"),
        **dict.fromkeys(
            [
                "civilian",
                "resident",
                "villager",
                "people",
                "crowd",
                "mob",
                "citizen",
                "national",
                "tribesman",
                "settler",
                "immigrant",
                "migrant",
            ],
            "civilians",
        ),
        **dict.fromkeys(["refugee", "asylum-seeker", "exile"], "refugees"),
        **dict.fromkeys(["loyalist", "royalist"], "loyalists"),
        **dict.fromkeys(["prisoner", "detainee", "hostage", "inmate"], "detainees"),
        **dict.fromkeys(["journalist", "newspaper", "reporter", "publication"], "media"),
    }
)
# Heads whose sector is that of what they lead or belong to ("leaders of the farmers' union").
GROUP_HEADS: Final = frozenset(
    {
        "leader",
        "member",
        "group",
        "supporter",
        "head",
        "chief",
        "spokesman",
        "coalition",
        # quantities: "thousands of nurses", "a band of smugglers"
        "ten",
        "tens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "dozen",
        "dozens",
        "score",
        "scores",
        "number",
        "band",
    }
)

# "strike" is a labour or hunger strike, not an attack, when a modifier says so ("a two-day strike").
PROTEST_STRIKE_MODIFIERS: Final = frozenset(
    {
        "hunger",
        "general",
        "labour",
        "labor",
        "national",
        "nationwide",
        "day",
        "hour",
        "week",
        "open-ended",
        "indefinite",
        "worker",
        "teacher",
        "doctor",
        "student",
        "union",
        "rail",
        "transport",
    }
)
# Obstruction by non-state actors is protest, not coercion (PLOVER PROTEST obstruct).
OBSTRUCT_VERBS: Final = frozenset({"block", "blockade", "obstruct", "barricade", "occupy"})

# A protest lodged or delivered is a diplomatic complaint (DISAPPROVE), not a demonstration.
VERBAL_PROTEST_VERBS: Final = frozenset({"lodge", "file", "issue", "send", "deliver", "register", "voice", "express"})

# A noun event hanging from these prepositions is the event of the clause's subject ("students marched during
# the protests", "the navy was put on alert").
INHERITING_PREPOSITIONS: Final = frozenset({"during", "amid", "through", "in", "on"})
# Noun events whose 'of' phrase is their target ("the siege of the city", "the shelling of Kharkiv").
OF_TARGET_TYPES: Final = frozenset({E.COERCE, E.ASSAULT, E.SANCTION})
# Verbs that carry the event named after one preposition ("took part in the raids").
PREPOSITIONAL_LIGHT_VERBS: Final = MappingProxyType(
    {"engage": "in", "participate": "in", "resort": "to", "take_part": "in", "involve": "in", "put": "under"}
)

# Signing, ratifying or concluding an agreement finalises it: SUPPORT (an agreement reached is AGREE).
FINALISING_VERBS: Final = frozenset({"sign", "ratify", "seal", "conclude", "finalize", "finalise", "initial"})

# Measures a state takes at home: with no target named they bear on its own population.
DOMESTIC_MEASURES: Final = frozenset({"curfew", "emergency", "martial_law", "crackdown"})

# Event types for which people of unnamed nationality are taken to be of the state they face ("police detained
# strikers", "militias clashed with the army"); violence and threats cross borders too often for that.
DOMESTIC_DEFAULT_TYPES: Final = frozenset({E.COERCE, E.CONCEDE, E.PROTEST, E.DEMAND, E.REJECT, E.FIGHT})

# Sectors whose protests and demands, with no addressee named, are addressed to their own state.
CONSTITUENT_SECTORS: Final = frozenset(
    {"opposition", "rebels", "labour", "students", "civilians", "refugees", "detainees"}
)

# Lemmas the small English model gets wrong, mended before look-up.
LEMMA_FIXES: Final = MappingProxyType({"stag": "stage"})

# Event types whose target, when no actor is named, is the country where they happen ("aid deliveries
# suspended in Sanaa", "strikes near Homs").
PLACE_TARGET_TYPES: Final = frozenset({E.ASSAULT, E.COERCE, E.FIGHT, E.MOBILIZE, E.AID, E.SANCTION})

# Subjects that name the weapon or the attack, not who carried it out ("a roadside bomb killed two soldiers"):
# the perpetrator is unknown and, as for any agent of unnamed nationality, placed where the attack happened.
WEAPON_NOUNS: Final = frozenset(
    {
        "bomb",
        "bombing",
        "blast",
        "explosion",
        "device",
        "mine",
        "landmine",
        "rocket",
        "missile",
        "mortar",
        "shell",
        "grenade",
        "attack",
        "ambush",
        "gunfire",
        "shot",
        "sniper_fire",
        "car_bomb",
    }
)

# Place nouns whose nationality adjective or 'of' phrase locates an event ("in the Iraqi city of Basra",
# "in the suburbs of Damascus").
PLACE_NOUNS: Final = frozenset(
    {
        "city",
        "town",
        "village",
        "capital",
        "province",
        "region",
        "district",
        "area",
        "border",
        "suburb",
        "outskirts",
        "sector",
        "port",
        "camp",
        "territory",
        "part",
        "state",
        "county",
        "neighbourhood",
        "neighborhood",
        "quarter",
        "heart",
        "centre",
        "center",
        "north",
        "south",
        "east",
        "west",
    }
)

# Event types kept between two different agents of one state (a judge and a former president, a ministry and a
# party) as a domestic event; meetings, support and cooperation inside one state are not dyads of interest.
DOMESTIC_AGENT_TYPES: Final = frozenset(
    {E.COERCE, E.CONCEDE, E.DEMAND, E.REJECT, E.DISAPPROVE, E.INVESTIGATE, E.PROTEST, E.RETREAT}
)

# Verbs of readiness: with an armed act as their complement they are a mobilisation ("the army prepared to
# attack"), an increase in readiness short of the use of force.
READINESS_VERBS: Final = frozenset({"prepare", "ready", "gear"})

# Taking ground is fighting (conventional military force); taking people or property is coercion.
TAKEOVER_VERBS: Final = frozenset({"capture", "seize", "retake", "recapture", "overrun", "storm"})
TERRITORY_NOUNS: Final = frozenset(
    {
        "town",
        "city",
        "village",
        "territory",
        "stronghold",
        "base",
        "hill",
        "hilltop",
        "position",
        "outpost",
        "garrison",
        "airport",
        "airfield",
        "port",
        "district",
        "province",
        "region",
        "capital",
        "area",
        "border",
        "crossing",
        "bridge",
        "fort",
        "headquarters",
        "valley",
        "island",
        "ridge",
        "enclave",
        "pocket",
    }
)

# Nouns of a message whose that-clause can state an obligation ("issued a reminder to Iraq that it must
# cooperate"): with a light verb they are a DEMAND, as a reporting verb with such a clause is.
MESSAGE_NOUNS: Final = frozenset({"reminder", "message", "statement", "letter", "note", "notice", "declaration"})

# Modifier prefixes that make a country name an attitude, not a nationality ("an anti-Syria journalist").
ATTITUDE_PREFIXES: Final = frozenset({"anti", "pro"})

# Events whose purpose clause says what they were for and against whom ("opened fire to disperse the crowd",
# "went on strike to protest the tax"): the clause folds into the event, as a complement does.
PURPOSE_TYPES: Final = frozenset({E.PROTEST, E.FIGHT, E.ASSAULT, E.COERCE, E.MOBILIZE})

# Verbs of permission: their clause is what is allowed and its subject who is allowed ("allowed Ouattara to
# run").
PERMISSION_VERBS: Final = frozenset({"allow", "permit", "let", "authorize", "authorise", "enable", "forbid"})

# Event types that, in a passive with no agent, are the acts of the authorities where they happen ("was
# arrested in Egypt", "was put under investigation in Italy").
AUTHORITY_TYPES: Final = frozenset({E.COERCE, E.INVESTIGATE})

# Nouns of a stance whose 'of'/'against' phrase names what a protest is against ("in defiance of Beijing").
STANCE_NOUNS: Final = frozenset({"defiance", "protest", "opposition", "solidarity", "response"})
