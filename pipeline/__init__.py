"""Batch content generation: a prompt template over many rows, answered within rate limits,
with exact tokens and cost per row. The CLI is a thin layer over these names."""

from .config import Job, ModelParams, Prices, load_job
from .errors import (
    ConfigError,
    FatalForRow,
    FatalForRun,
    InputError,
    PipelineError,
    PreflightError,
    ProviderError,
    RateLimited,
    Retryable,
    TemplateError,
)
from .estimate import Estimate, estimate_job
from .jobs import export_job, prepare, run_job
from .plan import Plan, build_plan, fingerprint
from .pricing import Pricer
from .records import Completion, Request, Result, Row, Usage
from .render import PromptTemplate
from .report import RunReport, Totals
from .runner import RetryPolicy, Runner
from .sources import Table, read_table

__all__ = [
    "Completion",
    "ConfigError",
    "Estimate",
    "FatalForRow",
    "FatalForRun",
    "InputError",
    "Job",
    "ModelParams",
    "PipelineError",
    "Plan",
    "PreflightError",
    "Pricer",
    "Prices",
    "PromptTemplate",
    "ProviderError",
    "RateLimited",
    "Request",
    "Result",
    "RetryPolicy",
    "Retryable",
    "Row",
    "RunReport",
    "Runner",
    "Table",
    "TemplateError",
    "Totals",
    "Usage",
    "build_plan",
    "estimate_job",
    "export_job",
    "fingerprint",
    "load_job",
    "prepare",
    "read_table",
    "run_job",
]
