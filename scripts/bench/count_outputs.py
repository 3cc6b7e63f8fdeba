#!/usr/bin/env python3
"""Count what a built benchmark site holds, so bench-hugo can show that both tools made the
same pages before it compares their times.

Usage: count_outputs.py OUT [OUT ...]   prints one JSON object per folder, in order

Paths are those ours writes (Hugo's are configured to match in scripts/bench/hugo/hugo.toml):
/blog/<slug>/ posts, /blog/ and /blog/page/<n>/ lists, /blog/tags/<tag>/ and
/blog/authors/<name>/ with their pages, /blog/<year>/ archives, feed.xml (RSS) and atom.xml
(Atom) under /blog/. Hugo also writes /page/1/ for every paginated list, a redirect to the list
itself: those redirects are counted apart, as "redirects", not as list pages.
"""
import json, os, re, sys

YEAR = re.compile(r"^\d{4}$")


def later_page(parts):
    """True for .../page/<n>/index.html with n >= 2; parts are the path below the list."""
    return len(parts) == 3 and parts[0] == "page" and parts[1].isdigit() and int(parts[1]) >= 2 \
        and parts[2] == "index.html"


def count(out):
    c = dict.fromkeys(["files", "MB", "posts", "posts with a table", "posts with code",
                       "posts with a contents list", "blog list pages", "tags", "tag pages",
                       "authors", "author pages", "years", "year pages", "RSS feeds",
                       "RSS items", "Atom feeds", "Atom entries", "Standard points",
                       "redirects", "sitemap URLs"], 0)
    size = 0
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, out).split(os.sep)
            c["files"] += 1
            size += os.path.getsize(path)
            if name.endswith(".html"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if 'http-equiv="refresh"' in text and "<main" not in text:
                    c["redirects"] += 1
                    continue
            else:
                text = None
            if rel == ["sitemap.xml"]:
                with open(path, encoding="utf-8") as f:
                    c["sitemap URLs"] = f.read().count("<loc>")
            if rel[0] == "standard" and len(rel) == 3 and rel[2] == "index.html" and rel[1] not in ("all", "changes"):
                c["Standard points"] += 1
            if rel[0] != "blog":
                continue
            below = rel[1:]
            if name in ("feed.xml", "atom.xml"):
                with open(path, encoding="utf-8") as f:
                    feed = f.read()
                if name == "feed.xml":
                    c["RSS feeds"] += 1
                    c["RSS items"] += feed.count("<item>")
                else:
                    c["Atom feeds"] += 1
                    c["Atom entries"] += feed.count("<entry>")
                continue
            if below == ["index.html"] or later_page(below):
                c["blog list pages"] += 1
            elif len(below) >= 2 and below[0] in ("tags", "authors"):
                kind = "tag" if below[0] == "tags" else "author"
                if len(below) == 3 and below[2] == "index.html":
                    c[kind + "s"] += 1
                    c[kind + " pages"] += 1
                elif len(below) > 2 and later_page(below[2:]):
                    c[kind + " pages"] += 1
            elif YEAR.match(below[0]):
                if below[1:] == ["index.html"]:
                    c["years"] += 1
                    c["year pages"] += 1
                elif later_page(below[1:]):
                    c["year pages"] += 1
            elif len(below) == 2 and below[1] == "index.html" and below[0] != "page":
                c["posts"] += 1
                c["posts with a table"] += "<table" in text
                c["posts with code"] += "<pre" in text
                c["posts with a contents list"] += 'class="toc"' in text
    c["MB"] = round(size / 1e6, 1)
    return c


if len(sys.argv) < 2:
    sys.exit("count_outputs.py: usage: count_outputs.py OUT [OUT ...]")
for out in sys.argv[1:]:
    if not os.path.isdir(out):
        sys.exit(f"count_outputs.py: {out} is not a folder")
    print(json.dumps(count(out)))
