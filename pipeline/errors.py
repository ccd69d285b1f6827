"""The errors users see. Each class maps to one exit code (docs/jobs.md, Exit codes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import defaults


class PipelineError(Exception):
    """Base for every error meant for the user rather than a traceback."""

    exit_code = 2


class ConfigError(PipelineError):
    """The job file or the command line is wrong: nothing was sent."""


class InputError(PipelineError):
    """An input file cannot be read or holds no usable rows: nothing was sent."""


class TemplateError(PipelineError):
    """A prompt template does not parse or cannot be rendered."""


class ImageError(TemplateError):
    """A row's image cannot be sent: missing, unreadable, not PNG/JPEG/WebP/GIF, or too large."""


class PreflightError(PipelineError):
    """Several rows cannot be turned into requests; lists them all before any spend."""

    closing = "Nothing was sent and no output was written. Fix these and run again."

    def __init__(self, headline: str, problems: Sequence[str], total: int | None = None):
        self.headline = headline
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self._render())

    def _render(self) -> str:
        shown = self.problems[: defaults.PREFLIGHT_SHOWN]
        lines = [self.headline, *(f"  {p}" for p in shown)]
        rest = self.total - len(shown)
        if rest > 0:
            lines.append(f"  … and {rest} more")
        lines.append(self.closing)
        return "\n".join(lines)


class ReviewFileError(PreflightError):
    """A reviewer's file cannot be taken in as it is; lists every problem, records nothing."""

    closing = ("Nothing was recorded. Fix the file (or export a fresh one: pipeline export "
               "JOB --review) and run pipeline review again.")


class ProviderError(PipelineError):
    """A model call failed; subclasses say what the runner should do about it."""

    exit_code = 1

    def __init__(self, message: str, *, status_code: int | None = None,
                 request_id: str | None = None, rate_headers: Mapping[str, str] | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.code = code  # the error body's code (context_length_exceeded, insufficient_quota)
        self.status_code = status_code
        self.request_id = request_id
        self.rate_headers = dict(rate_headers or {})


class Retryable(ProviderError):
    """Worth trying again after a backoff: 5xx, timeouts, resets, unparsable bodies.

    `outage`: the endpoint itself is failing (refused, DNS, TLS, timeouts, 5xx), which the
    runner counts to stop a run against an endpoint that is down (runner.OutageWatch)."""

    def __init__(self, message: str, *, outage: bool = False, **kw):
        super().__init__(message, **kw)
        self.outage = outage


class RateLimited(Retryable):
    """A 429 rate limit: wait `wait_s` (server-stated when known) and try again."""

    def __init__(self, message: str, *, wait_s: float | None = None, **kw):
        super().__init__(message, **kw)
        self.wait_s = wait_s


class FatalForRun(ProviderError):
    """No later request can succeed (auth, quota, unknown model): stop, keep what is done."""

    exit_code = 3


class TargetUnusable(FatalForRun):
    """With fallbacks: this target cannot take the request, so the row moves to the next.
    `whole_target`: none of the run's requests can go there for `cool_down_s` (None: for the
    rest of the run); else only this request (its context is too long for the model)."""

    def __init__(self, message: str, *, whole_target: bool = True,
                 cool_down_s: float | None = None, **kw):
        super().__init__(message, **kw)
        self.whole_target = whole_target
        self.cool_down_s = cool_down_s


class FatalForRow(ProviderError):
    """This request can never succeed as sent (400, context too long): the row fails."""


class CatalogWriteError(PipelineError):
    """A translated catalog did not read back as written: nothing was written. The answers are
    in the journal, so a run after the fix pays for nothing again."""

    exit_code = 1


class Deferred(ProviderError):
    """Not sent now: the request goes into the next Batch API batch (batch/mode.py). Its row
    is left for a later pass, without stopping the run."""

    exit_code = 0
