"""Reads the site's iCalendar files with the icalendar library and each event page's JSON-LD,
and checks them against what the generator says it published.

stdin: JSON {"calendar": "events/events.ics", "events": [{"page": "events/x/", "ics": "events/x.ics",
  "uid": "...", "summary": "...", "start": "2016-06-03" or "2016-12-10T09:30:00+00:00",
  "status": "CONFIRMED", "eventStatus": "EventScheduled"}]}
argv[1]: the built site folder. Exit 0 when everything matches; otherwise prints each problem.
"""
import datetime
import json
import os
import re
import sys

import icalendar


def read_calendar(site, path, problems):
    with open(os.path.join(site, path), "rb") as handle:
        raw = handle.read()
    # RFC 5545 §3.1: CRLF line breaks, lines of at most 75 octets.
    for number, line in enumerate(raw.split(b"\r\n")[:-1], start=1):
        if b"\n" in line:
            problems.append(f"{path}:{number}: a bare LF inside a line")
        if len(line) > 75:
            problems.append(f"{path}:{number}: {len(line)} octets, more than 75")
    if not raw.endswith(b"\r\n"):
        problems.append(f"{path}: does not end with CRLF")
    calendar = icalendar.Calendar.from_ical(raw)
    for key in ("VERSION", "PRODID"):
        if key not in calendar:
            problems.append(f"{path}: no {key}")
    return calendar.walk("VEVENT")


def start_text(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def expected_start(text):
    if "T" not in text:
        return text
    return datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_event(site, want, vevent, where, problems):
    if str(vevent.get("UID")) != want["uid"]:
        problems.append(f"{where}: UID {vevent.get('UID')!r} != {want['uid']!r}")
    if str(vevent.get("SUMMARY")) != want["summary"]:
        problems.append(f"{where}: SUMMARY {vevent.get('SUMMARY')!r} != {want['summary']!r}")
    if str(vevent.get("STATUS")) != want["status"]:
        problems.append(f"{where}: STATUS {vevent.get('STATUS')!r} != {want['status']!r}")
    if "DTSTAMP" not in vevent:
        problems.append(f"{where}: no DTSTAMP")
    got = start_text(vevent.decoded("DTSTART"))
    if got != expected_start(want["start"]):
        problems.append(f"{where}: DTSTART {got} != {expected_start(want['start'])}")
    if "DTEND" in vevent and vevent.decoded("DTEND") <= vevent.decoded("DTSTART"):
        problems.append(f"{where}: DTEND is not after DTSTART")


def check_page(site, want, problems):
    path = os.path.join(site, want["page"], "index.html")
    with open(path, encoding="utf-8") as handle:
        html = handle.read()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    events = [data for data in map(json.loads, blocks) if data.get("@type") == "Event"]
    if len(events) != 1:
        problems.append(f"{want['page']}: {len(events)} JSON-LD Event objects, expected 1")
        return
    event = events[0]
    if event.get("startDate") != want["start"]:
        problems.append(f"{want['page']}: startDate {event.get('startDate')!r} != {want['start']!r}")
    if event.get("eventStatus") != "https://schema.org/" + want["eventStatus"]:
        problems.append(f"{want['page']}: eventStatus {event.get('eventStatus')!r}")
    for key in ("name", "eventAttendanceMode", "url"):
        if key not in event:
            problems.append(f"{want['page']}: JSON-LD Event has no {key}")


def main():
    site = sys.argv[1]
    spec = json.load(sys.stdin)
    problems = []
    everything = read_calendar(site, spec["calendar"], problems)
    if len(everything) != len(spec["events"]):
        problems.append(f"{spec['calendar']}: {len(everything)} events, expected {len(spec['events'])}")
    by_uid = {str(vevent.get("UID")): vevent for vevent in everything}
    for want in spec["events"]:
        own = read_calendar(site, want["ics"], problems)
        if len(own) != 1:
            problems.append(f"{want['ics']}: {len(own)} events, expected exactly 1")
            continue
        check_event(site, want, own[0], want["ics"], problems)
        if want["uid"] not in by_uid:
            problems.append(f"{spec['calendar']}: no event with UID {want['uid']}")
        else:
            check_event(site, want, by_uid[want["uid"]], spec["calendar"], problems)
        check_page(site, want, problems)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"ok: {len(spec['events'])} events in {spec['calendar']} and one file each, icalendar {icalendar.__version__}")


if __name__ == "__main__":
    main()
