"""The `pipeline` command: parse options, make one library call, map the outcome to an exit code.

Exit codes: 0 every row ok; 1 some rows failed or flagged (output written); 2 bad input or
configuration (nothing sent); 3 stopped early (budget, auth, quota, interrupt; finished rows
are kept); 4 the job is already running (nothing sent).
"""

from __future__ import annotations

import functools
import inspect
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import PipelineError
from .formats import CATALOG_FORMATS, OUTPUT_FORMATS, catalog_format_labels
from .outcome import EXIT_STOPPED
from .provider_names import PROVIDER_CHOICES

if TYPE_CHECKING:
    from .config import Job

# CLI option name -> job field (dotted for nested ones).
_OVERRIDES = {
    "input_": "input", "template": "template", "output": "output", "format_": "format",
    "model": "model", "provider": "provider", "base_url": "base_url",
    "id_column": "id_column", "limit": "limit", "sample": "sample",
    "sample_seed": "sample_seed", "rows": "rows", "concurrency": "concurrency", "rpm": "rpm",
    "tpm": "tpm", "timeout": "timeout", "max_attempts": "max_attempts", "budget": "budget",
    "journal": "journal", "temperature": "params.temperature", "max_tokens": "params.max_tokens",
    "max_completion_tokens": "params.max_completion_tokens", "top_p": "params.top_p",
    "seed": "params.seed", "stop": "params.stop", "mode": "mode", "log_file": "log_file",
    "fallback": "fallbacks", "judge": "judge.model",
}
_FLAGS = {"refresh": "refresh", "retry_failed": "retry_failed"}


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pipeline: %(levelname)s: %(message)s"))
    logger = logging.getLogger("pipeline")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def _parse_sets(values: tuple[str, ...]) -> dict[str, Any]:
    from .config import parse_override_value

    parsed: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}': expected KEY=VALUE, e.g. params.seed=7",
                                     param_hint="--set")
        parsed[key.strip()] = parse_override_value(raw)
    return parsed


def job_options(command: Callable[..., None], *,
                destination: bool = False) -> Callable[..., None]:
    """The job file argument and every override, shared by run, estimate and export.
    `destination`: -o is where this command writes, passed as `output`, not a job override
    (an export's destination must not move the journal, which lives beside the job's output)."""
    options = [
        click.argument("job_file", required=False, type=click.Path(path_type=Path)),
        click.option("-i", "--input", "input_", type=click.Path(path_type=Path),
                     help="Rows: .csv .tsv .jsonl .json .xlsx"),
        click.option("-t", "--template", type=click.Path(path_type=Path),
                     help="Jinja prompt template."),
        click.option("-o", "--output", type=click.Path(path_type=Path),
                     help="Output file; the format follows its extension."),
        click.option("--format", "format_", type=click.Choice(OUTPUT_FORMATS),
                     help="Output format, when the extension does not say."),
        click.option("-m", "--model",
                     help="Model name; 'smollm2' runs the embedded offline model."),
        click.option("--fallback", multiple=True, metavar="MODEL",
                     help="A model a row moves to when the job's cannot take it (unknown "
                          "model, context too long, server failing, long rate limit, no "
                          "quota); repeat for several, in order."),
        click.option("--judge", metavar="MODEL",
                     help="Rate every answer with this model (sets [judge] model; without a "
                          "[judge] table, the default rubric: docs/judge.md)."),
        click.option("--no-judge", is_flag=True,
                     help="Leave the job's [judge] out: no judge requests, no judge columns."),
        click.option("--provider", type=click.Choice(PROVIDER_CHOICES)),
        click.option("--base-url",
                     help="Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1"),
        click.option("--id-column", help="Column holding a stable row id (default: row number)."),
        click.option("--limit", type=int, help="Only the first N rows (a trial run)."),
        click.option("--sample", type=int,
                     help="A trial on N rows drawn at random: the same rows every time for "
                          "the same input (change them with --sample-seed)."),
        click.option("--sample-seed", type=int,
                     help="Draw a different random sample (default 0; --seed is the model's)."),
        click.option("--rows", help="Only the rows with these ids, comma-separated: 12,57,99."),
        click.option("--concurrency", type=int,
                     help="Requests in flight at once (default: derived from the rate limit)."),
        click.option("--rpm", type=float, help="Requests per minute, at most (a ceiling)."),
        click.option("--tpm", type=float, help="Tokens per minute, at most (a ceiling)."),
        click.option("--timeout", type=float, help="Seconds per request before it is retried."),
        click.option("--max-attempts", type=int, help="Attempts per row, the first included."),
        click.option("--budget", type=float,
                     help="Stop before spending more than this many US dollars."),
        click.option("--mode", type=click.Choice(["online", "batch"]),
                     help="online (default), or batch: through the Batch API at half the "
                          "price (docs/batch.md)."),
        click.option("--journal", type=click.Path(path_type=Path),
                     help="The job's SQLite journal (default: beside the output)."),
        click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Append the run's events as JSON lines (start, retries, the end "
                          "with its manifest): for unattended runs."),
        click.option("--refresh", is_flag=True, default=None,
                     help="Ignore answers in the journal: call again for every row."),
        click.option("--retry-failed", is_flag=True, default=None,
                     help="Send rows that failed or were flagged in an earlier run again."),
        click.option("--temperature", type=float),
        click.option("--max-tokens", type=int),
        click.option("--max-completion-tokens", type=int),
        click.option("--top-p", type=float),
        click.option("--seed", type=int),
        click.option("--stop", multiple=True, help="Stop sequence (repeatable)."),
        click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                     help="Override any job field, e.g. --set params.presence_penalty=0.5"),
        click.option("-v", "--verbose", is_flag=True, help="Log more detail."),
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        _setup_logging(kwargs.pop("verbose"))
        if destination:
            kwargs["destination"] = kwargs.pop("output")
        overrides = {field: kwargs.pop(name) for name, field in _OVERRIDES.items()
                     if name in kwargs}
        overrides["params.stop"] = list(overrides["params.stop"]) or None
        overrides["fallbacks"] = list(overrides["fallbacks"]) or None
        overrides.update({field: kwargs.pop(name) or None for name, field in _FLAGS.items()})
        overrides.update(_parse_sets(kwargs.pop("sets")))
        job_file = kwargs.pop("job_file")
        no_judge = kwargs.pop("no_judge")
        if no_judge:
            overrides.pop("judge.model", None)
        from .config import load_job

        try:
            job = load_job(job_file, overrides)
            if no_judge:
                job = job.model_copy(update={"judge": None})
            command(job, **kwargs)
        except PipelineError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


# Options that `run` and `translate` share.
_NO_WAIT = click.option(
    "--no-wait", is_flag=True,
    help="Batch mode: submit (and collect what is finished), then exit 0 without waiting; run "
         "the same command again to collect.")
_WAIT_FOR_LOCK = click.option(
    "--wait", "wait_lock", is_flag=True,
    help="When this job is already running, wait for it to end instead of exiting with code 4.")
# Options that `run` and `export` share.
_KEEP_REJECTED = click.option(
    "--keep-rejected", is_flag=True,
    help="Keep the rows a reviewer rejected in the output, marked 'rejected' (job key "
         "keep_rejected).")


def _print_versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .versions import versions_text

        click.echo(versions_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_versions,
              help="Show the version, Python's and the key libraries' (for bug reports).")
def cli() -> None:
    """Batch content generation: one LLM answer per row, with tokens and cost.

    \b
    Exit codes: 0 every row ok; 1 rows failed or flagged (output written);
    2 bad input or configuration (nothing sent); 3 stopped early, resumable
    (budget, auth, quota, Ctrl-C); 4 the job is already running (nothing sent).
    """


@cli.command()
@job_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--batch-files", type=click.Path(file_okay=False, path_type=Path),
              help="Send nothing: write the requests still to answer as Batch API JSONL "
                   "files in this folder (for OpenAI's or Azure's Batch API, or `vllm "
                   "run-batch`); bring the answers back with `pipeline batches JOB --import`.")
@_NO_WAIT
@click.option("--fix-online", is_flag=True,
              help="Batch mode: send corrections of replies that failed a gate online, at "
                   "once, instead of in the next batch.")
@_WAIT_FOR_LOCK
@click.option("--report", "html_report", is_flag=True,
              help="Also write the HTML report beside the output (pipeline report).")
@click.option("--only-new", is_flag=True,
              help="Write only the rows this run answered (this week's new or changed rows); "
                   "the journal still answers the rest without a call.")
@_KEEP_REJECTED
def run(job: Job, quiet: bool, batch_files: Path | None, no_wait: bool,
        fix_online: bool, wait_lock: bool, html_report: bool, only_new: bool,
        keep_rejected: bool) -> None:
    """Answer every row of a job and write the output.

    JOB_FILE is a TOML job (see docs/jobs.md); without one, give at least
    --input, --template and --model. Answers already in the job's journal are
    not bought again: after a stop or a crash, run the same command to continue.

    \b
    Examples:
      pipeline run prompts/product_description.toml
      pipeline run prompts/product_description.toml --model gpt-4o-mini --limit 5
      pipeline run prompts/product_description.toml --budget 2.50
      pipeline run prompts/product_copy.toml     # fields, gates, two steps
      pipeline run -i data/products.csv -t prompts/product_description.j2 \\
          -o outputs/out.jsonl -m gpt-4o-mini
      pipeline run prompts/product_description.toml --batch-files batches/
      pipeline run prompts/product_description.toml --mode batch --no-wait   # from cron

    Exit code 4: the same job is already running (its pid, host and start are
    named); nothing was sent. --wait waits for it instead.
    """
    if html_report:
        job = job.model_copy(update={"report": True})
    if keep_rejected:
        job = job.model_copy(update={"keep_rejected": True})
    if batch_files is not None:
        from .jobs.batch import write_batch_files

        click.echo(write_batch_files(job, batch_files).summary(), err=True)
        return
    if job.mode == "batch":
        from .jobs.batch import run_batch_job

        _, batch_report = _in_batches(quiet, lambda display: run_batch_job(
            job, wait=not no_wait, on_round=display, fix_online=fix_online,
            wait_for_lock=wait_lock))
        if batch_report is None:  # --no-wait: submitted or still running; collect later
            return
        click.echo(batch_report.summary(), err=True)
        sys.exit(batch_report.exit_code)
    from .jobs.run import run_job

    report = run_job(job, progress=False if quiet else None, wait_for_lock=wait_lock,
                     only_new=only_new)
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code)


def _in_batches(quiet: bool, work: Callable[[Any], Any]) -> Any:
    """Batch mode's work with its display (none with -q), its summary after, a word when
    batches are left running, and Ctrl-C turned into exit 3 (nothing cancelled)."""
    from .batch.display import BatchDisplay

    display = None if quiet else BatchDisplay()
    try:
        outcome = work(display)
    except KeyboardInterrupt:
        _batches_left_running()
    finally:
        if display is not None:
            display.close()
    progress = outcome[0] if isinstance(outcome, tuple) else outcome
    click.echo(progress.summary(), err=True)
    if progress.running:
        click.echo("batches are running: run the same command again to collect (nothing is "
                   "lost or bought twice in between)", err=True)
    return outcome


def _batches_left_running() -> None:
    """Ctrl-C while batch mode waits: the batches are the API's now; nothing is cancelled."""
    click.echo("stopped: the submitted batches keep running (nothing was cancelled); run the "
               "same command again to collect them", err=True)
    sys.exit(EXIT_STOPPED)


@cli.command()
@job_options
def estimate(job: Job) -> None:
    """Price a job before running it: no network, nothing spent.

    Renders every row, counts prompt tokens exactly with the model's encoding,
    subtracts what the journal already answers and what repeats in the input,
    and prints requests, tokens, expected and maximum cost, and duration.

    \b
    Examples:
      pipeline estimate prompts/product_description.toml --model gpt-4o-mini
      pipeline run JOB --limit 20 && pipeline estimate JOB   # expectation from a trial
    """
    from .rows.estimate import estimate_job

    click.echo("\n".join(estimate_job(job).lines()))


@cli.command()
@functools.partial(job_options, destination=True)
@click.option("--review", "review_columns", is_flag=True,
              help="With the review columns (answer_id, review, review_note) whatever the "
                   "format; CSV and XLSX always have them.")
@_KEEP_REJECTED
def export(job: Job, destination: Path | None, review_columns: bool,
           keep_rejected: bool) -> None:
    """Rewrite the output from the journal, in any format, without a call.

    -o says only where to write (anywhere: the format follows its extension);
    the journal is the job's, found as `run` finds it (or --journal).

    \b
    Examples:
      pipeline export prompts/product_description.toml -o outputs/descriptions.xlsx
      pipeline export prompts/product_description.toml -o review.jsonl --review
    """
    from .jobs.run import export_job

    if keep_rejected:
        job = job.model_copy(update={"keep_rejected": True})
    report = export_job(job, to=destination, review=review_columns)
    click.echo(report.summary(), err=True)


@cli.command()
@job_options
@click.option("--estimate", "estimate_only", is_flag=True,
              help="Only price the judgements still to buy: nothing sent, no key needed.")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@click.option("--report", "html_report", is_flag=True,
              help="Also write the compare report (HTML) beside the job's journal: "
                   "<job>.compare.html.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_WAIT_FOR_LOCK
def compare(job: Job, estimate_only: bool, as_json: bool, html_report: bool, quiet: bool,
            wait_lock: bool) -> None:
    """Which of a job's variants is better: a judge model, both orders, a 95% interval.

    For a job with variants (templates = [a, b], models = [...] or
    candidates = N) that `pipeline run` has answered: for each pair of
    variants and each row (--sample N: a seeded sample), the judge is asked
    which answer is better twice, each answer shown first once. A win needs
    both orders; a split or a tie is a tie, so a judge's taste for the first
    answer shown cancels out. Per pair: wins, ties, losses, the win rate (a
    tie counts half) with a 95% Wilson interval, cost and tokens per row of
    each variant and of the judging. The answers come from the journal (no
    writer request); judgements are journaled too: a rerun buys only the
    missing ones. The judge is the job's [judge] model, or --judge MODEL (on
    the job's endpoint unless [judge] names another). The job's options (-o,
    --model, --template...) say which job's answers and journal, as for `run`.

    \b
    Examples:
      pipeline compare prompts/product_versions.toml --judge gpt-4.1-mini
      pipeline compare JOB --sample 100 --estimate
      pipeline compare JOB --sample 100 --budget 1 --report
      pipeline compare JOB --json > comparison.json
    """
    if estimate_only:
        import json

        from .jobs.compare import estimate_compare

        found = estimate_compare(job)
        click.echo(json.dumps(found.as_json(), indent=2) if as_json
                   else "\n".join(found.lines()))
        return
    from .jobs.compare import compare_job

    result = compare_job(job, progress=False if quiet else None,
                         report=html_report or job.report,
                         wait_for_lock=wait_lock)
    click.echo(result.json() if as_json else "\n".join(result.lines()))
    sys.exit(result.exit_code)


@cli.command()
@job_options
@click.argument("reviewed", type=click.Path(dir_okay=False, path_type=Path))
def review(job: Job, reviewed: Path) -> None:
    """Take a reviewer's verdicts back: approve, redo or reject rows.

    REVIEWED is the job's output (.xlsx, .csv or .jsonl with the review
    columns) after a reviewer wrote a verdict in the `review` column of the
    rows they looked at, and maybe a note in `review_note`:

    \b
      approve  the row keeps this answer in every later run, even with
               --refresh or a changed input
      redo     the next run asks the model again, with its answer and the
               note (a new request; the old answer stays in the journal)
      reject   the row is left out of the output (--keep-rejected keeps it)

    Rows are matched by the job's row id and variant, and by answer_id to the
    exact answer the reviewer saw: a file of another job, or of answers the
    job no longer shows, is refused (exit 2) and nothing is recorded. Nothing
    is sent now: this prints what the next `pipeline run` will do and what its
    redo requests may cost.

    \b
    Examples:
      pipeline review prompts/product_description.toml outputs/reviewed.xlsx
      pipeline run prompts/product_description.toml
    """
    from .review.verdicts import apply_review

    plan = apply_review(job, reviewed)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("\n".join(plan.lines()))


@cli.command()
@job_options
@click.option("--import", "import_", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A Batch API output file (OpenAI's, Azure's, `vllm run-batch`'s) to take "
                   "into the journal; repeat for several.")
@click.option("--cancel", is_flag=True,
              help="Cancel the job's batches that are still running (answers they finished "
                   "are collected by the next run).")
def batches(job: Job, import_: tuple[Path, ...], cancel: bool) -> None:
    """List a job's Batch API batches, cancel them, or import answers.

    Without options: each batch the job submitted (--mode batch), its state,
    requests done and failed, age and cost so far, from the journal. Answers in
    an imported file are matched to the job's requests by custom_id (the files
    written by `pipeline run JOB --batch-files DIR` carry them); the next
    `pipeline run JOB` judges them like any reply and writes the output without
    sending them again. A whole file is checked before anything is taken from it.

    \b
    Examples:
      pipeline batches JOB
      pipeline batches JOB --cancel
      pipeline run JOB --batch-files batches/
      vllm run-batch -i batches/JOB-batch-001.jsonl -o out.jsonl --model M
      pipeline batches JOB --import out.jsonl && pipeline run JOB
    """
    if cancel:
        from .jobs.batch import cancel_batches

        for line in cancel_batches(job):
            click.echo(line, err=True)
        return
    if not import_:
        from .jobs.batch import batch_table

        click.echo("\n".join(batch_table(job)))
        return
    from .jobs.batch import import_results

    worst = 0
    for path in import_:
        report = import_results(job, path)
        click.echo(f"{path}: {report.summary()}", err=True)
        worst = max(worst, report.exit_code)
    sys.exit(worst)


@cli.command()
@click.argument("job_file", type=click.Path(path_type=Path))
@click.option("--run", "run_id", type=int, metavar="RUN_ID",
              help="The run to report (default: the latest; `pipeline runs` lists them).")
@click.option("-o", "--output", "to", type=click.Path(dir_okay=False, path_type=Path),
              help="Where the report goes (default: beside the run's output, "
                   "<output name>.report.html).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a job field, e.g. --set 'report_columns=[\"name\"]'")
def report(job_file: Path, run_id: int | None, to: Path | None, sets: tuple[str, ...]) -> None:
    """Write a run's HTML report: one self-contained file to review in a browser.

    From the journal and the run's manifest, without a call or a key: the
    summary (rows, tokens, cost by step, model and variant, time, limits, what
    the estimate said), every row with its input columns beside its answers
    (fields in their own cells, steps in order, variants side by side), status,
    flags, cost and attempts; filters by status and flag reason, search, sort by
    cost or length; charts of cost, output length against the gates' limits,
    latency and flags. It needs no server and no network: open it from disk or
    an e-mail.

    \b
    Examples:
      pipeline report prompts/product_description.toml
      pipeline report prompts/product_description.toml --run 3 -o review.html
      pipeline run prompts/product_description.toml --report
    """
    from .config import load_job
    from .review.html_report import write_report

    try:
        job = load_job(job_file, _parse_sets(sets))
        click.echo(f"report: {write_report(job, run_id=run_id, path=to)}", err=True)
    except PipelineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


@cli.command()
@click.argument("job_file", required=False, type=click.Path(path_type=Path))
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="The journal to read (default: the job's).")
@click.option("--show", "show", type=int, metavar="RUN_ID",
              help="Print one run's manifest (JSON).")
def runs(job_file: Path | None, journal: Path | None, show: int | None) -> None:
    """List a job's past runs from its journal, or show one run's manifest.

    JOB_FILE is a run job or a translate job. Each run keeps a manifest in the
    journal (and writes it beside the output): job file and template hashes,
    models, start and end, exit code and why it stopped, rows new / reused /
    ok / failed / flagged, tokens, cost, the limits it held and where the
    output went. No call, no key.

    \b
    Examples:
      pipeline runs prompts/product_description.toml
      pipeline runs prompts/product_description.toml --show 12
      pipeline runs --journal outputs/weekly/weekly.journal.sqlite
    """
    from .config import load_any_job
    from .errors import ConfigError

    try:
        if journal is None:
            if job_file is None:
                raise ConfigError("name the job file (or --journal)")
            journal = load_any_job(job_file).journal_path
        if not journal.exists():
            raise ConfigError(f"no journal at {journal}: run the job first (or give --journal)")
        text = _runs(journal, show)
    except PipelineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    click.echo(text)


def _runs(path: Path, show: int | None) -> str:
    import json

    from .errors import ConfigError
    from .journal import Journal
    from .unattended.manifest import runs_table

    with Journal(path) as journal:
        if show is None:
            return "\n".join(runs_table(journal.manifests()))
        found = journal.manifest(show)
    if found is None:
        raise ConfigError(f"no manifest for run {show} in {path}: `pipeline runs` lists the "
                          "runs that have one")
    return json.dumps(found, ensure_ascii=False, indent=2)


#: The catalog formats' list in `translate --help`, at most this wide (as it was laid out by
#: hand: 77 columns on screen).
_FORMATS_WIDTH = 73


def _listing_catalog_formats(command: Callable[..., Any]) -> Callable[..., Any]:
    """Fill the catalog formats into the command's help ("{catalog_formats}"), from their
    registry in formats.py: a new format is listed without touching the help."""
    parts = [f"{part}," for part in catalog_format_labels().split(", ")]
    parts[-1] = f"{parts[-1][:-1]}."
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 1 + len(part) <= _FORMATS_WIDTH:
            lines[-1] += f" {part}"
        else:
            lines.append(part)
    # Dedented first: Python 3.13 strips a docstring's indentation when compiling, 3.11 does
    # not, and the lines filled in must sit as the placeholder does on both.
    doc = inspect.cleandoc(command.__doc__ or "")
    command.__doc__ = doc.replace("{catalog_formats}", "\n  ".join(lines))
    return command


_TRANSLATE_OVERRIDES = {
    "to": "to", "from_": "from", "model": "model", "provider": "provider",
    "base_url": "base_url", "output": "output", "format_": "format", "template": "template",
    "glossary": "glossary", "style": "style", "limit": "limit",
    "batch_entries": "batch_entries", "budget": "budget", "rpm": "rpm", "tpm": "tpm",
    "mode": "mode",
    "concurrency": "concurrency", "timeout": "timeout", "journal": "journal",
    "log_file": "log_file", "lock": "lock",
}
#: Flags of `translate` that set a job key only when given.
_TRANSLATE_FLAGS = {"update_stale": "update_stale", "accept_stale": "accept_stale",
                    "prune": "prune", "check": "check", "qa": "qa"}


@cli.command()
@click.argument("catalog_or_job", type=click.Path(path_type=Path))
@click.option("--to", "to", help="Target languages, comma-separated: de,fr,ja")
@click.option("--from", "from_", help="The catalog's language (default: en).")
@click.option("-m", "--model", help="Model name; 'smollm2' runs the embedded offline model.")
@click.option("--provider", type=click.Choice(PROVIDER_CHOICES))
@click.option("--base-url", help="Any OpenAI-compatible endpoint.")
@click.option("-o", "--output",
              help="Where each language goes: a pattern with {dir} {stem} {ext} {lang} "
                   "(default: where the format's ecosystem looks: the source path with its "
                   "language folder replaced, values-fr/, fr.lproj/, messages_fr.properties).")
@click.option("--format", "format_", type=click.Choice(["auto", *CATALOG_FORMATS]),
              help="The catalog's format (default: told from the file).")
@click.option("-t", "--template", type=click.Path(path_type=Path),
              help="Prompt template (default: the built-in translate_catalog.j2).")
@click.option("--glossary", type=click.Path(path_type=Path),
              help="A text file of terms and their translations, given to the model.")
@click.option("--style", help="A style note for the translator, e.g. 'informal, du-form'.")
@click.option("--fuzzy", is_flag=True, default=None,
              help="Translate fuzzy entries of existing target catalogs again too.")
@click.option("--plural-forms", "plural_forms", multiple=True, metavar="[LANG=]RULE",
              help="gettext Plural-Forms for a new target, e.g. "
                   "'fr=nplurals=2; plural=(n > 1);' (default: another catalog of the language "
                   "in the locale tree, else CLDR). An existing catalog keeps its own.")
@click.option("--limit", type=int, help="Only the first N entries that need translating.")
@click.option("--batch-entries", type=int, help="Most entries per request (default 40).")
@click.option("--budget", type=float, help="Stop before spending more than this (USD).")
@click.option("--rpm", type=float, help="Requests per minute, at most.")
@click.option("--tpm", type=float, help="Tokens per minute, at most.")
@click.option("--concurrency", type=int, help="Requests in flight at once.")
@click.option("--timeout", type=float, help="Seconds per request before it is retried.")
@click.option("--journal", type=click.Path(path_type=Path), help="The SQLite journal.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Append the run's events as JSON lines (start, retries, the end with its "
                   "manifest): for unattended runs.")
@click.option("--refresh", is_flag=True, default=None, help="Ignore the journal's answers.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Set any job field, e.g. --set params.temperature=0.2")
@click.option("--estimate", "estimate_only", is_flag=True,
              help="Only price the job: no call, no key needed, nothing written.")
@click.option("--check", is_flag=True, default=None,
              help="Send nothing, write nothing: exit 0 when every target is complete and "
                   "current, else 1 with what is missing, stale, left for review or orphaned "
                   "(for CI; job key check).")
@click.option("--json", "as_json", is_flag=True, help="With --check: the result as JSON.")
@click.option("--update-stale", is_flag=True, default=None,
              help="Translate again the entries whose source changed even where the "
                   "translation is not ours (a person's): they are kept and marked for review "
                   "otherwise (job key update_stale).")
@click.option("--accept-stale", is_flag=True, default=None,
              help="Take the translations kept while their source changed as current (they "
                   "were reviewed): recorded in the lock, nothing sent (job key accept_stale).")
@click.option("--prune", is_flag=True, default=None,
              help="Remove from the targets the keys the source no longer has (gettext makes "
                   "them obsolete always; job key prune).")
@click.option("--lock", type=click.Path(dir_okay=False, path_type=Path),
              help="The translation lock, what each translation was made from (default: "
                   "beside the source, <source file>.lock).")
@click.option("--mode", type=click.Choice(["online", "batch"]),
              help="online (default), or batch: the packed requests through the Batch API at "
                   "half the price; retries alone go online (docs/batch.md).")
@click.option("--qa", is_flag=True, default=None,
              help="Judge every translation (GEMBA-MQM error spans), translate again once "
                   "an entry with a major or critical error, report each language's MQM "
                   "score (docs/catalogs.md, QA; job key qa).")
@click.option("--judge", "judge_model", metavar="MODEL",
              help="The QA judge's model, on the job's endpoint unless the job's [judge] "
                   "table names another (default: the job's model; job key judge.model).")
@_NO_WAIT
@_WAIT_FOR_LOCK
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("-v", "--verbose", is_flag=True, help="Log retries and rate-limit pauses.")
@_listing_catalog_formats
def translate(catalog_or_job: Path, quiet: bool, verbose: bool, sets: tuple[str, ...],
              estimate_only: bool, as_json: bool, no_wait: bool, wait_lock: bool,
              **options: Any) -> None:
    """Translate a message catalog into other languages.

    \b
    Formats (told from the file, or --format):
      {catalog_formats}

    CATALOG_OR_JOB is the source catalog, or a TOML translate job. Entries a
    target lacks are translated (add --fuzzy for fuzzy ones), and entries whose
    source changed since their translation was made (the lock beside the source
    remembers), where the translation is ours; a person's is kept and marked for
    review. Many go in one request; every translation is checked (placeholders,
    tags, plural forms, whitespace) and retried alone, or left for review,
    never written broken.

    \b
    Examples:
      pipeline translate locale/en/LC_MESSAGES/django.po --to fr,ja -m gpt-4o-mini
      pipeline translate locales/en/app.json --to de --glossary glossary.txt
      pipeline translate app/src/main/res/values/strings.xml --to fr,pl
      pipeline translate config/locales/en.yml --to de
      pipeline translate prompts/translate_django.toml
      pipeline translate prompts/translate_django.toml -m gpt-4o-mini --estimate
      pipeline translate locales/en.json --to de,fr --check     # in CI
    """
    from .config import load_translate_job

    _setup_logging(verbose)
    overrides = {field: options.pop(name) for name, field in _TRANSLATE_OVERRIDES.items()}
    overrides["include_fuzzy"] = options.pop("fuzzy")
    overrides["refresh"] = options.pop("refresh")
    overrides.update({field: options.pop(name) for name, field in _TRANSLATE_FLAGS.items()})
    if overrides["to"] is not None:
        overrides["to"] = [overrides["to"]]
    overrides["plural_forms"] = _parse_plural_forms(options.pop("plural_forms"))
    if (judge_model := options.pop("judge_model")) is not None:
        overrides["judge.model"] = judge_model  # the [judge] table's other keys kept
    overrides.update(_parse_sets(sets))
    is_job = catalog_or_job.suffix == ".toml"
    if not is_job:
        overrides["catalog"] = catalog_or_job
    try:
        job = load_translate_job(catalog_or_job if is_job else None, overrides)
        if estimate_only:
            from .jobs.translate import estimate_translation

            click.echo("\n".join(estimate_translation(job)))
            return
        if job.check:  # (not the run's machinery: a check of a large project takes a second)
            from .jobs.check import check_translation

            checked = check_translation(job)
            click.echo(checked.json() if as_json else checked.table())
            sys.exit(checked.exit_code)
        report = _translate(job, quiet, no_wait, wait_lock)
    except PipelineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if report is None:
        return
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code)


def _translate(job: Any, quiet: bool, no_wait: bool, wait_lock: bool) -> Any:
    """The translation, online or in batches (None: batches still running)."""
    from .jobs.translate import (
        qa_in_batches,
        translate_catalog,
        translate_collected,
        translate_in_batches,
    )

    if job.mode == "batch":
        progress = _in_batches(quiet, lambda display: translate_in_batches(
            job, wait=not no_wait, on_round=display, wait_for_lock=wait_lock))
        if progress.running:
            return None
        if job.qa and not progress.stopped:  # the verdicts' own batches, once translated
            progress = _in_batches(quiet, lambda display: qa_in_batches(
                job, wait=not no_wait, on_round=display, wait_for_lock=wait_lock))
            if progress.running:
                return None
        return translate_collected(job, progress.stopped, progress=False if quiet else None,
                                   wait_for_lock=wait_lock)
    return translate_catalog(job, progress=False if quiet else None, wait_for_lock=wait_lock)


def _parse_plural_forms(values: tuple[str, ...]) -> dict[str, str] | str | None:
    """`--plural-forms 'fr=nplurals=2; plural=(n > 1);'` (repeatable), or a bare rule when
    there is one target language."""
    if not values:
        return None
    if len(values) == 1 and values[0].strip().startswith("nplurals"):
        return values[0]
    rules: dict[str, str] = {}
    for item in values:
        language, sep, rule = item.partition("=")
        if not sep or language.strip().startswith("nplurals"):
            raise click.BadParameter(f"'{item}': give LANG=RULE, e.g. 'fr=nplurals=2; "
                                     "plural=(n > 1);'", param_hint="--plural-forms")
        rules[language.strip()] = rule
    return rules


@cli.command(name="schedule")
@click.argument("job_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cron", "expression", required=True, metavar="EXPR",
              help="When, as cron says it: '0 6 * * MON'; a 6th field, last, is seconds.")
@click.option("--tz", metavar="ZONE",
              help="The expression's time zone, an IANA name such as Europe/Berlin "
                   "(default: the machine's).")
@click.option("--print", "print_only", is_flag=True,
              help="Run nothing: print the equivalent crontab line and systemd service and "
                   "timer, with absolute paths.")
@click.argument("run_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- RUN_ARGS...]")
def schedule_command(job_file: Path, expression: str, tz: str | None, print_only: bool,
                     run_args: tuple[str, ...]) -> None:
    """Run a job on a cron schedule, in a process that stays up (for machines without cron).

    Each firing is a normal `pipeline run JOB_FILE RUN_ARGS` (its own lock: a
    firing that finds the job still running gets exit 4 and is skipped). A
    firing missed while the machine slept runs once at wake-up, not once per
    missed time. SIGTERM or Ctrl-C stops it with exit 0: a run in progress first
    finishes its requests in flight and stops (resumable). The job file and the
    expression are checked at once: a mistake exits 2 now, not at 6 a.m.

    \b
    Examples:
      pipeline schedule prompts/product_description.toml --cron "0 6 * * MON"
      pipeline schedule JOB --cron "*/15 9-17 * * 1-5" --tz Europe/Berlin
      pipeline schedule JOB --cron "0 2 * * *" -- --budget 5
      pipeline schedule JOB --cron "0 6 * * MON" --print   # crontab line, systemd timer
    """
    from .unattended.schedule import parse_schedule, print_units, serve

    try:
        parse_schedule(expression, tz)  # first: an unquoted expression spills into RUN_ARGS
        _check_run_args(job_file, run_args)
        if print_only:
            click.echo(print_units(job_file, expression, tz, run_args))
            return
        code = serve(job_file, expression, tz, run_args)
    except PipelineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code)


def _check_run_args(job_file: Path, run_args: tuple[str, ...]) -> None:
    """Parse the arguments meant for each `pipeline run` now, so a typo fails at once."""
    from .errors import ConfigError

    try:
        run.make_context("pipeline run", [str(job_file), *run_args])
    except click.exceptions.Exit:
        raise ConfigError("the arguments after -- are for each `pipeline run`: --help "
                          "there shows run's help instead of running") from None
    except click.ClickException as exc:
        raise ConfigError(f"the arguments after -- (for each `pipeline run`): "
                          f"{exc.format_message()}") from None


def main() -> None:
    """Console entry point."""
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(EXIT_STOPPED)
