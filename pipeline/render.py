"""Prompt templates: one Jinja file per job, rendered per row into chat messages.

A template is either plain text (the whole file is the user message) or has
`{% block system %}…{% endblock %}` and `{% block user %}…{% endblock %}`. Columns are variables;
every column is also in `row`, so `row["Unit Price"]` reaches names that are not identifiers.
The environment is sandboxed and strict: a missing variable is an error, never an empty string.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import TemplateError

ROW_VARIABLE = "row"
_BLOCKS = ("system", "user")


def _finalize(value: Any) -> Any:
    # JSON null and empty spreadsheet cells print as nothing, not "None".
    return "" if value is None else value


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=_finalize,
    )


class PromptTemplate:
    """A parsed template that turns one row's fields into a list of chat messages."""

    def __init__(self, source: str, *, name: str = "<template>"):
        self.name = name
        self._env = _environment()
        try:
            ast = self._env.parse(source, name=name)
            self._template = self._env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template {name}, line {exc.lineno}: {exc.message}") from None
        blocks = set(self._template.blocks)
        if "system" in blocks and "user" not in blocks:
            raise TemplateError(
                f"template {name}: it has a system block but no user block; "
                "put the user message in {% block user %}…{% endblock %}"
            )
        self._uses_blocks = "user" in blocks
        self.variables: set[str] = meta.find_undeclared_variables(ast) - set(self._env.globals)

    @classmethod
    def from_file(cls, path: Path) -> PromptTemplate:
        try:
            return cls(path.read_text(encoding="utf-8"), name=str(path))
        except FileNotFoundError:
            raise TemplateError(f"template {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"template {path} cannot be read: {exc}") from None

    def missing_columns(self, columns: Iterable[str]) -> list[str]:
        """Variables the template uses that no column provides, in a stable order."""
        return sorted(self.variables - set(columns) - {ROW_VARIABLE})

    def render(self, fields: dict[str, Any]) -> list[dict[str, str]]:
        """The chat messages for one row. Raises TemplateError naming what went wrong."""
        return self.render_messages(template_context(fields))

    def render_text(self, context: Mapping[str, Any]) -> str:
        """The whole template as one text (a check's must-include value, for instance)."""
        with _template_errors():
            return self._template.render(context).strip()

    def render_messages(self, context: Mapping[str, Any]) -> list[dict[str, str]]:
        """The chat messages for a prepared context (see `template_context`)."""
        with _template_errors():
            if self._uses_blocks:
                ctx = self._template.new_context(context)
                parts = {b: "".join(self._template.blocks[b](ctx)).strip()
                         for b in _BLOCKS if b in self._template.blocks}
            else:
                parts = {"user": self._template.render(context).strip()}
        if not parts["user"]:
            raise TemplateError("the user message renders empty")
        messages = []
        if parts.get("system"):
            messages.append({"role": "system", "content": parts["system"]})
        messages.append({"role": "user", "content": parts["user"]})
        return messages


def template_context(fields: Mapping[str, Any],
                     earlier: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A row's variables: each column whose name is an identifier, all of them in `row`, and
    the outputs of the chain's earlier steps under their step names."""
    context = {k: v for k, v in fields.items() if k.isidentifier()}
    context[ROW_VARIABLE] = fields
    if earlier:
        context.update(earlier)
    return context


@contextlib.contextmanager
def _template_errors() -> Iterator[None]:
    """Jinja's exceptions as TemplateError, with a message that names what went wrong."""
    try:
        yield
    except jinja2.UndefinedError as exc:
        raise TemplateError(_undefined_message(exc)) from None
    except SecurityError as exc:
        raise TemplateError(f"blocked by the template sandbox: {exc}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(str(exc)) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}") from None


def _undefined_message(exc: jinja2.UndefinedError) -> str:
    text = str(exc.message or exc)
    if "has no attribute" in text or "is undefined" in text:
        return f"{text} (no such column or key in this row)"
    return text
