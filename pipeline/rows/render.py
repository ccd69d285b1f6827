"""Prompt templates: one Jinja file per job, rendered per row into chat messages.

A template is either plain text (the whole file is the user message) or has
`{% block system %}…{% endblock %}` and `{% block user %}…{% endblock %}`. Columns are variables;
every column is also in `row`, so `row["Unit Price"]` reaches names that are not identifiers.
The environment is sandboxed and strict: a missing variable is an error, never an empty string.

`{{ image(value) }}` (or `image(value, detail="low")`) places an image in the user message: it
prints a marker that only this render knows, and the user message becomes a list of content
parts, text and `image_url` in the order written. images.py checks and attaches the images.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateError
from ..images import DETAILS

ROW_VARIABLE = "row"
#: The template function that attaches an image. A column of that name is still `row.image`.
IMAGE_FUNCTION = "image"
_BLOCKS = ("system", "user")
Message = dict[str, Any]


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
        #: True when the template calls image(): its user message carries content parts.
        self.uses_images = any(isinstance(call.node, nodes.Name)
                               and call.node.name == IMAGE_FUNCTION
                               for call in ast.find_all(nodes.Call))
        self.variables: set[str] = meta.find_undeclared_variables(ast) - set(self._env.globals)
        if self.uses_images:
            self.variables.discard(IMAGE_FUNCTION)

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

    def render(self, fields: dict[str, Any]) -> list[Message]:
        """The chat messages for one row. Raises TemplateError naming what went wrong."""
        return self.render_messages(template_context(fields))

    def render_text(self, context: Mapping[str, Any]) -> str:
        """The whole template as one text (a check's must-include value, for instance)."""
        with _template_errors():
            return self._template.render(context).strip()

    def render_messages(self, context: Mapping[str, Any]) -> list[Message]:
        """The chat messages for a prepared context (see `template_context`). With image()
        calls the user message's content is a list of text and `image_url` parts, each image
        as written (`{"url": value, "detail": None or as given}`), for images.py to check."""
        images = _Images() if self.uses_images else None
        if images is not None:
            context = {**context, IMAGE_FUNCTION: images.place}
        with _template_errors():
            if self._uses_blocks:
                ctx = self._template.new_context(context)
                parts = {b: "".join(self._template.blocks[b](ctx)).strip()
                         for b in _BLOCKS if b in self._template.blocks}
            else:
                parts = {"user": self._template.render(context).strip()}
        if not parts["user"]:
            raise TemplateError("the user message renders empty")
        messages: list[Message] = []
        if parts.get("system"):
            if images is not None and images.nonce in parts["system"]:
                raise TemplateError("image() belongs in the user message: the API takes images "
                                    "in user messages only")
            messages.append({"role": "system", "content": parts["system"]})
        user: str | list[Message] = parts["user"]
        if images is not None:
            user = images.parts(parts["user"])
        messages.append({"role": "user", "content": user})
        return messages


class _Images:
    """The image() calls of one render: each prints a marker no input value can forge (a
    random nonce), which `parts` turns into an image_url part at that place."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.placed: list[Message] = []
        self._marker = re.compile(f"\x00image:{self.nonce}:(\\d+)\x00")

    def place(self, value: Any, detail: str | None = None) -> str:
        if isinstance(value, jinja2.Undefined):
            str(value)  # strict: raises, naming the missing column or key
        if detail is not None and detail not in DETAILS:
            raise TemplateError(f"image(detail={detail!r}): detail must be one of "
                                f"{', '.join(DETAILS)}")
        self.placed.append({"url": value, "detail": detail})
        return f"\x00image:{self.nonce}:{len(self.placed) - 1}\x00"

    def parts(self, text: str) -> str | list[Message]:
        """The user message as text and image parts (plain text when no image was placed)."""
        pieces = self._marker.split(text)
        used = [int(i) for i in pieces[1::2]]
        if self.nonce in "".join(pieces[0::2]) or sorted(used) != list(range(len(self.placed))):
            raise TemplateError("print image() as it is, once per call: {{ image(photo) }} "
                                "(not through a filter or into a variable)")
        if not self.placed:
            return text
        out: list[Message] = []
        for i, piece in enumerate(pieces):
            if i % 2:
                out.append({"type": "image_url", "image_url": dict(self.placed[int(piece)])})
            elif piece.strip():
                out.append({"type": "text", "text": piece.strip()})
        return out


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
