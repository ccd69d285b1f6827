"""gettext catalogs that stay current, as msgmerge keeps them: entries the template dropped
become obsolete, a new msgid close to a translated one is shown its translation (and kept as a
fuzzy draft with `#| msgid` when the answer is refused), a changed msgid_plural is translated
again when the translation is ours and marked fuzzy when it is not. Checked against GNU msgmerge
itself on Django's admin catalogs at 4.2.30 and 5.2.20 (tests/data/lifecycle/django)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from catalog_data import asked
from fake_translator import FakeTranslator, translate_text

from pipeline.catalogs.base import display_key, display_key_text
from pipeline.catalogs.lock import TranslationLock, lock_path
from pipeline.catalogs.po import PoCatalog, entry_key
from pipeline.catalogs.po_fuzzy import Candidate, FuzzyIndex, lcs_length, similarity

DJANGO = Path(__file__).parent / "data/lifecycle/django"
ADMIN = "django/contrib/admin/locale/{lang}/LC_MESSAGES/{domain}.po"
needs_gettext = pytest.mark.skipif(
    shutil.which("msgmerge") is None and os.environ.get("CI") != "true",
    reason="needs GNU gettext's msgmerge and msgfmt (CI installs them)")


def django(version: str, lang: str, domain: str = "django") -> Path:
    return DJANGO / version / ADMIN.format(lang=lang, domain=domain)


def msgmerge(old: Path, template: Path) -> polib.POFile:
    """What `msgmerge --previous` makes of the translation `old` and the new `template`."""
    run = subprocess.run(["msgmerge", "--previous", "-q", str(old), str(template), "-o", "-"],
                         capture_output=True, text=True, check=True)
    return polib.pofile(run.stdout)


def msgfmt_complaints(path: Path) -> list[str]:
    """What `msgfmt -c` says of a catalog, without file names and line numbers."""
    run = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(path)],
                         capture_output=True, text=True)
    return [re.sub(r"^.*?:\d+: ", "", line) for line in run.stderr.splitlines()]


def merged(po: polib.POFile) -> dict[str, list]:
    """A merged catalog as msgmerge's statistics see it: which entries are obsolete (with their
    translation), which fuzzy (with their previous msgctxt/msgid/msgid_plural and translation),
    which untranslated, which live."""
    def forms(e: polib.POEntry) -> list[str]:
        return [e.msgstr_plural[i] for i in sorted(e.msgstr_plural)] or [e.msgstr]
    live = [e for e in po if not e.obsolete]
    return {
        "obsolete": sorted([e.msgctxt or "", e.msgid, forms(e)] for e in po if e.obsolete),
        "fuzzy": sorted([e.msgctxt or "", e.msgid, e.previous_msgctxt or "", e.previous_msgid,
                         e.previous_msgid_plural or "", forms(e)]
                        for e in live if "fuzzy" in e.flags),
        "untranslated": sorted([e.msgctxt or "", e.msgid] for e in live if not any(forms(e))),
        "live": sorted([e.msgctxt or "", e.msgid] for e in live),
    }


def set_msgstr(path: Path, msgid: str, msgstr: str) -> str:
    """Edit one entry's translation in place (as a person would), the rest byte for byte;
    returns the entry's new block."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        found = [e for e in polib.pofile(block) if e.msgid == msgid and not e.obsolete]
        if found:
            head = block[:block.index("\nmsgstr")]
            blocks[i] = f"{head}\nmsgstr {json.dumps(msgstr, ensure_ascii=False)}" + (
                "\n" if block.endswith("\n") else "")
            path.write_text("\n\n".join(blocks), encoding="utf-8")
            return blocks[i]
    raise AssertionError(f"{path} has no entry {msgid!r}")


def live_blocks(text: str) -> dict[str, str]:
    """Each live entry's block of a .po text, by gettext key."""
    out = {}
    for block in text.split("\n\n"):
        entries = [e for e in polib.pofile(block) if not e.obsolete and e.msgid]
        if entries:
            out[entry_key(entries[0].msgctxt, entries[0].msgid)] = block.strip("\n")
    return out


# -- the similarity ------------------------------------------------------------------------------
def _lcs_table(a: bytes, b: bytes) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous, row[0] = 0, 0
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], (previous + 1 if x == y else max(row[j], row[j - 1]))
    return row[-1]


def test_the_similarity_is_gettexts_fstrcmp():
    rng = random.Random(25)
    for _ in range(300):
        a = bytes(rng.choice(b"abc de") for _ in range(rng.randrange(0, 40)))
        b = bytes(rng.choice(b"abc de") for _ in range(rng.randrange(0, 90)))
        assert lcs_length(a, b) == _lcs_table(a, b)
    # gettext's own example (msgl-fsearch.c): no 4-gram in common, fstrcmp 0.71
    assert round(similarity("close", "c l o s e"), 2) == 0.71
    # over UTF-8 bytes: the typographic apostrophe is three bytes
    assert similarity("you’ve", "you've") == 2 * 5 / (8 + 6)


def test_a_match_must_share_a_4_gram_and_beat_the_threshold():
    """Each answer here is msgmerge 0.21's on the same messages."""
    assert FuzzyIndex([]).best(None, "Delete") is None
    index = FuzzyIndex([Candidate(None, "c l o s e"), Candidate(None, "Delete"),
                        Candidate("menu", "Added."), Candidate(None, "Added!")])
    assert index.best(None, "close") is None  # 0.71, but msgmerge never compares them
    assert index.best(None, "Deleted:") == 1  # 2*6/14 = 0.857
    assert index.best(None, "Added:") == 3  # a tie: no context wins over another context
    assert index.best("menu", "Added:") == 2  # the same context wins the tie
    # fewer than 4 characters: compared with the messages short enough to reach 0.6
    assert index.best(None, "Del") == 1  # 2*3/9 = 0.67
    assert index.best(None, "Add") == 3 and index.best("menu", "Add") == 2
    assert index.best(None, "Removed:") is None  # 2*4/14 = 0.57 with "Deleted:": too far


# -- against msgmerge ----------------------------------------------------------------------------
@needs_gettext
@pytest.mark.parametrize(("domain", "counts"), [
    ("django", {"obsolete": 3, "fuzzy": 7, "untranslated": 11, "live": 200}),
    ("djangojs", {"obsolete": 8, "fuzzy": 3, "untranslated": 18, "live": 76}),
])
def test_obsoletes_and_fuzzy_matches_are_msgmerges(domain, counts, tmp_path):
    """Django's French admin catalog of 4.2.30 merged into the 5.2.20 template: every new
    msgid that gets a fuzzy match is left for review (so it keeps msgmerge's draft); the
    entries we make obsolete, the fuzzy drafts (their #| msgctxt/msgid/msgid_plural and
    translation) and what stays untranslated are exactly `msgmerge --previous`'s."""
    template = django("5.2.20", "en", domain)
    old = tmp_path / "fr.po"
    shutil.copyfile(django("4.2.30", "fr", domain), old)
    catalog = PoCatalog(template)
    target = catalog.target("fr", old)
    for entry in catalog.entries():
        if target.needs(entry) and target.earlier(entry) is not None:
            target.refuse(entry, "left for review")
    ours = tmp_path / "ours.po"
    ours.write_text(target.render(), encoding="utf-8")
    got, expected = merged(polib.pofile(str(ours))), merged(msgmerge(old, template))
    assert {kind: len(items) for kind, items in got.items()} == counts
    assert got == expected
    assert msgfmt_complaints(ours) == msgfmt_complaints(old)  # (Django's 3-form plurals)


# -- Django 4.2.30 -> 5.2.20 through the loopback server -----------------------------------------
@needs_gettext
def test_django_admin_from_4_2_to_5_2(translate, tmp_path, fake):
    """Run 1 over 4.2.30 with Django's French (three translations removed: it buys them, and
    records the rest as the baseline); a person edits two of ours; run 2 over 5.2.20 buys
    exactly the 18 new msgids, shows msgmerge's fuzzy matches as earlier translations, makes
    the 6 gone entries obsolete as msgmerge does (the hand-edited one kept there, reported),
    keeps the other hand edit untouched; --check lists exactly that before and nothing
    after."""
    source = tmp_path / "locale/en/LC_MESSAGES/django.po"
    target = tmp_path / "locale/fr/LC_MESSAGES/django.po"
    source.parent.mkdir(parents=True)
    target.parent.mkdir(parents=True)
    shutil.copyfile(django("4.2.30", "en"), source)
    shutil.copyfile(django("4.2.30", "fr"), target)
    ours = ["Are you sure?", "Change password", "Your username, in case you’ve forgotten:"]
    for msgid in ours:
        set_msgstr(target, msgid, "")

    first = translate(source)
    assert first.exit_code == 0, first.output
    assert sorted(e["text"] for e in asked(fake)) == sorted(ours)
    assert "185 existing translation(s) recorded in the lock" in first.stderr, first.stderr
    assert translate(source, "--check").exit_code == 0
    kept = set_msgstr(target, "Change password", "Modifier mon mot de passe")
    set_msgstr(target, "Are you sure?", "Êtes-vous vraiment sûr ?")
    before = target.read_text(encoding="utf-8")
    shutil.copyfile(django("5.2.20", "en"), source)

    old_keys = {e.key for e in PoCatalog(django("4.2.30", "en")).entries()}
    new_entries = [e for e in PoCatalog(source).entries() if e.key not in old_keys]
    gone = sorted(old_keys - {e.key for e in PoCatalog(source).entries()})
    assert (len(new_entries), len(gone)) == (18, 6)
    checked = translate(source, "--check", "--json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)["languages"][0]
    assert sorted(report["missing"]) == sorted(display_key(e) for e in new_entries)
    # Named as people read them: a context after the text, never a control character.
    assert report["orphaned"] == [display_key_text(k) for k in gone]
    assert not any("\x04" in k or "\x1f" in k for k in report["orphaned"])
    assert report["stale"] == [] and report["review"] == []
    assert target.read_text(encoding="utf-8") == before  # --check writes nothing

    expected = msgmerge(target, source)  # what msgmerge would make of the same pair
    sent_before = len(asked(fake))
    second = translate(source)
    assert second.exit_code == 0, second.output
    sent = asked(fake)[sent_before:]
    assert sorted(e["text"] for e in sent) == sorted(e.source for e in new_entries)
    shown = {e["text"]: (e["earlier_source"], e["earlier_translation"])
             for e in sent if "earlier_source" in e}
    fuzzy = {e.msgid: (e.previous_msgid, [e.msgstr]) for e in expected
             if not e.obsolete and "fuzzy" in e.flags}
    assert shown == fuzzy and len(shown) == 7
    assert shown["In case you’ve forgotten, you are:"] == (
        "Your username, in case you’ve forgotten:",
        [translate_text("Your username, in case you’ve forgotten:", "fr")])

    after = target.read_text(encoding="utf-8")
    written = polib.pofile(after)
    assert sorted(entry_key(e.msgctxt, e.msgid) for e in written if not e.obsolete) == sorted(
        e.key for e in PoCatalog(source).entries())
    assert all(e.msgstr or all(e.msgstr_plural.values()) for e in written if not e.obsolete)
    assert not [e for e in written if "fuzzy" in e.flags]
    assert merged(written)["obsolete"] == merged(expected)["obsolete"]
    assert [e.msgstr for e in written if e.obsolete and e.msgid == "Are you sure?"] == [
        "Êtes-vous vraiment sûr ?"]  # the person's translation, kept (obsolete)
    assert kept.strip("\n") in after  # the other hand edit, byte for byte
    untouched = live_blocks(before)
    for key in old_keys - set(gone):
        assert untouched[key] in after  # surgery: what stays is left as it was
    assert '#~ msgid "Are you sure?"\n#~ msgstr "Êtes-vous vraiment sûr ?"\n' in after
    assert "source changes: 18 added, 0 updated, 0 kept as they were (stale, for review), " \
           "6 removed from the source (6 made obsolete, as msgmerge does)" in second.stderr
    assert "removed from the source: Are you sure?" in second.stderr
    assert msgfmt_complaints(target) == msgfmt_complaints(django("4.2.30", "fr"))

    lock = TranslationLock.read(lock_path(source))
    assert sorted(key for (_, key) in lock.made) == sorted(
        e.key for e in PoCatalog(source).entries())
    again = translate(source, "--check")
    assert again.exit_code == 0, again.output
    assert "every catalog is complete and current" in again.stdout
    third = translate(source)
    assert third.exit_code == 0 and len(asked(fake)) == sent_before + 18
    assert target.read_text(encoding="utf-8") == after


# -- small catalogs, one rule each ---------------------------------------------------------------
HEADER = """msgid ""
msgstr ""
"Project-Id-Version: shop 1.0\\n"
"PO-Revision-Date: 2025-01-01 00:00+0000\\n"
"Last-Translator: A Person <a@example.com>\\n"
"Language-Team: French\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def catalog(path: Path, body: str, lang: str = "en") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(lang=lang) + "\n" + body.strip("\n") + "\n", encoding="utf-8")
    return path


def shop(tmp_path: Path, body: str) -> tuple[Path, Path]:
    return (catalog(tmp_path / "locale/en/LC_MESSAGES/shop.po", body),
            tmp_path / "locale/fr/LC_MESSAGES/shop.po")


FILES = """
#: cart.py:3
#, python-format
msgid "%(count)s file"
msgid_plural "%(count)s files"
msgstr[0] ""
msgstr[1] ""

#: cart.py:4
#, python-format
msgid "%(count)s item"
msgid_plural "%(count)s items"
msgstr[0] ""
msgstr[1] ""
"""


@needs_gettext
def test_a_changed_plural_text_is_translated_again_when_ours_and_marked_fuzzy_when_not(
        translate, tmp_path, fake):
    """gettext's key is the msgid, so a changed msgid_plural is the one change of source an
    entry keeps its key through: our translation is bought again with the earlier one shown; a
    person's is kept, marked as msgmerge marks it (fuzzy, `#| msgid`, `#| msgid_plural`) and
    reported, in every run until someone clears the mark."""
    source, target = shop(tmp_path, FILES)
    assert translate(source).exit_code == 0
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('msgstr[0] "[fr] %(count)s items"',
                                   'msgstr[0] "%(count)s article"'), encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace(
        '"%(count)s files"', '"%(count)s files here"').replace(
        '"%(count)s items"', '"%(count)s items in the cart"'), encoding="utf-8")

    before = len(asked(fake))
    result = translate(source)
    assert result.exit_code == 1, result.output  # a person's translation is kept, for review
    sent = asked(fake)[before:]
    assert [(e["text"], e["earlier_source"]) for e in sent] == [
        ("%(count)s file", "%(count)s file\n%(count)s files")]
    assert 'stale, kept: "%(count)s item": its source was "%(count)s item\\n%(count)s items", ' \
           'now "%(count)s item\\n%(count)s items in the cart"' in result.stderr
    files, items = (e for e in polib.pofile(str(target)) if e.msgid)
    assert (files.msgid_plural, files.msgstr_plural[1], files.flags) == (
        "%(count)s files here", "[fr] %(count)s files here", ["python-format"])
    assert items.flags == ["fuzzy", "python-format"]
    assert (items.previous_msgid, items.previous_msgid_plural) == (
        "%(count)s item", "%(count)s items")
    assert items.msgid_plural == "%(count)s items in the cart"
    assert items.msgstr_plural[0] == "%(count)s article"
    assert msgfmt_complaints(target) == []

    again = translate(source)  # nobody looked at it yet: still stale, still reported
    assert again.exit_code == 1 and "stale, kept" in again.stderr
    assert translate(source, "--check").exit_code == 1
    cleared = re.sub(r"#, fuzzy, python-format\n#\| msgid .*\n#\| msgid_plural .*\n",
                     "#, python-format\n", target.read_text(encoding="utf-8"))
    target.write_text(cleared, encoding="utf-8")  # a person reviewed it
    assert translate(source, "--check").exit_code == 0
    assert translate(source).exit_code == 0
    lock = TranslationLock.read(lock_path(source))
    made = lock.get("fr", "%(count)s item")
    assert made is not None and made.origin == "theirs" and made.marked_for is None


CART = """
#: cart.py:10
msgctxt "cart"
msgid "Your cart is empty"
msgstr ""

#: cart.py:12
#, python-format
msgid "%(count)s products in your cart"
msgstr ""
"""


@needs_gettext
def test_a_refused_new_msgid_keeps_msgmerges_fuzzy_draft(translate, tmp_path, fake):
    """The msgid changed: the new one is shown the old one's translation; its answer refused,
    it is left as msgmerge leaves it (fuzzy, the old translation, `#| msgctxt`/`#| msgid`),
    and the old entry is not kept as `#~` as well. The next run reports it as stale without
    buying it; --fuzzy buys it, shown the earlier translation again."""
    source, target = shop(tmp_path, CART)
    assert translate(source).exit_code == 0
    source.write_text(source.read_text(encoding="utf-8").replace(
        "%(count)s products in your cart", "%(count)s products in your basket"),
        encoding="utf-8")
    broken = FakeTranslator(language="fr", sabotage={"basket": "drop"}, times=10)
    before = len(asked(fake))
    result = translate(source, translator=broken)
    assert result.exit_code == 1, result.output
    sent = asked(fake)[before:]
    assert sent[0]["earlier_source"] == "%(count)s products in your cart"
    assert sent[0]["earlier_translation"] == ["[fr] %(count)s products in your cart"]
    text = target.read_text(encoding="utf-8")
    assert "#~" not in text  # its translation went to the new msgid
    assert ('#, fuzzy, python-format\n#| msgid "%(count)s products in your cart"\n'
            'msgid "%(count)s products in your basket"\n'
            'msgstr "[fr] %(count)s products in your cart"\n') in text
    assert "# pipeline: not translated:" in text
    assert msgfmt_complaints(target) == []

    sent_so_far = len(asked(fake))
    rerun = translate(source)
    assert rerun.exit_code == 1 and len(asked(fake)) == sent_so_far
    assert 'its source was "%(count)s products in your cart", now ' \
           '"%(count)s products in your basket"' in rerun.stderr
    # (another journal: this one holds the refused answer to the very same request)
    redone = translate(source, "--fuzzy", "--journal", str(tmp_path / "fuzzy.sqlite"))
    assert redone.exit_code == 0, redone.output
    [again] = asked(fake)[sent_so_far:]
    assert again["earlier_source"] == "%(count)s products in your cart"
    entry = next(e for e in polib.pofile(str(target)) if "basket" in e.msgid)
    assert entry.msgstr == "[fr] %(count)s products in your basket"
    assert (entry.flags, entry.previous_msgid) == (["python-format"], None)


@needs_gettext
def test_a_msgctxt_is_kept_in_the_draft_as_msgmerge_writes_it(tmp_path):
    source = catalog(tmp_path / "en.po", '#: cart.py:10\nmsgctxt "cart"\nmsgid "Your basket '
                     'is empty"\nmsgstr ""\n')
    old = catalog(tmp_path / "fr.po", '# checked by Anne\nmsgctxt "cart"\nmsgid "Your cart is '
                  'empty"\nmsgstr "Votre panier est vide"\n', lang="fr")
    po = PoCatalog(source)
    target = po.target("fr", old)
    [entry] = po.entries()
    assert target.needs(entry)
    assert target.earlier(entry) == ("Your cart is empty", ["Votre panier est vide"])
    target.refuse(entry, "no safe translation")
    ours = tmp_path / "ours.po"
    ours.write_text(target.render(), encoding="utf-8")
    assert merged(polib.pofile(str(ours))) == merged(msgmerge(old, source))
    assert ('# checked by Anne\n# pipeline: not translated: no safe translation\n'
            '#: cart.py:10\n#, fuzzy\n#| msgctxt "cart"\n#| msgid "Your cart is empty"\n'
            'msgctxt "cart"\n') in ours.read_text(encoding="utf-8")


OLD_FR = """
#: shop.py:1
msgid "Checkout"
msgstr "Paiement"

# reviewed by Anne
#. the button of the cart page
#: shop.py:2
msgid "Empty the cart"
msgstr "Vider le panier"

#: shop.py:3
msgid "Never translated"
msgstr ""

#, fuzzy
msgid "Only a draft"
msgstr "Seulement un brouillon"

#~ msgid "Wishlist"
#~ msgstr "Liste d’envies"

#~ msgid "Old and gone"
#~ msgstr "Vieux et parti"
"""


@needs_gettext
def test_gone_entries_become_obsolete_and_obsolete_ones_come_back(translate, tmp_path, fake):
    """The template drops three entries and brings back one msgmerge had made obsolete: the
    translated one goes behind `#~` (its lines as they were, without its references and
    extracted comments), the fuzzy one too with its flag, the untranslated one is dropped, the
    obsolete one is live again with its translation (nothing bought), the new entry goes before
    the obsolete ones, the other obsolete one stays byte for byte; the same entries as
    msgmerge's."""
    source, target = shop(tmp_path, """
#: shop.py:1
msgid "Checkout"
msgstr ""

#: shop.py:7
msgid "Wishlist"
msgstr ""

#: shop.py:8
msgid "Gift cards"
msgstr ""
""")
    catalog(target, OLD_FR, lang="fr")
    expected = msgmerge(target, source)
    checked = translate(source, "--check", "--json")
    report = json.loads(checked.stdout)["languages"][0]
    assert report["missing"] == ['"Gift cards"']
    assert report["orphaned"] == ["Empty the cart", "Only a draft"]  # (untranslated: no loss)
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert [e["text"] for e in asked(fake)] == ["Gift cards"]
    assert "2 removed from the source (2 made obsolete, as msgmerge does)" in result.stderr
    text = target.read_text(encoding="utf-8")
    written = polib.pofile(text)
    assert {k: v for k, v in merged(written).items() if k != "untranslated"} == {
        k: v for k, v in merged(expected).items() if k != "untranslated"}
    assert text.endswith('''
#: shop.py:8
msgid "Gift cards"
msgstr "[fr] Gift cards"

#~ msgid "Old and gone"
#~ msgstr "Vieux et parti"

# reviewed by Anne
#~ msgid "Empty the cart"
#~ msgstr "Vider le panier"

#, fuzzy
#~ msgid "Only a draft"
#~ msgstr "Seulement un brouillon"
''')
    assert '#: shop.py:7\nmsgid "Wishlist"\nmsgstr "Liste d’envies"\n' in text
    assert "Never translated" not in text
    assert msgfmt_complaints(target) == []
    lock = TranslationLock.read(lock_path(source))
    assert sorted(key for _, key in lock.made) == ["Checkout", "Gift cards", "Wishlist"]
    assert translate(source, "--check").exit_code == 0


def test_a_translator_comment_stays_with_an_entry_translated_again(translate, tmp_path, fake):
    """A block is parsed alone, and polib takes the comments opening a file for its header:
    a `# comment` of a fuzzy entry translated again with --fuzzy was lost."""
    source, target = shop(tmp_path, 'msgid "Only a draft"\nmsgstr ""\n')
    catalog(target, '# reviewed by Anne\n#, fuzzy\nmsgid "Only a draft"\nmsgstr "Brouillon"\n',
            lang="fr")
    assert translate(source, "--fuzzy").exit_code == 0
    assert target.read_text(encoding="utf-8").endswith(
        '# reviewed by Anne\nmsgid "Only a draft"\nmsgstr "[fr] Only a draft"\n')


DRAFTED = """
#: cart.py:10
#, fuzzy
#| msgid "Your cart is empty, add something from the shop to get started with it"
msgid "Your basket is empty, add something from the shop to get started with it"
msgstr "Votre panier est vide, ajoutez quelque chose de la boutique pour "
"commencer"
"""


@needs_gettext
def test_a_draft_msgmerge_left_is_reported_untouched_until_asked(translate, tmp_path, fake):
    """A fuzzy entry with `#| msgid` (msgmerge's draft) was made from the old msgid: it is
    stale, not ours, so it is reported and left byte for byte (however msgmerge wrapped it);
    --update-stale buys it, the draft shown as the earlier translation."""
    source, target = shop(tmp_path, '#: cart.py:10\nmsgid "Your basket is empty, add '
                                    'something from the shop to get started with it"\n'
                                    'msgstr ""\n')
    catalog(target, DRAFTED, lang="fr")
    before = target.read_text(encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 1, result.output
    assert not fake.requests and target.read_text(encoding="utf-8") == before
    assert "its source was \"Your cart is empty, add something" in result.stderr
    assert json.loads(translate(source, "--check", "--json").stdout)["languages"][0][
        "stale"][0]["was"].startswith("Your cart is empty")
    updated = translate(source, "--update-stale")
    assert updated.exit_code == 0, updated.output
    [sent] = asked(fake)
    assert sent["earlier_translation"] == [
        "Votre panier est vide, ajoutez quelque chose de la boutique pour commencer"]
    entry = next(e for e in polib.pofile(str(target)) if e.msgid)
    assert entry.msgstr.startswith("[fr] Your basket") and entry.flags == []


@needs_gettext
def test_an_entry_made_obsolete_by_msgmerge_leaves_the_lock(translate, tmp_path, fake):
    source, target = shop(tmp_path, 'msgid "Checkout"\nmsgstr ""\n\nmsgid "Wishlist"\n'
                                    'msgstr ""\n')
    assert translate(source).exit_code == 0
    source.write_text(source.read_text(encoding="utf-8").replace(
        '\nmsgid "Wishlist"\nmsgstr ""\n', ""), encoding="utf-8")
    subprocess.run(["msgmerge", "-q", "-U", "--backup=off", str(target), str(source)],
                   check=True)
    assert '#~ msgid "Wishlist"' in target.read_text(encoding="utf-8")
    checked = translate(source, "--check", "--json")
    assert json.loads(checked.stdout)["languages"][0]["orphaned"] == ["Wishlist"]
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert "(1 made obsolete, as msgmerge does)" in result.stderr
    assert [key for _, key in TranslationLock.read(lock_path(source)).made] == ["Checkout"]
    assert translate(source, "--check").exit_code == 0


@needs_gettext
def test_entries_written_without_a_blank_line_between_them_are_each_found(
        translate, tmp_path, fake):
    """By hand, entries get written with no blank line between them: the second one was not
    found, so it was translated again and written a second time (msgfmt: duplicate message
    definition)."""
    source, target = shop(tmp_path, 'msgid "One"\nmsgstr ""\n\nmsgid "Two"\nmsgstr ""\n\n'
                                    'msgid "Three"\nmsgstr ""\n')
    catalog(target, '# a note of the team\n\nmsgid "One"\nmsgstr "Un"\nmsgid "Two"\n'
                    'msgstr "Deux"\n', lang="fr")
    before = target.read_text(encoding="utf-8")
    assert translate(source).exit_code == 0
    assert [e["text"] for e in asked(fake)] == ["Three"]
    after = target.read_text(encoding="utf-8")
    assert after == before + '\nmsgid "Three"\nmsgstr "[fr] Three"\n'
    assert msgfmt_complaints(target) == []


def test_an_orphan_with_a_context_is_named_as_people_read_it(translate, tmp_path, fake):
    """A gettext key is its context and text joined by a control character (EOT): --check
    and the report name an entry the source no longer has as "text" (context), as they name
    a missing one, not with the raw key."""
    source, _ = shop(tmp_path, 'msgctxt "button"\nmsgid "Save"\nmsgstr ""\n\n'
                               'msgid "Checkout"\nmsgstr ""\n')
    assert translate(source).exit_code == 0
    source.write_text(source.read_text(encoding="utf-8").replace(
        'msgctxt "button"\nmsgid "Save"\nmsgstr ""\n', ""), encoding="utf-8")
    checked = translate(source, "--check")
    assert checked.exit_code == 1
    assert 'orphaned (no longer in the source; --prune removes it): "Save" (button)' in (
        checked.stdout)
    assert "\x04" not in checked.stdout
    result = translate(source)
    assert 'removed from the source: "Save" (button)' in result.stderr
    assert "\x04" not in result.stderr
