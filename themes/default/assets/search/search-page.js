// The search page: reads ?q= and shows ranked results from the static index, updating as the
// reader types. Without JavaScript the page still offers its form and the A–Z of topics.
import { SearchIndex, highlight } from "./search-core.js";

const PAGE_SIZE = 10;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

const app = document.getElementById("search-app");
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");

const index = new SearchIndex(app.dataset.index, async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
});

let shown = { query: "", page: 0, total: 0 };
let latest = 0;

function longDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function marked(text, terms) {
  return highlight(text, terms).map((part) => (part.match ? element("mark", {}, part.text) : part.text));
}

function resultItem(result, terms) {
  const link = element("a", { href: result.url }, ...marked(result.title, terms));
  const meta = element("p", { class: "search-result__meta" }, result.section);
  if (result.date) meta.append(" · ", element("time", { datetime: result.date }, longDate(result.date)));
  return element("li", { class: "search-result" },
    element("h2", { class: "search-result__title" }, link), meta,
    element("p", { class: "search-result__summary" }, ...marked(result.summary, terms)));
}

function describe(total, query) {
  if (total === 0) return `No results for \u201C${query}\u201D. Check the spelling or try fewer words.`;
  return `${total} ${total === 1 ? "result" : "results"} for \u201C${query}\u201D`;
}

/** Runs a search and shows its first page, or appends the next page when `append` is set. */
async function run(query, { append = false } = {}) {
  const ticket = ++latest;
  query = query.trim();
  if (!query) {
    shown = { query: "", page: 0, total: 0 };
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    return;
  }
  const page = append ? shown.page + 1 : 1;
  let found;
  try {
    found = await index.search(query, { page, pageSize: PAGE_SIZE });
  } catch (error) {
    if (ticket === latest) status.textContent = "Search is not available at the moment. Browse the topics below instead.";
    return;
  }
  // A slower, older search must not overwrite a newer one.
  if (ticket !== latest) return;
  const items = found.results.map((result) => resultItem(result, found.terms));
  if (append) list.append(...items); else list.replaceChildren(...items);
  shown = { query, page, total: found.total };
  status.textContent = describe(found.total, query);
  more.hidden = page * PAGE_SIZE >= found.total;
  if (append && items.length > 0) items[0].querySelector("a").focus();
}

function queryFromURL() {
  return new URLSearchParams(window.location.search).get("q") ?? "";
}

function setURL(query, push) {
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  if (url.href === window.location.href) return;
  if (push) history.pushState({ query }, "", url); else history.replaceState({ query }, "", url);
}

let typingTimer;
input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    setURL(input.value.trim(), false);
    run(input.value);
  }, 150);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  setURL(input.value.trim(), true);
  run(input.value);
});

more.addEventListener("click", () => run(shown.query, { append: true }));

window.addEventListener("popstate", () => {
  input.value = queryFromURL();
  run(input.value);
});

app.classList.add("search--ready");
input.value = queryFromURL();
if (input.value) run(input.value);
