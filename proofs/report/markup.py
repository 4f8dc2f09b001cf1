"""Text from lemmas, made into safe HTML: TeX between `$…$` rendered to MathML at build time (no
script, no network: browsers render MathML natively), everything else escaped."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$")


MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", MATHML_NAMESPACE)


@functools.lru_cache(maxsize=4096)
def _mathml(tex: str) -> str | None:
    """TeX as MathML, re-serialised through an XML parser so that no text of the formula can become
    markup (the converter copies \\text{…} through as it is), with links and event attributes
    removed; None when the converter cannot read the formula or its output is not well formed."""
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        tree = ET.fromstring(convert(tex))
    except Exception:  # noqa: BLE001 - a formula the converter cannot read is shown as TeX
        return None
    for element in tree.iter():
        if not str(element.tag).startswith("{" + MATHML_NAMESPACE):
            return None
        for attribute in list(element.attrib):
            if attribute.lower().endswith("href") or attribute.lower().startswith("on"):
                del element.attrib[attribute]
    return ET.tostring(tree, encoding="unicode")


def with_math(text: object) -> Markup:
    """`text` as HTML: each `$…$` span as MathML (with its TeX as the accessible fallback), the
    rest escaped. A span the converter cannot read is shown as code."""
    text = "" if text is None else str(text)
    parts, position = [], 0
    for match in MATH.finditer(text):
        parts.append(str(escape(text[position:match.start()])))
        tex = match.group(1)
        rendered = _mathml(tex)
        # a span around it, because a <math> box neither wraps nor scrolls: a long formula scrolls
        # inside its span instead of widening the page on a phone
        parts.append(f'<span class="math">{rendered}</span>' if rendered is not None else f"<code>{escape(tex)}</code>")
        position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def plain(text: object) -> str:
    """The text with `$` delimiters dropped, for places that cannot show MathML (titles, tooltips)."""
    return MATH.sub(lambda m: m.group(1), "" if text is None else str(text))


def breakable(identifier: object) -> Markup:
    """A lemma id that may wrap after its dots and underscores, never inside a word."""
    return Markup(re.sub(r"([._/])", r"\1<wbr>", str(escape(str(identifier)))))
