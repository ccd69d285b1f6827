"""Trial runs (issue 14, point 4): --sample N draws rows at random, the same ones every time
for a seed; --rows runs chosen ids; the output holds just those rows."""

from __future__ import annotations

import csv

from conftest import PRODUCTS_CSV

ROWS = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 201))


def written_ids(tmp_path) -> list[str]:
    with (tmp_path / "outputs" / "out.csv").open(encoding="utf-8", newline="") as fh:
        return [r["product_id"] for r in csv.DictReader(fh)]


def asked(fake) -> set[str]:
    return {r.user_text.split("Describe Item ")[1].split(" ")[0] for r in fake.requests}


def test_a_sample_is_random_reproducible_and_alone_in_the_output(job_file, run_cli, fake,
                                                                 api_key, tmp_path):
    job = job_file(csv=ROWS)
    first = run_cli("run", job, "-q", "--sample", "10")
    assert first.exit_code == 0, first.output
    ids = written_ids(tmp_path)
    assert len(ids) == 10 and ids == sorted(ids, key=int)  # input order
    assert ids != [str(i) for i in range(1, 11)]  # not the first ten
    assert asked(fake) == set(ids)
    # The same sample again: answered by the journal, nothing sent.
    again = run_cli("run", job, "-q", "--sample", "10")
    assert len(fake.requests) == 10 and written_ids(tmp_path) == ids, again.output
    other = run_cli("run", job, "-q", "--sample", "10", "--sample-seed", "7")
    assert other.exit_code == 0
    assert written_ids(tmp_path) != ids and len(written_ids(tmp_path)) == 10
    # The estimate of a sample prices that sample: the first one is in the journal now.
    estimate = run_cli("estimate", job, "--sample", "10")
    assert "rows: 10 (0 duplicate(s) in the input, 10 already answered" in estimate.output
    assert "requests to send: 0" in estimate.output
    fresh = run_cli("estimate", job, "--sample", "10", "--sample-seed", "99")
    assert "rows: 10 (" in fresh.output and "requests to send: 0" not in fresh.output


def test_rows_runs_chosen_ids_and_refuses_unknown_ones(job_file, run_cli, fake, api_key,
                                                       tmp_path):
    job = job_file(csv=ROWS)
    result = run_cli("run", job, "-q", "--rows", "12,57,99")
    assert result.exit_code == 0, result.output
    assert written_ids(tmp_path) == ["12", "57", "99"] and asked(fake) == {"12", "57", "99"}
    unknown = run_cli("run", job, "-q", "--rows", "12,9999")
    assert unknown.exit_code == 2 and "9999" in unknown.output
    assert "12," not in unknown.output.split("9999")[0][-5:]  # names only the missing one
    both = run_cli("run", job, "-q", "--rows", "12", "--sample", "3")
    assert both.exit_code == 2 and "sample or rows, not both" in both.output
    assert len(fake.requests) == 3


def test_a_sample_larger_than_the_input_takes_every_row(job_file, run_cli, fake, api_key,
                                                         tmp_path):
    job = job_file(csv=PRODUCTS_CSV)
    result = run_cli("run", job, "-q", "--sample", "50")
    assert result.exit_code == 0, result.output
    assert written_ids(tmp_path) == ["1", "2", "3"]


def test_two_prompt_versions_side_by_side_each_with_its_cost(job_file, run_cli, fake, api_key,
                                                              tmp_path, write):
    write("prompts/short.j2", "Describe {{ name }} in five words.")
    write("prompts/long.j2", "Describe {{ name }} ({{ category }}) in a paragraph for the shop.")
    job = job_file('templates = ["short.j2", "long.j2"]\nvariants_layout = "wide"\n',
                   csv=PRODUCTS_CSV)
    job.write_text(job.read_text().replace('template = "describe.j2"\n', ""))
    estimate = run_cli("estimate", job)
    assert "requests to send: 6" in estimate.output, estimate.output
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 6
    asked = sorted(r.user_text for r in fake.requests)
    assert asked[0].startswith("Describe Aniseed Syrup (Condiments) in a paragraph")
    assert "Describe Chai in five words." in asked
    with (tmp_path / "outputs" / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    for row in rows:
        assert row["output@short"] and row["output@long"]
        assert float(row["cost_usd@short"]) > 0 and float(row["cost_usd@long"]) > 0
        assert int(row["prompt_tokens@short"]) < int(row["prompt_tokens@long"])  # its own
    again = run_cli("run", job, "-q")
    assert again.exit_code == 0 and len(fake.requests) == 6  # both versions journaled
    bad = job_file('templates = ["short.j2", "missing.j2"]\n', csv=PRODUCTS_CSV)
    bad.write_text(bad.read_text().replace('template = "describe.j2"\n', ""))
    refused = run_cli("run", bad, "-q")
    assert refused.exit_code == 2 and "missing.j2" in refused.output
