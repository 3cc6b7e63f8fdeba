// The query side of search, under Node's test runner: the shared text vectors, and queries
// against the index that the Swift build wrote for the fixture site (Tests/Fixtures/golden/basic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SearchIndex, words, terms, parseQuery, highlight, oneEditApart } from "../../themes/default/assets/search/search-core.js";

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

test("one edit apart: an insertion, a deletion, a substitution or a swap of neighbours", () => {
  for (const [a, b] of [["council", "councl"], ["council", "counciil"], ["council", "councel"], ["council", "cuoncil"], ["permit", "permti"]]) {
    assert.equal(oneEditApart(a, b), true, `${a} ${b}`);
    assert.equal(oneEditApart(b, a), true, `${b} ${a}`);
  }
  for (const [a, b] of [["council", "council"], ["council", "cnoucil"], ["council", "counc"], ["permit", "parmet"]]) {
    assert.equal(oneEditApart(a, b), false, `${a} ${b}`);
  }
});

/** An index written by hand in the format the build writes: postings are [gap, score*2+title]. */
function handIndex() {
  const files = {
    "manifest.json": {
      version: 2, documents: 3, chunkSize: 20,
      shards: [["", "t-a.json"], ["permit", "t-b.json"]],
      vocabulary: [["", "v-a.json"], ["permit", "v-b.json"]],
      chunks: ["d-0.json"],
    },
    // Doc 0 has both words in its title; doc 1 repeats them all through a long body and so
    // scores higher on them; doc 2 has one of them.
    "t-a.json": { parking: [0, 30 * 2 + 1, 1, 80 * 2, 1, 20 * 2] },
    "t-b.json": { permit: [0, 30 * 2 + 1, 1, 80 * 2] },
    "v-a.json": ["parking"],
    "v-b.json": ["permit"],
    "d-0.json": [["/a/", "Parking permits", "Blog", "", ""], ["/b/", "A long guide", "Blog", "", ""], ["/c/", "Parking", "Blog", "", ""]],
  };
  const fetched = [];
  const index = new SearchIndex("", async (name) => {
    fetched.push(name);
    return files[name];
  });
  return { index, fetched };
}

test("a document with every query word in its title outranks bodies that repeat them", async () => {
  const { index } = handIndex();
  const found = await index.search("parking permit ");
  assert.deepEqual(found.results.map((r) => r.url), ["/a/", "/b/"]);
});

test("a word one edit from an indexed term finds it, through the vocabulary, at a lower weight", async () => {
  const { index, fetched } = handIndex();
  const found = await index.search("parkng permit ");
  assert.deepEqual(found.results.map((r) => r.url), ["/a/", "/b/"]);
  assert.ok(fetched.includes("v-a.json"), "the vocabulary chunk where the word sorts is read");
  const exact = await handIndex().index.search("parking permit ");
  assert.ok(found.results[0].score < exact.results[0].score);
  // A word that is found is never looked for elsewhere.
  const { index: plain, fetched: plainFetched } = handIndex();
  await plain.search("parking ");
  assert.ok(!plainFetched.some((name) => name.startsWith("v-")));
});
