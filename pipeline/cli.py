"""The `pipeline` command: parse options, make one library call, map the outcome to an exit code.

Exit codes: 0 every row ok; 1 some rows failed (output written); 2 bad input or configuration
(nothing sent); 3 stopped early (auth, quota, interrupt; output written for finished rows).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from . import run_job
from .config import OUTPUT_FORMATS, load_job, parse_override_value
from .errors import PipelineError
from .report import EXIT_STOPPED


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pipeline: %(levelname)s: %(message)s"))
    logger = logging.getLogger("pipeline")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def _parse_sets(values: tuple[str, ...]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}': expected KEY=VALUE, e.g. params.seed=7",
                                     param_hint="--set")
        parsed[key.strip()] = parse_override_value(raw)
    return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="llm-batch-pipeline")
def cli() -> None:
    """Batch content generation: one LLM answer per row, with tokens and cost."""


@cli.command()
@click.argument("job_file", required=False, type=click.Path(path_type=Path))
@click.option("-i", "--input", "input_", type=click.Path(path_type=Path),
              help="Rows: .csv .tsv .jsonl .json .xlsx")
@click.option("-t", "--template", type=click.Path(path_type=Path), help="Jinja prompt template.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file; the format follows its extension.")
@click.option("--format", "format_", type=click.Choice(OUTPUT_FORMATS),
              help="Output format, when the extension does not say.")
@click.option("-m", "--model", help="Model name; 'smollm2' runs the embedded offline model.")
@click.option("--provider", type=click.Choice(["auto", "openai", "local"]))
@click.option("--base-url", help="Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
@click.option("--id-column", help="Column holding a stable row id (default: row number).")
@click.option("--limit", type=int, help="Only the first N rows (a trial run).")
@click.option("--concurrency", type=int, help="Requests in flight at once.")
@click.option("--timeout", type=float, help="Seconds per request before it is retried.")
@click.option("--max-attempts", type=int, help="Attempts per row, the first included.")
@click.option("--temperature", type=float)
@click.option("--max-tokens", type=int)
@click.option("--max-completion-tokens", type=int)
@click.option("--top-p", type=float)
@click.option("--seed", type=int)
@click.option("--stop", multiple=True, help="Stop sequence (repeatable).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override any job field, e.g. --set params.presence_penalty=0.5")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def run(job_file: Path | None, input_: Path | None, template: Path | None, output: Path | None,
        format_: str | None, model: str | None, provider: str | None, base_url: str | None,
        id_column: str | None, limit: int | None, concurrency: int | None,
        timeout: float | None, max_attempts: int | None, temperature: float | None,
        max_tokens: int | None, max_completion_tokens: int | None, top_p: float | None,
        seed: int | None, stop: tuple[str, ...], sets: tuple[str, ...], quiet: bool,
        verbose: bool) -> None:
    """Answer every row of a job and write the output.

    JOB_FILE is a TOML job (see the README); without one, give at least
    --input, --template and --model.

    \b
    Examples:
      pipeline run prompts/product_description.toml
      pipeline run prompts/product_description.toml --model gpt-4o-mini --limit 5
      pipeline run -i data/products.csv -t prompts/product_description.j2 \\
          -o outputs/out.jsonl -m gpt-4o-mini
    """
    _setup_logging(verbose)
    overrides: dict[str, Any] = {
        "input": input_, "template": template, "output": output, "format": format_,
        "model": model, "provider": provider, "base_url": base_url, "id_column": id_column,
        "limit": limit, "concurrency": concurrency, "timeout": timeout,
        "max_attempts": max_attempts, "params.temperature": temperature,
        "params.max_tokens": max_tokens, "params.max_completion_tokens": max_completion_tokens,
        "params.top_p": top_p, "params.seed": seed, "params.stop": list(stop) or None,
    }
    overrides.update(_parse_sets(sets))
    try:
        job = load_job(job_file, overrides)
        report = run_job(job, progress=False if quiet else None)
    except PipelineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    click.echo(report.summary(), err=True)
    if report.stopped:
        click.echo("Rows finished before the stop are in the output with their cost; the rest "
                   "are marked status=skipped.", err=True)
    sys.exit(report.exit_code)


def main() -> None:
    """Console entry point."""
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(EXIT_STOPPED)
