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
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import defaults
from .errors import ConfigError
from .formats import OUTPUT_FORMATS, CatalogFormat, OutputFormat
from .notify_settings import NotifySettings
from .provider_names import PROVIDER_CHOICES, ProviderName, provider_for

if TYPE_CHECKING:
    from .output_paths import OutputPattern

PATH_FIELDS = ("input", "template", "output", "model_path", "journal", "catalog", "glossary",
               "log_file", "lock")
#: Path-valued keys inside a step (or the job itself, for a one-step job).
STEP_PATH_FIELDS = ("template", "schema")
#: The simple field types a `fields` table may name (JSON Schema is there for the rest).
FieldType = Literal["string", "integer", "number", "boolean", "string[]", "integer[]",
                    "number[]"]
#: `[checks."*"]` checks the whole reply rather than one field.
WHOLE_REPLY = "*"


M = TypeVar("M", bound=BaseModel)


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


class Check(_Strict):
    """Quality gates for one field (or the whole reply, under "*"). A failed gate sends the
    failure back to the model for a corrected answer; when none comes, the row is flagged."""

    min_chars: int | None = Field(None, ge=0)
    max_chars: int | None = Field(None, gt=0)
    min_words: int | None = Field(None, ge=0)
    max_words: int | None = Field(None, gt=0)
    #: For list fields: how many items (e.g. exactly three bullets: 3 and 3).
    min_items: int | None = Field(None, ge=0)
    max_items: int | None = Field(None, ge=0)
    #: Text that must appear (case-insensitive); Jinja, rendered per row: "{{ name }}".
    must_include: list[str] = []
    #: Words or phrases that must not appear (case-insensitive, whole words).
    must_not_include: list[str] = []
    #: A file of such words, one per line (# starts a comment).
    must_not_include_file: Path | None = None
    #: A regular expression the text must match somewhere (Python `re` syntax).
    regex: str | None = None


class _Shape(_Strict):
    """What a step asks of its reply: structure, gates, and corrections before flagging. A
    one-step job carries these keys itself; a chain sets them per step."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    #: Simple structured output: a list of field names (text), or a table name -> type.
    fields: list[str] | dict[str, FieldType] | None = None
    #: Full JSON Schema for the reply: a .json file or an inline table (an object schema).
    schema_: Path | dict[str, Any] | None = Field(None, alias="schema")
    #: Ask for OpenAI's strict json_schema mode (the schema must then meet its rules).
    schema_strict: bool = True
    checks: dict[str, Check] = {}
    #: Corrected answers asked for when a reply fails its schema or gates, before flagging.
    fix_attempts: int = Field(defaults.FIX_ATTEMPTS, ge=0, le=10)
    #: Send back (then flag) empty text values and leftover template markers ({{ }},
    #: [insert ...], lorem ipsum, a bare "...") in any text value.
    check_markers: bool = True

    @field_validator("fields")
    @classmethod
    def _field_names(cls, v: list[str] | dict[str, str] | None) -> Any:
        names = list(v) if v is not None else []
        bad = [n for n in names if not n.isidentifier()]
        if bad:
            raise ValueError(f"field names must be identifiers (letters, digits, _): {bad}")
        if v is not None and not names:
            raise ValueError("an empty field list: remove it, or name at least one field")
        return v

    @model_validator(mode="after")
    def _one_shape(self) -> _Shape:
        if self.fields is not None and self.schema_ is not None:
            raise ValueError("give fields or schema, not both")
        return self

    def shape_settings(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _Shape.model_fields}


class StepSpec(_Shape):
    """One step of a chain: its own template, and optionally its own model and parameters."""

    name: str | None = None
    template: Path | None = None
    model: str | None = None
    params: ModelParams | None = None

    @model_validator(mode="after")
    def _one_cap(self) -> StepSpec:
        if self.params and self.params.max_tokens and self.params.max_completion_tokens:
            raise ValueError("set params.max_tokens or params.max_completion_tokens, not both")
        return self


class Prices(_Strict):
    """Your own prices, in USD per million tokens, for models genai-prices does not know."""

    input: Decimal = Field(ge=0)
    output: Decimal = Field(ge=0)
    cached_input: Decimal | None = Field(None, ge=0)
    #: Prompt tokens written to the prompt cache (Anthropic: 1.25 times the input price);
    #: without it they are priced at `input`.
    cache_write_input: Decimal | None = Field(None, ge=0)
    #: What a Batch API batch charges (often half the online price); without them batch
    #: answers of a self-priced model are left unpriced.
    batch_input: Decimal | None = Field(None, ge=0)
    batch_output: Decimal | None = Field(None, ge=0)


class FallbackTarget(_Strict):
    """Another model or endpoint a row moves to when the job's own cannot take it."""

    model: str
    base_url: str | None = None
    #: The variable holding this endpoint's key; required for another endpoint (the job's
    #: key is never sent anywhere but the job's own endpoint).
    api_key_env: str | None = None
    prices: Prices | None = None
    price_provider: str | None = None
    rpm: float | None = Field(None, gt=0)
    tpm: float | None = Field(None, gt=0)
    concurrency: int | None = Field(None, ge=1, le=defaults.MAX_CONCURRENCY)


class Criterion(_Strict):
    """One thing a judge rates an answer on (docs/judge.md): a question written in Jinja
    with the row's columns and the answer's fields, answered on a 1-5 scale or yes/no."""

    question: str = Field(min_length=1)
    scale: Literal["1-5", "yes/no"] = "1-5"
    #: The lowest score this criterion accepts (1-5 scale); for a yes/no question, true means
    #: only a yes passes. None: the criterion counts toward the overall score only.
    threshold: float | bool | None = None

    @model_validator(mode="after")
    def _threshold_on_its_scale(self) -> Criterion:
        t = self.threshold
        if self.scale == "1-5" and t is not None and (isinstance(t, bool) or not 1 <= t <= 5):
            raise ValueError(f"threshold {t!r} is not on the 1-5 scale: give 1 to 5")
        if self.scale == "yes/no" and t is not None and not isinstance(t, bool):
            raise ValueError(f"threshold {t!r} for a yes/no question: give true (only a yes "
                             "passes) or leave it out")
        return self


class JudgeSettings(FallbackTarget):
    """A model that rates every answer passing the schema and gates (docs/judge.md). Any
    target, with its own endpoint, key, prices and limits, as a fallback has."""

    #: What the judge is asked per answer, by name (the name heads its output column).
    criteria: dict[str, Criterion] = Field(default_factory=dict)
    #: The lowest acceptable overall score: the mean of the 1-5 criteria (a yes counts 5, a
    #: no 1). Below it (or below a criterion's own), the answer goes back with the critique.
    threshold: float | None = Field(None, ge=1, le=5)
    #: The judge's own request parameters (default temperature 0: the same answer, the same
    #: score).
    params: ModelParams = ModelParams(temperature=0)
    #: A whole judge prompt of your own instead of the built-in rubric prompt.
    template: Path | None = None


class Connection(_Strict):
    """Where requests go and how hard: model, endpoint, limits, budget, prices. Shared by row
    jobs and catalog translation jobs."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str | None = None
    journal: Path | None = None

    #: A name in provider_names.PROVIDERS, or auto (chosen by the model's name).
    provider: str = "auto"
    model: str
    base_url: str | None = None
    #: Default: the provider's own variable (OPENAI_API_KEY, ANTHROPIC_API_KEY), set by
    #: `_provider_key_env` when the job names none.
    api_key_env: str = defaults.API_KEY_ENV
    api_key: SecretStr | None = None
    model_path: Path | None = None
    #: Threads of the embedded model (local provider); default one fewer than the usable cores.
    local_threads: int | None = Field(None, ge=1, le=defaults.LOCAL_MAX_THREADS)

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
    #: How structured replies are asked for: `auto` starts with json_schema (or what the
    #: journal learned this server accepts) and steps down when the server refuses it.
    response_format_mode: Literal["auto", "json_schema", "json_object_schema", "json_object",
                                  "text"] = "auto"

    #: "batch": through the Batch API (half the price, answers within the window).
    mode: Literal["online", "batch"] = "online"
    completion_window: str = "24h"
    #: Keep the uploaded input files when their batch ends (deleted by default).
    keep_batch_files: bool = False
    #: Requests per Batch API file (and batch): the API's limit, 50,000 at OpenAI; lower it
    #: for an engine or an organisation that takes fewer.
    batch_file_requests: int = Field(defaults.BATCH_FILE_REQUESTS, gt=0, le=100_000)
    #: Seconds before the first poll of running batches (then half again longer each time).
    batch_poll_s: float = Field(defaults.BATCH_POLL_S, gt=0)
    _source_file: Path | None = PrivateAttr(None)

    #: JSON lines for unattended runs: start, retries summed up, the end with the manifest.
    log_file: Path | None = None
    #: The organisation's enqueued-token limit for the model (prompt tokens in batches not
    #: yet ended); learned from a token_limit_exceeded failure when not set.
    batch_queue_tokens: int | None = Field(None, gt=0)
    #: Notifications after a run: a webhook, ClickUp tasks (`[notify]`, notify_settings.py).
    notify: NotifySettings | None = None

    @model_validator(mode="before")
    @classmethod
    def _provider_key_env(cls, data: Any) -> Any:
        """A job that names no api_key_env reads its provider's own variable: a key for one
        provider is never sent to another."""
        if not isinstance(data, dict) or data.get("api_key_env") is not None:
            return data
        provider, model = data.get("provider", "auto"), data.get("model")
        base_url = data.get("base_url")
        if provider not in PROVIDER_CHOICES or not isinstance(model, str) or not (
                base_url is None or isinstance(base_url, str)):
            return data  # the field validators say what is wrong
        return {**data, "api_key_env": provider_for(provider, model, base_url).key_env}

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, v: str) -> str:
        if v not in PROVIDER_CHOICES:
            *first, last = (repr(c) for c in PROVIDER_CHOICES)
            raise ValueError(f"Input should be {', '.join(first)} or {last}")
        return v

    @field_validator("model")
    @classmethod
    def _model_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @model_validator(mode="after")
    def _one_completion_cap(self) -> Connection:
        if self.params.max_tokens and self.params.max_completion_tokens:
            raise ValueError("set params.max_tokens or params.max_completion_tokens, not both")
        return self

    @property
    def source_file(self) -> Path | None:
        """The job file this job was read from (None: the command line alone)."""
        return self._source_file

    @property
    def resolved_provider(self) -> str:
        """The name of the provider the job talks to (see `provider_info`)."""
        return self.provider_info.name

    @property
    def provider_info(self) -> ProviderName:
        """The provider the job talks to: the one it names, or for `auto` the one registered
        for its model's name (the embedded model for its names, Anthropic for claude-* unless
        base_url is another server), else an OpenAI-compatible server."""
        return provider_for(self.provider, self.model, self.base_url)


class Job(_Shape, Connection):
    """One batch job. docs/jobs.md's job file reference lists every field."""

    input: Path
    template: Path | None = None
    #: Images for the first step's user message: columns holding an http(s) URL, a data URL
    #: or a path relative to the input file (images.py); image() in a template places one.
    images: list[str] = []
    #: OpenAI's detail for images that set none: auto, low (85 tokens each), high (tiles).
    image_detail: Literal["auto", "low", "high"] = "auto"
    #: Local photos with a longer side (pixels) are downsized to it before sending.
    max_image_side: int = Field(defaults.MAX_IMAGE_SIDE, ge=64, le=8192)
    output: Path | None = None
    format: OutputFormat | None = None
    id_column: str | None = None
    limit: int | None = Field(None, gt=0)
    #: A trial on N rows drawn at random (the same N for the same seed and input).
    sample: int | None = Field(None, gt=0)
    sample_seed: int = 0
    #: Only the rows with these ids (a retry of chosen rows, a look at a few).
    rows: list[str] = []
    column_prefix: str = ""
    #: Keep rows a reviewer rejected in the output, marked `rejected` (also --keep-rejected).
    keep_rejected: bool = False


    #: A chain: each step's template sees the row and every earlier step's output.
    steps: list[StepSpec] = []

    #: Several answers per row: candidates per model, models side by side, and prompt
    #: versions (templates) side by side, each a variant with its own cost.
    templates: list[Path] = []
    candidates: int = Field(1, ge=1, le=20)
    models: list[str] = []
    #: Variants as one output row each ("long") or as column groups on one row ("wide").
    variants_layout: Literal["long", "wide"] = "long"
    #: Personal values replaced by placeholders before the model sees a row (redact.py):
    #: kinds (email, phone, iban, credit_card, ip), named patterns, the columns to look in
    #: (default all), the region for phone numbers written without a country code, and
    #: whether replies get the values back.
    redact: list[Literal["email", "phone", "iban", "credit_card", "ip"]] = []
    redact_regex: dict[str, str] = {}
    redact_columns: list[str] = []
    redact_phone_region: str = "US"
    restore: bool = True
    #: Where a row goes when the job's model cannot take it (unknown model, context too
    #: long, the server failing, rate-limited longer than fallback_after_s, out of quota):
    #: model names (same endpoint and key) or tables with their own base_url and key.
    fallbacks: list[str | FallbackTarget] = []
    fallback_after_s: float = Field(defaults.FALLBACK_AFTER_S, gt=0)
    #: A target that looked down (failing, or asking for a long wait) is tried again after.
    fallback_cool_down_s: float = Field(defaults.FALLBACK_COOL_DOWN_S, gt=0)
    #: Sent as prompt_cache_key so requests sharing a prefix meet the same cache: by default
    #: a key per job and step, to OpenAI's API only; a string sends that key anywhere, true
    #: sends the default key anywhere, false sends none (prompt_cache.py).
    prompt_cache_key: str | bool | None = None
    #: A judge model rating every answer against a rubric (docs/judge.md; --judge, --no-judge).
    judge: JudgeSettings | None = None
    #: Write the HTML report beside the output after each run (also --report).
    report: bool = False
    #: The input columns the report shows beside the answers (default: all of them).
    report_columns: list[str] = []


    @field_validator("rows", mode="before")
    @classmethod
    def _rows_from_text(cls, v: Any) -> Any:
        """`--rows 12,57,99` arrives as text; ids are text (a TOML list may hold numbers)."""
        items = v.split(",") if isinstance(v, str) else v
        return [str(i).strip() for i in items if str(i).strip()] if isinstance(
            items, list) else items

    @field_validator("id_column")
    @classmethod
    def _blank_id_column_is_none(cls, v: str | None) -> str | None:
        return v if v and v.strip() else None  # `--set id_column=` means "use row numbers"

    @model_validator(mode="after")
    def _template_or_steps(self) -> Job:
        if self.steps:
            own = [k for k in ("template", *_Shape.model_fields) if k in self.model_fields_set]
            if own:
                names = ", ".join("schema" if k == "schema_" else k for k in own)
                raise ValueError(f"a job with [[steps]] sets {names} in each step, not at the "
                                 "top level")
            names = [s.name for s in self.steps]
            for i, step in enumerate(self.steps, 1):
                if not step.name or not step.name.isidentifier():
                    raise ValueError(f"step {i} needs a name that is an identifier (letters, "
                                     "digits, _), e.g. name = \"draft\": later steps use it")
                if step.template is None:
                    raise ValueError(f"step '{step.name}' needs a template")
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"step names must be unique: {', '.join(map(str, dupes))}")
            if self.templates:
                raise ValueError("templates (prompt versions side by side) is for a one-step "
                                 "job: a chain sets a template per step")
        elif self.template is None and not self.templates:
            raise ValueError(_NO_TEMPLATE)
        if self.template is not None and self.templates:
            raise ValueError("give template or templates, not both")
        if len(set(self.templates)) != len(self.templates):
            raise ValueError("templates lists a template twice")
        if len(set(self.models)) != len(self.models):
            raise ValueError("models lists a model twice")
        if self.sample is not None and self.rows:
            raise ValueError("give sample or rows, not both")
        return self

    @property
    def step_specs(self) -> list[StepSpec]:
        """The job's steps: its [[steps]], or the job itself as the one step (with its first
        template, when it compares several)."""
        if self.steps:
            return list(self.steps)
        template = self.template or (self.templates[0] if self.templates else None)
        return [StepSpec(name=None, template=template, **self.shape_settings())]

    @property
    def variant_models(self) -> list[str]:
        """The models each row is answered by: `models` side by side, else the job's model."""
        return list(self.models) or [self.model]

    @property
    def stem(self) -> str:
        """Names the output and journal when the job does not."""
        if self.name:
            return self.name
        template = self.template or (self.templates[0] if self.templates
                                     else self.steps[0].template)
        return template.stem if template else "job"

    @property
    def output_pattern(self) -> OutputPattern:
        """The output path as written, maybe with {job}, {date} and {run_id} (output_paths.py);
        raises ConfigError for an unknown placeholder."""
        from .output_paths import OutputPattern

        text = (str(self.output) if self.output is not None
                else str(Path("outputs") / f"{self.stem}.{self.format or 'csv'}"))
        return OutputPattern(text, job=self.stem)

    @property
    def output_path(self) -> Path:
        """The output path with {job} filled (a dated pattern's {date} and {run_id} are filled
        per run: `output_pattern.for_run`)."""
        return self.output_pattern.with_job()

    @property
    def journal_path(self) -> Path:
        """The job's journal: beside the output, named after the job, unless set. With a dated
        output, in the deepest folder that every run shares: one journal across dates."""
        if self.journal is not None:
            return self.journal
        return self.output_pattern.stable_folder() / f"{self.stem}.journal.sqlite"


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


class TranslateJob(Connection):
    """Translate a message catalog into other languages. See docs/catalogs.md."""

    catalog: Path
    to: list[str] = Field(min_length=1)
    from_: str = Field("en", alias="from")
    format: Literal["auto"] | CatalogFormat = "auto"
    #: Where each language's catalog goes: a pattern with {dir} {stem} {ext} {lang}.
    output: str | None = None
    template: Path | None = None
    glossary: Path | None = None
    style: str = ""
    #: Translate fuzzy entries of existing target catalogs again too.
    include_fuzzy: bool = False
    #: Only the first N entries that need a translation (a trial, or a slice).
    limit: int | None = Field(None, gt=0)
    #: Most entries packed into one request, and the completion tokens a request may use.
    batch_entries: int = Field(defaults.TRANSLATE_BATCH_ENTRIES, ge=1, le=200)
    batch_output_tokens: int = Field(defaults.TRANSLATE_BATCH_OUTPUT_TOKENS, ge=64)
    #: Attempts for an entry retried alone (after a batch reply did not give it safely).
    fix_attempts: int = Field(defaults.FIX_ATTEMPTS, ge=0, le=10)
    #: gettext Plural-Forms for new target catalogs, per language ({fr = "nplurals=2;
    #: plural=(n > 1);"}), or one rule when there is one target language. Without it a new
    #: catalog follows another catalog of its language in the locale tree, else CLDR.
    plural_forms: dict[str, str] | str | None = None  # a str becomes {the one language: it}
    #: The translation lock (what each translation was made from): default beside the source
    #: catalog, `<source file>.lock` (docs/catalogs.md, Keeping catalogs current).
    lock: Path | None = None
    #: Translate again the entries whose source changed and whose translation is not ours (a
    #: person's or another tool's): without it they are kept, reported and marked for review.
    update_stale: bool = False
    #: Take the translations kept while their source changed as current (a person checked
    #: them): the lock records today's source for them, nothing is sent.
    accept_stale: bool = False
    #: Remove from key-based targets the keys the source no longer has (gettext makes them
    #: obsolete, #~, always).
    prune: bool = False
    #: Send nothing, write nothing: say whether every target is complete and current (exit 0)
    #: or what is missing, stale, left for review or orphaned (exit 1).
    check: bool = False
    #: The most characters a translation may have, by key pattern (`fnmatch`, matched against
    #: the key the report shows: `[max_length] "button.*" = 20`); each plural form is held to
    #: it. A longer answer is asked again for a shorter one, then left for review; never cut.
    max_length: dict[str, int] = Field(default_factory=dict)
    #: The most characters a translation may have as a multiple of its source's length.
    max_length_ratio: float | None = Field(None, gt=0)
    #: Judge every translation (GEMBA-MQM error spans: category, severity) and translate
    #: again once an entry with a major or critical error (docs/catalogs.md, QA; --qa).
    qa: bool = False
    #: The QA judge's model, and its own endpoint, key, prices and limits where it names them
    #: (default: the job's own model, endpoint and runner; docs/catalogs.md, QA).
    judge: FallbackTarget | None = None

    @field_validator("max_length")
    @classmethod
    def _max_lengths(cls, v: dict[str, int]) -> dict[str, int]:
        for pattern, chars in v.items():
            if not pattern.strip():
                raise ValueError("a max_length pattern is empty: name keys, e.g. "
                                 '[max_length] "button.*" = 20')
            if chars < 1:
                raise ValueError(f'max_length "{pattern}" = {chars}: give the most characters '
                                 "a translation may have, 1 or more")
        return v

    @model_validator(mode="before")
    @classmethod
    def _check_needs_no_model(cls, data: Any) -> Any:
        """`--check` sends nothing: a job (or command line) without a model may check."""
        if isinstance(data, dict) and data.get("check") and not data.get("model"):
            return {**data, "model": "(none: --check sends nothing)"}
        return data

    @field_validator("plural_forms")
    @classmethod
    def _plural_forms_per_language(cls, v: dict[str, str] | str | None,
                                   info: ValidationInfo) -> dict[str, str] | None:
        if v is None:
            return None
        to = info.data.get("to") or []
        if isinstance(v, str):
            if len(to) != 1:
                raise ValueError(
                    "with several target languages, give a rule per language, "
                    'e.g. plural_forms = { fr = "nplurals=2; plural=(n > 1);" }')
            v = {to[0]: v}
        from .languages import locale, parse_plural_forms

        for code, rule in v.items():
            try:
                locale(code)
                parse_plural_forms(rule, origin=f"the rule for {code}")
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        return v

    def plural_forms_for(self, language: str) -> str | None:
        """The job's Plural-Forms rule for this language, if it gives one."""
        rules = self.plural_forms
        return rules.get(language) if isinstance(rules, dict) else rules

    @field_validator("to")
    @classmethod
    def _languages(cls, v: list[str]) -> list[str]:
        out = [code.strip() for item in v for code in item.split(",") if code.strip()]
        if not out:
            raise ValueError("name at least one language, e.g. to = [\"fr\", \"ja\"]")
        if len(set(out)) != len(out):
            raise ValueError("a language is listed twice")
        return out

    @property
    def stem(self) -> str:
        return self.name or f"{self.catalog.stem}-translate"

    @property
    def journal_path(self) -> Path:
        return self.journal or Path("outputs") / f"{self.stem}.journal.sqlite"

    @property
    def lock_path(self) -> Path:
        """The translation lock: the job's `lock`, else `<source file>.lock` beside it."""
        return self.lock or self.catalog.with_name(self.catalog.name + ".lock")


def load_translate_job(path: Path | str | None = None,
                       overrides: dict[str, Any] | None = None) -> TranslateJob:
    """A catalog translation job from a TOML file and/or command-line values."""
    return _load(TranslateJob, path, overrides)


def load_any_job(path: Path | str) -> Job | TranslateJob:
    """A job file of either kind: a translate job names a `catalog`, a row job does not."""
    data = _read_job_file(Path(path))
    return load_translate_job(path) if "catalog" in data else load_job(path)


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
    _resolve(data, tuple(dict.fromkeys(PATH_FIELDS + STEP_PATH_FIELDS)), base)
    if isinstance(data.get("templates"), list):
        data["templates"] = [os.path.normpath(base / t) if isinstance(t, str)
                             and not Path(t).is_absolute() else t for t in data["templates"]]
    steps = data.get("steps")
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict):
            _resolve(step, STEP_PATH_FIELDS, base)
    for table in [data, *(steps if isinstance(steps, list) else [])]:
        checks = table.get("checks") if isinstance(table, dict) else None
        for check in checks.values() if isinstance(checks, dict) else []:
            if isinstance(check, dict):
                _resolve(check, ("must_not_include_file",), base)
    data.setdefault("name", path.stem)
    return data


def _resolve(table: dict[str, Any], keys: tuple[str, ...], base: Path) -> None:
    """Make the path-valued keys of one TOML table relative to the job file's folder."""
    for key in keys:
        value = table.get(key)
        if isinstance(value, str) and not Path(value).is_absolute():
            table[key] = os.path.normpath(base / value)


def load_job(path: Path | str | None = None, overrides: dict[str, Any] | None = None) -> Job:
    """Read the job file (if any), apply dotted-key overrides, and validate the result.

    Raises ConfigError with one line per problem, each naming the key and where it came from.
    """
    return _load(Job, path, overrides)


def _load(model: type[M], path: Path | str | None, overrides: dict[str, Any] | None) -> M:
    path = Path(path) if path is not None else None
    data = _read_job_file(path) if path is not None else {}
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    for dotted, value in overrides.items():
        _set_dotted(data, dotted, value)
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_render_validation_error(exc, path, overrides, data,
                                                   needs_template=model is Job)) from None
    if isinstance(loaded, Connection) and path is not None:
        loaded._source_file = path.resolve()
    return loaded


def _is_type_tag(part: object) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "float", "dict"))


_NO_TEMPLATE = "template: required: set it in the job file or pass --template (or list [[steps]])"


def _render_validation_error(exc: ValidationError, path: Path | None,
                             overrides: dict[str, Any], data: dict[str, Any], *,
                             needs_template: bool = True) -> str:
    where_file = str(path) if path is not None else "the command line"
    problems: list[str] = []
    if needs_template and not data.get("template") and not data.get("steps"):
        # A job-level rule, which pydantic checks only once every field is valid: said here
        # so it is listed with the other problems.
        problems.append(f"  {'command line' if path is None else where_file}: {_NO_TEMPLATE}")
    errors = exc.errors()
    # A union (fields: list or table) reports one error per member, its type name in `loc`:
    # keep the most specific, with the type names left out.
    keys = [".".join(str(p) for p in err["loc"] if not _is_type_tag(p)) for err in errors]
    for err, key in zip(errors, keys, strict=True):
        tagged = any(_is_type_tag(p) for p in err["loc"])
        if tagged and any(other.startswith(key + ".") for other in keys):
            continue
        key = key or "(job)"
        source = "command line" if key in overrides or path is None else where_file
        message = err["msg"].removeprefix("Value error, ")
        if message == _NO_TEMPLATE:
            continue
        if err["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see docs/jobs.md, job file reference)"
        elif err["type"] == "missing":
            flag = "--" + key.replace("_", "-")
            message = f"required: set it in the job file or pass {flag}"
        problems.append(f"  {source}: {key}: {message}")
    return "\n".join([f"the job is not valid ({len(problems)} problem(s)):", *problems])
