"""Saved nights: round trips, revisits, determinism, standard WARC tools, and hostile files."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import subprocess
import sys
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from ingester.errors import NightError
from ingester.night import REVISIT_PROFILE, Night, NightLimits, NightWriter, read_night, write_night
from ingester.types import Fetched, SourceConfig

T0 = datetime(2024, 7, 5, 0, 3, 0, 123456, tzinfo=UTC)
BLOG = SourceConfig(name="derbyshire-times", url="https://www.example.co.uk/news/live-blog", kind="html")
FEED = SourceConfig(name="bbc-feed", url="https://feeds.example.com/politics.json", kind="feed", test=True)
HTML = b"<html><body><article id='p1'>Labour gain Mid Derbyshire</article></body></html>"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def blog(seconds: float, **fields: object) -> Fetched:
    return msgspec.structs.replace(Fetched(source=BLOG.name, url=BLOG.url, fetched_at=at(seconds)), **fields)


EVERY_KIND = [
    blog(0, status=200, headers={"content-type": "text/html; charset=utf-8", "etag": '"v1"'}, body=HTML),
    Fetched(
        source=FEED.name,
        url=FEED.url,
        fetched_at=at(1),
        status=200,
        headers={"content-type": "application/json"},
        body=b'{"items": [{"id": 1, "title": "LAB HOLD"}]}',
    ),
    blog(15, status=304, headers={"etag": '"v1"'}),
    blog(30, status=500, headers={"content-type": "text/plain"}, body=b"Internal Server Error\n"),
    blog(45, error="ConnectTimeout: timed out after 10s"),
]


def night_bytes(fetches: Iterable[Fetched], configs: Iterable[SourceConfig] = (BLOG, FEED)) -> bytes:
    out = io.BytesIO()
    with NightWriter(out, created_at=T0) as writer:
        for cfg in configs:
            writer.write_config(cfg)
        for fetched in fetches:
            writer.write_fetch(fetched)
    return out.getvalue()


def read_bytes(tmp_path: Path, data: bytes, limits: NightLimits | None = None) -> Night:
    path = tmp_path / "night.warc.gz"
    path.write_bytes(data)
    return read_night(path, limits=limits)


def members(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, compressed bytes) of each gzip member, split independently of the reader."""
    found, offset = [], 0
    while offset < len(data):
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[offset:])
        assert inflater.eof
        size = len(data) - offset - len(inflater.unused_data)
        found.append((offset, data[offset : offset + size]))
        offset += size
    return found


def record_types(data: bytes) -> list[str]:
    return [record.rec_type for record in ArchiveIterator(io.BytesIO(data))]


# ------------------------------------------------------------------------------------------ round trips


def test_every_kind_of_fetch_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "night.warc.gz"
    write_night(path, [BLOG, FEED], reversed(EVERY_KIND))
    night = read_night(path)
    assert night.configs == {BLOG.name: BLOG, FEED.name: FEED}
    assert night.fetches == EVERY_KIND
    assert night.warnings == []
    assert night.fetches[2].body == b"" and night.fetches[2].status == 304
    assert record_types(path.read_bytes()) == [
        "warcinfo",
        "metadata",
        "metadata",
        *["response", "request"] * 4,
        "metadata",
    ]


def test_a_response_that_also_carries_an_error_keeps_both(tmp_path: Path) -> None:
    fetched = blog(0, status=200, body=b"partial", error="body over limit\n(truncated)")
    assert read_bytes(tmp_path, night_bytes([fetched])).fetches == [fetched]


def test_an_identical_body_is_a_revisit_and_reads_back_whole(tmp_path: Path) -> None:
    same = [blog(s, status=200, headers={"content-type": "text/html"}, body=HTML) for s in (0, 15, 30)]
    changed = blog(45, status=200, body=HTML + b"<p>edit</p>")
    back = blog(60, status=200, body=HTML)  # equal to an older body, not to the last one
    data = night_bytes([*same, blog(35, status=304), changed, back])
    types = record_types(data)
    assert types.count("revisit") == 2 and types.count("response") == 4
    revisits = [r for r in ArchiveIterator(io.BytesIO(data)) if r.rec_type == "revisit"]
    assert all(r.rec_headers.get_header("WARC-Profile") == REVISIT_PROFILE for r in revisits)
    assert all(r.rec_headers.get_header("WARC-Refers-To-Date") == "2024-07-05T00:03:00.123456Z" for r in revisits)
    night = read_bytes(tmp_path, data)
    assert [f.body for f in night.fetches] == [HTML, HTML, HTML, b"", HTML + b"<p>edit</p>", HTML]
    assert night.warnings == []


def test_a_revisit_whose_original_is_missing_is_skipped_with_a_warning(tmp_path: Path) -> None:
    data = night_bytes([blog(0, status=200, body=HTML), blog(15, status=200, body=HTML)], configs=[BLOG])
    parts = members(data)
    assert record_types(data)[2] == "response"
    night = read_bytes(tmp_path, b"".join(member for i, (_, member) in enumerate(parts) if i != 2))
    assert night.fetches == []
    assert night.configs == {BLOG.name: BLOG}
    assert len(night.warnings) == 1 and "repeats is missing" in night.warnings[0]


header_names = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
header_values = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40).map(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moment=st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 1, 1), timezones=st.just(UTC)),
    offset_minutes=st.integers(-14 * 60, 14 * 60),
    status=st.integers(100, 599),
    headers=st.dictionaries(header_names, header_values, max_size=5),
    body=st.binary(max_size=300),
)
def test_times_headers_and_bodies_round_trip_exactly(
    tmp_path: Path,
    *,
    moment: datetime,
    offset_minutes: int,
    status: int,
    headers: dict[str, str],
    body: bytes,
) -> None:
    local = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))  # any zone; read back as UTC
    fetched = Fetched(source="s", url=BLOG.url, fetched_at=local, status=status, headers=headers, body=body)
    back = read_bytes(tmp_path, night_bytes([fetched])).fetches
    assert back == [fetched]
    assert back[0].fetched_at.microsecond == moment.microsecond and back[0].fetched_at.tzinfo == UTC


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.text(min_size=1, max_size=20),
    url=st.text(max_size=40),
    error=st.none() | st.text(max_size=40),
    status=st.none() | st.integers(100, 599),
    headers=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=4),
)
def test_any_strings_can_be_recorded_and_read_back(
    tmp_path: Path, *, source: str, url: str, error: str | None, status: int | None, headers: dict[str, str]
) -> None:
    """Control characters, lone surrogates and odd header names must not stop a recording."""
    fetched = Fetched(source=source, url=url, fetched_at=T0, status=status, headers=headers, body=HTML, error=error)
    back = read_bytes(tmp_path, night_bytes([fetched])).fetches
    assert len(back) == 1 and back[0].status == status and back[0].fetched_at == T0
    assert back[0].body == (HTML if status is not None else b"")


def test_wire_encodings_are_kept_aside_so_warc_tools_see_the_decoded_body(tmp_path: Path) -> None:
    headers = {"content-encoding": "gzip", "transfer-encoding": "chunked", "content-type": "text/html"}
    fetched = blog(0, status=200, headers=headers, body=HTML)
    data = night_bytes([fetched])
    response = next(r for r in ArchiveIterator(io.BytesIO(data)) if r.rec_type == "response")
    assert response.content_stream().read() == HTML  # warcio would have tried to gunzip it
    assert response.http_headers.get_header("content-encoding") is None
    assert read_bytes(tmp_path, data).fetches == [fetched]


def test_fetches_read_back_in_time_order_and_ties_keep_file_order(tmp_path: Path) -> None:
    late, early = blog(30, status=200, body=b"late"), blog(10, status=200, body=b"early")
    tie_a = Fetched(source="a", url="https://a.example/", fetched_at=at(20), status=204)
    tie_b = Fetched(source="b", url="https://b.example/", fetched_at=at(20), status=204)
    night = read_bytes(tmp_path, night_bytes([late, tie_b, early, tie_a]))
    assert night.fetches == [early, tie_b, tie_a, late]


def test_configs_may_come_later_and_a_later_one_replaces_an_earlier(tmp_path: Path) -> None:
    faster = msgspec.structs.replace(BLOG, interval=5.0)
    out = io.BytesIO()
    with NightWriter(out, created_at=T0) as writer:
        writer.write_config(BLOG)
        writer.write_fetch(blog(0, status=200, body=HTML))
        writer.write_config(faster)
        writer.write_config(FEED)
    night = read_bytes(tmp_path, out.getvalue())
    assert night.configs == {BLOG.name: faster, FEED.name: FEED}
    assert len(night.fetches) == 1


# -------------------------------------------------------------------------------- determinism and tools


def test_the_same_inputs_give_identical_bytes(tmp_path: Path) -> None:
    write_night(tmp_path / "a.warc.gz", [BLOG, FEED], EVERY_KIND)
    write_night(tmp_path / "b.warc.gz", [BLOG, FEED], list(reversed(EVERY_KIND)))
    first = (tmp_path / "a.warc.gz").read_bytes()
    assert first == (tmp_path / "b.warc.gz").read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # gzip mtime
    changed = [*EVERY_KIND[:-1], blog(45.000001, error="ConnectTimeout: timed out after 10s")]
    write_night(tmp_path / "c.warc.gz", [BLOG, FEED], changed)
    assert (tmp_path / "c.warc.gz").read_bytes() != first


def test_record_ids_are_unique_urns_and_requests_point_at_their_response() -> None:
    records = list(ArchiveIterator(io.BytesIO(night_bytes([*EVERY_KIND, *EVERY_KIND[:2]]))))
    ids = [r.rec_headers.get_header("WARC-Record-ID") for r in records]
    assert len(set(ids)) == len(ids) and all(i.startswith("<urn:uuid:") for i in ids)
    for before, request in itertools.pairwise(records):
        if request.rec_type == "request":
            assert request.rec_headers.get_header("WARC-Concurrent-To") == before.rec_headers.get_header(
                "WARC-Record-ID"
            )


def test_plain_warcio_reads_every_record_with_valid_digests() -> None:
    data = night_bytes(EVERY_KIND)
    seen = []
    for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
        record.content_stream().read()
        seen.append((record.rec_type, record.rec_headers.get_header("Ingester-Source")))
    assert seen[0] == ("warcinfo", None)
    assert ("response", FEED.name) in seen
    assert seen[-1] == ("metadata", BLOG.name)


def test_each_record_is_one_gzip_member_and_the_whole_file_is_gzip() -> None:
    data = night_bytes(EVERY_KIND)
    texts = [gzip.decompress(member) for _, member in members(data)]
    assert len(texts) == len(record_types(data))
    assert all(t.startswith(b"WARC/1.1\r\n") and t.endswith(b"\r\n\r\n") for t in texts)
    assert gzip.decompress(data) == b"".join(texts)
    info = texts[0].decode()
    assert "format: ingester-night/1\r\n" in info and "software: ingester/" in info


def test_the_warcio_command_line_indexes_a_night(tmp_path: Path) -> None:
    path = tmp_path / "night.warc.gz"
    write_night(path, [BLOG], EVERY_KIND[:1])
    command = [
        sys.executable,
        "-m",
        "warcio.cli",
        "index",
        "-f",
        "warc-type,warc-date,http:status",
        str(path),
    ]
    lines = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
    index = [json.loads(line) for line in lines.splitlines()]
    assert [entry["warc-type"] for entry in index] == ["warcinfo", "metadata", "response", "request"]
    assert index[2] == {
        "warc-type": "response",
        "warc-date": "2024-07-05T00:03:00.123456Z",
        "http:status": "200",
    }


# ------------------------------------------------------------------------------- writer safety


def test_every_record_is_on_disk_before_the_writer_closes(tmp_path: Path) -> None:
    path = tmp_path / "night.warc.gz"
    writer = NightWriter(path, created_at=T0)  # never closed: as if the process had died here
    writer.write_config(BLOG)
    for fetched in EVERY_KIND[:1] + EVERY_KIND[2:]:
        writer.write_fetch(fetched)
    assert read_night(path).fetches == EVERY_KIND[:1] + EVERY_KIND[2:]
    writer.close()


def test_the_writer_never_overwrites_a_night_nor_writes_after_close(tmp_path: Path) -> None:
    path = tmp_path / "night.warc.gz"
    with NightWriter(path, created_at=T0) as writer:
        writer.write_config(BLOG)
    with pytest.raises(NightError, match="already exists"):
        NightWriter(path)
    with pytest.raises(NightError, match="closed"):
        writer.write_fetch(EVERY_KIND[0])
    with pytest.raises(NightError, match="cannot create"):
        NightWriter(tmp_path / "no-such-dir" / "night.warc.gz")


# ------------------------------------------------------------------------------- damaged files


def test_a_file_cut_mid_record_keeps_the_whole_records_before_it(tmp_path: Path) -> None:
    data = night_bytes(EVERY_KIND)
    last_offset = members(data)[-1][0]
    night = read_bytes(tmp_path, data[: last_offset + 30])
    assert night.fetches == EVERY_KIND[:-1]
    assert len(night.warnings) == 1 and "cut off at byte" in night.warnings[0]
    assert "night.warc.gz" in night.warnings[0]


def test_a_damaged_record_mid_file_keeps_what_came_before(tmp_path: Path) -> None:
    data = bytearray(night_bytes(EVERY_KIND))
    offset, member = members(bytes(data))[4]  # the first request record
    data[offset + len(member) // 2] ^= 0x40
    night = read_bytes(tmp_path, bytes(data))
    assert night.fetches == EVERY_KIND[:1]
    assert len(night.warnings) == 1 and "damaged data at byte" in night.warnings[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"this is not a night at all\n" * 10, "not a gzipped WARC"),
        (gzip.compress(b"hello\r\n\r\n"), "not an ingester night"),
        (night_bytes([])[:25], "cut off inside its first record"),
        (night_bytes([], configs=[]), "no sources and no fetches"),
        (night_bytes([])[: members(night_bytes([]))[1][0]], "no sources and no fetches"),
    ],
)
def test_files_that_are_not_nights_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(NightError, match=message) as caught:
        read_bytes(tmp_path, content)
    assert "night.warc.gz" in str(caught.value) and "\n" not in str(caught.value)


def test_a_warc_of_another_tool_is_not_a_night(tmp_path: Path) -> None:
    data = night_bytes(EVERY_KIND)
    without_warcinfo = data[members(data)[1][0] :]
    with pytest.raises(NightError, match="does not start with a warcinfo"):
        read_bytes(tmp_path, without_warcinfo)
    other = gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 15\r\n\r\nformat: other\r\n\r\n\r\n")
    with pytest.raises(NightError, match="format 'other'"):
        read_bytes(tmp_path, other + data[members(data)[1][0] :])


def test_missing_files_and_directories_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(NightError, match=r"cannot read night .*missing.warc.gz: No such file"):
        read_night(tmp_path / "missing.warc.gz")
    with pytest.raises(NightError, match="not a regular file"):
        read_night(tmp_path)


def test_size_limits_are_refused(tmp_path: Path) -> None:
    data = night_bytes([blog(0, status=200, body=b"x" * 100_000)])
    with pytest.raises(NightError, match="is over 1000 bytes"):
        read_bytes(tmp_path, data, NightLimits(max_file_bytes=1000))
    with pytest.raises(NightError, match=r"record at byte .* is over 50000 bytes"):
        read_bytes(tmp_path, data, NightLimits(max_record_bytes=50_000))
    with pytest.raises(NightError, match="uncompressed"):
        read_bytes(tmp_path, data, NightLimits(max_total_bytes=50_000))
    absurd = gzip.compress(b"WARC/1.1\r\nWARC-Type: metadata\r\nContent-Length: 99999999999999\r\n\r\n{}\r\n\r\n")
    with pytest.raises(NightError, match="declares 99999999999999 bytes"):
        read_bytes(tmp_path, night_bytes([]) + absurd)


def rewrite(data: bytes, index: int, old: bytes, new: bytes) -> bytes:
    """The night with record ``index`` edited, as a bug in another tool might have left it."""
    parts = [member for _, member in members(data)]
    text = gzip.decompress(parts[index])
    assert old in text
    parts[index] = gzip.compress(text.replace(old, new), mtime=0)
    return b"".join(parts)


REPEATED = [blog(0, status=200, body=HTML), blog(15, status=200, body=HTML), blog(30, error="timeout")]


@pytest.mark.parametrize(
    ("index", "old", "new", "message"),
    [
        (4, b"warc/1.1/revisit/identical-payload-digest", b"warc/1.1/revisit/server-not-modified", "profile"),
        (4, b"WARC-Payload-Digest: sha1:", b"WARC-Payload-Digest: sha2:", "digest differs"),
        (4, b"WARC-Refers-To: <urn:uuid:", b"WARC-Refers-To: <urn:uuix:", "repeats is missing"),
        (
            2,
            b"WARC-Date: 2024-07-05T00:03:00.123456Z",
            b"WARC-Date: 2024-07-05T25:03:00.123456Z",
            "WARC-Date",
        ),
        (2, b"HTTP/1.1 200 OK", b"HTTP/1.1 2x0 OK", "bad HTTP status"),
        (2, b"HTTP/1.1 200 OK", b"HTTX/1.1 200 OK", "no HTTP status line"),
        (2, b"Ingester-Source:", b"Ingester-Sourcx:", "no Ingester-Source header"),
        (6, b'"error":', b'"errxr":', "bad fetch-error JSON"),
        (6, b"Ingester-Record: fetch-error", b"Ingester-Record: fetch-errxr", "unknown Ingester-Record"),
        (1, b'"url":', b'"uxl":', "bad source-config JSON"),
        (2, b"Content-Length: ", b"Content-Length: 1", "does not match its Content-Length"),
    ],
)
def test_a_record_that_cannot_be_used_is_skipped_with_a_warning(
    tmp_path: Path, index: int, old: bytes, new: bytes, message: str
) -> None:
    data = night_bytes(REPEATED, configs=[BLOG])
    assert record_types(data) == [
        "warcinfo",
        "metadata",
        "response",
        "request",
        "revisit",
        "request",
        "metadata",
    ]
    night = read_bytes(tmp_path, rewrite(data, index, old, new))
    assert message in night.warnings[0]
    assert f"record at byte {members(data)[index][0]}" in night.warnings[0]
    # the damaged record is gone, and with a damaged response the revisit that repeats it
    assert len(night.warnings) == (2 if index == 2 else 1)
    assert len(night.fetches) + len(night.configs) == 4 - len(night.warnings)


def test_unusable_records_are_skipped_with_capped_warnings(tmp_path: Path) -> None:
    junk = gzip.compress(b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    night = read_bytes(tmp_path, night_bytes(EVERY_KIND[:1]) + junk * 5, NightLimits(max_warnings=3))
    assert night.fetches == EVERY_KIND[:1]
    assert len(night.warnings) == 4 and night.warnings[-1].endswith("2 more warnings")
    assert "unknown record type 'resource'" in night.warnings[0]


# ------------------------------------------------------------------------------- hostile bytes

SAMPLE = night_bytes(EVERY_KIND)
WARC_LINES = st.sampled_from(
    [
        b"WARC/1.1",
        b"WARC-Type: response",
        b"WARC-Type: revisit",
        b"WARC-Type: metadata",
        b"WARC-Target-URI: http://x/",
        b"WARC-Date: 2024-07-05T00:03:00Z",
        b"WARC-Date: 2024-13-45T99:03:00.1Z",
        b"Content-Length: 5",
        b"Ingester-Source: s",
        b"Ingester-Record: fetch-error",
        b"WARC-Refers-To: <urn:uuid:1>",
        b"WARC-Profile: " + REVISIT_PROFILE.encode(),
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 2x0",
        b"Ingester-Error: [1]",
        b'{"source": 1}',
        b"",
    ]
)


def assert_night_or_night_error(tmp_path: Path, data: bytes) -> None:
    try:
        night = read_bytes(tmp_path, data)
    except NightError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(night, Night)


hostile = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@hostile
@given(cut=st.integers(0, len(SAMPLE)))
def test_any_truncation_reads_or_fails_cleanly(tmp_path: Path, cut: int) -> None:
    assert_night_or_night_error(tmp_path, SAMPLE[:cut])


@hostile
@given(flips=st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 7)), min_size=1, max_size=4))
def test_any_bit_flip_reads_or_fails_cleanly(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE)
    for position, bit in flips:
        data[position] ^= 1 << bit
    assert_night_or_night_error(tmp_path, bytes(data))


@hostile
@given(data=st.binary(max_size=2000))
def test_random_bytes_read_or_fail_cleanly(tmp_path: Path, data: bytes) -> None:
    assert_night_or_night_error(tmp_path, data)


@hostile
@given(records=st.lists(st.lists(WARC_LINES, max_size=12).map(b"\r\n".join), min_size=1, max_size=4))
def test_hostile_records_behind_a_valid_start_read_or_fail_cleanly(tmp_path: Path, records: list[bytes]) -> None:
    assert_night_or_night_error(tmp_path, SAMPLE + b"".join(gzip.compress(r, mtime=0) for r in records))
