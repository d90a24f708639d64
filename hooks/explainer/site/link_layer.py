"""The site's drawings (the timeline overview, the maps) as a picture and, on top of it, a layer
of the same links.

A drawing is an `<svg role="img">` with a name, so that a screen reader hears one picture and
then reads the list below it. But an image's parts are not its own controls: links inside
`role="img"` are nested controls (WCAG 4.1.2, axe's nested-interactive). So the picture keeps
every mark without its link, and a copy of the links alone, transparent and hidden from
assistive technology (their `tabindex="-1"` keeps them out of the keyboard's way too), is
laid exactly over it, where mouse and touch find them.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ElementTree

from markupsafe import Markup

from explainer.content.rich_text import escape

_DRAWING = re.compile(r'<svg\b[^>]*\brole="img".*?</svg>', re.S)


def links_apart(html: str, linked: bool = True) -> Markup:
    """`html` with each drawing that holds links as the picture and its layer of links; with
    `linked` false, the picture alone (the list beside it holds the links)."""
    return Markup(_DRAWING.sub(lambda match: _apart(match[0], linked), html))


def _apart(svg: str, linked: bool) -> str:
    drawing = ElementTree.fromstring(svg)
    if drawing.find(".//a") is None:
        return svg
    picture, layer = copy.deepcopy(drawing), copy.deepcopy(drawing)
    _unwrap_links(picture)
    if not linked:
        return _markup(picture)
    for name in ("role", "aria-label"):
        layer.attrib.pop(name, None)
    layer.set("class", " ".join(filter(None, [layer.get("class"), "explainer-links"])))
    layer.set("aria-hidden", "true")
    _keep_links(layer)
    return f'<div class="explainer-layers">{_markup(picture)}{_markup(layer)}</div>'


def _unwrap_links(element: ElementTree.Element) -> None:
    """Make each link a group that keeps its class, which styles the mark, and nothing else."""
    for child in element.iter("a"):
        kept = {"class": child.attrib["class"]} if "class" in child.attrib else {}
        child.tag, child.attrib = "g", kept


def _keep_links(element: ElementTree.Element) -> None:
    """Only the links, and the groups around them (whose attributes place and size them)."""
    kept = [child for child in element if child.tag == "a" or child.find(".//a") is not None]
    for child in kept:
        if child.tag != "a":
            _keep_links(child)
    element[:] = kept
    element.text = None


def _markup(element: ElementTree.Element) -> str:
    """The element as HTML, every text and value escaped as the rest of the page is."""
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    inner = escape(element.text or "") + "".join(_markup(child) + escape(child.tail or "") for child in element)
    return f"<{element.tag}{attributes}>{inner}</{element.tag}>"
