"""Detection rules for what careful readers miss, each on sentences written for it (none from the corpus).

Each test feeds invented Scottish-study sentences and checks the identifying details are suggested
whole, and that the ordinary words around them are not.
"""

from __future__ import annotations

from jswcoder.anonymise.detect import Candidate, suggest
from jswcoder.anonymise.gazetteer import load_gazetteer


def found(*texts: str) -> dict[str, Candidate]:
    return {c.text: c for c in suggest(list(texts))}


def test_accented_gaelic_names_and_multi_word_names_with_particles() -> None:
    got = found(
        "My worker was Ùisdean and he came out every week.\n"
        "Eòghann said the same. She grew up in Baile a' Mhanaich before the move.\n"
        "We sent him to Tobar na Màthar for the housing side, and I met Seònaid Nic an t-Saoir there."
    )
    names = {"Ùisdean", "Eòghann", "Baile a' Mhanaich", "Tobar na Màthar", "Seònaid Nic an t-Saoir"}
    assert names <= set(got)
    assert got["Baile a' Mhanaich"].category == "PLACE"
    assert not {"She", "We", "My"} & set(got)


def test_vehicle_registrations_in_current_prefix_and_suffix_forms() -> None:
    got = found(
        "He was lifted in a grey Corsa, RV21 KPN, outside the chippy. "
        "His brother's old van was L482 TSX and the caravan's plate said DSK 77H. "
        "Postcodes like FK8 2QA, roads like the A9 and 240 hours of unpaid work are not plates."
    )
    plates = {c.text for c in got.values() if c.replacement == "[VEHICLE REGISTRATION]"}
    assert plates == {"RV21 KPN", "L482 TSX", "DSK 77H"}


def test_names_with_no_break_thin_and_narrow_spaces_inside() -> None:
    got = found(
        "He did eight months in HMP\u00a0Low\u00a0Moss, then the move to Low\u2009Moss annexe fell through. "
        "His lawyer was at Dundee\u202fSheriff\u202fCourt all week with Fiona\u00a0Strachan."
    )
    assert got["HMP\u00a0Low\u00a0Moss"].category == "PRISON"
    assert got["Low\u2009Moss"].category == "PRISON"
    assert got["Dundee\u202fSheriff\u202fCourt"].category == "COURT"
    assert got["Fiona\u00a0Strachan"].category == "PERSON"


def test_the_and_a_nickname_or_initialism_is_a_place_or_service() -> None:
    got = found(
        "She's from the Blue Toon originally but moved to the Broch for work.\n"
        "They kept him in the RAH overnight. RAH staff were good.\n"
        "His UPW hours and the CPO were sorted by the Council and the NHS."
    )
    assert got["the Broch"].category == "PLACE"
    assert got["the RAH"].category == got["RAH"].category == "ORG"
    assert not {"the UPW", "the CPO", "UPW", "CPO", "the NHS", "the Council"} & set(got)


def test_ordinary_words_and_an_organisation_word_name_an_organisation() -> None:
    got = found(
        "She had support from Women's Aid for a while, and her lunches from Second Chance Kitchen.\n"
        "On Fridays he goes along to Open Door Recovery Café with his sister.\n"
        "Social Work were slow. Good lunches, mind."
    )
    for name in ("Women's Aid", "Second Chance Kitchen", "Open Door Recovery Café"):
        assert got[name].category == "ORG"
    assert not {"Social Work", "Social", "Good"} & set(got)


def test_listed_first_names_and_full_names_of_everyday_words() -> None:
    got = found(
        "Craig said he'd phone the sheriff clerk. Megan was on leave that week.\n"
        "It was Grace Hunter who chaired the panel, with Rose Bell taking notes.\n"
        "Will you sign here? Mark the box and we'll mark the rest later. Don't worry about it.\n"
        "Grant Fleming the extension, the sheriff said, and he did."
    )
    assert {"Craig", "Megan", "Grace Hunter", "Rose Bell"} <= set(got)
    assert got["Grace Hunter"].category == got["Craig"].category == "PERSON"
    assert not {"Will", "Mark", "Don", "It", "Grant", "Grant Fleming"} & set(got)


def test_name_lists_are_built_from_a_licensed_source_and_hold_gaelic_forms() -> None:
    gaz = load_gazetteer()
    assert {"Ùisdean", "Seònaid", "Siobhan", "Callum"} <= gaz.first_names
    assert {"MacLeòid", "Murray", "Strachan", "Love"} <= gaz.surnames
    assert not (gaz.first_names | gaz.surnames) & gaz.stop


def test_a_region_inside_a_longer_organisation_name_gives_the_whole_name() -> None:
    got = found(
        "Most of our referrals come from Argyll and Bute Rape Crisis Centre and from "
        "Dumfries and Galloway Women's Aid, and a few from Perth and Kinross Community Food Larder."
    )
    for name in (
        "Argyll and Bute Rape Crisis Centre",
        "Dumfries and Galloway Women's Aid",
        "Perth and Kinross Community Food Larder",
    ):
        assert got[name].category == "ORG"
