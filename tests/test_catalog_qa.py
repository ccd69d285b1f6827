"""`translate --qa`: translations judged GEMBA-MQM style (tests/fake_qa.py), the failing ones
translated again once with the findings, then left for review; glossary terms checked with no
request; the score per 1,000 words; journaled, budgeted and estimated like translation."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from catalog_data import copy_tree
from fake_openai import Reply
from fake_qa import FakeJudge, is_qa
from fake_translator import FakeTranslator, entries, translate_text
from lxml import etree
from test_catalogs import copy

RETEXT = "qt/retext/retext_de.ts"
#: Two neighbours of one context (ConfigDialog) of ReText's real catalog, no placeholder.
FIRST, SECOND = "Behavior", "Automatically save documents"


def _translations(path: Path) -> dict[tuple[str, str], str]:
    root = etree.parse(str(path)).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.findtext("translation")
            for c in root.iter("context") for m in c.iter("message")}


def _words(catalog: Path, first: int) -> int:
    """The source words of the catalog's first messages, as MQM counts them (runs of letters
    or digits)."""
    sources = [m.findtext("source") for m in etree.parse(str(catalog)).getroot().iter(
        "message")][:first]
    return sum(len(re.findall(r"\w+", s)) for s in sources)


def _swapping() -> FakeTranslator:
    """Answers FIRST with SECOND's translation and SECOND with FIRST's, ids intact."""
    return FakeTranslator(language="fr", sabotage={FIRST: "swap_text"})


@pytest.fixture
def retext(tmp_path) -> Path:
    return copy_tree(RETEXT, tmp_path)


def test_without_qa_the_swapped_translations_are_written(translate, retext, tmp_path):
    """The failure no structural check sees: two entries of one context get each other's
    text, ids and anchors intact; every check passes and both are written wrong."""
    result = translate(retext, "--limit", "10", translator=_swapping())
    assert result.exit_code == 0, result.output
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(SECOND, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(FIRST, "fr")


def test_with_qa_the_swap_is_caught_retried_and_written_right(translate, retext, tmp_path,
                                                             fake):
    translator = _swapping()
    judge = FakeJudge(translator)
    result = translate(retext, "--limit", "10", "--qa", translator=judge)
    assert result.exit_code == 0, result.output
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(SECOND, "fr")
    # Both caught by the judge, in the one QA request that packed the translation request's
    # ten entries under their ids, then each translated again alone with the findings.
    assert sorted(s for s, _, sev in judge.found if sev == "critical") == sorted(
        [FIRST, SECOND])
    translation_ids = [e["id"] for e in entries(fake.requests[0])]
    assert judge.judged[0] == translation_ids and len(translation_ids) == 10
    again = [e for r in fake.requests if not is_qa(r) for e in entries(r) if e.get("problems")]
    assert sorted(e["text"] for e in again) == sorted([FIRST, SECOND])
    assert all("critical accuracy error" in e["problems"][0] for e in again)
    assert "2 translated again with the findings (2 then passed, 0 left for review)" in (
        result.stderr)
    # Scored on the translations as written (none wrong); before the retries, two critical
    # errors (10 each) over the ten entries' source words.
    first_pass = 1000 * 2 * 10 / _words(retext, 10)
    assert (f"MQM penalty 0.0 per 1,000 source words (0 over {_words(retext, 10)} words of 10 "
            f"entries; 0 critical, 0 major, 0 minor; weights 10/5/1, 0 is no error found; "
            f"{first_pass:.1f} before") in result.stderr



def _manifest(tmp_path: Path) -> dict:
    return json.loads(max(tmp_path.glob("*.run-*.json")).read_text(encoding="utf-8"))


def _left_for_review(report: str) -> dict[str, str]:
    """The report's entries left for review: source -> reason."""
    found = re.findall(r'left for review: "([^"]+)" \([^)]*\): (.*)', report)
    return dict(found)


def _message(path: Path, source: str) -> etree._Element:
    return next(m for m in etree.parse(str(path)).getroot().iter("message")
                if m.findtext("source") == source)


def test_a_glossary_miss_is_found_with_no_qa_request(translate, retext, tmp_path, fake, write):
    """ReText's first message, "Using configuration file at:", with `file = fichier` in the
    glossary: the fake translator never writes "fichier", so exact matching finds the miss
    (a major terminology error), the entry is translated again once with it, still misses,
    and is left for review; the judge model is never asked about it."""
    glossary = write("glossary.txt", "file = fichier\n[de]\nBehavior = Verhalten\n")
    judge = FakeJudge(FakeTranslator(language="fr"))
    result = translate(retext, "--limit", "2", "--qa", "--glossary", glossary,
                       translator=judge)
    assert result.exit_code == 1, result.output
    first = "Using configuration file at:"
    judged = [e for r in fake.requests if is_qa(r) for e in entries(r)]
    assert [e["source"] for e in judged] == [FIRST]  # only the entry with no miss; the
    # [de] section's term is not checked in French
    again = [e for r in fake.requests if not is_qa(r) for e in entries(r) if e.get("problems")]
    assert [e["text"] for e in again] == [first]
    assert "major terminology error" in again[0]["problems"][0]
    assert "'fichier'" in again[0]["problems"][0]
    left = _left_for_review(result.stderr)
    assert list(left) == [first]
    assert left[first].startswith('QA: major terminology error: "file" (the glossary '
                                  "translates 'file' as 'fichier'")
    assert "1 translated (0 of them after a retry alone), 1 left for review" in result.stderr
    assert "2 glossary miss(es) found without a request" in result.stderr
    out = tmp_path / "qt/retext/retext_fr.ts"
    message = _message(out, first)
    assert not message.findtext("translation") and message.find("translation").get(
        "type") == "unfinished"
    assert "QA: major terminology error" in message.findtext("translatorcomment")
    assert _message(out, FIRST).findtext("translation") == translate_text(FIRST, "fr")


def test_a_major_error_is_translated_again_once_then_left_for_review(translate, retext,
                                                                    tmp_path, fake):
    """The judge always finds a major error in "Behavior": one more translation alone with
    the findings (not fix_attempts more), judged again alone, then left for review with its
    findings in the report, the manifest and the catalog's review note."""
    judge = FakeJudge(FakeTranslator(language="fr"), flag={FIRST: "major"})
    result = translate(retext, "--limit", "5", "--qa", translator=judge)
    assert result.exit_code == 1, result.output
    sent = [e for r in fake.requests if not is_qa(r) for e in entries(r)]
    assert [e["text"] for e in sent].count(FIRST) == 2
    again = next(e for e in sent if e.get("problems"))
    assert again["text"] == FIRST and "major style error" in again["problems"][0]
    assert again["previous_attempt"] == [translate_text(FIRST, "fr")]
    assert judge.judged[-1] == [again["id"]]  # judged again, alone
    assert len(judge.judged) == 2
    assert _left_for_review(result.stderr) == {FIRST: (
        'QA: major style error: "[fr] Behavior" (the register does not fit the interface)')}
    assert "1 translated again with the findings (0 then passed, 1 left for review)" in (
        result.stderr)
    assert re.search(r'QA worst: "Behavior" \(ConfigDialog\W*Behavior\) \(penalty 5\): major '
                     "style error", result.stderr)
    message = _message(tmp_path / "qt/retext/retext_fr.ts", FIRST)
    assert not message.findtext("translation")
    assert "QA: major style error" in message.findtext("translatorcomment")
    qa = _manifest(tmp_path)["languages"][0]["qa"]
    assert qa["left_for_review"] == 1 and qa["worst"][0]["findings"][0] == {
        "category": "style", "severity": "major", "span": "[fr] Behavior",
        "explanation": "the register does not fit the interface", "by": "judge"}
    attention = _manifest(tmp_path)["attention"]
    assert any("QA: major style error" in a["problems"][0] for a in attention)


def test_the_score_is_the_weighted_penalty_per_thousand_source_words(translate, retext,
                                                                      tmp_path):
    """Weights minor 1, major 5, critical 10, over the source words of the judged entries:
    a minor error in one entry and a major one (left after its retry) in another."""
    judge = FakeJudge(FakeTranslator(language="fr"),
                      flag={FIRST: "minor", SECOND: "major"})
    result = translate(retext, "--limit", "10", "--qa", translator=judge)
    assert result.exit_code == 1, result.output
    words = _words(retext, 10)
    expected = 1000 * (1 + 5) / words
    assert f"MQM penalty {expected:.1f} per 1,000 source words (6 over {words} words of 10 " \
           "entries; 0 critical, 1 major, 1 minor" in result.stderr
    qa = _manifest(tmp_path)["languages"][0]["qa"]
    assert qa["score_per_1000_words"] == round(expected, 2) and qa["penalty"] == 6
    assert [w["entry"].split('"')[1] for w in qa["worst"]] == [SECOND, FIRST]


def test_in_batch_mode_the_verdicts_have_their_own_batch(run_cli, fake, api_key, retext,
                                                          tmp_path):
    """--mode batch --qa: the translation's packed request in one batch, then the packed
    QA request (the verdicts on what it gave) in another; the two swapped entries are then
    translated again alone online, and judged again alone online."""
    judge = FakeJudge(_swapping())
    fake.completion = judge
    result = run_cli("translate", retext, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
                     fake.base_url, "-q", "--mode", "batch", "--qa", "--limit", "10",
                     "--journal", tmp_path / "j.sqlite", "--set", "batch_poll_s=0.01")
    assert result.exit_code == 0, result.output
    api = fake.batch_api
    assert [m for m, p in api.calls if p == "/v1/batches"] == ["POST", "POST"]
    assert [b["request_counts"]["total"] for b in api.batches.values()] == [1, 1]
    assert len(judge.judged) == 3 and len(judge.judged[0]) == 10  # batched, then two alone
    online = fake.requests
    assert sorted(e["text"] for r in online if not is_qa(r) for e in entries(r)) == sorted(
        [FIRST, SECOND])
    assert sorted(e["source"] for r in online if is_qa(r) for e in entries(r)) == sorted(
        [FIRST, SECOND])
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(SECOND, "fr")
    assert "2 translated again with the findings (2 then passed" in result.stderr


def test_the_judge_model_is_in_the_budget(translate, retext, fake):
    """A budget needs a price for every model a request names: the QA judge's too, refused
    before anything is sent."""
    result = translate(retext, "--qa", "--judge", "no-such-judge", "--budget", "1")
    assert result.exit_code == 2
    assert "a budget needs a price for 'no-such-judge'" in result.output
    assert fake.requests == []


def test_qa_spend_counts_against_the_budget(translate, retext, tmp_path):
    """What the run spent (journaled for its budget) is the translation's and the QA's."""
    judge = FakeJudge(FakeTranslator(language="fr"))
    result = translate(retext, "--limit", "10", "--qa", "--budget", "5", translator=judge)
    assert result.exit_code == 0, result.output
    manifest = _manifest(tmp_path)
    qa_cost = Decimal(manifest["languages"][0]["qa"]["cost_usd"])
    assert qa_cost > 0
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:
        spent = Decimal(db.execute("SELECT spent_usd FROM runs").fetchone()[0])
    assert spent == Decimal(manifest["cost_usd"]) and spent > qa_cost


def test_the_estimate_shows_the_qa_share(run_cli, api_key, retext, fake):
    args = ["translate", retext, "--to", "fr", "-m", "gpt-4o-mini", "--limit", "30",
            "--batch-entries", "10", "--estimate"]
    plain = run_cli(*args)
    with_qa = run_cli(*args, "--qa")
    assert plain.exit_code == 0 and with_qa.exit_code == 0, with_qa.output
    assert "QA" not in plain.output
    lines = with_qa.output.splitlines()
    at = next(i for i, x in enumerate(lines) if "QA's share" in x)
    share, costs, batch = lines[at], lines[at + 1], lines[at + 2]
    assert "QA's share (gpt-4o-mini, --qa): 3 request(s)" in share
    assert int(re.search(r"prompt tokens about ([\d,]+)", share)[1].replace(",", "")) > 0
    assert "\n".join(lines[:at] + lines[at + 3:]) == plain.output.rstrip("\n")
    translation = Decimal(re.search(r"cost: \$([\d.]+) expected", plain.output)[1])
    qa, total = (Decimal(x) for x in re.findall(r"\$([\d.]+) expected", costs))
    assert qa > 0 and total == translation + qa
    assert Decimal(re.search(r"\$([\d.]+) expected", batch)[1]) * 2 == qa  # half, at OpenAI
    assert fake.requests == []


def test_check_is_unaffected_by_qa(translate, run_cli, retext, tmp_path, fake):
    judge = FakeJudge(FakeTranslator(language="fr"))
    assert translate(retext, "--qa", translator=judge).exit_code == 0
    sent = len(fake.requests)
    check = ["translate", retext, "--to", "fr", "--check"]
    plain, with_qa = run_cli(*check), run_cli(*check, "--qa")
    assert plain.exit_code == with_qa.exit_code == 0, with_qa.output
    assert plain.output == with_qa.output
    assert len(fake.requests) == sent


def test_kill_9_during_qa_then_rerun_pays_no_request_twice(fake, api_key, run_cli, retext,
                                                           tmp_path):
    """Four translation requests and four QA requests (20 entries, 5 a request, one in
    flight at a time); the process is killed with SIGKILL while the third QA request waits
    for its answer. The rerun buys only what the first run had not been answered: no prompt
    is answered twice, and every QA verdict bought before the kill comes from the journal."""
    fake.completion = FakeJudge(FakeTranslator(language="fr"))
    qa_seen: list[str] = []

    def hold_the_third_qa(request):
        if is_qa(request):
            qa_seen.append(request.user_text)
            if len(qa_seen) == 3:
                return Reply(delay=10)  # answered to nobody: the client is gone by then
        return None

    fake.per_request = hold_the_third_qa
    args = [str(a) for a in (retext, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
                             fake.base_url, "-q", "--qa", "--limit", "20", "--batch-entries",
                             "5", "--concurrency", "1", "--journal",
                             tmp_path / "journal.sqlite")]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "translate", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    deadline = time.monotonic() + 60
    while len(qa_seen) < 3 and proc.poll() is None:
        assert time.monotonic() < deadline, "the run never reached its third QA request"
        time.sleep(0.005)
    time.sleep(1.0)  # the first two verdicts journaled (they were answered before the third)
    proc.kill()
    proc.wait()
    assert proc.returncode == -9
    bought = [text for _, text in fake.answered]
    qa_bought = [text for text in bought if text in qa_seen]
    assert len(qa_bought) == 2 and qa_seen[2] not in bought
    assert not (tmp_path / "qt/retext/retext_fr.ts").exists()  # nothing written yet

    fake.per_request = None
    before = len(fake.requests)
    result = run_cli("translate", *args)
    assert result.exit_code == 0, result.output
    rerun = fake.requests[before:]
    answered = [text for _, text in fake.answered]
    assert len(answered) == len(set(answered)), "a prompt was bought twice"
    assert not {r.user_text for r in rerun} & set(bought)
    assert sum(is_qa(r) for r in rerun) == 2  # the held one and the fourth
    assert len(set(answered)) == 8  # four translation requests and four QA requests, once
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")


@pytest.mark.parametrize("catalog", ["django/core.en.po", "sphinx/sphinx.pot"])
def test_qa_that_finds_nothing_writes_what_translation_alone_writes(run_cli, fake, api_key,
                                                                   tmp_path, catalog):
    """Django's catalog (15 plural entries) and Sphinx's (858 entries: URLs, code, options),
    into Polish (more plural forms than English): with every translation right, --qa writes
    the same bytes and the same lock as a run without it, judging each translation request's
    entries in one QA request under the same ids."""
    def run(folder: str, *extra: str):
        work = tmp_path / folder
        source = copy(catalog, work / "locale/en/LC_MESSAGES/messages.po")
        fake.reset()
        fake.completion = FakeJudge(FakeTranslator(language="pl"), language="pl")
        result = run_cli("translate", source, "-m", "gpt-4o-mini", "--base-url",
                         fake.base_url, "-q", "--to", "pl", "--journal",
                         work / "journal.sqlite", *extra)
        assert result.exit_code == 0, result.output
        out = work / "locale/pl/LC_MESSAGES/messages.po"
        lock = source.with_name(source.name + ".lock")
        # The header's PO-Revision-Date is the minute each run wrote it: the two runs may
        # straddle a minute, so it is left out of the comparison.
        written = re.sub(rb'"PO-Revision-Date: [^"]*"', b'"PO-Revision-Date: (when)"',
                         out.read_bytes())
        return written, lock.read_text(encoding="utf-8"), list(fake.requests), result

    plain, plain_lock, plain_requests, _ = run("plain")
    judged, judged_lock, requests, result = run("qa", "--qa")
    assert judged == plain and judged_lock == plain_lock
    translations = [r for r in requests if not is_qa(r)]
    qa = [r for r in requests if is_qa(r)]
    # The same translation requests (in whatever order they were sent side by side).
    assert sorted(r.user_text for r in translations) == sorted(
        r.user_text for r in plain_requests)
    assert sorted(tuple(e["id"] for e in entries(r)) for r in qa) == sorted(
        tuple(e["id"] for e in entries(r)) for r in translations)
    # Plural entries are judged with each of Polish's forms by name.
    assert any(isinstance(e["translation"], dict) and len(e["translation"]) >= 3
               for r in qa for e in entries(r))
    translated = int(re.search(r"(\d+) translated \(", result.stderr)[1])
    assert f"words of {translated} entries; 0 critical" in result.stderr



SHARED = {"menu": {"open": "Open the file"}, "toolbar": {"open": "Open the file"},
          "close": "Close"}


@pytest.mark.parametrize("flag", [{}, {"Open the file": "critical"}])
def test_entries_sharing_a_text_follow_its_verdict(translate, write, fake, flag):
    """One text under two keys is translated and judged once; the entry sharing it is
    written with it when it passes, and left for review with it when it does not."""
    source = write("locales/en/app.json", json.dumps(SHARED))
    judge = FakeJudge(FakeTranslator(language="fr"), flag=flag)
    result = translate(source, "--qa", translator=judge)
    assert result.exit_code == (1 if flag else 0), result.output
    judged = [e["source"] for r in fake.requests if is_qa(r) for e in entries(r)]
    assert judged.count("Open the file") == (2 if flag else 1)  # again, alone, when flagged
    out = json.loads((source.parent.parent / "fr/app.json").read_text(encoding="utf-8"))
    if flag:
        assert out["close"] == translate_text("Close", "fr")
        assert not out.get("menu") and not out.get("toolbar")
        assert "reused:" not in result.stderr and "0 translated" not in result.stderr
        assert "entries: 3 to translate: 1 translated (0 of them after a retry alone), 2 " \
               "left for review" in result.stderr
        assert len(re.findall(r"left for review: .*critical style error", result.stderr)) == 2
    else:
        assert out["menu"]["open"] == out["toolbar"]["open"] == translate_text(
            "Open the file", "fr")
        assert "left for review: " not in result.stderr
        assert "reused: 1 entries share a translated text" in result.stderr
