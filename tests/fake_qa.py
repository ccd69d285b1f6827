"""A deterministic GEMBA-MQM judge for `translate --qa`, on the loopback server beside the fake
translator (tests/fake_translator.py): a QA request (its system prompt speaks of MQM) is
judged here, any other request goes to the translator.

The fake translator writes `[<lang>] <source>`, so the judge knows each entry's right
translation: one whose text is not its own entry's (another entry's, swapped in) is a critical
accuracy error. `flag` maps a source substring to a severity the judge always finds in that
entry's translation (a style error), for the retry-then-review path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_openai import Recorded, completion_body
from fake_translator import entries, translate_text


def is_qa(request: Recorded) -> bool:
    messages = request.body.get("messages", [])
    return bool(messages) and "MQM" in str(messages[0].get("content", ""))


@dataclass
class FakeJudge:
    """Call it as the server's completion function."""

    translator: Callable[[Recorded], dict[str, Any]]
    language: str = "fr"
    flag: dict[str, str] = field(default_factory=dict)
    #: The ids of each QA request, in order.
    judged: list[list[str]] = field(default_factory=list)
    #: Every error found, as (entry source, category, severity).
    found: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(self, request: Recorded) -> dict[str, Any]:
        if not is_qa(request):
            return self.translator(request)
        asked = entries(request)
        self.judged.append([e["id"] for e in asked])
        verdicts = []
        for e in asked:
            translation = e["translation"]
            texts = list(translation.values()) if isinstance(translation, dict) else [
                translation]
            own = {translate_text(e["source"], self.language),
                   translate_text(e.get("source_plural") or e["source"], self.language)}
            errors = [{"span": text, "category": "accuracy", "severity": "critical",
                       "explanation": "this translates another text, not this entry's source"}
                      for text in texts if text not in own]
            for part, severity in self.flag.items():
                if part in e["source"]:
                    errors.append({"span": texts[0], "category": "style",
                                   "severity": severity,
                                   "explanation": "the register does not fit the interface"})
            self.found += [(e["source"], x["category"], x["severity"]) for x in errors]
            verdicts.append({"id": e["id"], "errors": errors})
        return completion_body(request, json.dumps({"verdicts": verdicts}, ensure_ascii=False))
