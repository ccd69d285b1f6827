"""Validate: does a reply have the shape the job asked for, and does it pass the job's gates?

Problems a model can fix (invalid JSON, a schema mismatch, a failed gate) are returned as
sentences written for the model, which runner-side code feeds back as a follow-up message
("meta_description has 171 characters; the limit is 155"). Problems it cannot fix (a reply cut
off at max_tokens, a refusal, the content filter, an empty answer) flag the row at once:
asking again would mostly pay for the same failure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from ..config import WHOLE_REPLY, Check, StepSpec
from ..errors import ConfigError
from .render import PromptTemplate

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "string[]": {"type": "array", "items": {"type": "string"}},
    "integer[]": {"type": "array", "items": {"type": "integer"}},
    "number[]": {"type": "array", "items": {"type": "number"}},
}
_PLACEHOLDER = {"string": "text", "integer": 1, "number": 1.5, "boolean": True,
                "array": ["text"], "object": {}}
# Markers a template or a lazy model leaves behind: Jinja syntax, "[insert ...]" slots, filler,
# and a bare "..." (copied from an example of the reply's shape).
_MARKERS = re.compile(
    r"\{\{|\}\}|\{%|%\}|\[\s*(?:insert|your|placeholder|product name|todo)\b[^\]]*\]"
    r"|<\s*(?:insert|placeholder)\b[^>]*>|\blorem ipsum\b|(?-i:\bTODO\b)"
    r"|^\s*(?:\.\.\.|\u2026)\s*$", re.IGNORECASE)  # a value that is only "..."
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?```\s*$", re.DOTALL | re.IGNORECASE)
_SHOWN_ERRORS = 5


class OutputShape:
    """The JSON object a step asks for: its schema, field names, and how to parse a reply."""

    def __init__(self, schema: dict[str, Any], *, strict: bool, where: str):
        if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
            raise ConfigError(f"{where}: the schema must describe an object with properties "
                              "(each property becomes an output column)")
        try:
            validator_class = jsonschema.validators.validator_for(schema)
            validator_class.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise ConfigError(f"{where}: not a valid JSON Schema: {exc.message}") from None
        self.schema = schema
        self.strict = strict
        self.fields: list[str] = list(schema["properties"])
        self._validator = validator_class(schema)

    @classmethod
    def from_spec(cls, spec: StepSpec, where: str) -> OutputShape | None:
        """The step's shape from `fields` or `schema` (None: it asks for plain text)."""
        if spec.fields is not None:
            types = (dict.fromkeys(spec.fields, "string") if isinstance(spec.fields, list)
                     else spec.fields)
            schema = {"type": "object",
                      "properties": {name: dict(_TYPES[t]) for name, t in types.items()},
                      "required": list(types), "additionalProperties": False}
            return cls(schema, strict=spec.schema_strict, where=where)
        if isinstance(spec.schema_, Path):
            return cls(_read_schema(spec.schema_), strict=spec.schema_strict,
                       where=f"schema {spec.schema_}")
        if spec.schema_ is not None:
            return cls(dict(spec.schema_), strict=spec.schema_strict, where=where)
        return None

    def parse(self, text: str) -> tuple[dict[str, Any] | None, list[str]]:
        """The reply's fields, or the problems (sentences for the model) that stop it."""
        fenced = _FENCE.match(text)
        try:
            # strict=False: a raw newline inside a string is still the answer meant.
            value = json.loads(fenced.group(1) if fenced else text, strict=False)
        except json.JSONDecodeError as exc:
            # A server without a JSON mode may wrap the object in words ("Here it is: {...}").
            value = _embedded_object(text)
            if value is None:
                return None, [f"the reply is not valid JSON ({exc.msg} at line {exc.lineno} "
                              f"column {exc.colno})"]
        errors = sorted(self._validator.iter_errors(value), key=lambda e: list(e.path))
        if errors:
            problems = [_schema_error(e) for e in errors[:_SHOWN_ERRORS]]
            if len(errors) > _SHOWN_ERRORS:
                problems.append(f"and {len(errors) - _SHOWN_ERRORS} more schema error(s)")
            return (value if isinstance(value, dict) else None), problems
        return value, []

    def tightened(self, checks: Mapping[str, Check]) -> dict[str, Any]:
        """The schema with the gates' lengths and item counts written in, for providers that
        decode by grammar (llama.cpp), so a small model meets them by construction. Servers get
        the plain schema: strict modes reject length keywords."""
        schema = json.loads(json.dumps(self.schema))
        for name, check in checks.items():
            prop = schema["properties"].get(name)
            if not isinstance(prop, dict):
                continue
            target = prop.get("items") if prop.get("type") == "array" else prop
            if prop.get("type") == "array":
                for key, value in (("minItems", check.min_items), ("maxItems", check.max_items)):
                    if value is not None:
                        prop[key] = value
            if isinstance(target, dict) and target.get("type") == "string":
                for key, value in (("minLength", check.min_chars),
                                   ("maxLength", check.max_chars)):
                    if value is not None:
                        target[key] = value
        return schema

    def placeholder(self) -> dict[str, Any]:
        """Sample values of the right types, to pre-flight templates that use this output."""
        out: dict[str, Any] = {}
        for name, prop in self.schema["properties"].items():
            kind = prop.get("type") if isinstance(prop, dict) else None
            out[name] = _PLACEHOLDER.get(kind if isinstance(kind, str) else "string", "text")
        return out


def _read_schema(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"schema {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"schema {path} cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"schema {path} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"schema {path}: expected a JSON object")
    return value


def _schema_error(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


@dataclass
class _CompiledCheck:
    target: str
    check: Check
    must_include: list[PromptTemplate]
    banned: re.Pattern[str] | None
    regex: re.Pattern[str] | None


class Gate:
    """A step's checks, compiled once: regexes, banned-word lists, must-include templates."""

    def __init__(self, checks: Mapping[str, Check], shape: OutputShape | None, *,
                 markers: bool, where: str):
        self.markers = markers
        self._checks: list[_CompiledCheck] = []
        known = set(shape.fields) if shape else set()
        for target, check in checks.items():
            if target != WHOLE_REPLY and target not in known:
                what = (f"its fields are {', '.join(sorted(known))}" if known else
                        "it asks for plain text: check the whole reply with [checks.\"*\"]")
                raise ConfigError(f"{where}: checks.{target}: no such output field ({what})")
            self._checks.append(_CompiledCheck(
                target=target, check=check,
                must_include=[PromptTemplate(t, name=f"{where}: checks.{target}.must_include")
                              for t in check.must_include],
                banned=_banned(check, f"{where}: checks.{target}"),
                regex=_regex(check.regex, f"{where}: checks.{target}.regex"),
            ))

    def render_includes(self, context: Mapping[str, Any]) -> None:
        """Render every must-include text for a row (pre-flight: raises TemplateError)."""
        for compiled in self._checks:
            for template in compiled.must_include:
                template.render_text(context)

    def problems(self, fields: Mapping[str, Any] | None, text: str,
                 context: Mapping[str, Any]) -> list[str]:
        """Every failed gate, as a sentence the model can act on."""
        found: list[str] = []
        for compiled in self._checks:
            if compiled.target == WHOLE_REPLY:
                found += _check_value("the answer", text, compiled, context)
            elif fields is not None:
                found += _check_value(compiled.target, fields.get(compiled.target), compiled,
                                      context)
        if self.markers:
            values = _strings(fields) if fields is not None else [("the answer", text)]
            for name, value in values:
                if not value.strip():
                    found.append(f"{name} is empty: write it")
                    continue
                marker = _MARKERS.search(value)
                if marker:
                    found.append(f"{name} contains a leftover template marker "
                                 f"'{marker.group(0)}': write the real text instead")
        return found


def _banned(check: Check, where: str) -> re.Pattern[str] | None:
    words = [w.strip() for w in check.must_not_include if w.strip()]
    if check.must_not_include_file is not None:
        path = check.must_not_include_file
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise ConfigError(f"{where}.must_not_include_file: {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{where}.must_not_include_file: {path}: {exc}") from None
        words += [s for line in lines if (s := line.split("#", 1)[0].strip())]
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _regex(pattern: str | None, where: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: not a valid regular expression: {exc}") from None


def _strings(value: Any, name: str = "") -> list[tuple[str, str]]:
    """Every text leaf of a parsed reply, with a readable path (bullets item 2)."""
    if isinstance(value, str):
        return [(name, value)]
    if isinstance(value, Mapping):
        return [leaf for k, v in value.items()
                for leaf in _strings(v, f"{name}.{k}" if name else str(k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value, 1) for leaf in _strings(v, f"{name} item {i}")]
    return []


def _check_value(name: str, value: Any, compiled: _CompiledCheck,
                 context: Mapping[str, Any]) -> list[str]:
    check = compiled.check
    found: list[str] = []
    if isinstance(value, list):
        count = len(value)
        if check.min_items is not None and count < check.min_items:
            found.append(f"{name} has {count} item(s); it needs at least {check.min_items}")
        if check.max_items is not None and count > check.max_items:
            found.append(f"{name} has {count} item(s); the limit is {check.max_items}")
        for i, item in enumerate(value, 1):
            found += _check_text(f"{name} item {i}", _as_text(item), compiled, context)
        return found
    return _check_text(name, _as_text(value), compiled, context)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _check_text(name: str, text: str, compiled: _CompiledCheck,
                context: Mapping[str, Any]) -> list[str]:
    check = compiled.check
    found: list[str] = []
    chars, words = len(text), len(text.split())
    if check.max_chars is not None and chars > check.max_chars:
        found.append(f"{name} has {chars} characters; the limit is {check.max_chars}")
    if check.min_chars is not None and chars < check.min_chars:
        found.append(f"{name} has {chars} characters; it needs at least {check.min_chars}")
    if check.max_words is not None and words > check.max_words:
        found.append(f"{name} has {words} words; the limit is {check.max_words}")
    if check.min_words is not None and words < check.min_words:
        found.append(f"{name} has {words} words; it needs at least {check.min_words}")
    lowered = text.casefold()
    for template in compiled.must_include:
        needed = template.render_text(context)
        if needed and needed.casefold() not in lowered:
            found.append(f"{name} must include \"{needed}\"")
    if compiled.banned is not None:
        hits = sorted({m.group(0).casefold() for m in compiled.banned.finditer(text)})
        if hits:
            found.append(f"{name} must not include: {', '.join(hits)}")
    if compiled.regex is not None and not compiled.regex.search(text):
        found.append(f"{name} must match the pattern {compiled.regex.pattern}")
    return found


@dataclass
class Verdict:
    """What a reply is worth: its fields, problems worth a retry, and final flags."""

    fields: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


class Validator:
    """A step's shape and gates together: judges one reply for one row."""

    def __init__(self, shape: OutputShape | None, gate: Gate):
        self.shape = shape
        self.gate = gate

    def judge(self, text: str, *, finish_reason: str | None, refusal: str | None,
              context: Mapping[str, Any]) -> Verdict:
        verdict = Verdict(flags=unfixable(text, finish_reason, refusal))
        if refusal or finish_reason == "content_filter" or not text.strip():
            return verdict
        if self.shape is not None:
            verdict.fields, verdict.problems = self.shape.parse(text)
            if verdict.problems:
                return verdict
        verdict.problems = self.gate.problems(verdict.fields, text, context)
        return verdict


def unfixable(text: str, finish_reason: str | None, refusal: str | None) -> list[str]:
    """Flags that a retry would not fix."""
    flags = []
    if refusal:
        flags.append(f"refused: {refusal.strip()[:300]}")
    if finish_reason == "content_filter":
        flags.append("blocked by the content filter (finish_reason=content_filter)")
    if finish_reason == "length":
        flags.append("truncated: the reply reached max_tokens (finish_reason=length); raise "
                     "max_tokens")
    if not text.strip() and not refusal and finish_reason != "content_filter":
        flags.append("empty answer")
    return flags


def feedback(problems: list[str], *, structured: bool) -> str:
    """The follow-up message asking for a corrected answer."""
    listed = "\n".join(f"- {p}" for p in problems)
    how = ("Reply again with the whole corrected answer as one JSON object in the same format."
           if structured else "Reply again with the whole corrected answer, and nothing else.")
    return f"Your answer does not meet these requirements:\n{listed}\n{how}"


def _embedded_object(text: str) -> dict[str, Any] | None:
    """The first JSON object that parses inside `text`, wherever it starts (None: none)."""
    decoder = json.JSONDecoder(strict=False)
    start = text.find("{")
    while start != -1:
        try:
            value, _end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


