"""Notifications after a run: the webhook and ClickUp against loopback servers, `on`, retries,
rate limits, dedup through the journal, secrets kept out of notes and logs, pre-flight."""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fake_clickup import FakeClickUp, FakeWebhook, Reply

from pipeline import ConfigError, load_job
from pipeline.journal import Journal
from pipeline.unattended.notify import (
    ClickUpSettings,
    NotifySettings,
    check_notify,
    run_events,
    send_notifications,
)
from pipeline.unattended.notify.webhook import summary_line

TOKEN = "pk_4242_SECRETTOKENxyz0123456789"
HOOK_SECRET = "XXsecretHOOKpart42"
LIST = "901234567"


def manifest(run_id: int, *, outcome: str = "rows_failed", attention: list | None = None,
             **rows: int) -> dict[str, Any]:
    """A run manifest shaped as the run writes it (only what notifications read varies)."""
    counts = {"total": 200, "new": 10, "changed": 2, "reused": 188, "ok": 195, "failed": 2,
              "flagged": 3, "not_done": 0, **rows}
    if attention is None:
        attention = [
            {"row_id": "17", "status": "flagged", "fingerprint": "ab12",
             "inputs": {"name": "Chai", "price": "18"}, "output": "A smooth black tea " * 30,
             "problems": ["max_chars 200: 540 chars"]},
            {"row_id": "18", "status": "failed", "fingerprint": "cd34",
             "inputs": {"name": "Chang", "price": "19"}, "output": "",
             "problems": ["HTTP 400: context length exceeded"]},
        ]
    exit_code = {"ok": 0, "rows_failed": 1, "stopped": 3}[outcome]
    return {
        "manifest_version": 1, "tool_version": "0.1.0",
        "job": {"name": "products", "file": "/abs/prompts/products.toml", "sha256": "f00"},
        "templates": {"/abs/prompts/products.j2": "beef"}, "models": ["gpt-4o-mini"],
        "run_id": run_id, "started": "2026-11-30T06:00:00+01:00",
        "finished": "2026-11-30T06:00:12+01:00", "duration_s": 12.5,
        "exit_code": exit_code, "outcome": outcome,
        "stopped": "budget reached" if outcome == "stopped" else None,
        "rows": counts, "tokens": {"prompt": 1234, "completion": 567, "cached": 0},
        "cost_usd": "0.001234", "budget_usd": None,
        "limits": {"rpm": 500, "tpm": 200000, "concurrency": "derived"},
        "outputs": {"output": "/abs/outputs/products/2026-11-30/copy.csv",
                    "latest": "/abs/outputs/products/latest/copy.csv",
                    "manifest": "/abs/outputs/products/2026-11-30/run-3.json"},
        "journal": "/abs/outputs/products.journal.sqlite",
        "summary": f"rows: {counts['ok']} ok, {counts['failed']} failed, "
                   f"{counts['flagged']} flagged\ncost: $0.001234",
        "attention": attention, "attention_total": len(attention),
    }


OK_RUN = {"outcome": "ok", "attention": [], "failed": 0, "flagged": 0, "ok": 200}


@pytest.fixture
def hook() -> Iterator[FakeWebhook]:
    server = FakeWebhook().start()
    yield server
    server.stop()


@pytest.fixture
def clickup() -> Iterator[FakeClickUp]:
    server = FakeClickUp(TOKEN, lists=(LIST,)).start()
    yield server
    server.stop()


@pytest.fixture
def journal(tmp_path) -> Iterator[Journal]:
    with Journal(tmp_path / "j.sqlite") as j:
        yield j


class Sleeps(list):
    """Records the waits asked for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def hook_env(hook: FakeWebhook) -> dict[str, str]:
    return {"HOOK_URL": hook.url(f"/services/T0/B0/{HOOK_SECRET}")}


def cu_settings(clickup: FakeClickUp, **kw: Any) -> NotifySettings:
    return NotifySettings(clickup=ClickUpSettings(list_id=LIST, base_url=clickup.base_url, **kw))


# -- the webhook ---------------------------------------------------------------------------------
def test_json_webhook_posts_the_manifest_with_a_summary_line(hook, journal):
    run = manifest(journal.start_run())
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"), run, journal,
                               env=hook_env(hook))
    assert notes == [f"webhook: posted to 127.0.0.1:{hook.port}"]
    (request,) = hook.requests
    assert request.method == "POST" and request.path.endswith(HOOK_SECRET)
    assert request.headers["content-type"].startswith("application/json")
    assert request.body == {"event": "pipeline.run", "text": summary_line(run),
                            "events": ["failure", "flagged"], "manifest": run}
    assert request.body["text"] == (
        "pipeline: products run 1 finished with failed rows: 195 ok, 2 failed, 3 flagged of "
        "200 rows; cost $0.001234; output /abs/outputs/products/2026-11-30/copy.csv")
    assert journal.notification("webhook:run:1") == ""


def test_slack_format_posts_only_a_text_line(hook, journal):
    run = manifest(journal.start_run(), outcome="stopped", not_done=40)
    run["job"]["name"] = "R&D <copy>"
    send_notifications(NotifySettings(webhook_env="HOOK_URL", format="slack"), run, journal,
                       env=hook_env(hook))
    (body,) = hook.bodies
    assert list(body) == ["text"]
    text = body["text"]
    assert "\n" not in text
    assert text.startswith("pipeline: R&amp;D &lt;copy&gt; run 1 stopped early (budget "
                           "reached): 195 ok, 2 failed, 3 flagged of 200 rows, 40 not done")
    assert "cost $0.001234" in text and "/abs/outputs/products/2026-11-30/copy.csv" in text


@pytest.mark.parametrize(("kind", "events"), [
    (OK_RUN, {"ok"}),
    ({"outcome": "ok", "failed": 0}, {"ok", "flagged"}),
    ({}, {"failure", "flagged"}),
    ({"flagged": 0}, {"failure"}),
    ({"outcome": "stopped", "failed": 0, "flagged": 0}, {"stopped", "failure"}),
])
def test_what_a_run_was(kind, events):
    assert run_events(manifest(1, **kind)) == events


def test_on_picks_the_runs_that_are_posted(hook, journal):
    settings = NotifySettings(webhook_env="HOOK_URL", on=["failure", "flagged"])
    assert send_notifications(settings, manifest(journal.start_run(), **OK_RUN), journal,
                              env=hook_env(hook)) == []
    assert hook.requests == []
    flagged_only = manifest(journal.start_run(), outcome="ok", failed=0)
    send_notifications(settings, flagged_only, journal, env=hook_env(hook))
    assert [b["manifest"]["run_id"] for b in hook.bodies] == [2]
    stopped = NotifySettings(webhook_env="HOOK_URL", on=["stopped"])
    send_notifications(stopped, manifest(journal.start_run()), journal, env=hook_env(hook))
    send_notifications(stopped, manifest(journal.start_run(), outcome="stopped"), journal,
                       env=hook_env(hook))
    assert [b["manifest"]["run_id"] for b in hook.bodies] == [2, 4]


def test_a_webhook_that_fails_twice_is_retried_with_backoff(hook, journal):
    hook.fail_next(2, 503)
    sleeps = Sleeps()
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=hook_env(hook),
                               sleep=sleeps)
    assert notes == [f"webhook: posted to 127.0.0.1:{hook.port}"]
    assert hook.statuses == [503, 503, 200]
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 0.5 < sleeps[1] <= 1.0


def test_a_webhook_that_keeps_failing_gives_a_note_not_an_error(hook, journal):
    hook.fail_next(10, 500)
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=hook_env(hook),
                               sleep=Sleeps())
    assert notes == [f"webhook: could not post to 127.0.0.1:{hook.port}: HTTP 500 "
                     "internal_error, after 4 attempts"]
    assert len(hook.requests) == 4
    assert journal.notification("webhook:run:1") is None  # the next send tries again


def test_a_webhook_refusing_the_post_is_not_retried(hook, journal):
    hook.fail_next(1, 404)
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=hook_env(hook),
                               sleep=Sleeps())
    assert notes == [f"webhook: 127.0.0.1:{hook.port} refused the post (HTTP 404 "
                     "invalid_payload)"]
    assert len(hook.requests) == 1


def test_a_hanging_webhook_costs_one_timeout(hook, journal):
    hook.hang_next(5)
    started = time.monotonic()
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=hook_env(hook),
                               timeout=0.5)
    assert time.monotonic() - started < 2.0
    assert notes == [f"webhook: could not post to 127.0.0.1:{hook.port}: no answer within "
                     "0.5 s (not sent again: the server may have taken it)"]
    assert len(hook.requests) == 1


def test_an_unreachable_webhook_is_tried_four_times(hook, journal):
    env = hook_env(hook)
    hook.stop()
    sleeps = Sleeps()
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=env, sleep=sleeps)
    assert len(sleeps) == 3
    assert notes[0].startswith(f"webhook: could not post to 127.0.0.1:{hook.port}: could "
                               "not connect")
    assert notes[0].endswith("after 4 attempts")


def test_a_run_is_posted_once(hook, journal):
    settings = NotifySettings(webhook_env="HOOK_URL")
    run = manifest(journal.start_run())
    send_notifications(settings, run, journal, env=hook_env(hook))
    notes = send_notifications(settings, run, journal, env=hook_env(hook))
    assert notes == [f"webhook: run 1 was already posted to 127.0.0.1:{hook.port}"]
    assert len(hook.requests) == 1


def test_a_webhook_written_in_the_job_is_posted_to(hook, journal):
    settings = NotifySettings(webhook=hook.url("/hook"))
    assert send_notifications(settings, manifest(journal.start_run()), journal, env={}) == [
        f"webhook: posted to 127.0.0.1:{hook.port}"]


# -- ClickUp -------------------------------------------------------------------------------------
def test_clickup_run_task_and_row_tasks(clickup, journal):
    run = manifest(journal.start_run())
    settings = cu_settings(clickup, task_per_row=True, tags=["llm-review"], priority="high")
    notes = send_notifications(settings, run, journal, env={"CLICKUP_API_TOKEN": TOKEN})
    assert notes == ["ClickUp: created the run task 86b00001 (https://app.clickup.com/t/86b00001)",
                     "ClickUp: created 2 row tasks (86b00002, 86b00003)"]
    assert all(r.headers["authorization"] == TOKEN for r in clickup.requests)
    assert all(r.path == f"/api/v2/list/{LIST}/task" for r in clickup.requests)
    run_task, flagged, failed = (t["_request"] for t in clickup.tasks)
    assert run_task["name"] == "pipeline: products 2026-11-30: 3 flagged, 2 failed"
    text = run_task["markdown_content"]
    assert run_task["markdown_description"] == run_task["description"] == text
    assert run_task["tags"] == ["llm-review"] and run_task["priority"] == 2
    assert text.startswith(summary_line(run))
    for part in ("- Output: `/abs/outputs/products/2026-11-30/copy.csv`",
                 "- Manifest: `/abs/outputs/products/2026-11-30/run-3.json`",
                 "```\nrows: 195 ok, 2 failed, 3 flagged\ncost: $0.001234\n```",
                 "- row `17`: flagged: max_chars 200: 540 chars",
                 "- row `18`: failed: HTTP 400: context length exceeded",
                 "Row tasks: 2 rows get a task of its own."):
        assert part in text
    assert flagged["name"] == "products row 17: flagged"
    assert failed["name"] == "products row 18: failed"
    row_text = flagged["markdown_content"]
    for part in ("Row `17` of job `products` was **flagged** in run 1 (2026-11-30).",
                 "**Problems**\n\n- max_chars 200: 540 chars",
                 "**Input**\n\n- **name**: Chai\n- **price**: 18",
                 "**Output**\n\n```\nA smooth black tea",
                 "Output file: `/abs/outputs/products/2026-11-30/copy.csv`",
                 "Fingerprint: `ab12`"):
        assert part in row_text
    assert journal.notification(f"clickup:{LIST}:run:1") == "86b00001"
    assert journal.notification(f"clickup:{LIST}:row:17:ab12") == "86b00002"
    assert journal.notification(f"clickup:{LIST}:row:18:cd34") == "86b00003"


def test_clickup_leaves_runs_that_need_no_look_alone(clickup, journal):
    notes = send_notifications(cu_settings(clickup, task_per_row=True),
                               manifest(journal.start_run(), **OK_RUN), journal,
                               env={"CLICKUP_API_TOKEN": TOKEN})
    assert notes == [] and clickup.requests == []


def test_clickup_on_flagged_makes_tasks_only_for_flagged_rows(clickup, journal):
    settings = cu_settings(clickup, task_per_row=True, on=["flagged"])
    send_notifications(settings, manifest(journal.start_run()), journal,
                       env={"CLICKUP_API_TOKEN": TOKEN})
    assert [t["name"] for t in clickup.tasks] == [
        "pipeline: products 2026-11-30: 3 flagged, 2 failed", "products row 17: flagged"]


def test_a_clickup_429_is_waited_out_until_its_reset_and_the_task_made_once(clickup, journal):
    reset = clickup.rate_limit(1.0)
    notes = send_notifications(cu_settings(clickup), manifest(journal.start_run()), journal,
                               env={"CLICKUP_API_TOKEN": TOKEN})
    assert clickup.statuses == [429, 200]
    assert clickup.answered[1][0] >= reset  # the retry waited for X-RateLimit-Reset
    assert len(clickup.tasks) == 1
    assert notes == ["ClickUp: created the run task 86b00001 (https://app.clickup.com/t/86b00001)"]


def test_a_rate_limit_past_the_cap_is_not_waited_for(clickup, journal):
    clickup.rate_limit(600)
    sleeps = Sleeps()
    notes = send_notifications(cu_settings(clickup, task_per_row=True),
                               manifest(journal.start_run()), journal,
                               env={"CLICKUP_API_TOKEN": TOKEN}, sleep=sleeps)
    assert sleeps == [] and clickup.statuses == [429]
    assert notes[0].startswith("ClickUp: could not create the run task: HTTP 429 Rate limit "
                               "reached, APP_002 (rate limited): the server asks to wait ")
    assert notes[1] == ("ClickUp: 2 row tasks not tried (sending the run's notifications "
                        "again creates them)")


def test_clickup_5xx_is_retried(clickup, journal):
    clickup.fail_next(2, 502)
    sleeps = Sleeps()
    send_notifications(cu_settings(clickup), manifest(journal.start_run()), journal,
                       env={"CLICKUP_API_TOKEN": TOKEN}, sleep=sleeps)
    assert clickup.statuses == [502, 502, 200] and len(sleeps) == 2
    assert len(clickup.tasks) == 1


def test_sending_a_run_again_creates_no_duplicate_task(clickup, journal):
    settings = cu_settings(clickup, task_per_row=True)
    run = manifest(journal.start_run())
    send_notifications(settings, run, journal, env={"CLICKUP_API_TOKEN": TOKEN})
    sent = len(clickup.requests)
    notes = send_notifications(settings, copy.deepcopy(run), journal,
                               env={"CLICKUP_API_TOKEN": TOKEN})
    assert len(clickup.requests) == sent == 3
    assert notes == ["ClickUp: the task for run 1 exists already (86b00001)",
                     "ClickUp: 2 rows have a task already (for the same answer)"]


def test_a_rerun_makes_a_row_task_only_for_a_new_answer(clickup, journal):
    settings = cu_settings(clickup, task_per_row=True)
    send_notifications(settings, manifest(journal.start_run()), journal,
                       env={"CLICKUP_API_TOKEN": TOKEN})
    rerun = manifest(journal.start_run())
    rerun["attention"][0]["fingerprint"] = "ef56"  # row 17 answered anew, flagged again
    rerun["attention"][0]["output"] = "A new answer, still too long"
    notes = send_notifications(settings, rerun, journal, env={"CLICKUP_API_TOKEN": TOKEN})
    assert [t["name"] for t in clickup.tasks[3:]] == [
        "pipeline: products 2026-11-30: 3 flagged, 2 failed", "products row 17: flagged"]
    assert "A new answer, still too long" in clickup.tasks[4]["_request"]["markdown_content"]
    assert "1 already had one (the same answer, from an earlier run)" in \
        clickup.tasks[3]["_request"]["markdown_content"]
    assert notes[1:] == ["ClickUp: created 1 row task (86b00005)",
                         "ClickUp: 1 row has a task already (for the same answer)"]
    assert journal.notification(f"clickup:{LIST}:row:17:ef56") == "86b00005"


def test_max_row_tasks_caps_a_run_even_when_sent_again(clickup, journal):
    rows = [{"row_id": str(i), "status": "flagged", "fingerprint": f"f{i}", "inputs": {},
             "output": "x", "problems": ["too short"]} for i in range(5)]
    run = manifest(journal.start_run(), attention=rows, failed=0, flagged=5)
    run["attention_total"] = 7  # two more than the manifest lists
    run["rows"].update(new=None, changed=None)  # a run that could not tell
    settings = cu_settings(clickup, task_per_row=True, max_row_tasks=2)
    notes = send_notifications(settings, run, journal, env={"CLICKUP_API_TOKEN": TOKEN})
    assert [t["name"] for t in clickup.tasks[1:]] == ["products row 0: flagged",
                                                      "products row 1: flagged"]
    assert notes[-1] == ("ClickUp: 3 rows left without a task of their own (max_row_tasks = "
                         "2)")
    text = clickup.tasks[0]["_request"]["markdown_content"]
    assert "**Rows that need a look** (7)" in text
    assert "- Rows: 195 ok, 0 failed, 5 flagged, 0 not done of 200 (188 reused)" in text
    assert "- … and 2 more: see the output file" in text
    assert "Row tasks: 2 rows get a task of its own; 5 got none (more than max_row_tasks = 2 " \
           "or than the manifest lists): see the output file." in text
    send_notifications(settings, run, journal, env={"CLICKUP_API_TOKEN": TOKEN})
    assert len(clickup.tasks) == 3


def test_a_refused_token_gives_a_note_naming_the_problem(clickup, journal):
    settings = cu_settings(clickup, task_per_row=True)
    notes = send_notifications(settings, manifest(journal.start_run()), journal,
                               env={"CLICKUP_API_TOKEN": "pk_wrong_token_123"}, sleep=Sleeps())
    assert notes == [
        "ClickUp: could not create the run task (401 Token invalid, OAUTH_025): check the "
        "ClickUp API token in CLICKUP_API_TOKEN",
        "ClickUp: 2 row tasks not tried (sending the run's notifications again creates them)"]
    assert clickup.statuses == [401]  # nothing else is tried with a refused token
    assert journal.notification(f"clickup:{LIST}:run:1") is None


def test_a_list_the_token_cannot_see_is_named(clickup, journal):
    settings = NotifySettings(clickup=ClickUpSettings(list_id=12345, base_url=clickup.base_url))
    notes = send_notifications(settings, manifest(journal.start_run()), journal,
                               env={"CLICKUP_API_TOKEN": TOKEN})
    assert notes == ["ClickUp: could not create the run task (401 Team(s) not authorized, "
                     "OAUTH_023): the token may not see list 12345 (check list_id, and that "
                     "the token's user can open the list)"]


def test_a_row_clickup_refuses_does_not_stop_the_others(clickup, journal):
    run = manifest(journal.start_run())
    settings = cu_settings(clickup, task_per_row=True)
    send_notifications(settings, run, journal, env={"CLICKUP_API_TOKEN": TOKEN},
                       sleep=Sleeps())
    assert len(clickup.tasks) == 3
    rerun = manifest(journal.start_run(), attention=[
        {"row_id": "20", "status": "flagged", "fingerprint": "a"},
        {"row_id": "21", "status": "flagged", "fingerprint": "b"}])
    clickup.then(Reply(200, {"id": "86run", "url": "https://app.clickup.com/t/86run"}),
                 Reply(400, {"err": "Task name invalid", "ECODE": "INPUT_005"}))
    notes = send_notifications(settings, rerun, journal, env={"CLICKUP_API_TOKEN": TOKEN},
                               sleep=Sleeps())
    assert notes == [
        "ClickUp: created the run task 86run (https://app.clickup.com/t/86run)",
        "ClickUp: created 1 row task (86b00004)",
        "ClickUp: could not create the task for row 20 (400 Task name invalid, "
        "INPUT_005)"]


def test_both_targets_in_one_send(hook, clickup, journal):
    settings = NotifySettings(webhook_env="HOOK_URL", format="slack",
                              clickup=ClickUpSettings(list_id=LIST, base_url=clickup.base_url))
    notes = send_notifications(settings, manifest(journal.start_run()), journal,
                               env={**hook_env(hook), "CLICKUP_API_TOKEN": TOKEN})
    assert notes == [f"webhook: posted to 127.0.0.1:{hook.port}",
                     "ClickUp: created the run task 86b00001 (https://app.clickup.com/t/86b00001)"]


# -- secrets -------------------------------------------------------------------------------------
def test_secrets_never_appear_in_notes_or_logs(hook, clickup, journal, caplog):
    caplog.set_level(logging.DEBUG)
    env = {**hook_env(hook), "CLICKUP_API_TOKEN": TOKEN}
    settings = NotifySettings(webhook_env="HOOK_URL",
                              clickup=ClickUpSettings(list_id=LIST, base_url=clickup.base_url,
                                                      task_per_row=True))
    hook.fail_next(1, 500)
    clickup.fail_next(1, 503)
    notes = send_notifications(settings, manifest(journal.start_run()), journal, env=env)
    hook.fail_next(1, 403)
    notes += send_notifications(settings, manifest(journal.start_run()), journal,
                                env={**env, "CLICKUP_API_TOKEN": TOKEN + "x"})
    hook.hang_next(1)
    notes += send_notifications(settings, manifest(journal.start_run()), journal, env=env,
                                timeout=0.3)
    assert any("HTTP Request: POST" in r.getMessage() for r in caplog.records)
    said = "\n".join([*notes, caplog.text, *(r.getMessage() for r in caplog.records)])
    assert HOOK_SECRET not in said and TOKEN not in said
    assert f"http://127.0.0.1:{hook.port}/…" in caplog.text  # the URL, its secret left out
    with pytest.raises(ConfigError) as caught:
        check_notify(settings, {"HOOK_URL": f"ftp://x/{HOOK_SECRET}", "CLICKUP_API_TOKEN": ""})
    assert HOOK_SECRET not in str(caught.value)


def test_an_unexpected_error_is_a_note_without_secrets(hook, journal, monkeypatch):
    from pipeline.unattended.notify import webhook

    def broken(*_a: Any, url: str, **_kw: Any) -> list:
        raise RuntimeError(f"could not post to {url}")

    monkeypatch.setattr(webhook, "send", broken)
    notes = send_notifications(NotifySettings(webhook_env="HOOK_URL"),
                               manifest(journal.start_run()), journal, env=hook_env(hook))
    assert notes == [f"webhook: not sent: RuntimeError: could not post to "
                     f"http://127.0.0.1:{hook.port}/…"]


# -- pre-flight and the job file -----------------------------------------------------------------
def test_check_notify_names_the_missing_variable():
    settings = NotifySettings(webhook_env="SLACK_HOOK", clickup=ClickUpSettings(list_id="1"))
    with pytest.raises(ConfigError) as caught:
        check_notify(settings, {"SLACK_HOOK": "  "})
    text = str(caught.value)
    assert "notify.webhook_env: the environment variable SLACK_HOOK is not set" in text
    assert "notify.clickup: the environment variable CLICKUP_API_TOKEN is not set" in text
    with pytest.raises(ConfigError, match="the value of SLACK_HOOK must be an http"):
        check_notify(settings, {"SLACK_HOOK": "hooks.slack.com/x", "CLICKUP_API_TOKEN": "pk"})
    check_notify(settings, {"SLACK_HOOK": "https://hooks.slack.com/x", "CLICKUP_API_TOKEN": "pk"})
    check_notify(None, {})
    check_notify(NotifySettings(webhook="https://example.com/hook"), {})


def test_a_missing_secret_at_send_time_is_a_note(journal):
    settings = NotifySettings(webhook_env="HOOK_URL", clickup=ClickUpSettings(list_id="1"))
    assert send_notifications(settings, manifest(journal.start_run()), journal, env={}) == [
        "webhook: not posted: HOOK_URL is not set",
        "ClickUp: no task created: CLICKUP_API_TOKEN is not set"]
    assert send_notifications(None, manifest(1), journal) == []


def test_a_job_with_a_notify_table_loads(write):
    job = load_job(write("j.toml", """\
        input = "x.csv"
        template = "t.j2"
        model = "gpt-4o-mini"
        [notify]
        webhook_env = "SLACK_WEBHOOK_URL"
        on = ["failure", "flagged"]
        format = "slack"
        [notify.clickup]
        list_id = 901234567
        task_per_row = true
        tags = ["llm"]
        priority = "high"
        """))
    assert job.notify == NotifySettings(
        webhook_env="SLACK_WEBHOOK_URL", on=["failure", "flagged"], format="slack",
        clickup=ClickUpSettings(list_id="901234567", task_per_row=True, tags=["llm"],
                                priority="high"))
    assert job.notify.clickup.base_url == "https://api.clickup.com/api/v2"
    assert job.notify.clickup.on == ["failure", "flagged", "stopped"]
    assert load_job(write("k.toml", 'input = "x.csv"\ntemplate = "t.j2"\nmodel = "m"\n')) \
        .notify is None


@pytest.mark.parametrize(("table", "problem"), [
    ('[notify]\nwebhok = "https://x.test/h"', "notify.webhok: unknown key"),
    ('[notify.clickup]\nlist = "1"', "notify.clickup.list: unknown key"),
    ('[notify]\nwebhook = "https://x.test/h"\nwebhook_env = "H"',
     "notify: set webhook or webhook_env, not both"),
    ('[notify]\nwebhook = "hooks.slack.com/services/x"', "notify.webhook: must be an http(s)"),
    ('[notify]\nwebhook_env = "https://hooks.slack.com/x"',
     "notify.webhook_env: must be the name of an environment variable"),
    ('[notify]\nwebhook_env = "H"\non = ["failed"]', "notify.on.0: Input should be 'ok'"),
    ('[notify]\nformat = "slack"\n[notify.clickup]\nlist_id = "1"',
     "notify: format is for the webhook"),
    ('[notify.clickup]\nlist_id = "1/../2"', "notify.clickup.list_id: must be a ClickUp list"),
    ('[notify.clickup]\nlist_id = "1"\npriority = 2', "notify.clickup.priority: Input should"),
])
def test_a_wrong_notify_table_is_refused(write, table, problem):
    path = write("j.toml", f'input = "x.csv"\ntemplate = "t.j2"\nmodel = "m"\n{table}\n')
    with pytest.raises(ConfigError) as caught:
        load_job(path)
    assert f"{path}: {problem}" in str(caught.value)
