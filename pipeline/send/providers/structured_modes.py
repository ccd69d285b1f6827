"""The ways a structured reply can be asked of an OpenAI-compatible server, best first.

Servers accept different subsets of `response_format` (docs/servers.md): OpenAI, vLLM and
Ollama take `json_schema`; llama.cpp's servers take `json_object` with a `schema` beside it (and
llama-cpp-python answers `json_schema` with an HTTP 500); LM Studio refuses `json_object`. A run
starts with the best mode (or the one the journal learned for the endpoint and model) and steps
down, once per refusal, to the next; every mode below the first also spells the schema out in
the system message (`with_schema_instruction`), and every reply is validated the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: Best first. json_object_schema is llama.cpp's `{"type": "json_object", "schema": {...}}`;
#: text sends no response_format at all and relies on the prompt and lenient parsing.
RESPONSE_FORMAT_MODES = ("json_schema", "json_object_schema", "json_object", "text")

DESCRIPTIONS = {
    "json_schema": "json_schema (the schema enforced by the server)",
    "json_object_schema": "json_object with the schema beside it (llama.cpp's form)",
    "json_object": "json_object (JSON mode) with the schema in the system message",
    "text": "plain text with the schema in the system message, parsed leniently",
}


def next_mode(mode: str) -> str | None:
    """The mode to try after `mode` is refused (None: there is nothing below it)."""
    at = RESPONSE_FORMAT_MODES.index(mode)
    return RESPONSE_FORMAT_MODES[at + 1] if at + 1 < len(RESPONSE_FORMAT_MODES) else None


def with_schema_instruction(messages: list[dict[str, Any]], schema: Mapping[str, Any], *,
                            full_schema: bool = True) -> list[dict[str, Any]]:
    """The messages with the reply's shape spelled out, for servers that only offer JSON mode
    (where OpenAI also insists the word JSON appears) and for the embedded model, whose grammar
    enforces the schema already: it gets the example alone (small models copy schema text)."""
    instruction = ("Reply with one JSON object and nothing else, shaped like this: "
                   + json.dumps(_example(schema), ensure_ascii=False))
    if full_schema:
        instruction += "\nIt must match this JSON Schema:\n" + json.dumps(schema,
                                                                         ensure_ascii=False)
    if messages and messages[0]["role"] == "system":
        content = messages[0]["content"]
        content = (content + "\n\n" + instruction if isinstance(content, str)
                   else [*content, {"type": "text", "text": instruction}])  # content parts
        return [{**messages[0], "content": content}, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


def _example(schema: Any) -> Any:
    """A skeleton value of a schema: "..." for text, [...] for lists, 0 for numbers."""
    if not isinstance(schema, Mapping):
        return "..."
    kind = schema.get("type")
    if kind == "object" and isinstance(schema.get("properties"), Mapping):
        return {k: _example(v) for k, v in schema["properties"].items()}
    if kind == "array":
        return [_example(schema.get("items"))]
    if kind in ("integer", "number"):
        return 0
    if kind == "boolean":
        return True
    return "..."
