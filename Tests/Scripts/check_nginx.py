"""Serves a built site through a real nginx with the shipped deploy/nginx.conf, and checks it.

Usage: check_nginx.py SITE_DIR      (SITE_DIR built with `localgov build --precompress`)

nginx runs in the foreground as a child of this script, on a free 127.0.0.1 port, with its pid,
logs and temporary folders in a private temp prefix. Its main config is the least nginx needs
around our server block: `events {}` and `http { include /etc/nginx/mime.types; ... }`, which
includes deploy/nginx.conf with its `listen` and `root` lines rewritten (and nothing else). The
root is a link to SITE_DIR inside a folder that also holds a secret file, for the traversal check.

Checks, each failure printed as "CHECK: URL: DETAIL":
  - pages:     every *.html file answers 200 at its clean URL (blog/index.html at /blog/) as
               text/html; charset=utf-8, with the file's bytes;
  - files:     every other file answers 200 with its bytes; css, js, json, opml, csv, txt, svg and
               webmanifest files with their types, xml files by their root element (rss:
               application/rss+xml, Atom feed: application/atom+xml, others application/xml);
               text types say charset=utf-8;
  - redirects: every alias in the build's two nginx maps answers 301 with its page's path (a path
               alias with the request's query passed on), and its redirect page is not served;
  - gzip:      with Accept-Encoding: gzip, every file with an X.gz twin is sent as the twin's exact
               bytes with Content-Encoding: gzip and Vary: Accept-Encoding, and they gunzip to X;
  - 404:       a missing page answers 404 with the bytes of the site's 404.html (plain and gzipped);
  - cache:     a hashed search shard is cached for a year and immutable; the search manifest is
               revalidated (no-cache); a page and a feed are cached for at most ten minutes;
  - folder:    /blog (a folder, no slash) redirects to /blog/ or serves the same page;
  - traversal: /../, %2e%2e and encoded slashes never reach the file beside the root;
  - headers:   nosniff, a Referrer-Policy, a Content-Security-Policy and a Server header without
               a version, on a page and on the 404 page;
  - csp:       no page has what the policy blocks (inline scripts, event handler attributes,
               javascript: links, style elements, style attributes whose hash it does not list);
  - browser:   in headless Chromium through nginx, the home page, a post, the search page with a
               query (which must show results: the index is fetched under the policy) and the
               404 page cause no policy violation, and of the style attributes markdown writes
               (aligned table columns) all are allowed while another is refused.

Prints "pages=N files=N gzip=N redirects=N failures=N" last; exits 0 if nothing failed, 1 if something did,
2 if nginx could not start.
"""
import base64
import gzip
import hashlib
import html.parser
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from browser import driver

SERVER_BLOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "nginx.conf")
MIME_TYPES = "/etc/nginx/mime.types"

TYPES = {
    "css": "text/css", "js": "application/javascript", "json": "application/json", "opml": "text/x-opml",
    "csv": "text/csv", "txt": "text/plain", "svg": "image/svg+xml", "webmanifest": "application/manifest+json",
}
FEED_TYPES = {"rss": "application/rss+xml", "feed": "application/atom+xml"}
HASHED_SHARD = re.compile(r"^(t-[0-9a-f]+|d-[0-9]+\.[0-9a-f]+)\.json$")
SHORT_CACHE_SECONDS = 600
# What cmark-gfm writes for aligned table columns (Markdown.swift asks it for style attributes).
MARKDOWN_STYLES = ["text-align: left", "text-align: center", "text-align: right"]

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
"""


class NginxFailed(Exception):
    pass


class Nginx:
    """nginx in the foreground on 127.0.0.1, serving ROOT with deploy/nginx.conf."""

    def __init__(self, root, prefix):
        self.prefix = prefix
        self.port = free_port()
        with open(SERVER_BLOCK, encoding="utf-8") as f:
            server = rewrite(f.read(), self.port, root)
        with open(os.path.join(prefix, "site.conf"), "w", encoding="utf-8") as f:
            f.write(server)
        temp_paths = "\n".join(f"  {kind}_temp_path {os.path.join(prefix, kind)};"
                               for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
        with open(os.path.join(prefix, "nginx.conf"), "w", encoding="utf-8") as f:
            f.write(f"daemon off;\npid {os.path.join(prefix, 'nginx.pid')};\nevents {{}}\nhttp {{\n"
                    f"  include {MIME_TYPES};\n  default_type application/octet-stream;\n"
                    f"  access_log {os.path.join(prefix, 'access.log')};\n{temp_paths}\n"
                    f"  include {os.path.join(prefix, 'site.conf')};\n}}\n")
        self.process = None

    def start(self):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(binary):
            raise NginxFailed("nginx is not installed (Debian's nginx package; scripts/install-deps --test installs it)")
        error_log = os.path.join(self.prefix, "error.log")
        self.process = subprocess.Popen(
            [binary, "-p", self.prefix, "-c", os.path.join(self.prefix, "nginx.conf"), "-e", error_log],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                # Errors in the config go to stderr; later ones to the log.
                detail = self.process.stderr.read().decode(errors="replace").strip()
                if not detail and os.path.exists(error_log):
                    with open(error_log, encoding="utf-8", errors="replace") as f:
                        detail = f.read().strip()
                raise NginxFailed(f"nginx exited with {self.process.returncode}: {detail}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise NginxFailed(f"nginx did not listen on 127.0.0.1:{self.port} within 10 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def rewrite(config, port, root):
    """The shipped server block with only its listen and root lines changed."""
    config, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", lambda m: f"{m[1]}listen 127.0.0.1:{port};", config)
    shipped_root = re.search(r"(?m)^\s*root\s+([^;]+);", config)
    config, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f'{m[1]}root "{root}";', config)
    if (listens, roots) != (1, 1):
        raise NginxFailed(f"{SERVER_BLOCK} should have one listen and one root line, not {listens} and {roots}")
    # The redirect maps are included from the built site: the same folder as root.
    prefix = re.escape(shipped_root[1].strip())
    config, includes = re.subn(rf"(?m)^(\s*)include\s+{prefix}/([^;]+);", lambda m: f'{m[1]}include "{root}/{m[2]}";', config)
    if includes != 2:
        raise NginxFailed(f"{SERVER_BLOCK} should include the two redirect maps from its root, not {includes}")
    return config


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port):
        self.port = port

    def get(self, path, **headers):
        """(status, lower-cased headers, body) of a GET of the raw path, sent exactly as given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            # http.client adds Accept-Encoding: identity unless the request names one.
            connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def url_of(relative):
    """blog/index.html → /blog/; index.html → /; anything else → /its/path, percent-encoded."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return "/" + urllib.parse.quote(relative)


def site_files(site):
    found = []
    for folder, _, names in os.walk(site):
        for name in names:
            found.append(os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/"))
    return sorted(found)


def read(site, relative):
    with open(os.path.join(site, relative), "rb") as f:
        return f.read()


def expected_type(site, relative):
    extension = relative.rsplit(".", 1)[-1].lower()
    if extension == "html":
        return "text/html"
    if extension == "xml":
        root = ElementTree.parse(os.path.join(site, relative)).getroot().tag.rsplit("}", 1)[-1]
        return FEED_TYPES.get(root, "application/xml")
    return TYPES.get(extension)


def media_type(headers):
    return headers.get("content-type", "").split(";")[0].strip()


def max_age(headers):
    match = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    return int(match[1]) if match else None


class Checks:
    def __init__(self, site, client):
        self.site = site
        self.client = client
        self.failures = []
        self.files = site_files(site)
        # The alias pages: nginx answers their addresses with a 301 instead (see redirects).
        moved = {source for source, _ in self.redirect_map("_redirects.nginx-map")}
        self.moved = {f for f in self.files if urllib.parse.unquote(url_of(f.removesuffix(".gz"))) in moved}

    def fail(self, check, url, detail):
        self.failures.append(f"{check}: {url}: {detail}")

    def expect_file(self, check, relative, url):
        status, headers, body = self.client.get(url)
        if status != 200:
            self.fail(check, url, f"status {status}, expected 200")
            return
        want = expected_type(self.site, relative)
        got = headers.get("content-type", "")
        if want and media_type(headers) != want:
            self.fail(check, url, f"Content-Type {got!r}, expected {want}")
        if want and "charset=utf-8" not in got.lower():
            self.fail(check, url, f"Content-Type {got!r} does not say charset=utf-8")
        if body != read(self.site, relative):
            self.fail(check, url, f"the body ({len(body)} bytes) is not {relative}")

    def redirect_map(self, name):
        """(from, to) of each line of a redirect map the build wrote."""
        text = read(self.site, name).decode()
        return re.findall(r'(?m)^"([^"]+)" "([^"]+)";$', text)

    def redirects(self):
        """Every alias answers 301 with its page's path; a path alias passes the query on."""
        paths, queries = self.redirect_map("_redirects.nginx-map"), self.redirect_map("_redirects-query.nginx-map")
        for source, target in paths:
            for query in ["", "?utm_source=old-link"]:
                url = urllib.parse.quote(source) + query
                status, headers, _ = self.client.get(url)
                if status != 301 or headers.get("location") != target + query:
                    self.fail("redirects", url, f"status {status}, Location {headers.get('location')!r}; expected 301 to {target + query}")
        for source, target in queries:
            status, headers, _ = self.client.get(source)
            if status != 301 or headers.get("location") != target:
                self.fail("redirects", source, f"status {status}, Location {headers.get('location')!r}; expected 301 to {target}")
        return len(paths) + len(queries)

    def pages_and_files(self):
        served = [f for f in self.files if not f.endswith(".gz") and f not in self.moved]
        for relative in served:
            self.expect_file("pages" if relative.endswith(".html") else "files", relative, url_of(relative))
        return sum(f.endswith(".html") for f in served), sum(not f.endswith(".html") for f in served)

    def precompressed(self):
        twins = [f for f in self.files if f.endswith(".gz") and f[:-3] in self.files and f not in self.moved]
        if not twins:
            self.fail("gzip", "/", "the site has no .gz files; build it with --precompress")
        for twin in twins:
            original, url = twin[:-3], url_of(twin[:-3])
            status, headers, body = self.client.get(url, Accept_Encoding="gzip")
            if status != 200 or headers.get("content-encoding") != "gzip":
                self.fail("gzip", url, f"status {status}, Content-Encoding {headers.get('content-encoding')!r}")
                continue
            if "accept-encoding" not in headers.get("vary", "").lower():
                self.fail("gzip", url, f"Vary {headers.get('vary')!r} does not name Accept-Encoding")
            if body != read(self.site, twin):
                self.fail("gzip", url, f"not the bytes of {twin}: compressed again instead of sent as it is")
            elif gzip.decompress(body) != read(self.site, original):
                self.fail("gzip", url, f"{twin} does not gunzip to {original}")
        return len(twins)

    def not_found(self):
        url = f"/no-such-page-{secrets.token_hex(4)}/"
        page = read(self.site, "404.html")
        status, headers, body = self.client.get(url)
        if status != 404 or body != page or media_type(headers) != "text/html":
            self.fail("404", url, f"status {status}, {media_type(headers)}, {len(body)} bytes; expected 404 "
                                  f"with 404.html ({len(page)} bytes)")
        status, headers, body = self.client.get(url, Accept_Encoding="gzip")
        plain = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        if status != 404 or plain != page:
            self.fail("404", url, f"with Accept-Encoding: gzip, status {status} and not 404.html")

    def cache(self):
        shards = [f for f in self.files if f.startswith("search/") and HASHED_SHARD.match(f[len("search/"):])]
        if not shards:
            self.fail("cache", "/search/", "no hashed search shard (t-HASH.json, d-N.HASH.json) to check")
        for shard in shards[:1]:
            _, headers, _ = self.client.get(url_of(shard))
            control = headers.get("cache-control", "")
            if max_age(headers) != 31536000 or "immutable" not in control:
                self.fail("cache", url_of(shard), f"Cache-Control {control!r}, expected a year and immutable")
        _, headers, _ = self.client.get("/search/manifest.json")
        if "no-cache" not in headers.get("cache-control", ""):
            self.fail("cache", "/search/manifest.json", f"Cache-Control {headers.get('cache-control')!r}, expected no-cache")
        feeds = [f for f in self.files if f.endswith("feed.xml")][:1]
        for url in ["/"] + [url_of(f) for f in feeds]:
            _, headers, _ = self.client.get(url)
            control = headers.get("cache-control", "")
            short = "no-cache" in control or (max_age(headers) is not None and max_age(headers) <= SHORT_CACHE_SECONDS)
            if not short or "immutable" in control:
                self.fail("cache", url, f"Cache-Control {control!r}, expected at most {SHORT_CACHE_SECONDS} s")

    def folder_without_slash(self):
        folders = [f[: -len("/index.html")] for f in self.files if f.endswith("/index.html")]
        folder = "blog" if "blog" in folders else folders[0]
        url = "/" + urllib.parse.quote(folder)
        status, headers, body = self.client.get(url)
        location = urllib.parse.urlsplit(headers.get("location", "")).path
        if status in (301, 302, 307, 308) and location == url + "/":
            return
        if status == 200 and body == read(self.site, folder + "/index.html"):
            return
        self.fail("folder", url, f"status {status}, Location {headers.get('location')!r}")

    def traversal(self, secret):
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/blog/../../secret.txt",
                     "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/blog/%2e%2e/%2e%2e/secret.txt",
                     "/%2e%2e/", "/./../secret.txt"]:
            status, _, body = self.client.get(path)
            if secret in body:
                self.fail("traversal", path, f"status {status} and the file outside the root")
            elif status not in (400, 403, 404):
                self.fail("traversal", path, f"status {status}, expected 400, 403 or 404")

    def headers(self):
        for url, expected in [("/", 200), (f"/no-such-page-{secrets.token_hex(4)}", 404)]:
            status, headers, _ = self.client.get(url)
            if status != expected:
                self.fail("headers", url, f"status {status}")
            if headers.get("x-content-type-options") != "nosniff":
                self.fail("headers", url, f"X-Content-Type-Options {headers.get('x-content-type-options')!r}")
            for name in ["referrer-policy", "content-security-policy"]:
                if not headers.get(name):
                    self.fail("headers", url, f"no {name}")
            if headers.get("server") != "nginx":
                self.fail("headers", url, f"Server {headers.get('server')!r} says more than nginx")

    def policy(self):
        _, headers, _ = self.client.get("/")
        policy = parse_policy(headers.get("content-security-policy", ""))
        allowed_styles = set(policy.get("style-src", [])) if "'unsafe-hashes'" in policy.get("style-src", []) else set()
        for relative in [f for f in self.files if f.endswith(".html")]:
            scan = InlineScan()
            scan.feed(read(self.site, relative).decode("utf-8"))
            for problem in scan.problems:
                self.fail("csp", url_of(relative), problem)
            for style in scan.styles:
                if f"'sha256-{sha256(style)}'" not in allowed_styles:
                    self.fail("csp", url_of(relative), f"style attribute {style!r} is not allowed by style-src")

    def browser(self, base):
        search = "/search/?" + urllib.parse.urlencode({"q": first_title(self.site)})
        pages = [url_of(f) for f in self.files if f.endswith(".html")] + [search, "/no-such-page/"]
        with tempfile.TemporaryDirectory() as profile:
            browser = driver(profile)
            try:
                browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
                for url in pages:
                    browser.get(base + url)
                    if url == search:
                        self.search_results(browser, url)
                    for violation in browser.execute_script("return window.cspViolations"):
                        self.fail("browser", url, violation)
                self.markdown_styles(browser)
            finally:
                browser.quit()

    def search_results(self, browser, url):
        def answered(b):
            return b.execute_script("return document.getElementById('search-status').textContent")
        try:
            status = WebDriverWait(browser, 10).until(answered)
        except TimeoutException:
            status = ""
        if not browser.execute_script("return document.querySelectorAll('#search-results li').length"):
            self.fail("browser", url, f"no search results; the page says {status!r}")

    def markdown_styles(self, browser):
        """Setting a style attribute is checked against style-src like one in the markup."""
        refused = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.cspViolations = [];
            for (const style of arguments[0]) document.createElement('td').setAttribute('style', style);
            document.createElement('td').setAttribute('style', 'color: red');
            setTimeout(() => done(window.cspViolations.length), 200);
        """, MARKDOWN_STYLES)
        if refused != 1:
            self.fail("browser", "/", f"{refused} of {len(MARKDOWN_STYLES) + 1} style attributes refused; expected "
                                      "only the one that is not markdown's")


class InlineScan(html.parser.HTMLParser):
    """What a page has that a policy without 'unsafe-inline' blocks."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.styles = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A data block (JSON-LD) is never run, so script-src does not apply to it.
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/ld+json":
            self.problems.append("an inline <script>")
        if tag == "style":
            self.problems.append("a <style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler attribute {name}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: {name}")
            if name == "style" and value is not None:
                self.styles.append(value)


def parse_policy(header):
    policy = {}
    for directive in header.split(";"):
        tokens = directive.split()
        if tokens:
            policy[tokens[0].lower()] = tokens[1:]
    return policy


def sha256(text):
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def first_title(site):
    """A query that must find something: the title of the first document of the search index."""
    with open(os.path.join(site, "search", "manifest.json"), encoding="utf-8") as f:
        chunk = json.load(f)["chunks"][0]
    with open(os.path.join(site, "search", chunk), encoding="utf-8") as f:
        return json.load(f)[0][1]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    site = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as prefix:
        # nginx's workers run as nobody when this runs as root: the folders they pass through
        # must be readable by all, and the secret must be where /.. would lead from the root.
        os.chmod(prefix, 0o755)
        secret = secrets.token_hex(16).encode()
        with open(os.path.join(prefix, "secret.txt"), "wb") as f:
            f.write(secret)
        root = os.path.join(prefix, "site")
        os.symlink(site, root)
        try:
            nginx = Nginx(root, prefix)
            nginx.start()
        except NginxFailed as error:
            print(f"nginx: {error}")
            sys.exit(2)
        try:
            checks = Checks(site, Client(nginx.port))
            pages, files = checks.pages_and_files()
            twins = checks.precompressed()
            redirects = checks.redirects()
            checks.not_found()
            checks.cache()
            checks.folder_without_slash()
            checks.traversal(secret)
            checks.headers()
            checks.policy()
            checks.browser(f"http://127.0.0.1:{nginx.port}")
        finally:
            nginx.stop()
    for failure in checks.failures:
        print(failure)
    print(f"pages={pages} files={files} gzip={twins} redirects={redirects} failures={len(checks.failures)}")
    sys.exit(1 if checks.failures else 0)


if __name__ == "__main__":
    main()
