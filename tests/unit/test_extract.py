"""Extraction behaviours pinned on sentences written for these tests (real spaCy model and registry)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Brief, Interaction, InteractionRecord, Section
from core.registry import ActorRegistry
from graph_schema.ontology import EventMode, EventType
from ingest.extraction import Extractor, load_nlp, resolve_date
from services.queries import summarise

pytestmark = pytest.mark.model

DAY = dt.date(2025, 4, 10)


@pytest.fixture(scope="session")
def extractor(registry: ActorRegistry) -> Extractor:
    return Extractor(registry, load_nlp())


def _one(interactions: list[Interaction], source: str, target: str, event_type: EventType | None = None) -> Interaction:
    """The interaction between source and target (either order when undirected), of that type if given."""
    found = [
        i
        for i in interactions
        if (
            (i.source_id, i.target_id) == (source, target)
            or (not i.directed and {i.source_id, i.target_id} == {source, target})
        )
        and (event_type is None or i.event_type is event_type)
    ]
    assert found, [(i.source_id, i.target_id, i.event_type.value, i.trigger) for i in interactions]
    return found[0]


def _brief(brief_id: str, text: str, date: dt.date = DAY) -> Brief:
    return Brief(
        id=brief_id,
        title=brief_id,
        date=date,
        source="test",
        sections=(Section(name="body", text=text),),
        content_hash="",
    )


# ---------------------------------------------------------------------------------------------- roles


def test_compound_actors_holding_talks_are_an_undirected_pair(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Turkish and Israeli officials held talks in Baku on Monday.", DAY)
    talks = _one(found, "ISR", "TUR", EventType.CONSULT)
    assert not talks.directed
    assert talks.location is not None and "Azerbaijan" in talks.location


def test_passive_voice_takes_the_agent_as_source(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Hezbollah positions were struck by Israeli jets overnight.", DAY)
    strike = _one(found, "ISR", "group:hezbollah", EventType.ASSAULT)
    assert strike.directed


def test_possessive_agent_and_demonym_target(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Egypt's foreign minister condemned the Israeli raid.", DAY)
    assert _one(found, "EGY", "ISR", EventType.DISAPPROVE).directed


def test_demonym_official_and_plural_demonym(extractor: Extractor) -> None:
    official = extractor.extract_sentence("A Jordanian official criticised Iran on Sunday.", DAY)
    _one(official, "JOR", "IRN", EventType.DISAPPROVE)
    plural = extractor.extract_sentence("Syrians welcomed the Turkish delegation.", DAY)
    _one(plural, "SYR", "TUR", EventType.SUPPORT)


def test_mediator_is_a_source_not_a_side(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Qatar mediated between Israel and Hamas.", DAY)
    assert {(i.source_id, i.target_id) for i in found} == {("QAT", "ISR"), ("QAT", "group:hamas")}
    assert all(i.directed and i.event_type is EventType.CONSULT for i in found)


# ---------------------------------------------------------------------------------------------- complements


def test_reporting_verb_does_not_hide_the_event(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Iran said it would reject the proposal by the United States.", DAY)
    reject = _one(found, "IRN", "USA", EventType.REJECT)
    assert reject.mode is EventMode.HYPOTHETICAL


def test_intent_to_use_force_is_a_threat_not_an_attack(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Hezbollah vowed to attack Israel.", DAY)
    assert [(i.source_id, i.target_id, i.event_type) for i in found] == [("group:hezbollah", "ISR", EventType.THREATEN)]


def test_demand_addressed_through_a_that_clause(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Turkey demanded that Israel halt its strikes in Syria.", DAY)
    assert _one(found, "TUR", "ISR", EventType.DEMAND)
    assert not any(i.event_type is EventType.RETREAT for i in found)


def test_domestic_event_between_a_state_and_its_protesters(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Egyptian police arrested dozens of protesters in Cairo.", DAY)
    arrest = _one(found, "EGY", "EGY", EventType.COERCE)
    assert arrest.directed


def test_security_forces_placed_by_a_locative(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Security forces in Chad beat several Nigerian traders.", DAY)
    assert _one(found, "TCD", "NGA", EventType.ASSAULT).directed


def test_attack_with_no_named_perpetrator_is_placed_where_it_happened(extractor: Extractor) -> None:
    bomb = extractor.extract_sentence("A landmine killed two Kenyan soldiers in Somalia on Friday.", DAY)
    assert _one(bomb, "SOM", "KEN", EventType.ASSAULT).directed
    passive = extractor.extract_sentence("Four Malian soldiers were killed in an explosion in the Iraqi city of Mosul.")
    assert _one(passive, "IRQ", "MLI", EventType.ASSAULT)
    # with no place named there is no one to place the attack on
    assert not extractor.extract_sentence("A landmine killed two Kenyan soldiers on Friday.", DAY)


def test_two_agents_of_one_state_make_a_domestic_event(extractor: Extractor) -> None:
    found = extractor.extract_sentence("A Peruvian court ordered Alberto Fujimori to stand trial.")
    demand = _one(found, "PER", "PER", EventType.DEMAND)
    assert demand.target_agent == "person:alberto-fujimori"
    # two mentions of the state itself are one side, not an event
    assert not extractor.extract_sentence("Peru said Peru would arrest no one.", DAY)


def test_a_leader_and_his_movement_or_a_state_and_its_army_are_one_side(extractor: Extractor) -> None:
    leader = extractor.extract_sentence("Abdullah Ocalan urged the PKK to lay down its arms.", DAY)
    assert not any(i.source_id == i.target_id for i in leader)
    army = extractor.extract_sentence("Turkey ordered the Turkish army to leave the border area.", DAY)
    assert not any(i.source_id == i.target_id == "TUR" for i in army)


def test_permission_names_who_is_allowed(extractor: Extractor) -> None:
    found = extractor.extract_sentence("A Peruvian court allowed Alberto Fujimori to leave the country.")
    assert _one(found, "PER", "PER", EventType.CONCEDE).target_agent == "person:alberto-fujimori"


def test_arrest_with_no_agent_is_by_the_authorities_of_the_place(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Two Turkish journalists were arrested in Egypt on Monday.", DAY)
    assert _one(found, "EGY", "TUR", EventType.COERCE).directed


def test_protest_in_defiance_of_someone_targets_them(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Kenyan students marched in defiance of the Ugandan authorities.", DAY)
    assert _one(found, "KEN", "UGA", EventType.PROTEST)


def test_a_region_gives_rebels_their_country(extractor: Extractor) -> None:
    found = extractor.extract_sentence("The Sudanese army accused Darfur rebels of breaking the truce.", DAY)
    assert _one(found, "SDN", "SDN", EventType.DISAPPROVE)


def test_own_forces_do_not_stand_for_another_state(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Syria withdrew its forces a day after Israeli jets bombed Damascus.", DAY)
    assert not any(i.event_type is EventType.RETREAT and i.target_id == "ISR" for i in found)


def test_ending_a_measure_or_a_strike_is_a_concession(extractor: Extractor) -> None:
    emergency = extractor.extract_sentence("The Chadian government lifted the state of emergency in the east.", DAY)
    assert _one(emergency, "TCD", "TCD", EventType.CONCEDE)
    strike = extractor.extract_sentence("Kenyan nurses called off their three-day strike on Monday.", DAY)
    assert _one(strike, "KEN", "KEN", EventType.CONCEDE)
    called = extractor.extract_sentence("Kenyan nurses called a three-day strike on Monday.", DAY)
    assert not any(i.event_type is EventType.CONCEDE for i in called)


def test_readiness_for_an_attack_is_a_mobilisation(extractor: Extractor) -> None:
    found = extractor.extract_sentence("The Ethiopian army prepared to attack Eritrean positions.", DAY)
    assert [(i.source_id, i.target_id, i.event_type, i.mode) for i in found] == [
        ("ETH", "ERI", EventType.MOBILIZE, EventMode.ASSERTED)
    ]


def test_taking_ground_is_fighting_and_taking_people_is_coercion(extractor: Extractor) -> None:
    town = extractor.extract_sentence("Ethiopian troops captured a town in Eritrea after heavy fighting.", DAY)
    assert _one(town, "ETH", "ERI", EventType.FIGHT)
    people = extractor.extract_sentence("Ethiopian troops captured three Eritrean soldiers.", DAY)
    assert _one(people, "ETH", "ERI", EventType.COERCE)
    held = extractor.extract_sentence("Chadian troops seized a rebel stronghold after two days.", DAY)
    assert _one(held, "TCD", "TCD", EventType.FIGHT)  # the rebels holding it, of the state they fight


def test_obligation_stated_in_a_message_is_a_demand(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Norway sent a message to Sudan that it must free the aid workers.", DAY)
    assert _one(found, "NOR", "SDN", EventType.DEMAND)
    pushed = extractor.extract_sentence("Norway is pressing for Sudan to open its border crossings.", DAY)
    assert _one(pushed, "NOR", "SDN", EventType.DEMAND)


def test_a_city_locates_the_victims_of_an_attack(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Two Palestinian gunmen wounded five people in Haifa on Tuesday.", DAY)
    assert _one(found, "PSE", "ISR", EventType.ASSAULT).directed


def test_title_and_surname_resolve_to_the_office_holder(extractor: Extractor) -> None:
    found = extractor.extract_sentence("President Carter criticised Iran on Monday.", dt.date(1980, 1, 7))
    criticism = _one(found, "USA", "IRN", EventType.DISAPPROVE)
    assert criticism.source_agent == "person:jimmy-carter"


def test_purpose_clause_gives_the_use_of_force_its_target(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Kenyan police opened fire to disperse striking teachers.", DAY)
    assert found[0].event_type is EventType.FIGHT
    assert (found[0].source_id, found[0].target_id) == ("KEN", "KEN")


def test_event_noun_in_a_list_of_objects(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Ethiopian forces launched artillery and rocket fire against Eritrea.", DAY)
    assert found[0].event_type is EventType.FIGHT
    assert (found[0].source_id, found[0].target_id) == ("ETH", "ERI")


def test_attitude_prefix_is_not_a_nationality(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Lebanese police arrested an anti-Iran activist in Beirut.", DAY)
    assert _one(found, "LBN", "LBN", EventType.COERCE)
    assert not any("IRN" in (i.source_id, i.target_id) for i in found)


# ---------------------------------------------------------------------------------------------- mode


def test_negation(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Iran did not attend the talks with the United States.", DAY)
    assert _one(found, "IRN", "USA", EventType.CONSULT).mode is EventMode.NEGATED


def test_hypothetical_and_future(extractor: Extractor) -> None:
    talks = extractor.extract_sentence("Talks between Israel and Syria may resume next week.", DAY)
    assert _one(talks, "ISR", "SYR", EventType.CONSULT).mode is EventMode.HYPOTHETICAL
    withdraw = extractor.extract_sentence("Israel will withdraw its troops from Lebanon.", DAY)
    assert _one(withdraw, "ISR", "LBN", EventType.RETREAT).mode is EventMode.FUTURE


# ---------------------------------------------------------------------------------------------- dates, roles, places


def test_relative_date_against_the_brief_date(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Israeli jets struck Hezbollah positions yesterday.", DAY)
    assert _one(found, "ISR", "group:hezbollah", EventType.ASSAULT).date == dt.date(2025, 4, 9)
    assert resolve_date("on Monday", DAY) == dt.date(2025, 4, 7)


def test_official_rolls_up_to_the_state_on_the_date(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Tzachi Hanegbi met Turkish officials in Baku.", DAY)
    meeting = _one(found, "ISR", "TUR", EventType.CONSULT)
    assert meeting.source_agent == "person:tzachi-hanegbi"
    assert meeting.date == DAY


def test_location_of_a_strike(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Israeli aircraft bombed weapons depots near Palmyra in Syria.", DAY)
    strike = _one(found, "ISR", "SYR", EventType.ASSAULT)
    assert strike.location is not None and "Palmyra" in strike.location


def test_extraction_is_deterministic(extractor: Extractor) -> None:
    text = "Turkish and Israeli officials held talks in Baku. Hezbollah vowed to attack Israel."
    first = extractor.extract(_brief("b", text))
    second = extractor.extract(_brief("b", text))
    assert first == second


# ---------------------------------------------------------------------------------------------- corroboration


def test_same_event_in_two_briefs_shares_its_key(extractor: Extractor) -> None:
    """One brief names the official, another the states; one says who met whom, another that both met."""
    reports = [
        extractor.extract(_brief("a", "Tzachi Hanegbi met Turkish officials in Baku on April 9.")),
        extractor.extract(_brief("b", "Israeli officials met their Turkish counterparts in Baku on April 9.")),
        extractor.extract(_brief("c", "Turkish and Israeli officials met in Baku on April 9.")),
    ]
    meetings = [_one(list(r.interactions), "ISR", "TUR", EventType.CONSULT) for r in reports]
    assert {m.date for m in meetings} == {dt.date(2025, 4, 9)}
    assert len({m.event_key for m in meetings}) == 1
    # another day, another type or another dyad is another event
    other_day = extractor.extract(_brief("d", "Tzachi Hanegbi met Turkish officials in Baku on April 2."))
    strike = extractor.extract(_brief("e", "Israeli jets struck Hezbollah positions on April 9."))
    assert _one(list(other_day.interactions), "ISR", "TUR").event_key != meetings[0].event_key
    assert _one(list(strike.interactions), "ISR", "group:hezbollah").event_key != meetings[0].event_key

    records = [
        InteractionRecord(interaction=i, source_name=i.source_id, target_name=i.target_id, brief_title=i.brief_id)
        for i in [*meetings, _one(list(other_day.interactions), "ISR", "TUR")]
    ]
    assert summarise(records).corroborated_events == 1


def test_directed_event_key_keeps_direction(extractor: Extractor) -> None:
    one = extractor.extract(_brief("a", "Israeli jets struck Hezbollah positions on April 9."))
    two = extractor.extract(_brief("b", "Hezbollah positions were struck by Israel on April 9."))
    back = extractor.extract(_brief("c", "Hezbollah fighters struck Israeli positions on April 9."))
    key = _one(list(one.interactions), "ISR", "group:hezbollah").event_key
    assert _one(list(two.interactions), "ISR", "group:hezbollah").event_key == key
    assert _one(list(back.interactions), "group:hezbollah", "ISR").event_key != key


def test_a_town_the_parser_takes_for_a_person_is_no_actor(extractor: Extractor) -> None:
    """spaCy's small model tags some towns PERSON; a name in the place index locates events and never acts."""
    text = "Hezbollah rockets struck Kiryat Shmona on Monday. Residents of Ashrafiyat Sahnaya protested."
    extracted = extractor.extract(_brief("towns", text))
    assert not [a.id for a in extracted.actors if a.id.startswith("person:")]
    assert {a.id for a in extracted.actors} >= {"group:hezbollah"}
