"""Checks built pages in headless Chromium: reflow at a narrow width, tables at a wide one.

Usage: check_layout.py SITE_DIR < spec.json

spec.json: {"pages": [{"path": "principles/", "table": "table.stacked-table"}, {"path": "standard/all/", "print": true}]}

The site is served over HTTP on 127.0.0.1. For every page:
  - at 320 CSS pixels wide (WCAG 1.4.10), document.documentElement.scrollWidth <= 320, and,
    when "table" names a table, every cell of its body shows the name of its column;
  - at 1280 CSS pixels, the table is laid out as a table (display: table, its rows table-rows,
    column headers visible side by side, and each row's cells on one line);
  - with "print", in print media: no header, navigation, breadcrumbs or footer; a page break
    before each `.point-section`; links in the text followed by their address.
Prints "ok: N pages" and exits 0, or prints each failure and exits 1.
"""
import json
import sys
import tempfile

from browser import driver, serve, set_width

NARROW = r"""
const table = arguments[0] ? document.querySelector(arguments[0]) : null;
const result = {scrollWidth: document.documentElement.scrollWidth, unlabelled: []};
if (arguments[0] && !table) { result.missing = true; return result; }
if (table) {
  const names = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
  table.querySelectorAll('tbody tr').forEach((row, r) => {
    Array.from(row.children).forEach((cell, c) => {
      const label = cell.querySelector('.stacked-table__label');
      const shown = label && label.getBoundingClientRect().height > 0 && label.textContent.trim() === names[c];
      if (!shown) result.unlabelled.push(`row ${r + 1} column ${c + 1}`);
      if (cell.getBoundingClientRect().right > 320) result.unlabelled.push(`row ${r + 1} column ${c + 1} overflows`);
    });
  });
}
return result;
"""

WIDE = r"""
const table = document.querySelector(arguments[0]);
if (!table) return {missing: true};
const display = el => getComputedStyle(el).display;
const headers = Array.from(table.querySelectorAll('thead th'));
const rows = Array.from(table.querySelectorAll('tbody tr'));
const oneLine = row => {
  const tops = Array.from(row.children).map(c => Math.round(c.getBoundingClientRect().top));
  return tops.every(t => t === tops[0]);
};
return {
  table: display(table),
  rows: rows.map(display).filter(d => d !== 'table-row').length,
  headers: headers.length,
  headersVisible: headers.filter(h => h.getBoundingClientRect().width > 20).length,
  rowHeaders: table.querySelectorAll('tbody th[scope=row]').length,
  rowCount: rows.length,
  rowsOnOneLine: rows.filter(oneLine).length,
  labelsHidden: Array.from(table.querySelectorAll('.stacked-table__label')).every(l => l.getBoundingClientRect().height === 0),
};
"""

PRINT = r"""
const hidden = sel => Array.from(document.querySelectorAll(sel)).every(e => e.getBoundingClientRect().height === 0);
const sections = Array.from(document.querySelectorAll('.point-section'));
const links = Array.from(document.querySelectorAll('.prose a[href]:not([href^="#"])'));
return {
  chromeHidden: ['.site-header', '.site-navigation', '.breadcrumbs', '.site-footer', '.skip-link'].filter(s => !hidden(s)),
  sections: sections.length,
  breaks: sections.filter(s => getComputedStyle(s).breakBefore === 'page').length,
  links: links.length,
  linksShown: links.filter(a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))).length,
};
"""


def main():
    root = sys.argv[1]
    spec = json.load(sys.stdin)
    server = serve(root)
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        browser = driver(profile)
        try:
            for page in spec["pages"]:
                url = f"http://127.0.0.1:{server.server_address[1]}/{page['path']}"
                table = page.get("table")
                set_width(browser, 320)
                browser.get(url)
                narrow = browser.execute_script(NARROW, table)
                if narrow.get("missing"):
                    failures.append(f"{page['path']}: no {table}")
                    continue
                if narrow["scrollWidth"] > 320:
                    failures.append(f"{page['path']}: scrollWidth {narrow['scrollWidth']} > 320 at 320 px")
                for cell in narrow["unlabelled"]:
                    failures.append(f"{page['path']}: at 320 px, {cell} does not show its column name")
                if page.get("print"):
                    set_width(browser, 1280)
                    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
                    browser.get(url)
                    printed = browser.execute_script(PRINT)
                    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
                    if printed["chromeHidden"]:
                        failures.append(f"{page['path']}: printed with {printed['chromeHidden']}")
                    if not printed["sections"] or printed["breaks"] != printed["sections"]:
                        failures.append(f"{page['path']}: in print, not every point starts a page: {printed}")
                    if not printed["links"] or printed["linksShown"] != printed["links"]:
                        failures.append(f"{page['path']}: in print, not every link shows its address: {printed}")
                if not table:
                    continue
                set_width(browser, 1280)
                browser.get(url)
                wide = browser.execute_script(WIDE, table)
                if wide["table"] != "table" or wide["rows"]:
                    failures.append(f"{page['path']}: at 1280 px the table is not laid out as a table: {wide}")
                if wide["headers"] != 3 or wide["headersVisible"] != 3:
                    failures.append(f"{page['path']}: at 1280 px the column headers are not all visible: {wide}")
                if wide["rowHeaders"] != wide["rowCount"] or wide["rowsOnOneLine"] != wide["rowCount"]:
                    failures.append(f"{page['path']}: at 1280 px rows are not table rows with a row header: {wide}")
                if not wide["labelsHidden"]:
                    failures.append(f"{page['path']}: at 1280 px the narrow-screen column names are still shown")
        finally:
            browser.quit()
            server.shutdown()
    for failure in failures:
        print(failure)
    if failures:
        sys.exit(1)
    print(f"ok: {len(spec['pages'])} pages")


if __name__ == "__main__":
    main()
