"""Where each app ecosystem keeps a language's catalog: Android's values-fr/, Apple's
fr.lproj/, Java's messages_fr.properties, Rails' fr.yml, Symfony's validators.fr.xlf, .NET's
Strings.fr.resx, Qt's app_fr.ts, Flutter's app_fr.arb."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError


def android_qualifier(language: str) -> str:
    """values-fr, values-pt-rBR, values-b+zh+Hans (Android resource qualifiers)."""
    parts = re.split(r"[-_]", language)
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and len(parts[1]) == 2:
        return f"{parts[0]}-r{parts[1].upper()}"
    return "b+" + "+".join(parts)


def android_path(source: Path, source_language: str, language: str) -> Path:
    folder = source.parent
    if not folder.name.startswith("values"):
        raise ConfigError(f"catalog {source}: an Android strings file lives in res/values/; "
                          "set output (e.g. --output 'res/values-{lang}/strings.xml')")
    # values, values-en, values-night-v21: the language goes right after "values"
    rest = folder.name[len("values"):]
    rest = re.sub(rf"^-{re.escape(android_qualifier(source_language))}(?=-|$)", "", rest)
    return folder.with_name(f"values-{android_qualifier(language)}{rest}") / source.name


def lproj_path(source: Path, source_language: str, language: str) -> Path:
    """en.lproj/Localizable.strings -> fr.lproj/...; Base.lproj too (Xcode's base language)."""
    folder = source.parent
    if folder.suffix != ".lproj":
        return source.with_name(f"{source.stem}.{language}{source.suffix}")
    return folder.with_name(f"{language}.lproj") / source.name


def properties_path(source: Path, source_language: str, language: str) -> Path:
    """messages.properties or messages_en.properties -> messages_fr.properties (Java's
    ResourceBundle names: language_COUNTRY with an underscore)."""
    java = language.replace("-", "_")
    stem = re.sub(rf"_{re.escape(source_language.replace('-', '_'))}$", "", source.stem)
    return source.with_name(f"{stem}_{java}{source.suffix}")


def dotted_path(source: Path, source_language: str, language: str) -> Path:
    """validators.en.xlf -> validators.fr.xlf (Symfony); messages.xlf -> messages.fr.xlf
    (Angular); Strings.resx or Strings.en.resx -> Strings.fr.resx (.NET satellite resources,
    named by culture: pt-BR)."""
    pattern = rf"\.{re.escape(source_language)}(\.[^.]+)$"
    if re.search(pattern, source.name):
        return source.with_name(re.sub(pattern, rf".{language}\1", source.name))
    return source.with_name(f"{source.stem}.{language}{source.suffix}")


def underscore_path(source: Path, own_language: str, language: str) -> Path:
    """retext_de.ts -> retext_fr.ts, pyzo_de_DE.tr -> pyzo_pt_BR.tr (a Qt .ts file holds one
    language, named in its stem; `own_language` is the file's own, from its TS element). The
    name's language is matched by the file's language alone, with or without a region or
    script on either side: app_en.ts whose file says en_US, and app_en_US.ts whose file says
    en, both give app_pl.ts."""
    qt = language.replace("-", "_")
    # The toolkit reports language="fr_FR" as fr-fr: any separator, any case.
    base = re.escape(re.split(r"[-_]", own_language)[0])
    pattern = re.compile(rf"_{base}(?:[-_][A-Za-z]{{4}})?(?:[-_](?:[A-Za-z]{{2}}|\d{{3}}))?$",
                         re.I)
    if own_language and pattern.search(source.stem):
        return source.with_name(pattern.sub(f"_{qt}", source.stem) + source.suffix)
    return source.with_name(f"{source.stem}_{qt}{source.suffix}")


def arb_path(source: Path, source_language: str, language: str) -> Path:
    """app_en.arb -> app_fr.arb, app_pt_BR.arb; en_US.arb -> fr.arb (Flutter's gen-l10n reads
    the locale at the end of the name, its parts joined by underscores)."""
    flutter = language.replace("-", "_")
    lang = re.escape(re.split(r"[-_]", source_language)[0])
    pattern = re.compile(rf"(^|_){lang}(?:_[A-Za-z]{{4}})?(?:_(?:[A-Za-z]{{2}}|\d{{3}}))?$", re.I)
    if pattern.search(source.stem):
        return source.with_name(pattern.sub(rf"\g<1>{flutter}", source.stem) + source.suffix)
    return source.with_name(f"{source.stem}_{flutter}{source.suffix}")


def yaml_path(source: Path, source_language: str, language: str) -> Path:
    """config/locales/en.yml -> fr.yml; devise.en.yml -> devise.fr.yml (Rails' names)."""
    name = source.name
    pattern = rf"(^|\.){re.escape(source_language)}(\.ya?ml)$"
    if re.search(pattern, name):
        return source.with_name(re.sub(pattern, rf"\g<1>{language}\2", name))
    return source.with_name(f"{source.stem}.{language}{source.suffix}")
