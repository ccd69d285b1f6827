"""What the anchors cost: reply and prompt tokens with `<n> <anchor>` ids against bare numbers,
and entries per request, on Django's core catalog into French and Japanese.

The replies are built from Django's own human translations (tests/data/django/core.{fr,ja}.po),
exactly as a model would write them (`{"translations": [{"id": …, "forms": […]}]}`), for the
requests `pipeline translate` packs; tokens are counted with gpt-4o-mini's tokenizer. No server
is involved: the figures are what the anchors add to every reply, whatever the model.

Usage: python bench/bench_anchors.py
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from dataclasses import fields
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.catalogs.translator import Unit, prepare_translation  # noqa: E402
from pipeline.config import load_translate_job  # noqa: E402
from pipeline.tokens import TokenCounter  # noqa: E402

DATA = REPO / "tests/data/django"


class BareUnit(Unit):
    """An entry named by its number alone, as before the anchors."""

    @property
    def id(self) -> str:
        return str(self.number)


def human_translations(language: str) -> dict[str, list[str]]:
    po = polib.pofile(str(DATA / f"core.{language}.po"))
    found = {}
    for e in po:
        forms = [e.msgstr_plural[i] for i in sorted(e.msgstr_plural)] if e.msgid_plural else [
            e.msgstr]
        if all(forms):
            found[f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid] = forms
    return found


LETTERS = "abcdefghjkmnpqrstuvwxyz"


def unique_prefixes(sources: list[str]) -> list[str]:
    """Each source's shortest run of leading words that no other source of the request starts
    with (an alternative anchor, measured for comparison)."""
    out = []
    for i, text in enumerate(sources):
        words = text.split()
        others = [s for j, s in enumerate(sources) if j != i]
        for k in range(1, len(words) + 1):
            prefix = " ".join(words[:k])
            if not any(o == prefix or o.startswith(prefix + " ") for o in others):
                break
        out.append(prefix)
    return out


def reply_with_src(ids: list[str], srcs: list[str], usable: list, human: dict) -> int:
    items = [{"id": i, "src": s, "forms": human[u.entry.key]}
             for i, s, u in zip(ids, srcs, usable, strict=True)]
    return COUNTER.text(json.dumps({"translations": items}, ensure_ascii=False))


COUNTER = TokenCounter("gpt-4o-mini")


def main() -> None:
    counter = COUNTER
    job = load_translate_job(None, {"catalog": DATA / "core.en.po", "to": ["fr", "ja"],
                                    "model": "gpt-4o-mini", "output": "/nonexistent/{lang}.po"})
    prepared = prepare_translation(job, endpoint="https://api.openai.com/v1", free=False)
    results: dict[str, object] = {}
    for language in prepared.languages:
        human = human_translations(language.code)
        anchored = bare = prompt_anchored = prompt_bare = 0
        alternatives = dict.fromkeys(("id + separate src field", "random 3-letter token",
                                      "prefix as the only id"), 0)
        sizes: list[int] = []
        anchor_tokens: list[int] = []
        for lang, units in prepared.work:
            if lang is not language:
                continue
            usable = [u for u in units if u.entry.key in human]
            if not usable:
                continue
            sizes.append(len(units))

            def reply(ids: list[str], usable: list = usable, human: dict = human) -> int:
                items = [{"id": i, "forms": human[u.entry.key]} for i, u in zip(
                    ids, usable, strict=True)]
                return counter.text(json.dumps({"translations": items}, ensure_ascii=False))

            anchored += reply([u.id for u in usable])
            bare += reply([str(u.number) for u in usable])
            prefixes = unique_prefixes([u.entry.source for u in usable])
            alternatives["prefix as the only id"] += reply(prefixes)
            alternatives["random 3-letter token"] += reply(
                [random.Random(u.entry.key).choice(LETTERS)
                 + "".join(random.Random(u.entry.key + str(k)).choice(LETTERS)
                           for k in range(2)) for u in usable])
            alternatives["id + separate src field"] += reply_with_src(
                [str(u.number) for u in usable], prefixes, usable, human)
            anchor_tokens += [counter.text(u.id) - counter.text(str(u.number)) for u in usable]
            request = prepared.translator.request(language.code, units)
            prompt_anchored += request.prompt_tokens
            plain = prepared.translator.request(
                language.code, [BareUnit(**{f.name: getattr(u, f.name) for f in fields(u)})
                                for u in units])
            prompt_bare += plain.prompt_tokens
        results[language.code] = {
            "requests": len(sizes), "entries": sum(sizes),
            "entries_per_request": round(sum(sizes) / len(sizes), 1),
            "smallest_request": min(sizes),
            "reply_tokens_bare_ids": bare, "reply_tokens_anchored": anchored,
            "reply_overhead_pct": round(100 * (anchored - bare) / bare, 1),
            "anchor_tokens_per_entry_mean": round(statistics.mean(anchor_tokens), 2),
            "anchor_tokens_per_entry_max": max(anchor_tokens),
            "prompt_tokens_bare_ids": prompt_bare, "prompt_tokens_anchored": prompt_anchored,
            "prompt_overhead_pct": round(100 * (prompt_anchored - prompt_bare) / prompt_bare, 1),
            "alternatives_reply_overhead_pct": {
                name: round(100 * (tokens - bare) / bare, 1)
                for name, tokens in alternatives.items()},
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
