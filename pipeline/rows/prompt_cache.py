"""Cached input: OpenAI bills a repeated prompt prefix of 1,024 tokens or more at the cached
rate, on its own, when the prefix is byte-identical. Two things help it happen:

- `prompt_cache_key`, sent with every request of a step (not part of the fingerprint: it does
  not change the answer), so requests sharing a prefix are routed to the same cache. Sent to
  OpenAI's own API by default; a job can name its key or send none.
- A pre-flight word when the rows' prompts share a long part but not at their start (the row's
  data comes first, or the system message varies per row): moving the row's data to the end
  is what earns the cached rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from ..tokens import TokenCounter

#: The shortest prefix OpenAI caches.
CACHE_MIN_TOKENS = 1024
#: Rows whose first prompts are compared in pre-flight.
ROWS_COMPARED = 20


def sends_cache_key(setting: str | bool | None, endpoint: str) -> bool:
    """Whether requests carry a prompt_cache_key: a named key always, `false` never, and by
    default only to OpenAI's own API (other servers may refuse a parameter they do not know)."""
    if setting is False:
        return False
    if setting is True or isinstance(setting, str):
        return True
    return (urlsplit(endpoint).hostname or "") == "api.openai.com"


def cache_key(setting: str | bool | None, job_name: str, step_key: str) -> str:
    """The key: the job's own, or one per job and step template (and model)."""
    return setting if isinstance(setting, str) and setting else \
        f"pipeline-{job_name}-{step_key[:8]}"


def _prompt_text(messages: Sequence[dict[str, object]]) -> str:
    """The messages as the cache sees them: in order, role and content."""
    return "".join(f"<|{m.get('role')}|>{m.get('content')}" for m in messages)


def _shared_start(texts: list[str]) -> str:
    """The start every text shares (the first and last in order bound all the others)."""
    low, high = min(texts), max(texts)
    n = 0
    for a, b in zip(low, high, strict=False):
        if a != b:
            break
        n += 1
    return low[:n]


def prefix_advice(prompts: Iterable[Sequence[dict[str, object]]],
                  counter: TokenCounter | None) -> str | None:
    """A pre-flight note when the prompts share a long part (1,024+ tokens) that is not at
    their start, so nothing of it can be billed at the cached rate; None otherwise."""
    prompts = list(prompts)
    texts = [_prompt_text(p) for p in prompts]
    if len(texts) < 2 or counter is None:
        return None
    shared_start = counter.text(_shared_start(texts))
    if shared_start >= CACHE_MIN_TOKENS:
        return None
    # The longest stretch every prompt shares with the first, wherever it sits.
    first, shared = texts[0], None
    for other in texts[1:]:
        match = SequenceMatcher(None, first, other, autojunk=False).find_longest_match(
            0, len(first), 0, len(other))
        block = first[match.a:match.a + match.size]
        shared = block if shared is None or len(block) < len(shared) else shared
    shared_end = counter.text(shared or "")
    if shared_end < CACHE_MIN_TOKENS:
        return None
    systems = {str(m.get("content")) for p in prompts for m in p if m.get("role") == "system"}
    why = ("the system message varies per row" if len(systems) > 1
           else "the row's data comes before the shared text")
    return (f"cached input: the prompts share {shared_end:,} tokens but only "
            f"{shared_start:,} at their start ({why}); OpenAI bills a repeated prefix of "
            f"{CACHE_MIN_TOKENS:,}+ tokens at the cached rate, so put the shared text first "
            "and the row's data last to pay less for it")
