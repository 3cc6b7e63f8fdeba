// Measures what a reader's browser fetches for a search, against a built site.
// Usage: node scripts/search-fetch-size.mjs PUBLIC_DIR "query" ["another query" ...]
// Prints the index's total size and file count, then for each query the files fetched
// (manifest, term shards, metadata chunks for the first page, and the two scripts) and their
// bytes raw and gzip-compressed (zlib's default level, as web servers use).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SearchIndex } from "../themes/default/assets/search/search-core.js";

const [root, ...queries] = process.argv.slice(2);
if (!root || queries.length === 0) {
  console.error("usage: node scripts/search-fetch-size.mjs PUBLIC_DIR QUERY...");
  process.exit(2);
}
const folder = join(root, "search");
const names = readdirSync(folder).filter((name) => name.endsWith(".json"));
const total = names.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
const gzipped = (bytes) => gzipSync(bytes).length;
console.log(`index: ${names.length} files, ${(total / 1024).toFixed(1)} KB raw`);

const scripts = ["search-core.js", "search-page.js"].map((name) => readFileSync(join(root, "assets", "search", name)));
for (const query of queries) {
  const fetched = new Map();
  const index = new SearchIndex("", async (name) => {
    const bytes = readFileSync(join(folder, name));
    fetched.set(name, bytes);
    return JSON.parse(bytes.toString("utf8"));
  });
  const found = await index.search(query);
  const files = [...fetched.values(), ...scripts];
  const raw = files.reduce((sum, bytes) => sum + bytes.length, 0);
  const compressed = files.reduce((sum, bytes) => sum + gzipped(bytes), 0);
  console.log(`query "${query}": ${found.total} results, ${files.length} files fetched, `
    + `${(raw / 1024).toFixed(1)} KB raw, ${(compressed / 1024).toFixed(1)} KB gzip`);
}
