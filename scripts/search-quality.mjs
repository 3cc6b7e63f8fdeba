// Known-item search quality over a built site, through the module the search page uses.
// For a sample of posts, a query of two words of the post's title (chosen at random, seeded),
// and the same query with one typo (an insertion, deletion, substitution or transposition in
// one word of at least 5 letters): how often the post is first and in the top 3, and the bytes
// a browser fetches per query (every index file it reads, gzip-compressed as servers send it,
// nothing cached between queries).
// Usage: node scripts/search-quality.mjs PUBLIC_DIR [SAMPLE]   (VERBOSE=1 lists the misses)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SearchIndex, words, STOP_WORDS } from "../themes/default/assets/search/search-core.js";

const [root, sampleText = "200"] = process.argv.slice(2);
const folder = join(root, "search") + "/";
const read = (name) => readFileSync(folder + name);
const manifest = JSON.parse(read("manifest.json"));
const documents = [];
for (const name of manifest.chunks) documents.push(...JSON.parse(read(name)));

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const letters = "abcdefghijklmnopqrstuvwxyz";
function typo(word) {
  const at = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0: return word.slice(0, at) + pick(letters) + word.slice(at);
    case 1: return word.slice(0, at) + word.slice(at + 1);
    case 2: return word.slice(0, at) + pick(letters.replace(word[at], "")) + word.slice(at + 1);
    default: return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
}

const posts = [...documents.entries()].filter(([, [, , section]]) => section === "Blog");
const sample = Number(sampleText);
const chosen = [];
while (chosen.length < Math.min(sample, posts.length)) {
  const candidate = pick(posts);
  if (!chosen.includes(candidate)) chosen.push(candidate);
}

async function measure(makeQuery) {
  let top1 = 0, top3 = 0, bytes = 0, asked = 0;
  for (const [doc, [, title]] of chosen) {
    const candidates = [...new Set(words(title).filter((w) => !STOP_WORDS.has(w) && !/^\d+$/.test(w)))];
    if (candidates.length < 2) continue;
    const first = pick(candidates);
    const second = pick(candidates.filter((w) => w !== first));
    const query = makeQuery(first, second);
    if (!query) continue;
    let fetched = 0;
    const index = new SearchIndex("", async (name) => {
      const file = read(name);
      fetched += gzipSync(file).length;
      return JSON.parse(file.toString("utf8"));
    });
    const found = await index.search(query + " ", { pageSize: 10 });
    const rank = found.results.findIndex((r) => r.doc === doc) + 1;
    asked += 1;
    if (rank === 1) top1 += 1;
    if (rank >= 1 && rank <= 3) top3 += 1;
    else if (process.env.VERBOSE) console.log(`miss: "${query}" → ${title} (rank ${rank || "none"} of ${found.total})`);
    bytes += fetched;
  }
  return { asked, top1: (100 * top1) / asked, top3: (100 * top3) / asked, kb: bytes / asked / 1024 };
}

const exact = await measure((a, b) => `${a} ${b}`);
const typos = await measure((a, b) => {
  const long = [a, b].filter((w) => w.length >= 5);
  if (long.length === 0) return null;
  const word = pick(long);
  return word === a ? `${typo(a)} ${b}` : `${a} ${typo(b)}`;
});
const line = (name, r) =>
  `${name}: ${r.asked} queries, top-1 ${r.top1.toFixed(1)} %, top-3 ${r.top3.toFixed(1)} %, ${r.kb.toFixed(1)} KB gzip per query`;
console.log(`${documents.length} documents`);
console.log(line("two title words", exact));
console.log(line("with one typo  ", typos));
