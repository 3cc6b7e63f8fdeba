#!/usr/bin/env python3
"""Time `localgov serve` from a saved edit to the reload event, as a contributor's tab sees it.

Usage: serve_latency.py LOCALGOV SITE EDITS

Starts LOCALGOV serve in SITE on a free port, opens the reload event stream as the page of one
post does (`?page=/blog/<slug>/`), then EDITS times appends a paragraph to that post's file and
times, from just before the write, (a) the reload event reaching the tab and (b) the end of the
full rebuild as serve reports it ("... after the change"). Prints each and their medians. The
post's file is put back as it was at the end.
"""
import os, queue, re, statistics, subprocess, sys, threading, time, urllib.request

if len(sys.argv) != 4 or not sys.argv[3].isdigit():
    sys.exit("usage: serve_latency.py LOCALGOV SITE EDITS")
binary, site, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])

posts = sorted(f for f in os.listdir(os.path.join(site, "content", "blog")) if f.endswith(".md"))
# A post from the middle of the list: it has neighbours and sits on tag, author and year pages.
name = posts[len(posts) // 2]
path = os.path.join(site, "content", "blog", name)
slug = name[:-3]
original = open(path, "rb").read()

server = subprocess.Popen([binary, "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE, text=True)
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()


def wait_for(pattern, timeout):
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        match = re.search(pattern, line)
        if match:
            return match


try:
    address = wait_for(r"Serving the site at (\S+) ", 600).group(1)
    stream = urllib.request.urlopen(f"{address}__localgov/events?page=/blog/{slug}/", timeout=600)
    events = queue.Queue()

    def read_events():
        for raw in stream:
            if raw.startswith(b"data:"):
                events.put((time.perf_counter(), raw[5:].strip().decode()))

    threading.Thread(target=read_events, daemon=True).start()
    events.get(timeout=60)  # the version at connection
    reloads, rebuilds = [], []
    for edit in range(edits):
        while not lines.empty():
            lines.get_nowait()
        started = time.perf_counter()
        with open(path, "ab") as file:
            file.write(f"\nAn added paragraph, edit {edit + 1}.\n".encode())
        arrived, _ = events.get(timeout=120)
        reloads.append((arrived - started) * 1000)
        built = wait_for(r"^Built .* ([0-9.]+) ms after the change", 120)
        rebuilds.append(float(built.group(1)))
        print(f"edit {edit + 1}: reload event {reloads[-1]:.1f} ms, full rebuild done {rebuilds[-1]:.1f} ms after the write")
        # Let the served tab settle before the next edit, as a writer pauses between saves.
        time.sleep(0.5)
    print(f"median over {edits} edits of content/blog/{name}: reload event {statistics.median(reloads):.1f} ms "
          f"(min {min(reloads):.1f}, max {max(reloads):.1f}); full rebuild {statistics.median(rebuilds):.1f} ms")
finally:
    open(path, "wb").write(original)
    server.terminate()
    server.wait(timeout=30)
