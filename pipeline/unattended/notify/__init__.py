"""Notifications after a run, configured in the job's `[notify]` table (settings.py): a webhook
(webhook.py) and ClickUp tasks (clickup.py). Secrets come from the environment only.

`check_notify` is part of the pre-flight (before anything is spent): a secret that is not set
is a ConfigError. `send_notifications` runs after the run and never fails it: what went wrong
comes back as notes (and log records), each naming a host, never a URL or token.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...errors import ConfigError
from ...notify_settings import ClickUpSettings, NotifySettings, run_events, url_problem
from .http import Note, redact, url_secrets

if TYPE_CHECKING:
    from ...journal import Journal

__all__ = ["ClickUpSettings", "NotifySettings", "check_notify", "run_events",
           "send_notifications"]

log = logging.getLogger(__name__)


def check_notify(settings: NotifySettings | None,
                 env: Mapping[str, str] = os.environ) -> None:
    """Raise ConfigError when a secret the notifications need is not in the environment."""
    if settings is None:
        return
    problems = []
    if settings.webhook_env is not None:
        name = settings.webhook_env
        url = env.get(name, "").strip()
        if not url:
            problems.append(f"notify.webhook_env: the environment variable {name} is not set "
                            "(or is empty): put the webhook URL in it, in the environment the "
                            "run starts from (for cron: the crontab or its wrapper script)")
        elif problem := url_problem(url):
            problems.append(f"notify.webhook_env: the value of {name} {problem}")
    if settings.clickup is not None:
        name = settings.clickup.token_env
        if not env.get(name, "").strip():
            problems.append(f"notify.clickup: the environment variable {name} is not set (or "
                            "is empty): put a ClickUp API token in it (ClickUp: Settings > "
                            "Apps > API Token; personal tokens start with pk_)")
    if problems:
        raise ConfigError("\n".join(["notifications cannot be sent:", *problems,
                                     "Nothing was sent."]))


def send_notifications(settings: NotifySettings | None, manifest: dict[str, Any],
                       journal: Journal, *, env: Mapping[str, str] = os.environ,
                       sleep: Callable[[float], None] = time.sleep,
                       timeout: float = 10.0) -> list[str]:
    """Send what `settings` asks for about the run `manifest` describes; one note per thing
    done or not done. Never raises for network or HTTP problems (nor, as far as it can help
    it, for anything else): a notification must not fail a run that is over.

    `timeout` bounds each HTTP request (a server that takes a request and never answers
    costs one timeout: it is not sent again); `sleep` is what waits between attempts."""
    if settings is None:
        return []
    from . import clickup, webhook  # httpx and the senders load only when a run notifies

    notes: list[Note] = []
    url = settings.webhook or (env.get(settings.webhook_env, "").strip()
                               if settings.webhook_env else "")
    token = env.get(settings.clickup.token_env, "").strip() if settings.clickup else ""
    secrets = {**url_secrets(url), **({token: "***"} if token else {})}
    if settings.has_webhook:
        if not url:
            notes.append(Note(f"webhook: not posted: {settings.webhook_env} is not set",
                              problem=True))
        elif problem := url_problem(url):
            notes.append(Note(f"webhook: not posted: the URL in {settings.webhook_env} "
                              f"{problem}", problem=True))
        else:
            notes += _guarded("webhook", secrets, lambda: webhook.send(
                settings, manifest, journal, url=url, sleep=sleep, timeout=timeout))
    if settings.clickup is not None:
        cu = settings.clickup
        if not token:
            notes.append(Note(f"ClickUp: no task created: {cu.token_env} is not set",
                              problem=True))
        else:
            notes += _guarded("ClickUp", secrets, lambda: clickup.send(
                cu, manifest, journal, token=token, sleep=sleep, timeout=timeout))
    for note in notes:
        log.log(logging.WARNING if note.problem else logging.INFO, "%s", note.text)
    return [note.text for note in notes]


def _guarded(name: str, secrets: Mapping[str, str],
             send: Callable[[], list[Note]]) -> list[Note]:
    try:
        return send()
    except Exception as exc:  # a notification must never fail the run
        said = redact(str(exc), secrets)[:200]
        return [Note(f"{name}: not sent: {type(exc).__name__}" + (f": {said}" if said else ""),
                     problem=True)]
