"""A fake translator for the loopback server: answers catalog requests entry by entry, and can
be told to break some answers the ways real models do (drop or rename a placeholder, give the
wrong number of plural forms, scramble or repeat ids, leave one out)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_openai import Recorded, completion_body

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{-?\s*[^{}]+\}\}|\{\w*\}|</?\w+>")


def entries(request: Recorded) -> list[dict[str, Any]]:
    """The entries a catalog request lists (one JSON object per line of the user message)."""
    out = []
    for line in request.user_text.splitlines():
        if line.startswith('{"id"'):
            out.append(json.loads(line))
    return out


def translate_text(text: str, language: str) -> str:
    """A stand-in translation that keeps placeholders, tags and the edges of the text."""
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    return f"{lead}[{language}] {text.strip()}{trail}" if text.strip() else text


@dataclass
class FakeTranslator:
    """Call it as the server's completion function. `sabotage` maps a source text substring
    to how to break its first answer(s): drop, rename, forms, scramble, duplicate, missing."""

    language: str = "fr"
    sabotage: dict[str, str] = field(default_factory=dict)
    times: int = 1
    broken: dict[str, int] = field(default_factory=dict)
    batches: list[int] = field(default_factory=list)

    def __call__(self, request: Recorded) -> dict[str, Any]:
        asked = entries(request)
        self.batches.append(len(asked))
        items = []
        for e in asked:
            n = len(e["forms"])
            source = e.get("plural_text") or e["text"]
            forms = [translate_text(source, self.language) for _ in range(n)]
            items.append({"id": e["id"], "forms": forms})
            how = next((h for k, h in self.sabotage.items() if k in e["text"]), None)
            if how and self.broken.get(e["text"], 0) < self.times:
                self.broken[e["text"]] = self.broken.get(e["text"], 0) + 1
                self._break(items, how)
        return completion_body(request, json.dumps({"translations": items},
                                                   ensure_ascii=False))

    @staticmethod
    def _break(items: list[dict[str, Any]], how: str) -> None:
        item = items[-1]
        if how == "drop":
            item["forms"] = [PLACEHOLDER.sub("", f, count=1) for f in item["forms"]]
        elif how == "rename":
            item["forms"] = [re.sub(r"%\((\w+)\)", r"%(\1_x)", f) if "%(" in f
                             else re.sub(r"\{(\w+)\}", r"{\1_x}", f) for f in item["forms"]]
        elif how == "forms":
            item["forms"] = item["forms"] + item["forms"][:1]
        elif how == "scramble":
            item["id"] = str(int(item["id"]) + 1000)
        elif how == "duplicate":
            items.append(dict(item))
        elif how == "missing":
            items.pop()


def translator(**kw: Any) -> Callable[[Recorded], dict[str, Any]]:
    return FakeTranslator(**kw)
