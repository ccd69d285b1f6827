"""Batch content generation: a prompt template over many rows, answered within rate limits,
with exact tokens and cost per row. The CLI is a thin layer over these names."""

from typing import Any

from .config import Job, ModelParams, Prices, TranslateJob, load_job, load_translate_job
from .errors import (
    ConfigError,
    FatalForRow,
    FatalForRun,
    ImageError,
    InputError,
    PipelineError,
    PreflightError,
    ProviderError,
    RateLimited,
    Retryable,
    ReviewFileError,
    TemplateError,
)
from .estimate import Estimate, estimate_job
from .job_lock import JobLocked
from .jobs import export_job, prepare, run_job
from .plan import Plan, build_plan, fingerprint
from .pricing import Pricer
from .records import Completion, Request, Result, Row, Usage
from .render import PromptTemplate
from .report import RunReport, Totals
from .review.report import write_report
from .review.verdicts import ReviewPlan, apply_review
from .runner import RetryPolicy, Runner
from .sources import Table, read_table

__all__ = [
    "Completion",
    "ConfigError",
    "Estimate",
    "FatalForRow",
    "FatalForRun",
    "ImageError",
    "InputError",
    "Job",
    "JobLocked",
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
    "ReviewFileError",
    "ReviewPlan",
    "Row",
    "RunReport",
    "Runner",
    "Table",
    "TemplateError",
    "Totals",
    "TranslateJob",
    "TranslateReport",
    "Usage",
    "apply_review",
    "build_plan",
    "estimate_job",
    "export_job",
    "fingerprint",
    "load_job",
    "load_translate_job",
    "prepare",
    "read_table",
    "run_job",
    "translate_catalog",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """Catalog translation is imported on first use (polib and Babel load only then)."""
    if name in ("translate_catalog", "TranslateReport"):
        from .catalogs import translate

        return getattr(translate, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
