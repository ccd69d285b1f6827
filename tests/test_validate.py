"""The gates and the reply shape, one rule at a time (pure functions, no server)."""

from __future__ import annotations

import pytest

from pipeline.config import Check, StepSpec
from pipeline.errors import ConfigError
from pipeline.rows.render import template_context
from pipeline.rows.validate import Gate, OutputShape, Validator, unfixable

ROW = template_context({"name": "Chai", "category": "Beverages", "Unit Note": "10 boxes"})


def gate(shape: OutputShape | None = None, markers: bool = True, **checks: Check) -> Gate:
    return Gate(checks, shape, markers=markers, where="job")


def shape(**fields: str) -> OutputShape:
    made = OutputShape.from_spec(StepSpec(fields=fields), "job")
    assert made is not None
    return made


@pytest.mark.parametrize(("text", "marker"), [
    ("Try {{ product }} today", "{{"), ("Meet [insert name here].", "[insert name here]"),
    ("Our [Product Name] is great", "[Product Name]"), ("<placeholder>", "<placeholder>"),
    ("Lorem ipsum dolor", "Lorem ipsum"), ("TODO: write this", "TODO"), ("...", "..."),
    ("  \u2026 ", "  \u2026 "),
])
def test_leftover_markers_are_found(text, marker):
    problems = gate().problems(None, text, ROW)
    assert problems == [f"the answer contains a leftover template marker '{marker}': write "
                        "the real text instead"]


@pytest.mark.parametrize("text", ["Wait... it is good", "A [limited] edition", "todo list",
                                  "Price: $18 {per box}"])
def test_ordinary_text_is_not_a_marker(text):
    assert gate().problems(None, text, ROW) == []


def test_banned_words_match_whole_words_case_insensitively():
    g = gate(**{"*": Check(must_not_include=["cheap", "best ever"])})
    assert g.problems(None, "The cheapest tea", ROW) == []
    assert g.problems(None, "CHEAP and the Best Ever!", ROW) == [
        "the answer must not include: best ever, cheap"]


def test_lengths_words_items_include_and_regex_on_fields():
    s = shape(title="string", bullets="string[]", sku="string")
    g = gate(s, title=Check(max_words=3, must_include=["{{ name }}", "{{ row['Unit Note'] }}"]),
             bullets=Check(min_items=3, max_chars=10), sku=Check(regex=r"^[A-Z]{3}-\d+$"))
    fields = {"title": "Chai for tea lovers", "bullets": ["short", "far too long here"],
              "sku": "abc-1"}
    assert g.problems(fields, "{}", ROW) == [
        "title has 4 words; the limit is 3",
        'title must include "10 boxes"',
        "bullets has 2 item(s); it needs at least 3",
        "bullets item 2 has 17 characters; the limit is 10",
        r"sku must match the pattern ^[A-Z]{3}-\d+$",
    ]


def test_shape_parses_fenced_json_and_reports_schema_errors():
    s = shape(title="string", count="integer")
    assert s.parse('```json\n{"title": "a", "count": 2}\n```') == ({"title": "a", "count": 2},
                                                                   [])
    fields, problems = s.parse('{"title": 5, "count": 2, "extra": 1}')
    assert fields == {"title": 5, "count": 2, "extra": 1}  # kept for the reviewer
    assert problems == ["Additional properties are not allowed ('extra' was unexpected)",
                        "title: 5 is not of type 'string'"]
    assert s.parse("not json")[1] == ["the reply is not valid JSON (Expecting value at line 1 "
                                      "column 1)"]


def test_tightened_schema_carries_the_gates_for_grammars():
    s = shape(meta="string", bullets="string[]")
    tight = s.tightened({"meta": Check(max_chars=155), "bullets": Check(min_items=3,
                                                                        max_items=3,
                                                                        max_chars=40)})
    assert tight["properties"]["meta"] == {"type": "string", "maxLength": 155}
    assert tight["properties"]["bullets"] == {"type": "array", "minItems": 3, "maxItems": 3,
                                              "items": {"type": "string", "maxLength": 40}}
    assert "maxLength" not in str(s.schema)  # the servers' schema is untouched


def test_final_flags_win_over_problems():
    v = Validator(shape(title="string"), gate())
    verdict = v.judge('{"title": "x"', finish_reason="length", refusal=None, context=ROW)
    assert verdict.flags == ["truncated: the reply reached max_tokens (finish_reason=length); "
                             "raise max_tokens"]
    assert unfixable("", "stop", None) == ["empty answer"]
    assert unfixable("", "stop", "No.") == ["refused: No."]


def test_checks_on_unknown_fields_are_config_errors():
    with pytest.raises(ConfigError, match="checks.titel: no such output field"):
        gate(shape(title="string"), titel=Check(max_chars=3))


def test_empty_text_values_are_sent_back_unless_markers_are_off():
    s = shape(title="string", bullets="string[]")
    fields = {"title": "Chai", "bullets": ["fine", " ", ""]}
    assert gate(s).problems(fields, "{}", ROW) == ["bullets item 2 is empty: write it",
                                                   "bullets item 3 is empty: write it"]
    assert gate(s, markers=False).problems(fields, "{}", ROW) == []
