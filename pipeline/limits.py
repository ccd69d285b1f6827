"""Rate-limit knowledge: what the server says about when to try again.

The request/token buckets that hold a run at its limits build on this (see DESIGN.md).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """OpenAI's reset durations ('20ms', '1s', '6m0s', '1h2m3.5s') in seconds, else None."""
    text = text.strip()
    if not text:
        return None
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        try:
            return _finite_non_negative(float(text))
        except ValueError:
            return None
    return total


def _finite_non_negative(value: float) -> float | None:
    return value if math.isfinite(value) and value >= 0 else None


def server_wait_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a 429 asks for: retry-after-ms, then retry-after (seconds or an HTTP date),
    then the longer of the x-ratelimit-reset-* durations. None when nothing usable is given."""
    lower = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lower:
        try:
            wait = _finite_non_negative(float(lower["retry-after-ms"]) / 1000)
            if wait is not None:
                return wait
        except ValueError:
            pass
    if "retry-after" in lower:
        raw = lower["retry-after"].strip()
        try:
            wait = _finite_non_negative(float(raw))
            if wait is not None:
                return wait
        except ValueError:
            try:
                when = parsedate_to_datetime(raw).timestamp()
                return max(0.0, when - (time.time() if now is None else now))
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
    resets = [parse_duration(lower[k]) for k in ("x-ratelimit-reset-requests",
                                                  "x-ratelimit-reset-tokens") if k in lower]
    known = [r for r in resets if r is not None]
    return max(known) if known else None
