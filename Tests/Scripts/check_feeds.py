"""Parses the site's feeds with feedparser, the reference feed parser, and checks them
against what the generator says it published.

stdin: JSON {"feeds": [{"path": "...", "self": "https://...", "entries": [{"title", "link", "published"}]}]}
argv[1]: the built site folder. Exit 0 when every feed matches; otherwise prints each problem.
"""
import calendar
import datetime
import json
import os
import sys

import feedparser


def iso(struct_time):
    return datetime.datetime.fromtimestamp(calendar.timegm(struct_time), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def check(site, spec):
    problems = []
    path = os.path.join(site, spec["path"])
    feed = feedparser.parse(path)
    where = spec["path"]
    if feed.bozo:
        problems.append(f"{where}: not well-formed: {feed.bozo_exception}")
    self_links = [l["href"] for l in feed.feed.get("links", []) if l.get("rel") == "self"]
    if self_links != [spec["self"]]:
        problems.append(f"{where}: self link {self_links} != {spec['self']}")
    if len(feed.entries) != len(spec["entries"]):
        problems.append(f"{where}: {len(feed.entries)} entries, expected {len(spec['entries'])}")
    for got, want in zip(feed.entries, spec["entries"]):
        if got.get("title") != want["title"]:
            problems.append(f"{where}: title {got.get('title')!r} != {want['title']!r}")
        if got.get("link") != want["link"]:
            problems.append(f"{where}: link {got.get('link')!r} != {want['link']!r}")
        if got.get("id") != want["link"]:
            problems.append(f"{where}: id {got.get('id')!r} != {want['link']!r}")
        published = got.get("published_parsed")
        if published is None or iso(published) != want["published"]:
            problems.append(f"{where}: published {published and iso(published)} != {want['published']}")
    return problems


def main():
    spec = json.load(sys.stdin)
    problems = [p for feed in spec["feeds"] for p in check(sys.argv[1], feed)]
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: {len(spec['feeds'])} feeds")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
