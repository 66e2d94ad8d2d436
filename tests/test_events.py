"""The contract types: the generated schema is current, and old events still decode."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from ingester import events
from ingester.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "events.jsonl"


def test_schema_file_is_generated_from_the_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    on_disk = json.loads((ROOT / "schemas" / "events.schema.json").read_text())
    assert printed == on_disk, "schemas/events.schema.json is stale: run `ingester schema > schemas/events.schema.json`"


def test_schema_names_every_kind() -> None:
    mapping = events.json_schema()["discriminator"]["mapping"]
    assert set(mapping) == set(events.KINDS)


def test_golden_events_of_every_kind_still_decode() -> None:
    lines = GOLDEN.read_bytes().splitlines()
    decoded = [events.decode(line) for line in lines]
    assert {events.kind_of(e) for e in decoded} == set(events.KINDS)
    for line, event in zip(lines, decoded, strict=True):
        again = json.loads(events.encode(event))
        original = json.loads(line)
        # every field written then is still there with the same value; later versions may only add
        assert {k: again[k] for k in original} == original


def test_unknown_fields_from_a_newer_producer_are_ignored() -> None:
    line = json.loads(GOLDEN.read_bytes().splitlines()[1])
    line["added_later"] = {"anything": [1, 2]}
    event = events.decode(json.dumps(line))
    assert isinstance(event, events.Flash)


@pytest.mark.parametrize(
    "bad",
    [b"", b"{}", b'{"type":"nope"}', b'{"type":"flash"}', b"[1,2", b'{"type":"post","revision":"1"}'],
)
def test_bad_events_raise_msgspec_errors(bad: bytes) -> None:
    with pytest.raises((msgspec.DecodeError, msgspec.ValidationError)):
        events.decode(bad)


def test_event_ids_are_stable_and_distinct() -> None:
    first = events.event_id("src", "post-1", 0, "flash", 0)
    assert first == events.event_id("src", "post-1", 0, "flash", 0)
    others = {
        events.event_id("src", "post-1", 1, "flash", 0),
        events.event_id("src", "post-1", 0, "result", 0),
        events.event_id("src", "post-1", 0, "flash", 1),
        events.event_id("src2", "post-1", 0, "flash", 0),
        events.event_id("src", "post-10", 0, "flash", 0),
    }
    assert first not in others and len(others) == 5


def test_times_encode_as_utc_iso() -> None:
    event = events.decode(GOLDEN.read_bytes().splitlines()[0])
    data = json.loads(events.encode(event))
    assert data["published_at"] == "2024-07-05T02:59:00Z"
    assert data["observed_at"] == "2024-07-05T03:00:12.345678Z"
