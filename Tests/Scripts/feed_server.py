"""A misbehaving-on-demand HTTP server for testing and benchmarking `localgov feeds fetch`.

Usage:
    python3 Tests/Scripts/feed_server.py --port 0 --feeds DIR [--generate N] [--ignore-stdin]

Binds 127.0.0.1 only (port 0 picks a free port). Once listening it prints exactly one line,
`PORT <n>`, to stdout and flushes. It runs until SIGTERM, or until its stdin reaches EOF
(so a test that keeps stdin as a pipe takes the server down with it when it dies); pass
--ignore-stdin when starting it with stdin at /dev/null. It logs nothing per request.

Routes (anything else: 404 with a small HTML body; GET, HEAD and POST are all routed alike):

  /_log                      JSON {"requests": [...], "bytes_sent": total}; not itself recorded.
                             Each request: method, path (with query), headers (lower-cased names,
                             repeats joined with ", "), raw_headers ([name, value] as sent),
                             status, bytes (body bytes sent, framing excluded), time.
  /_reset                    (GET or POST) clears the log; not recorded.
  /feeds/<name>              file <name> from --feeds DIR, with a strong ETag (quoted sha1 of the
                             file) and Last-Modified (file mtime); conditional GET (If-None-Match,
                             else If-Modified-Since) gives 304. With ?gzip=1 and an Accept-Encoding
                             allowing gzip, the body is gzip-compressed (Content-Encoding: gzip).
  /etag-only/<name>          as /feeds/, with an ETag but no Last-Modified.
  /lastmod-only/<name>       as /feeds/, with Last-Modified but no ETag.
  /gzip/<name>               as /feeds/, gzip-compressed whenever Accept-Encoding allows gzip.
  /wrong-type/<name>         as /feeds/, served as Content-Type: text/html.
  /gen/<i>.xml               a generated, deterministic RSS 2.0 feed for member i (0 <= i < N,
                             --generate N), 10 items, fixed Last-Modified; otherwise as /feeds/.
  /redirect/<code>/<n>/<rest>  code (301, 302, 303, 307, 308) to /redirect/<code>/<n-1>/<rest>,
                             and at n == 0 to /<rest>. The query string is carried along.
  /redirect-abs/<code>/<rest>  code to the absolute http://127.0.0.1:<port>/<rest>.
  /loop/a, /loop/b           302 to each other, forever.
  /status/<code>             that status and a short text body; for 429 and 503, ?retry=SECONDS or
                             ?retry=date (an HTTP-date one hour ahead) sets Retry-After.
  /trickle?bytes=N&interval=S  200 with Content-Length N at once, then one byte of an XML prefix
                             (padded with spaces) every S seconds (defaults: 100 bytes, 1 s).
  /slow-headers?delay=S      waits S seconds (default 2) before answering with a tiny RSS feed.
  /big?mb=M                  M decimal megabytes (default 1) of RSS, chunked, no Content-Length.
  /big-declared?mb=M         the same bytes with a Content-Length.
  /gzip-bomb?mb=M            Content-Encoding: gzip, a small body that inflates to M MB (default 100)
                             of RSS padded with spaces; sent whatever Accept-Encoding says.
  /html-page                 a small HTML page (not a feed), text/html.
  /empty                     200, empty body, Content-Type: application/rss+xml.
"""
import argparse
import datetime
import email.utils
import gzip
import hashlib
import html
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
import zlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
}
RSS_TYPE = "application/rss+xml; charset=utf-8"
REDIRECT_CODES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
MB = 1_000_000
# Last-Modified of every generated feed: fixed, so that conditional GETs are repeatable.
GEN_LAST_MODIFIED = datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)

TINY_RSS = (b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<rss version="2.0"><channel><title>Slow</title><link>https://slow.example/</link>'
            b'<description>Answered late.</description>'
            b'<item><title>Late</title><link>https://slow.example/late/</link>'
            b'<guid>https://slow.example/late/</guid></item>'
            b'</channel></rss>\n')

BIG_HEAD = (b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>'
            b'<description>A very long feed.</description>\n')
BIG_ITEM = (b'<item><title>Same again</title><link>https://big.example/posts/same/</link>'
            b'<guid>https://big.example/posts/same/</guid>'
            b'<pubDate>Fri, 01 Mar 2024 12:00:00 GMT</pubDate>'
            b'<description>This item repeats until the feed is as big as asked.</description></item>\n')
BIG_FOOT = b'</channel></rss>\n'


class Log:
    """Every request the server saw, and the body bytes it sent for each. Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests = []
        self._bytes_sent = 0
        self._epoch = 0  # bumped by reset()

    def add(self, entry):
        """Records a request; returns the token to pass to count_bytes for it."""
        with self._lock:
            self._requests.append(entry)
            return self._epoch

    def count_bytes(self, entry, epoch, n):
        # Counted as they go out, so that /_log shows how far an interrupted stream got.
        # A stream that began before a reset no longer counts towards the total.
        with self._lock:
            entry["bytes"] += n
            if epoch == self._epoch:
                self._bytes_sent += n

    def snapshot(self):
        with self._lock:
            return {"requests": [dict(r) for r in self._requests], "bytes_sent": self._bytes_sent}

    def reset(self):
        with self._lock:
            self._requests = []
            self._bytes_sent = 0
            self._epoch += 1


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # benchmarks open many connections at once

    def __init__(self, address, feeds_dir, generate):
        super().__init__(address, Handler)
        self.feeds_dir = feeds_dir
        self.generate = generate
        self.log = Log()
        self._bomb_cache = {}
        self._bomb_lock = threading.Lock()

    @property
    def port(self):
        return self.server_address[1]

    def handle_error(self, request, client_address):
        # A client hanging up is part of what the tests do; anything else is a bug here.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def gzip_bomb(self, total):
        """A gzip stream of an RSS document `total` bytes long, padded with spaces. Cached."""
        with self._bomb_lock:
            if total not in self._bomb_cache:
                self._bomb_cache[total] = compress_stream(padded_document(total, BIG_HEAD, b"", BIG_FOOT))
            return self._bomb_cache[total]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feed_server/1"
    sys_version = ""
    disable_nagle_algorithm = True  # the trickle route writes one byte at a time

    def log_message(self, format, *args):
        pass

    def parse_request(self):
        # Forget the previous request on this connection before anything can answer this one
        # (the base class itself answers malformed requests and unknown methods).
        self.entry = None
        return super().parse_request()

    # --- dispatch --------------------------------------------------------------------------

    def do_GET(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        self.discard_request_body()
        url = urllib.parse.urlsplit(self.path)
        self.route = url.path
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        self.query_string = url.query

        if self.route == "/_log":
            return self.send_json(self.server.log.snapshot())
        if self.route == "/_reset":
            self.server.log.reset()
            return self.send_json({"ok": True})

        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        self.entry = {"method": self.command, "path": self.path, "headers": headers,
                      "raw_headers": [[n, v] for n, v in self.headers.items()],
                      "status": None, "bytes": 0, "time": time.time()}
        self.log_epoch = self.server.log.add(self.entry)

        try:
            self.route_request(self.route.split("/")[1:])
        except BadRequest as e:
            self.send_page(400, str(e))

    def route_request(self, parts):
        head, rest = parts[0], parts[1:]
        if head == "feeds" and len(rest) == 1:
            return self.serve_file(rest[0])
        if head == "etag-only" and len(rest) == 1:
            return self.serve_file(rest[0], last_modified=False)
        if head == "lastmod-only" and len(rest) == 1:
            return self.serve_file(rest[0], etag=False)
        if head == "gzip" and len(rest) == 1:
            return self.serve_file(rest[0], force_gzip=True)
        if head == "wrong-type" and len(rest) == 1:
            return self.serve_file(rest[0], content_type="text/html")
        if head == "gen" and len(rest) == 1:
            return self.serve_generated(rest[0])
        if head == "redirect" and len(rest) >= 3:
            code, n = self.redirect_code(rest[0]), int_or_400(rest[1], "hop count")
            if n < 0:
                raise BadRequest("hop count must not be negative")
            target = f"/redirect/{code}/{n - 1}/" if n > 0 else "/"
            return self.send_redirect(code, target + "/".join(rest[2:]))
        if head == "redirect-abs" and len(rest) >= 2:
            code = self.redirect_code(rest[0])
            return self.send_redirect(code, f"http://127.0.0.1:{self.server.port}/" + "/".join(rest[1:]))
        if head == "loop" and rest in (["a"], ["b"]):
            return self.send_redirect(302, "/loop/b" if rest == ["a"] else "/loop/a")
        if head == "status" and len(rest) == 1:
            return self.serve_status(int_or_400(rest[0], "status"))
        if head == "trickle" and not rest:
            return self.serve_trickle()
        if head == "slow-headers" and not rest:
            time.sleep(self.float_param("delay", 2.0))
            return self.send_body(200, TINY_RSS, RSS_TYPE)
        if head == "big" and not rest:
            return self.serve_big(declared=False)
        if head == "big-declared" and not rest:
            return self.serve_big(declared=True)
        if head == "gzip-bomb" and not rest:
            body = self.server.gzip_bomb(int(self.float_param("mb", 100) * MB))
            return self.send_body(200, body, RSS_TYPE, {"Content-Encoding": "gzip"})
        if head == "html-page" and not rest:
            return self.send_page(200, "A web page, not a feed",
                                  "<p>Our council news is on <a href=\"/feeds/news.xml\">our feed</a>.</p>")
        if head == "empty" and not rest:
            return self.send_body(200, b"", RSS_TYPE)
        self.send_page(404, "Not Found")

    # --- routes ----------------------------------------------------------------------------

    def serve_file(self, name, etag=True, last_modified=True, force_gzip=False, content_type=None):
        name = urllib.parse.unquote(name)
        # Only plain names inside --feeds: nothing that could climb out of it.
        if not name or "/" in name or "\\" in name or ".." in name or "\0" in name:
            return self.send_page(404, "Not Found")
        path = os.path.join(self.server.feeds_dir, name)
        try:
            with open(path, "rb") as f:
                data = f.read()
                mtime = int(os.fstat(f.fileno()).st_mtime)  # whole seconds, as HTTP-dates have
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return self.send_page(404, "Not Found")
        if content_type is None:
            content_type = CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
        self.send_representation(data, content_type, etag=etag,
                                 mtime=mtime if last_modified else None, force_gzip=force_gzip)

    def serve_generated(self, name):
        stem, ext = os.path.splitext(name)
        if ext != ".xml" or not stem.isdigit() or int(stem) >= self.server.generate:
            return self.send_page(404, "Not Found")
        self.send_representation(generated_feed(int(stem)), RSS_TYPE,
                                 mtime=int(GEN_LAST_MODIFIED.timestamp()))

    def send_representation(self, data, content_type, etag=True, mtime=None, force_gzip=False):
        """Sends `data` with validators, answering conditional GETs with 304.

        The ETag names the file's bytes, so the gzip-encoded variant carries the same one;
        that keeps revalidation simple for the client under test.
        """
        tag = '"' + hashlib.sha1(data).hexdigest() + '"' if etag else None
        headers = {}
        if tag:
            headers["ETag"] = tag
        if mtime is not None:
            headers["Last-Modified"] = email.utils.formatdate(mtime, usegmt=True)

        if self.not_modified(tag, mtime):
            return self.send_headers_only(304, headers)

        want_gzip = force_gzip or self.query.get("gzip") == "1"
        if want_gzip:
            headers["Vary"] = "Accept-Encoding"
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                data = gzip.compress(data, mtime=0)
                headers["Content-Encoding"] = "gzip"
        self.send_body(200, data, content_type, headers)

    def not_modified(self, tag, mtime):
        # RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only counts without it.
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            candidates = [t.strip() for t in inm.split(",")]
            # Weak comparison for If-None-Match: W/"x" matches "x".
            return "*" in candidates or (tag is not None and any(c.removeprefix("W/") == tag for c in candidates))
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and mtime is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=datetime.timezone.utc)
            return since.timestamp() >= mtime
        return False

    def redirect_code(self, text):
        code = int_or_400(text, "redirect code")
        if code not in REDIRECT_CODES:
            raise BadRequest(f"not a redirect code: {code}")
        return code

    def send_redirect(self, code, location):
        if self.query_string:
            location += "?" + self.query_string
        self.send_page(code, "Moved", f'<p>See <a href="{html.escape(location)}">here</a>.</p>',
                       {"Location": location})

    def serve_status(self, code):
        if not 200 <= code <= 599:
            raise BadRequest(f"status out of range: {code}")
        headers = {}
        retry = self.query.get("retry")
        if code in (429, 503) and retry:
            if retry == "date":
                headers["Retry-After"] = email.utils.formatdate(time.time() + 3600, usegmt=True)
            else:
                headers["Retry-After"] = str(int_or_400(retry, "retry"))
        if code in (204, 304):
            return self.send_headers_only(code, headers)
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Status"
        self.send_body(code, f"{code} {phrase}\n".encode(), "text/plain; charset=utf-8", headers)

    def serve_trickle(self):
        total = int_or_400(self.query.get("bytes", "100"), "bytes")
        interval = self.float_param("interval", 1.0)
        prefix = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Trickle</title>'
        body = prefix[:total] + b" " * max(0, total - len(prefix))
        self.start_response(200, RSS_TYPE, {"Content-Length": str(total)})
        if self.command == "HEAD":
            return
        try:
            for i in range(total):
                time.sleep(interval)
                self.write_body(body[i:i + 1])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def serve_big(self, declared):
        total = int(self.float_param("mb", 1) * MB)
        # HTTP/1.0 clients cannot take chunked bodies: end those by closing instead.
        chunked = not declared and self.request_version != "HTTP/1.0"
        if declared:
            headers = {"Content-Length": str(total)}
        elif chunked:
            headers = {"Transfer-Encoding": "chunked"}
        else:
            headers = {"Connection": "close"}
            self.close_connection = True
        self.start_response(200, RSS_TYPE, headers)
        if self.command == "HEAD":
            return
        try:
            for chunk in rechunk(padded_document(total, BIG_HEAD, BIG_ITEM, BIG_FOOT), CHUNK):
                if chunked:
                    self.wfile.write(b"%x\r\n" % len(chunk))
                    self.write_body(chunk)
                    self.wfile.write(b"\r\n")
                else:
                    self.write_body(chunk)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- response helpers ------------------------------------------------------------------

    def send_response(self, code, message=None):
        if getattr(self, "entry", None) is not None:
            self.entry["status"] = code
        super().send_response(code, message)

    def start_response(self, code, content_type, headers=None):
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def send_headers_only(self, code, headers=None):
        """For 204 and 304, which never have a body (nor a Content-Length here)."""
        self.start_response(code, None, headers)

    def send_body(self, code, body, content_type, headers=None):
        headers = dict(headers or {})
        headers["Content-Length"] = str(len(body))
        self.start_response(code, content_type, headers)
        if self.command != "HEAD":
            self.write_body(body)

    def write_body(self, data):
        self.wfile.write(data)
        if self.entry is not None:
            self.server.log.count_bytes(self.entry, self.log_epoch, len(data))

    def send_page(self, code, title, paragraph="", headers=None):
        page = (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
                f"<body><h1>{html.escape(title)}</h1>{paragraph}</body></html>\n")
        self.send_body(code, page.encode(), "text/html; charset=utf-8", headers)

    def send_json(self, value):
        self.send_body(200, json.dumps(value).encode(), "application/json")

    def discard_request_body(self):
        length = self.headers.get("Content-Length")
        if length and length.isdigit():
            self.rfile.read(int(length))
        elif "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            # Not worth parsing: answer, then drop the connection rather than misread it.
            self.close_connection = True

    def float_param(self, name, default):
        value = self.query.get(name)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise BadRequest(f"{name} must be a number") from None


class BadRequest(Exception):
    pass


def int_or_400(text, what):
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"{what} must be an integer") from None


def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding value allows gzip (honouring q=0 and *)."""
    qualities = {}
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        qualities[coding.strip().lower()] = q
    for coding in ("gzip", "x-gzip"):
        if coding in qualities:
            return qualities[coding] > 0
    return qualities.get("*", 0) > 0


def padded_document(total, head, item, foot):
    """Yields pieces of a document exactly `total` bytes long: head, as many whole items as fit,
    spaces to make up the rest, foot. (Truncated if `total` is smaller than head and foot.)"""
    room = total - len(head) - len(foot)
    if room < 0:
        yield (head + foot)[:total]
        return
    yield head
    count = room // len(item) if item else 0
    pad = room - count * len(item)
    batch = max(1, CHUNK // len(item)) if item else 0
    while count > 0:
        n = min(batch, count)
        yield item * n
        count -= n
    block = b" " * CHUNK
    while pad > 0:
        n = min(pad, CHUNK)
        yield block[:n]
        pad -= n
    yield foot


def rechunk(pieces, size):
    """Regroups byte pieces into chunks of exactly `size` bytes (the last may be shorter)."""
    buf = bytearray()
    for piece in pieces:
        buf += piece
        while len(buf) >= size:
            yield bytes(buf[:size])
            del buf[:size]
    if buf:
        yield bytes(buf)


def compress_stream(pieces):
    """gzip-compresses the pieces without ever holding the uncompressed whole in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip wrapper
    out = [comp.compress(piece) for piece in pieces]
    out.append(comp.flush())
    return b"".join(out)


WORDS = ("council ward budget meeting parks library road repair consultation planning housing "
         "school bus route recycling bins festival volunteers surgery residents petition crossing "
         "allotments bridge flooding grant community centre lighting").split()


def generated_feed(i):
    """Member i's RSS 2.0 feed: 10 items, the same bytes every time for the same i."""
    def words(seed, n):
        return " ".join(WORDS[(seed * 7 + j * 13) % len(WORDS)] for j in range(n))

    site = f"https://member-{i}.example"
    items = []
    for k in range(10):
        url = f"{site}/posts/{k}/"
        published = GEN_LAST_MODIFIED - datetime.timedelta(days=k, hours=i % 24)
        sentences = [words(i * 31 + k * 5 + s, 12).capitalize() + "." for s in range(4)]
        items.append(
            f"    <item>\n"
            f"      <title>{html.escape(words(i + k, 4).title())} ({k})</title>\n"
            f"      <link>{url}</link>\n"
            f"      <guid isPermaLink=\"true\">{url}</guid>\n"
            f"      <pubDate>{email.utils.format_datetime(published, usegmt=True)}</pubDate>\n"
            f"      <description>{html.escape(' '.join(sentences))}</description>\n"
            f"    </item>\n")
    doc = (f'<?xml version="1.0" encoding="utf-8"?>\n'
           f'<rss version="2.0">\n  <channel>\n'
           f"    <title>Member {i}</title>\n"
           f"    <link>{site}/</link>\n"
           f"    <description>News from member {i}.</description>\n"
           f"    <language>en-gb</language>\n"
           f"    <lastBuildDate>{email.utils.format_datetime(GEN_LAST_MODIFIED, usegmt=True)}</lastBuildDate>\n"
           + "".join(items) +
           "  </channel>\n</rss>\n")
    return doc.encode()


def exit_on_stdin_eof(server):
    """Waits for stdin to close (the parent died or let go), then stops the server."""
    # os.read rather than sys.stdin: a daemon thread blocked inside a buffered reader holds
    # its lock, and the interpreter then aborts at exit (e.g. after SIGTERM).
    try:
        while os.read(sys.stdin.fileno(), 4096):
            pass
    except (OSError, ValueError):
        pass
    # shutdown() waits for serve_forever() to return, so it must run off the main thread: here.
    server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--feeds", required=True, help="folder of feed files served under /feeds/")
    parser.add_argument("--generate", type=int, default=0, metavar="N", help="serve /gen/0.xml .. /gen/N-1.xml")
    parser.add_argument("--ignore-stdin", action="store_true", help="do not exit when stdin closes")
    args = parser.parse_args()

    server = FeedServer(("127.0.0.1", args.port), os.path.abspath(args.feeds), args.generate)
    # The socket is listening once the constructor returns; connections wait in the backlog.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not args.ignore_stdin:
        threading.Thread(target=exit_on_stdin_eof, args=(server,), daemon=True).start()
    print(f"PORT {server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
