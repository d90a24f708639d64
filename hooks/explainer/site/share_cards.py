"""Share cards: the 1200 × 630 picture a link preview shows of a page (its `og:image`).

A card shows the story's title, the page's headline (an incident's title, an actor's name,
a term, a statement's quote), a line under it (a statement's speaker and date), an incident's
status, the page's picture or the story's, the newsroom's name and the day the story was
last updated, all in the page's language. Everything on it is text drawn with the fonts in
`fonts/`, shaped by raqm, so that Arabic letters join and run right to left; nothing from
the content ever becomes markup.

Drawing is the slow part, so cards are kept in a cache folder under the digest of what they
show (`Card.digest`): a rebuild with nothing changed draws none.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import json
import multiprocessing
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from explainer.content.dates import PartialDate
from explainer.content.story import Entity, Story
from explainer.site import urls
from explainer.site.languages import Language
from explainer.site.pictures import Picture, write_atomically
from explainer.site.plan import STATUS_WORDS

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes: cards of an older version are then no longer found.
CARD_VERSION = 1
FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
# Fewer missing cards than this are drawn in this process: starting workers costs more.
POOL_FROM = 200

_MARGIN = 64
_PICTURE_WIDTH = 456  # the picture's strip, at the end of the line (the left in Arabic)
_BAND = 14  # a band of the newsroom's colour along the edge where lines start
_INK, _MUTED, _ACCENT, _PAPER = (28, 28, 30), (92, 92, 100), (31, 78, 121), (251, 250, 247)
_STATUS_INK = {"confirmed": (30, 110, 60), "reported": (150, 100, 0), "disputed": (170, 40, 40)}
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Card:
    """What one card shows, as plain text in its language, and the picture variant it is
    cropped from (see picture_sources), whose file name is made of its content's digest."""

    language: str  # BCP 47, for shaping: `ar`
    direction: str  # `ltr` or `rtl`
    kicker: str  # the story's title, above the headline (the newsroom's name on the front page)
    headline: str
    detail: str  # under the headline: a speaker and date, a role, a standfirst; or ""
    status: str  # e.g. "Disputed", or ""
    status_key: str  # `disputed`: its colour
    newsroom: str  # its name, or ""
    as_of: str  # "As of 2 December 2025", or ""
    picture: str | None  # path of the picture file

    @property
    def digest(self) -> str:
        """What the card shows, hashed: its cache name. The picture counts by its content."""
        picture = Path(self.picture).name if self.picture else None  # the path differs from one checkout to another
        shown = {**vars(self), "picture": picture, "version": CARD_VERSION}
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SharedCard:
    """A card as a page's head names it: its site-relative URL, size and a sentence describing it."""

    url: str
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


class MissingShaping(RuntimeError):
    """Pillow cannot shape text: Arabic would come out as unjoined letters, left to right."""


def require_shaping() -> None:
    if not features.check("raqm"):
        raise MissingShaping(
            "share cards need Pillow's raqm layout, to join Arabic letters and set them right to left, "
            "and it is not available: install FriBiDi and HarfBuzz (Debian: apt-get install libfribidi0 "
            "libharfbuzz0b), or turn the cards off with `extra.explainer.share_cards: false` in mkdocs.yml"
        )


def card_of(
    story: Story,
    entity: Entity,
    language: Language,
    words: gettext.NullTranslations,
    updated: PartialDate | None,
    pictures: Mapping[str, Path],
) -> Card:
    """The card of `entity`'s page (story.yml's: the front page) in `language`; `story` is the
    story in that language, `pictures` the file to draw each picture from, by its `file`."""
    about = story.about.fields
    newsroom = (about["newsroom"] or {}).get("name") or ""
    fields = entity.fields
    if entity.kind == "story":
        kicker, detail = newsroom, about["standfirst"]
    else:
        kicker, detail = about["title"], _detail(entity, language.code)
    status = fields.get("status") or ""
    as_of = words.gettext("As of %(date)s") % {"date": updated.label(language.code)} if updated else ""
    image = fields.get("image") or about["image"]
    picture = pictures.get(image["file"]) if image else None
    # As plain `str`: words a translation left out come as a subclass that carries their language.
    return Card(
        language=language.code,
        direction=language.direction,
        kicker=str(kicker),
        headline=str(_headline(story, entity, words)),
        detail=str(detail),
        status=_capitalized(words.gettext(STATUS_WORDS[status])) if status else "",
        status_key=status,
        newsroom=str(newsroom),
        as_of=as_of,
        picture=str(picture) if picture else None,
    )


def alt_of(card: Card, words: gettext.NullTranslations) -> str:
    """A sentence saying what the card shows, for `og:image:alt`."""
    if not card.kicker:
        return card.headline
    return words.gettext("%(headline)s — %(story)s") % {"headline": card.headline, "story": card.kicker}


def _headline(story: Story, entity: Entity, words: gettext.NullTranslations) -> str:
    """What the card is about in a line: a statement's words (else its gist), else the entity's name."""
    if entity.kind != "statements":
        return entity.name
    fields = entity.fields
    if fields["quote"]:
        # Quotation marks are the language's: «…» in Russian; the catalog knows them.
        return words.gettext("“%(quote)s”") % {"quote": fields["quote"]}
    return story.plain_text(fields["summary"]) or fields["stance"] or entity.name


def _detail(entity: Entity, language: str) -> str:
    fields = entity.fields
    if entity.kind == "statements":
        return entity.name  # "Anna Berg, 21 March 2024"
    if entity.kind == "incidents":
        return entity.dated.label(language)
    if entity.kind == "actors":
        return fields["role"] or ""
    if entity.kind == "sources":
        return fields["publisher"]
    return ""


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:]


class CardMaker:
    """The cards of one build, drawn into and reused from the cache folder `cache`.

    `drawn` counts the cards this maker drew; `files()` is what the build publishes."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.drawn = 0
        self._files: dict[str, Path] = {}
        self._missing: dict[Path, Card] = {}

    def publish(self, src_uri: str, card: Card) -> str:
        """The site-relative URL of the card of the page at `src_uri`; drawn by `draw_missing`."""
        cached = self.cache / f"{card.digest}.png"
        if not cached.is_file():
            self._missing[cached] = card
        url = urls.card_of(src_uri)
        self._files[url] = cached
        return url

    def draw_missing(self, workers: int = 1) -> None:
        """Draws the cards the cache lacks; with `workers` > 1, a story's many in as many processes."""
        missing = list(self._missing.items())
        if workers > 1 and len(missing) >= POOL_FROM:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for _ in pool.imap_unordered(_draw_into, missing, chunksize=16):
                    pass
        else:
            for each in missing:
                _draw_into(each)
        self.drawn += len(missing)
        self._missing.clear()

    def files(self) -> dict[str, Path]:
        """Site-relative path → cached file, for every card of this build."""
        return dict(self._files)


def _draw_into(item: tuple[Path, Card]) -> None:
    path, card = item
    write_atomically(path, draw(card))


def draw(card: Card) -> bytes:
    """The card as a PNG file."""
    require_shaping()
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    rtl = card.direction == "rtl"
    # The column of text, from the band at the edge where lines start to the picture at the other.
    start, end = _BAND + _MARGIN, WIDTH - (_PICTURE_WIDTH if card.picture else 0) - _MARGIN
    text_left, text_right = (WIDTH - end, WIDTH - start) if rtl else (start, end)
    if card.picture:
        with Image.open(card.picture) as opened:
            strip = ImageOps.fit(opened.convert("RGB"), (_PICTURE_WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        image.paste(strip, (0 if rtl else WIDTH - _PICTURE_WIDTH, 0))
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((WIDTH - _BAND, 0, WIDTH, HEIGHT) if rtl else (0, 0, _BAND, HEIGHT), fill=_ACCENT)
    writer = _Writer(drawing, card, text_left, text_right)
    # The foot first, each part on a line of its own: a newsroom's name in another script
    # than the date's cannot then shuffle the two.
    footer_top = HEIGHT - _MARGIN - 56
    writer.block(card.newsroom, _font(BOLD, 24), 30, 1, _MUTED, footer_top, bottom=HEIGHT)
    writer.block(card.as_of, _font(REGULAR, 24), 30, 1, _MUTED, writer.y, bottom=HEIGHT)
    writer.y = _MARGIN - 8
    writer.block(card.kicker, _font(BOLD, 28), 36, 2, _ACCENT, writer.y, bottom=footer_top)
    writer.y += 20
    if card.status:
        writer.block(card.status.upper(), _font(BOLD, 24), 34, 1, _STATUS_INK[card.status_key], writer.y, footer_top)
        writer.y += 6
    writer.block(card.headline, _font(BOLD, 50), 62, 4, _INK, writer.y, bottom=footer_top - 56)
    writer.y += 14
    writer.block(card.detail, _font(REGULAR, 28), 38, 3, _MUTED, writer.y, bottom=footer_top - 12)
    output = io.BytesIO()
    # 256 colours: a third of the bytes of full colour, which a build copies for every page,
    # and faster to compress; text on flat colours loses nothing a preview shows.
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(output, "PNG", compress_level=6)
    return output.getvalue()


class _Writer:
    """Writes blocks of wrapped lines down a column, from the side where the language starts."""

    def __init__(self, drawing: ImageDraw.ImageDraw, card: Card, left: int, right: int):
        self.drawing, self.card = drawing, card
        self.left, self.right = left, right
        self.y = 0

    def block(
        self, text: str, font: ImageFont.FreeTypeFont, line_height: int, most: int, ink: Colour, top: int, bottom: int
    ) -> None:
        """`text` wrapped to the column in at most `most` lines, none below `bottom`."""
        room = max(0, (bottom - top) // line_height)
        lines = wrap(drawable(text), font, self.right - self.left, min(most, room), self.card.direction)
        card = self.card
        x = self.right if card.direction == "rtl" else self.left
        for index, line in enumerate(lines):
            draw_line(self.drawing, (x, top + index * line_height), line, font, ink, card.direction, card.language)
        self.y = top + len(lines) * line_height


def draw_line(
    drawing: ImageDraw.ImageDraw,
    start: tuple[int, int],
    line: str,
    font: ImageFont.FreeTypeFont,
    ink: Colour,
    direction: str,
    language: str,
) -> None:
    """One line of text from `start`, its top where the line begins: the left in a language
    written left to right, the right in one written right to left. raqm shapes it: it joins
    Arabic letters, and sets runs of each direction the way they read."""
    anchor = "ra" if direction == "rtl" else "la"
    drawing.text(start, line, font=font, fill=ink, anchor=anchor, direction=direction, language=language.split("-")[0])


# Characters of a text to wrap: more than the lines of any card hold, and few enough that
# measuring them is quick (Pillow refuses to measure a million).
_LONGEST_WRAPPED = 1_000


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int, direction: str = "ltr") -> list[str]:
    """`text` in lines no wider than `width`, at most `most` of them; the last ends with an
    ellipsis when the text goes on. A word wider than the line is cut where it must be."""
    if most <= 0 or not text:
        return []

    def fits(line: str) -> bool:
        return font.getlength(line, direction=direction) <= width

    cut_short = len(text) > _LONGEST_WRAPPED
    lines: list[str] = []
    words = text[:_LONGEST_WRAPPED].split(" ")
    while words and len(lines) < most:
        line = words.pop(0)
        if not fits(line):  # a single word too long for the line: the longest start of it that fits
            shortest, longest = 1, len(line) - 1
            while shortest < longest:
                middle = (shortest + longest + 1) // 2
                shortest, longest = (middle, longest) if fits(line[:middle]) else (shortest, middle - 1)
            words.insert(0, line[shortest:])
            line = line[:shortest]
        while words and fits(f"{line} {words[0]}"):
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words or cut_short:
        lines[-1] = _cut(lines[-1], fits)
    return lines


def _cut(line: str, fits: Callable[[str], bool]) -> str:
    """`line` ending in an ellipsis that fits: whole words dropped from its end, or letters from a single word."""
    while True:
        shortened = line.rstrip(" ,;:.—–-") + _ELLIPSIS
        if fits(shortened) or not line:
            return shortened
        line = line.rpartition(" ")[0] if " " in line else line[:-1]


def drawable(text: str) -> str:
    """`text` on one line: white space folded, and control and format characters (zero-width
    spaces, bidi overrides) left out, so that nothing hidden can reorder or hide what is drawn."""
    shown = "".join(" " if character.isspace() else character for character in text)
    shown = "".join(character for character in shown if unicodedata.category(character) not in ("Cc", "Cf"))
    return " ".join(shown.split())


@functools.cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def picture_sources(pictures: Mapping[str, Picture], files: Mapping[str, Path]) -> dict[str, Path]:
    """The file to crop each picture from: its narrowest variant tall and wide enough for the
    card's strip, else its largest; `files` are the variants' cached files, by URL."""
    chosen = {}
    for file, picture in pictures.items():
        fitting = [variant for variant in picture.fallback if variant.width >= 2 * _PICTURE_WIDTH]
        chosen[file] = files[(fitting[0] if fitting else picture.src).url]
    return chosen


def cards_of(
    pages: Iterable[tuple[str, Story, Entity, Language]],
    words: Mapping[str, gettext.NullTranslations],
    updated: PartialDate | None,
    pictures: Mapping[str, Path],
    maker: CardMaker,
) -> dict[str, SharedCard]:
    """The card of each (src_uri, story in the page's language, entity, language) page, by src_uri."""
    shared = {}
    for src_uri, story, entity, language in pages:
        card = card_of(story, entity, language, words[language.code], updated, pictures)
        shared[src_uri] = SharedCard(maker.publish(src_uri, card), alt_of(card, words[language.code]))
    return shared


Colour = tuple[int, int, int]
