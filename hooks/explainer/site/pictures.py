"""Responsive versions of the story's images, made once and kept by content.

Each image checked by explainer.content.images becomes a few widths, each as WebP and as a
fallback in the original's kind (JPEG stays JPEG, PNG stays PNG), for `<picture>` and
`srcset` (templates/pictures.md.j2 writes the markup). Before encoding, the picture is
turned upright as its EXIF orientation says, its colours are converted to sRGB from the ICC
profile it carries, and everything but the pixels is left behind: a photo's EXIF tells where
it was taken and with which camera, which a newsroom must not publish by accident.

Encoding is the slow part of a build, so the results are kept in a cache folder under names
made of the source's digest, the width, the format and PIPELINE_VERSION, and a rebuild with
unchanged images encodes nothing and does not even read them. The same input gives the same
bytes on every run: nothing written depends on the time or the machine's state, only on the
pixels and the pinned Pillow (with the codecs its wheels bundle).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps

from explainer.content.images import ImageFile

WIDTHS = (480, 800, 1200, 1600)
# Bump when anything below changes what is encoded: cached files of an older version are
# then no longer found, and every image is encoded again.
PIPELINE_VERSION = 1
# Material's content column is never wider than about 830 px once both sidebars show (at the
# largest root font size it uses); below that, an image is at most about as wide as the screen.
SIZES = "(min-width: 76.25em) 830px, 100vw"

MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSION = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
# Settings for each output; `exif`, `icc_profile`, `xmp` and `comment` are stated empty so
# that nothing Pillow carries over from a source can be written.
_NOTHING: dict[str, Any] = {"exif": b"", "icc_profile": None, "xmp": b"", "comment": b""}
_JPEG: dict[str, Any] = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
_PNG: dict[str, Any] = {"optimize": True}
_WEBP_LOSSY: dict[str, Any] = {"quality": 80, "method": 6}
# Lossless WebP where the fallback is PNG: maps and charts keep their sharp edges and text.
_WEBP_LOSSLESS: dict[str, Any] = {"lossless": True, "quality": 80, "method": 4, "exact": False}

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Relative colorimetric with black point compensation, as browsers and editing programs
# convert for a screen: colours inside sRGB stay as they are, shadows keep their detail.
_INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
_FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION
# A profile's colour space, as ICC names it, for each mode the image can be in when converted.
_PROFILE_SPACES = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}


@dataclass(frozen=True)
class Variant:
    """One encoded file: its site-relative URL and its size in pixels."""

    url: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Picture:
    """Every variant of one image, narrowest first; width and height are those of `src`."""

    width: int
    height: int
    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]

    @property
    def src(self) -> Variant:
        """The `<img src>` for browsers without srcset: the largest fallback."""
        return self.fallback[-1]


class PictureMaker:
    """Makes the pictures of one build, from and into the cache folder `cache`.

    `encoded` counts the files this maker encoded; `files()` is what the build publishes."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.encoded = 0
        self._files: dict[str, Path] = {}
        self._pictures: dict[tuple[str, str], Picture] = {}

    def picture(self, image: ImageFile) -> Picture:
        """The variants of `image`, encoded now unless the cache has all of them.

        Raises ValueError if the file changed since it was checked: its new content is unchecked."""
        key = (image.digest, image.path.stem)
        if key not in self._pictures:
            fallback = self._cached_fallback(image) or self._encode(image)
            self._pictures[key] = self._publish(image, fallback)
        return self._pictures[key]

    def files(self) -> dict[str, Path]:
        """Site-relative path → cached file, for every variant made or reused in this build."""
        return dict(self._files)

    def _manifest(self, digest: str) -> Path:
        return self.cache / f"{digest}-v{PIPELINE_VERSION}.json"

    def _cached(self, digest: str, width: int, format: str) -> Path:
        return self.cache / f"{digest}-{width}-v{PIPELINE_VERSION}.{EXTENSION[format]}"

    def _cached_fallback(self, image: ImageFile) -> str | None:
        """The fallback format the cache holds `image` in, if it holds every variant."""
        try:
            fallback = json.loads(self._manifest(image.digest).read_text(encoding="utf-8"))["fallback"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if fallback not in ("JPEG", "PNG"):
            return None
        for width, _ in variant_sizes(image.width, image.height):
            for format in ("WEBP", fallback):
                if not self._cached(image.digest, width, format).is_file():
                    return None
        return fallback

    def _encode(self, image: ImageFile) -> str:
        """Encodes every variant of `image` into the cache; returns the fallback format used.

        The manifest is written last: while it exists, so does every file it stands for."""
        pixels = clean_pixels(_decoded(image))
        fallback = fallback_format(image.format, pixels)
        for width, height in variant_sizes(image.width, image.height):
            resized = pixels if (width, height) == pixels.size else _resized(pixels, width, height)
            for format in ("WEBP", fallback):
                encoded = encode(resized, format, lossless=fallback == "PNG")
                write_atomically(self._cached(image.digest, width, format), encoded)
                self.encoded += 1
        write_atomically(self._manifest(image.digest), json.dumps({"fallback": fallback}).encode())
        return fallback

    def _publish(self, image: ImageFile, fallback: str) -> Picture:
        """The Picture of `image` from files the cache holds, and those files noted for publishing."""
        name = f"media/{slug(image.path.stem)}-{image.digest[:10]}"
        variants: dict[str, list[Variant]] = {"WEBP": [], fallback: []}
        for width, height in variant_sizes(image.width, image.height):
            for format, found in variants.items():
                url = f"{name}-{width}.{EXTENSION[format]}"
                self._files[url] = self._cached(image.digest, width, format)
                found.append(Variant(url, width, height, MIME[format]))
        largest = variants[fallback][-1]
        return Picture(largest.width, largest.height, tuple(variants["WEBP"]), tuple(variants[fallback]))


def variant_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes to make of a picture `width` × `height`, narrowest first, none wider than it.

    The original's own width is added when it is narrower than the widest, so that screens
    that could use more still get every pixel there is."""
    widths = [candidate for candidate in WIDTHS if candidate <= width]
    if width < WIDTHS[-1] and width not in widths:
        widths.append(width)
    return [(each, max(1, round(height * each / width))) for each in widths]


def _resized(pixels: Image.Image, width: int, height: int) -> Image.Image:
    # reducing_gap: shrink by a whole factor first, which is many times faster for a large
    # photo and looks the same.
    return pixels.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def slug(stem: str) -> str:
    """A file name's stem as it can stand in a URL and a srcset, where spaces and commas part entries."""
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "image"


def fallback_format(source: str, pixels: Image.Image) -> str:
    """JPEG stays JPEG and PNG stays PNG; a WebP falls back to PNG only if it is see-through."""
    if source == "WEBP":
        return "PNG" if pixels.mode == "RGBA" else "JPEG"
    return source


def _decoded(image: ImageFile) -> Image.Image:
    """The image's pixels, from exactly the bytes that were checked."""
    data = image.path.read_bytes()
    if hashlib.sha256(data).hexdigest() != image.digest:
        raise ValueError(f"image {image.path} changed since it was checked: build again")
    with warnings.catch_warnings():
        # Checked already to be under explainer.content.images.MAX_PIXELS.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"]) as opened:
            upright = ImageOps.exif_transpose(opened)
    if upright.size != (image.width, image.height):
        raise ValueError(f"image {image.path} is not the size it was checked at: build again")
    return upright


def clean_pixels(image: Image.Image) -> Image.Image:
    """`image` as 8-bit sRGB, RGB or RGBA (alpha only if some pixel is see-through), and nothing else.

    The result's `info` is empty: Pillow's writers read EXIF, ICC, XMP and comments from it."""
    icc = image.info.get("icc_profile")
    image = _to_srgb(_eight_bit(image), icc)
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")
    image.info = {}
    return image


def _eight_bit(image: Image.Image) -> Image.Image:
    """One of L, LA, RGB, RGBA or CMYK at 8 bits a channel, the modes a profile can be applied to.

    A PNG's transparent colour (its tRNS chunk, kept in `info`) becomes an alpha channel here."""
    transparent = "transparency" in image.info
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit grey, as PNG stores it: scaled, since a plain conversion would clip at 255.
        # Its transparent grey, a 16-bit value, matches nothing once scaled: it is dropped.
        image = image.convert("I").point(lambda value: value / 257).convert("L")
        transparent = False
    if image.mode in ("L", "1"):
        return image.convert("LA") if transparent else image.convert("L")
    if image.mode in ("LA", "La"):
        return image.convert("LA")
    if image.mode in ("RGB", "CMYK") and not transparent:
        return image
    has_alpha = transparent or image.mode in ("RGBA", "RGBa", "PA")
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA in sRGB: through the image's ICC profile when it has one that fits its mode.

    An unreadable profile, or one for another colour space, is passed over, as browsers do."""
    base, alpha = image, None
    if image.mode in ("LA", "RGBA"):  # profiles describe colour only: the alpha channel goes round them
        base, alpha = image.convert(image.mode[:-1]), image.getchannel("A")
    converted = _through_profile(base, icc) if icc else None
    if converted is None:
        converted = base.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _through_profile(image: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != _PROFILE_SPACES.get(image.mode):
            return None
        transform = ImageCms.buildTransform(profile, _SRGB, image.mode, "RGB", _INTENT, _FLAGS)
        return ImageCms.applyTransform(image, transform)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def encode(image: Image.Image, format: str, *, lossless: bool = False) -> bytes:
    """`image` (RGB or RGBA, empty `info`) as a file of `format`, with no metadata at all."""
    settings = {"JPEG": _JPEG, "PNG": _PNG, "WEBP": _WEBP_LOSSLESS if lossless else _WEBP_LOSSY}[format]
    if format == "JPEG" and image.mode == "RGBA":  # never happens by fallback_format; JPEG has no alpha
        raise ValueError("a JPEG cannot keep transparency")
    output = io.BytesIO()
    image.save(output, format, **_NOTHING, **settings)
    return output.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `path` whole or not at all, so that a build stopped midway, or another one
    writing the same file, never leaves half a file that would later pass for a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would follow the file into the published site
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
