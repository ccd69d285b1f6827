"""Images in prompts (issue 14, point 2): image() and `images = [...]` become image_url parts,
checked in pre-flight, counted by OpenAI's formula, fingerprinted by their bytes, and sent as
data URLs built only for the request's body."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest
from fake_openai import completion_body
from PIL import Image as PILImage

from pipeline import TemplateError, load_job
from pipeline.images import image_tokens
from pipeline.rows.plan import build_plan
from pipeline.rows.render import PromptTemplate
from pipeline.rows.steps import fingerprint
from pipeline.send.providers.structured_modes import with_schema_instruction
from pipeline.tokens import TokenCounter

ROOT = Path(__file__).resolve().parent.parent
PHOTOS_CSV = """\
product_id,name,photo
1,Espresso cup,photos/cup.jpg
2,Poster,photos/poster.png
3,Remote,https://example.com/remote.webp
"""
PHOTO_TEMPLATE = """\
{% block system %}You describe products from their photos.{% endblock %}
{% block user %}Describe {{ name }}.{{ image(photo) }}{% endblock %}
"""


def photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int] = (200, 80, 40),
          fmt: str = "JPEG") -> Path:
    """A solid-colour photo at `path` (under the test directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", size, colour).save(path, format=fmt)
    return path


def sent_image(url: str) -> PILImage.Image:
    """The image a data URL carries, decoded."""
    head, _, payload = url.partition(",")
    assert head.endswith(";base64")
    im = PILImage.open(io.BytesIO(base64.b64decode(payload)))
    im.load()
    return im


def user_parts(request) -> list[dict]:
    return next(m["content"] for m in request.body["messages"] if m["role"] == "user")


def by_row(fake) -> dict[str, list[dict]]:
    """Each request's user content, keyed by the product name in its text."""
    return {part["text"].split()[1].rstrip("."): parts for parts in map(user_parts, fake.requests)
            for part in parts[:1]}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    photo(tmp_path / "data/photos/cup.jpg", (3000, 1500))
    photo(tmp_path / "data/photos/poster.png", (400, 300), (20, 90, 200), fmt="PNG")
    return tmp_path / "data/photos"


def journal_fingerprints(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {fp for (fp,) in db.execute("SELECT fingerprint FROM results")}


def test_request_body_carries_image_parts(job_file, photos, run_cli, fake, api_key):
    job = job_file('max_image_side = 1024\nimage_detail = "high"\n', csv=PHOTOS_CSV,
                   template=PHOTO_TEMPLATE)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    sent = by_row(fake)
    assert set(sent) == {"Espresso", "Poster", "Remote"}
    for parts in sent.values():
        assert [p["type"] for p in parts] == ["text", "image_url"]
        assert parts[1]["image_url"]["detail"] == "high"
    cup = sent["Espresso"][1]["image_url"]["url"]
    assert cup.startswith("data:image/jpeg;base64,")
    assert sent_image(cup).size == (1024, 512)  # 3000 x 1500 downsized to max_image_side
    poster = sent["Poster"][1]["image_url"]["url"]
    assert poster.startswith("data:image/png;base64,")  # small enough: the file's own bytes
    assert base64.b64decode(poster.partition(",")[2]) == (photos / "poster.png").read_bytes()
    assert sent["Remote"][1]["image_url"]["url"] == "https://example.com/remote.webp"
    assert sent["Espresso"][0] == {"type": "text", "text": "Describe Espresso cup."}


def test_image_columns_and_detail_per_image(job_file, photos, run_cli, fake, api_key):
    """`images = [...]` appends the columns' images after the text; image() places its own
    where it is written, with its own detail."""
    job = job_file('images = ["photo"]\nimage_detail = "low"\n', csv=PHOTOS_CSV,
                   template='Compare {{ image(row["photo"], detail="high") }} with {{ name }}.')
    result = run_cli("run", job, "-q", "--rows", "2")
    assert result.exit_code == 0, result.output
    (request,) = fake.requests
    parts = user_parts(request)
    assert [(p["type"], p.get("text") or p["image_url"]["detail"]) for p in parts] == [
        ("text", "Compare"), ("image_url", "high"), ("text", "with Poster."),
        ("image_url", "low")]
    assert parts[1]["image_url"]["url"] == parts[3]["image_url"]["url"]


def test_changed_photo_is_sent_again_unchanged_ones_reused(job_file, photos, run_cli, fake,
                                                           api_key, tmp_path):
    job = job_file(csv=PHOTOS_CSV, template=PHOTO_TEMPLATE)
    assert run_cli("run", job, "-q").exit_code == 0
    assert len(fake.requests) == 3
    first = journal_fingerprints(tmp_path / "outputs/describe.journal.sqlite")
    fake.requests.clear()

    photo(photos / "poster.png", (400, 300), (250, 250, 0), fmt="PNG")  # a new photo
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    (request,) = fake.requests  # the cup and the remote come from the journal
    url = user_parts(request)[1]["image_url"]["url"]
    assert sent_image(url).getpixel((0, 0)) == (250, 250, 0)
    after = journal_fingerprints(tmp_path / "outputs/describe.journal.sqlite")
    assert len(after - first) == 1 and first <= after

    fake.requests.clear()
    assert run_cli("run", job, "-q").exit_code == 0
    assert fake.requests == []  # nothing changed: nothing sent


def _fingerprint_before_images(endpoint_host: str, model: str, messages: list, params: dict
                               ) -> str:
    """The fingerprint as it was computed before images existed (steps.py at 33b485b)."""
    payload = json.dumps({"v": 1, "endpoint": endpoint_host, "model": model,
                          "messages": messages, "params": params},
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_text_only_fingerprints_are_unchanged(job_file, run_cli, fake, api_key, tmp_path):
    """Existing journals keep matching: a text-only request hashes exactly as before."""
    messages = [{"role": "system", "content": "You write product copy."},
                {"role": "user", "content": "Describe Chai (Beverages) — ☕."}]
    assert fingerprint(endpoint="https://api.openai.com/v1/", model="gpt-4o-mini",
                       messages=messages, params={"temperature": 0.2, "max_tokens": 50}) == (
        "59e1786a5f88973d410767a0c6d5a14db57e77a3ebc84ba3423ffa07222dfb86")

    assert run_cli("run", job_file(), "-q").exit_code == 0
    expected = {_fingerprint_before_images("127.0.0.1", "gpt-4o-mini", r.body["messages"], {})
                for r in fake.requests}
    assert journal_fingerprints(tmp_path / "outputs/describe.journal.sqlite") == expected


def test_preflight_names_every_row_whose_image_cannot_be_sent(job_file, photos, run_cli, fake,
                                                              api_key, tmp_path):
    (photos / "notes.png").write_text("not a picture\n")
    frames = [PILImage.new("RGB", (32, 32), c) for c in ((255, 0, 0), (0, 255, 0))]
    frames[0].save(photos / "spin.gif", save_all=True, append_images=frames[1:], duration=100)
    photo(photos / "scan.bmp", (40, 30), fmt="BMP")
    noise = PILImage.frombytes("RGB", (2700, 2700), os.urandom(2700 * 2700 * 3))
    noise.save(photos / "huge.png", compress_level=0)  # about 21 MB, sent as it is
    assert (photos / "huge.png").stat().st_size > 20 * 1024 * 1024
    csv = ("product_id,name,photo\n1,Cup,photos/cup.jpg\n2,Lost,photos/lost.jpg\n"
           "3,Notes,photos/notes.png\n4,Spinner,photos/spin.gif\n5,Scan,photos/scan.bmp\n"
           "6,Huge,photos/huge.png\n7,Blank,\n8,Bucket,s3://bucket/x.jpg\n")
    job = job_file("max_image_side = 4096\n", csv=csv, template=PHOTO_TEMPLATE)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 2, result.output
    out = result.output
    assert "the images of 7 of 8 row(s) of" in out
    expected = {
        "2": "image photos/lost.jpg does not exist (looked for ",
        "3": "image photos/notes.png is not an image (expected PNG, JPEG, WebP or a still GIF)",
        "4": "image photos/spin.gif is an animated GIF: the API takes still images only",
        "5": "image photos/scan.bmp is a BMP image: the API takes PNG, JPEG, WebP or a still GIF",
        "6": "image photos/huge.png is 20.9 MB, over the API's 20.0 MB per image",
        "7": "(id 7): no image (the value is empty)",
        "8": "(id 8): s3://bucket/x.jpg is neither an http(s) URL nor a local path",
    }
    for row_id, reason in expected.items():
        line = next(x for x in out.splitlines() if f"(id {row_id}):" in x)
        assert reason in line, line
    assert "(id 1)" not in out
    assert "Nothing was sent" in out
    assert fake.requests == []
    assert not (tmp_path / "outputs").exists()


def test_image_columns_are_checked(job_file, photos, run_cli, fake, api_key):
    result = run_cli("run", job_file('images = ["picture"]\n'), "-q")
    assert result.exit_code == 2
    assert "images names 'picture' but input" in result.output
    csv = "product_id,name,photo\n1,Cup,photos/cup.jpg\n2,Nothing,\n"
    result = run_cli("run", job_file('images = ["photo"]\n', csv=csv,
                                     template="Describe {{ name }}."), "-q")
    assert result.exit_code == 2
    assert "row 2 (id 2): column 'photo': no image (the value is empty)" in result.output
    assert fake.requests == []


def test_embedded_model_refuses_image_jobs(job_file, photos, run_cli, fake):
    job = job_file(csv=PHOTOS_CSV, template=PHOTO_TEMPLATE)
    for command in ("run", "estimate"):
        result = run_cli(command, job, "--model", "smollm2")
        assert result.exit_code == 2, result.output
        assert "the embedded model reads text only: this job attaches images (image() in a " \
               "template)" in result.output
    result = run_cli("run", job_file('images = ["photo"]\n', csv=PHOTOS_CSV,
                                     template="Describe {{ name }}."), "--model", "smollm2")
    assert result.exit_code == 2
    assert "attaches images (images = ['photo'])" in result.output
    assert fake.requests == []


@pytest.mark.parametrize(("size", "detail", "tokens"), [
    # OpenAI's vision guide, "Calculating costs" (gpt-4o family)
    ((1024, 1024), "high", 765),   # 768 x 768: 4 tiles
    ((2048, 4096), "high", 1105),  # 1024 x 2048, then 768 x 1536: 6 tiles
    ((4096, 8192), "low", 85),
    ((512, 512), "high", 255),     # one tile
    ((513, 512), "auto", 425),     # auto is counted as high: two tiles
    ((1920, 1080), "high", 1105),  # 1365 x 768: 3 x 2 tiles
    (None, "low", 85),             # an http URL: not downloaded, size unknown
    (None, "high", 1445),          # at its dearest: 4 x 2 tiles
])
def test_image_tokens_follow_openais_formula(size, detail, tokens):
    assert image_tokens(size, detail) == tokens


def test_estimate_counts_image_tokens_and_usage_agrees(job_file, run_cli, fake, api_key,
                                                      tmp_path):
    photo(tmp_path / "data/photos/square.jpg", (1024, 1024))
    photo(tmp_path / "data/photos/tall.jpg", (2048, 4096))
    csv = ("product_id,name,photo,detail\n1,Square,photos/square.jpg,high\n"
           "2,Tall,photos/tall.jpg,high\n3,Small,photos/square.jpg,low\n"
           "4,Remote,https://example.com/r.jpg,low\n")
    template = "Describe {{ name }}.{{ image(photo, detail=detail) }}"
    job = job_file(csv=csv, template=template)
    plan = build_plan(load_job(job), endpoint=fake.base_url)
    counter = TokenCounter("gpt-4o-mini")
    text = sum(counter.messages([{"role": "user", "content": f"Describe {name}."}])
               for name in ("Square", "Tall", "Small", "Remote"))
    assert plan.prompt_tokens == text + 765 + 1105 + 85 + 85

    result = run_cli("estimate", job)
    assert result.exit_code == 0, result.output
    assert f"prompt tokens: {plan.prompt_tokens:,} (exact)" in result.output

    assert run_cli("run", job, "-q").exit_code == 0
    # The server's usage (it counts the photos it received) is what the journal keeps.
    with sqlite3.connect(tmp_path / "outputs/describe.journal.sqlite") as db:
        (usage,) = db.execute("SELECT SUM(prompt_tokens) FROM results").fetchone()
    assert usage == plan.prompt_tokens


def test_batch_files_carry_the_image_parts(job_file, photos, run_cli, fake, tmp_path):
    job = job_file('max_image_side = 1024\n', csv=PHOTOS_CSV, template=PHOTO_TEMPLATE)
    result = run_cli("run", job, "--batch-files", "batches")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for f in sorted((tmp_path / "batches").glob("*.jsonl"))
             for x in f.read_text().splitlines()]
    assert len(lines) == 3
    parts = {p[0]["text"]: p[1]["image_url"] for p in (
        next(m["content"] for m in line["body"]["messages"] if m["role"] == "user")
        for line in lines)}
    assert sent_image(parts["Describe Espresso cup."]["url"]).size == (1024, 512)
    assert sent_image(parts["Describe Poster."]["url"]).size == (400, 300)
    assert parts["Describe Remote."] == {"url": "https://example.com/remote.webp",
                                         "detail": "auto"}
    assert fake.requests == []


def test_base64_never_reaches_journal_output_manifest_or_log(job_file, photos, run_cli, fake,
                                                             api_key, tmp_path):
    job = job_file(csv=PHOTOS_CSV, template=PHOTO_TEMPLATE)
    result = run_cli("run", job, "-q", "--log-file", "run.log")
    assert result.exit_code == 0, result.output
    sent = [p["image_url"]["url"].partition(",")[2] for r in fake.requests
            for p in user_parts(r) if p["type"] == "image_url"]
    pieces = [payload[100:180] for payload in sent if payload]
    assert len(pieces) == 2
    written = [p for p in tmp_path.rglob("*") if p.is_file()
               and not p.is_relative_to(tmp_path / "data")]
    names = {p.name for p in written}
    assert {"out.csv", "describe.journal.sqlite", "run.log"} <= names
    assert "out.run-1.json" in names  # the run's manifest
    for path in written:
        data = path.read_bytes()
        assert not any(piece.encode() in data for piece in pieces), path
    assert not any(piece in result.output for piece in pieces)


def test_template_image_errors():
    system = PromptTemplate("{% block system %}{{ image(p) }}{% endblock %}"
                            "{% block user %}Hi{% endblock %}")
    with pytest.raises(Exception, match="image\\(\\) belongs in the user message"):
        system.render({"p": "a.jpg"})
    with pytest.raises(Exception, match="detail must be one of auto, low, high"):
        PromptTemplate("{{ image(p, detail='huge') }}").render({"p": "a.jpg"})
    with pytest.raises(Exception, match="print image\\(\\) as it is"):
        PromptTemplate("{{ image(p) | upper }}").render({"p": "a.jpg"})
    with pytest.raises(TemplateError, match="has no attribute 'nope'"):
        PromptTemplate("{{ image(row.nope) }}").render({"p": "a.jpg"})


def test_a_value_cannot_forge_an_image_marker():
    """Only this render's image() calls make parts: a marker-shaped value stays text."""
    template = PromptTemplate("{{ note }} {{ image(p) }}")
    forged = "\x00image:0000000000000000:0\x00"
    (message,) = template.render({"note": forged, "p": "a.jpg"})
    assert [p["type"] for p in message["content"]] == ["text", "image_url"]
    assert forged.strip() in message["content"][0]["text"]
    plain = PromptTemplate("{{ note }}")
    assert plain.render({"note": forged}) == [{"role": "user", "content": forged.strip()}]
    assert not plain.uses_images and template.uses_images


def test_a_column_named_image_still_works():
    """A template that calls image() reaches a column named `image` as row.image; one that
    does not reads it as before."""
    assert PromptTemplate("{{ image }}").render({"image": "x.jpg"}) == [
        {"role": "user", "content": "x.jpg"}]
    (message,) = PromptTemplate("{{ image(row.image) }}").render({"image": "x.jpg"})
    assert message["content"] == [{"type": "image_url",
                                   "image_url": {"url": "x.jpg", "detail": None}}]


def test_schema_instruction_copes_with_content_parts():
    image = {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}
    messages = [{"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
                {"role": "user", "content": [{"type": "text", "text": "What is it?"}, image]}]
    schema = {"type": "object", "properties": {"title": {"type": "string"}}}
    system, user = with_schema_instruction(messages, schema)
    assert system["content"][0] == {"type": "text", "text": "Be brief."}
    assert "Reply with one JSON object" in system["content"][1]["text"]
    assert user == messages[1]
    no_system = with_schema_instruction(messages[1:], schema)
    assert no_system[0]["role"] == "system" and no_system[1] == messages[1]


def test_example_job_describes_products_from_their_photos(run_cli, fake, api_key, tmp_path):
    def answer(request):
        name = user_parts(request)[0]["text"].split("Product: ")[1].split("\n")[0]
        return completion_body(request, json.dumps({
            "title": name, "description": f"A photo of the {name.lower()}.",
            "alt_text": f"{name} on a plain background"}))

    fake.completion = answer
    job = ROOT / "prompts/product_photos.toml"
    estimate = run_cli("estimate", job)
    assert estimate.exit_code == 0, estimate.output
    assert "rows: 4 " in estimate.output and "(exact)" in estimate.output
    result = run_cli("run", job, "-q", "--base-url", fake.base_url,
                     "-o", tmp_path / "photos.csv", "--journal", tmp_path / "photos.sqlite")
    assert result.exit_code == 0, result.output
    rows = (ROOT / "data/photos.csv").read_text().splitlines()[1:]
    assert len(fake.requests) == len(rows) >= 3
    for request in fake.requests:
        images = [p for p in user_parts(request) if p["type"] == "image_url"]
        assert len(images) == 1
        assert sent_image(images[0]["image_url"]["url"]).format == "JPEG"
        assert images[0]["image_url"]["detail"] == "low"
    output = (tmp_path / "photos.csv").read_text()
    assert "Espresso cup with saucer on a plain background" in output
    for name in ("SOURCE.txt", "LICENSE.txt"):
        assert (ROOT / "data/photos" / name).exists()
