"""Copy keys and the choice of origin (ingest/copies.py): exact copies share every key, near copies share a
band and pass the rapidfuzz check, different texts share nothing."""

from __future__ import annotations

from ingest import copies

WIRE = (
    "Chinese and Japanese diplomats met in Beijing on Friday to discuss the ban on seafood imports that China "
    "imposed after treated water was released from the Fukushima plant. Officials said the talks were frank and "
    "that both sides agreed to keep discussing monitoring arrangements for the discharge in the coming months."
)
REPOST = WIRE.replace("on Friday", "on Friday,") + " Reporting by a wire service."
OTHER = (
    "Voters in Moldova narrowly approved a referendum on joining the European Union, while the presidential "
    "election went to a second round after no candidate won a majority of the votes cast on Sunday."
)


def keys(text: str) -> tuple[str, ...]:
    return copies.copy_keys(copies.body_text(text))


def test_exact_copies_share_every_key_whatever_case_spacing_and_punctuation() -> None:
    shouting = WIRE.upper().replace(". ", ".\n\n  ")
    assert keys(shouting) == keys(WIRE)
    assert len(keys(WIRE)) == 1 + copies.BANDS
    assert keys(WIRE)[0].startswith(copies.EXACT_PREFIX)


def test_a_reposted_copy_shares_a_band_and_is_a_near_copy() -> None:
    shared = set(keys(WIRE)) & set(keys(REPOST))
    assert shared and keys(WIRE)[0] not in shared
    assert copies.near_copies(copies.body_text(WIRE), copies.body_text(REPOST))


def test_different_texts_share_no_key_and_are_not_near_copies() -> None:
    assert not set(keys(WIRE)) & set(keys(OTHER))
    assert not copies.near_copies(copies.body_text(WIRE), copies.body_text(OTHER))


def test_short_and_empty_texts_still_get_keys() -> None:
    assert len(keys("Talks held.")) == 1 + copies.BANDS
    assert keys("") == (copies.exact_key(""),)


def test_origin_is_the_first_verified_candidate_else_its_own() -> None:
    body = copies.body_text(REPOST)
    own = keys(REPOST)
    bodies = {"wire": copies.body_text(WIRE), "other": copies.body_text(OTHER)}
    near = copies.Candidate(brief_id="wire", origin="x:wire", shared=3, exact=False)
    false_hit = copies.Candidate(brief_id="other", origin="x:other", shared=5, exact=False)
    exact = copies.Candidate(brief_id="same", origin="x:same", shared=1, exact=True)
    assert copies.choose_origin(own, body, [false_hit, near], bodies.get) == "x:wire"
    assert copies.choose_origin(own, body, [near, exact], bodies.get) == "x:same"  # exact copies first
    assert copies.choose_origin(own, body, [false_hit], bodies.get) == own[0]
    assert copies.choose_origin(own, body, [], bodies.get) == own[0]
