"""Flash: every form of a call the seeds and the wild use, and the sentences that must not be one."""

from __future__ import annotations

import pytest

from ingester.classify.flash import flash_rule

from .cases import post, views

LAB_GAIN_FROM_CON = ("LAB", "gain", "CON")


def calls(body: str, headline: str | None = None) -> list[tuple[object, ...]]:
    return [view[1:] for view in views(flash_rule(post(body, headline), ()))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Labour gain Mid Derbyshire", [("Mid Derbyshire", "LAB", "gain", None, None, None)]),
        ("LABOUR GAIN Mid Derbyshire", [("Mid Derbyshire", "LAB", "gain", None, None, None)]),
        ("Labour gains Mid Derbyshire from the Conservatives.",
         [("Mid Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("Labour gain Mid Derbyshire as Jonathan Davies defeats Luke Gardiner from the Conservative party.",
         [("Mid Derbyshire", *LAB_GAIN_FROM_CON, "Jonathan Davies", "Luke Gardiner")]),
        ("Labour's Louise Jones wins North East Derbyshire from Lee Rowley of the Conservatives with an "
         "advantage of less than 2,000 votes.",
         [("North East Derbyshire", *LAB_GAIN_FROM_CON, "Louise Jones", "Lee Rowley")]),
        ("Labour take Erewash, Derbyshire Dales, Bolsover, High Peak and Amber Valley from the Tories",
         [(seat, *LAB_GAIN_FROM_CON, None, None)
          for seat in ("Erewash", "Derbyshire Dales", "Bolsover", "High Peak", "Amber Valley")]),
        ("Derby North, South Derbyshire, Mid Derbyshire and North East Derbyshire also change from blue to red",
         [(seat, *LAB_GAIN_FROM_CON, None, None)
          for seat in ("Derby North", "South Derbyshire", "Mid Derbyshire", "North East Derbyshire")]),
        ("Derby South and Chesterfield remain under Labour control",
         [("Derby South", "LAB", "hold", None, None, None), ("Chesterfield", "LAB", "hold", None, None, None)]),
        ("Bolsover stays red", [("Bolsover", "LAB", "hold", None, None, None)]),
        ("Clacton switches from blue to turquoise", [("Clacton", "REF", "gain", "CON", None, None)]),
        ("Bolsover falls to Labour", [("Bolsover", "LAB", "gain", None, None, None)]),
        ("Labour wins in Chesterfield as Toby Perkins keeps his seat",
         [("Chesterfield", "LAB", "hold", None, "Toby Perkins", None)]),
        ("Mid Derbyshire: Labour gain from Conservative", [("Mid Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("Mid Derbyshire - LAB GAIN FROM CON", [("Mid Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("NE Derbyshire: Lab gain from Con", [("North East Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("Conservatives hold Derbyshire Dales", [("Derbyshire Dales", "CON", "hold", None, None, None)]),
        ("Labour retains Derby South", [("Derby South", "LAB", "hold", None, None, None)]),
        ("Labour holds on to Derby South", [("Derby South", "LAB", "hold", None, None, None)]),
        ("Reform UK seizes Clacton", [("Clacton", "REF", "gain", None, None, None)]),
        ("Lib Dems snatch Chelmsford from the Tories", [("Chelmsford", "LD", "gain", "CON", None, None)]),
        ("Plaid Cymru gain Ynys Môn from Conservative", [("Ynys Môn", "PC", "gain", "CON", None, None)]),
        ("Sinn Féin hold Belfast West", [("Belfast West", "SF", "hold", None, None, None)]),
        ("Independent gain Leicester South from Labour", [("Leicester South", "IND", "gain", "LAB", None, None)]),
        ("Green Party gains Brighton Pavilion", [("Brighton Pavilion", "GRN", "gain", None, None, None)]),
        ("Labour candidate Natalie Fleet has won Bolsover from the Conservatives.",
         [("Bolsover", *LAB_GAIN_FROM_CON, "Natalie Fleet", None)]),
        ("Toby Perkins (Lab) has been re-elected as MP for Chesterfield",
         [("Chesterfield", "LAB", "hold", None, "Toby Perkins", None)]),
        ("Labour gain Mid-Derbyshire.", [("Mid Derbyshire", "LAB", "gain", None, None, None)]),
        ("LABOUR GAIN MID DERBYSHIRE FROM CONSERVATIVES", [("Mid Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("Chesterfield: LAB HOLD", [("Chesterfield", "LAB", "hold", None, None, None)]),
        ("Labour Co-op gain Derby North", [("Derby North", "LAB", "gain", None, None, None)]),
        ("Speaker holds Chorley", [("Chorley", "SPK", "hold", None, None, None)]),
    ],
)  # fmt: skip
def test_calls(text: str, expected: list[tuple[object, ...]]) -> None:
    assert calls(text) == expected


def test_sentences_of_one_post_fill_each_other() -> None:
    body = (
        "Toby Perkins has kept his Chesterfield seat as he receives 19, 316 votes defeating Conservatives’ "
        "Ben Flook who picked up 8,496 votes"
    )
    headline = "Labour wins in Chesterfield as Toby Perkins keeps his seat"
    assert calls(body, headline) == [("Chesterfield", "LAB", "hold", None, "Toby Perkins", "Ben Flook")]
    # the body alone names no party: no flash
    assert calls(body) == []


def test_a_line_that_is_only_a_call_is_about_the_pages_seat() -> None:
    page = "UK results\n\nLuton North\n\nParliamentary constituency\nLAB HOLD LAB HOLD\n\nResults\n\nLAB HOLD"
    assert calls(page) == [("Luton North", "LAB", "hold", None, None, None)]
    assert calls("LAB GAIN FROM CON", headline="Bolsover") == [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]
    assert calls("LAB HOLD") == []  # no page seat: nothing to call


def test_one_flash_per_seat_with_the_details_of_every_mention() -> None:
    body = "Labour gain Mid Derbyshire as Jonathan Davies defeats Luke Gardiner from the Conservative party."
    assert calls(body, headline="Labour gain Mid Derbyshire") == [
        ("Mid Derbyshire", *LAB_GAIN_FROM_CON, "Jonathan Davies", "Luke Gardiner")
    ]


def test_conflicting_calls_keep_the_first() -> None:
    assert calls("Labour gain Bolsover. Conservatives hold Bolsover.") == [
        ("Bolsover", "LAB", "gain", None, None, None)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Labour could win Derbyshire Dales",
        "Labour is on course to gain Bolsover",
        "The exit poll suggests Labour gain Bolsover",
        "Labour are predicted to take Erewash from the Conservatives",
        "We're predicted to win 13 seats and who knows, maybe ones in Derby?",
        "They are neck-and-neck with Labour in Derby South.",
        "Labour hopes to gain High Peak",
        "Labour will not win Derbyshire Dales",
        "If Labour take Erewash, it will be a landslide",
        "The county's first count to declare in 2019 was Erewash, which re-elected Conservative Maggie Throup "
        "at 03:09 GMT.",
        "In 2019 Conservatives gained Bolsover from Labour.",
        "On paper, this is an easy Tory hold - but this election is not a normal one.",
        "Heather Wheeler has been in post here since 2010 and holds Derbyshire's biggest majority of more than 19,000.",
        "the incumbent held a majority of 19,000",
        "Labour takes all seats across Derbyshire as Derbyshire Dales results announced",
        "Labour have already taken 368 seats nationally",
        "Kelda Boothroyd, Green party candidate for Derbyshire Dales, admits she won't win",
        "Labour wins Chesterfield",
        "Labour gain",
        "Derbyshire turns completely red",
        "The Tories will be hoping their vote holds up in the Derby City Council wards",
        "This means Conservatives lost eight seats and Derbyshire Dales, where the party is defending massive "
        "majority, remains their only hope.",
        "Labour gain from Conservative",
        "Labour gain Derbyshire's biggest prize",
    ],
)
def test_not_calls(text: str) -> None:
    assert calls(text) == []
