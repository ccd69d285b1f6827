"""Pre-flight: bad input is refused with a clear error, exit 2, no request, no output file."""

from __future__ import annotations

import pytest


def refused(result, fake, tmp_path) -> str:
    """Assert the run was refused before any spend and return its error text."""
    assert result.exit_code == 2, result.output
    assert len(fake.requests) == 0
    assert not (tmp_path / "outputs").exists() or not any((tmp_path / "outputs").iterdir())
    assert "Traceback" not in result.output
    return result.stderr


def test_template_syntax_error_names_file_and_line(job_file, run_cli, fake, api_key, tmp_path):
    job = job_file(template="{% block user %}\nHello {{ name }\n{% endblock %}")
    err = refused(run_cli("run", job, "-q"), fake, tmp_path)
    assert "describe.j2, line 2" in err
    assert "unexpected '}'" in err


def test_missing_column_is_named_with_the_available_columns(job_file, run_cli, fake, api_key,
                                                            tmp_path):
    job = job_file(template="Describe {{ name }} made by {{ maker }}.")
    err = refused(run_cli("run", job, "-q"), fake, tmp_path)
    assert "uses 'maker'" in err
    assert "Columns: product_id, name, category, unit_price, Unit Note" in err


def test_rows_missing_a_key_are_listed_first_20_then_a_count(write, job_file, run_cli, fake,
                                                             api_key, tmp_path):
    lines = [f'{{"product_id": {i}, "name": "p{i}"}}' for i in range(1, 31)]
    lines[0] = '{"product_id": 1, "name": "p1", "color": "red"}'
    write("data/rows.jsonl", "\n".join(lines) + "\n")
    job = job_file(template="Describe {{ name }} in {{ color }}.")
    err = refused(run_cli("run", job, "-q", "--input", tmp_path / "data/rows.jsonl"),
                  fake, tmp_path)
    assert "cannot be rendered for 29 of 30 row(s)" in err
    assert "row 2 (id 2): 'color' is undefined" in err
    assert "row 21 (id 21)" in err
    assert "row 22 (id 22)" not in err
    assert "… and 9 more" in err


def test_key_missing_in_row_dict_is_an_error_not_empty(write, job_file, run_cli, fake, api_key,
                                                       tmp_path):
    job = job_file(template='Describe {{ row["Unit Price"] }}.')
    err = refused(run_cli("run", job, "-q"), fake, tmp_path)
    assert "Unit Price" in err


@pytest.mark.parametrize(("content", "message"), [
    ("", "is empty"),
    ("product_id,name,category,unit_price,Unit Note\n", "has no data rows"),
    ("product_id,name,category,unit_price,Unit Note\n1,a,b,c,d\n2,a,b,c,d,e\n",
     "row 2 has 6 fields but the header has 5"),
    ("a,a\n1,2\n", "duplicate column name(s): a"),
])
def test_unusable_csv_is_refused(write, job_file, run_cli, fake, api_key, tmp_path, content,
                                 message):
    job = job_file()
    write("data/products.csv", content)
    err = refused(run_cli("run", job, "-q", "--set", "id_column=''"), fake, tmp_path)
    assert message in err
    assert "products.csv" in err


def test_missing_input_file(job_file, run_cli, fake, api_key, tmp_path):
    err = refused(run_cli("run", job_file(), "-q", "--input", "nope.csv"), fake, tmp_path)
    assert "input nope.csv does not exist" in err


def test_non_utf8_input(write, job_file, run_cli, fake, api_key, tmp_path):
    job = job_file()
    (tmp_path / "data/products.csv").write_bytes("product_id,name\n1,Caf\xe9\n".encode("latin-1"))
    err = refused(run_cli("run", job, "-q"), fake, tmp_path)
    assert "is not UTF-8" in err


def test_duplicate_ids_are_refused(job_file, run_cli, fake, api_key, tmp_path):
    csv_text = "product_id,name,category,unit_price,Unit Note\n1,A,x,1,n\n1,B,x,2,n\n"
    err = refused(run_cli("run", job_file(csv=csv_text), "-q"), fake, tmp_path)
    assert "row 2: id '1' repeats row 1" in err


def test_missing_api_key_says_how_to_set_it_and_how_to_run_offline(job_file, run_cli, fake,
                                                                   tmp_path):
    err = refused(run_cli("run", job_file(), "-q"), fake, tmp_path)
    assert "no API key: set OPENAI_API_KEY" in err
    assert ".env" in err
    assert "--model smollm2" in err


def test_api_key_from_dotenv(job_file, run_cli, fake, write, tmp_path):
    write(".env", "OPENAI_API_KEY=sk-from-dotenv-123456\n")
    result = run_cli("run", job_file(), "-q", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert fake.requests[0].headers["authorization"] == "Bearer sk-from-dotenv-123456"


def test_unknown_output_extension(job_file, run_cli, fake, api_key, tmp_path):
    err = refused(run_cli("run", job_file(), "-q", "--output", "out.txt"), fake, tmp_path)
    assert "cannot tell the format from '.txt'" in err


def test_output_column_clash_is_refused(job_file, run_cli, fake, api_key, tmp_path):
    csv_text = "product_id,name,category,unit_price,Unit Note,status\n1,A,x,1,n,active\n"
    err = refused(run_cli("run", job_file(csv=csv_text), "-q"), fake, tmp_path)
    assert "already has column(s) status" in err
    result = run_cli("run", job_file(csv=csv_text), "-q", "--set", "column_prefix=llm_")
    assert result.exit_code == 0, result.output
    header = (tmp_path / "outputs/out.csv").read_text().splitlines()[0]
    assert header.endswith("status,llm_output,llm_prompt_tokens,llm_completion_tokens,"
                           "llm_cached_tokens,llm_cost_usd,llm_model,llm_finish_reason,"
                           "llm_latency_ms,llm_attempts,llm_status,llm_error,llm_flags,llm_cached,"
                           "llm_tokens_estimated,llm_answer_id,llm_review,llm_review_note")


def test_previous_output_is_untouched_when_preflight_fails(job_file, run_cli, fake, api_key,
                                                          tmp_path):
    job = job_file()
    assert run_cli("run", job, "-q").exit_code == 0
    before = (tmp_path / "outputs/out.csv").read_bytes()
    result = run_cli("run", job, "-q", "--template", tmp_path / "missing.j2")
    assert result.exit_code == 2
    assert "missing.j2 does not exist" in result.stderr
    assert (tmp_path / "outputs/out.csv").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == [
        "describe.journal.sqlite", "describe.journal.sqlite.lock", "out.csv", "out.run-1.json"]
