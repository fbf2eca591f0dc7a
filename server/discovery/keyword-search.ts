/**
 * Keyword relevance for discovery: full-text search over each social account's "search document" with SQLite FTS5.
 * This module and its migration (schema/migrations/0002_keyword_search.sql) are the only places that know FTS5.
 *
 * The document of an account (account_search_docs) is the influencer's bio, the influencer's categories as words
 * (BEAUTY → "beauty"), and the captions and hashtags of the account's 10 most recent posts. A caption's trailing
 * block of hashtags ("… #beauty #skincare") moves to the hashtags column, so a tag counts once, in one place.
 *
 * Two indexes over it:
 * - `account_search` (unicode61, case- and diacritic-insensitive words): Latin, Cyrillic, Arabic, Devanagari... and
 *   any space-separated script. Words, "phrases" and prefix* queries; bm25 ranking.
 * - `account_search_cjk` (trigram, substring matching) over the Han/Hiragana/Katakana/Hangul runs only, because
 *   those scripts do not separate words with spaces (and Korean glues particles to words: 여행을 contains 여행).
 *   A run of 3+ characters is a trigram phrase (MATCH, ranked by bm25). A 1–2 character run is shorter than a
 *   trigram: neither MATCH nor LIKE can use the index for it (LIKE falls back to scanning every row), so it is
 *   looked up as the trigrams it starts, a term-range scan of the fts5vocab `instance` table (every column ends
 *   with two spaces, so even a run at the very end of a column starts a trigram), and scored here with the same
 *   bm25 formula FTS5 uses.
 * Where CJK text touches other letters without a space ("分享OOTD穿搭") the stored text gets a zero-width space
 * (U+200B, a separator for unicode61, invisible when shown) so "ootd" is a word of its own; snippets drop it.
 *
 * Query language (parseKeywords): words are ANDed; `"exact phrase"`; `prefix*` (2+ characters; also `"a phrase"*`);
 * `OR` (upper case) between two terms; `-word` / `-"a phrase"` excludes. Every term reaches FTS5 as a quoted string,
 * so FTS5 syntax in the input (NEAR(, col:term, ^, AND, NOT, parentheses) is literal text, never an operator.
 *
 * Ranking (searchKeywords): `bm25` is FTS5's bm25() (sqlite.org/fts5.html#the_bm25_function; negative, smaller is
 * better) with column weights bio 2, categories 2, captions 1, hashtags 1: what creators say about themselves and
 * how they are classified count twice a single caption mention, while ten posts about a topic still outweigh one
 * line of bio (bm25 saturates term frequency, k1 = 1.2). A query touching both indexes adds up both bm25 values
 * (bm25 is a sum over the query's phrases, so this is the score one index holding everything would give).
 * `relevance = bm25 / ceiling`, the ceiling being the most any document can score for the query (bm25Ceiling), in
 * (0, 1): an absolute scale, so that the discovery ranking can compute it for the few matches that can reach its
 * page (matchKeywords, KeywordMatches) instead of for every match. Ties keep account id order.
 *
 * `matched` and `snippet` (describe): the query's words and CJK runs are found again in the stored documents, in
 * TypeScript with the same folding (reading a document by rowid is far cheaper than FTS5's highlight(), which
 * re-runs the query per row: 14 s for 5,000 hits of a prefix query at 175,000 accounts); an account whose match that
 * cannot explain gets highlight() on the word index instead. The snippet is ~12 words of the first column (bio,
 * categories, captions, hashtags) with a match, around the first match.
 */
import type Database from "better-sqlite3";

import { indexOfSorted } from "../common/sorted.js";
import type { Db } from "../db.js";
import { BadUserInputError } from "../errors.js";

// ---------------------------------------------------------------------------------------------------------------
// Limits and weights.

export const MAX_KEYWORDS_LENGTH = 200;
export const MAX_KEYWORD_TERMS = 10;
/** Shortest prefix before `*` (a one-letter prefix would merge the posting lists of a large part of the vocabulary). */
export const MIN_PREFIX_LENGTH = 2;
/** Default cap on the number of accounts a search returns (the best ones). */
export const DEFAULT_KEYWORD_LIMIT = 5_000;
/** Posts per account that make up its search document (the most recent ones). */
export const POSTS_PER_DOCUMENT = 10;

/** bm25 column weights of account_search (bio, categories, captions, hashtags) and account_search_cjk (bio, captions, hashtags). */
export const WORD_WEIGHTS = { bio: 2, categories: 2, captions: 1, hashtags: 1 } as const;
export const CJK_WEIGHTS = { bio: 2, captions: 1, hashtags: 1 } as const;

const WORD_BM25 = `bm25(account_search, ${WORD_WEIGHTS.bio}, ${WORD_WEIGHTS.categories}, ${WORD_WEIGHTS.captions}, ${WORD_WEIGHTS.hashtags})`;
const CJK_BM25 = `bm25(account_search_cjk, ${CJK_WEIGHTS.bio}, ${CJK_WEIGHTS.captions}, ${CJK_WEIGHTS.hashtags})`;
/** FTS5's bm25 constants (ext/fts5/fts5_aux.c). */
const BM25_K1 = 1.2;
const BM25_B = 0.75;

/** Accounts per batch of the rebuild (one read of accounts, one of their posts, then multi-row inserts). */
const INDEX_BATCH = 1_000;
const INSERT_ROWS = 100;
/** An excluded term of a mixed query is looked up only among the remaining candidates when they are this few. */
const RESTRICT_CANDIDATES = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// Scripts.

/** Chinese (Han), Japanese (Hiragana, Katakana and the prolonged sound mark ー) and Korean (Hangul). */
const CJK = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u30FC\uFF70`;
/** The characters unicode61 keeps in tokens with `categories 'L* N* Co M*'`. */
const WORD = String.raw`\p{L}\p{N}\p{M}\p{Co}`;
const CJK_RUN = new RegExp(`[${CJK}]+`, "gu");
const IS_CJK_CHAR = new RegExp(`^[${CJK}]$`, "u");
/** A query piece: a CJK run (group 1) or a word of any other script (group 2). */
const PIECE = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[${WORD}])+)`, "gu");
const HAS_CJK = new RegExp(`[${CJK}]`, "u");
/** A letter or digit of a script other than CJK (a token character of unicode61 next to which CJK needs a break). */
const OTHER_WORD_CHAR = new RegExp(`^(?![${CJK}])[${WORD}]$`, "u");
const SPACE = /[\s\p{Z}\p{Cc}]/u;
const ZWSP = "\u200B";
/** highlight() markers: private-use characters, removed from documents when they are built. */
const MARK_OPEN = "\uE000";
const MARK_CLOSE = "\uE001";

// ---------------------------------------------------------------------------------------------------------------
// Query parsing (pure).

/** Part of a term for one index: words of a space-separated script, or a CJK substring. */
export type KeywordAtom =
  | { kind: "words"; tokens: string[]; prefix: boolean }
  | { kind: "cjk"; /** The runs, joined by one space as in the index. */ text: string; runs: string[] };

export interface KeywordTerm {
  /** As written (without a leading `-`), e.g. `skin*` or `"morning routine"`. */
  text: string;
  /** Every atom must match (one unless the term mixes CJK and other scripts, e.g. `美妆blogger`). */
  atoms: KeywordAtom[];
}

export interface KeywordQuery {
  /** Each group is an OR of terms; all groups must match. */
  groups: KeywordTerm[][];
  /** No matching account may contain any of these. */
  excluded: KeywordTerm[];
}

/**
 * Parses a keyword query (see the file comment for the language). Throws BadUserInputError(field, …) for input it
 * cannot make sense of; characters that are neither letters nor digits (punctuation, FTS5 syntax) only separate
 * words, as they do in the index.
 */
export function parseKeywords(input: string, field = "keywords"): KeywordQuery {
  const bad = (message: string) => new BadUserInputError(field, message);
  if (typeof input !== "string") throw bad("Keywords must be a string.");
  const text = input.normalize("NFC");
  if ([...text].length > MAX_KEYWORDS_LENGTH) throw bad(`Keywords must be at most ${MAX_KEYWORDS_LENGTH} characters long.`);

  type Chunk = { or: true } | { or: false; term: KeywordTerm; excluded: boolean };
  const chunks: Chunk[] = [];
  let i = 0;
  while (i < text.length) {
    if (SPACE.test(text[i]!)) {
      i++;
      continue;
    }
    let excluded = false;
    if (text[i] === "-" && i + 1 < text.length && !SPACE.test(text[i + 1]!)) {
      excluded = true;
      i++;
    }
    const start = i;
    let body: string;
    let phrase = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw bad('Unbalanced quote: close the phrase with a second ".');
      body = text.slice(i + 1, close);
      phrase = true;
      i = close + 1;
    } else {
      let j = i;
      while (j < text.length && !SPACE.test(text[j]!) && text[j] !== '"') j++;
      body = text.slice(i, j);
      i = j;
      if (body === "OR" && !excluded) {
        chunks.push({ or: true });
        continue;
      }
    }
    let prefix = false;
    if (phrase) {
      while (text[i] === "*") {
        prefix = true;
        i++;
      }
    } else if (body.endsWith("*")) {
      prefix = true;
      body = body.replace(/\*+$/, "");
    }
    const written = text.slice(start, i);
    const atoms = atomsOf(body);
    if (atoms.length === 0) {
      if (phrase) throw bad(`The phrase \`${written}\` contains no words.`);
      continue; // punctuation only: nothing to search, as in the index
    }
    if (prefix) {
      const last = atoms[atoms.length - 1]!;
      if (last.kind === "cjk") {
        throw bad(`\`${written}\`: a prefix (*) cannot follow Chinese, Japanese or Korean text, which is matched anywhere in a word already.`);
      }
      if ([...last.tokens[last.tokens.length - 1]!].length < MIN_PREFIX_LENGTH) {
        throw bad(`\`${written}\`: a prefix needs at least ${MIN_PREFIX_LENGTH} characters before the *.`);
      }
      last.prefix = true;
    }
    chunks.push({ or: false, term: { text: written, atoms }, excluded });
  }

  const groups: KeywordTerm[][] = [];
  const excluded: KeywordTerm[] = [];
  const orMisplaced = () =>
    bad("OR must stand between two search terms (e.g. `vegan OR vegetarian`); an excluded term cannot be part of an OR.");
  let afterTerm = false;
  let pendingOr = false;
  for (const chunk of chunks) {
    if (chunk.or) {
      if (!afterTerm || pendingOr) throw orMisplaced();
      pendingOr = true;
    } else if (chunk.excluded) {
      if (pendingOr) throw orMisplaced();
      excluded.push(chunk.term);
      afterTerm = false;
    } else {
      if (pendingOr) groups[groups.length - 1]!.push(chunk.term);
      else groups.push([chunk.term]);
      pendingOr = false;
      afterTerm = true;
    }
  }
  if (pendingOr) throw orMisplaced();
  const terms = groups.reduce((n, g) => n + g.length, 0) + excluded.length;
  if (terms === 0) throw bad("Keywords contain no word to search for.");
  if (groups.length === 0) throw bad("Keywords need at least one term that is not excluded (-term).");
  if (terms > MAX_KEYWORD_TERMS) throw bad(`Keywords may have at most ${MAX_KEYWORD_TERMS} terms (found ${terms}).`);
  return dedupe({ groups, excluded });
}

/** Splits a word or phrase into atoms: consecutive words form one word phrase, consecutive CJK runs one substring. */
function atomsOf(body: string): KeywordAtom[] {
  const atoms: KeywordAtom[] = [];
  for (const [, cjk, word] of body.matchAll(PIECE)) {
    const last = atoms[atoms.length - 1];
    if (cjk !== undefined) {
      if (last?.kind === "cjk") {
        last.runs.push(cjk);
        last.text += ` ${cjk}`;
      } else atoms.push({ kind: "cjk", text: cjk, runs: [cjk] });
    } else if (word !== undefined) {
      if (last?.kind === "words") last.tokens.push(word);
      else atoms.push({ kind: "words", tokens: [word], prefix: false });
    }
  }
  return atoms;
}

const termKey = (t: KeywordTerm) => JSON.stringify(t.atoms.map((a) => (a.kind === "cjk" ? a.text : [a.tokens.map(fold), a.prefix])));

/** Drops repeated terms ("beauty beauty" would count the word twice in bm25 and list it twice in `matched`). */
function dedupe(query: KeywordQuery): KeywordQuery {
  const seenGroups = new Set<string>();
  const groups = query.groups.filter((g) => {
    const key = g.map(termKey).sort().join("|");
    return !seenGroups.has(key) && !!seenGroups.add(key);
  });
  const seenExcluded = new Set<string>();
  const excluded = query.excluded.filter((t) => !seenExcluded.has(termKey(t)) && !!seenExcluded.add(termKey(t)));
  return { groups, excluded };
}

/** A quoted FTS5 string: the only way user text reaches MATCH. */
function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function atomMatch(atom: KeywordAtom): string {
  return atom.kind === "words" ? ftsString(atom.tokens.join(" ")) + (atom.prefix ? "*" : "") : ftsString(atom.text);
}

/** A CJK atom shorter than a trigram: looked up through the vocabulary, not MATCH. */
const isShortCjk = (a: KeywordAtom): a is Extract<KeywordAtom, { kind: "cjk" }> => a.kind === "cjk" && [...a.text].length < 3;

type TermKind = "words" | "cjk" | "other";
function termKind(t: KeywordTerm): TermKind {
  if (t.atoms.length !== 1) return "other";
  const atom = t.atoms[0]!;
  if (atom.kind === "words") return "words";
  return isShortCjk(atom) ? "other" : "cjk";
}

// ---------------------------------------------------------------------------------------------------------------
// Documents (pure).

export interface SearchDocument {
  bio: string;
  categories: string;
  captions: string;
  hashtags: string;
}

export interface CjkDocument {
  bio: string;
  captions: string;
  hashtags: string;
}

/** A caption's trailing hashtag block: `#tag` words at the end, the first preceded by white space or nothing. */
const TRAILING_TAGS = /(?:^|(?<=\s))#[^\s#]+(?:\s+#[^\s#]+)*\s*$/u;

/** One line of NFC text; a zero-width space where CJK touches another script's letters (see the file comment). */
function cleanText(text: string): string {
  let s = text.includes("\n") || text.includes("\r") ? text.replace(/\s*[\r\n]+\s*/g, " ") : text;
  s = s.trim();
  if (!/[^\x00-\x7f]/.test(s)) return s;
  s = s.normalize("NFC");
  if (/[\uE000\uE001\u200B]/.test(s)) s = s.replace(/[\uE000\uE001\u200B]/g, " ");
  return HAS_CJK.test(s) ? separateScripts(s) : s;
}

/** Inserts a zero-width space between a CJK run and a letter or digit of another script touching it. */
function separateScripts(s: string): string {
  let out = "";
  let at = 0;
  for (const m of s.matchAll(CJK_RUN)) {
    const start = m.index!;
    const end = start + m[0].length;
    const before = start > 0 ? String.fromCodePoint(s.codePointAt(previousStart(s, start))!) : "";
    const after = end < s.length ? String.fromCodePoint(s.codePointAt(end)!) : "";
    out += s.slice(at, start) + (before && OTHER_WORD_CHAR.test(before) ? ZWSP : "") + m[0] + (after && OTHER_WORD_CHAR.test(after) ? ZWSP : "");
    at = end;
  }
  return out + s.slice(at);
}

/**
 * Builds an account's search document from its influencer's bio and categories and its posts, most recent first
 * (only the first POSTS_PER_DOCUMENT are used). Captions are one per line.
 */
export function buildSearchDocument(
  bio: string,
  categories: readonly string[],
  posts: readonly { caption: string; hashtags: readonly string[] }[],
): SearchDocument {
  const captions: string[] = [];
  const tags: string[] = [];
  for (const post of posts.slice(0, POSTS_PER_DOCUMENT)) {
    let caption = post.caption ?? "";
    const trailing = TRAILING_TAGS.exec(caption);
    const postTags = [...post.hashtags];
    if (trailing) {
      caption = caption.slice(0, trailing.index);
      postTags.push(...trailing[0].split(/\s+/).filter(Boolean));
    }
    const seen = new Set<string>();
    for (const raw of postTags) {
      const tag = cleanText(String(raw).replace(/^#+/, "")).replace(/\s+/g, "_");
      if (tag && !seen.has(tag.toLowerCase())) {
        seen.add(tag.toLowerCase());
        tags.push(`#${tag}`);
      }
    }
    const text = cleanText(caption);
    if (text) captions.push(text);
  }
  return {
    bio: cleanText(bio ?? ""),
    categories: categories.map((c) => c.toLowerCase().replaceAll("_", " ")).join(" "),
    captions: captions.join("\n"),
    hashtags: tags.join(" "),
  };
}

/** The CJK runs of a document, per column, each column ending with two spaces; null when it has none. */
export function cjkDocument(doc: SearchDocument): CjkDocument | null {
  const runs = (s: string) => {
    const found = s.match(CJK_RUN);
    return found ? `${found.join(" ")}  ` : "";
  };
  const cjk = { bio: runs(doc.bio), captions: runs(doc.captions), hashtags: runs(doc.hashtags) };
  return cjk.bio || cjk.captions || cjk.hashtags ? cjk : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Building the index.

export interface KeywordIndexSummary {
  accounts: number;
  /** Accounts with Chinese, Japanese or Korean text (rows of account_search_cjk). */
  cjkAccounts: number;
  ms: number;
}

const ACCOUNT_COLUMNS = `a.id AS id, i.bio AS bio,
  (SELECT group_concat(c.category, ' ' ORDER BY c.category) FROM influencer_categories c WHERE c.influencer_id = a.influencer_id) AS categories
  FROM social_accounts a JOIN influencers i ON i.id = a.influencer_id`;
const POST_ORDER = "ORDER BY account_id, published_at DESC, id DESC";

interface Writers {
  docs: (rows: unknown[][]) => void;
  cjk: (rows: unknown[][]) => void;
  hashtags: (rows: unknown[][]) => void;
  index: Database.Statement;
  /** The hashtag_keys id of a tag, numbering new tags. */
  tagId: (tag: string) => number;
}

function multiRowInsert(client: Database.Database, head: string, columns: number): (rows: unknown[][]) => void {
  const tuple = `(${Array(columns).fill("?").join(", ")})`;
  const statements = new Map<number, Database.Statement>();
  const statement = (n: number) => {
    let st = statements.get(n);
    if (!st) statements.set(n, (st = client.prepare(`${head} VALUES ${Array(n).fill(tuple).join(", ")}`)));
    return st;
  };
  return (rows) => {
    for (let start = 0; start < rows.length; start += INSERT_ROWS) {
      const chunk = rows.slice(start, start + INSERT_ROWS);
      statement(chunk.length).run(chunk.flat());
    }
  };
}

function writers(client: Database.Database): Writers {
  const tagIds = new Map(client.prepare("SELECT tag, id FROM hashtag_keys").raw().all() as [string, number][]);
  const insertTag = client.prepare("INSERT INTO hashtag_keys (tag) VALUES (?)");
  return {
    docs: multiRowInsert(client, "INSERT INTO account_search_docs (account_id, bio, categories, captions, hashtags)", 5),
    cjk: multiRowInsert(client, "INSERT INTO account_search_cjk (rowid, bio, captions, hashtags)", 4),
    hashtags: multiRowInsert(client, "INSERT INTO account_hashtags (account_id, tags)", 2),
    tagId: (tag) => {
      let id = tagIds.get(tag);
      if (id === undefined) tagIds.set(tag, (id = Number(insertTag.run(tag).lastInsertRowid)));
      return id;
    },
    // The word index reads the batch back from the documents table, in rowid order (FTS5 appends faster that way).
    index: client.prepare(
      `INSERT INTO account_search (rowid, bio, categories, captions, hashtags)
       SELECT account_id, bio, categories, captions, hashtags FROM account_search_docs
       WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id`,
    ),
  };
}

/** Builds and writes the documents of one batch of accounts (ascending ids) from their rows and posts. */
function writeBatch(
  w: Writers,
  accounts: { id: number; bio: string | null; categories: string | null }[],
  posts: { account_id: number; caption: string | null; hashtags: string | null }[],
): number {
  const postsOf = new Map<number, { caption: string; hashtags: string[] }[]>();
  for (const p of posts) {
    let list = postsOf.get(p.account_id);
    if (!list) postsOf.set(p.account_id, (list = []));
    if (list.length < POSTS_PER_DOCUMENT) list.push({ caption: p.caption ?? "", hashtags: parseTags(p.hashtags) });
  }
  const docRows: unknown[][] = [];
  const cjkRows: unknown[][] = [];
  const tagRows: unknown[][] = [];
  for (const a of accounts) {
    const doc = buildSearchDocument(a.bio ?? "", a.categories ? a.categories.split(" ") : [], postsOf.get(a.id) ?? []);
    docRows.push([a.id, doc.bio, doc.categories, doc.captions, doc.hashtags]);
    const cjk = cjkDocument(doc);
    if (cjk) cjkRows.push([a.id, cjk.bio, cjk.captions, cjk.hashtags]);
    const ids = Int32Array.from(new Set(documentHashtags(doc.hashtags).map(w.tagId))).sort();
    const packed = Buffer.alloc(ids.length * 4);
    ids.forEach((id, i) => packed.writeInt32LE(id, i * 4));
    tagRows.push([a.id, packed]);
  }
  w.docs(docRows);
  w.index.run(JSON.stringify(accounts.map((a) => a.id)));
  w.cjk(cjkRows);
  w.hashtags(tagRows);
  return cjkRows.length;
}

function parseTags(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

function inTransaction<T>(client: Database.Database, fn: () => T): T {
  const run = client.transaction(fn);
  return client.inTransaction ? run() : run.immediate();
}

/**
 * Empties both keyword indexes and fills them from the current accounts, influencers and posts, in one transaction
 * (a savepoint when called inside one), in batches of accounts: memory stays flat at any size.
 */
export function rebuildKeywordIndex(db: Db, onProgress?: (done: number, total: number) => void): KeywordIndexSummary {
  const started = performance.now();
  const client = db.$client;
  return inTransaction(client, () => {
    const total = client.prepare("SELECT count(*) FROM social_accounts").pluck().get() as number;
    client.exec(`
      DELETE FROM account_search_docs;
      DELETE FROM account_hashtags;
      INSERT INTO account_search (account_search) VALUES ('delete-all');
      INSERT INTO account_search_cjk (account_search_cjk) VALUES ('delete-all');`);
    const w = writers(client);
    const accountsAfter = client.prepare(`SELECT ${ACCOUNT_COLUMNS} WHERE a.id > ? ORDER BY a.id LIMIT ${INDEX_BATCH}`);
    const postsBetween = client.prepare(
      `SELECT account_id, caption, hashtags FROM posts WHERE account_id BETWEEN ? AND ? ${POST_ORDER}`,
    );
    let done = 0;
    let cjkAccounts = 0;
    let after = 0;
    for (;;) {
      const accounts = accountsAfter.all(after) as { id: number; bio: string | null; categories: string | null }[];
      if (accounts.length === 0) break;
      const first = accounts[0]!.id;
      after = accounts[accounts.length - 1]!.id;
      const posts = postsBetween.all(first, after) as { account_id: number; caption: string | null; hashtags: string | null }[];
      cjkAccounts += writeBatch(w, accounts, posts);
      done += accounts.length;
      onProgress?.(done, total);
    }
    // Merge each index into one segment: built in one go, it would otherwise keep a dozen, each read by every query.
    client.exec(`
      INSERT INTO account_search (account_search) VALUES ('optimize');
      INSERT INTO account_search_cjk (account_search_cjk) VALUES ('optimize');`);
    onProgress?.(done, total);
    return { accounts: done, cjkAccounts, ms: performance.now() - started };
  });
}

/**
 * Re-indexes the given accounts (after an import or an edit of bios, categories or posts): their old entries are
 * removed, and those that still exist are indexed from the current data. One transaction.
 */
export function reindexKeywordAccounts(db: Db, accountIds: Iterable<number>): KeywordIndexSummary {
  const started = performance.now();
  const client = db.$client;
  const ids = [...new Set(accountIds)].filter((id) => Number.isSafeInteger(id)).sort((a, b) => a - b);
  return inTransaction(client, () => {
    const w = writers(client);
    const removeWords = client.prepare(
      `INSERT INTO account_search (account_search, rowid, bio, categories, captions, hashtags)
       SELECT 'delete', account_id, bio, categories, captions, hashtags FROM account_search_docs
       WHERE account_id IN (SELECT value FROM json_each(?))`,
    );
    const removeDocs = client.prepare("DELETE FROM account_search_docs WHERE account_id IN (SELECT value FROM json_each(?))");
    const removeTags = client.prepare("DELETE FROM account_hashtags WHERE account_id IN (SELECT value FROM json_each(?))");
    const removeCjk = client.prepare("DELETE FROM account_search_cjk WHERE rowid IN (SELECT value FROM json_each(?))");
    const accountsIn = client.prepare(`SELECT ${ACCOUNT_COLUMNS} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id`);
    const postsIn = client.prepare(
      `SELECT account_id, caption, hashtags FROM posts WHERE account_id IN (SELECT value FROM json_each(?)) ${POST_ORDER}`,
    );
    let accounts = 0;
    let cjkAccounts = 0;
    for (let start = 0; start < ids.length; start += INDEX_BATCH) {
      const batch = JSON.stringify(ids.slice(start, start + INDEX_BATCH));
      removeWords.run(batch);
      removeDocs.run(batch);
      removeTags.run(batch);
      removeCjk.run(batch);
      const rows = accountsIn.all(batch) as { id: number; bio: string | null; categories: string | null }[];
      if (rows.length === 0) continue;
      const posts = postsIn.all(JSON.stringify(rows.map((r) => r.id))) as {
        account_id: number;
        caption: string | null;
        hashtags: string | null;
      }[];
      cjkAccounts += writeBatch(w, rows, posts);
      accounts += rows.length;
    }
    return { accounts, cjkAccounts, ms: performance.now() - started };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Searching.

export interface KeywordHit {
  accountId: number;
  /** bm25 as a share of the most any document can score for the query (bm25Ceiling), in (0, 1). */
  relevance: number;
  /** FTS5 bm25 (summed over both indexes for mixed queries): negative, smaller is better. */
  bm25: number;
  /** The query terms (as written) this account matches; excluded terms never appear. */
  matched: string[];
  /**
   * About 12 words (a CJK character counts as half a word) of the bio, categories, a caption or the hashtags
   * around the first match, matches wrapped in «…», "…" where text was cut. Plain text, not HTML; « and » of the
   * text itself appear as ‹ and ›, so every « » pair is a match.
   */
  snippet: string;
}

export interface KeywordSearchOptions {
  /** The input field reported in BAD_USER_INPUT errors, e.g. "brief.keywords". */
  field: string;
  /** At most this many accounts, the best ones (default 5,000). */
  limit?: number;
  /**
   * Find the matched terms and snippet of every hit (default true). Ranking needs only the relevance: pass false,
   * and describe the page shown with `describeKeywordHits` (snippets cost far more than bm25 per hit).
   */
  details?: boolean;
}

type Scores = Map<number, number>;

/**
 * Accounts matching a keyword query, best first (relevance desc, then account id asc). Throws BadUserInputError
 * (options.field) for an invalid query.
 */
export function searchKeywords(db: Db, input: string, options: KeywordSearchOptions): KeywordHit[] {
  const limit = options.limit ?? DEFAULT_KEYWORD_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  const query = parseKeywords(input, options.field);
  const client = db.$client;
  const ranked = rank(client, query, limit);
  if (ranked.length === 0) return [];
  const ceiling = bm25Ceiling(client, query);
  const details = options.details === false ? new Map<number, { matched: string[]; snippet: string }>() : describe(client, query, ranked.map((r) => r.id));
  return ranked.map(({ id, score }) => ({
    accountId: id,
    relevance: relevanceOf(score, ceiling),
    bm25: score,
    matched: details.get(id)?.matched ?? [],
    snippet: details.get(id)?.snippet ?? "",
  }));
}

/**
 * The hashtags of each account's recent posts, as its search document holds them: lower case, without "#".
 * (Lookalikes compare them; one statement for any number of accounts.)
 */
export function hashtagsOfAccounts(db: Db, accountIds: readonly number[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  if (accountIds.length === 0) return out;
  const rows = db.$client
    .prepare("SELECT account_id, hashtags FROM account_search_docs WHERE account_id IN (SELECT value FROM json_each(?))")
    .raw()
    .all(JSON.stringify(accountIds)) as [number, string][];
  for (const [id, hashtags] of rows) out.set(id, new Set(documentHashtags(hashtags)));
  return out;
}

/** The hashtags of a search document's hashtags column as lookalikes compare them: lower case, without "#". */
export function documentHashtags(hashtags: string): string[] {
  return hashtags
    .split(/\s+/)
    .filter(Boolean)
    .map((tag) => tag.replace(/^#/, "").toLowerCase());
}

/** The matched terms and snippet of the given accounts for a keyword query (for the page a ranking shows). */
export function describeKeywordHits(db: Db, input: string, accountIds: readonly number[], field: string): Map<number, { matched: string[]; snippet: string }> {
  if (accountIds.length === 0) return new Map();
  return describe(db.$client, parseKeywords(input, field), [...accountIds]);
}

// ---------------------------------------------------------------------------------------------------------------
// Relevance.

/** bm25 as a share of its ceiling: `bm25` is negated like bm25() (smaller is better). */
function relevanceOf(bm25: number, ceiling: number): number {
  return ceiling > 0 ? Math.min(1, -bm25 / ceiling) : 0;
}

/** The query's positive atoms, each a phrase of one of the two indexes. */
function positiveAtoms(query: KeywordQuery): KeywordAtom[] {
  return query.groups.flat().flatMap((t) => t.atoms);
}

/**
 * The most any document can score for a query: bm25 is a sum over the query's phrases of IDF × f(k1 + 1) / (f + k1 ·
 * lengthNorm), and each term tends to IDF × (k1 + 1) as the phrase's frequency f grows, so the ceiling is
 * (k1 + 1) × Σ IDF over the positive phrases (each with the document count of its own index). Relevance = bm25 ÷
 * ceiling is then an absolute scale: it does not depend on the other matches, so it can be computed for a few
 * accounts without scoring all of them (KeywordMatches).
 */
function bm25Ceiling(client: Database.Database, query: KeywordQuery): number {
  const totals = { words: ftsTotals(client, "account_search").rows, cjk: ftsTotals(client, "account_search_cjk").rows };
  let idfs = 0;
  for (const atom of positiveAtoms(query)) {
    const index = atom.kind === "words" ? "words" : "cjk";
    idfs += idfOf(client, totals[index], phraseHits(client, atom));
  }
  return (BM25_K1 + 1) * idfs;
}

/** How many documents contain an atom (bm25's n of the phrase). */
function phraseHits(client: Database.Database, atom: KeywordAtom): number {
  if (isShortCjk(atom)) {
    return client
      .prepare("SELECT count(DISTINCT doc) FROM account_search_cjk_instances WHERE term >= ? AND term < ?")
      .pluck()
      .get(atom.text, `${atom.text}\u{10FFFF}`) as number;
  }
  const table = atom.kind === "words" ? "account_search" : "account_search_cjk";
  return client.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(atomMatch(atom)) as number;
}

/**
 * Every account a keyword query matches, with relevance on demand. Ranking needs bm25 only for the few matches that
 * can reach the page, and bm25() over every match is most of a cold keyword brief's time (FTS5 looks up each match's
 * length in %_docsize).
 */
export interface KeywordMatches {
  /** Every matching account id, ascending. */
  readonly accountIds: Int32Array;
  /** The relevance (bm25 ÷ its ceiling, in (0, 1)) of each given account, which must be among the matches. */
  relevance(accountIds: ArrayLike<number>): Float64Array;
}

/**
 * Matches after this many relevance lookups are all scored by FTS5's bm25() at once: past it, one pass over the
 * matches costs less than reading more documents (about 25 µs a document against 1–2 µs a match).
 */
export const SCORE_ALL_AFTER = 2_000;

/** The matches of a keyword query (throws BadUserInputError(field) for an invalid one); see KeywordMatches. */
export function matchKeywords(db: Db, input: string, field: string): KeywordMatches {
  const query = parseKeywords(input, field);
  const client = db.$client;
  const terms = [...query.groups.flat(), ...query.excluded];
  if (query.groups.length > 0 && terms.every((t) => termKind(t) === "words")) return new WordMatches(client, query);
  // Chinese, Japanese and Korean terms: their parts come from two indexes and the vocabulary, each scored whole.
  const hits = searchKeywords(db, input, { field, limit: Number.MAX_SAFE_INTEGER, details: false });
  const byId = new Map(hits.map((h) => [h.accountId, h.relevance]));
  return {
    accountIds: Int32Array.from(byId.keys()).sort(),
    relevance: (ids) => Float64Array.from(Array.from(ids, (id) => byId.get(id) ?? 0)),
  };
}

/**
 * A query on the word index alone. The matches are FTS5's rowids (no bm25: about 0.1 µs a match); a match's bm25
 * is computed here, with FTS5's formula and inputs: the document's length from %_docsize, the table's row count and
 * average length from its averages record, each phrase's document count, and the phrase's frequency f = Σ column
 * weight × occurrences, counted in the stored document with unicode61's token rules (occurrences()). A match whose
 * document shows no occurrence (a folding this module does not reproduce) is scored by bm25() itself.
 */
class WordMatches implements KeywordMatches {
  readonly accountIds: Int32Array;
  private readonly expression: string;
  private readonly phrases: { target: Locatable; idf: number }[];
  private readonly ceiling: number;
  private readonly avgdl: number;
  private readonly known = new Map<number, number>();
  /** Every match's relevance, in accountIds order, once scoreAll has run (a typed array: it may hold 100,000s). */
  private all: Float64Array | null = null;

  constructor(
    private readonly client: Database.Database,
    query: KeywordQuery,
  ) {
    this.expression = ftsExpression(query.groups, query.excluded);
    // One JSON array rather than a row per match: a third less time for 100,000 matches.
    const ids = client.prepare("SELECT json_group_array(rowid) FROM account_search WHERE account_search MATCH ?").pluck().get(this.expression) as string;
    this.accountIds = Int32Array.from(JSON.parse(ids) as number[]);
    // FTS5 returns full-text matches in rowid order; the callers rely on it, so make sure.
    for (let i = 1; i < this.accountIds.length; i++) {
      if (this.accountIds[i - 1]! > this.accountIds[i]!) {
        this.accountIds.sort();
        break;
      }
    }
    const atoms = positiveAtoms(query);
    // A single phrase's document count is the number of matches.
    const single = atoms.length === 1 && query.excluded.length === 0;
    const { rows, tokens } = ftsTotals(client, "account_search");
    this.avgdl = rows > 0 ? tokens / rows : 1;
    this.phrases = atoms.map((atom) => ({ target: locatable(atom), idf: idfOf(client, rows, single ? this.accountIds.length : phraseHits(client, atom)) }));
    // bm25Ceiling's sum, over the IDFs just computed (all phrases are on the word index).
    this.ceiling = (BM25_K1 + 1) * this.phrases.reduce((sum, p) => sum + p.idf, 0);
  }

  relevance(accountIds: ArrayLike<number>): Float64Array {
    if (this.all === null) {
      const missing: number[] = [];
      for (let i = 0; i < accountIds.length; i++) if (!this.known.has(accountIds[i]!)) missing.push(accountIds[i]!);
      if (missing.length > 0 && this.known.size + missing.length > SCORE_ALL_AFTER) this.scoreAll();
      else if (missing.length > 0) this.score(missing);
    }
    const all = this.all;
    if (all === null) return Float64Array.from(Array.from(accountIds, (id) => this.known.get(id) ?? 0));
    return Float64Array.from(Array.from(accountIds, (id) => {
      const at = indexOfSorted(this.accountIds, id);
      return at < 0 ? 0 : all[at]!;
    }));
  }

  private scoreAll(): void {
    const rows = this.client.prepare(`SELECT rowid, ${WORD_BM25} FROM account_search WHERE account_search MATCH ?`).raw().all(this.expression) as [number, number][];
    const all = new Float64Array(this.accountIds.length);
    for (const [id, bm25] of rows) {
      const at = indexOfSorted(this.accountIds, id);
      if (at >= 0) all[at] = relevanceOf(bm25, this.ceiling);
    }
    this.all = all;
    this.known.clear();
  }

  private documents?: Database.Statement;

  private score(ids: number[]): void {
    // Prepared once per query: a brief reads its documents in several small batches.
    this.documents ??= this.client
      .prepare(
        `SELECT d.account_id, d.bio, d.categories, d.captions, d.hashtags, s.sz
         FROM account_search_docs d JOIN account_search_docsize s ON s.id = d.account_id
         WHERE d.account_id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
    const rows = this.documents.all(JSON.stringify(ids)) as [number, string, string, string, string, Uint8Array][];
    let fallback: Database.Statement | undefined;
    // bm25() itself, for a document this module cannot count exactly (it then recounts the phrases' documents: rare).
    const fromFts = (id: number) => {
      fallback ??= this.client.prepare(`SELECT ${WORD_BM25} FROM account_search WHERE account_search MATCH ? AND rowid = ?`).pluck();
      return -((fallback.get(this.expression, id) as number | undefined) ?? 0);
    };
    const columns: Text[] = [];
    for (const row of rows) {
      const id = row[0];
      let exact = true;
      for (let c = 0; c < COLUMN_WEIGHTS.length; c++) {
        const column = (columns[c] = new Text(row[c + 1] as string));
        if (exact && column.text && !column.foldsExactly) exact = false;
      }
      let score = 0;
      if (exact) {
        // Operation for operation as fts5Bm25Function computes it, so both ways give the same double.
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * docSize(row[5])) / this.avgdl);
        for (const { target, idf } of this.phrases) {
          let f = 0;
          for (let c = 0; c < COLUMN_WEIGHTS.length; c++) if (columns[c]!.text) f += COLUMN_WEIGHTS[c]! * occurrences(columns[c]!, target, false).length;
          score += idf * ((f * (BM25_K1 + 1)) / (f + norm));
        }
      }
      // No occurrence found (an index entry the stored text does not show), or a text the fold may miss words in.
      if (score === 0) score = fromFts(id);
      this.known.set(id, relevanceOf(-score, this.ceiling));
    }
    // A match without its document row (only a bug could cause it): bm25() still knows it.
    for (const id of ids) if (!this.known.has(id)) this.known.set(id, relevanceOf(-fromFts(id), this.ceiling));
  }
}

/** WORD_WEIGHTS in the index's column order. */
const COLUMN_WEIGHTS = [WORD_WEIGHTS.bio, WORD_WEIGHTS.categories, WORD_WEIGHTS.captions, WORD_WEIGHTS.hashtags] as const;

/**
 * Reads every keyword document once, in rowid order, into the connection's page cache: relevance on demand reads
 * a few hundred documents per keyword brief at random, each a page read from disk the first time (about 0.1 ms
 * here, against 7 µs from the cache). One sequential pass costs about 2 s at a million accounts (580 MiB), and
 * only helps when the page cache can hold the table (setPageCache). Returns what it read.
 */
export function preloadKeywordDocuments(db: Db): { documents: number; characters: number; ms: number } {
  const started = performance.now();
  const [documents, characters] = db.$client
    .prepare("SELECT count(*), coalesce(sum(length(bio) + length(categories) + length(captions) + length(hashtags)), 0) FROM account_search_docs")
    .raw()
    .get() as [number, number];
  // The lengths the on-demand bm25 joins to each document.
  db.$client.prepare("SELECT count(*), sum(length(sz)) FROM account_search_docsize").raw().get();
  return { documents, characters, ms: performance.now() - started };
}

/** The FTS5 expression of groups of one-atom terms on one index: groups ANDed, a group's terms ORed, exclusions NOT. */
function ftsExpression(groups: KeywordTerm[][], excluded: KeywordTerm[]): string {
  const positive = groups
    .map((g) => (g.length === 1 ? atomMatch(g[0]!.atoms[0]!) : `(${g.map((t) => atomMatch(t.atoms[0]!)).join(" OR ")})`))
    .join(" AND ");
  return excluded.length ? `(${positive}) NOT (${excluded.map((t) => atomMatch(t.atoms[0]!)).join(" OR ")})` : positive;
}

/** Candidate accounts with their bm25, best first, at most `limit`. */
function rank(client: Database.Database, query: KeywordQuery, limit: number): { id: number; score: number }[] {
  const wordGroups = query.groups.filter((g) => g.every((t) => termKind(t) === "words"));
  const cjkGroups = query.groups.filter((g) => g.every((t) => termKind(t) === "cjk"));
  const otherGroups = query.groups.filter((g) => !wordGroups.includes(g) && !cjkGroups.includes(g));
  const wordExcluded = query.excluded.filter((t) => termKind(t) === "words");
  const cjkExcluded = query.excluded.filter((t) => termKind(t) === "cjk");
  const otherExcluded = query.excluded.filter((t) => termKind(t) === "other");

  // An exclusion goes into its index's expression when that index has a positive part (FTS5's NOT needs a left side).
  const wordExpr = wordGroups.length ? ftsExpression(wordGroups, wordExcluded) : null;
  const cjkExpr = cjkGroups.length ? ftsExpression(cjkGroups, cjkExcluded) : null;
  const leftover = [...otherExcluded, ...(wordExpr ? [] : wordExcluded), ...(cjkExpr ? [] : cjkExcluded)];

  // One index, no other condition: FTS5 ranks and caps.
  if (otherGroups.length === 0 && leftover.length === 0 && (wordExpr === null) !== (cjkExpr === null)) {
    const sql = wordExpr
      ? `SELECT rowid AS id, ${WORD_BM25} AS score FROM account_search WHERE account_search MATCH ? ORDER BY score, rowid LIMIT ?`
      : `SELECT rowid AS id, ${CJK_BM25} AS score FROM account_search_cjk WHERE account_search_cjk MATCH ? ORDER BY score, rowid LIMIT ?`;
    return client.prepare(sql).all(wordExpr ?? cjkExpr, limit) as { id: number; score: number }[];
  }

  // Otherwise each part is a set of accounts with a bm25 share; the parts are intersected and their shares added.
  // Every ranked part is evaluated whole: bm25() restricted to a list of rowids (`rowid IN (…)`) recomputes its IDF
  // with a full scan of the phrase for every rowid, slower than ranking all matches once. Short CJK terms first (an
  // empty part ends the search early), the word index last (its common words have the longest posting lists).
  const parts: (() => Scores)[] = [];
  for (const group of otherGroups) parts.push(() => groupScores(client, group));
  if (cjkExpr) parts.push(() => matchScores(client, "cjk", cjkExpr));
  if (wordExpr) parts.push(() => matchScores(client, "words", wordExpr));
  let candidates: Scores | null = null;
  for (const part of parts) {
    const scores = part();
    candidates = candidates ? intersect(candidates, scores) : scores;
    if (candidates.size === 0) return [];
  }
  if (!candidates) return [];
  // Exclusions only need to know which candidates contain the term: no bm25, so the rowid restriction is cheap.
  for (const term of leftover) {
    if (candidates.size === 0) break;
    const restrict = candidates.size <= RESTRICT_CANDIDATES ? [...candidates.keys()] : undefined;
    for (const id of termIds(client, term, restrict)) candidates.delete(id);
  }
  return [...candidates]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => a.score - b.score || a.id - b.id)
    .slice(0, limit);
}

function intersect(a: Scores, b: Scores): Scores {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out: Scores = new Map();
  for (const [id, score] of small) {
    const other = large.get(id);
    if (other !== undefined) out.set(id, score + other);
  }
  return out;
}

/** An OR group: union of its terms, adding the shares of every alternative an account matches (as bm25 would). */
function groupScores(client: Database.Database, group: KeywordTerm[]): Scores {
  const out: Scores = new Map();
  for (const term of group) {
    for (const [id, score] of termScores(client, term)) out.set(id, (out.get(id) ?? 0) + score);
  }
  return out;
}

/** A term: intersection of its atoms. */
function termScores(client: Database.Database, term: KeywordTerm): Scores {
  let out: Scores | null = null;
  for (const atom of term.atoms) {
    const scores: Scores = isShortCjk(atom)
      ? shortCjkScores(client, atom.text)
      : matchScores(client, atom.kind === "words" ? "words" : "cjk", atomMatch(atom));
    const next: Scores = out ? intersect(out, scores) : scores;
    out = next;
    if (next.size === 0) break;
  }
  return out ?? new Map();
}

/** The accounts (among `restrict`, when given) that contain a term: an excluded one. */
function termIds(client: Database.Database, term: KeywordTerm, restrict?: number[]): Set<number> {
  let out: Set<number> | null = null;
  for (const atom of term.atoms) {
    const current: Set<number> | null = out;
    const within = current ? [...current] : restrict;
    let ids: Iterable<number>;
    if (isShortCjk(atom)) ids = shortCjkScores(client, atom.text, within).keys();
    else {
      const table = atom.kind === "words" ? "account_search" : "account_search_cjk";
      const sql = `SELECT rowid FROM ${table} WHERE ${table} MATCH ?` + (within ? " AND rowid IN (SELECT value FROM json_each(?))" : "");
      const statement = client.prepare(sql).pluck();
      ids = (within ? statement.all(atomMatch(atom), JSON.stringify(within)) : statement.all(atomMatch(atom))) as number[];
    }
    const next = new Set<number>(ids);
    out = next;
    if (next.size === 0) break;
  }
  return out ?? new Set();
}

/** All accounts matching an FTS5 expression on one index, with their bm25. */
function matchScores(client: Database.Database, index: "words" | "cjk", expression: string): Scores {
  const [table, bm25] = index === "words" ? ["account_search", WORD_BM25] : ["account_search_cjk", CJK_BM25];
  const rows = client.prepare(`SELECT rowid AS id, ${bm25} AS score FROM ${table} WHERE ${table} MATCH ?`).raw().all(expression);
  return new Map(rows as [number, number][]);
}

/**
 * A 1–2 character CJK term: every occurrence starts a trigram of account_search_cjk (columns end with two spaces),
 * so the occurrences are the index entries of the trigrams in [term, term + U+10FFFF). Scored with FTS5's bm25
 * formula: IDF = ln((N − n + 0.5) / (n + 0.5)) (at least 1e-6), f = Σ column weight × occurrences,
 * score = IDF · f · (k1 + 1) / (f + k1 · (1 − b + b · |D| / avgdl)), returned negated like bm25(). Exported for the
 * test that checks it against bm25() on a 3-character term (for which both ways apply).
 */
export function shortCjkScores(client: Database.Database, term: string, restrict?: number[]): Scores {
  const rows = client
    .prepare(
      `SELECT doc, col, count(*) AS n FROM account_search_cjk_instances WHERE term >= ? AND term < ? GROUP BY doc, col`,
    )
    .raw()
    .all(term, `${term}\u{10FFFF}`) as [number, keyof typeof CJK_WEIGHTS, number][];
  const freq = new Map<number, number>();
  for (const [doc, col, n] of rows) freq.set(doc, (freq.get(doc) ?? 0) + (CJK_WEIGHTS[col] ?? 1) * n);
  const hits = freq.size;
  if (restrict) {
    const keep = new Set(restrict);
    for (const doc of [...freq.keys()]) if (!keep.has(doc)) freq.delete(doc);
  }
  if (freq.size === 0) return new Map();
  const { rows: total, tokens } = ftsTotals(client, "account_search_cjk");
  const avgdl = total > 0 ? tokens / total : 1;
  const idf = idfOf(client, total, hits);
  const sizes = cjkDocSizes(client, [...freq.keys()]);
  const out: Scores = new Map();
  for (const [doc, f] of freq) {
    const length = sizes.get(doc) ?? avgdl;
    const score = (idf * (f * (BM25_K1 + 1))) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * length) / avgdl));
    out.set(doc, -score);
  }
  return out;
}

/** FTS5's IDF of a phrase that `hits` of `rows` documents contain (fts5_aux.c): ln((N − n + 0.5) / (n + 0.5)), at least 1e-6. */
function idfOf(client: Database.Database, rows: number, hits: number): number {
  // SQLite's ln() is C's log(), which FTS5 calls: Math.log differs from it in the last bit for a few % of inputs,
  // and bm25 computed here must be the same double as bm25().
  const idf = client.prepare("SELECT ln(?)").pluck().get((rows - hits + 0.5) / (hits + 0.5)) as number;
  return idf > 0 ? idf : 1e-6;
}

/** The sum of a %_docsize blob: one varint token count per column. */
function docSize(sz: Uint8Array): number {
  let total = 0;
  for (let pos = 0; pos < sz.length; ) {
    const [n, next] = readVarint(sz, pos);
    total += n;
    pos = next;
  }
  return total;
}

/** SQLite's varint (also FTS5's): big-endian 7-bit groups, the 9th byte holds 8 bits. */
function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = buf[pos + i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return [value, pos + i + 1];
  }
  return [value * 256 + (buf[pos + 8] ?? 0), pos + 9];
}

/**
 * Row count and token total of an FTS5 index: its "averages" record (row 1 of the %_data shadow table:
 * varint row count, then one varint token total per column), which is what bm25() itself reads.
 */
function ftsTotals(client: Database.Database, table: "account_search" | "account_search_cjk"): { rows: number; tokens: number } {
  const block = client.prepare(`SELECT block FROM ${table}_data WHERE id = 1`).pluck().get() as Uint8Array | undefined;
  if (!block || block.length === 0) return { rows: 0, tokens: 0 };
  let [rows, pos] = readVarint(block, 0);
  let tokens = 0;
  while (pos < block.length) {
    const [n, next] = readVarint(block, pos);
    tokens += n;
    pos = next;
  }
  return { rows, tokens };
}

/** Token count of each document (the %_docsize shadow table: one varint per column). */
function cjkDocSizes(client: Database.Database, ids: number[]): Map<number, number> {
  const rows = client
    .prepare("SELECT id, sz FROM account_search_cjk_docsize WHERE id IN (SELECT value FROM json_each(?))")
    .raw()
    .all(JSON.stringify(ids)) as [number, Uint8Array][];
  const out = new Map<number, number>();
  for (const [id, sz] of rows) out.set(id, docSize(sz));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Matched terms and snippets.

interface Span {
  start: number;
  end: number;
}

const COLUMNS = ["bio", "categories", "captions", "hashtags"] as const;
/** The tokens unicode61 makes (its token characters; everything else separates). */
const TOKEN = new RegExp(`[${WORD}]+`, "gu");
const LATIN_MARKS = /(?<=\p{sc=Latin}\p{M}*)\p{M}/gu;

/**
 * Folds text the way unicode61 with remove_diacritics 2 does, closely enough to find its matches again: diacritics of
 * Latin letters removed, lower case without the final-sigma rule. Where it differs (rare letters such as ǿ), the
 * caller falls back to highlight().
 */
function fold(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
  return text.normalize("NFD").replace(LATIN_MARKS, "").normalize("NFC").replaceAll("Σ", "σ").toLowerCase();
}

/** A positive atom of the query, ready to be looked for in a document. */
type Locatable = { kind: "words"; folded: string[]; prefix: boolean } | { kind: "cjk"; runs: string[] };

function locatable(atom: KeywordAtom): Locatable {
  return atom.kind === "words" ? { kind: "words", folded: atom.tokens.map(fold), prefix: atom.prefix } : { kind: "cjk", runs: atom.runs };
}

/** Latin letters that may carry diacritics, and combining marks: where fold() differs from toLowerCase(). */
const NEEDS_CHAR_FOLD = /[\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/;
const NEEDS_CHAR_FOLD_ALL = new RegExp(NEEDS_CHAR_FOLD.source, "g");
/** fold() of single characters, for same-length folding. */
const foldedChars = new Map<string, string>();
const tokenChars = new Map<number, boolean>();
const TOKEN_CHAR = new RegExp(`^[${WORD}]$`, "u");

/** Whether the code point at `i` of `s` is a token character (false outside the string). */
function isTokenChar(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const cp = s.codePointAt(i)!;
  let is = tokenChars.get(cp);
  if (is === undefined) tokenChars.set(cp, (is = TOKEN_CHAR.test(String.fromCodePoint(cp))));
  return is;
}

/** The code point ending just before `i` starts at `i - 2` for a surrogate pair. */
function previousStart(s: string, i: number): number {
  return i >= 2 && /[\uDC00-\uDFFF]/.test(s[i - 1]!) && /[\uD800-\uDBFF]/.test(s[i - 2]!) ? i - 2 : i - 1;
}

/**
 * One column of one document and its fold, character by character so that positions stay the same (a character
 * whose fold has another length stays as it is; words that contain one are then left to the highlight() fallback).
 */
/** Combining diacritics: unicode61 drops them, Text keeps them (they have no fold of their own length). */
const COMBINING_DIACRITIC = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/;

class Text {
  private foldedText?: string;
  constructor(readonly text: string) {}
  /**
   * Whether the fold finds every word unicode61 makes of this text: not where a combining diacritic stands alone
   * ("Ẹ̀kọ́" written with U+0300) or a letter's lower case has another length (İ), which the fold leaves as they are.
   */
  get foldsExactly(): boolean {
    return !COMBINING_DIACRITIC.test(this.text) && this.text.toLowerCase().length === this.text.length;
  }
  get folded(): string {
    if (this.foldedText === undefined) {
      const lower = this.text.replaceAll("Σ", "σ").toLowerCase();
      this.foldedText =
        lower.length !== this.text.length
          ? [...this.text].map(foldChar).join("")
          : NEEDS_CHAR_FOLD.test(lower)
            ? lower.replace(NEEDS_CHAR_FOLD_ALL, foldChar)
            : lower;
    }
    return this.foldedText;
  }
}

/** fold() of one character when it keeps the length, else its lower case when that does, else the character. */
function foldChar(ch: string): string {
  let f = foldedChars.get(ch);
  if (f === undefined) {
    f = fold(ch);
    if (f.length !== ch.length) f = ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
    foldedChars.set(ch, f);
  }
  return f;
}

/** Occurrences of an atom in a column (only the first when `first`). */
function occurrences(t: Text, atom: Locatable, first: boolean): Span[] {
  const out: Span[] = [];
  if (atom.kind === "cjk") {
    for (const run of atom.runs) {
      for (let at = t.text.indexOf(run); at >= 0; at = t.text.indexOf(run, at + run.length)) {
        out.push({ start: at, end: at + run.length });
        if (first) break;
      }
    }
    return first && out.length < atom.runs.length ? [] : out;
  }
  const folded = t.folded;
  const want = atom.folded;
  const last = want.length - 1;
  // The end of a word of the atom that starts at `at`, or -1.
  const wordAt = (at: number, k: number): number => {
    const w = want[k]!;
    if (!folded.startsWith(w, at)) return -1;
    let end = at + w.length;
    if (atom.prefix && k === last) {
      while (isTokenChar(folded, end)) end += folded.codePointAt(end)! > 0xffff ? 2 : 1;
      return end;
    }
    return isTokenChar(folded, end) ? -1 : end;
  };
  for (let at = folded.indexOf(want[0]!); at >= 0; at = folded.indexOf(want[0]!, at + 1)) {
    if (isTokenChar(folded, previousStart(folded, at))) continue;
    let end = wordAt(at, 0);
    for (let k = 1; k <= last && end >= 0; k++) {
      let next = end;
      while (next < folded.length && !isTokenChar(folded, next)) next++;
      end = next < folded.length ? wordAt(next, k) : -1;
    }
    if (end < 0) continue;
    out.push({ start: at, end });
    if (first) break;
    // No skip to `end`: FTS5 counts overlapping phrase instances ("a a" twice in "a a a"), and bm25 counts with it.
  }
  return out;
}

/**
 * Which query terms each account matches, and its snippet. Matches are found again in the stored documents (rowid
 * reads, no FTS5 work per account): bio and categories first, captions and hashtags only for accounts where those
 * did not show every matched term. An account where that fails to explain its match (a folding difference) gets
 * its word matches from FTS5's highlight() instead.
 */
function describe(client: Database.Database, query: KeywordQuery, ids: number[]): Map<number, { matched: string[]; snippet: string }> {
  const terms = query.groups.flat();
  const atoms: KeywordAtom[] = [];
  const atomIndex = new Map<KeywordAtom, number>();
  for (const t of terms) for (const a of t.atoms) atomIndex.set(a, atoms.push(a) - 1);
  const targets = atoms.map(locatable);
  const wordAtoms = atoms.filter((a) => a.kind === "words");

  interface State {
    cols: Text[];
    found: boolean[];
    snippet: { col: number; spans: Span[] } | null;
  }
  const states = new Map<number, State>(ids.map((id) => [id, { cols: [], found: targets.map(() => false), snippet: null }]));
  const scan = (state: State, from: number) => {
    for (let c = from; c < state.cols.length; c++) {
      const col = state.cols[c]!;
      if (!col.text) continue;
      if (!state.snippet) {
        const spans: Span[] = [];
        targets.forEach((target, i) => {
          const at = occurrences(col, target, false);
          if (at.length && (target.kind === "words" || occurrences(col, target, true).length)) state.found[i] = true;
          spans.push(...at);
        });
        if (spans.length) state.snippet = { col: c, spans: mergeSpans(spans) };
      } else {
        targets.forEach((target, i) => {
          if (!state.found[i] && occurrences(col, target, true).length) state.found[i] = true;
        });
      }
    }
  };
  const complete = (state: State) => state.snippet !== null && state.found.every(Boolean);
  const read = (columns: readonly string[], of: number[]) =>
    client
      .prepare(`SELECT account_id, ${columns.join(", ")} FROM account_search_docs WHERE account_id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(of)) as [number, ...(string | null)[]][];

  for (const [id, bio, categories] of read(["bio", "categories"], ids)) {
    const state = states.get(id)!;
    state.cols.push(new Text(bio ?? ""), new Text(categories ?? ""));
    scan(state, 0);
  }
  const rest = ids.filter((id) => !complete(states.get(id)!));
  for (const [id, captions, hashtags] of rest.length ? read(["captions", "hashtags"], rest) : []) {
    const state = states.get(id)!;
    if (state.cols.length !== 2) continue;
    state.cols.push(new Text(captions ?? ""), new Text(hashtags ?? ""));
    scan(state, 2);
  }

  let highlight: Database.Statement | undefined;
  const out = new Map<number, { matched: string[]; snippet: string }>();
  for (const id of ids) {
    const state = states.get(id)!;
    const termMatched = (t: KeywordTerm) => t.atoms.every((a) => state.found[atomIndex.get(a)!]);
    let snippetText = state.snippet ? state.cols[state.snippet.col]!.text : "";
    if (wordAtoms.length && !query.groups.every((g) => g.some(termMatched))) {
      // Not explained by the folding above: ask FTS5 where the words matched.
      highlight ??= client.prepare(
        `SELECT ${COLUMNS.map((_, i) => `highlight(account_search, ${i}, '${MARK_OPEN}', '${MARK_CLOSE}')`).join(", ")}
         FROM account_search WHERE account_search MATCH ? AND rowid = ?`,
      );
      const marked = highlight.raw().get(wordAtoms.map(atomMatch).join(" OR "), id) as (string | null)[] | undefined;
      if (marked) {
        const parsed = marked.map(parseHighlight);
        targets.forEach((target, i) => {
          if (target.kind === "words" && parsed.some((p) => p.words.some((w) => containsWords((p.text.slice(w.start, w.end).match(TOKEN) ?? []).map(fold), target)))) {
            state.found[i] = true;
          }
        });
        const c = parsed.findIndex((p) => p.words.length > 0);
        if (c >= 0 && (!state.snippet || c <= state.snippet.col)) {
          const cjkSpans = targets.flatMap((t) => (t.kind === "cjk" ? occurrences(new Text(parsed[c]!.text), t, false) : []));
          state.snippet = { col: c, spans: mergeSpans([...parsed[c]!.words, ...cjkSpans]) };
          snippetText = parsed[c]!.text;
        }
      }
    }
    out.set(id, {
      matched: [...new Set(terms.filter(termMatched).map((t) => t.text))],
      snippet: state.snippet ? buildSnippet(snippetText, state.snippet.spans) : "",
    });
  }
  return out;
}

/** Whether folded tokens contain the atom's words in order (the last as a prefix when it is one). */
function containsWords(tokens: string[], atom: Extract<Locatable, { kind: "words" }>): boolean {
  const want = atom.folded;
  for (let i = 0; i + want.length <= tokens.length; i++) {
    let ok = true;
    for (let k = 0; k < want.length && ok; k++) {
      const token = tokens[i + k]!;
      ok = atom.prefix && k === want.length - 1 ? token.startsWith(want[k]!) : token === want[k];
    }
    if (ok) return true;
  }
  return false;
}

interface Column {
  text: string;
  /** Word matches marked by highlight(), in order. */
  words: Span[];
}

function parseHighlight(marked: string | null): Column {
  const source = marked ?? "";
  let text = "";
  const words: Span[] = [];
  let open = -1;
  for (const part of source.split(/([\uE000\uE001])/u)) {
    if (part === MARK_OPEN) open = text.length;
    else if (part === MARK_CLOSE) {
      if (open >= 0 && text.length > open) words.push({ start: open, end: text.length });
      open = -1;
    } else text += part;
  }
  return { text, words };
}

function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

const SNIPPET_WORDS = 12;
const SNIPPET_WORDS_BEFORE = 4;

/** 0: white space, 1: a CJK character (half a word), 2: part of any other word. Cached per code point. */
const unitKinds = new Map<number, 0 | 1 | 2>();
function unitKind(cp: number): 0 | 1 | 2 {
  let kind = unitKinds.get(cp);
  if (kind === undefined) {
    const ch = String.fromCodePoint(cp);
    kind = /\s/u.test(ch) ? 0 : IS_CJK_CHAR.test(ch) ? 1 : 2;
    unitKinds.set(cp, kind);
  }
  return kind;
}
/** The code point ending just before `i`, with its start. */
function codePointBefore(s: string, i: number): [number, number] {
  const start = previousStart(s, i);
  return [s.codePointAt(start)!, start];
}

/**
 * ~12 words of the line holding the first match (at most 4 before it), matches in «…». Words are runs of anything
 * but white space; a CJK character counts as half a word.
 */
export function buildSnippet(text: string, spans: readonly Span[]): string {
  const first = spans[0];
  if (!first) return "";
  const lineStart = text.lastIndexOf("\n", first.start - 1) + 1;
  const lineEndAt = text.indexOf("\n", first.end);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  // Left: back to the start of the word the match begins in, then up to SNIPPET_WORDS_BEFORE more.
  let start = first.start;
  if (unitKind(text.codePointAt(start) ?? 32) === 2) {
    while (start > lineStart) {
      const [cp, at] = codePointBefore(text, start);
      if (unitKind(cp) !== 2) break;
      start = at;
    }
  }
  const anchor = start;
  let words = 0;
  for (let pos = start; pos > lineStart; ) {
    let j = pos;
    while (j > lineStart && unitKind(codePointBefore(text, j)[0]) === 0) j = codePointBefore(text, j)[1];
    if (j === lineStart) break;
    const [cp, at] = codePointBefore(text, j);
    let unitStart = at;
    let weight = 0.5;
    if (unitKind(cp) === 2) {
      weight = 1;
      while (unitStart > lineStart) {
        const [c, a] = codePointBefore(text, unitStart);
        if (unitKind(c) !== 2) break;
        unitStart = a;
      }
    }
    if (words + weight > SNIPPET_WORDS_BEFORE) break;
    words += weight;
    pos = start = unitStart;
  }
  // Right: whole words until SNIPPET_WORDS in all, and at least to the end of the match.
  let end = anchor;
  for (let pos = anchor; pos < lineEnd && (words < SNIPPET_WORDS || pos < first.end); ) {
    while (pos < lineEnd && unitKind(text.codePointAt(pos)!) === 0) pos++;
    if (pos >= lineEnd) break;
    const cp = text.codePointAt(pos)!;
    if (unitKind(cp) === 1) {
      pos += cp > 0xffff ? 2 : 1;
      words += 0.5;
    } else {
      while (pos < lineEnd && unitKind(text.codePointAt(pos)!) === 2) pos += text.codePointAt(pos)! > 0xffff ? 2 : 1;
      words += 1;
    }
    end = pos;
  }
  for (const s of spans) {
    if (s.start < end && s.end > start) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
  }
  const clean = (s: string) => (/[\u200B«»]/.test(s) ? s.replace(/[\u200B«»]/g, (c) => (c === ZWSP ? "" : c === "«" ? "‹" : "›")) : s);
  let out = "";
  let at = start;
  for (const s of spans) {
    if (s.end <= start || s.start >= end) continue;
    out += clean(text.slice(at, s.start)) + "«" + clean(text.slice(s.start, s.end)) + "»";
    at = s.end;
  }
  out += clean(text.slice(at, end));
  const before = text.slice(lineStart, start).trim() ? "…" : "";
  const after = text.slice(end, lineEnd).trim() ? "…" : "";
  return `${before}${out.trim()}${after}`;
}
