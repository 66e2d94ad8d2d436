"""Golden tests: every recorded body through its adapter, compared with its ``<file stem>.posts.json``.

Cases are listed in ``tests/sources/cases.py``: every file under ``tests/sources/fixtures/<kind>/`` and
the seed pages read from ``shared/seeds`` at test time. Fixtures rendered from the sample modules
(``cases.GENERATED``) are checked against their renderer too.

After a deliberate change to an adapter or to a sample module, regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/sources/test_golden.py

which rewrites the rendered fixtures, then the golden files. Without it, a difference fails the test.
"""

from __future__ import annotations

import os

import pytest

from ingester.sources import get_adapter
from tests.sources.cases import FIXTURES, GENERATED, Case, all_cases, golden_json

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_rendered_fixture_is_what_its_sample_module_renders(name: str) -> None:
    path = FIXTURES / name
    rendered = GENERATED[name]()
    if UPDATE:
        path.write_bytes(rendered)
    assert path.read_bytes() == rendered
    assert len(rendered) < 100_000


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_extraction_matches_golden(case: Case) -> None:
    extraction = get_adapter(case.kind).extract(case.body(), case.context)
    produced = golden_json(extraction)
    if UPDATE:
        case.golden.write_bytes(produced)
    assert case.golden.exists(), f"no golden for {case.name}: run with UPDATE_GOLDEN=1 and review it"
    assert produced.decode() == case.golden.read_text(encoding="utf-8")


def test_every_fixture_has_a_golden_and_every_golden_a_case() -> None:
    goldens = set(FIXTURES.glob("*/*.posts.json"))
    assert goldens == {c.golden for c in all_cases()}
