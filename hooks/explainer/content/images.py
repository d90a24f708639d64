"""Checking one image file that an editor put in the story's media/ folder.

An editor names a file; this module says whether the site can use it, and if not, in one
message what is wrong and what to do. The type is judged by the file's content, never by its
name: a renamed GIF is still a GIF. Only JPEG, PNG and WebP pass. SVG is refused because it
can carry script, and any other format because the picture pipeline and every browser would
not all read it alike.

The file is decoded in full, so that a damaged or cut-short file fails here, with a message
for the editor, rather than later in the build. It is decoded only when its header's size is
within MAX_PIXELS: a few hundred bytes of PNG can claim billions of pixels, and asking Pillow
to decode that would take the build's memory and time.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from PIL import Image, UnidentifiedImageError

from explainer.content.fields import did_you_mean

MAX_PIXELS = 40_000_000
HERO_MIN_WIDTH = 1200
# Pillow's names; MPO is a JPEG with further pictures appended, which cameras write.
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
ALLOWED = "JPEG, PNG and WebP"
_RESAVE = "save it again as one of those (JPEG for a photo, PNG for a map or a chart)"

_ORIENTATION = 0x0112
_SIDEWAYS = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter: width and height swap
# ISO base media brands of formats Pillow does not read, so that the editor still learns the name.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


@dataclass(frozen=True)
class ImageFile:
    """An image that passed: where it is, what it is, and its size as readers see it."""

    path: Path  # resolved, inside media/
    format: str  # Pillow's name: JPEG, PNG or WEBP
    width: int  # after the EXIF orientation is applied
    height: int
    digest: str  # sha256 of the file's bytes, hex


def inspect_image(media: Path, file: str, *, hero: bool = False) -> ImageFile | str:
    """The facts of `file`, a path relative to `media`, or one message for the editor.

    `hero` asks for the width a story's lead image needs."""
    found = _locate(media, file)
    if isinstance(found, str):
        return found
    with found.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
        stream.seek(0)
        facts = _read(stream, file)
    if isinstance(facts, str):
        return facts
    format, width, height = facts
    if hero and width < HERO_MIN_WIDTH:
        return (
            f"image '{file}' is {width} pixels wide; the story's lead image must be at least {HERO_MIN_WIDTH}: "
            "use a larger version of it"
        )
    return ImageFile(found, format, width, height, digest)


def _locate(media: Path, file: str) -> Path | str:
    """The resolved file that `file` names inside `media`, or why there is none."""
    if not file.strip():
        return "image has no file name: give the name of a file in media/, e.g. 'kyiv-map.png'"
    if PurePath(file).is_absolute():
        return f"image '{file}' is a full path: write the file's name relative to media/, e.g. 'kyiv-map.png'"
    root = media.resolve()
    try:
        path = (root / file).resolve()
        is_file, is_dir = path.is_file(), path.is_dir()
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a name too long, a loop of links
        path, is_file, is_dir = root / file, False, False
    if not path.is_relative_to(root):
        if ".." in PurePath(file).parts:
            return f"image '{file}' leads outside media/: put the image in media/ and write its name relative to it"
        return f"image '{file}' is a link to a file outside media/: copy the image itself into media/"
    if is_dir:
        return f"image '{file}' is a folder: name the image file in it, e.g. '{file.rstrip('/')}/kyiv-map.png'"
    if not is_file:
        return f"image '{file}' is not in media/: put it there or correct the name{did_you_mean(file, _names(root))}"
    return path


def _names(root: Path) -> list[str]:
    """What the editor could have meant: every file in media/, as they would write it."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _read(stream: IO[bytes], file: str) -> tuple[str, int, int] | str:
    """The format, width and height of an image the site can use, or why it cannot."""
    refused = _refused_by_content(stream.read(4096), file)
    stream.seek(0)
    if refused:
        return refused
    # We check the size ourselves below, against a lower limit; Pillow's warning would only
    # repeat it, on the build's output.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(stream) as image:
                return _check_opened(image, file)
        except Image.DecompressionBombError:  # the header claims far more than Pillow will open
            return _too_big(file, None)
        except UnidentifiedImageError:
            stream.seek(0)
            return _unknown(stream.read(32), file)
        except Exception:  # noqa: BLE001 (see _check_opened: to an editor, any of them means damaged)
            return _damaged(file)


def _check_opened(image: Image.Image, file: str) -> tuple[str, int, int] | str:
    """Checks an image whose header Pillow has read: its format, its size, then every pixel."""
    format = FORMATS.get(image.format or "")
    if format is None:
        return f"image '{file}' is in {image.format} format; only {ALLOWED} are allowed: {_RESAVE}"
    width, height = image.size
    if width * height > MAX_PIXELS:
        return _too_big(file, (width, height))
    try:
        image.load()
        orientation = image.getexif().get(_ORIENTATION, 1)
    # Pillow's decoders report a broken file with many exception types (OSError, SyntaxError,
    # ValueError, EOFError, struct.error, zlib.error…); to an editor they all mean the same.
    except Exception:  # noqa: BLE001
        return _damaged(file)
    return (format, height, width) if orientation in _SIDEWAYS else (format, width, height)


def _refused_by_content(head: bytes, file: str) -> str | None:
    """SVG is text, so Pillow would only call it unidentified: recognise it first."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and b"<svg" in head.lower():
        return (
            f"image '{file}' is an SVG drawing, which can carry scripts: export it as PNG "
            "(at least 1600 pixels wide) and use that"
        )
    return None


def _unknown(head: bytes, file: str) -> str:
    """A file Pillow cannot read: name its format if it is one editors meet, else say it is no image."""
    brand = head[8:12] if head[4:8] == b"ftyp" else None
    name = "HEIC" if brand in _HEIF_BRANDS else "AVIF" if brand in _AVIF_BRANDS else None
    if head.startswith(b"%PDF-"):
        name = "PDF"
    if name:
        return f"image '{file}' is in {name} format; only {ALLOWED} are allowed: {_RESAVE}"
    return f"image '{file}' is not an image file: save the picture as JPEG, PNG or WebP and put that in media/"


def _too_big(file: str, size: tuple[int, int] | None) -> str:
    claimed = f" ({size[0]}×{size[1]})" if size else ""
    return (
        f"image '{file}' has more than {MAX_PIXELS // 1_000_000} megapixels{claimed}: scale it down "
        "(the site shows it at most 1600 pixels wide) and save it again"
    )


def _damaged(file: str) -> str:
    return f"image '{file}' is damaged or cut short and cannot be read: save or download it again from the original"
