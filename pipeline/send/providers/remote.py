"""What the providers of a remote API share: the key found (or its absence said before any
spend), kept out of every message, and a failed connection said in words (whatever the SDK's
transport reported it as)."""

from __future__ import annotations

import re
import socket
import ssl

from ...config import Connection
from ...errors import ConfigError

#: Anything shaped like a key (OpenAI's sk-..., Anthropic's sk-ant-..., key-/token-..., and
#: Google's API keys, AIza followed by 35 characters).
KEY_PATTERN = re.compile(r"\b(?:(sk|key|token)-[A-Za-z0-9_\-*]{6,}|AIza[A-Za-z0-9_\-]{35})")


def api_key(job: Connection, settings: dict[str, str], *, example: str,
            instead: str | None = None) -> str:
    """The job's key: its own, else the variable it names (`api_key_env`) from the
    environment or .env. None there: a ConfigError naming the variable, with an `example`
    value, and for `provider = "auto"` how to reach the model another way (`instead`)."""
    key = job.api_key.get_secret_value() if job.api_key else settings.get(job.api_key_env)
    if key:
        return key
    other = f" {instead}" if instead and job.provider == "auto" else ""
    raise ConfigError(
        f"no API key: set {job.api_key_env} in the environment or in a .env file (e.g. "
        f"{job.api_key_env}={example}), or name another variable with api_key_env.{other}")


def redact(text: str, secret: str | None) -> str:
    """`text` without the key, nor anything shaped like one, for users, logs and the journal."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return KEY_PATTERN.sub("[redacted]", text)


def connection_problem(exc: BaseException,
                       timeouts: tuple[type[BaseException], ...] = ()) -> str:
    """What went wrong under a connection error, in words: the SDKs' aiohttp transport
    reports a refused connection or a failed DNS lookup as a connect *timeout*, so the cause
    chain is read for the real one. `timeouts`: the SDK's own timeout error classes."""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in seen:
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    for err in seen:
        if isinstance(err, ConnectionRefusedError):
            return "connection refused"
        if isinstance(err, socket.gaierror):
            return f"DNS lookup failed ({err.strerror or err})"
        if isinstance(err, ssl.SSLError):
            return f"TLS handshake failed ({getattr(err, 'reason', None) or err})"
        if isinstance(err, ConnectionResetError):
            return "connection reset by the server"
    for err in seen:
        if "ssl" in type(err).__name__.lower() or "certificate" in type(err).__name__.lower():
            return f"TLS handshake failed ({err})"
    if any(isinstance(err, (TimeoutError, *timeouts)) for err in seen):
        return "timed out"
    root = seen[-1]
    return f"connection failed ({type(root).__name__}: {root})" if str(root) else \
        f"connection failed ({type(root).__name__})"
