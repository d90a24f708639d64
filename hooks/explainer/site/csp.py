"""The content security policy each page carries in a `<meta>` tag (GitHub Pages sends no headers).

Everything loads from the site itself, and no inline script runs but the theme's own, each
allowed by the sha256 hash of its text. The hashes are taken from the built page with what
its author wrote cut out (its content, and front matter the theme prints unescaped in
`<title>` and `<meta>`), so a `<script>` in a page is never allowed, whoever wrote it.
`site_src/overrides/main.html` puts the tag first in `<head>` with a policy that allows no
inline script at all: a page the build did not fill in stays safe, it just loses the
theme's small scripts.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')

# The other directives, each only as open as the theme needs; fonts, styles, workers and
# fetches fall back to `default-src 'self'`.
DIRECTIVES = {
    "img-src": "'self' data:",  # the theme draws its icons from SVG data: URLs in its CSS
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
# `type` values that make a browser run a script; any other (`application/json`) is data.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def with_policy(html: str, content: str = "", front_matter: Mapping[str, Any] | None = None) -> str:
    """`html` with the policy for the inline scripts the theme wrote into it, in place of the
    placeholder tag: `content` (the page's Markdown, as HTML) and the `front_matter` texts
    that could hold a tag do not count. Raises ValueError without the tag."""
    if META.search(html) is None:
        raise ValueError(
            'no <meta http-equiv="Content-Security-Policy"> in the page: is site_src/overrides/main.html '
            "the theme's main.html?"
        )
    theme = html
    if content:
        before, found, after = html.partition(content)
        if not found:  # something rewrote the page: its content's scripts cannot be told apart
            raise ValueError("the page's content is not in its HTML: the policy cannot leave its scripts out")
        theme = before + after
    for text in _texts(front_matter or {}):
        if "<" in text:  # without a `<` a value cannot start a script
            theme = theme.replace(text, "")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(inline_scripts(theme))}">'
    return META.sub(lambda _: tag, html, count=1)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def without_policy(html: str) -> str:
    """`html` without the tag: `mkdocs serve` injects an inline live-reload script of its own."""
    return META.sub("", html, count=1)


def policy(scripts: list[str]) -> str:
    hashes = sorted({f"'sha256-{script_hash(script)}'" for script in scripts})
    directives = {"default-src": "'self'", "script-src": " ".join(["'self'", *hashes]), **DIRECTIVES}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in `html` that a browser would run."""
    scripts = []
    for attributes, text in _SCRIPT.findall(html):
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) is None and (kind[1].lower() if kind else "") in _SCRIPT_TYPES:
            scripts.append(text)
    return scripts


def script_hash(text: str) -> str:
    """The base64 sha256 of a script as the browser hashes it: after HTML turned its line
    breaks into `\\n`."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return base64.b64encode(hashlib.sha256(normalized.encode("utf-8")).digest()).decode("ascii")
