#!/usr/bin/env python3
"""Our HTML sanitiser against a reference, nh3 (ammonia's Python binding), over a hostile corpus.

Usage: check_sanitiser.py RUN.json, where RUN.json is written by SanitiserDifferentialTests:
{"allowlist": {"tags", "attributes", "cleanContentTags", "urlSchemes"}, "bases": [URL or null],
 "records": [{"input": HTML, "ours": [our HTML under each base]}]}.

Each input is cleaned by nh3 with our own allow-list, so that the two differ only in how they
parse and judge, not in what they mean to keep. Both outputs are then parsed as a browser would
(html5lib implements the HTML5 parsing algorithm), as the content of a <div>, and searched for
dangerous features. The features are defined here, independently of the allow-list: widening
the allow-list to something dangerous makes this check fail, however nh3 reacts.

Exits 1 if our output has any dangerous feature, saying whether the reference removed it (a bug
of ours that nh3 does not share) or kept it too. Features only the reference keeps are listed as
notes and do not fail. The last line is a summary.
"""

import json
import re
import sys
from collections import namedtuple

import html5lib
import nh3

HTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Schemes a link or image from a member's post may have.
SAFE_SCHEMES = {"http", "https", "mailto"}

# HTML elements that run script, load active content or a document, submit data, or change how
# the page around them is read (base, meta, link, style). SVG and MathML elements count whatever
# their name: see element_features.
ACTIVE_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "portal",
    "fencedframe", "form", "input", "button", "select", "textarea", "keygen", "isindex", "base", "meta",
    "link", "template", "noscript",
}

# Attributes whose value a browser reads as a URL (HTML, legacy HTML and SVG).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "cite", "longdesc", "poster", "background", "data", "codebase",
    "classid", "archive", "lowsrc", "dynsrc", "usemap", "ping", "manifest", "icon", "profile", "xlink:href",
}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}

# Dangerous whatever their value: CSS can fetch, overlay the page and (in old browsers) run
# script, so `style` is out while our allow-list has no CSS filter; a document in `srcdoc`;
# form submission elsewhere; DOM clobbering of the page's scripts through `id` and `name`.
ALWAYS_DANGEROUS_ATTRIBUTES = {"style", "srcdoc", "formaction", "form", "http-equiv", "id", "name"}

# Elements with a `target` that opens a new browsing context.
TARGET_ELEMENTS = {"a", "area", "form"}

Feature = namedtuple("Feature", "key detail")


def reference_clean(html, base, allowlist):
    """nh3 configured like ours: same tags, attributes, schemes, dropped-with-content elements,
    link rel, and relative URLs resolved against the same base (kept relative without one)."""
    return nh3.clean(
        html,
        tags=set(allowlist["tags"]),
        clean_content_tags=set(allowlist["cleanContentTags"]),
        attributes={tag: set(names) for tag, names in allowlist["attributes"].items()},
        url_schemes=set(allowlist["urlSchemes"]),
        link_rel="nofollow noopener ugc",
        strip_comments=True,
        url_relative=("rewrite_with_base", base) if base else "pass_through",
    )


def parse(html):
    """The elements a browser builds from `html` placed inside one of our divs."""
    fragment = html5lib.parseFragment(html, container="div", treebuilder="etree", namespaceHTMLElements=True)
    return [element for element in fragment.iter() if isinstance(element.tag, str) and element is not fragment]


def split_name(qualified):
    """(namespace, local name) of an etree tag or attribute name."""
    if qualified.startswith("{"):
        namespace, _, local = qualified[1:].partition("}")
        return namespace, local
    return None, qualified


def url_scheme(value):
    """The lowercased scheme a browser reads from an attribute value (entities already decoded
    by the parser): ASCII tab, newline and CR are removed anywhere, and leading and trailing C0
    controls and spaces are stripped, as the URL standard does. None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+\-.]*):", cleaned)
    return match.group(1).lower() if match else None


def srcset_urls(value):
    """The URLs of a srcset's candidates, split as the HTML standard does: a URL is a run of
    non-whitespace; a comma ends it only at its end, else the descriptors run to the next comma
    outside parentheses."""
    urls, i, n = [], 0, len(value)
    space = " \t\n\r\f"
    while i < n:
        while i < n and (value[i] in space or value[i] == ","):
            i += 1
        start = i
        while i < n and value[i] not in space:
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while i < n and (depth > 0 or value[i] != ","):
                if value[i] == "(":
                    depth += 1
                elif value[i] == ")" and depth > 0:
                    depth -= 1
                i += 1
        if url:
            urls.append(url)
    return urls


def element_features(element):
    """The dangerous features of one element: itself, its attributes, its target."""
    namespace, name = split_name(element.tag)
    if namespace != HTML_NS:
        yield Feature(f"foreign <{name}>", f"<{name}> in namespace {namespace}")
    elif name in ACTIVE_ELEMENTS:
        yield Feature(f"<{name}>", f"<{name}>")
    attributes = {}
    for qualified, value in element.attrib.items():
        attribute_namespace, local = split_name(qualified)
        attributes["xlink:" + local if attribute_namespace == XLINK_NS else local] = value
    for attribute, value in attributes.items():
        yield from attribute_features(name, attribute, value)
    yield from target_features(name, attributes)


def attribute_features(element, attribute, value):
    """Event handlers, attributes dangerous whatever their value, and URLs in a scheme other
    than ours (each srcset candidate on its own)."""
    where = f"{element}[{attribute}]"
    shown = f"{where}={shorten(value, 80)}"
    if attribute.startswith("on"):
        yield Feature(where, f"event handler {shown}")
    elif attribute in ALWAYS_DANGEROUS_ATTRIBUTES or attribute.startswith("xlink:"):
        yield Feature(where, shown)
    if attribute in URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            yield Feature(f"{where} {scheme}:", f"{scheme}: URL in {shown}")
    if attribute in SRCSET_ATTRIBUTES:
        for url in srcset_urls(value):
            scheme = url_scheme(url)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                yield Feature(f"{where} {scheme}:", f"{scheme}: candidate in {shown}")


def target_features(element, attributes):
    """A new browsing context that keeps `window.opener`, so the linked page can navigate ours."""
    if element not in TARGET_ELEMENTS or "target" not in attributes:
        return
    rel = set(attributes.get("rel", "").lower().split())
    if not rel & {"noopener", "noreferrer"}:
        shown = f"{element}[target={shorten(attributes['target'], 80)}]"
        yield Feature(f"{element}[target] without noopener", f"{shown} without rel=noopener")


def features(html):
    """The dangerous features in `html` by key (element, attribute and scheme, not the value, so
    that ours and the reference compare although we resolve URLs differently)."""
    found = {}
    for element in parse(html):
        for feature in element_features(element):
            found.setdefault(feature.key, feature)
    return found


def shorten(text, limit=300):
    """`text` as an ASCII Python literal, so that controls and invisible or look-alike characters
    show (and the report prints whatever the locale), cut if long."""
    text = ascii(text)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


class Tally:
    """What the comparisons found: counts for the summary, failures, and notes where only the
    reference keeps something (its own business, but worth seeing)."""

    def __init__(self):
        self.ours = self.reference = self.differences = 0
        self.failures, self.notes = [], []

    def add(self, html, base, ours, reference):
        ours_found, reference_found = features(ours), features(reference)
        self.ours += len(ours_found)
        self.reference += len(reference_found)
        shown = (
            f"  input:     {shorten(html)}\n"
            f"  base:      {base}\n"
            f"  ours:      {shorten(ours)}\n"
            f"  reference: {shorten(reference)}"
        )
        for key, feature in ours_found.items():
            if key in reference_found:
                verdict = "ours keeps it (the reference keeps it too)"
            else:
                verdict = "ours keeps it; the reference removed it"
                self.differences += 1
            self.failures.append(f"FAIL: {feature.detail}: {verdict}\n{shown}")
        for key, feature in reference_found.items():
            if key not in ours_found:
                self.notes.append(f"note: only the reference keeps {feature.detail}\n{shown}")


def main(path):
    with open(path, encoding="utf-8") as file:
        run = json.load(file)
    allowlist, bases, records = run["allowlist"], run["bases"], run["records"]
    tally = Tally()
    for record in records:
        for base, ours in zip(bases, record["ours"], strict=True):
            tally.add(record["input"], base, ours, reference_clean(record["input"], base, allowlist))
    for message in tally.notes + tally.failures:
        print(message)
    print(
        f"{len(records)} vectors, {len(bases)} bases; dangerous features: ours {tally.ours}, "
        f"reference {tally.reference}; differences (ours keeps what the reference removed): {tally.differences}"
    )
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
