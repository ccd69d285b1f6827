"""`translate --qa`: translations judged GEMBA-MQM style (tests/fake_qa.py), the failing ones
translated again once with the findings, then left for review; glossary terms checked with no
request; the score per 1,000 words; journaled, budgeted and estimated like translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_data import copy_tree
from fake_qa import FakeJudge, is_qa
from fake_translator import FakeTranslator, entries, translate_text
from lxml import etree

RETEXT = "qt/retext/retext_de.ts"
#: Two neighbours of one context (ConfigDialog) of ReText's real catalog, no placeholder.
FIRST, SECOND = "Behavior", "Automatically save documents"


def _translations(path: Path) -> dict[tuple[str, str], str]:
    root = etree.parse(str(path)).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.findtext("translation")
            for c in root.iter("context") for m in c.iter("message")}


def _swapping() -> FakeTranslator:
    """Answers FIRST with SECOND's translation and SECOND with FIRST's, ids intact."""
    return FakeTranslator(language="fr", sabotage={FIRST: "swap_text"})


@pytest.fixture
def retext(tmp_path) -> Path:
    return copy_tree(RETEXT, tmp_path)


def test_without_qa_the_swapped_translations_are_written(translate, retext, tmp_path):
    """The failure no structural check sees: two entries of one context get each other's
    text, ids and anchors intact; every check passes and both are written wrong."""
    result = translate(retext, "--limit", "10", translator=_swapping())
    assert result.exit_code == 0, result.output
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(SECOND, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(FIRST, "fr")


def test_with_qa_the_swap_is_caught_retried_and_written_right(translate, retext, tmp_path,
                                                             fake):
    translator = _swapping()
    judge = FakeJudge(translator)
    result = translate(retext, "--limit", "10", "--qa", translator=judge)
    assert result.exit_code == 0, result.output
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(SECOND, "fr")
    # Both caught by the judge, in the one QA request that packed the translation request's
    # ten entries under their ids, then each translated again alone with the findings.
    assert sorted(s for s, _, sev in judge.found if sev == "critical") == sorted(
        [FIRST, SECOND])
    translation_ids = [e["id"] for e in entries(fake.requests[0])]
    assert judge.judged[0] == translation_ids and len(translation_ids) == 10
    again = [e for r in fake.requests if not is_qa(r) for e in entries(r) if e.get("problems")]
    assert sorted(e["text"] for e in again) == sorted([FIRST, SECOND])
    assert all("critical accuracy error" in e["problems"][0] for e in again)
    assert "2 translated again with the findings (2 then passed, 0 left for review)" in (
        result.stderr)
    assert "MQM penalty 0.0 per 1,000 source words" in result.stderr

