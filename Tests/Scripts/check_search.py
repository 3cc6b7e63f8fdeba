"""Checks the search page of a built site in headless Chromium, as a reader would use it.

Usage: check_search.py PUBLIC_DIR < spec.json

spec.json: {"query": "waterfall agile", "first": "Agile in a waterfall organisation",
            "typed": "waterf", "many": "council"}

With JavaScript:
  - /search/?q=QUERY shows results: the first result's title is FIRST, and the role="status"
    region says how many were found;
  - typing TYPED into the box shows results while typing, keeps the focus in the box and puts
    the query in the address;
  - Tab from the box reaches the button and then the first result; Enter follows it, and Back
    returns to the same search and results;
  - for MANY (more than 10 results), "More results" by keyboard adds the next ones and moves the
    focus to the first new result.
Without JavaScript: the page still has the form, the topics from A to Z and the Standard's points.
Prints "ok: …" and exits 0, or prints each failure and exits 1.
"""
import json
import sys
import tempfile
import urllib.parse

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import driver, serve

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def wait_for(browser, predicate, what):
    try:
        return WebDriverWait(browser, 10).until(lambda b: predicate(b))
    except TimeoutException:
        failures.append(f"timed out waiting for {what}")
        return None


def status(browser):
    return browser.find_element(By.ID, "search-status").text


def titles(browser):
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results .search-result__title a")]


def active(browser):
    return browser.execute_script("const a = document.activeElement; return [a.id, a.tagName, a.textContent.trim()];")


def with_javascript(browser, base, spec):
    browser.get(base + "search/?q=" + urllib.parse.quote(spec["query"]))
    if wait_for(browser, lambda b: titles(b), "results of the query in the address"):
        check(titles(browser)[0] == spec["first"], f"first result is {titles(browser)[0]!r}, not {spec['first']!r}")
    region = browser.find_element(By.ID, "search-status")
    check(region.get_attribute("role") == "status", "the count is not in a role=status region")
    check(" result" in status(browser) and spec["query"] in status(browser), f"status says {status(browser)!r}")
    check(browser.find_element(By.ID, "search-input").get_attribute("value") == spec["query"], "the box does not show the query")
    check(not browser.find_element(By.CSS_SELECTOR, ".search__fallback").is_displayed(), "the no-JavaScript note shows")
    marks = browser.find_elements(By.CSS_SELECTOR, "#search-results mark")
    check(len(marks) > 0, "no matched words are marked")

    browser.get(base + "search/")
    box = browser.find_element(By.ID, "search-input")
    box.click()
    box.send_keys(spec["typed"])
    if wait_for(browser, lambda b: titles(b), "results while typing"):
        check(spec["first"] in titles(browser)[:3], f"typing {spec['typed']!r} gives {titles(browser)[:3]}")
    check(active(browser)[0] == "search-input", f"focus moved to {active(browser)} while typing")
    wait_for(browser, lambda b: "q=" + spec["typed"] in b.current_url, "the query in the address")

    box.send_keys(Keys.TAB)
    check(active(browser)[1] == "BUTTON", f"Tab from the box went to {active(browser)}")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    first = titles(browser)[0] if titles(browser) else None
    check(active(browser)[1] == "A" and active(browser)[2] == first, f"second Tab went to {active(browser)}, not {first!r}")
    searched = browser.current_url
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "/search/" not in b.current_url, "the result to open")
    browser.back()
    wait_for(browser, lambda b: b.current_url == searched and titles(b), "the search to come back after Back")
    check(browser.find_element(By.ID, "search-input").get_attribute("value") == spec["typed"], "Back lost the query")

    browser.get(base + "search/?q=" + urllib.parse.quote(spec["many"]))
    if wait_for(browser, lambda b: len(titles(b)) == 10, "a first page of 10 results"):
        more = browser.find_element(By.ID, "search-more")
        check(more.is_displayed(), "no More results button with more than 10 results")
        browser.execute_script("arguments[0].focus()", more)
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        if wait_for(browser, lambda b: len(titles(b)) > 10, "more results"):
            check(active(browser)[2] == titles(browser)[10], f"after More results, focus is on {active(browser)}")


def without_javascript(browser, base):
    browser.get(base + "search/?q=anything")
    check(browser.find_element(By.ID, "search-input").is_displayed(), "no search box without JavaScript")
    check(not titles(browser), "results without JavaScript?")
    check(browser.find_element(By.CSS_SELECTOR, ".search__fallback").is_displayed(), "no word on why there are no results")
    topics = browser.find_elements(By.CSS_SELECTOR, ".search-browse__topics a")
    check(len(topics) > 0, "no topics from A to Z without JavaScript")
    names = [a.text.lower() for a in topics]
    check(names == sorted(names), "topics are not in A to Z order")
    points = browser.find_elements(By.CSS_SELECTOR, ".search-browse a[href*='/standard/']")
    check(len(points) > 0, "no links to the Standard's points without JavaScript")


def main():
    spec = json.load(sys.stdin)
    server = serve(sys.argv[1])
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for javascript in (True, False):
            with tempfile.TemporaryDirectory() as profile:
                browser = driver(profile, javascript=javascript)
                try:
                    if javascript:
                        with_javascript(browser, base, spec)
                    else:
                        without_javascript(browser, base)
                finally:
                    browser.quit()
    finally:
        server.shutdown()
    for failure in failures:
        print(failure)
    if failures:
        sys.exit(1)
    print("ok: search with and without JavaScript")


if __name__ == "__main__":
    main()
