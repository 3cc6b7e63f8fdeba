"""Self-check for feed_server.py: starts it on a free port and exercises every route.

Run: python3 Tests/Scripts/test_feed_server.py   (standard library only; about 5 seconds)
"""
import email.utils
import gzip
import hashlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feed_server.py")

RSS = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>A</title></channel></rss>\n'
ATOM = b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title></feed>\n'
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "C", "items": []}\n'
RDF = b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
MTIME = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT


def start_server(feeds_dir, *extra):
    """Starts the server with stdin as a pipe; returns (process, port)."""
    proc = subprocess.Popen([sys.executable, SERVER, "--port", "0", "--feeds", feeds_dir, *extra],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("PORT "), f"unexpected first line {line!r}"
    return proc, int(line.split()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FeedServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        for name, data in [("a.xml", RSS), ("b.atom", ATOM), ("c.json", JSON_FEED), ("d.rdf", RDF)]:
            path = os.path.join(cls.tmp.name, name)
            with open(path, "wb") as f:
                f.write(data)
            os.utime(path, (MTIME, MTIME))
        cls.proc, cls.port = start_server(cls.tmp.name, "--generate", "3")

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(5)
        cls.proc.stdin.close()
        cls.proc.stdout.close()
        cls.tmp.cleanup()

    # --- helpers -------------------------------------------------------------------------

    def request(self, path, headers=None, method="GET"):
        """One request on a fresh connection, no redirects followed: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def get(self, path, headers=None):
        """GET through urllib (which follows redirects); HTTP errors come back as responses."""
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def server_log(self):
        return json.loads(self.get("/_log")[2])

    # --- /feeds and friends --------------------------------------------------------------

    def test_feed_file_with_validators(self):
        status, headers, body = self.get("/feeds/a.xml")
        self.assertEqual(status, 200)
        self.assertEqual(body, RSS)
        self.assertEqual(headers["Content-Type"], "application/rss+xml; charset=utf-8")
        self.assertEqual(headers["ETag"], '"%s"' % hashlib.sha1(RSS).hexdigest())
        self.assertEqual(headers["Last-Modified"], "Tue, 14 Nov 2023 22:13:20 GMT")
        self.assertEqual(headers["Content-Length"], str(len(RSS)))

    def test_content_types(self):
        for name, want in [("b.atom", "application/atom+xml"), ("c.json", "application/feed+json"),
                           ("d.rdf", "application/rdf+xml")]:
            self.assertEqual(self.get("/feeds/" + name)[1]["Content-Type"], want, name)
        self.assertEqual(self.get("/wrong-type/a.xml")[1]["Content-Type"], "text/html")

    def test_conditional_get(self):
        etag = self.get("/feeds/a.xml")[1]["ETag"]
        lastmod = "Tue, 14 Nov 2023 22:13:20 GMT"
        later = "Wed, 15 Nov 2023 00:00:00 GMT"
        earlier = "Tue, 14 Nov 2023 22:13:19 GMT"
        cases = [
            ({"If-None-Match": etag}, 304),
            ({"If-None-Match": '"other", ' + etag}, 304),
            ({"If-None-Match": "W/" + etag}, 304),
            ({"If-None-Match": '"other"'}, 200),
            ({"If-Modified-Since": lastmod}, 304),
            ({"If-Modified-Since": later}, 304),
            ({"If-Modified-Since": earlier}, 200),
            ({"If-Modified-Since": "garbage"}, 200),
            # If-None-Match decides whenever it is present.
            ({"If-None-Match": '"other"', "If-Modified-Since": later}, 200),
        ]
        for headers, want in cases:
            status, resp_headers, body = self.request("/feeds/a.xml", headers)
            self.assertEqual(status, want, headers)
            if want == 304:
                self.assertEqual(body, b"")
                self.assertEqual(resp_headers["ETag"], etag)

    def test_etag_only_and_lastmod_only(self):
        headers = self.get("/etag-only/a.xml")[1]
        self.assertIn("ETag", headers)
        self.assertNotIn("Last-Modified", headers)
        self.assertEqual(self.request("/etag-only/a.xml", {"If-None-Match": headers["ETag"]})[0], 304)
        # Without Last-Modified, If-Modified-Since cannot match.
        self.assertEqual(self.request("/etag-only/a.xml", {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})[0], 200)

        headers = self.get("/lastmod-only/a.xml")[1]
        self.assertNotIn("ETag", headers)
        self.assertEqual(headers["Last-Modified"], "Tue, 14 Nov 2023 22:13:20 GMT")
        self.assertEqual(self.request("/lastmod-only/a.xml", {"If-Modified-Since": headers["Last-Modified"]})[0], 304)
        self.assertEqual(self.request("/lastmod-only/a.xml", {"If-None-Match": '"x"'})[0], 200)

    def test_gzip(self):
        status, headers, body = self.request("/feeds/a.xml?gzip=1", {"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(headers["Vary"], "Accept-Encoding")
        self.assertEqual(gzip.decompress(body), RSS)
        # gzip=1 without Accept-Encoding, or Accept-Encoding without gzip=1: plain.
        for path, headers in [("/feeds/a.xml?gzip=1", {}), ("/feeds/a.xml", {"Accept-Encoding": "gzip"}),
                              ("/feeds/a.xml?gzip=1", {"Accept-Encoding": "gzip;q=0, identity"}),
                              ("/gzip/a.xml", {"Accept-Encoding": "identity"})]:
            status, resp_headers, body = self.request(path, headers)
            self.assertNotIn("Content-Encoding", resp_headers, (path, headers))
            self.assertEqual(body, RSS, (path, headers))
        for accept in ["gzip", "br;q=1.0, gzip;q=0.8", "*"]:
            status, headers, body = self.request("/gzip/a.xml", {"Accept-Encoding": accept})
            self.assertEqual(headers["Content-Encoding"], "gzip", accept)
            self.assertEqual(gzip.decompress(body), RSS)

    def test_missing_files_and_traversal(self):
        for path in ["/feeds/nope.xml", "/feeds/..", "/feeds/..%2Ffeed_server.py", "/feeds/a%2Fb.xml",
                     "/feeds/../a.xml", "/feeds/", "/nowhere", "/"]:
            status, headers, body = self.request(path)
            self.assertEqual(status, 404, path)
            self.assertIn(b"<html", body)

    def test_head(self):
        status, headers, body = self.request("/feeds/a.xml", method="HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(headers["Content-Length"], str(len(RSS)))

    # --- generated feeds -----------------------------------------------------------------

    def test_generated_feeds(self):
        status, headers, body = self.get("/gen/2.xml")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Last-Modified"], "Fri, 01 Mar 2024 12:00:00 GMT")
        items = ET.fromstring(body).findall("./channel/item")
        self.assertEqual(len(items), 10)
        self.assertEqual(items[4].findtext("link"), "https://member-2.example/posts/4/")
        self.assertEqual(items[4].findtext("guid"), "https://member-2.example/posts/4/")
        self.assertIsNotNone(email.utils.parsedate_to_datetime(items[4].findtext("pubDate")))
        self.assertGreater(len(items[4].findtext("description")), 100)
        self.assertEqual(self.get("/gen/2.xml")[2], body, "not deterministic")
        self.assertNotEqual(self.get("/gen/1.xml")[2], body)
        self.assertEqual(self.request("/gen/2.xml", {"If-None-Match": headers["ETag"]})[0], 304)
        self.assertEqual(self.request("/gen/2.xml", {"If-Modified-Since": headers["Last-Modified"]})[0], 304)
        for path in ["/gen/3.xml", "/gen/-1.xml", "/gen/x.xml", "/gen/1.rss"]:
            self.assertEqual(self.request(path)[0], 404, path)

    # --- redirects -----------------------------------------------------------------------

    def test_redirect_chain(self):
        for code in (301, 302, 307, 308):
            status, headers, _ = self.request(f"/redirect/{code}/2/feeds/a.xml")
            self.assertEqual((status, headers["Location"]), (code, f"/redirect/{code}/1/feeds/a.xml"))
        status, headers, _ = self.request("/redirect/301/0/feeds/a.xml?gzip=1")
        self.assertEqual(headers["Location"], "/feeds/a.xml?gzip=1")
        # A client that follows them ends on the feed.
        self.assertEqual(self.get("/redirect/302/3/feeds/a.xml")[2], RSS)
        self.assertEqual(self.request("/redirect/200/1/feeds/a.xml")[0], 400)

    def test_absolute_redirect_and_loop(self):
        status, headers, _ = self.request("/redirect-abs/308/feeds/a.xml")
        self.assertEqual((status, headers["Location"]), (308, f"http://127.0.0.1:{self.port}/feeds/a.xml"))
        self.assertEqual(self.request("/loop/a")[1]["Location"], "/loop/b")
        self.assertEqual(self.request("/loop/b")[1]["Location"], "/loop/a")
        status = self.get("/loop/a")[0]  # urllib gives up on the loop
        self.assertEqual(status, 302)

    # --- statuses and odd bodies ---------------------------------------------------------

    def test_status(self):
        status, headers, body = self.request("/status/500")
        self.assertEqual((status, body), (500, b"500 Internal Server Error\n"))
        self.assertEqual(self.request("/status/410")[0], 410)
        self.assertEqual(self.request("/status/429?retry=120")[1]["Retry-After"], "120")
        self.assertNotIn("Retry-After", self.request("/status/503")[1])
        retry = self.request("/status/503?retry=date")[1]["Retry-After"]
        ahead = email.utils.parsedate_to_datetime(retry).timestamp() - time.time()
        self.assertTrue(3590 < ahead <= 3600, ahead)
        status, headers, body = self.request("/status/204")
        self.assertEqual((status, body), (204, b""))

    def test_small_pages(self):
        status, headers, body = self.get("/html-page")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn(b"<html", body)
        status, headers, body = self.get("/empty")
        self.assertEqual((status, body, headers["Content-Type"]), (200, b"", "application/rss+xml; charset=utf-8"))
        self.assertEqual(headers["Content-Length"], "0")

    def test_big_chunked_and_declared(self):
        status, headers, body = self.request("/big?mb=1.5")
        self.assertEqual(headers["Transfer-Encoding"], "chunked")
        self.assertNotIn("Content-Length", headers)
        self.assertEqual(len(body), 1_500_000)
        self.assertGreater(len(ET.fromstring(body).findall("./channel/item")), 1000)
        status, headers, declared = self.request("/big-declared?mb=1.5")
        self.assertEqual(headers["Content-Length"], "1500000")
        self.assertEqual(declared, body)

    def test_gzip_bomb(self):
        status, headers, body = self.request("/gzip-bomb?mb=20")
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertLess(len(body), 50_000)
        inflated = gzip.decompress(body)
        self.assertEqual(len(inflated), 20_000_000)
        self.assertEqual(ET.fromstring(inflated).findtext("./channel/title"), "Big")

    # --- timing --------------------------------------------------------------------------

    def test_trickle(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        start = time.monotonic()
        conn.request("GET", "/trickle?bytes=5&interval=0.2")
        resp = conn.getresponse()
        headers_at = time.monotonic() - start
        self.assertLess(headers_at, 0.15, "headers should come at once, before the first byte")
        self.assertEqual(resp.headers["Content-Length"], "5")
        arrivals = []
        body = b""
        while len(body) < 5:
            body += resp.read(1)
            arrivals.append(time.monotonic() - start)
        conn.close()
        self.assertEqual(body, b"<?xml")
        self.assertGreater(arrivals[-1], 0.9)
        self.assertTrue(all(b - a > 0.12 for a, b in zip(arrivals, arrivals[1:])), arrivals)

    def test_trickle_client_hangs_up(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/trickle?bytes=50&interval=0.02", headers={"User-Agent": "quitter"})
        conn.getresponse().read(2)
        conn.close()
        time.sleep(0.3)  # the server keeps writing into the closed socket, and must give up quietly
        self.assertEqual(self.get("/feeds/a.xml")[0], 200)
        entry = [r for r in self.server_log()["requests"] if r["headers"].get("user-agent") == "quitter"][0]
        self.assertLess(entry["bytes"], 50)

    def test_slow_headers(self):
        start = time.monotonic()
        status, headers, body = self.request("/slow-headers?delay=0.5")
        self.assertGreaterEqual(time.monotonic() - start, 0.5)
        self.assertEqual(ET.fromstring(body).tag, "rss")

    def test_concurrent_requests(self):
        # A slow response on one connection must not hold up another.
        slow = threading.Thread(target=self.request, args=("/slow-headers?delay=1",))
        slow.start()
        time.sleep(0.05)
        start = time.monotonic()
        self.assertEqual(self.request("/feeds/a.xml")[0], 200)
        self.assertLess(time.monotonic() - start, 0.5)
        slow.join()

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sockets = set()
        for path, headers in [("/feeds/a.xml", {}), ("/status/404", {}), ("/redirect/301/0/feeds/a.xml", {}),
                              ("/big?mb=0.2", {}), ("/feeds/a.xml?gzip=1", {"Accept-Encoding": "gzip"}),
                              ("/feeds/a.xml", {"If-None-Match": "*"}), ("/status/204", {}), ("/feeds/a.xml", {})]:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            self.assertFalse(resp.will_close, path)
            sockets.add(id(conn.sock))
        conn.close()
        self.assertEqual(len(sockets), 1, "the connection was not reused")

    # --- the log -------------------------------------------------------------------------

    def test_log(self):
        # Other tests share the server; look only at this test's own requests.
        self.get("/_reset")
        self.get("/feeds/a.xml", {"User-Agent": "localgov-test/1.0", "X-Thing": "one"})
        self.request("/nowhere?x=1", method="POST", headers={"User-Agent": "localgov-test/1.0"})
        log = self.server_log()
        mine = [r for r in log["requests"] if r["headers"].get("user-agent") == "localgov-test/1.0"]
        self.assertEqual([(r["method"], r["path"], r["status"]) for r in mine],
                         [("GET", "/feeds/a.xml", 200), ("POST", "/nowhere?x=1", 404)])
        self.assertEqual(mine[0]["headers"]["x-thing"], "one")
        self.assertIn(["User-Agent", "localgov-test/1.0"], mine[0]["raw_headers"])
        self.assertEqual(mine[0]["bytes"], len(RSS))
        self.assertNotIn("/_log", [r["path"] for r in log["requests"]])
        self.assertEqual(log["bytes_sent"], sum(r["bytes"] for r in log["requests"]))

        self.request("/_reset", method="POST")
        log = self.server_log()
        self.assertEqual(log["bytes_sent"], sum(r["bytes"] for r in log["requests"]))
        self.assertNotIn("localgov-test/1.0", [r["headers"].get("user-agent") for r in log["requests"]])

    def test_log_status_is_not_overwritten_on_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/feeds/a.xml", headers={"User-Agent": "keeper"})
        conn.getresponse().read()
        conn.request("PUT", "/feeds/a.xml", body=b"x")  # unsupported: the base class answers 501
        self.assertEqual(conn.getresponse().status, 501)
        conn.close()
        entry = [r for r in self.server_log()["requests"] if r["headers"].get("user-agent") == "keeper"][0]
        self.assertEqual(entry["status"], 200)

    def test_reset_during_a_stream(self):
        # Bytes a stream sends after a reset belong to no listed request, so the total skips them.
        streaming = threading.Thread(target=self.request, args=("/trickle?bytes=8&interval=0.05",))
        streaming.start()
        time.sleep(0.15)
        self.get("/_reset")
        streaming.join()
        log = self.server_log()
        self.assertEqual(log["bytes_sent"], sum(r["bytes"] for r in log["requests"]))


class LifecycleTest(unittest.TestCase):
    def test_exits_when_stdin_closes(self):
        with tempfile.TemporaryDirectory() as feeds:
            proc, port = start_server(feeds)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/empty")
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()
            proc.stdin.close()
            self.assertEqual(proc.wait(5), 0)
            proc.stdout.close()

    def test_exits_on_sigterm(self):
        with tempfile.TemporaryDirectory() as feeds:
            proc, port = start_server(feeds)
            proc.terminate()
            self.assertEqual(proc.wait(5), 0)
            proc.stdin.close()
            self.assertEqual(proc.stdout.read(), "")  # nothing after the PORT line
            proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
