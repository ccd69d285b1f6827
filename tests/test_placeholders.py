"""The safety checks every translated entry passes before it is written (pure functions)."""

from __future__ import annotations

import pytest

from pipeline.catalogs.placeholders import Rules, problems, rules_for_po

PY = Rules(printf=True, brace=True)


@pytest.mark.parametrize(("source", "translation", "rules"), [
    ("Ensure %(limit_value)d chars (it has %(show_value)d).",
     "Au moins %(limit_value)d (actuellement %(show_value)d).", PY),
    ("%(a)s and %(b)s", "%(b)s et %(a)s", PY),                      # named: any order
    ("%s of %d", "%s de %d", PY),
    ("Added {name} “{object}”.", "Ajouté {name} « {object} ».", PY),
    ("Expected {{expected}}, received {{- received}}",
     "Erwartet {{ expected }}, erhalten {{- received}}", Rules(i18next=True)),
    ("Click <0>here</0> or <b>there</b><br/>", "Cliquez <0>ici</0> ou <b>là</b><br/>",
     Rules()),
    ("Since {{- date, datetime}}: $t(common.items)", "Seit {{- date, datetime}}: $t(common.items)",
     Rules(i18next=True)),
    ("100%% done", "100%% fait", PY),
    ("  indented\n", "  indenté\n", Rules()),
    ("100% sure", "100 % sûr", Rules()),                               # not a format string
])
def test_safe_translations_pass(source, translation, rules):
    assert problems(source, translation, rules) == []


@pytest.mark.parametrize(("source", "translation", "rules", "expected"), [
    ("%(count)d items", "%(conut)d éléments", PY, "missing %(count)d; unexpected %(conut)d"),
    ("%(count)d items", "éléments", PY, "missing %(count)d"),
    ("%s of %d", "%d de %s", PY, "unnamed printf placeholders in their order"),
    ("{name} saved", "{nom} enregistré", PY, "missing {name}; unexpected {nom}"),
    ("Hi {{name}}", "Salut {{nom}}", Rules(i18next=True), "missing {{name}}"),
    ("See $t(help.link)", "Voir $t(aide.lien)", Rules(i18next=True), "missing $t(help.link)"),
    ("{{- minimum, datetime}}", "{{- minimum}}", Rules(i18next=True),
     "missing {{-minimum,datetime}}"),
    ("<b>Bold</b>", "<b>Gras", Rules(), "missing </b>"),
    ("<0>here</0>", "<1>ici</1>", Rules(), "missing </0>, <0>; unexpected </1>, <1>"),
    ("Line\n", "Ligne", Rules(), "must start with '' and end with '\\n'"),
    (" joined", "joint", Rules(), "must start with ' '"),
    ("Hello", "Salut %(name)s", Rules(), "placeholder(s) the source does not: %(name)s"),
    ("Hello", "", Rules(), "is empty"),
])
def test_broken_translations_are_named(source, translation, rules, expected):
    found = problems(source, translation, rules)
    assert found and expected in " ".join(found), found


def test_po_flags_choose_the_rules():
    assert rules_for_po(["python-format"], "%(x)s").printf
    assert rules_for_po([], "Hello %(name)s").printf  # plainly printf even without the flag
    assert rules_for_po(["python-brace-format"], "{}th").brace
    assert not rules_for_po(["no-python-brace-format"], "{x}").brace
