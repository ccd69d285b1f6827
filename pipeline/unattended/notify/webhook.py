"""The webhook: one JSON POST after a run (`[notify] webhook` or `webhook_env`, `on`, `format`).

format "json":  {"event": "pipeline.run", "text": <summary line>, "events": [...],
                 "manifest": <the run manifest>}
format "slack": {"text": <summary line>}, which Slack's incoming webhooks post as a message
                (and Teams' incoming webhook connector shows as one).

A run is posted once: the post is journaled under `webhook:run:<run id>` when the server
accepts it, so sending the same run's notifications again does not post it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...notify_settings import NotifySettings, run_events
from .http import Note, Refused, Sender, Unanswered, host_of, url_secrets

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...journal import Journal

EVENT = "pipeline.run"
_OUTCOMES = {"ok": "finished", "rows_failed": "finished with failed rows"}


def summary_line(manifest: dict[str, Any]) -> str:
    """One line on a run: job, run, outcome, row counts, cost, output path."""
    job = _one_line((manifest.get("job") or {}).get("name") or "job")
    rows = manifest.get("rows") or {}
    outcome = manifest.get("outcome")
    if outcome == "stopped" or manifest.get("stopped"):
        reason = manifest.get("stopped")
        said = f"stopped early ({_one_line(str(reason))})" if reason else "stopped early"
    else:
        said = _OUTCOMES.get(str(outcome), f"ended ({outcome}, exit {manifest.get('exit_code')})")
    counts = f"{rows.get('ok', 0)} ok, {rows.get('failed', 0)} failed, " \
             f"{rows.get('flagged', 0)} flagged of {rows.get('total', 0)} rows"
    if rows.get("not_done"):
        counts += f", {rows['not_done']} not done"
    line = f"pipeline: {job}"
    if manifest.get("run_id") is not None:
        line += f" run {manifest['run_id']}"
    line += f" {said}: {counts}"
    if manifest.get("cost_usd") is not None:
        line += f"; cost ${manifest['cost_usd']}"
    output = (manifest.get("outputs") or {}).get("output")
    if output:
        line += f"; output {_one_line(str(output))}"
    return line


def payload(fmt: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """What is posted, by `format` (see the module docstring)."""
    line = summary_line(manifest)
    if fmt == "slack":
        return {"text": _slack_escape(line)}
    return {"event": EVENT, "text": line, "events": sorted(run_events(manifest)),
            "manifest": manifest}


def send(settings: NotifySettings, manifest: dict[str, Any], journal: Journal, *, url: str,
         sleep: Callable[[float], None], timeout: float) -> list[Note]:
    """Post the run when it matches `on` and was not posted before."""
    if not run_events(manifest) & set(settings.on):
        return []
    host = host_of(url)
    run_id = manifest.get("run_id")
    key = f"webhook:run:{run_id}"
    if run_id is not None and journal.notification(key) is not None:
        return [Note(f"webhook: run {run_id} was already posted to {host}")]
    sender = Sender(secrets=url_secrets(url), timeout=timeout, sleep=sleep, label="webhook")
    try:
        with sender:
            sender.post(url, payload(settings.format, manifest))
    except Refused as exc:
        return [Note(f"webhook: {host} refused the post ({exc.detail})", problem=True)]
    except Unanswered as exc:
        return [Note(f"webhook: could not post to {host}: {exc.detail}", problem=True)]
    if run_id is not None:
        journal.record_notification(key, run_id=int(run_id), target=f"webhook:{host}",
                                    remote_id=None)
    return [Note(f"webhook: posted to {host}")]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup (links, mentions): escaped as its docs ask."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
