// Known-item search quality: for every blog post of a built site, a query of the two most
// distinctive words of its title (the two rarest in the index) must rank the post in the top 3.
// Usage: node Tests/JavaScript/known-items.mjs PUBLIC_DIR   (prints one line per post; exit 1 on a miss)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SearchIndex, words, stem, STOP_WORDS } from "../../themes/default/assets/search/search-core.js";

const folder = join(process.argv[2], "search") + "/";
const read = async (path) => JSON.parse(readFileSync(path, "utf8"));
const manifest = await read(folder + "manifest.json");
const frequency = new Map();
for (const [, name] of manifest.shards) {
  for (const [term, list] of Object.entries(await read(folder + name))) frequency.set(term, list.length / 2);
}
const documents = [];
for (const name of manifest.chunks) documents.push(...(await read(folder + name)));

const index = new SearchIndex(folder, read);
let misses = 0;
let posts = 0;
for (const [doc, [url, title, section]] of documents.entries()) {
  if (section !== "Blog") continue;
  posts += 1;
  const candidates = [...new Set(words(title).filter((w) => !STOP_WORDS.has(w)))];
  const distinctive = candidates.sort((a, b) => frequency.get(stem(a)) - frequency.get(stem(b)) || a.localeCompare(b)).slice(0, 2);
  const query = distinctive.join(" ") + " ";
  const found = await index.search(query, { pageSize: 3 });
  const rank = found.results.findIndex((r) => r.doc === doc) + 1;
  if (rank === 0) misses += 1;
  console.log(`${rank === 0 ? "MISS" : `#${rank}  `} "${query.trim()}" → ${title} (${url})`);
}
console.log(`${posts - misses} of ${posts} posts in the top 3`);
process.exit(misses === 0 && posts > 0 ? 0 : 1);
