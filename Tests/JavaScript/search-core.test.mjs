// The query side of search, under Node's test runner: the shared text vectors, and queries
// against the index that the Swift build wrote for the fixture site (Tests/Fixtures/golden/basic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SearchIndex, words, terms, parseQuery, highlight } from "../../themes/default/assets/search/search-core.js";

const fixtures = new URL("../Fixtures/", import.meta.url);
const vectors = JSON.parse(readFileSync(new URL("search/vectors.json", fixtures), "utf8"));

test("words match the shared vectors", () => {
  for (const [input, expected] of vectors.words) assert.deepEqual(words(input), expected, input);
});

test("terms match the shared vectors", () => {
  for (const [input, expected] of vectors.terms) assert.deepEqual(terms(input), expected, input);
});

test("queries keep their last word as a prefix while it is being typed", () => {
  for (const [input, expected] of vectors.queries) {
    assert.deepEqual(parseQuery(input).map((q) => [q.term, q.word, q.prefix]), expected, input);
  }
});

function fixtureIndex() {
  const folder = fileURLToPath(new URL("golden/basic/search/", fixtures));
  const fetched = [];
  const index = new SearchIndex(folder, async (path) => {
    fetched.push(path.slice(folder.length));
    return JSON.parse(readFileSync(path, "utf8"));
  });
  return { index, fetched };
}

test("a query finds its document first, with its metadata", async () => {
  const { index } = fixtureIndex();
  const found = await index.search("know your users");
  assert.equal(found.results[0].title, "1. Know your users");
  assert.equal(found.results[0].url, "/standard/know-your-users/");
  assert.equal(found.results[0].section, "Fixture Service Standard");
  assert.equal(found.results[0].date, "2025-03-04");
});

test("plurals, case and accents do not matter", async () => {
  const { index } = fixtureIndex();
  const singular = await index.search("dataset");
  const plural = await index.search("DATASETS");
  assert.ok(singular.total > 0);
  assert.deepEqual(plural.results.map((r) => r.doc), singular.results.map((r) => r.doc));
});

test("the last word matches as a prefix, so results appear while typing", async () => {
  const { index } = fixtureIndex();
  const typing = await index.search("wint");
  assert.equal(typing.results[0]?.title, "Winter update & plans");
  const finished = await index.search("wint ");
  assert.equal(finished.total, 0);
});

test("only documents with every word count, unless none has them all", async () => {
  const { index } = fixtureIndex();
  const openData = await index.search("open data ");
  const open = await index.search("open ");
  assert.ok(openData.total >= 1 && open.total > openData.total, `${openData.total} ${open.total}`);
  const data = await index.search("data ");
  const inBoth = open.results.filter((r) => data.results.some((d) => d.doc === r.doc)).map((r) => r.doc).sort();
  assert.deepEqual(openData.results.map((r) => r.doc).sort(), inBoth);
  // No document has both words: then each document with either is a result.
  const either = await index.search("winter reuse ");
  assert.deepEqual(either.results.map((r) => r.title).sort(), ["2. Work in the open", "Reuse before you build", "Winter update & plans"]);
});

test("stop words alone find nothing instead of everything", async () => {
  const { index } = fixtureIndex();
  assert.equal((await index.search("the and of")).total, 0);
});

test("a query reads only the manifest, its shards and the chunks of the results shown", async () => {
  const { index, fetched } = fixtureIndex();
  await index.search("open", { pageSize: 1 });
  assert.equal(fetched[0], "manifest.json");
  assert.ok(fetched.slice(1).every((name) => /^(t-|d-\d+\.)[0-9a-f]{16}\.json$/.test(name)), fetched.join(" "));
  assert.equal(fetched.filter((name) => name.startsWith("d-")).length, 1);
});

test("pages of results do not overlap", async () => {
  const { index } = fixtureIndex();
  const all = await index.search("open", { pageSize: 100 });
  assert.ok(all.total >= 2);
  const first = await index.search("open", { page: 1, pageSize: 1 });
  const second = await index.search("open", { page: 2, pageSize: 1 });
  assert.deepEqual([first.results[0].doc, second.results[0].doc], all.results.slice(0, 2).map((r) => r.doc));
});

test("highlighting marks the words that match, whole", () => {
  const parts = highlight("Councils publish their data", parseQuery("council dat"));
  assert.deepEqual(parts, [
    { text: "Councils", match: true },
    { text: " publish their ", match: false },
    { text: "data", match: true },
  ]);
});
