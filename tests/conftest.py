"""Shared fixtures: the loopback OpenAI, Anthropic and Gemini servers, an isolated working
directory, job builders."""

from __future__ import annotations

import sqlite3
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))

from fake_anthropic import FakeAnthropic
from fake_gemini import FakeGemini
from fake_openai import FakeOpenAI

from pipeline.cli import cli

TEST_KEY = "sk-test-SECRET-abc123def456ghi789"
ANTHROPIC_TEST_KEY = "sk-ant-api03-SECRET-zyx987wvu654tsr321"
GEMINI_TEST_KEY = "AIzaSyD-SECRET-gem987wvu654tsr321qponml"
PRODUCTS_CSV = """\
product_id,name,category,unit_price,Unit Note
1,Chai,Beverages,18,10 boxes x 20 bags
2,Chang,Beverages,19,24 - 12 oz bottles
3,Aniseed Syrup,Condiments,10,12 - 550 ml bottles
"""
TEMPLATE = """\
{% block system %}You write product copy.{% endblock %}
{% block user %}Describe {{ name }} ({{ category }}) at ${{ unit_price }}; \
pack: {{ row["Unit Note"] }}.{% endblock %}
"""


def max_in_window(times: list[float], window: float) -> int:
    """The most events that fall in any window of `window` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def pytest_report_header() -> str:
    return f"sqlite {sqlite3.sqlite_version}"


@pytest.fixture(scope="session")
def server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The loopback server with a clean script and request log for this test."""
    server.reset()
    yield server
    server.reset()


@pytest.fixture(scope="session")
def anthropic_server() -> Iterator[FakeAnthropic]:
    fake = FakeAnthropic().start()
    yield fake
    fake.stop()


@pytest.fixture
def claude(anthropic_server: FakeAnthropic) -> Iterator[FakeAnthropic]:
    """The loopback Anthropic server with a clean script and request log for this test."""
    anthropic_server.reset()
    yield anthropic_server
    anthropic_server.reset()


@pytest.fixture(scope="session")
def gemini_server() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.stop()


@pytest.fixture
def gemini(gemini_server: FakeGemini) -> Iterator[FakeGemini]:
    """The loopback Gemini API server with a clean script and request log for this test."""
    gemini_server.reset()
    yield gemini_server
    gemini_server.reset()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in its own directory with no ambient OpenAI, Anthropic or Gemini
    settings."""
    monkeypatch.chdir(tmp_path)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
                "ANTHROPIC_CUSTOM_HEADERS", "ANTHROPIC_PROFILE", "ANTHROPIC_CONFIG_DIR",
                "GEMINI_API_KEY", "GEMINI_BASE_URL", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL",
                "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
                "GOOGLE_GENAI_API_VERSION", "GOOGLE_GENAI_HTTP_CLIENT", "GOOGLE_CLOUD_PROJECT",
                "GOOGLE_CLOUD_LOCATION"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    return TEST_KEY


@pytest.fixture
def anthropic_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_TEST_KEY)
    return ANTHROPIC_TEST_KEY


@pytest.fixture
def gemini_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI_TEST_KEY)
    return GEMINI_TEST_KEY


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file (dedented) under the test directory and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def job_file(write: Callable[[str, str], Path], fake: FakeOpenAI) -> Callable[..., Path]:
    """A job in prompts/ over a 3-row CSV, pointed at the loopback server."""

    def _job(extra: str = "", *, csv: str = PRODUCTS_CSV, template: str = TEMPLATE,
             output: str = "../outputs/out.csv") -> Path:
        write("data/products.csv", csv)
        write("prompts/describe.j2", template)
        return write("prompts/describe.toml", f"""\
            input = "../data/products.csv"
            template = "describe.j2"
            output = "{output}"
            id_column = "product_id"
            model = "gpt-4o-mini"
            base_url = "{fake.base_url}"
            concurrency = 2
            timeout = 2
            """ + textwrap.dedent(extra))

    return _job


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the CLI in process; unexpected exceptions propagate with their traceback."""

    def _run(*args: str | Path) -> Result:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return _run


DRAFT = "Describe {{ name }} ({{ category }}) for the shop."
TRANSLATE = ("Translate into German and French: {{ draft.meta_description }}\n"
             "(title for reference: {{ draft.title }})")


@pytest.fixture
def chain_job(write, fake):
    """A two-step job (draft, then translate the draft with another model) over the
    3-row CSV."""
    def _job(extra: str = "", *, csv: str = PRODUCTS_CSV, translate: str = TRANSLATE,
             steps: str | None = None):
        write("data/products.csv", csv)
        write("prompts/draft.j2", DRAFT)
        write("prompts/translate.j2", translate)
        steps = steps if steps is not None else """
            [[steps]]
            name = "draft"
            template = "draft.j2"
            fields = ["title", "meta_description"]
            [steps.checks.meta_description]
            max_chars = 155

            [[steps]]
            name = "translate"
            template = "translate.j2"
            model = "gpt-4.1-mini"
            fields = ["de", "fr"]
            """
        return write("prompts/chain.toml", f"""\
            input = "../data/products.csv"
            output = "../outputs/out.csv"
            id_column = "product_id"
            model = "gpt-4o-mini"
            base_url = "{fake.base_url}"
            timeout = 2
            """ + textwrap.dedent(extra) + textwrap.dedent(steps))
    return _job


@pytest.fixture
def translate(run_cli, fake, api_key, tmp_path):
    """`pipeline translate CATALOG --to fr` against the loopback server, answered by a fake
    translator (French unless another is given)."""
    from fake_translator import FakeTranslator

    def _run(catalog: Path, *args: str, translator: FakeTranslator | None = None):
        fake.completion = translator or FakeTranslator(language="fr")
        return run_cli("translate", catalog, "-m", "gpt-4o-mini", "--base-url", fake.base_url,
                       "-q", "--to", "fr", "--journal", str(tmp_path / "journal.sqlite"),
                       *args)
    return _run
