"""Templates: blocks, plain files, strict variables, the sandbox."""

from __future__ import annotations

import pytest

from pipeline import PromptTemplate, TemplateError


def test_plain_template_is_the_user_message():
    assert PromptTemplate("  Hi {{ name }}!\n").render({"name": "Ada"}) == [
        {"role": "user", "content": "Hi Ada!"}]


def test_blocks_give_system_and_user():
    t = PromptTemplate("{% block system %}Be brief.{% endblock %}"
                       "{% block user %}About {{ row['Unit Price'] }}{% endblock %}")
    assert t.render({"Unit Price": "9"}) == [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "About 9"}]


def test_system_block_without_user_block_is_refused():
    with pytest.raises(TemplateError, match="no user block"):
        PromptTemplate("{% block system %}x{% endblock %}hello", name="t.j2")


def test_variables_exclude_row_and_globals():
    t = PromptTemplate("{% for i in range(2) %}{{ a }}{{ row.b }}{% endfor %}")
    assert t.missing_columns(["a"]) == []
    assert t.missing_columns([]) == ["a"]


def test_undefined_values_are_errors_never_empty():
    t = PromptTemplate("{{ a.missing }}")
    with pytest.raises(TemplateError, match="has no attribute 'missing'"):
        t.render({"a": {}})


def test_none_renders_empty_and_empty_user_message_is_an_error():
    assert PromptTemplate("x{{ a }}").render({"a": None})[0]["content"] == "x"
    with pytest.raises(TemplateError, match="renders empty"):
        PromptTemplate("{{ a }}").render({"a": ""})


def test_the_sandbox_blocks_unsafe_attribute_access():
    t = PromptTemplate("{{ a.__class__.__subclasses__() }}")
    with pytest.raises(TemplateError):
        t.render({"a": "x"})


def test_runtime_errors_in_a_row_are_template_errors():
    with pytest.raises(TemplateError, match="ZeroDivisionError|division"):
        PromptTemplate("{{ 1 / a }}").render({"a": 0})
