// Reads the sharded index that `localgov build` writes under /search/ and ranks documents.
// No DOM here: the page script (search-page.js) renders, and Node's test runner imports this
// module directly. The text rules mirror SearchText.swift; Tests/Fixtures/search/vectors.json
// holds the cases both must agree on.

export const STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into", "is", "it",
  "its", "of", "on", "or", "so", "than", "that", "the", "their", "then", "there", "these", "they", "this", "to",
  "was", "we", "were", "what", "when", "which", "who", "will", "with", "you", "your",
  "ac", "am", "ar", "ei", "eu", "gan", "gyda", "i", "mae", "o", "y", "yn", "yr",
]);

const APOSTROPHES = /['\u2019]/gu;
const MARKS = /\p{Mn}/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Folded words, stop words kept: accents off, case folded, apostrophes dropped. */
export function words(text) {
  const folded = text.replace(APOSTROPHES, "").normalize("NFKD").replace(MARKS, "").toLowerCase();
  return folded.match(WORD) ?? [];
}

/** English plural to singular: Harman's S-stemmer plus -ches, -shes, -sses, -xes. */
export function stem(word) {
  if (word.length <= 3 || !word.endsWith("s")) return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) return word.slice(0, -3) + "y";
  if (word.length > 4 && /(ches|shes|sses|xes)$/u.test(word)) return word.slice(0, -2);
  if (word.endsWith("es") && !/(aes|ees|oes)$/u.test(word)) return word.slice(0, -1);
  if (/(ss|us|is)$/u.test(word)) return word;
  return word.slice(0, -1);
}

/** The terms a text is indexed under, in order, repeats kept. */
export function terms(text) {
  return words(text).filter((w) => !STOP_WORDS.has(w)).map(stem);
}

/**
 * A query's terms. The last word, unless the query ends in a space, is also a prefix, so that
 * results appear while the reader is still typing it.
 */
export function parseQuery(query) {
  const all = words(query);
  const kept = all.filter((w) => !STOP_WORDS.has(w));
  const typing = /[\p{L}\p{N}]$/u.test(query) && kept.length > 0 && kept[kept.length - 1] === all[all.length - 1];
  return kept.map((word, index) => ({ term: stem(word), word, prefix: typing && index === kept.length - 1 }));
}

const MAX_PREFIX_SHARDS = 3;
const TITLE_BOOST = 1;
const ALL_IN_TITLE = 2;
/** How much a match counts that is one edit away from the word typed. */
const TYPO_WEIGHT = 0.5;
/** At most this many near terms are looked up for one word. */
const MAX_TYPO_TERMS = 4;

/**
 * Whether two terms are one edit apart: an insertion, a deletion, a substitution or two
 * neighbouring letters swapped (optimal string alignment distance 1).
 */
export function oneEditApart(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A posting's number: its score in tenths, times two, plus 1 when the term is in the title. */
const decode = (value) => ({ score: value >> 1, title: (value & 1) === 1 });

export class SearchIndex {
  /**
   * @param {string} base  the folder of the index, ending in "/"
   * @param {(url: string) => Promise<any>} fetchJSON  how to read a file of the index
   */
  constructor(base, fetchJSON) {
    this.base = base;
    this.fetchJSON = fetchJSON;
    this.files = new Map();
  }

  async manifest() {
    this.manifestPromise ??= this.fetchJSON(this.base + "manifest.json");
    return this.manifestPromise;
  }

  file(name) {
    if (!this.files.has(name)) this.files.set(name, this.fetchJSON(this.base + name));
    return this.files.get(name);
  }

  /** The shards a term's postings may be in: the last one starting at or before it, and for a
   * prefix, the following ones that its completions run into, when there are few enough. */
  shardsFor(shards, term, prefix) {
    const last = (value) => {
      let found = 0;
      for (let i = 0; i < shards.length; i++) if (shards[i][0] <= value) found = i;
      return found;
    };
    const own = last(term);
    if (!prefix) return [shards[own][1]];
    const end = last(term + "\uffff");
    if (end - own + 1 > MAX_PREFIX_SHARDS) return [shards[own][1]];
    return shards.slice(own, end + 1).map((shard) => shard[1]);
  }

  /**
   * Documents matching a term: doc id → {score, title}. A prefix takes each document's best
   * match. A word found nowhere is looked up again one edit away (a typo), through the
   * vocabulary (see nearTerms), at a lower weight.
   */
  async postings(manifest, { term, word, prefix }) {
    const names = this.shardsFor(manifest.shards, term, prefix);
    const shards = await Promise.all(names.map((name) => this.file(name)));
    const scores = new Map();
    const add = (list, weight) => {
      let doc = 0;
      for (let i = 0; i < list.length; i += 2) {
        doc += list[i];
        const { score, title } = decode(list[i + 1]);
        const weighted = score * weight;
        const seen = scores.get(doc);
        if (!seen || seen.score < weighted) scores.set(doc, { score: weighted, title });
      }
    };
    let found = false;
    for (const shard of shards) {
      for (const [candidate, list] of Object.entries(shard)) {
        const exact = candidate === term;
        if (!exact && !(prefix && (candidate.startsWith(word) || candidate.startsWith(term)))) continue;
        found = true;
        // A completion counts a little less than the word itself, so "council" beats "councillor".
        add(list, exact ? 1 : 0.8);
      }
    }
    if (found || term.length < 4 || !manifest.vocabulary) return scores;
    for (const candidate of await this.nearTerms(manifest, term, word)) {
      const [name] = this.shardsFor(manifest.shards, candidate, false);
      const list = (await this.file(name))[candidate];
      if (list) add(list, TYPO_WEIGHT);
    }
    return scores;
  }

  /**
   * Indexed terms one edit from a word the index lacks, from the vocabulary chunks where it
   * sorts and where a slip in its first two letters would have moved it (the first letter
   * dropped, or the first two swapped, or any second letter), the closest in length first.
   */
  async nearTerms(manifest, term, word) {
    const chunks = manifest.vocabulary;
    const at = (value) => this.shardsFor(chunks, value, false)[0];
    const names = new Set([at(term), at(term.slice(1)), at(term[1] + term[0] + term.slice(2))]);
    const sameFirst = this.shardsFor(chunks, term[0], true);
    if (sameFirst.length <= MAX_PREFIX_SHARDS) for (const name of sameFirst) names.add(name);
    const lists = await Promise.all([...names].map((name) => this.file(name)));
    const near = new Set();
    for (const list of lists) for (const candidate of list) if (oneEditApart(candidate, term) || oneEditApart(candidate, word)) near.add(candidate);
    return [...near].sort((a, b) => Math.abs(a.length - term.length) - Math.abs(b.length - term.length) || (a < b ? -1 : 1)).slice(0, MAX_TYPO_TERMS);
  }

  /**
   * Ranks the documents for a query. Documents that match every term come first (and are the
   * only ones counted when there are any); within that, by the sum of BM25F scores, raised for
   * query words in the title.
   * @returns {{total: number, terms: string[], results: {doc: number, score: number}[]}}
   */
  async rank(query) {
    const parsed = parseQuery(query);
    if (parsed.length === 0) return { total: 0, terms: [], results: [] };
    const manifest = await this.manifest();
    const lists = await Promise.all(parsed.map((term) => this.postings(manifest, term)));
    const combined = new Map();
    for (const list of lists) {
      for (const [doc, { score, title }] of list) {
        const entry = combined.get(doc) ?? { doc, score: 0, matched: 0, inTitle: 0 };
        entry.score += score;
        entry.matched += 1;
        if (title) entry.inTitle += 1;
        combined.set(doc, entry);
      }
    }
    let results = [...combined.values()];
    const complete = results.filter((r) => r.matched === parsed.length);
    if (complete.length > 0) results = complete;
    // The reader is most often looking for the page whose title they remember: each query word
    // in the title raises a document, and all of them there raise it most.
    for (const r of results) {
      r.score *= (1 + (TITLE_BOOST * r.inTitle) / parsed.length) * (r.inTitle === parsed.length ? ALL_IN_TITLE : 1);
    }
    results.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { total: results.length, terms: parsed, results: results.map(({ doc, score }) => ({ doc, score })) };
  }

  /** One page of results with their metadata: only the chunks those documents are in are read. */
  async search(query, { page = 1, pageSize = 10 } = {}) {
    const ranked = await this.rank(query);
    const manifest = ranked.total ? await this.manifest() : null;
    const shown = ranked.results.slice((page - 1) * pageSize, page * pageSize);
    const results = await Promise.all(shown.map(async ({ doc, score }) => {
      const chunk = await this.file(manifest.chunks[Math.floor(doc / manifest.chunkSize)]);
      const [url, title, section, date, summary] = chunk[doc % manifest.chunkSize];
      return { doc, score, url, title, section, date, summary };
    }));
    return { total: ranked.total, terms: ranked.terms, page, pageSize, results };
  }
}

/**
 * Splits text into parts for display, marking the words that match the query's terms:
 * [{text, match}], so the page can build <mark> elements without writing HTML.
 */
export function highlight(text, queryTerms) {
  const parts = [];
  let last = 0;
  for (const found of text.matchAll(/[\p{L}\p{N}'\u2019]+/gu)) {
    const folded = words(found[0]);
    const matches = folded.some((w) => {
      const term = stem(w);
      return queryTerms.some((q) => term === q.term || (q.prefix && (w.startsWith(q.word) || term.startsWith(q.term))));
    });
    if (!matches) continue;
    if (found.index > last) parts.push({ text: text.slice(last, found.index), match: false });
    parts.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}
