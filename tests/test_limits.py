"""Server-stated waits: every header form, and garbage that must not be trusted."""

from __future__ import annotations

import pytest

from pipeline.send.limits import parse_duration, server_wait_seconds

NOW = 1_700_000_000.0


@pytest.mark.parametrize(("headers", "wait"), [
    ({"retry-after-ms": "1500"}, 1.5),
    ({"Retry-After": "2"}, 2.0),
    ({"retry-after": "0.25"}, 0.25),
    ({"retry-after": "Tue, 14 Nov 2023 22:13:25 GMT"}, 5.0),
    ({"retry-after-ms": "nan", "retry-after": "3"}, 3.0),
    ({"retry-after-ms": "-5", "retry-after": "-1"}, None),
    ({"retry-after": "soon"}, None),
    ({"retry-after": "inf"}, None),
    ({"retry-after": "99999999999999999999999999"}, 1e26),
    ({"x-ratelimit-reset-requests": "20ms", "x-ratelimit-reset-tokens": "6m0s"}, 360.0),
    ({}, None),
])
def test_server_wait_seconds(headers, wait):
    assert server_wait_seconds(headers, now=NOW) == wait


@pytest.mark.parametrize(("text", "seconds"), [
    ("1s", 1.0), ("20ms", 0.02), ("6m0s", 360.0), ("1h2m3.5s", 3723.5), ("2.5", 2.5),
    ("", None), ("abc", None), ("5x", None),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds
