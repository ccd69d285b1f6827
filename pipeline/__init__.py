"""Batch content generation: a prompt template over many rows, answered within rate limits,
with exact tokens and cost per row. The CLI is a thin layer over these names.

Each name is imported from its module on first use (PEP 562), so `import pipeline` and
`pipeline --help` do not load pydantic, the HTTP client, pandas or the catalog readers.
"""

from typing import TYPE_CHECKING, Any

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

#: Public name -> the module (under pipeline) that defines it.
_LAZY = {
    "Job": "config", "ModelParams": "config", "Prices": "config", "TranslateJob": "config",
    "load_job": "config", "load_translate_job": "config",
    "Estimate": "rows.estimate", "estimate_job": "rows.estimate",
    "JobLocked": "unattended.lock",
    "export_job": "jobs.run", "prepare": "jobs.run", "run_job": "jobs.run",
    "Comparison": "jobs.compare", "compare_job": "jobs.compare",
    "estimate_compare": "jobs.compare",
    "Plan": "rows.plan", "build_plan": "rows.plan", "fingerprint": "rows.plan",
    "Pricer": "pricing",
    "Completion": "records", "Request": "records", "Result": "records", "Row": "records",
    "Usage": "records",
    "PromptTemplate": "rows.render",
    "RunReport": "outcome", "Totals": "outcome",
    "write_report": "review.html_report",
    "ReviewPlan": "review.verdicts", "apply_review": "review.verdicts",
    "RetryPolicy": "send.runner", "Runner": "send.runner",
    "Table": "rows.sources", "read_table": "rows.sources",
    "TranslateReport": "catalogs.translator", "translate_catalog": "jobs.translate",
}

if TYPE_CHECKING:
    from .catalogs.translator import TranslateReport
    from .config import Job, ModelParams, Prices, TranslateJob, load_job, load_translate_job
    from .jobs.compare import Comparison, compare_job, estimate_compare
    from .jobs.run import export_job, prepare, run_job
    from .jobs.translate import translate_catalog
    from .outcome import RunReport, Totals
    from .pricing import Pricer
    from .records import Completion, Request, Result, Row, Usage
    from .review.html_report import write_report
    from .review.verdicts import ReviewPlan, apply_review
    from .rows.estimate import Estimate, estimate_job
    from .rows.plan import Plan, build_plan, fingerprint
    from .rows.render import PromptTemplate
    from .rows.sources import Table, read_table
    from .send.runner import RetryPolicy, Runner
    from .unattended.lock import JobLocked

__all__ = [
    "Comparison",
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
    "compare_job",
    "estimate_compare",
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
    """Import a public name's module the first time the name is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
