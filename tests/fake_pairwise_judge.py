"""A deterministic pairwise judge for the loopback server (tests/fake_openai.py's `completion`).

It answers `pipeline compare`'s judge requests and leaves every other request to the writer
(the server's default echo). Its taste: an answer holding the marker word beats one without;
otherwise the longer answer wins; equal ones tie. Its order bias: with probability
`first_bias` it picks the answer shown first whatever it says, decided by a hash of the
request's text, so the same request always gets the same verdict (a rerun, a test).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from typing import Any

from fake_openai import Recorded, completion_body, default_completion

_ANSWER = {n: re.compile(rf"=== Answer {n} ===\n(.*?)\n=== end of answer {n} ===", re.S)
           for n in (1, 2)}


def is_judge_request(request: Recorded) -> bool:
    return bool(_ANSWER[1].search(request.user_text))


class PairwiseJudge:
    """Callable as FakeOpenAI.completion: judge requests judged, the rest to `writer`."""

    def __init__(self, *, marker: str | None = None, first_bias: float = 0.0,
                 writer: Callable[[Recorded], dict[str, Any]] = default_completion):
        self.marker = marker
        self.first_bias = first_bias
        self.writer = writer

    def verdict(self, text: str) -> tuple[str, str]:
        """("1" | "2" | "tie", reason) for a judge prompt's text."""
        one, two = (_ANSWER[n].search(text) for n in (1, 2))
        assert one is not None and two is not None, "a judge prompt shows two answers"
        roll = zlib.crc32(text.encode()) / 2**32
        if roll < self.first_bias:
            return "1", "the first answer reads better"
        first, second = one.group(1), two.group(1)
        if self.marker is not None:
            has = (self.marker in first, self.marker in second)
            if has[0] != has[1]:
                return ("1" if has[0] else "2"), f"only one answer says {self.marker}"
        if len(first) != len(second):
            return ("1" if len(first) > len(second) else "2"), "it is longer"
        return "tie", "they are equally good"

    def __call__(self, request: Recorded) -> dict[str, Any]:
        if not is_judge_request(request):
            return self.writer(request)
        better, reason = self.verdict(request.user_text)
        return completion_body(request, json.dumps({"better": better, "reason": reason}))
