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

# What rendering needs, and nothing else: the elements of MathML Core that the converter writes,
# and their presentation attributes, each with the values it may take. No style, class, id or
# href, no event handler, nothing that can hold `url(…)`: a formula in a lemma of someone else's
# project must not make the page fetch anything (the page promises no network request).
ELEMENTS = frozenset(
    "math mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot mover munder munderover mtable "
    "mtr mtd mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none semantics".split())
_BOOLEAN = re.compile(r"^(true|false)$")
_LENGTH = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(em|ex|px|pt|mu|%)?$|^(thin|medium|thick|infinity)$")
_WORDS = re.compile(r"^[a-z]+(?:[- ][a-z]+)*$")
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
ATTRIBUTES = {
    "display": re.compile(r"^(inline|block)$"), "mathvariant": _WORDS, "form": re.compile(r"^(prefix|infix|postfix)$"),
    "stretchy": _BOOLEAN, "fence": _BOOLEAN, "separator": _BOOLEAN, "accent": _BOOLEAN, "accentunder": _BOOLEAN,
    "largeop": _BOOLEAN, "movablelimits": _BOOLEAN, "symmetric": _BOOLEAN, "displaystyle": _BOOLEAN,
    "scriptlevel": re.compile(r"^[+-]?\d$"), "lspace": _LENGTH, "rspace": _LENGTH, "minsize": _LENGTH,
    "maxsize": _LENGTH, "width": _LENGTH, "height": _LENGTH, "depth": _LENGTH, "voffset": _LENGTH,
    "linethickness": _LENGTH, "columnalign": _WORDS, "rowalign": _WORDS, "columnlines": _WORDS, "rowlines": _WORDS,
    "frame": _WORDS, "columnspacing": re.compile(r"^[0-9.a-z% ]+$"), "rowspacing": re.compile(r"^[0-9.a-z% ]+$"),
    "notation": _WORDS, "mathcolor": _COLOUR, "mathbackground": _COLOUR,
}


@functools.lru_cache(maxsize=4096)
def _mathml(tex: str) -> str | None:
    """TeX as MathML, re-serialised through an XML parser so that no text of the formula can become
    markup (the converter copies \\text{…} through as it is), keeping only the elements of
    `ELEMENTS` and the attributes of `ATTRIBUTES` with values they allow; None when the converter
    cannot read the formula, its output is not well formed, or it holds an element outside the list."""
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        tree = ET.fromstring(convert(tex))
    except Exception:  # noqa: BLE001 - a formula the converter cannot read is shown as TeX
        return None
    for element in tree.iter():
        namespace, _, name = str(element.tag).partition("}")
        if namespace != "{" + MATHML_NAMESPACE or name not in ELEMENTS:
            return None
        for attribute, value in list(element.attrib.items()):
            allowed = ATTRIBUTES.get(attribute)
            if allowed is None or not allowed.match(value.strip()) or "url" in value.lower():
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
