"""Capitals for a sentence written all in lower case ("labour gain bolsover from the tories").

The readers find names (people, seats, parties) by their capitals; a sentence with none is given
them where names would have them, so that it reads like any other.
"""

from __future__ import annotations

import re
from typing import Final

# Words that keep their lower case when a lower-case sentence is recased: function words, the verbs
# and nouns of election prose, hedges. Everything else is taken for (part of) a name.
LOWER_WORDS: Final = frozenset(
    """
    a about above across after again against ago ahead all almost already also although am among an and
    another any are around as at away back be became because become been before behind being below
    besides between beyond both but by came can cannot come comes could did do does doing done down
    during each either else even ever every few for from further had has have having he her here hers
    him his how however i if in inside into is it its just last least less like many may me might more
    most much must my near nearly neither never new next no nor not now of off on once one only onto or
    other our out over own per quite rather same several she should since so some still such than that
    the their them then there these they this those though through throughout thus till to too toward
    towards under until up upon us very via was we were what when where whether which while who whom
    whose why will with within without would yet you your gain gains gained gaining seize seizes seized
    snatch snatches snatched capture captures captured grab grabs grabbed win wins won winning take
    takes took taken taking retake retakes retook retaken regain regains regained recapture recaptures
    recaptured claim claims claimed hold holds held holding retain retains retained keep
    keeps kept hang hangs hung cling clings clung change changes changed switch switches switched turn
    turns turned go goes went gone flip flips flipped swing swings swung remain remains remained stay
    stays stayed fall falls fell lose loses lost losing defeat defeats defeated defeating beat beats
    beating oust ousts ousted ousting unseat unseats unseated unseating topple topples toppled toppling
    re-elected elected declare declares declared declaration count counts counted counting recount
    recounts verification verified result results vote votes voted seat seats majority turnout
    electorate party candidate candidates mp mps expected due predicted set likely hope hopes hoping
    course track poll polls exit forecast projection said says say told tells night morning tonight
    today first second third fourth fifth sixth last so-far far nationally nationwide hands control
    behind leading lead leads has've won't can't don't didn't isn't wasn't
    red blue yellow orange green turquoise purple teal started starting start starts begun began begin
    begins finished finish ended end ends wrong right close closed closes open opened opens sure big
    small large huge good bad best worst well very really still looking look looks seems seem seemed
    think thinks thought know knows knew says saying news breaking live latest update updates tonight's
    people voters voter ballot ballots papers paper boxes box turnout centre hall leisure town city
    county council constituency constituencies area region government minister prime leader leaders
    campaign campaigns tory-held labour-held held-by against behind ahead early late later earlier
    minutes minute hour hours time times night's declared expected waiting wait waits arrived arrive
    arriving going gone getting get gets got make makes made making being is was been be are were am do
    does did doing have has had here there where everyone everything nothing something anything just
    only even also too again more most less fewer many much few several lot lots way ways back home away
    up down out off over under said see seen saw watch watching hear heard feel felt tell told ask asked
    give gave given put came come coming call called calls run ran running
    """.split()  # noqa: SIM905
)


def recase(sentence: str) -> str:
    """A lower-case sentence with every word but :data:`LOWER_WORDS` capitalised, part by part
    ("stoke-on-trent central" -> "Stoke-on-Trent Central"); party codes in capitals ("snp" -> "SNP");
    and the few everyday words that seats' names hold capitalised inside a name ("wood green",
    "new forest east", "city of durham", "south down")."""
    recased = _LOWER_RUN.sub(_recase_word, sentence)
    for _ in range(3):  # "Hall Green": each pass capitalises one more word of a name
        if _NAME_WORD.search(recased) is None:
            break
        recased = _NAME_WORD.sub(_in_a_name, recased)
    return recased


_LOWER_RUN: Final = re.compile(r"[a-z\u00df-\u00ff][\w'\u00df-\u00ff-]{0,60}")
_LOWER_IN_PARTS: Final = frozenset({"on", "upon", "under", "super", "le", "by", "the", "in", "y", "an", "de"})
_CODES: Final = frozenset({"snp", "dup", "sdlp", "uup", "tuv", "ukip"})
# Everyday words in seats' names: one after a name's word ("Wood Green", "South Down", "Hall Green"),
# or one before a name's word ("New Forest", "City of Durham").
_NAME_WORD: Final = re.compile(
    r"\b(?P<name>[A-Z][\w'\u00df-\u00ff-]{0,60}) (?P<after>green|down|hall)\b|\b(?P<before>new|city)(?= (?:of )?[A-Z])"
)
_PARTY_WORDS: Final = frozenset({"Labour", "Tory", "Tories", "Conservative", "Conservatives", "Reform"})


def _recase_word(match: re.Match[str]) -> str:
    word = match.group()
    bare = word.removesuffix("'s")
    if bare in LOWER_WORDS or word in LOWER_WORDS:
        return word
    if word in _CODES:
        return word.upper()
    parts = word.split("-")
    return "-".join(p if j and p in _LOWER_IN_PARTS else p[:1].upper() + p[1:] for j, p in enumerate(parts))


def _in_a_name(match: re.Match[str]) -> str:
    if match["before"]:
        return match["before"].capitalize()
    if match["name"] in _PARTY_WORDS:  # after a party's name: "Labour down five seats"
        return match.group()
    return f"{match['name']} {match['after'].capitalize()}"
