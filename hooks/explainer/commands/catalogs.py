"""`explainer catalogs`: extract the site's words from the templates and the Python that writes
them into locales/explainer.pot, and bring each language's catalog up to date with it (its
translations kept, new words left to translate). With `check`, change nothing and list what a
catalog lacks. `add` starts the catalog of a new language (Babel writes its plural rule).

The files are stable: a fixed header date, no line numbers, messages sorted, so that they
change only when the words do.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from explainer.site.catalogs import DOMAIN, LOCALES, TEMPLATE, catalog_path

PACKAGE = Path(__file__).resolve().parent.parent  # hooks/explainer
TEMPLATES = PACKAGE / "site" / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
# As site/render.py's environment reads the templates: a {% trans %} over lines is one message.
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trimmed": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
    "silent": "false",
}
STABLE_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
HEADER = "# The explainer's own words, for translators. Written by `explainer catalogs`: do not edit.\n"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalogs_command(check: bool = False, add: list[str] | None = None) -> int:
    template = extracted()
    pot = _text(template)
    if check:
        problems = [] if _read_text(TEMPLATE) == pot else [f"{TEMPLATE}: out of date: run `explainer catalogs`"]
        for path in po_files():
            problems += missing(template, _read(path), path)
        print("\n".join(problems) or "the catalogs are complete")
        return 1 if problems else 0
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    _write(TEMPLATE, pot)
    for code in add or []:
        path = catalog_path(code)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            locale = Locale.parse(code, sep="-")
            new = Catalog(locale, DOMAIN, HEADER, project="explainer", version="1", revision_date=STABLE_DATE)
            new.fuzzy = False
            _write(path, _text(new))
    for path in po_files():
        catalog = _read(path)
        catalog.update(template, update_creation_date=True)
        _write(path, _text(catalog))
        print(f"updated {path}")
    return 0


def extracted() -> Catalog:
    """A fresh .pot: the messages of every template and of every Python file of the package."""
    catalog = Catalog(
        project="explainer",
        version="1",
        domain=DOMAIN,
        header_comment=HEADER,
        creation_date=STABLE_DATE,
        revision_date=STABLE_DATE,
    )
    for location, message, comments, context in _messages():
        catalog.add(message, None, [(location, 0)], auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def missing(template: Catalog, catalog: Catalog, path: Path) -> list[str]:
    """What `catalog` (read from `path`) lacks of `template`: an entry, a translation (in each
    plural form), a reviewed one (fuzzy), or a placeholder of the English."""
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        msgid, expected = ids[0], set().union(*map(placeholders, ids))
        if found is None:
            problems.append(f"{path}: missing: {msgid!r}")
        elif found.fuzzy:
            problems.append(f"{path}: fuzzy: {msgid!r}")
        elif not all(_forms(found, catalog.num_plurals)):
            problems.append(f"{path}: untranslated: {msgid!r}")
        elif any(placeholders(form) != expected for form in _forms(found, catalog.num_plurals)):
            problems.append(f"{path}: placeholders differ from the English: {msgid!r}")
    return problems


def placeholders(text: str) -> set[str]:
    """The `%(name)s` of a message ("%(num)s" aside: a plural form may leave the number out)."""
    return set(PLACEHOLDER.findall(text)) - {"num"}


def _forms(message: Message, plurals: int) -> list[str]:
    if isinstance(message.string, (tuple, list)):
        return [*message.string, *[""] * (plurals - len(message.string))]
    return [message.string or ""]


def _messages() -> Iterator[tuple[str, str | tuple[str, ...], list[str], str | None]]:
    sources = [(path, "jinja2.ext:babel_extract", JINJA_OPTIONS) for path in sorted(TEMPLATES.glob("*.j2"))]
    sources += [(path, "python", {}) for path in sorted(PACKAGE.rglob("*.py"))]
    for path, method, options in sources:
        location = path.relative_to(PACKAGE).as_posix()
        for _line, message, comments, context in extract_from_file(
            method, path, keywords=KEYWORDS, comment_tags=("Translators:",), options=options, strip_comment_tags=True
        ):
            yield location, message, comments, context


def _text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def _read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=path.parent.parent.name, domain=DOMAIN)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _write(path: Path, text: str) -> None:
    if _read_text(path) != text:
        path.write_text(text, encoding="utf-8")
