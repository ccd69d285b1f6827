"""Job files: strict keys and types, errors naming key and file, overrides, relative paths."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import ConfigError, load_job
from pipeline.config import parse_override_value


def test_paths_in_the_job_are_relative_to_the_job_file(write, tmp_path):
    job = load_job(write("prompts/j.toml", """\
        input = "../data/x.csv"
        template = "t.j2"
        model = "gpt-4o-mini"
        """))
    assert job.input == tmp_path / "data/x.csv"
    assert job.template == tmp_path / "prompts/t.j2"
    assert job.name == "j"
    assert job.output_path == Path("outputs/j.csv")


def test_a_job_named_by_a_relative_path_resolves_each_path_once(write):
    """`pipeline run prompts/job.toml` from the project root, as the README says."""
    write("prompts/j.toml", """\
        input = "../data/x.csv"
        template = "t.j2"
        schema = "s.json"
        model = "gpt-4o-mini"
        [checks.title]
        must_not_include_file = "banned.txt"
        """)
    job = load_job(Path("prompts/j.toml"))
    assert job.input == Path("data/x.csv")
    assert job.template == Path("prompts/t.j2")
    assert job.schema_ == Path("prompts/s.json")
    assert job.checks["title"].must_not_include_file == Path("prompts/banned.txt")
    write("prompts/c.toml", """\
        input = "../data/x.csv"
        model = "gpt-4o-mini"
        [[steps]]
        name = "one"
        template = "one.j2"
        schema = "one.json"
        [steps.checks.title]
        must_not_include_file = "banned.txt"
        """)
    chain = load_job(Path("prompts/c.toml"))
    assert chain.steps[0].template == Path("prompts/one.j2")
    assert chain.steps[0].schema_ == Path("prompts/one.json")
    assert chain.steps[0].checks["title"].must_not_include_file == Path("prompts/banned.txt")


def test_command_line_overrides_win_and_stay_relative_to_cwd(write):
    job = load_job(write("prompts/j.toml", """\
        input = "a.csv"
        template = "t.j2"
        model = "gpt-4o-mini"
        [params]
        temperature = 0.5
        """), {"input": Path("other.csv"), "params.temperature": 0.1, "params.seed": 3})
    assert job.input == Path("other.csv")
    assert job.params.as_request() == {"temperature": 0.1, "seed": 3}


def test_unknown_and_mistyped_keys_name_the_key_and_the_file(write):
    path = write("prompts/j.toml", """\
        input = "a.csv"
        template = "t.j2"
        model = "gpt-4o-mini"
        concurency = 4
        timeout = "soon"
        [params]
        temprature = 0.3
        """)
    with pytest.raises(ConfigError) as caught:
        load_job(path)
    lines = str(caught.value).splitlines()
    assert lines[0] == "the job is not valid (3 problem(s)):"
    assert f"  {path}: concurency: unknown key (check the spelling; see docs/jobs.md, job " \
           "file reference)" in lines
    assert any(line.startswith(f"  {path}: timeout: Input should be a valid number")
               for line in lines)
    assert any(line.startswith(f"  {path}: params.temprature: unknown key") for line in lines)


def test_missing_required_fields_say_which_flag_to_pass():
    with pytest.raises(ConfigError) as caught:
        load_job(None, {"input": Path("a.csv")})
    text = str(caught.value)
    assert "command line: template: required: set it in the job file or pass --template" in text
    assert "command line: model: required: set it in the job file or pass --model" in text


def test_invalid_toml_names_the_file_and_line(write):
    path = write("j.toml", 'input = "a.csv"\nmodel = \n')
    with pytest.raises(ConfigError, match=r"j.toml is not valid TOML: .*line 2"):
        load_job(path)


def test_missing_job_file():
    with pytest.raises(ConfigError, match="job file nope.toml does not exist"):
        load_job(Path("nope.toml"))


def test_both_completion_caps_are_refused(write):
    with pytest.raises(ConfigError, match="max_tokens or params.max_completion_tokens"):
        load_job(None, {"input": "a", "template": "t", "model": "m", "params.max_tokens": 5,
                        "params.max_completion_tokens": 5})


@pytest.mark.parametrize(("text", "value"), [
    ("0.5", 0.5), ("7", 7), ("true", True), ('["a", "b"]', ["a", "b"]), ("hello", "hello"),
    ("'quoted'", "quoted"), ("", ""),
])
def test_set_values_parse_as_toml_else_text(text, value):
    assert parse_override_value(text) == value


def test_prices_are_decimal_and_provider_is_picked_by_model(write):
    job = load_job(None, {"input": "a.csv", "template": "t", "model": "smollm2",
                          "prices.input": "0.10", "prices.output": 0.4})
    assert job.prices is not None
    assert job.prices.input == Decimal("0.10")
    assert job.resolved_provider == "local"
    assert load_job(None, {"input": "a", "template": "t", "model": "gpt-4o"}
                    ).resolved_provider == "openai"


def test_api_key_never_shows_in_the_job_repr():
    job = load_job(None, {"input": "a", "template": "t", "model": "m",
                          "api_key": "sk-very-secret-value-123"})
    assert "sk-very-secret" not in repr(job)
    assert "sk-very-secret" not in str(job.model_dump())


@pytest.mark.local_model  # the jobs name the embedded model: its weights come with [local]
@pytest.mark.parametrize("job_name", ["product_description", "product_copy"])
def test_the_example_jobs_pass_preflight_from_the_project_root(job_name, monkeypatch):
    """The README runs them as `pipeline run prompts/<job>.toml` from the project root."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["estimate", f"prompts/{job_name}.toml"])
    assert result.exit_code == 0, result.output
    assert "rows: 77 " in result.output
