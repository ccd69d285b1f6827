"""A fake translator for the loopback server: answers catalog requests entry by entry, and can
break answers the ways real models do.

Each entry's translation is `[<language>] <source>` (placeholders, tags, URLs and edges kept),
so a test can tell exactly which entry a written translation came from.

Two ways to break answers:
- `sabotage` maps a source substring to one way of breaking that entry's first answer(s):
  drop (a placeholder), rename (a placeholder), forms (one too many), scramble (an unknown
  id), duplicate, missing, invent (adds a `%s` the source does not have), url (drops a URL,
  code span or option), swap (its answer and the next entry's change places), swap_text (its
  translation and the next entry's change places, ids and anchors intact: what no structural
  check can see, for QA), long (a wordier answer, `LONG` added: over a length limit).
- `seed` with `corrupt` and `misalign`: each item is broken with probability `corrupt` (one of
  the item faults that applies to it), and each packed reply is put out of step with probability
  `misalign`, the three ways models lose their place in a list: an item skipped (the rest
  numbered one too low), an item repeated (the rest shifted), or two items exchanged, preferring
  entries without placeholders (a swap between them leaves no other trace). Draws depend on the
  seed and the request's text, not on the order requests arrive, so a seed is repeatable.

Out of step, the fake does what a model that has lost its place does with our `<n> <anchor>`
ids: it writes its running number, and the anchor and translation of the text it is actually
translating.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_openai import Recorded, completion_body

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{-?\s*[^{}]+\}\}|\{\w*\}|</?\w+>")
# What the prompt lists under "keep" for an entry: URLs, code, options (see protected.py).
ITEM_FAULTS = ("drop", "rename", "forms", "invent", "url")
#: What the `long` fault adds to a translation: a wordier answer, for length limits.
LONG = ", and so on and so forth, in many more words than it needs"
MISALIGN_FAULTS = ("skip", "repeat", "swap")


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


def with_icu_cases(text: str, form: str) -> str:
    """An ICU message given the plural cases its form asks for, as a model gives the
    language's own: a case it lacks (French's `many`) copies the message's `other`."""
    for name, cases in re.findall(r"'(\w+), plural' cases ([\w=, ]+)", form):
        wanted = [c.strip() for c in cases.split(",")]
        start = text.find("{" + name + ", plural,")
        if start < 0:
            continue
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        block = text[start:end]
        have = re.findall(r"(=?\w+)\s*\{", block[len(name) + 10:])
        other = re.search(r"other\s*(\{(?:[^{}]|\{[^{}]*\})*\})", block)
        if other is None:
            continue
        extra = "".join(f" {c} {other.group(1)}" for c in wanted if c not in have)
        cut = len(text[:end].rstrip())  # before the block's closing spaces, as written
        text = text[:cut] + extra + text[cut:]
    return text


def _number_and_anchor(item_id: str) -> tuple[str, str]:
    number, _, anchor = item_id.partition(" ")
    return number, anchor


@dataclass
class FakeTranslator:
    """Call it as the server's completion function."""

    language: str = "fr"
    sabotage: dict[str, str] = field(default_factory=dict)
    times: int = 1
    seed: int | None = None
    corrupt: float = 0.0
    misalign: float = 0.0
    broken: dict[str, int] = field(default_factory=dict)
    batches: list[int] = field(default_factory=list)
    #: What was done, for a test to look at: (fault, entry text).
    faults: list[tuple[str, str]] = field(default_factory=list)
    #: A model's systematic mistake: rewrites the reply's JSON text, in the first
    #: `rewrite_times` replies (None: in every one).
    rewrite: Callable[[str], str] | None = None
    rewrite_times: int | None = None
    rewritten: int = 0
    #: Give an ICU plural the cases its form asks for (a capable model); off, it keeps the
    #: source's cases, which a language with more categories refuses.
    icu_cases: bool = False

    def __call__(self, request: Recorded) -> dict[str, Any]:
        asked = entries(request)
        self.batches.append(len(asked))
        rng = self._rng(request)
        items = []
        swaps: list[int] = []
        text_swaps: list[int] = []
        for e in asked:
            n = len(e["forms"])
            source = e.get("plural_text") or e["text"]
            forms = [translate_text(source, self.language) for _ in range(n)]
            if self.icu_cases:
                forms = [with_icu_cases(form, e["forms"][0]) for form in forms]
            items.append({"id": e["id"], "forms": forms})
            how = next((h for k, h in self.sabotage.items() if k in e["text"]), None)
            if how and self.broken.get(e["text"], 0) < self.times:
                self.broken[e["text"]] = self.broken.get(e["text"], 0) + 1
                if how == "swap":
                    swaps.append(len(items) - 1)
                elif how == "swap_text":
                    text_swaps.append(len(items) - 1)
                else:
                    self._break(items, how, e)
                self.faults.append((how, e["text"]))
            elif rng is not None and rng.random() < self.corrupt:
                applicable = [f for f in ITEM_FAULTS if self._applies(f, e)]
                fault = rng.choice(applicable)
                self._break(items, fault, e)
                self.faults.append((fault, e["text"]))
        for i in swaps:
            if i + 1 < len(items):
                _exchange(items, i, i + 1)
        for i in text_swaps:
            if i + 1 < len(items):
                items[i]["forms"], items[i + 1]["forms"] = items[i + 1]["forms"], items[i]["forms"]
        if rng is not None and len(items) > 1 and rng.random() < self.misalign:
            self._out_of_step(items, asked, rng)
        content = json.dumps({"translations": items}, ensure_ascii=False)
        if self.rewrite and (self.rewrite_times is None or self.rewritten < self.rewrite_times):
            content = self.rewrite(content)
            self.rewritten += 1
        return completion_body(request, content)

    def _rng(self, request: Recorded) -> random.Random | None:
        if self.seed is None:
            return None
        digest = hashlib.sha256(f"{self.seed}\0{request.user_text}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    @staticmethod
    def _applies(fault: str, entry: dict[str, Any]) -> bool:
        text = entry.get("plural_text") or entry["text"]
        if fault in ("drop", "rename"):
            return bool(PLACEHOLDER.search(text)) if fault == "drop" else bool(
                re.search(r"%\(\w+\)|\{\w+\}", text))
        if fault == "forms":
            return True
        if fault == "url":
            return bool(entry.get("keep"))
        return True  # invent

    def _out_of_step(self, items: list[dict[str, Any]], asked: list[dict[str, Any]],
                     rng: random.Random) -> None:
        how = rng.choice(MISALIGN_FAULTS)
        if how == "swap":
            plain = [i for i, e in enumerate(asked) if not PLACEHOLDER.search(e["text"])]
            pool = plain if len(plain) >= 2 else list(range(len(items)))
            a, b = rng.sample(pool, 2)
            _exchange(items, a, b)
            self.faults.append(("swap", asked[a]["text"]))
            return
        at = rng.randrange(len(items) - 1)
        contents = [(_number_and_anchor(it["id"])[1], it["forms"]) for it in items]
        if how == "skip":  # item `at` left out; the rest numbered one too low
            contents = contents[:at] + contents[at + 1:]
        else:  # item `at` given twice; the rest shifted by one, the last one lost
            contents = contents[:at + 1] + contents[at:-1]
        numbers = [_number_and_anchor(it["id"])[0] for it in items]
        items[:] = [{"id": f"{numbers[i]} {anchor}", "forms": forms}
                    for i, (anchor, forms) in enumerate(contents)]
        self.faults.append((how, asked[at]["text"]))

    @staticmethod
    def _break(items: list[dict[str, Any]], how: str, entry: dict[str, Any]) -> None:
        item = items[-1]
        if how == "drop":
            item["forms"] = [PLACEHOLDER.sub("", f, count=1) for f in item["forms"]]
        elif how == "rename":
            item["forms"] = [re.sub(r"%\((\w+)\)", r"%(\1_x)", f) if "%(" in f
                             else re.sub(r"\{\{\s*(\w+)\s*\}\}", r"{{ \1_x }}", f)
                             if "{{" in f
                             else re.sub(r"\{(\w+)\}", r"{\1_x}", f) for f in item["forms"]]
        elif how == "forms":
            item["forms"] = item["forms"] + item["forms"][:1]
        elif how == "invent":
            item["forms"] = [f"{f.rstrip()} %s" + f[len(f.rstrip()):] for f in item["forms"]]
        elif how == "url":
            lost = (entry.get("keep") or [""])[0]
            # A link dropped; code, an option or a variable altered (here: cut short).
            replacement = "" if "://" in lost or "@" in lost else lost[:-1]
            item["forms"] = [f.replace(lost, replacement) for f in item["forms"]]
        elif how == "long":  # wordier than the entry's length limit allows
            item["forms"] = [f"{f.rstrip()}{LONG}{f[len(f.rstrip()):]}" for f in item["forms"]]
        elif how == "drop_qt":  # Qt's last numbered argument lost
            item["forms"] = [re.sub(r"\s*%\d(?!.*%\d)", "", f) for f in item["forms"]]
        elif how == "drop_form":  # Symfony's "one|many": the last |-separated form lost
            item["forms"] = [f.rsplit("|", 1)[0] for f in item["forms"]]
        elif how == "swap_args":  # the first two printf arguments change places
            def swap(form: str) -> str:
                args = re.findall(r"%(?:\d+\$)?l{0,2}[@sdfu]", form)
                if len(args) < 2:
                    return form
                a, b = args[0], args[1]
                return form.replace(a, "\0", 1).replace(b, a, 1).replace("\0", b, 1)
            item["forms"] = [swap(f) for f in item["forms"]]
        elif how == "scramble":
            number, anchor = _number_and_anchor(item["id"])
            item["id"] = f"{int(number) + 1000} {anchor}".strip()
        elif how == "duplicate":
            items.append(dict(item))
        elif how == "missing":
            items.pop()


def _exchange(items: list[dict[str, Any]], a: int, b: int) -> None:
    """Two items' answers (anchor and translation) change places; their numbers stay."""
    na, aa = _number_and_anchor(items[a]["id"])
    nb, ab = _number_and_anchor(items[b]["id"])
    items[a], items[b] = ({"id": f"{na} {ab}", "forms": items[b]["forms"]},
                          {"id": f"{nb} {aa}", "forms": items[a]["forms"]})


def translator(**kw: Any) -> Callable[[Recorded], dict[str, Any]]:
    return FakeTranslator(**kw)
