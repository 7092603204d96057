"""Every message is translated into Chinese, and the pages speak Chinese unless asked otherwise.

The messages are extracted from the sources when the test runs (with ``babel.cfg``, as
``pybabel extract`` does), so a new English string without a Chinese translation fails the build
instead of showing up in English on a Chinese page.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "platform" / "spotcheck"
CATALOGS = SOURCES / "translations"


def extracted() -> Catalog:
    """The messages in the sources now, found as ``pybabel extract -F babel.cfg`` finds them."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
            SOURCES, method_map, options_map):
        catalog.add(message, locations=[(filename, lineno)], context=context)
    return catalog


def chinese() -> Catalog:
    with (CATALOGS / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def untranslated(sources: Catalog, translations: Catalog) -> list[str]:
    """Each message of ``sources`` that ``translations`` lacks, leaves empty, or marks fuzzy."""
    problems = []
    for message in sources:
        if not message.id:
            continue
        where = ", ".join(f"{file}:{line}" for file, line in message.locations)
        found = translations.get(message.id, context=message.context)
        strings = (found.string,) if found and isinstance(found.string, str) else \
            tuple(found.string) if found else ()
        if found is None:
            problems.append(f"missing: {message.id!r} ({where})")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r} ({where})")
        elif not all(strings):
            problems.append(f"empty: {message.id!r} ({where})")
    return problems


def test_the_sources_have_messages_to_translate():
    ids = {message.id for message in extracted()}
    # One from Python (lazy_gettext, named in babel.cfg), one from a template, one plural.
    assert "System administrator" in ids
    assert "Joint Double Random, One Public Spot Check Platform" in ids
    assert ("%(num)d record", "%(num)d records") in ids


def test_every_message_has_a_chinese_translation():
    problems = untranslated(extracted(), chinese())
    assert problems == [], (
        "translate these in platform/spotcheck/translations/zh/LC_MESSAGES/messages.po "
        "(platform/spotcheck/translations/README.md says how):\n" + "\n".join(problems))


def test_the_check_finds_a_message_without_translation():
    sources = Catalog()
    sources.add("A message nobody translated", locations=[("new.py", 1)])
    sources.add("System administrator", locations=[("roles.py", 1)])
    assert untranslated(sources, chinese()) == ["missing: 'A message nobody translated' (new.py:1)"]


def test_chinese_translations_keep_the_placeholders():
    problems = [f"{message.id!r}: {error}" for message, errors in chinese().check()
                for error in errors]
    assert problems == []


def test_sign_in_page_is_chinese_by_default(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "双随机一公开联合抽查平台" in page
    assert "登录" in page
    assert "Sign in" not in page


def test_sign_in_page_is_english_with_the_lang_cookie(client):
    client.set_cookie("lang", "en")
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Joint Double Random, One Public Spot Check Platform" in page
    assert "Sign in" in page
    assert "登录" not in page


def test_an_unknown_lang_cookie_falls_back_to_chinese(client):
    client.set_cookie("lang", "fr")
    assert '<html lang="zh-CN">' in client.get("/sign-in").get_data(as_text=True)
