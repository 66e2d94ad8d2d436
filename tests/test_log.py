"""Secrets never reach a log line: URL passwords, secret-named keys, secret query parameters."""

from __future__ import annotations

import io
import json
import sys

import pytest
import structlog

from ingester import log


def test_redact_text_hides_passwords_and_secret_parameters_only() -> None:
    text = "fetching https://user:hunter2@feeds.test/live?api_key=SEKRET&page=2&Token=T0K;sig=abc from redis://:pw@h/0"
    shown = log.redact_text(text)
    for secret in ("hunter2", "SEKRET", "T0K", "abc", ":pw@"):
        assert secret not in shown
    assert "page=2" in shown and "feeds.test/live" in shown


def test_the_configured_chain_redacts_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    log.configure(json=True)
    structlog.get_logger().warning(
        "fetch failed", url="https://x.test/feed?apikey=K3Y", password="p4ss", redis="rediss://u:s3cret@r:6380"
    )
    line = json.loads(out.getvalue())
    assert "K3Y" not in out.getvalue() and "p4ss" not in out.getvalue() and "s3cret" not in out.getvalue()
    assert line["password"] == log.REDACTED and line["event"] == "fetch failed"
