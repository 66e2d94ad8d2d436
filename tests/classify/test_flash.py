"""Flash: every form of a call the seeds and the wild use, and the sentences that must not be one."""

from __future__ import annotations

import pytest
from hypothesis import given

from ingester.classify._text import Sentence
from ingester.classify.flash import _may_call, flash_rule, sentence_calls
from ingester.classify.places import DEFAULT

from .cases import phrases, post, views

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
    ("text", "expected"),
    [
        # names with commas: one seat, unless the list has a shape no single name has
        ("Labour gain Motherwell, Wishaw and Carluke",
         [("Motherwell, Wishaw and Carluke", "LAB", "gain", None, None, None)]),
        ("Lib Dems take Caithness, Sutherland and Easter Ross from the SNP",
         [("Caithness, Sutherland and Easter Ross", "LD", "gain", "SNP", None, None)]),
        ("Jess Phillips holds Birmingham, Yardley for Labour",
         [("Birmingham, Yardley", "LAB", "hold", None, "Jess Phillips", None)]),
        ("Stone, Great Wyrley and Penkridge: Conservative hold",
         [("Stone, Great Wyrley and Penkridge", "CON", "hold", None, None, None)]),
        ("Ayr, Carrick and Cumnock falls to Labour", [("Ayr, Carrick and Cumnock", "LAB", "gain", None, None, None)]),
        ("Oldham West, Chadderton and Royton was held by Labour",
         [("Oldham West, Chadderton and Royton", "LAB", "hold", None, None, None)]),
        ("Labour take Erewash, Bolsover, High Peak and Amber Valley from the Tories",
         [(seat, *LAB_GAIN_FROM_CON, None, None) for seat in ("Erewash", "Bolsover", "High Peak", "Amber Valley")]),
        ("Labour take Erewash, Bolsover, and High Peak from the Tories",  # the comma before "and": a list
         [(seat, *LAB_GAIN_FROM_CON, None, None) for seat in ("Erewash", "Bolsover", "High Peak")]),
        ("Meanwhile, Bolsover and Erewash were gained by Labour",
         [("Bolsover", "LAB", "gain", None, None, None), ("Erewash", "LAB", "gain", None, None, None)]),
        # long names, small words, possessives
        ("Labour gain Doncaster East and the Isle of Axholme",
         [("Doncaster East and the Isle of Axholme", "LAB", "gain", None, None, None)]),
        ("Doncaster East and the Isle of Axholme: Labour gain from Conservative",
         [("Doncaster East and the Isle of Axholme", *LAB_GAIN_FROM_CON, None, None)]),
        ("Labour hold Queen's Park and Maida Vale", [("Queen's Park and Maida Vale", "LAB", "hold", None, None, None)]),
        ("Conservatives hold The Wrekin", [("The Wrekin", "CON", "hold", None, None, None)]),
        ("Labour hold Kingston upon Hull East", [("Kingston upon Hull East", "LAB", "hold", None, None, None)]),
        ("Na h-Eileanan an Iar has been gained by Labour from the SNP",
         [("Na h-Eileanan an Iar", "LAB", "gain", "SNP", None, None)]),
        # who, and from whom
        ("Jodie Gosling wins Nuneaton for Labour, taking it from the Tories",
         [("Nuneaton", *LAB_GAIN_FROM_CON, "Jodie Gosling", None)]),
        ("Will Stone wins Swindon North for Labour, taking it from the Tories",
         [("Swindon North", *LAB_GAIN_FROM_CON, "Will Stone", None)]),
        # capitals and lower case
        ("GREENS GAIN BRISTOL CENTRAL", [("Bristol Central", "GRN", "gain", None, None, None)]),
        ("SPEAKER HOLD CHORLEY", [("Chorley", "SPK", "hold", None, None, None)]),
        ("LABOUR HOLD SOUTHGATE AND WOOD GREEN", [("Southgate and Wood Green", "LAB", "hold", None, None, None)]),
        ("labour hold city of durham", [("City of Durham", "LAB", "hold", None, None, None)]),
        ("snp hold aberdeen north", [("Aberdeen North", "SNP", "hold", None, None, None)]),
        ("labour gain birmingham hall green and moseley",
         [("Birmingham Hall Green and Moseley", "LAB", "gain", None, None, None)]),
    ],
)  # fmt: skip
def test_names_as_newsrooms_write_them(text: str, expected: list[tuple[object, ...]]) -> None:
    assert calls(text) == expected


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
        "Will Labour win Swindon North?",
        "May Labour hold Chesterfield, asks our reporter",
    ],
)
def test_not_calls(text: str) -> None:
    assert calls(text) == []


# ------------------------------------------------------------------ the sample night's posts, and relatives


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        ("Labour gain North East Derbyshire",
         "Louise Jones has won North East Derbyshire for Labour, beating the Conservative Lee Rowley by fewer "
         "than 2,000 votes.",
         [("North East Derbyshire", *LAB_GAIN_FROM_CON, "Louise Jones", "Lee Rowley")]),
        ("Labour gain Mid Derbyshire",
         "Jonathan Davies wins Mid Derbyshire for Labour, defeating the Conservative Luke Gardiner.",
         [("Mid Derbyshire", *LAB_GAIN_FROM_CON, "Jonathan Davies", "Luke Gardiner")]),
        ("Labour gain Erewash", "Labour's Adam Thompson has won Erewash, unseating the Conservative MP Maggie Throup.",
         [("Erewash", *LAB_GAIN_FROM_CON, "Adam Thompson", "Maggie Throup")]),
        (None, "Labour's Adam Thompson has won Erewash, unseating the Conservative MP Maggie Throup.",
         [("Erewash", *LAB_GAIN_FROM_CON, "Adam Thompson", "Maggie Throup")]),
        ("Toby Perkins holds Chesterfield",
         "Toby Perkins holds Chesterfield for Labour with 19,361 votes. The Conservative candidate, Ben Flook, "
         "came second on 8,496.",
         [("Chesterfield", "LAB", "hold", None, "Toby Perkins", None)]),
        ("Labour gain Bolsover",
         "Natalie Fleet takes Bolsover for Labour. The Conservative Mark Fletcher, who won the seat from Dennis "
         "Skinner in 2019, loses it after a single term.",
         [("Bolsover", *LAB_GAIN_FROM_CON, "Natalie Fleet", "Mark Fletcher")]),
        ("Labour gain Derby North",
         "Catherine Atkinson wins Derby North for Labour. The Conservative Amanda Solloway loses the seat.",
         [("Derby North", *LAB_GAIN_FROM_CON, "Catherine Atkinson", "Amanda Solloway")]),
        ("Labour gain South Derbyshire",
         "Samantha Niblett takes South Derbyshire for Labour, overturning the biggest Conservative majority in "
         "the county.",
         [("South Derbyshire", *LAB_GAIN_FROM_CON, "Samantha Niblett", None)]),
        ("Labour hold Derby South",
         "Baggy Shanker keeps Derby South, the former seat of Margaret Beckett, in Labour hands.",
         [("Derby South", "LAB", "hold", None, "Baggy Shanker", None)]),
        ("Labour gain High Peak",
         "Jon Pearce takes High Peak from the Conservatives' Robert Largan, who had held it since 2019.",
         [("High Peak", *LAB_GAIN_FROM_CON, "Jon Pearce", "Robert Largan")]),
        ("Erewash stays blue", "Maggie Throup is re-elected in Erewash for the Conservatives.",
         [("Erewash", "CON", "hold", None, "Maggie Throup", None)]),
    ],
)  # fmt: skip
def test_posts(headline: str | None, body: str, expected: list[tuple[object, ...]]) -> None:
    assert calls(body, headline) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the loser as subject (seed 002)
        ("In NE Derbyshire, Conservative Lee Rowley, who has represented the area as its MP since 2017, lost his "
         "seat to Labour's Louise Jones.",
         [("North East Derbyshire", *LAB_GAIN_FROM_CON, "Louise Jones", "Lee Rowley")]),
        ("Bolsover Conservative Mark Fletcher, who was first elected in 2019 after he toppled Labour MP and "
         "Bolsover stalwart Dennis Skinner, also lost to Labour's Natalie Fleet.",
         [("Bolsover", *LAB_GAIN_FROM_CON, "Natalie Fleet", "Mark Fletcher")]),
        ("High Peak's most recent MP, Conservative Robert Largan, who was elected in 2019, lost his seat to "
         "Labour's Jon Pearce.",
         [("High Peak", *LAB_GAIN_FROM_CON, "Jon Pearce", "Robert Largan")]),
        ("Amber Valley's previous term's MP, Conservative Nigel Mills lost his seat to victorious Labour "
         "canddidate Linsey Farnsworth.",
         [("Amber Valley", *LAB_GAIN_FROM_CON, "Linsey Farnsworth", "Nigel Mills")]),
        ("Conservative Maggie Throup lost her seat in Erewash to Labour's Adam Thompson.",
         [("Erewash", *LAB_GAIN_FROM_CON, "Adam Thompson", "Maggie Throup")]),
        ("Derby North's most recent MP was Conservative candidate Amanda Solloway who lost her seat to Labour's "
         "Catherine Atkinson.",
         [("Derby North", *LAB_GAIN_FROM_CON, "Catherine Atkinson", "Amanda Solloway")]),
        ("The Conservatives lose Clacton to Reform UK", [("Clacton", "REF", "gain", "CON", None, None)]),
        ("Tories lost Bolsover to Labour", [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]),
        ("Sitting MP Jo Bloggs (Con) lost to Labour's Ann Bee in Bolsover.",
         [("Bolsover", *LAB_GAIN_FROM_CON, "Ann Bee", "Jo Bloggs")]),
        # passives
        ("Bolsover was gained by Labour from the Conservatives", [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]),
        ("Derby South has been held by Labour's Baggy Shanker",
         [("Derby South", "LAB", "hold", None, "Baggy Shanker", None)]),
        ("Clacton was taken by Reform UK from the Tories", [("Clacton", "REF", "gain", "CON", None, None)]),
        # headline styles
        ("LAB GAIN: Bolsover", [("Bolsover", "LAB", "gain", None, None, None)]),
        ("Bolsover - Labour gain", [("Bolsover", "LAB", "gain", None, None, None)]),
        ("Bolsover (Lab gain from Con)", [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]),
        ("Result: Bolsover - Labour gain from Conservative", [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]),
        ("CON HOLD Richmond and Northallerton", [("Richmond and Northallerton", "CON", "hold", None, None, None)]),
        ("Nigel Farage wins Clacton for Reform UK, taking the seat from the Conservatives",
         [("Clacton", "REF", "gain", "CON", "Nigel Farage", None)]),
        ("Rishi Sunak holds his Richmond and Northallerton seat for the Conservatives",
         [("Richmond and Northallerton", "CON", "hold", None, "Rishi Sunak", None)]),
        ("Jeremy Hunt narrowly holds on in Godalming and Ash for the Tories",
         [("Godalming and Ash", "CON", "hold", None, "Jeremy Hunt", None)]),
        ("SNP lose Glasgow North to Labour", [("Glasgow North", "LAB", "gain", "SNP", None, None)]),
        # lower case throughout
        ("labour gain mid derbyshire from the tories", [("Mid Derbyshire", *LAB_GAIN_FROM_CON, None, None)]),
        ("lab hold chesterfield", [("Chesterfield", "LAB", "hold", None, None, None)]),
        ("toby perkins holds chesterfield for labour", [("Chesterfield", "LAB", "hold", None, "Toby Perkins", None)]),
        ("Bolsover: labour gain from conservatives", [("Bolsover", *LAB_GAIN_FROM_CON, None, None)]),
        # defeats
        ("Labour gain Bolsover as Natalie Fleet ousts Conservative Mark Fletcher",
         [("Bolsover", *LAB_GAIN_FROM_CON, "Natalie Fleet", "Mark Fletcher")]),
        ("Labour hold Derby South, Baggy Shanker beating Reform's Alan Graves",
         [("Derby South", "LAB", "hold", None, "Baggy Shanker", "Alan Graves")]),
        ("Reform UK's Lee Anderson wins Ashfield, toppling Labour",
         [("Ashfield", "REF", "gain", "LAB", "Lee Anderson", None)]),
    ],
)  # fmt: skip
def test_more_forms(text: str, expected: list[tuple[object, ...]]) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Conservative Lee Rowley could lose his seat to Labour's Louise Jones",
        "The Tories fear they will lose Bolsover to Labour",
        "In 2019 Labour lost Bolsover to the Conservatives.",
        "Labour lost heavily in Scotland.",
        "Bolsover, held by Labour from 1950 until 2019, is a key target.",
        "Jonathan Davies wins Mid Derbyshire for Labour, defeating the Conservative Luke Gardiner.",  # gain or hold?
        "Toby Perkins, Chesterfield's MP since 2010, held his seat.",  # no party
        "The labour market is tight in Bolsover and wages held up.",
        "Bolsover was predicted to be held by Labour",
        "Jo Bloggs wins Bolsover from Ann Bee (Lab)",  # the winner's party is not given
        "Reform UK win Clacton",  # won it from whom? a gain or a hold cannot be told
        "Labour gaining Bolsover would be a shock",
        "Bolsover turns red",
        "In Derbyshire, Labour gained eight seats from the Conservatives.",
        "In Derbyshire, the Conservatives lost eight seats to Labour.",
    ],
)
def test_more_non_calls(text: str) -> None:
    assert calls(text) == []


# ------------------------------------------------------- taking a seat is a gain; winning one may be a hold


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        (None, "Natalie Fleet takes Bolsover for Labour.", [("Bolsover", "LAB", "gain", None, "Natalie Fleet", None)]),
        (None, "Labour's Natalie Fleet takes Bolsover", [("Bolsover", "LAB", "gain", None, "Natalie Fleet", None)]),
        (None, "Labour's John Whitby takes Derbyshire Dales after a long count, the county's last seat.",
         [("Derbyshire Dales", "LAB", "gain", None, "John Whitby", None)]),
        (None, "Adam Thompson has taken Erewash for Labour, defeating the Conservative Maggie Throup.",
         [("Erewash", *LAB_GAIN_FROM_CON, "Adam Thompson", "Maggie Throup")]),
        (None, "Reform UK seizes Clacton", [("Clacton", "REF", "gain", None, None, None)]),
        (None, "Lib Dems snatch Chelmsford for the first time", [("Chelmsford", "LD", "gain", None, None, None)]),
        (None, "Labour took Bolsover at 3am", [("Bolsover", "LAB", "gain", None, None, None)]),
        (None, "Bolsover has been taken by Labour", [("Bolsover", "LAB", "gain", None, None, None)]),
        (None, "Mid Derbyshire: Labour take", [("Mid Derbyshire", "LAB", "gain", None, None, None)]),
        (None, "Labour wins back Bolsover", [("Bolsover", "LAB", "gain", None, None, None)]),
        (None, "Labour takes back Bolsover from Reform", [("Bolsover", "LAB", "gain", "REF", None, None)]),
        (None, "Labour regains Bolsover", [("Bolsover", "LAB", "gain", None, None, None)]),
        (None, "Jon Pearce takes High Peak for Labour from the Conservative Robert Largan.",
         [("High Peak", *LAB_GAIN_FROM_CON, "Jon Pearce", "Robert Largan")]),
        (None, "Jon Pearce has won High Peak for Labour from the Conservatives",
         [("High Peak", *LAB_GAIN_FROM_CON, "Jon Pearce", None)]),
        (None, "labour takes bolsover", [("Bolsover", "LAB", "gain", None, None, None)]),
        ("Labour gain Bolsover", "Natalie Fleet takes the seat for Labour.",
         [("Bolsover", "LAB", "gain", None, "Natalie Fleet", None)]),
        # "wins X for P" alone may be a gain or a hold: only other words decide
        ("Labour gain Amber Valley", "Linsey Farnsworth wins Amber Valley for Labour.",
         [("Amber Valley", "LAB", "gain", None, "Linsey Farnsworth", None)]),
        ("Labour hold Chesterfield", "Toby Perkins wins Chesterfield for Labour.",
         [("Chesterfield", "LAB", "hold", None, "Toby Perkins", None)]),
        (None, "Labour's Louise Jones wins North East Derbyshire, unseating the Conservative Lee Rowley.",
         [("North East Derbyshire", *LAB_GAIN_FROM_CON, "Louise Jones", "Lee Rowley")]),
    ],
)  # fmt: skip
def test_taking_a_seat_is_a_gain(headline: str | None, body: str, expected: list[tuple[object, ...]]) -> None:
    assert calls(body, headline) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Linsey Farnsworth wins Amber Valley for Labour",  # a gain or a hold: the words do not say
        "Natalie Fleet takes Bolsover",  # no party
        "Reform takes second place in Bolsover",
        "Labour takes the lead in Bolsover",
        "Reform UK take a strong third place",
        "Toby Perkins took 19,316 votes in Chesterfield",
        "The count took place at the Bolsover leisure centre",
        "Labour could take Bolsover",
        "Labour is set to take Bolsover",
        "In 2019 the Conservatives took Bolsover from Labour",
        "Labour takes all eleven seats in Derbyshire",
        "Labour's Natalie Fleet took to the stage in Bolsover",
    ],
)
def test_taking_anything_but_a_seat_is_no_call(text: str) -> None:
    assert calls(text) == []


# ------------------------------------------- the words asked first never pass over a sentence that calls

_CALL_TEXT = phrases(
    ["Labour", "Labour's", "Ann Bee", "the", "Conservatives", "Tories", "Bolsover", "Erewash and", "Derby North,",
     "gain", "gains", "takes", "took", "wins", "holds", "keeps", "change", "changes", "switches", "falls", "stays",
     "remain", "loses", "lost", "defeating", "unseating", "from", "to", "for", "blue", "red", "in", "seat",
     "the lead", "second place", "could", "-", ":", ".", "(Lab)"]
)  # fmt: skip


@given(_CALL_TEXT)
def test_a_sentence_the_gate_passes_over_makes_no_call(text: str) -> None:
    if not _may_call(text.lower()):
        assert sentence_calls(Sentence(text, 0), DEFAULT, None) == []


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        ("Labour gain Bolsover", True),
        ("Net percentage change in seats", False),  # "change" makes a call only with "from"
        ("Bolsover changes from blue to red", True),
        ("Bolsover falls", False),  # "falls" only with "to"
        ("Bolsover falls to Labour", True),
        ("Vote share since 2015", False),
        ("Ann Bee, defeating Cy Dee", True),
    ],
)
def test_the_gate(text: str, passes: bool) -> None:
    assert _may_call(text.lower()) is passes


# ---------------------------------------------- several seats in one sentence, without a gazetteer


@pytest.mark.parametrize(
    ("text", "seats"),
    [
        ("Labour take Erewash, Derbyshire Dales, Bolsover, High Peak and Amber Valley from the Tories",
         ["Erewash", "Derbyshire Dales", "Bolsover", "High Peak", "Amber Valley"]),
        ("Labour take Bridgend, Whitehaven and Workington, Erewash and Rushcliffe from the Tories",
         ["Bridgend", "Whitehaven and Workington", "Erewash", "Rushcliffe"]),
        ("Redcar, Whitehaven and Workington, Erewash and Rushcliffe also change from blue to red",
         ["Redcar", "Whitehaven and Workington", "Erewash", "Rushcliffe"]),
        ("Labour take Erewash, Bolsover, and Richmond and Northallerton from the Tories",
         ["Erewash", "Bolsover", "Richmond and Northallerton"]),
        ("Erewash and Rushcliffe change from blue to red", ["Erewash", "Rushcliffe"]),  # a plural verb
        # one name: "and" without commas is read as part of a name, with nothing to say otherwise
        ("Labour take Richmond and Northallerton from the Tories", ["Richmond and Northallerton"]),
        ("Labour take North Herefordshire and Waveney Valley from the Tories",
         ["North Herefordshire and Waveney Valley"]),
        ("Labour take Newton Abbot from the Tories", ["Newton Abbot"]),
        ("Labour take Oldham West, Chadderton and Royton from the Tories", ["Oldham West, Chadderton and Royton"]),
    ],
)  # fmt: skip
def test_lists_of_seats_without_a_gazetteer(text: str, seats: list[str]) -> None:
    assert calls(text) == [(seat, *LAB_GAIN_FROM_CON, None, None) for seat in seats]
