"""The job: a TOML file plus command-line overrides, validated into one pydantic model.

Paths written in a job file are relative to that file (a job in prompts/ says
`input = "../data/products.csv"`), so the job runs the same from cron or any directory.
Paths given on the command line are relative to the current directory, as usual.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from . import defaults
from .errors import ConfigError

OutputFormat = Literal["csv", "jsonl", "json", "xlsx", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = ("csv", "jsonl", "json", "xlsx", "parquet")
PATH_FIELDS = ("input", "template", "output", "model_path", "journal")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelParams(_Strict):
    """Sampling parameters sent with every request; unset ones are not sent at all."""

    temperature: float | None = Field(None, ge=0, le=2)
    max_tokens: int | None = Field(None, gt=0)
    max_completion_tokens: int | None = Field(None, gt=0)
    top_p: float | None = Field(None, gt=0, le=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)

    def as_request(self) -> dict[str, Any]:
        """The parameters to send, in a stable order, without the unset ones."""
        return {k: v for k, v in self.model_dump().items() if v is not None}

    @property
    def completion_cap(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens


class Prices(_Strict):
    """Your own prices, in USD per million tokens, for models genai-prices does not know."""

    input: Decimal = Field(ge=0)
    output: Decimal = Field(ge=0)
    cached_input: Decimal | None = Field(None, ge=0)


class Job(_Strict):
    """One batch job. See the README's job file reference for every field."""

    name: str | None = None
    input: Path
    template: Path
    output: Path | None = None
    journal: Path | None = None
    format: OutputFormat | None = None
    id_column: str | None = None
    limit: int | None = Field(None, gt=0)
    column_prefix: str = ""

    provider: Literal["auto", "openai", "local"] = "auto"
    model: str
    base_url: str | None = None
    api_key_env: str = defaults.API_KEY_ENV
    api_key: SecretStr | None = None
    model_path: Path | None = None

    concurrency: int | None = Field(None, ge=1, le=defaults.MAX_CONCURRENCY)
    rpm: float | None = Field(None, gt=0)
    tpm: float | None = Field(None, gt=0)
    learn_limits: bool = True
    timeout: float = Field(defaults.REQUEST_TIMEOUT_S, gt=0)
    max_attempts: int = Field(defaults.MAX_ATTEMPTS, ge=1, le=20)

    budget: Decimal | None = Field(None, gt=0)
    refresh: bool = False
    retry_failed: bool = False

    params: ModelParams = ModelParams()
    prices: Prices | None = None
    price_provider: str | None = None

    @field_validator("model")
    @classmethod
    def _model_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("id_column")
    @classmethod
    def _blank_id_column_is_none(cls, v: str | None) -> str | None:
        return v if v and v.strip() else None  # `--set id_column=` means "use row numbers"

    @model_validator(mode="after")
    def _one_completion_cap(self) -> Job:
        if self.params.max_tokens and self.params.max_completion_tokens:
            raise ValueError("set params.max_tokens or params.max_completion_tokens, not both")
        return self

    @property
    def resolved_provider(self) -> Literal["openai", "local"]:
        """`auto` picks the embedded model for its names, else an OpenAI-compatible server."""
        if self.provider != "auto":
            return self.provider
        return "local" if self.model in defaults.LOCAL_MODEL_NAMES else "openai"

    @property
    def output_path(self) -> Path:
        if self.output is not None:
            return self.output
        stem = self.name or self.template.stem
        return Path("outputs") / f"{stem}.{self.format or 'csv'}"

    @property
    def journal_path(self) -> Path:
        """The job's journal: beside the output, named after the job, unless set."""
        if self.journal is not None:
            return self.journal
        stem = self.name or self.template.stem
        return self.output_path.parent / f"{stem}.journal.sqlite"

    @property
    def output_format(self) -> str:
        if self.format:
            return self.format
        suffix = self.output_path.suffix.lower().lstrip(".")
        if suffix not in OUTPUT_FORMATS:
            raise ConfigError(
                f"output {self.output_path}: cannot tell the format from '.{suffix}'. "
                f"Use one of .{', .'.join(OUTPUT_FORMATS)} or pass --format."
            )
        return suffix


def parse_override_value(text: str) -> Any:
    """`--set key=value`: the value as TOML when it parses (numbers, lists, bools), else text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = target
    for key in parents:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {dotted}: '{key}' is not a table")
        node = child
    node[leaf] = value


def _read_job_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"job file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"job file {path} cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"job file {path} is not valid TOML: {exc}") from None
    base = path.parent
    for key in PATH_FIELDS:
        value = data.get(key)
        if isinstance(value, str) and not Path(value).is_absolute():
            data[key] = os.path.normpath(base / value)
    data.setdefault("name", path.stem)
    return data


def load_job(path: Path | str | None = None, overrides: dict[str, Any] | None = None) -> Job:
    """Read the job file (if any), apply dotted-key overrides, and validate the result.

    Raises ConfigError with one line per problem, each naming the key and where it came from.
    """
    path = Path(path) if path is not None else None
    data = _read_job_file(path) if path is not None else {}
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    for dotted, value in overrides.items():
        _set_dotted(data, dotted, value)
    try:
        return Job.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_render_validation_error(exc, path, overrides)) from None


def _render_validation_error(exc: ValidationError, path: Path | None,
                             overrides: dict[str, Any]) -> str:
    where_file = str(path) if path is not None else "the command line"
    lines = [f"the job is not valid ({exc.error_count()} problem(s)):"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(job)"
        source = "command line" if key in overrides or path is None else where_file
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see the README's job file reference)"
        elif err["type"] == "missing":
            flag = "--" + key.replace("_", "-")
            message = f"required: set it in the job file or pass {flag}"
        lines.append(f"  {source}: {key}: {message}")
    return "\n".join(lines)
