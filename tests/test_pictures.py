"""The story's images: checking a file an editor names (explainer.content.images), making its
responsive variants (explainer.site.pictures) and writing their markup (pictures.md.j2).

Every image here is a real file made with Pillow, most of them carrying what a newsroom must
not publish by accident: a camera's EXIF with GPS and serial number, XMP, IPTC, comments, PNG
text chunks and ICC profiles. Each output file is opened and read back, by Pillow and by
walking its container's own structure, never by asking the code under test.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import itertools
import re
import struct
import subprocess
import sys
import textwrap
import time
import warnings
import zlib
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from markupsafe import Markup
from PIL import ExifTags, Image, ImageCms, ImageDraw, IptcImagePlugin, PngImagePlugin
from PIL import ImageFile as PillowImageFile

from conftest import ROOT
from explainer.content.images import HERO_MIN_WIDTH, MAX_PIXELS, ImageFile, inspect_image
from explainer.site import pictures
from explainer.site.languages import Language
from explainer.site.pictures import SIZES, Picture, PictureMaker, variant_sizes
from explainer.site.render import jinja_environment

TEMPLATES = ROOT / "hooks" / "explainer" / "site" / "templates"
STYLESHEET = ROOT / "site_src" / "assets" / "pictures.css"

SERIAL = "SN-4471-KYIV-0092"
PHOTOGRAPHER = "Jane Photographer"
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
    f' xmp:CreatorTool="Camera firmware 1.2" exif:GPSLatitude="50,27.02N" exif:BodySerialNumber="{SERIAL}"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
# Text that only the sources carry; none of it may be in any output file.
SECRETS = (
    SERIAL.encode(),
    PHOTOGRAPHER.encode(),
    XMP_NAMESPACE,
    b"Photoshop 3.0",
    b"Exif\x00\x00",
    b"ICC_PROFILE",
    b"Camera firmware",
)
RED, BLUE = (255, 0, 0), (0, 0, 255)
PILLOW_LIMIT = Image.MAX_IMAGE_PIXELS  # as Pillow has it before any test runs


# ---------------------------------------------------------------------------------------------
# Making the images


def scene(width: int, height: int, background: tuple[int, int, int] = (40, 90, 160)) -> Image.Image:
    """A picture with something in it: a gradient, shapes, and a red block in the top-left
    corner of the stored pixels, by which a test can tell how the picture was turned."""
    image = Image.new("RGB", (width, height), background)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (gradient, image.getchannel("G"), image.getchannel("B")))
    draw = ImageDraw.Draw(image)
    corner = min(width, height) // 8
    draw.rectangle((0, 0, corner, corner), fill=RED)
    draw.ellipse((width // 3, height // 3, width // 2, height // 2), fill=(250, 220, 40))
    return image


def camera_exif(orientation: int) -> Image.Exif:
    """EXIF as a phone or camera writes it: where, when and with which camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS R5"
    exif[ExifTags.Base.DateTime] = "2025:03:04 05:06:07"
    exif[ExifTags.Base.Artist] = PHOTOGRAPHER
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 27.0, 1.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 31.0, 2.5)
    gps[ExifTags.GPS.GPSProcessingMethod] = b"ASCII\x00\x00\x00GPS"
    return exif


def iptc_segment() -> bytes:
    """A JPEG APP13 segment with an IPTC record (by-line, caption, copyright), as agencies send."""
    datasets = ((0x50, PHOTOGRAPHER.encode()), (0x78, b"Embassy after the strike"), (0x74, b"Agency 2025"))
    record = b"".join(b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(value)) + value for tag, value in datasets)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record + bytes(len(record) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def camera_jpeg(path: Path, width: int = 2000, height: int = 1200, orientation: int = 6) -> Path:
    """A JPEG with everything: EXIF with GPS and serial, XMP, IPTC and a comment, stored turned."""
    scene(width, height).save(
        path,
        "JPEG",
        quality=90,
        exif=camera_exif(orientation),
        xmp=XMP.encode(),
        extra=iptc_segment(),
        comment=f"Shot by {PHOTOGRAPHER}".encode(),
    )
    return path


def text_png(path: Path, width: int = 1000, height: int = 700) -> Path:
    """A PNG with tEXt, zTXt and iTXt chunks, an XMP packet, eXIf, pHYs and tIME, and see-through parts."""
    image = scene(width, height).convert("RGBA")
    ImageDraw.Draw(image).rectangle((width - 200, height - 200, width - 1, height - 1), fill=(0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", PHOTOGRAPHER)
    info.add_text("Comment", "internal note: do not publish " * 4, zip=True)
    info.add_itxt("Description", "Kyiv, the embassy", lang="en", tkey="Beschreibung")
    info.add_itxt("XML:com.adobe.xmp", XMP)
    info.add(b"tIME", struct.pack(">HBBBBB", 2025, 3, 4, 5, 6, 7))
    image.save(path, "PNG", pnginfo=info, exif=camera_exif(1), dpi=(300, 300))
    return path


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _desc(text: str) -> bytes:
    ascii_text = text.encode() + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text + bytes(4 + 4 + 2 + 1 + 67)


D50 = (0.9642, 1.0, 0.8249)
# sRGB's primaries as ICC states them (adapted to D50).
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def icc_profile(device_class: bytes, space: bytes, pcs: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    """An ICC version 2 profile: the 128-byte header, the tag table, then each tag's data."""
    start = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", start + len(data))
        + bytes(4)
        + struct.pack(">I", 0x02100000)  # size, CMM, version 2.1
        + device_class
        + space
        + pcs
        + struct.pack(">6H", 2025, 1, 1, 0, 0, 0)
        + b"acsp"
        + bytes(4 * 4 + 8)
        + bytes(4)  # platform, flags, maker, model, attributes; perceptual intent
        + b"".join(_s15(value) for value in D50)
        + bytes(4 + 44)
    )  # illuminant, creator, reserved
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def swapped_rgb_profile() -> bytes:
    """An RGB profile whose red is sRGB's green and whose green is sRGB's red: a pixel stored
    as pure red is green to anyone who reads the profile, and stays red to anyone who does not."""
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256))
    return icc_profile(
        b"mntr",
        b"RGB ",
        b"XYZ ",
        [
            (b"desc", _desc("Swapped primaries")),
            (b"cprt", b"text\0\0\0\0none\0"),
            (b"wtpt", _xyz(*D50)),
            (b"rXYZ", _xyz(*SRGB_GREEN)),
            (b"gXYZ", _xyz(*SRGB_RED)),
            (b"bXYZ", _xyz(*SRGB_BLUE)),
            (b"rTRC", curve),
            (b"gTRC", curve),
            (b"bTRC", curve),
        ],
    )


def swapped_cmyk_profile() -> bytes:
    """A printer profile whose cyan ink prints magenta and magenta cyan (an A2B0 lookup table,
    CMYK to Lab): converted through it, pure cyan shows magenta; converted naively, cyan."""
    srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")
    to_lab = ImageCms.buildTransform(srgb, lab, "RGB", "LAB")
    table = b""
    for cyan, magenta, yellow, black in itertools.product((0, 1), repeat=4):  # the first ink varies slowest
        printed = tuple(round(255 * (1 - ink) * (1 - black)) for ink in (magenta, cyan, yellow))
        lightness, a, b = ImageCms.applyTransform(Image.new("RGB", (1, 1), printed), to_lab).getpixel((0, 0))
        table += struct.pack(">3H", min(lightness * 256, 0xFF00), a * 256, b * 256)
    identity = b"".join(_s15(value) for value in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    lut = (
        b"mft2\0\0\0\0"
        + bytes([4, 3, 2, 0])
        + identity
        + struct.pack(">HH", 2, 2)
        + struct.pack(">2H", 0, 65535) * 4
        + table
        + struct.pack(">2H", 0, 65535) * 3
    )
    return icc_profile(
        b"prtr",
        b"CMYK",
        b"Lab ",
        [
            (b"desc", _desc("Swapped inks")),
            (b"cprt", b"text\0\0\0\0none\0"),
            (b"wtpt", _xyz(*D50)),
            (b"A2B0", lut),
        ],
    )


def halves(width: int, height: int, left: tuple[int, ...], right: tuple[int, ...], mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height), left)
    ImageDraw.Draw(image).rectangle((width // 2, 0, width - 1, height - 1), fill=right)
    return image


def see_through(width: int, height: int) -> Image.Image:
    """Transparent on the left, opaque red on the right."""
    return halves(width, height, (9, 9, 9, 0), (200, 9, 9, 255), mode="RGBA")


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A PNG of a few hundred bytes whose header claims `width` × `height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(bytes(4096))) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "story" / "media"
    folder.mkdir(parents=True)
    return folder


def checked(media: Path, file: str, **options: bool) -> ImageFile:
    found = inspect_image(media, file, **options)
    assert isinstance(found, ImageFile), found
    return found


# ---------------------------------------------------------------------------------------------
# Reading the output files: their containers' structure, walked here


def jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Every marker of a JPEG and its segment's bytes, the entropy-coded data skipped."""
    assert data[:2] == b"\xff\xd8"
    at = 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at {at}"
        marker = data[at + 1]
        if marker == 0xD9:
            return
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        yield marker, data[at + 4 : at + 2 + length]
        at += 2 + length
        if marker == 0xDA:
            while not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at = 8
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        yield data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        at += 12 + length


def webp_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    at = 12
    while at < len(data):
        length = struct.unpack("<I", data[at + 4 : at + 8])[0]
        yield data[at : at + 4], data[at + 8 : at + 8 + length]
        at += 8 + length + length % 2


def container(data: bytes) -> tuple[set, bytes]:
    """The kinds of segment or chunk a file has, and the bytes of all but its pixel data."""
    if data.startswith(b"\xff\xd8"):
        segments = list(jpeg_segments(data))
        return {marker for marker, _ in segments}, b"".join(body for marker, body in segments if marker != 0xDA)
    if data.startswith(b"\x89PNG"):
        chunks = list(png_chunks(data))
        return {kind for kind, _ in chunks}, b"".join(kind + body for kind, body in chunks if kind != b"IDAT")
    chunks = list(webp_chunks(data))
    return {kind for kind, _ in chunks}, b"".join(kind + body for kind, body in chunks if kind == b"VP8X")


# What a bare file of each kind has: the image's own structure, no metadata.
JPEG_MARKERS = {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA, 0xDD}  # JFIF APP0, tables, frame, scans
PNG_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND"}
WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
# Too short to look for in compressed pixels, where they could occur by chance: only in the headers.
HEADER_MARKERS = (
    b"GPS",
    b"Exif",
    b"xap",
    b"8BIM",
    b"iCCP",
    b"ICCP",
    b"EXIF",
    b"XMP",
    b"tEXt",
    b"zTXt",
    b"iTXt",
    b"tIME",
)
BARE_INFO = {
    "JPEG": {"jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression"},
    "PNG": set(),
    "WEBP": {"loop", "background"},
}  # the last two are Pillow's defaults, not the file's


def assert_bare(path: Path) -> None:
    """`path` holds pixels and nothing else: no EXIF, GPS, XMP, IPTC, ICC, text or comment."""
    data = path.read_bytes()
    with Image.open(path) as image:
        assert set(image.info) <= BARE_INFO[image.format], f"{path.name}: {set(image.info) - BARE_INFO[image.format]}"
        assert len(image.getexif()) == 0, path.name
        assert IptcImagePlugin.getiptcinfo(image) is None, path.name
    kinds, metadata = container(data)
    allowed = {"JPEG": JPEG_MARKERS, "PNG": PNG_CHUNKS, "WEBP": WEBP_CHUNKS}[image.format]
    assert kinds <= allowed, f"{path.name}: {kinds - allowed}"
    if image.format == "JPEG":
        assert dict(jpeg_segments(data))[0xE0].startswith(b"JFIF\0")
    if b"VP8X" in kinds:  # its flags say whether ICC, EXIF or XMP chunks follow
        assert dict(webp_chunks(data))[b"VP8X"][0] & 0b0010_1100 == 0, path.name
    for secret in SECRETS:
        assert secret not in data, f"{path.name} holds {secret!r}"
    for marker in HEADER_MARKERS:
        assert marker not in metadata, f"{path.name}'s headers hold {marker!r}"


# ---------------------------------------------------------------------------------------------
# The sources really carry what must be stripped (else the tests below would prove nothing)


def test_the_camera_jpeg_carries_exif_gps_serial_xmp_iptc_and_a_comment(media: Path) -> None:
    path = camera_jpeg(media / "photo.jpg")
    data = path.read_bytes()
    with Image.open(path) as image:
        exif = image.getexif()
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == SERIAL
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert XMP_NAMESPACE.decode() in image.info["xmp"].decode()
        assert IptcImagePlugin.getiptcinfo(image)[(2, 80)] == PHOTOGRAPHER.encode()
        assert PHOTOGRAPHER in image.info["comment"].decode()
    _, headers = container(data)
    assert all(secret in data for secret in (SERIAL.encode(), XMP_NAMESPACE, b"Photoshop 3.0", b"Exif\x00\x00"))
    assert b"GPS" in headers


def test_the_text_png_carries_text_chunks_xmp_and_exif(media: Path) -> None:
    kinds, _ = container(text_png(media / "chart.png").read_bytes())
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"pHYs"} <= kinds


def test_the_hand_made_profiles_change_colours_when_applied() -> None:
    srgb = ImageCms.createProfile("sRGB")
    rgb = ImageCms.ImageCmsProfile(io.BytesIO(swapped_rgb_profile()))
    cmyk = ImageCms.ImageCmsProfile(io.BytesIO(swapped_cmyk_profile()))
    red = ImageCms.applyTransform(Image.new("RGB", (1, 1), RED), ImageCms.buildTransform(rgb, srgb, "RGB", "RGB"))
    cyan_ink = Image.new("CMYK", (1, 1), (255, 0, 0, 0))
    cyan = ImageCms.applyTransform(cyan_ink, ImageCms.buildTransform(cmyk, srgb, "CMYK", "RGB"))
    assert red.getpixel((0, 0)) == (0, 255, 0)
    assert cyan.getpixel((0, 0)) == (255, 0, 255)


# ---------------------------------------------------------------------------------------------
# inspect_image: what passes


def test_a_good_image_gives_its_facts(media: Path) -> None:
    path = media / "map.png"
    scene(1300, 900).save(path)
    found = checked(media, "map.png", hero=True)
    assert found == ImageFile(path.resolve(), "PNG", 1300, 900, hashlib.sha256(path.read_bytes()).hexdigest())


def test_width_and_height_are_after_the_exif_orientation(media: Path) -> None:
    camera_jpeg(media / "photo.jpg", 2000, 1200, orientation=6)
    camera_jpeg(media / "upright.jpg", 2000, 1200, orientation=1)
    assert (checked(media, "photo.jpg").width, checked(media, "photo.jpg").height) == (1200, 2000)
    assert (checked(media, "upright.jpg").width, checked(media, "upright.jpg").height) == (2000, 1200)


def test_the_type_is_judged_by_content_not_by_name(media: Path) -> None:
    scene(600, 400).save(media / "looks-like.jpg", "PNG")
    scene(600, 400).save(media / "no-extension", "WEBP")
    assert checked(media, "looks-like.jpg").format == "PNG"
    assert checked(media, "no-extension").format == "WEBP"


def test_a_file_in_a_subfolder_or_behind_a_link_inside_media_passes(media: Path) -> None:
    (media / "maps").mkdir()
    scene(600, 400).save(media / "maps" / "kyiv.png")
    (media / "alias.png").symlink_to(media / "maps" / "kyiv.png")
    assert checked(media, "maps/kyiv.png").path == (media / "maps" / "kyiv.png").resolve()
    assert checked(media, "alias.png").path == (media / "maps" / "kyiv.png").resolve()


def test_the_lead_image_must_be_wide_enough_as_shown(media: Path) -> None:
    scene(HERO_MIN_WIDTH - 100, 800).save(media / "narrow.jpg")
    camera_jpeg(media / "turned.jpg", 2000, HERO_MIN_WIDTH - 100, orientation=6)  # wide as stored, narrow as shown
    for name in ("narrow.jpg", "turned.jpg"):
        assert inspect_image(media, name, hero=True) == (
            f"image '{name}' is 1100 pixels wide; the story's lead image must be at least 1200: "
            "use a larger version of it"
        )
    assert isinstance(inspect_image(media, "narrow.jpg"), ImageFile)


# ---------------------------------------------------------------------------------------------
# inspect_image: what does not, and what it says


def test_a_missing_file_suggests_the_nearest_name(media: Path) -> None:
    scene(600, 400).save(media / "kyiv.jpeg")
    assert inspect_image(media, "kyiv.jpg") == (
        "image 'kyiv.jpg' is not in media/: put it there or correct the name — did you mean 'kyiv.jpeg'?"
    )
    assert inspect_image(media, "nothing-like-it.webp") == (
        "image 'nothing-like-it.webp' is not in media/: put it there or correct the name"
    )


def test_a_folder_or_no_name_is_refused(media: Path) -> None:
    (media / "maps").mkdir()
    assert inspect_image(media, "maps") == (
        "image 'maps' is a folder: name the image file in it, e.g. 'maps/kyiv-map.png'"
    )
    assert inspect_image(media, " ") == "image has no file name: give the name of a file in media/, e.g. 'kyiv-map.png'"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A perfectly good image, outside media/: no name may lead to it."""
    path = tmp_path / "story" / "secret.png"
    scene(1300, 900).save(path)
    return path


def test_an_absolute_path_is_refused(media: Path, outside: Path) -> None:
    assert inspect_image(media, str(outside)) == (
        f"image '{outside}' is a full path: write the file's name relative to media/, e.g. 'kyiv-map.png'"
    )


@pytest.mark.parametrize("file", ["../secret.png", "maps/../../secret.png", "./../secret.png"])
def test_a_path_up_out_of_media_is_refused(media: Path, outside: Path, file: str) -> None:
    (media / "maps").mkdir()
    assert inspect_image(media, file) == (
        f"image '{file}' leads outside media/: put the image in media/ and write its name relative to it"
    )


def test_a_link_out_of_media_is_refused(media: Path, outside: Path) -> None:
    (media / "link.png").symlink_to(outside)
    (media / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    assert inspect_image(media, "link.png") == (
        "image 'link.png' is a link to a file outside media/: copy the image itself into media/"
    )
    assert inspect_image(media, "elsewhere/secret.png") == (
        "image 'elsewhere/secret.png' is a link to a file outside media/: copy the image itself into media/"
    )


RESAVE = "save it again as one of those (JPEG for a photo, PNG for a map or a chart)"


@pytest.mark.parametrize(
    ("name", "format", "shown"),
    [
        ("animation.gif", "GIF", "GIF"),
        ("scan.bmp", "BMP", "BMP"),
        ("scan.tiff", "TIFF", "TIFF"),
        ("icon.ico", "ICO", "ICO"),
        ("renamed-gif.png", "GIF", "GIF"),
    ],
)
def test_other_image_formats_are_refused_by_name(media: Path, name: str, format: str, shown: str) -> None:
    scene(64, 64).save(media / name, format)
    assert inspect_image(media, name) == (
        f"image '{name}' is in {shown} format; only JPEG, PNG and WebP are allowed: {RESAVE}"
    )


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64), "HEIC"),
        (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf" + bytes(64), "AVIF"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "PDF"),
    ],
)
def test_formats_pillow_cannot_read_are_still_named(media: Path, content: bytes, shown: str) -> None:
    (media / "photo.jpg").write_bytes(content)
    assert inspect_image(media, "photo.jpg") == (
        f"image 'photo.jpg' is in {shown} format; only JPEG, PNG and WebP are allowed: {RESAVE}"
    )


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>'
    '<rect width="10" height="10"/></svg>'
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("drawing.svg", SVG),
        ("drawing.png", SVG),
        ("prolog.svg", f'\ufeff  <?xml version="1.0"?>\n<!-- map -->\n{SVG}'),
    ],
)
def test_svg_is_refused_with_its_own_reason(media: Path, name: str, text: str) -> None:
    (media / name).write_text(text, encoding="utf-8")
    assert inspect_image(media, name) == (
        f"image '{name}' is an SVG drawing, which can carry scripts: "
        "export it as PNG (at least 1600 pixels wide) and use that"
    )


@pytest.mark.parametrize("content", [b"", b"Notes for the picture desk: use the second photo.", bytes(range(256)) * 8])
def test_a_file_that_is_no_image_is_refused(media: Path, content: bytes) -> None:
    (media / "photo.png").write_bytes(content)
    assert inspect_image(media, "photo.png") == (
        "image 'photo.png' is not an image file: save the picture as JPEG, PNG or WebP and put that in media/"
    )


def _truncated_jpeg(path: Path) -> None:
    scene(800, 600).save(path, "JPEG", quality=90)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) * 55 // 100])


def _truncated_png(path: Path) -> None:
    scene(800, 600).save(path, "PNG")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _bad_deflate_png(path: Path) -> None:
    """A PNG whose chunks are all well formed (right CRCs) but whose pixel data does not inflate."""
    scene(300, 200).save(path, "PNG")
    written = b"\x89PNG\r\n\x1a\n"
    for kind, body in png_chunks(path.read_bytes()):
        body = b"\xff\xff" + body[2:] if kind == b"IDAT" else body  # no valid zlib header
        written += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    path.write_bytes(written)


def _truncated_webp(path: Path) -> None:
    scene(300, 200).save(path, "WEBP")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) * 9 // 10])


@pytest.mark.parametrize(
    "damage", [_truncated_jpeg, _truncated_png, _bad_deflate_png, _truncated_webp], ids=lambda damage: damage.__name__
)
def test_a_damaged_or_cut_short_file_is_refused(media: Path, damage: Callable[[Path], None]) -> None:
    damage(media / "photo.img")
    assert inspect_image(media, "photo.img") == (
        "image 'photo.img' is damaged or cut short and cannot be read: save or download it again from the original"
    )


TOO_BIG = "scale it down (the site shows it at most 1600 pixels wide) and save it again"


@pytest.mark.parametrize(
    ("width", "height", "claimed"),
    [
        (50_000, 50_000, ""),  # far past Pillow's own limit: it refuses to open it
        (10_000, 10_000, " (10000×10000)"),  # past Pillow's warning
        (7_000, 6_000, " (7000×6000)"),  # past ours only
    ],
)
def test_a_bomb_is_refused_quickly_and_quietly(media: Path, width: int, height: int, claimed: str) -> None:
    png_claiming(media / "bomb.png", width, height)
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = inspect_image(media, "bomb.png")
    assert message == f"image 'bomb.png' has more than 40 megapixels{claimed}: {TOO_BIG}"
    assert time.perf_counter() - started < 1.0
    assert [str(warning.message) for warning in caught] == []
    assert (Image.MAX_IMAGE_PIXELS, warnings.filters) == (limit, filters)


def test_a_bomb_is_refused_without_a_large_allocation(tmp_path: Path) -> None:
    """In a fresh process, whose peak memory only this can raise: decoding the pixels this
    header claims would take hundreds of megabytes."""
    script = textwrap.dedent("""
        import resource, sys
        from pathlib import Path
        from explainer.content.images import inspect_image
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        message = inspect_image(Path(sys.argv[1]), "bomb.png")
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(grown, message)
    """)
    png_claiming(tmp_path / "bomb.png", 10_000, 10_000)
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    grown_kib, message = run.stdout.split(" ", 1)
    assert "has more than 40 megapixels" in message
    assert int(grown_kib) < 32 * 1024


def test_an_image_at_the_limit_is_decoded_in_full(media: Path) -> None:
    """It claims no more pixels than allowed but holds too few rows: only decoding it all finds out.
    Pillow's global settings are left as they were."""
    png_claiming(media / "under.png", 8000, MAX_PIXELS // 8000)
    truncated = PillowImageFile.LOAD_TRUNCATED_IMAGES
    assert inspect_image(media, "under.png").startswith("image 'under.png' is damaged")
    assert (Image.MAX_IMAGE_PIXELS, PillowImageFile.LOAD_TRUNCATED_IMAGES) == (PILLOW_LIMIT, truncated)


# ---------------------------------------------------------------------------------------------
# The variants


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((2400, 1600), [(480, 320), (800, 533), (1200, 800), (1600, 1067)]),
        ((1600, 900), [(480, 270), (800, 450), (1200, 675), (1600, 900)]),
        ((1000, 500), [(480, 240), (800, 400), (1000, 500)]),
        ((1200, 1200), [(480, 480), (800, 800), (1200, 1200)]),
        ((300, 200), [(300, 200)]),
        ((4000, 2), [(480, 1), (800, 1), (1200, 1), (1600, 1)]),
    ],
)
def test_widths_are_never_upscaled(size: tuple[int, int], expected: list[tuple[int, int]]) -> None:
    assert variant_sizes(*size) == expected


@pytest.fixture
def maker(tmp_path: Path) -> PictureMaker:
    return PictureMaker(tmp_path / "cache")


def every_variant(picture: Picture) -> tuple:
    return picture.webp + picture.fallback


def test_every_output_of_the_camera_jpeg_is_bare_and_upright(media: Path, maker: PictureMaker) -> None:
    camera_jpeg(media / "photo.jpg", 2000, 1200, orientation=6)
    picture = maker.picture(checked(media, "photo.jpg"))
    files = maker.files()
    assert [variant.width for variant in picture.webp] == [480, 800, 1200]  # 1200 wide once turned
    for variant in every_variant(picture):
        assert_bare(files[variant.url])
        with Image.open(files[variant.url]) as image:
            assert image.size == (variant.width, variant.height) and variant.height > variant.width
            corner = variant.width // 12  # the stored top-left block, now at the top right
            red, green, blue = image.convert("RGB").getpixel((variant.width - corner, corner))
            assert red > 200 and green < 70 and blue < 70, (variant.url, (red, green, blue))
            assert image.convert("RGB").getpixel((corner, corner))[2] > 120  # the background's blue, not the block


def test_every_output_of_the_text_png_is_bare_and_keeps_its_transparency(media: Path, maker: PictureMaker) -> None:
    text_png(media / "chart.png", 1000, 700)
    picture = maker.picture(checked(media, "chart.png"))
    assert [variant.mime for variant in picture.fallback] == ["image/png"] * 3
    for variant in every_variant(picture):
        path = maker.files()[variant.url]
        assert_bare(path)
        with Image.open(path) as image:
            assert image.mode == "RGBA"
            assert image.getpixel((variant.width - 2, variant.height - 2))[3] == 0  # the see-through corner
            assert image.getpixel((2, 2))[3] == 255


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_colours_are_converted_from_the_embedded_profile(media: Path, maker: PictureMaker, format: str) -> None:
    halves(900, 600, RED, BLUE).save(media / "tagged.img", format, icc_profile=swapped_rgb_profile())
    picture = maker.picture(checked(media, "tagged.img"))
    for variant in every_variant(picture):
        path = maker.files()[variant.url]
        assert_bare(path)
        with Image.open(path) as image:
            left = image.convert("RGB").getpixel((variant.width // 4, variant.height // 2))
            right = image.convert("RGB").getpixel((variant.width * 3 // 4, variant.height // 2))
        assert left[1] > 200 and left[0] < 60 and left[2] < 60, (variant.url, left)  # stored red, meant green
        assert right[2] > 200 and right[0] < 60 and right[1] < 60, (variant.url, right)


def test_a_cmyk_jpeg_is_converted_through_its_profile(media: Path, maker: PictureMaker) -> None:
    cyan_and_paper = halves(900, 600, (255, 0, 0, 0), (0, 0, 0, 0), mode="CMYK")
    cyan_and_paper.save(media / "print.jpg", icc_profile=swapped_cmyk_profile())
    with Image.open(media / "print.jpg") as source:
        assert source.mode == "CMYK" and "icc_profile" in source.info
    picture = maker.picture(checked(media, "print.jpg"))
    for variant in every_variant(picture):
        assert_bare(maker.files()[variant.url])
        with Image.open(maker.files()[variant.url]) as image:
            assert image.mode == "RGB"
            cyan_ink = image.getpixel((variant.width // 4, variant.height // 2))
            paper = image.getpixel((variant.width * 3 // 4, variant.height // 2))
        assert cyan_ink[0] > 200 and cyan_ink[1] < 60 and cyan_ink[2] > 200, (variant.url, cyan_ink)  # magenta
        assert min(paper) > 235


@pytest.mark.parametrize(
    ("mode", "colour", "profile"),
    [
        ("L", 128, swapped_rgb_profile()),  # an RGB profile on a grey picture
        ("RGB", RED, swapped_cmyk_profile()),  # a printer's profile on a screen picture
        ("RGB", RED, b"not a profile at all" * 10),
    ],
)
def test_a_profile_that_does_not_fit_is_passed_over(
    media: Path, maker: PictureMaker, mode: str, colour: object, profile: bytes
) -> None:
    Image.new(mode, (700, 500), colour).save(media / "odd.png", icc_profile=profile)
    with Image.open(media / "odd.png") as source:
        assert source.info["icc_profile"] == profile
    expected = Image.new(mode, (1, 1), colour).convert("RGB").getpixel((0, 0))
    for variant in every_variant(maker.picture(checked(media, "odd.png"))):
        assert_bare(maker.files()[variant.url])
        with Image.open(maker.files()[variant.url]) as image:
            assert image.convert("RGB").getpixel((variant.width // 2, variant.height // 2)) == expected


def test_a_cmyk_jpeg_without_a_profile_is_converted_plainly(media: Path, maker: PictureMaker) -> None:
    Image.new("CMYK", (700, 500), (255, 0, 0, 0)).save(media / "print.jpg")
    picture = maker.picture(checked(media, "print.jpg"))
    for variant in every_variant(picture):
        with Image.open(maker.files()[variant.url]) as image:
            red, green, blue = image.convert("RGB").getpixel((variant.width // 2, variant.height // 2))
        assert red < 40 and green > 215 and blue > 215, (variant.url, (red, green, blue))  # cyan


@pytest.mark.parametrize(
    ("make", "fallback", "mode", "lossless"),
    [
        (lambda path: scene(900, 600).save(path, "JPEG"), "image/jpeg", "RGB", False),
        (lambda path: scene(900, 600).save(path, "PNG"), "image/png", "RGB", True),
        (
            lambda path: scene(900, 600).convert("RGBA").save(path, "PNG"),
            "image/png",
            "RGB",
            True,
        ),  # opaque: alpha dropped
        (lambda path: scene(900, 600).save(path, "WEBP"), "image/jpeg", "RGB", False),
        (lambda path: see_through(900, 600).save(path, "WEBP"), "image/png", "RGBA", True),
    ],
    ids=["jpeg", "png", "opaque-rgba-png", "opaque-webp", "see-through-webp"],
)
def test_each_source_gets_webp_and_the_right_fallback(
    media: Path, maker: PictureMaker, make: Callable[[Path], None], fallback: str, mode: str, lossless: bool
) -> None:
    make(media / "source")
    picture = maker.picture(checked(media, "source"))
    assert {variant.mime for variant in picture.fallback} == {fallback}
    assert {variant.mime for variant in picture.webp} == {"image/webp"}
    for variant in every_variant(picture):
        path = maker.files()[variant.url]
        assert path.suffix == {"image/webp": ".webp", "image/jpeg": ".jpg", "image/png": ".png"}[variant.mime]
        with Image.open(path) as image:
            assert Image.MIME[image.format] == variant.mime and image.mode == mode
            assert image.size == (variant.width, variant.height)
        if variant.mime == "image/webp":  # VP8L is WebP's lossless kind, VP8 its lossy
            kinds, _ = container(path.read_bytes())
            assert (b"VP8L" in kinds) == lossless and (b"VP8 " in kinds) == (not lossless)


def test_a_palette_png_keeps_its_transparent_colour(media: Path, maker: PictureMaker) -> None:
    image = halves(600, 400, (255, 255, 255), (200, 30, 30)).quantize(4)
    image.save(media / "icon.png", transparency=image.getpixel((10, 10)))
    for variant in every_variant(maker.picture(checked(media, "icon.png"))):
        with Image.open(maker.files()[variant.url]) as output:
            assert output.mode == "RGBA"
            assert output.getpixel((5, 5))[3] == 0 and output.getpixel((variant.width - 5, 5))[3] == 255


def test_16_bit_grey_is_scaled_not_clipped(media: Path, maker: PictureMaker) -> None:
    Image.new("I;16", (600, 400), 32896).save(media / "scan.png")  # mid grey, at 16 bits
    with Image.open(media / "scan.png") as source:
        assert source.mode.startswith("I;16")
    for variant in every_variant(maker.picture(checked(media, "scan.png"))):
        with Image.open(maker.files()[variant.url]) as output:
            assert all(120 <= channel <= 136 for channel in output.convert("RGB").getpixel((50, 50)))


def test_published_names_carry_a_clean_stem_the_digest_and_the_width(media: Path, maker: PictureMaker) -> None:
    scene(900, 600).save(media / "Kyiv Map, (final).png")
    found = checked(media, "Kyiv Map, (final).png")
    picture = maker.picture(found)
    names = [variant.url for variant in every_variant(picture)]
    assert names == [
        f"media/kyiv-map-final-{found.digest[:10]}-{width}.{ext}"
        for ext in ("webp", "png")
        for width in (480, 800, 900)
    ]
    assert set(maker.files()) == set(names)


def test_two_runs_give_identical_bytes(media: Path, tmp_path: Path) -> None:
    camera_jpeg(media / "photo.jpg", 1700, 1000, orientation=6)
    text_png(media / "chart.png", 900, 600)
    halves(900, 600, RED, BLUE).save(media / "tagged.jpg", icc_profile=swapped_rgb_profile())
    images = [checked(media, name) for name in ("photo.jpg", "chart.png", "tagged.jpg")]
    first, second = PictureMaker(tmp_path / "first"), PictureMaker(tmp_path / "second")
    assert [first.picture(image) for image in images] == [second.picture(image) for image in images]
    assert first.files().keys() == second.files().keys() and len(first.files()) == 2 * (3 + 3 + 3)
    for url, path in first.files().items():
        assert path.read_bytes() == second.files()[url].read_bytes(), url


def test_another_process_gives_identical_bytes(media: Path, tmp_path: Path, maker: PictureMaker) -> None:
    camera_jpeg(media / "photo.jpg", 1000, 700, orientation=6)
    maker.picture(checked(media, "photo.jpg"))
    here = maker.files()
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from explainer.content.images import inspect_image
        from explainer.site.pictures import PictureMaker
        maker = PictureMaker(Path(sys.argv[2]))
        maker.picture(inspect_image(Path(sys.argv[1]), "photo.jpg"))
        for url, path in sorted(maker.files().items()):
            print(url, path)
    """)
    run = subprocess.run(
        [sys.executable, "-c", script, str(media), str(tmp_path / "elsewhere")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    there = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert there.keys() == here.keys()
    assert all(Path(there[url]).read_bytes() == path.read_bytes() for url, path in here.items())


def test_a_warm_rebuild_encodes_nothing_and_reads_no_image(media: Path, tmp_path: Path) -> None:
    camera_jpeg(media / "photo.jpg", 1700, 1000, orientation=1)
    see_through(900, 600).save(media / "logo.webp")
    images = [checked(media, "photo.jpg"), checked(media, "logo.webp")]
    cold = PictureMaker(tmp_path / "cache")
    made = [cold.picture(image) for image in images]
    assert cold.encoded == 2 * 4 + 2 * 3
    for image in images:
        image.path.unlink()  # a rebuild that tried to read them would fail
    warm = PictureMaker(tmp_path / "cache")
    assert [warm.picture(image) for image in images] == made
    assert warm.encoded == 0 and warm.files() == cold.files()
    assert not list((tmp_path / "cache").glob(".*"))  # no half-written file left behind


def test_the_same_image_twice_in_a_build_is_encoded_once(media: Path, maker: PictureMaker) -> None:
    scene(900, 600).save(media / "map.png")
    assert maker.picture(checked(media, "map.png")) == maker.picture(checked(media, "map.png"))
    assert maker.encoded == 2 * 3


def test_a_cache_missing_a_file_encodes_that_image_again(media: Path, tmp_path: Path) -> None:
    scene(900, 600).save(media / "map.png")
    image = checked(media, "map.png")
    cold = PictureMaker(tmp_path / "cache")
    cold.picture(image)
    next(iter(cold.files().values())).unlink()
    again = PictureMaker(tmp_path / "cache")
    again.picture(image)
    assert again.encoded == 2 * 3 and all(path.is_file() for path in again.files().values())


def test_a_new_pipeline_version_encodes_again(media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scene(900, 600).save(media / "map.png")
    image = checked(media, "map.png")
    before = PictureMaker(tmp_path / "cache")
    before.picture(image)
    monkeypatch.setattr(pictures, "PIPELINE_VERSION", pictures.PIPELINE_VERSION + 1)
    after = PictureMaker(tmp_path / "cache")
    after.picture(image)
    assert after.encoded == 2 * 3
    assert after.files().keys() == before.files().keys()  # the same URLs...
    assert not set(after.files().values()) & set(before.files().values())  # ...from other cached files


def test_an_image_changed_after_its_check_is_not_encoded(media: Path, maker: PictureMaker) -> None:
    scene(900, 600).save(media / "map.png")
    image = checked(media, "map.png")
    png_claiming(media / "map.png", 50_000, 50_000)
    with pytest.raises(ValueError, match="changed since it was checked"):
        maker.picture(image)
    assert maker.encoded == 0 and maker.files() == {}


# ---------------------------------------------------------------------------------------------
# The markup


@pytest.fixture(scope="module")
def macros() -> object:
    """The picture macros as the pages use them, with the English words of the templates."""
    environment = jinja_environment(False, Language("en", ""), gettext.NullTranslations())
    return environment.get_template("pictures.md.j2").module


def href(url: str) -> str:
    """As from a page one folder down, e.g. incidents/x/."""
    return "../../" + url


class Tags(HTMLParser):
    """Every start tag with its attributes as a browser reads them, and the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data

    def one(self, tag: str) -> dict[str, str | None]:
        found = [attrs for name, attrs in self.tags if name == tag]
        assert len(found) == 1, (tag, self.tags)
        return found[0]


def srcset(value: str | None) -> list[tuple[str, int]]:
    assert value
    entries = [entry.strip().rsplit(" ", 1) for entry in value.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in entries]


def site_relative(url: str) -> str:
    assert url.startswith("../../") and "//" not in url.removeprefix("../../") and ":" not in url, url
    return url.removeprefix("../../")


@pytest.fixture
def photo(media: Path, maker: PictureMaker) -> Picture:
    camera_jpeg(media / "photo.jpg", 2000, 1300, orientation=1)
    return maker.picture(checked(media, "photo.jpg"))


def assert_safe_block(html: str, first_tag: str) -> None:
    """A raw HTML block as Markdown needs it, and as the pages' security policy allows."""
    assert html.startswith(f"<{first_tag}") and "\n\n" not in html and not re.search(r"\n[ \t]*\n", html)
    tags = Tags(html)
    assert not [name for name, attrs in tags.tags if "style" in attrs or name in ("style", "script")]


def test_the_picture_names_files_of_the_sizes_it_says(macros: object, photo: Picture, maker: PictureMaker) -> None:
    html = str(macros.picture(photo, "The embassy's damaged façade", href, SIZES))
    assert_safe_block(html, "picture")
    tags = Tags(html)
    source, img = tags.one("source"), tags.one("img")
    assert source["type"] == "image/webp" and source["sizes"] == img["sizes"] == SIZES
    for attrs, kind in ((source, "WEBP"), (img, "JPEG")):
        entries = srcset(attrs["srcset"])
        assert [width for _, width in entries] == [480, 800, 1200, 1600]
        for url, width in entries:
            with Image.open(maker.files()[site_relative(url)]) as image:
                assert (image.format, image.width) == (kind, width)
    with Image.open(maker.files()[site_relative(img["src"])]) as image:
        assert (img["width"], img["height"]) == (str(image.width), str(image.height)) == ("1600", "1040")
    assert img["alt"] == "The embassy's damaged façade"
    assert (img["loading"], img["decoding"], "fetchpriority" in img) == ("lazy", "async", False)


def test_a_hero_picture_loads_at_once_and_first(macros: object, photo: Picture) -> None:
    img = Tags(str(macros.picture(photo, "", href, SIZES, hero=True))).one("img")
    assert img["fetchpriority"] == "high" and "loading" not in img
    assert img["alt"] == ""  # decorative: present, and empty


def test_hostile_text_stays_text(macros: object, photo: Picture) -> None:
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(1)> *emphasis* [[actors/x]]'
    figure = {
        "alt": hostile,
        "caption": None,
        "credit": hostile,
        "license": hostile,
        "source_url": "https://example.org/?a=1&b=<2>",
    }
    html = str(macros.figure(photo, figure, href, SIZES))
    tags = Tags(html)
    assert [name for name, _ in tags.tags] == ["figure", "picture", "source", "img", "figcaption", "small", "a"]
    assert tags.one("img")["alt"] == hostile and hostile in tags.text
    assert tags.one("a")["href"] == "https://example.org/?a=1&b=<2>"
    assert "*" not in html and "[[" not in html  # nor Markdown for the page around it


def test_the_figure_credits_the_image(macros: object, photo: Picture) -> None:
    figure = {
        "alt": "The embassy",
        "caption": Markup("The embassy on <em>17 August</em>"),
        "credit": "Jane Photographer / Agency",
        "license": "CC BY 4.0",
        "source_url": "https://example.org/photos/17",
    }
    html = str(macros.figure(photo, figure, href, SIZES, hero=True))
    assert_safe_block(html, "figure")
    tags = Tags(html)
    assert tags.one("figure")["class"] == "explainer-figure" and tags.one("img")["fetchpriority"] == "high"
    assert [name for name, _ in tags.tags] == [
        "figure",
        "picture",
        "source",
        "img",
        "figcaption",
        "span",
        "em",
        "small",
        "a",
    ]
    assert " ".join(tags.text.split()) == (
        "The embassy on 17 August Credit: Jane Photographer / Agency · CC BY 4.0 · Source"
    )
    assert tags.one("a")["href"] == "https://example.org/photos/17"


@pytest.mark.parametrize(
    ("given", "text"),
    [
        ({"credit": "Jane"}, "Credit: Jane"),
        ({"license": "CC0"}, "CC0"),
        ({"source_url": "https://example.org/"}, "Source"),
        ({"license": "CC0", "source_url": "https://example.org/"}, "CC0 · Source"),
        ({"caption": Markup("A map")}, "A map"),
    ],
)
def test_the_figure_shows_only_what_is_given(macros: object, photo: Picture, given: dict, text: str) -> None:
    nothing = {"alt": "x", "caption": None, "credit": None, "license": None, "source_url": None}
    html = str(macros.figure(photo, nothing | given, href, SIZES))
    assert_safe_block(html, "figure")
    assert " ".join(Tags(html).text.split()) == text
    assert ("<small" in html) == ("caption" not in given)


def test_a_figure_with_nothing_to_say_has_no_caption(macros: object, photo: Picture) -> None:
    html = str(macros.figure(photo, {"alt": ""}, href, SIZES))  # absent keys count as None
    assert_safe_block(html, "figure")
    assert "figcaption" not in html and Tags(html).one("img")["alt"] == ""


def test_markdown_passes_the_figure_through_untouched(macros: object, photo: Picture) -> None:
    figure = {
        "alt": "A *bold* claim_with_underscores",
        "caption": Markup("Seen from <em>the north</em>"),
        "credit": "A & B",
        "license": "CC BY 4.0",
        "source_url": "https://example.org/a_b",
    }
    html = str(macros.figure(photo, figure, href, SIZES)).rstrip("\n")
    page = f"# A page\n\nBefore.\n\n{html}\n\nAfter.\n"
    rendered = markdown.markdown(page, extensions=["attr_list", "toc"])
    assert html in rendered


# ---------------------------------------------------------------------------------------------
# The stylesheet


def test_the_stylesheet_styles_the_markup_and_takes_colours_from_properties() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    template = (TEMPLATES / "pictures.md.j2").read_text(encoding="utf-8")
    classes = set(re.findall(r"\.(explainer-[a-z_-]+)", css))
    assert classes == {"explainer-picture", "explainer-figure", "explainer-figure__credit"}
    assert all(f'class="{name}"' in template for name in classes)
    colours = re.findall(r"(?<![-\w])color:\s*([^;}]+)", css)
    assert colours and all(re.fullmatch(r"var\(--explainer-[a-z-]+, .+\)", value.strip()) for value in colours)
    assert re.search(r"\.explainer-picture img \{[^}]*max-width: 100%;[^}]*height: auto;", css)
