"""ClickUp: a task for each run that needs a look and, with `task_per_row`, one for each flagged
or failed row (`[notify.clickup]`).

ClickUp API v2, Create Task: POST {base_url}/list/{list_id}/task with the header
`Authorization: <token>` and a JSON body (`name` required; `description`, `markdown_content`,
`tags`, `priority` 1-4 ...); the answer is the task, with its `id` and `url`. Errors come as
{"err": "...", "ECODE": "..."}; a rate limit (per token per minute) as a 429 whose
X-RateLimit-Reset header is the unix time (seconds) the window resets, waited out here.

Each task is journaled the moment its id comes back, under
    clickup:<list_id>:run:<run_id>                   the run's task
    clickup:<list_id>:row:<row_id>:<fingerprint>     a row's task: the same answer flagged again
                                                     in a later run gets no second task, a new
                                                     answer that is flagged again does
    clickup:<list_id>:run:<run_id>:row_tasks         how many row tasks the run has created
                                                     (the remote id is the count), so sending
                                                     its notifications again keeps to
                                                     max_row_tasks
so sending a run's notifications again creates only what is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx2

from ...notify_settings import ClickUpSettings, row_event, run_events
from .http import RESET_MARGIN_S, Note, Refused, Sender, Unanswered, body_text, retry_after
from .webhook import summary_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...journal import Journal

#: Rows listed in the run task's description (all of them are in the output file).
LISTED_ROWS = 20
#: Characters of one input value, and of a row's output, quoted in a row task.
INPUT_CHARS = 500
OUTPUT_CHARS = 8000
NAME_CHARS = 200
#: The manifest's kinds of rows (a count is None when the run could not tell).
_KINDS = (("new", "new"), ("changed", "changed"), ("retried", "sent again"),
          ("reused", "reused"))
#: ECODEs ClickUp answers (with a 401) when the token may not see the list or Workspace.
_NOT_AUTHORIZED_FOR_TEAM = ("OAUTH_023", "OAUTH_027")


def describe_error(response: httpx2.Response) -> str:
    """ClickUp's error body {"err": ..., "ECODE": ...} as "Token invalid, OAUTH_025"."""
    try:
        body = response.json()
    except ValueError:
        return body_text(response)
    if isinstance(body, dict) and body.get("err"):
        code = body.get("ECODE")
        return f"{body['err']}, {code}" if code else str(body["err"])
    return body_text(response)


def reset_wait(response: httpx2.Response) -> float | None:
    """Seconds until the X-RateLimit-Reset of a 429 (unix seconds), plus a margin."""
    try:
        reset = float(response.headers["x-ratelimit-reset"])
    except (KeyError, ValueError):
        return retry_after(response)
    if reset > 1e11:  # milliseconds, should it ever come that way
        reset /= 1000.0
    return max(0.0, reset - time.time()) + RESET_MARGIN_S


@dataclass
class _Plan:
    """What one send does: the rows to create tasks for, and what the run task says of the rest."""

    rows: list[tuple[dict[str, Any], str]]
    counter_key: str
    created_before: int
    over_cap: int  # rows left without a task: more than max_row_tasks
    known: int  # rows whose answer has a task already
    unlisted: int  # rows that need a look but the manifest does not list


def send(settings: ClickUpSettings, manifest: dict[str, Any], journal: Journal, *, token: str,
         sleep: Callable[[float], None], timeout: float) -> list[Note]:
    """Create the run's task (when the run matches `on`) and its row tasks, once each."""
    if not run_events(manifest) & set(settings.on):
        return []
    run_id = int(manifest["run_id"])
    prefix = target = f"clickup:{settings.list_id}"
    url = f"{settings.base_url}/list/{settings.list_id}/task"
    plan = _plan(settings, manifest, journal, prefix, run_id)
    notes: list[Note] = []
    sender = Sender(secrets={token: "***"}, timeout=timeout, sleep=sleep,
                    headers={"Authorization": token}, describe=describe_error,
                    server_wait=reset_wait, label="ClickUp")
    with sender:
        run_key = f"{prefix}:run:{run_id}"
        existing = journal.notification(run_key)
        if existing is not None:
            notes.append(Note(f"ClickUp: the task for run {run_id} exists already "
                              f"({existing or 'id unknown'})"))
        else:
            try:
                task = _create(sender, url, run_task_body(settings, manifest, plan))
            except (Refused, Unanswered) as exc:
                notes.append(_failed("the run task", exc, settings))
                if _hopeless(exc):
                    return notes + _untried(len(plan.rows))
            else:
                journal.record_notification(run_key, run_id=run_id, target=target,
                                            remote_id=task.id)
                notes.append(Note(f"ClickUp: created the run task {task.shown}"))
        notes += _row_tasks(sender, url, settings, manifest, journal, plan, run_id=run_id,
                            target=target)
    return notes


def _row_tasks(sender: Sender, url: str, settings: ClickUpSettings, manifest: dict[str, Any],
               journal: Journal, plan: _Plan, *, run_id: int, target: str) -> list[Note]:
    notes: list[Note] = []
    created: list[str] = []
    refused: list[str] = []
    for done, (row, key) in enumerate(plan.rows):
        try:
            task = _create(sender, url, row_task_body(settings, manifest, row))
        except (Refused, Unanswered) as exc:
            what = f"the task for row {row.get('row_id')}"
            if _hopeless(exc):
                notes.append(_failed(what, exc, settings))
                notes += _untried(len(plan.rows) - done - 1)
                break
            refused.append(f"row {row.get('row_id')} ({_detail(exc)})")
            continue
        journal.record_notification(key, run_id=run_id, target=target, remote_id=task.id)
        journal.record_notification(plan.counter_key, run_id=run_id, target=target,
                                    remote_id=str(plan.created_before + len(created) + 1))
        created.append(task.id or "?")
    if created:
        notes.append(Note(f"ClickUp: created {len(created)} row task"
                          f"{'s' if len(created) != 1 else ''} ({', '.join(created)})"))
    if refused:
        notes.append(Note(f"ClickUp: could not create the task for {', '.join(refused)}",
                          problem=True))
    if plan.known:
        notes.append(Note(f"ClickUp: {plan.known} row{' has' if plan.known == 1 else 's have'}"
                          " a task already (for the same answer)"))
    if plan.over_cap:
        notes.append(Note(f"ClickUp: {plan.over_cap} row{'s' if plan.over_cap != 1 else ''} "
                          f"left without a task of their own (max_row_tasks = "
                          f"{settings.max_row_tasks})"))
    return notes


def _plan(settings: ClickUpSettings, manifest: dict[str, Any], journal: Journal, prefix: str,
          run_id: int) -> _Plan:
    attention = [r for r in manifest.get("attention") or [] if isinstance(r, dict)]
    unlisted = max(0, int(manifest.get("attention_total") or 0) - len(attention))
    counter_key = f"{prefix}:run:{run_id}:row_tasks"
    if not settings.task_per_row:
        return _Plan([], counter_key, 0, 0, 0, unlisted)
    wanted = [(row, f"{prefix}:row:{row.get('row_id')}:{_fingerprint(row)}")
              for row in attention if row_event(row.get("status")) in settings.on]
    pending = [(row, key) for row, key in wanted if journal.notification(key) is None]
    created_before = int(journal.notification(counter_key) or 0)
    budget = max(0, settings.max_row_tasks - created_before)
    return _Plan(pending[:budget], counter_key, created_before,
                 over_cap=max(0, len(pending) - budget), known=len(wanted) - len(pending),
                 unlisted=unlisted)


@dataclass
class _Task:
    id: str
    url: str

    @property
    def shown(self) -> str:
        return f"{self.id} ({self.url})" if self.url else self.id or "(ClickUp sent no id)"


def _create(sender: Sender, url: str, body: dict[str, Any]) -> _Task:
    response = sender.post(url, body)
    try:
        task = response.json()
    except ValueError:
        task = {}
    if not isinstance(task, dict):
        task = {}
    # Journaled even without an id: the task may well exist, and a second is worse than none.
    return _Task(str(task.get("id") or ""), str(task.get("url") or ""))


def _hopeless(exc: Exception) -> bool:
    """After this, no other task of the send can be created: stop trying."""
    return isinstance(exc, Unanswered) or (isinstance(exc, Refused)
                                           and exc.status in (401, 403, 404))


def _detail(exc: Refused | Unanswered) -> str:
    """What went wrong, short: "401 Token invalid, OAUTH_025" for a refusal."""
    return exc.detail.removeprefix("HTTP ") if isinstance(exc, Refused) else exc.detail


def _failed(what: str, exc: Refused | Unanswered, settings: ClickUpSettings) -> Note:
    detail = _detail(exc)
    hint = ""
    if isinstance(exc, Refused):
        code = _ecode(exc.response)
        if exc.status == 401 and code in _NOT_AUTHORIZED_FOR_TEAM:
            hint = (f": the token may not see list {settings.list_id} (check list_id, and "
                    "that the token's user can open the list)")
        elif exc.status == 401:
            hint = f": check the ClickUp API token in {settings.token_env}"
        elif exc.status == 403:
            hint = f": the token's user may not create tasks in list {settings.list_id}"
        elif exc.status == 404:
            hint = f": there is no list {settings.list_id} (check list_id)"
        return Note(f"ClickUp: could not create {what} ({detail}){hint}", problem=True)
    return Note(f"ClickUp: could not create {what}: {detail}", problem=True)


def _ecode(response: httpx2.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("ECODE") if isinstance(body, dict) else None


def _untried(n: int) -> list[Note]:
    if n <= 0:
        return []
    return [Note(f"ClickUp: {n} row task{'s' if n != 1 else ''} not tried (sending the run's "
                 "notifications again creates them)", problem=True)]


# -- what the tasks say ------------------------------------------------------------------------
def run_task_body(settings: ClickUpSettings, manifest: dict[str, Any],
                  plan: _Plan | None = None) -> dict[str, Any]:
    """The run's task: a name with job, date and counts; the summary and the paths."""
    job = _job(manifest)
    rows = manifest.get("rows") or {}
    parts = []
    if "stopped" in run_events(manifest):
        parts.append("stopped early")
        if rows.get("not_done"):
            parts.append(f"{rows['not_done']} not done")
    if rows.get("flagged"):
        parts.append(f"{rows['flagged']} flagged")
    if rows.get("failed"):
        parts.append(f"{rows['failed']} failed")
    counts = ", ".join(parts) or f"{rows.get('ok', 0)} ok"
    name = f"pipeline: {job} {_date(manifest)}: {counts}"
    return _body(settings, name, _run_markdown(settings, manifest, plan))


def row_task_body(settings: ClickUpSettings, manifest: dict[str, Any],
                  row: dict[str, Any]) -> dict[str, Any]:
    """A row's task: its id, input columns, output and problems."""
    name = f"{_job(manifest)} row {row.get('row_id')}: {row.get('status')}"
    return _body(settings, name, _row_markdown(manifest, row))


def _body(settings: ClickUpSettings, name: str, markdown: str) -> dict[str, Any]:
    name = " ".join(name.split())
    body: dict[str, Any] = {
        "name": name[:NAME_CHARS - 1] + "…" if len(name) > NAME_CHARS else name,
        # The API reference names the markdown field `markdown_content` in its schema and
        # `markdown_description` in its example (and its task guide): both are sent, and
        # the plain description (the same text) shows should neither be read.
        "description": markdown,
        "markdown_content": markdown,
        "markdown_description": markdown,
    }
    if settings.tags:
        body["tags"] = list(settings.tags)
    if settings.priority_number is not None:
        body["priority"] = settings.priority_number
    return body


def _run_markdown(settings: ClickUpSettings, manifest: dict[str, Any],
                  plan: _Plan | None) -> str:
    rows = manifest.get("rows") or {}
    outputs = manifest.get("outputs") or {}
    job = manifest.get("job") or {}
    lines = [summary_line(manifest), ""]
    kinds = ", ".join(f"{rows[k]} {said}" for k, said in _KINDS if rows.get(k) is not None)
    lines.append(f"- Rows: {rows.get('ok', 0)} ok, {rows.get('failed', 0)} failed, "
                 f"{rows.get('flagged', 0)} flagged, {rows.get('not_done', 0)} not done of "
                 f"{rows.get('total', 0)}" + (f" ({kinds})" if kinds else ""))
    if manifest.get("stopped"):
        lines.append(f"- Stopped early: {manifest['stopped']}")
    if manifest.get("cost_usd") is not None:
        budget = manifest.get("budget_usd")
        lines.append(f"- Cost: ${manifest['cost_usd']}"
                     + (f" (budget ${budget})" if budget is not None else ""))
    for label, path in (("Output", outputs.get("output")), ("Latest", outputs.get("latest")),
                        ("Manifest", outputs.get("manifest")),
                        ("Journal", manifest.get("journal")), ("Job file", job.get("file"))):
        if path:
            lines.append(f"- {label}: {_code(str(path))}")
    lines.append(f"- Run {manifest.get('run_id')}: {manifest.get('started', '?')} to "
                 f"{manifest.get('finished', '?')}, exit code {manifest.get('exit_code')}")
    if manifest.get("summary"):
        lines += ["", "**Summary**", "", _fenced(str(manifest["summary"]))]
    attention = [r for r in manifest.get("attention") or [] if isinstance(r, dict)]
    total = max(int(manifest.get("attention_total") or 0), len(attention))
    if attention:
        lines += ["", f"**Rows that need a look** ({total})", ""]
        for row in attention[:LISTED_ROWS]:
            problems = row.get("problems") or []
            first = f": {_one_line(str(problems[0]), 200)}" if problems else ""
            lines.append(f"- row {_code(str(row.get('row_id')))}: {row.get('status')}{first}")
        if total > min(len(attention), LISTED_ROWS):
            lines.append(f"- … and {total - min(len(attention), LISTED_ROWS)} more: see the "
                         "output file")
    if plan is not None and settings.task_per_row:
        said = []
        if plan.rows:
            said.append(f"{len(plan.rows)} row{'s get' if len(plan.rows) != 1 else ' gets'} "
                        "a task of its own")
        if plan.known:
            said.append(f"{plan.known} already had one (the same answer, from an earlier run)")
        left = plan.over_cap + plan.unlisted
        if left:
            said.append(f"{left} got none (more than max_row_tasks = {settings.max_row_tasks}"
                        " or than the manifest lists): see the output file")
        if said:
            lines += ["", "Row tasks: " + "; ".join(said) + "."]
    return "\n".join(lines)


def _row_markdown(manifest: dict[str, Any], row: dict[str, Any]) -> str:
    job = _job(manifest)
    lines = [f"Row {_code(str(row.get('row_id')))} of job {_code(job)} was "
             f"**{row.get('status')}** in run {manifest.get('run_id')} ({_date(manifest)})."]
    problems = row.get("problems") or []
    if problems:
        lines += ["", "**Problems**", ""]
        lines += [f"- {_one_line(str(p), INPUT_CHARS)}" for p in problems]
    inputs = row.get("inputs") or {}
    if isinstance(inputs, dict) and inputs:
        lines += ["", "**Input**", ""]
        lines += [f"- **{_one_line(str(k), 100)}**: {_one_line(str(v), INPUT_CHARS)}"
                  for k, v in inputs.items()]
    output = row.get("output")
    if output is not None and output != "":
        text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False,
                                                                  indent=2, default=str)
        if len(text) > OUTPUT_CHARS:
            text = text[:OUTPUT_CHARS] + f"\n… ({len(text) - OUTPUT_CHARS} more characters)"
        lines += ["", "**Output**", "", _fenced(text)]
    output_file = (manifest.get("outputs") or {}).get("output")
    lines.append("")
    if output_file:
        lines.append(f"Output file: {_code(str(output_file))}")
    if row.get("fingerprint"):
        lines.append(f"Fingerprint: {_code(str(row['fingerprint']))}")
    return "\n".join(lines)


def _job(manifest: dict[str, Any]) -> str:
    return str((manifest.get("job") or {}).get("name") or "job")


def _date(manifest: dict[str, Any]) -> str:
    started = str(manifest.get("started") or "")
    return started[:10] if re.match(r"\d{4}-\d\d-\d\d", started) else dt.date.today().isoformat()


def _fingerprint(row: dict[str, Any]) -> str:
    """The row's answer fingerprint; for a row without one, a digest of what it holds."""
    if row.get("fingerprint"):
        return str(row["fingerprint"])
    text = json.dumps({k: row.get(k) for k in ("status", "inputs", "output", "problems")},
                      sort_keys=True, default=str)
    return "content-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text[:limit - 1] + "…" if len(text) > limit else text


def _code(text: str) -> str:
    """Inline code, with a fence of more backticks than the text holds in a row."""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fenced(text: str) -> str:
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}\n{text}\n{fence}"
