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
    ("Hello ${name}!", "Bonjour {name} !", Rules(brace=True), "missing ${name}"),
    ("%#@files@ in %@", "%#@fichiers@ dans %@", Rules(printf=True),
     "missing %#@files@; unexpected %#@fichiers@"),
    ("one apple|%count% apples", "une pomme|pommes|%count% pommes",
     Rules(percent_name=True, pipes=True), "(its form 2) must keep every placeholder"),
])
def test_broken_translations_are_named(source, translation, rules, expected):
    found = problems(source, translation, rules)
    assert found and expected in " ".join(found), found


def test_po_flags_choose_the_rules():
    assert rules_for_po(["python-format"], "%(x)s").printf
    assert rules_for_po([], "Hello %(name)s").printf  # plainly printf even without the flag
    assert rules_for_po(["python-brace-format"], "{}th").brace
    assert not rules_for_po(["no-python-brace-format"], "{x}").brace


# -- invented placeholders: refused whatever the entry's flags and format ------------------------
SPHINX_SWAP = ("Comma-separated list of options to pass to automodule directive (or use "
               "SPHINX_APIDOC_OPTIONS).")


@pytest.mark.parametrize("rules", [Rules(), Rules(i18next=True), Rules(brace=True),
                                   Rules(printf=True)], ids=["plain", "i18next", "brace",
                                                             "printf"])
@pytest.mark.parametrize(("translation", "invented"), [
    ("Liste d'options (ou SPHINX_APIDOC_OPTIONS) : %s, %s.", "%s %s"),  # the case
    ("Options %d", "%d"),
    ("Options %(name)s", "%(name)s"),
    ("Options %1$s", "%1$s"),
    ("Options {name}", "{name}"),
    ("Options {}", "{}"),
    ("Options {0}", "{0}"),
    ("Options {{name}}", "{{name}}"),
    ("Options {count, plural, one {# option} other {# options}}", "{count, plural"),
])
def test_a_placeholder_the_source_lacks_is_refused_whatever_the_rules(rules, translation,
                                                                       invented):
    found = " ".join(problems(SPHINX_SWAP, translation + " SPHINX_APIDOC_OPTIONS", rules))
    assert "the source does not" in found or "must keep every" in found, found
    assert invented.split()[0] in found, found


def test_a_tag_the_source_lacks_is_refused_whatever_the_rules():
    found = problems("Options", "<b>Options</b>", Rules(printf=True))
    assert found and "unexpected </b>, <b>" in found[0]


@pytest.mark.parametrize(("source", "translation"), [
    ("Save 50% now", "Économisez 50 % maintenant"),      # a percent sign, not a directive
    ("50% of {name}", "50 % de {name}"),
    ("Use %s here", "Utilisez %s ici"),                    # the source has it: not invented
])
def test_text_that_only_looks_like_a_placeholder_is_not_refused(source, translation):
    assert problems(source, translation, Rules()) == []


# -- protected tokens: URLs, e-mail addresses, link targets, code, options, variables ------------
@pytest.mark.parametrize(("source", "tokens"), [
    ("Open an issue at <https://github.com/sphinx-doc/sphinx/issues/>. Thanks!",
     ["<https://github.com/sphinx-doc/sphinx/issues/>"]),
    ("For more information, visit https://www.sphinx-doc.org/en/master/man/.",
     ["https://www.sphinx-doc.org/en/master/man/"]),
    ("See https://en.wikipedia.org/wiki/Foo_(bar), then", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
    ("Write to help@example.com or <mailto:a@b.org>.", ["help@example.com", "<mailto:a@b.org>"]),
    ("Read `the guide <https://x.org/guide>`_ first.", ["https://x.org/guide"]),
    ("Read [the guide](https://x.org/guide?a=1) first.", ["https://x.org/guide?a=1"]),
    ("Converting `source_suffix = %r` to ``html``.", ["`source_suffix = %r`", "``html``"]),
    ("used when --full is given, defaults to --doc-version", ["--full", "--doc-version"]),
    ("(or use SPHINX_APIDOC_OPTIONS) -- or not", ["SPHINX_APIDOC_OPTIONS"]),
    ("The config value `name' has type `int'", []),      # `quote' style is not code
    ("Enter a valid URL. HTML is fine.", []),            # acronyms are not variables
])
def test_protected_tokens_are_found(source, tokens):
    from pipeline.catalogs.protected import protected_tokens

    assert protected_tokens(source) == tokens


@pytest.mark.parametrize(("source", "translation", "lost"), [
    ("Open an issue at <https://github.com/sphinx-doc/sphinx/issues/>. Thanks!",
     "Ouvrez un ticket. Merci !", "<https://github.com/sphinx-doc/sphinx/issues/>"),
    ("Open an issue at <https://github.com/sphinx-doc/sphinx/issues/>. Thanks!",
     "Ouvrez un ticket sur https://github.com/sphinx-doc/sphinx/issues/. Merci !",
     "<https://github.com/sphinx-doc/sphinx/issues/>"),      # the autolink's brackets lost
    ("Visit https://www.sphinx-doc.org/en/master/man/.",
     "Visitez https://www.sphinx-doc.org/fr/master/man/.", "https://www.sphinx-doc.org/en/"),
    ("used when --full is given", "utilisé quand --complet est donné", "--full"),
    ("(or use SPHINX_APIDOC_OPTIONS)", "(ou utilisez SPHINX_APIDOC_OPTIONEN)",
     "SPHINX_APIDOC_OPTIONS"),
    ("Run ``make html``", "Lancez make html", "``make html``"),
    ("Read [the guide](https://x.org/g) first", "Lisez [le guide](https://x.org/fr/g)",
     "https://x.org/g"),
    ("Mail help@example.com", "Écrivez à aide@example.com", "help@example.com"),
])
def test_a_dropped_or_altered_token_is_refused(source, translation, lost):
    found = " ".join(problems(source, translation, Rules()))
    assert "must keep" in found and lost in found, found


def test_kept_tokens_and_translated_link_text_pass():
    source = "Read `the guide <https://x.org/g>`_ or [the FAQ](https://x.org/faq), run --full."
    translation = ("Lisez `le guide <https://x.org/g>`_ ou [la FAQ](https://x.org/faq), "
                   "lancez --full.")
    assert problems(source, translation, Rules()) == []


RAILS_FORMAT = Rules(ruby=True, strftime=True)


@pytest.mark.parametrize(("source", "translation", "expected"), [
    ("%m/%d/%Y", "%d.%m.%Y", None),                       # the language's order: right
    ("%B %d, %Y %H:%M", "%-d %B %Y, %H:%M", "missing %d; unexpected %-d"),
    ("%m/%d/%Y", "%m//%Y", "missing %d"),
    ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "missing %I %p; unexpected %H"),
    ("%d %b %H:%M", "%d %b %H:%M %Z", "unexpected %Z"),
    ("%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %:z", "missing %z; unexpected %:z"),
    ("%-d %^b %Y", "%-d %^b %Y r.", None),
    ("%H:%M %%", "%H:%M", "missing %%"),
])
def test_strftime_directives_are_kept_in_any_order(source, translation, expected):
    found = problems(source, translation, RAILS_FORMAT)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and "strftime directive" in found[0] and expected in found[0]


def test_a_percent_in_plain_rails_text_is_not_a_strftime_directive():
    """Only a format named as a strftime pattern is judged so ("% Done" is text)."""
    assert problems("% Done", "Fait à %", Rules(ruby=True)) == []
    assert problems("%{count} days", "%{count} jours", Rules(ruby=True)) == []
