"""Outages do not turn into failed rows (issue 12, point 7): an endpoint that is down stops the
run (exit 3) naming what happened and where; rows that failed for the endpoint's reasons are
sent again by the next run unasked; a server's refusal stays failed. A CSV cut off inside a
quoted field is refused before anything is sent."""

from __future__ import annotations

import contextlib
import csv
import socket
import threading

from fake_openai import Faults, Reply

from pipeline.journal import Journal

ROWS = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 201))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def output_rows(tmp_path) -> list[dict[str, str]]:
    with (tmp_path / "outputs" / "out.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_closed_port_stops_the_run_then_a_live_server_answers_every_row(
        job_file, run_cli, fake, api_key, tmp_path):
    job = job_file(csv=ROWS)
    port = closed_port()
    down = run_cli("run", job, "-q", "--base-url", f"http://127.0.0.1:{port}/v1",
                   "--concurrency", "4")
    assert down.exit_code == 3, down.output
    assert f"cannot reach the endpoint: connection refused (http://127.0.0.1:{port})" \
        in down.output
    assert "timed out" not in down.output
    assert "Nothing more was sent: run again to continue" in down.output
    rows = output_rows(tmp_path)
    assert len(rows) == 200
    # Far from every row was tried: the run stopped admitting after 10 failed attempts.
    with Journal(tmp_path / "outputs" / "describe.journal.sqlite") as journal:
        failed = journal.db.execute("SELECT COUNT(*), SUM(transient) FROM results "
                                    "WHERE status = 'failed'").fetchone()
    assert failed[0] <= 4 and failed[0] == (failed[1] or 0)

    up = run_cli("run", job, "-q")  # no --retry-failed
    assert up.exit_code == 0, up.output
    assert len(fake.requests) == 200
    assert {r["status"] for r in output_rows(tmp_path)} == {"ok"}


def test_an_endpoint_answering_500_to_everything_stops_early(job_file, run_cli, fake,
                                                             api_key, tmp_path):
    fake.enforce(None, Faults(p500=1.0))
    job = job_file(csv=ROWS)
    down = run_cli("run", job, "-q", "--concurrency", "8")
    assert down.exit_code == 3, down.output
    assert "cannot reach the endpoint: HTTP 500" in down.output
    tried = len(fake.requests)
    assert tried < 40
    fake.enforce(None)
    up = run_cli("run", job, "-q")
    assert up.exit_code == 0, up.output
    assert {r["status"] for r in output_rows(tmp_path)} == {"ok"}


def test_rows_given_up_on_for_5xx_are_sent_again_a_refused_one_is_not(
        job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Item 2 ", *[Reply.error(503, "overloaded", type_="server_error")] * 4)
    fake.on("Item 3 ", Reply.error(400, "bad request: this prompt is not allowed"))
    job = job_file(csv=ROWS.split("Item 9,")[0].rsplit("\n", 2)[0] + "\n")  # rows 1..8
    first = run_cli("run", job, "-q")
    assert first.exit_code == 1, first.output
    by_id = {r["product_id"]: r for r in output_rows(tmp_path)}
    assert by_id["2"]["status"] == "failed" and "gave up after 4" in by_id["2"]["error"]
    assert by_id["3"]["status"] == "failed" and "HTTP 400" in by_id["3"]["error"]
    before = len(fake.requests)

    second = run_cli("run", job, "-q")
    assert second.exit_code == 1, second.output  # row 3 stays failed until --retry-failed
    assert ["Item 2 " in r.user_text for r in fake.requests[before:]] == [True]
    by_id = {r["product_id"]: r for r in output_rows(tmp_path)}
    assert by_id["2"]["status"] == "ok" and by_id["3"]["status"] == "failed"
    third = run_cli("run", job, "-q", "--retry-failed")
    assert third.exit_code == 0, third.output


def test_errors_say_what_happened(job_file, run_cli, fake, api_key, tmp_path):
    """TLS spoken to a plain-HTTP server, and a server that never answers, are each named."""
    job = job_file(csv=ROWS.split("\n2,")[0] + "\n")  # one row
    plain = socket.socket()
    plain.bind(("127.0.0.1", 0))
    plain.listen()

    def answer_in_plain_http() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = plain.accept()
                with conn:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer_in_plain_http, daemon=True).start()
    try:
        tls = run_cli("run", job, "-q", "--max-attempts", "1", "--base-url",
                      f"https://127.0.0.1:{plain.getsockname()[1]}/v1")
    finally:
        plain.close()
    assert tls.exit_code == 1, tls.output
    error = output_rows(tmp_path)[0]["error"]
    assert "TLS handshake failed" in error and "https://127.0.0.1:" in error
    fake.then(Reply(delay=3.0), Reply(delay=3.0))
    slow = run_cli("run", job, "-q", "--max-attempts", "1", "--timeout", "0.5")
    assert slow.exit_code == 1, slow.output
    assert "gave up after 1 attempt(s): timed out (http://127.0.0.1:" \
        in output_rows(tmp_path)[0]["error"]


def test_a_csv_cut_off_inside_a_quoted_field_exits_2(job_file, run_cli, fake, api_key,
                                                     tmp_path):
    cut = ('product_id,name,category,unit_price,Unit Note\n1,Chai,Beverages,18,"10 boxes"\n'
           '2,Chang,Beverages,19,"24 - 12 oz\nbottles"\n3,Aniseed Syrup,Condiments,10,"12 - 550\n'
           '4,Tofu,Produce,23,40 - 100 g pkgs.\n5,Ikura,Seafood,31,12 - 200 ml jars\n')
    job = job_file(csv=cut)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 2, result.output
    assert "products.csv: line 5 (row 3) opens a quoted field that never closes" \
        in result.output
    assert "Traceback" not in result.output
    assert not fake.requests and not (tmp_path / "outputs" / "out.csv").exists()
