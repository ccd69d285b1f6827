"""The job's `[notify]` table: where to say how a run went (docs: Notifications).

Secrets are never written here: a webhook URL that embeds one (Slack's and Teams' do) is read
from the environment variable `webhook_env` names, the ClickUp token from `token_env`. This
module imports nothing from the rest of the pipeline, so config.py can import it.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: What a run can be, for `on`: "ok" (exit 0), "failure" (a row failed, or the run stopped
#: early), "flagged" (a row was flagged), "stopped" (the run stopped early). A run can be
#: several at once: an exit-0 run with flagged rows is "ok" and "flagged".
Event = Literal["ok", "failure", "flagged", "stopped"]
EVENTS: tuple[str, ...] = get_args(Event)
#: The runs somebody should look at: ClickUp's default.
NEEDS_A_LOOK: tuple[str, ...] = ("failure", "flagged", "stopped")
#: ClickUp's priorities by name (its API takes the number).
PRIORITIES = {"urgent": 1, "high": 2, "normal": 3, "low": 4}
CLICKUP_API = "https://api.clickup.com/api/v2"

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LIST_ID = re.compile(r"[A-Za-z0-9_-]+")


def url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL, or None when it is. Never quotes the URL: it
    may hold a secret."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "must be an http(s) URL (start with https://)"
    if not parts.hostname:
        return "has no host name"
    return None


def _check_env_name(name: str | None) -> str | None:
    if name is not None and not _ENV_NAME.fullmatch(name):
        raise ValueError("must be the name of an environment variable (letters, digits, _), "
                         "not its value")
    return name


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise ValueError(f"name at least one of {', '.join(EVENTS)} (or leave `on` out)")
    return list(dict.fromkeys(events))  # duplicates dropped, order kept


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClickUpSettings(_Strict):
    """`[notify.clickup]`: a task in a ClickUp list for each run that needs a look."""

    #: The list the tasks go in (the number in the list's URL: .../v/li/901234567).
    list_id: str
    #: The environment variable holding the API token (ClickUp: Settings > Apps > API Token).
    token_env: str = "CLICKUP_API_TOKEN"
    base_url: str = CLICKUP_API
    #: Also one task per flagged or failed row (its id, input columns, output, problems).
    task_per_row: bool = False
    #: At most this many row tasks per run; the run task counts the rows left without one.
    max_row_tasks: int = Field(50, ge=0, le=1000)
    #: Which runs get a task (default: the ones that need a look).
    on: list[Event] = Field(default_factory=lambda: list(NEEDS_A_LOOK))
    #: Tags put on every task.
    tags: list[str] = []
    priority: Literal["urgent", "high", "normal", "low"] | None = None

    @field_validator("list_id", mode="before")
    @classmethod
    def _list_id_text(cls, v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)  # `list_id = 901234567` is how people will write it
        return v

    @field_validator("list_id")
    @classmethod
    def _list_id_shape(cls, v: str) -> str:
        v = v.strip()
        if not _LIST_ID.fullmatch(v):
            raise ValueError("must be a ClickUp list id (the number in the list's URL)")
        return v

    @field_validator("token_env")
    @classmethod
    def _token_env_name(cls, v: str) -> str:
        return _check_env_name(v) or v

    @field_validator("base_url")
    @classmethod
    def _base_url_http(cls, v: str) -> str:
        problem = url_problem(v)
        if problem:
            raise ValueError(problem)
        return v.strip().rstrip("/")

    @field_validator("on")
    @classmethod
    def _on(cls, v: list[str]) -> list[str]:
        return _check_events(v)

    @property
    def priority_number(self) -> int | None:
        return PRIORITIES[self.priority] if self.priority else None


class NotifySettings(_Strict):
    """`[notify]`: a webhook after each run (or only some), and/or ClickUp tasks."""

    #: The URL to POST to. Prefer webhook_env for URLs that are secrets (Slack, Teams).
    webhook: str | None = None
    #: The environment variable holding the webhook URL.
    webhook_env: str | None = None
    #: Which runs are posted (default: every run).
    on: list[Event] = Field(default_factory=lambda: list(EVENTS))
    #: "json": the manifest with a summary line; "slack": only {"text": summary line}, which
    #: Slack's and Teams' incoming webhooks show as a message.
    format: Literal["json", "slack"] = "json"
    clickup: ClickUpSettings | None = None

    @field_validator("webhook")
    @classmethod
    def _webhook_http(cls, v: str | None) -> str | None:
        if v is not None:
            problem = url_problem(v)
            if problem:
                raise ValueError(problem)
            v = v.strip()
        return v

    @field_validator("webhook_env")
    @classmethod
    def _webhook_env_name(cls, v: str | None) -> str | None:
        return _check_env_name(v)

    @field_validator("on")
    @classmethod
    def _on(cls, v: list[str]) -> list[str]:
        return _check_events(v)

    @model_validator(mode="after")
    def _one_webhook(self) -> NotifySettings:
        if self.webhook is not None and self.webhook_env is not None:
            raise ValueError("set webhook or webhook_env, not both")
        if not self.has_webhook:
            stray = [k for k in ("on", "format") if k in self.model_fields_set]
            if stray:
                raise ValueError(f"{' and '.join(stray)} {'is' if len(stray) == 1 else 'are'} "
                                 "for the webhook: set webhook or webhook_env (ClickUp has "
                                 "its own `on` in [notify.clickup])")
        return self

    @property
    def has_webhook(self) -> bool:
        return self.webhook is not None or self.webhook_env is not None


def run_events(manifest: dict[str, Any]) -> set[str]:
    """What a run was, from its manifest, in the terms `on` uses (see Event)."""
    rows = manifest.get("rows") or {}
    exit_code = manifest.get("exit_code")
    outcome = manifest.get("outcome")
    stopped = bool(manifest.get("stopped")) or outcome == "stopped" or exit_code == 3
    events: set[str] = set()
    if stopped:
        events.add("stopped")
    if (exit_code == 0 or outcome == "ok") and not stopped:
        events.add("ok")
    if stopped or _count(rows.get("failed")) or exit_code not in (0, None):
        events.add("failure")
    if _count(rows.get("flagged")):
        events.add("flagged")
    return events


def row_event(status: Any) -> str:
    """The event a row of the manifest's `attention` list belongs to."""
    return "flagged" if status == "flagged" else "failure"


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
