"""The site's own words in each language: gettext catalogs, one `.po` per language beside the
`.pot` that `explainer catalogs` extracts from the templates and the Python that writes them.

The catalogs are read as `.po` and compiled in memory, so there is no `.mo` to forget to
rebuild. A language without a catalog gets the English of the templates.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "explainer"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
_TEMPLATES_OWN = gettext.NullTranslations()  # one object, so that what is made with it can be kept


def catalog_path(language: str) -> Path:
    """Where the catalog of `language` (a BCP 47 code, `pt-BR`) is: locales/pt_BR/LC_MESSAGES/explainer.po."""
    return LOCALES / str(Locale.parse(language, sep="-")) / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language`, ready for gettext; the templates' own English without one."""
    path = catalog_path(language)
    if not path.is_file():
        return _TEMPLATES_OWN
    return _compiled(path, language, path.stat().st_mtime_ns)


@cache  # a preview rebuilds often: a catalog is compiled again only when its file changes (its mtime)
def _compiled(path: Path, language: str, mtime_ns: int) -> gettext.NullTranslations:
    with path.open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
