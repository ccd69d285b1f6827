"""A deterministic judge for the loopback server: scores computed from the answer's text.

Plugged in as FakeOpenAI's `completion`: a request for the judge's model (by name) is rated,
any other is answered by `writer`. A 1-5 criterion scores one point per `per_point` words of
the answer (at least 1, at most 5), plus `bias`; a yes/no criterion says no when the answer
holds a word of `banned`, else yes. The reasons say the counts, so a test can predict the
whole reply, and the critique the writer gets back, from the answer alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fake_openai import Recorded, completion_body, default_completion

ANSWER = re.compile(r"<answer>\n(.*?)\n</answer>", re.DOTALL)
CRITIQUE = "A reviewer rated your answer below the bar"


def words_of(answer: str) -> int:
    return len(answer.split())


class FakeJudge:
    """Rates answers for requests naming `model`; other requests go to `writer`."""

    def __init__(self, model: str = "gpt-4.1-nano", *,
                 writer: Callable[[Recorded], dict[str, Any]] = default_completion,
                 per_point: int = 4, bias: int = 0, banned: tuple[str, ...] = ("invented",)):
        self.model = model
        self.writer = writer
        self.per_point = per_point
        self.bias = bias
        self.banned = banned
        #: Every answer rated, in order (the text between <answer> tags).
        self.rated: list[str] = []

    def score(self, answer: str) -> int:
        return max(1, min(5, words_of(answer) // self.per_point + self.bias))

    def __call__(self, request: Recorded) -> dict[str, Any]:
        if request.body.get("model") != self.model:
            return self.writer(request)
        found = ANSWER.search(request.user_text)
        answer = found.group(1) if found else request.user_text
        self.rated.append(answer)
        schema = request.body["response_format"]["json_schema"]["schema"]
        reply: dict[str, Any] = {}
        for name, prop in schema["properties"].items():
            if name == "reason":
                continue
            if prop["properties"]["score"]["type"] == "string":  # yes/no
                hit = [w for w in self.banned if w in answer.lower()]
                reply[name] = {"score": "no" if hit else "yes",
                               "reason": f"says {hit[0]}" if hit else "nothing invented"}
            else:
                reply[name] = {"score": self.score(answer),
                               "reason": f"{words_of(answer)} words"}
        reply["reason"] = f"rated {words_of(answer)} words"
        return completion_body(request, json.dumps(reply))


def writer_growing(first: str, fixed: str) -> Callable[[Recorded], dict[str, Any]]:
    """A writer that answers `first`, and `fixed` when its request carries the critique."""
    def write(request: Recorded) -> dict[str, Any]:
        return completion_body(request, fixed if CRITIQUE in request.user_text else first)
    return write
