"""The config file: what decodes, and every mistake reported with its path and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingester.cli import main
from ingester.config import load_config, parse_config, parse_duration
from ingester.config_lines import KeyLines, parse_path, show_path
from ingester.errors import ConfigError

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"

CONTRACT_MINIMUM = """
[redis]
url = "redis://127.0.0.1:6379/0"   # absent: the embedded Redis
prefix = "ingester"

[[sources]]
name = "derbyshire-times"          # unique; becomes the events' `source`
url = "https://www.example.co.uk/news/politics/live-blog"
kind = "text"                      # an `extract --kind` value; "auto" by default
interval = "15s"                   # poll cadence
election = "parl.2024-07-04"
test = false
"""

GOOD = """\
[redis]
prefix = "night"
password_env = "REDIS_PASSWORD"

[limits]
min_gap = "250ms"

[[sources]]
name = "first"
url = "https://example.com/a"

[[sources]]
name = "second"
url = "https://example.com/b"
interval = "30s"
schedule = {active_from = "22:00", fast_from = "00:30", fast_until = "06:00"}

[[sources]]
name = "third"
url = "https://example.com/c"
interval = "1m"
max_pages = 3
"""


def test_the_contract_minimum_decodes_into_the_pipeline_settings() -> None:
    config = parse_config(CONTRACT_MINIMUM)
    (source,) = config.sources
    assert (source.name, source.kind, source.interval, source.election) == (
        "derbyshire-times",
        "text",
        15.0,
        "parl.2024-07-04",
    )
    assert (source.min_interval, source.max_interval) == (5.0, 60.0)
    assert config.redis.url == "redis://127.0.0.1:6379/0" and config.redis.prefix == "ingester"


def test_defaults_and_extensions_decode() -> None:
    config = parse_config(GOOD)
    assert [source.name for source in config.sources] == ["first", "second", "third"]
    assert config.limits.min_gap == 0.25 and config.limits.max_body_bytes == 10 * 1024 * 1024
    assert config.metrics.listen == "127.0.0.1:9108"
    second = config.sources[1]
    assert second.active is not None and second.fast is not None and second.timezone == "Europe/London"
    assert str(second.active.start) == "22:00:00" and str(second.fast.end) == "06:00:00"
    assert config.sources[2].interval == 60.0 and config.sources[2].max_pages == 3


@pytest.mark.parametrize("name", ["derbyshire.toml", "uk.toml"])
def test_the_deploy_examples_are_valid(name: str) -> None:
    config = load_config(DEPLOY / name)
    assert config.sources and len({source.name for source in config.sources}) == len(config.sources)


BAD = [
    ('interval = "30s"', 'interval = "fifteen"', ':15: sources[1].interval: expected a duration such as "15s"'),
    ('interval = "30s"', "interval = 30", ":15: sources[1].interval: expected a duration"),
    ('interval = "1m"', 'interval = "0.5s"', ":21: sources[2].interval: must be at least 1s"),
    ("max_pages = 3", "max_pages = 0", ":22: sources[2].max_pages: expected 1 to 50"),
    ("max_pages = 3", 'max_pages = "3"', ":22: sources[2].max_pages: expected `int`, got `str`"),
    ('name = "third"', 'name = "first"', ":19: sources[2].name: 'first' is used twice"),
    ('name = "third"', 'nme = "third"', ":19: sources[2].nme: unknown key"),
    ('min_gap = "250ms"', 'min_gapp = "250ms"', ":6: limits.min_gapp: unknown key"),
    ('url = "https://example.com/c"', 'url = "ftp://example.com/c"', ":20: sources[2].url: expected an http"),
    ('fast_until = "06:00"', 'fast_until = "25:00"', ":16: sources[1].schedule.fast_until: expected a time of day"),
    ('fast_from = "00:30", ', "", ":16: sources[1].schedule.fast_until: needs fast_from as well"),
    ('active_from = "22:00"', 'active_from = "22:00", timezone = "Mars/Base"', ":16: sources[1].schedule.timezone"),
    ('prefix = "night"', 'prefix = ""', ":2: redis.prefix: must not be empty"),
    ('prefix = "night"', 'url = "http://x"', ":2: redis.url: expected a URL starting with redis://"),
    ('password_env = "REDIS_PASSWORD"', 'password_env = "not a name"', ":3: redis.password_env: expected the name"),
    ("[limits]", '[limits]\ntotal_timeout = "1s"\nconnect_timeout = "2s"', ":6: limits.total_timeout: must not be"),
    ("[limits]", '[metrics]\nlisten = "nowhere"\n[limits]', ":6: metrics.listen: expected host:port"),
    ("[limits]", '[http]\nuser_agent_contact = "call me"\n[limits]', ":6: http.user_agent_contact: expected"),
    ("[redis]", 'gazetteer = "missing.csv"\n[redis]', ":1: gazetteer: no such file"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD)
def test_mistakes_are_reported_with_file_line_and_path(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    with pytest.raises(ConfigError) as caught:
        parse_config(GOOD.replace(old, new, 1), name="night.toml")
    message = str(caught.value)
    assert message.startswith("night.toml:") and expected in message, message
    assert "\n" not in message


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r":11: sources\[0\]\.kind: unknown source kind 'nope'.*known kinds"):
        parse_config(GOOD.replace('url = "https://example.com/a"', 'url = "https://example.com/a"\nkind = "nope"'))


def test_a_missing_sources_list_and_bad_toml_are_clear() -> None:
    with pytest.raises(ConfigError, match=r"missing required key 'sources'"):
        parse_config("[redis]\n")
    with pytest.raises(ConfigError, match=r"<config>: not valid TOML: .*line 2"):
        parse_config('[redis]\nurl = "unterminated\n')


def test_a_password_in_the_file_is_refused_without_echoing_it() -> None:
    for text in (
        GOOD.replace('prefix = "night"', 'prefix = "night"\npassword = "hunter2"'),
        GOOD.replace('prefix = "night"', 'url = "redis://default:hunter2@127.0.0.1:6379/0"'),
    ):
        with pytest.raises(ConfigError, match="password_env") as caught:
            parse_config(text, name="night.toml")
        assert "hunter2" not in str(caught.value)
        assert str(caught.value).startswith(("night.toml:3: redis.password", "night.toml:2: redis.url"))


@given(st.integers(0, 48), st.integers(0, 59), st.integers(0, 59))
def test_durations_with_units_add_up(hours: int, minutes: int, seconds: int) -> None:
    text = "".join(f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if value)
    if text:
        assert float(parse_duration(text)) == float(hours * 3600 + minutes * 60 + seconds)


@pytest.mark.parametrize("text", ["", "15", "s", "1m1h", "2s2s", "1.5.5s", " 5 s", "5sec", "-5s", "1d"])
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)


def test_half_seconds_and_milliseconds() -> None:
    assert parse_duration("1.5s") == 1.5 and parse_duration("250ms") == 0.25 and parse_duration("1m500ms") == 60.5


def test_key_lines_follow_arrays_subtables_and_inline_tables() -> None:
    text = '[[sources]]\nname = "a"\n[[sources]]\nname = "b"\n[sources.schedule]\ntimezone = "X"\n'
    text += '[[sources]]\nschedule = { timezone = "Y", fast_from = "01:00" }\n'
    lines = KeyLines(text)
    assert lines.line_of(("sources", 1, "schedule", "timezone")) == 6
    assert lines.line_of(("sources", 2, "schedule", "fast_from")) == 8
    assert lines.line_of(("sources", 2, "missing")) == 7
    assert lines.line_of(("nothing",)) is None
    assert parse_path("$.sources[3].interval") == ("sources", 3, "interval")
    assert show_path(("sources", 3, "schedule", "timezone")) == "sources[3].schedule.timezone"


def test_check_config_validates_a_file_without_running_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    assert main(["check-config", str(good)]) == 0
    out, err = capsys.readouterr()
    assert "ok: 3 sources" in out and "user_agent_contact is not set" in err
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('interval = "30s"', 'interval = "soon"'))
    assert main(["check-config", "--config", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and f"{bad}:15: sources[1].interval: expected a duration" in err
    assert main(["check-config", str(tmp_path / "absent.toml")]) == 1
    assert "cannot read config" in capsys.readouterr().err


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(binary)
