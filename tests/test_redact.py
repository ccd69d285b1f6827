"""Anonymised inputs (issue 14, point 3): personal values are replaced by stable placeholders
before a prompt is built, never reach the server, and come back in the output; a reply that
makes up a placeholder is sent back, then flagged; notifications carry the placeholders."""

from __future__ import annotations

import csv
import json

from fake_openai import Recorded, completion_body

from pipeline.rows.redact import Redactor

TICKETS = (
    "id,ticket\n"
    '1,"Hi, I am jane.doe@example.com, call me on +1 415-555-2671 about my order."\n'
    '2,"Refund to IBAN DE89 3704 0044 0532 0130 00 please, card 4111 1111 1111 1111 was '
    'charged twice (from 192.168.1.20)."\n'
    '3,"Write to jane.doe@example.com or bob@example.org; order 1234567890123 is late."\n'
)
VALUES = ["jane.doe@example.com", "415-555-2671", "DE89 3704 0044 0532 0130 00",
          "4111 1111 1111 1111", "192.168.1.20", "bob@example.org"]
TEMPLATE = "Summarise this support ticket, keeping contact details: {{ ticket }}"


def echo(request: Recorded) -> dict:
    """Replies with the ticket as it was sent (placeholders and all)."""
    text = request.user_text.split("contact details: ", 1)[1]
    return completion_body(request, f"Summary: {text}")


def read_rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_detectors_find_each_kind_and_nothing_else():
    redactor = Redactor(["email", "phone", "iban", "credit_card", "ip"], {"order": r"ORD-\d{6}"})
    row = redactor.redact({"t": "a@b.co +44 20 7946 0958 DE89 3704 0044 0532 0130 00 "
                                "DE89 3704 0044 0532 0130 02 4111111111111111 4111111111111112 "
                                "2001:db8::1 10.0.0.300 ORD-123456 a@b.co"})
    text = row.fields["t"]
    assert text.split() == ["<EMAIL_1>", "<PHONE_1>", "<IBAN_1>", "DE89", "3704", "0044",
                            "0532", "0130", "02", "<CREDIT_CARD_1>", "4111111111111112",
                            "<IP_1>", "10.0.0.300", "<ORDER_1>", "<EMAIL_1>"]
    assert row.restore(text) == ("a@b.co +44 20 7946 0958 DE89 3704 0044 0532 0130 00 "
                                 "DE89 3704 0044 0532 0130 02 4111111111111111 "
                                 "4111111111111112 2001:db8::1 10.0.0.300 ORD-123456 a@b.co")


def test_no_value_reaches_the_server_and_the_output_has_them_back(job_file, run_cli, fake,
                                                                   api_key, tmp_path):
    fake.completion = echo
    job = job_file('id_column = "id"\nredact = ["email", "phone", "iban", "credit_card", "ip"]\n'
                   .replace('id_column = "id"\n', ''), csv=TICKETS, template=TEMPLATE)
    job.write_text(job.read_text().replace('id_column = "product_id"', 'id_column = "id"'))
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    sent = json.dumps([r.body for r in fake.requests])
    for value in VALUES:
        assert value not in sent
    assert "<EMAIL_1>" in sent and "<IBAN_1>" in sent and "<CREDIT_CARD_1>" in sent
    assert "1234567890123" in sent  # not a card number: its checksum does not hold
    rows = read_rows(tmp_path / "outputs" / "out.csv")
    for row in rows:
        assert row["output"] == f"Summary: {row['ticket']}"  # restored exactly
    assert "redaction: 3 email, 1 phone, 1 iban, 1 credit card, 1 ip value(s)" in result.output
    journal = (tmp_path / "outputs" / "describe.journal.sqlite").read_bytes()
    for value in VALUES:
        assert value.encode() not in journal


def test_restore_false_keeps_the_placeholders(job_file, run_cli, fake, api_key, tmp_path):
    fake.completion = echo
    job = job_file('redact = ["email"]\nrestore = false\n', csv=TICKETS, template=TEMPLATE)
    job.write_text(job.read_text().replace('id_column = "product_id"', 'id_column = "id"'))
    assert run_cli("run", job, "-q").exit_code == 0
    first = read_rows(tmp_path / "outputs" / "out.csv")[0]
    assert "<EMAIL_1>" in first["output"] and "jane.doe" not in first["output"]


def test_a_made_up_placeholder_is_sent_back_then_flagged(job_file, run_cli, fake, api_key,
                                                         tmp_path):
    fake.completion = lambda request: completion_body(
        request, "Write to <EMAIL_7> today.")
    job = job_file('redact = ["email"]\nfix_attempts = 1\n', csv=TICKETS, template=TEMPLATE)
    job.write_text(job.read_text().replace('id_column = "product_id"', 'id_column = "id"'))
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs" / "out.csv")
    assert {r["status"] for r in rows} == {"flagged"}
    assert "the reply has <EMAIL_7>, which the prompt does not" in rows[0]["flags"]
    corrections = [r for r in fake.requests if "<EMAIL_7>" in json.dumps(r.body)]
    assert len(corrections) == 3  # one correction asked per row
    manifest = json.loads((tmp_path / "outputs" / "out.run-1.json").read_text())
    text = json.dumps(manifest["attention"])
    for value in ("jane.doe@example.com", "bob@example.org"):
        assert value not in text  # what notifications carry keeps the placeholders
    assert "<EMAIL_1>" in text
