"""One JSON POST, retried with backoff, with every secret kept out of what it says.

Shared by webhook.py and clickup.py. What is sent again: connection failures, 5xx and 408 (a
short jittered backoff), 429 (after the wait the server states, up to a cap). What is not: any
other 4xx (the same request would be refused again), and a request the server took but did
not answer within the timeout (it may have acted on it: sending it again could post twice or
create a second task; and a hanging server then costs one timeout, not one per attempt).

Secrets (a webhook URL, which for Slack and Teams is the credential, and API tokens) never
appear in a note, a log record or an exception message: hosts are named instead, and the HTTP
client's own log records are rewritten while a Sender is open.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

log = logging.getLogger(__name__)

#: Attempts per request, the first included: three retries ride out a short outage without
#: holding a finished run for long.
ATTEMPTS = 4
#: Backoff between attempts: jittered exponential from BACKOFF_INITIAL_S up to BACKOFF_MAX_S.
BACKOFF_INITIAL_S = 0.5
BACKOFF_MAX_S = 4.0
#: A server-stated wait (Retry-After, X-RateLimit-Reset) is honoured up to this many seconds;
#: a longer one gives up at once instead of holding the run.
SERVER_WAIT_CAP_S = 60.0
#: Added to a rate limit's reset time: its clock and ours need not agree to the second.
RESET_MARGIN_S = 0.5
#: How much of an error body a note quotes.
BODY_CHARS = 200
#: Loggers of the HTTP client that may print a request's URL.
_CLIENT_LOGGERS = ("httpx2", "httpcore2.connection", "httpcore2.http11", "httpcore2.http2",
                   "httpcore2.proxy", "httpx", "httpcore")


def host_of(url: str) -> str:
    """The host (and port, when one is given) of a URL: what notes say instead of the URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "?"


def url_secrets(url: str) -> dict[str, str]:
    """Everything of a URL that may be a secret, each mapped to what is said instead."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {url: "(a URL)"} if url else {}
    shown = f"{parts.scheme}://{host_of(url)}/…"
    found = {url: shown}
    with suppress(Exception):  # an unparsable URL: only its raw text can leak
        found[str(httpx2.URL(url))] = shown  # the client's own spelling, as it logs it
    rest = url.split(parts.netloc, 1)[-1] if parts.netloc else ""
    if len(rest) > 1:
        found[rest] = "/…"
    if parts.password:
        found[parts.password] = "***"
    return found


def redact(text: str, secrets: Mapping[str, str]) -> str:
    """`text` with each secret replaced, longest first (a URL before its own path)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, secrets[secret])
    return text


class _Redacting(logging.Filter):
    def __init__(self, secrets: Mapping[str, str]):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


@contextmanager
def client_logs_redacted(secrets: Mapping[str, str]) -> Iterator[None]:
    """While open, records of the HTTP client's loggers have the secrets replaced."""
    flt = _Redacting(secrets)
    loggers = [logging.getLogger(name) for name in _CLIENT_LOGGERS]
    for logger in loggers:
        logger.addFilter(flt)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(flt)


@dataclass(frozen=True)
class Note:
    """One line on what a notification did; `problem` when it did not get through."""

    text: str
    problem: bool = False


class Refused(Exception):
    """The server answered no (a 4xx other than 408 and 429): the same request would be
    refused again. `detail` is safe to show."""

    def __init__(self, status: int, detail: str, response: httpx2.Response):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.response = response


class Unanswered(Exception):
    """No usable answer after every attempt (or a server wait past the cap, or a timeout on
    a request the server may have taken). `detail` is safe to show."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class _TryAgain(Exception):
    def __init__(self, detail: str, wait_s: float | None = None):
        super().__init__(detail)
        self.detail = detail
        self.wait_s = wait_s


def retry_after(response: httpx2.Response) -> float | None:
    """Seconds the standard Retry-After header asks for (None when it does not)."""
    try:
        return max(0.0, float(response.headers["retry-after"]))
    except (KeyError, ValueError):
        return None


def body_text(response: httpx2.Response) -> str:
    """The start of a response body, on one line, for a note."""
    text = " ".join(response.text.split())
    return text[:BODY_CHARS] + ("…" if len(text) > BODY_CHARS else "")


@dataclass
class Sender:
    """POSTs JSON for one target (a context manager: one connection pool, client logs
    redacted while open). `describe` turns an error response into a short safe text;
    `server_wait` reads how long a 429 asks to wait."""

    secrets: Mapping[str, str]
    timeout: float
    sleep: Callable[[float], None] = time.sleep
    headers: Mapping[str, str] | None = None
    describe: Callable[[httpx2.Response], str] = body_text
    server_wait: Callable[[httpx2.Response], float | None] = retry_after
    label: str = "notify"

    def __enter__(self) -> Sender:
        self._logs = client_logs_redacted(self.secrets)
        self._logs.__enter__()
        self._client = httpx2.Client(timeout=self.timeout, headers=dict(self.headers or {}),
                                     follow_redirects=False)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._client.close()
        finally:
            self._logs.__exit__(None, None, None)

    def post(self, url: str, payload: Any) -> httpx2.Response:
        """POST `payload` as JSON; the 2xx response, or Refused / Unanswered."""
        content = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        retrying = Retrying(
            stop=stop_after_attempt(ATTEMPTS), wait=self._wait, sleep=self.sleep,
            retry=retry_if_exception(_worth_waiting_for), before_sleep=self._say_retrying,
            reraise=True)
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(url, content)
        except _TryAgain as exc:
            raise Unanswered(self._gave_up(exc, retrying)) from None
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover

    def _once(self, url: str, content: bytes) -> httpx2.Response:
        try:
            response = self._client.post(
                url, content=content,
                headers={"content-type": "application/json; charset=utf-8"})
        except httpx2.ReadTimeout:
            raise Unanswered(f"no answer within {self.timeout:g} s (not sent again: the "
                             "server may have taken it)") from None
        except (httpx2.ConnectTimeout, httpx2.PoolTimeout):
            raise _TryAgain(f"could not connect within {self.timeout:g} s") from None
        except httpx2.TimeoutException:
            raise _TryAgain(f"timed out sending the request ({self.timeout:g} s)") from None
        except httpx2.TransportError as exc:
            raise _TryAgain(f"could not connect ({self._safe(exc)})") from None
        status = response.status_code
        if 200 <= status < 300:
            return response
        detail = f"HTTP {status}" + (f" {self._safe_describe(response)}".rstrip())
        if status == 429:
            wait = self.server_wait(response)
            raise _TryAgain(detail + " (rate limited)", wait)
        if status >= 500 or status == 408:
            raise _TryAgain(detail)
        raise Refused(status, detail, response)

    def _safe(self, exc: BaseException) -> str:
        text = redact(str(exc), self.secrets) or type(exc).__name__
        return text[:BODY_CHARS]

    def _safe_describe(self, response: httpx2.Response) -> str:
        try:
            return redact(self.describe(response), self.secrets)
        except Exception:  # an odd body must not cost the note
            return ""

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _TryAgain) and exc.wait_s is not None:
            return min(exc.wait_s, SERVER_WAIT_CAP_S)
        backoff = min(BACKOFF_INITIAL_S * 2 ** (state.attempt_number - 1), BACKOFF_MAX_S)
        return backoff * random.uniform(0.75, 1.0)

    def _say_retrying(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        log.info("%s: %s; trying again in %.1f s", self.label,
                 getattr(exc, "detail", "failed"), wait)

    def _gave_up(self, exc: _TryAgain, retrying: Retrying) -> str:
        if exc.wait_s is not None and exc.wait_s > SERVER_WAIT_CAP_S:
            return (f"{exc.detail}: the server asks to wait {exc.wait_s:.0f} s, more than "
                    f"{SERVER_WAIT_CAP_S:.0f} s")
        attempts = retrying.statistics.get("attempt_number", ATTEMPTS)
        return f"{exc.detail}, after {attempts} attempt{'s' if attempts != 1 else ''}"


def _worth_waiting_for(exc: BaseException) -> bool:
    if not isinstance(exc, _TryAgain):
        return False
    return exc.wait_s is None or exc.wait_s <= SERVER_WAIT_CAP_S
