"""Anonymised inputs: personal values never reach the model, and come back in the output.

Before a row's prompt is rendered, each value of a kind the job names (`redact = ["email",
"phone", "iban", "credit_card", "ip"]`, plus `redact_regex = {name = "pattern"}`) in the chosen
columns is replaced by a stable placeholder: `<EMAIL_1>`, the same value the same placeholder
within a row. Phone numbers are found by libphonenumber (`phonenumbers`), IBANs and card numbers
are kept only when their checksums hold (`python-stdnum`), IPs by the standard library; e-mail
addresses and the job's own patterns by regular expressions. The fingerprint is the redacted
prompt's, so the journal holds no personal value from a prompt; the mapping lives in memory and
is made again from the input whenever an output is written (redaction is deterministic), so it
is stored nowhere. A reply's placeholders are put back in the output (`restore = false` leaves
them); a reply that names a placeholder the row did not have is flagged.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import phonenumbers
from stdnum import iban, luhn

KINDS = ("email", "phone", "iban", "credit_card", "ip")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_DIGITS = re.compile(r"(?<![\w.])\d+(?![\w.])")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
#: A placeholder as we write it: what a reply's placeholders are read back with.
PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)_(\d+)>")

Span = tuple[int, int]


def _emails(text: str) -> Iterator[Span]:
    for m in _EMAIL.finditer(text):
        yield m.span()


def _ibans(text: str) -> Iterator[Span]:
    """IBANs whose check digits hold; the longest valid one where a match runs on (two IBANs
    in a row, or a word after one, read as one long candidate)."""
    for m in _IBAN.finditer(text):
        start, best, count = m.start(), None, 0
        for end in range(m.start(), m.end()):
            if text[end] != " ":
                count += 1
                if 15 <= count <= 34 and iban.is_valid(text[start:end + 1]):
                    best = end + 1
        if best is not None:
            yield start, best


def _cards(text: str) -> Iterator[Span]:
    """Card numbers: 13-19 digits in groups joined by single spaces or dashes, whose Luhn
    digit holds; from each group the longest run that is valid (so one number running on
    into the next, or an order number beside a card, is told apart)."""
    groups = [m.span() for m in _DIGITS.finditer(text)]
    i = 0
    while i < len(groups):
        best, digits, j = None, 0, i
        while j < len(groups):
            if j > i and not (groups[j][0] - groups[j - 1][1] == 1
                              and text[groups[j - 1][1]] in " -"):
                break
            digits += groups[j][1] - groups[j][0]
            if digits > 19:
                break
            number = re.sub(r"\D", "", text[groups[i][0]:groups[j][1]])
            if digits >= 13 and luhn.is_valid(number):
                best = j
            j += 1
        if best is None:
            i += 1
            continue
        yield groups[i][0], groups[best][1]
        i = best + 1


def _ips(text: str) -> Iterator[Span]:
    for pattern in (_IPV4, _IPV6):
        for m in pattern.finditer(text):
            try:
                ipaddress.ip_address(m.group(0))
            except ValueError:
                continue
            yield m.span()


def _phones(region: str) -> Callable[[str], Iterator[Span]]:
    def find(text: str) -> Iterator[Span]:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            yield match.start, match.end
    return find


@dataclass
class Redacted:
    """One row's fields as the model sees them, and how to put the values back."""

    fields: dict[str, Any]
    #: placeholder -> original value
    values: dict[str, str] = field(default_factory=dict)

    def restore(self, text: str | None) -> str | None:
        """The reply with the row's placeholders put back (others left as they are)."""
        if not text or not self.values:
            return text
        return PLACEHOLDER.sub(lambda m: self.values.get(m.group(0), m.group(0)), text)

    def restore_value(self, value: Any) -> Any:
        """Fields of a structured reply, restored through lists and objects."""
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, list):
            return [self.restore_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.restore_value(v) for k, v in value.items()}
        return value

    def hide(self, text: str | None) -> str | None:
        """A restored text with the row's values replaced by their placeholders again."""
        if not text:
            return text
        for placeholder, value in sorted(self.values.items(), key=lambda kv: -len(kv[1])):
            text = text.replace(value, placeholder)
        return text

    def unknown_placeholders(self, text: str | None) -> list[str]:
        """Placeholders in a reply that this row never had (the model made them up)."""
        return sorted({m.group(0) for m in PLACEHOLDER.finditer(text or "")
                       if m.group(0) not in self.values})


class Redactor:
    """Finds the job's kinds of personal values in a row's chosen columns."""

    def __init__(self, kinds: list[str], patterns: Mapping[str, str], *,
                 columns: list[str] | None = None, phone_region: str = "US"):
        finders: dict[str, Callable[[str], Iterator[Span]]] = {
            "email": _emails, "phone": _phones(phone_region), "iban": _ibans,
            "credit_card": _cards, "ip": _ips}
        # Order matters where kinds overlap: a card number is not also a phone number.
        order = ["email", "iban", "credit_card", "ip", "phone"]
        self.finders = [(k.upper(), finders[k]) for k in order if k in kinds]
        for name, pattern in patterns.items():
            compiled = re.compile(pattern)
            self.finders.append((name.upper(), lambda text, c=compiled: (
                m.span() for m in c.finditer(text))))
        self.columns = columns
        self.found: Counter[str] = Counter()

    def redact(self, fields: Mapping[str, Any]) -> Redacted:
        """The row's fields with each value replaced by its placeholder."""
        out = Redacted(dict(fields))
        by_value: dict[tuple[str, str], str] = {}
        numbers: Counter[str] = Counter()
        for column, value in fields.items():
            if not isinstance(value, str) or (self.columns and column not in self.columns):
                continue
            out.fields[column] = self._replace(value, out, by_value, numbers)
        return out

    def _replace(self, text: str, out: Redacted, by_value: dict[tuple[str, str], str],
                 numbers: Counter[str]) -> str:
        taken: list[tuple[int, int, str]] = []
        for kind, find in self.finders:
            for start, end in find(text):
                if any(start < e and s < end for s, e, _ in taken):
                    continue  # already claimed by an earlier kind
                taken.append((start, end, kind))
        if not taken:
            return text
        parts: list[str] = []
        at = 0
        for start, end, kind in sorted(taken):
            value = text[start:end]
            key = (kind, value)
            if key not in by_value:
                numbers[kind] += 1
                by_value[key] = f"<{kind}_{numbers[kind]}>"
                out.values[by_value[key]] = value
                self.found[kind] += 1
            parts += [text[at:start], by_value[key]]
            at = end
        parts.append(text[at:])
        return "".join(parts)

    def describe(self) -> str:
        """Pre-flight's word on what will be redacted."""
        if not self.found:
            return "redaction: no value of the kinds asked was found in the input"
        kinds = ", ".join(f"{n} {kind.lower().replace('_', ' ')}" for kind, n in
                          self.found.most_common())
        return f"redaction: {kinds} value(s) replaced by placeholders before sending"


def restored(row: Any, variants: list[list[tuple[Any, bool]]]) -> list[list[tuple[Any, bool]]]:
    """A row's answers with its placeholders put back (text and fields), for the output."""
    redaction: Redacted | None = row.redaction
    if redaction is None or not redaction.values:
        return variants
    return [[(None if result is None else replace(
        result, output=redaction.restore(result.output),
        fields=redaction.restore_value(result.fields)), cached)
        for result, cached in answers] for answers in variants]
