// Full-text search, the pure part: the text an article is indexed by, a reader's query turned into
// a safe FTS5 expression (or a message saying what is wrong with it), and the marked snippets that
// FTS5 hands back split into plain text and match ranges, so stored text never becomes markup.
//
// The query language is a small, documented subset of FTS5's, parsed here in one pass:
//   words            every word must occur (each matches as a prefix: "Казахстан" finds "Казахстане")
//   "a phrase"       these words in this order, exactly
//   a OR b           either side
//   -word, NOT word  leave out articles with it (needs at least one word to find); also
//                    -"a phrase", -title:word, NOT title:word
//   title:word       in one field: title, summary or body
//   word*            an explicit prefix (bare words are prefixes already)
// Operators are upper case, as in FTS5; "or" and "and" are words. Anything FTS5 would reject
// (an unbalanced quote, an operator with nothing on one side, a stray `*` or `:`, an unknown
// field, NEAR, parentheses) is a QueryError with a message for the reader.

import { htmlToText } from "./sanitize.js";
import { cleanText } from "./text.js";
import { pagesWords, type QueryProblem } from "./words/pages.js";

/** Longest query, in characters (UTF-16 code units, as the browser's maxlength counts). */
export const MAX_QUERY_LENGTH = 200;
/** Most words and phrases in one query. */
export const MAX_QUERY_TERMS = 10;

/** The FTS5 table's columns a query may name, by the name a reader uses. */
const FIELDS: Readonly<Record<string, string>> = { title: "title", summary: "summary", body: "body_text" };

/**
 * Marks around each match in what FTS5's highlight() and snippet() return: control characters
 * that cleanText strips from every stored string (and from bodyText), so no article can forge one.
 */
export const MATCH_START = "\u0001";
export const MATCH_END = "\u0002";

/** A malformed query: its problem, said in English as the message (the API's words). */
export class QueryError extends Error {
  constructor(readonly problem: QueryProblem) {
    super(pagesWords.en.queryProblem(problem));
  }
}

/**
 * Characters of an article's body that are indexed: a D1 row holds at most 2 MB, and the body's
 * HTML may take 1.6 MB of it; 50 000 UTF-16 code units are at most 150 KB of UTF-8.
 */
export const MAX_BODY_TEXT = 50_000;

/**
 * The plain text an article's body is indexed by: the words of its sanitized HTML, no markup,
 * the first MAX_BODY_TEXT characters of it (cut at a space when there is one near the end).
 */
export function bodyText(contentHtml: string): string {
  const text = cleanText(htmlToText(contentHtml));
  if (text.length <= MAX_BODY_TEXT) return text;
  const cut = text.slice(0, MAX_BODY_TEXT).toWellFormed();
  const space = cut.lastIndexOf(" ");
  return space > MAX_BODY_TEXT - 100 ? cut.slice(0, space) : cut;
}

/** The query as the cache and links key it: NFC, white space collapsed, trimmed. */
export function normaliseQuery(q: string): string {
  return q.normalize("NFC").replace(/\s+/g, " ").trim();
}

type Token =
  | { kind: "word"; text: string; prefix: boolean; negated: boolean; field: string | null }
  | { kind: "phrase"; text: string; prefix: boolean; negated: boolean; field: string | null }
  | { kind: "or" };

// Characters with a meaning in FTS5 syntax outside a quoted string; elsewhere they end a word.
const SYNTAX = new Set(['"', "(", ")", "*", ":"]);
const SPACE = /\s/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The FTS5 MATCH expression for a reader's query (normalised first); throws QueryError with a
 * reader-facing message when the query is malformed or over the limits. Linear in its length.
 */
export function ftsQuery(q: string): string {
  const text = normaliseQuery(q);
  if (text.length > MAX_QUERY_LENGTH) throw new QueryError({ kind: "tooLong", max: MAX_QUERY_LENGTH });
  const tokens = tokenize(text);
  const terms = tokens.filter((t) => t.kind !== "or");
  if (terms.length === 0) throw new QueryError({ kind: "noWord" });
  if (terms.length > MAX_QUERY_TERMS) throw new QueryError({ kind: "tooManyTerms", max: MAX_QUERY_TERMS });

  // OR binds loosest: split into groups of terms all of which must match.
  const groups: Token[][] = [[]];
  for (const [i, token] of tokens.entries()) {
    if (token.kind === "or") {
      const next = tokens[i + 1];
      if ((groups.at(-1)?.length ?? 0) === 0 || next === undefined || next.kind === "or") {
        throw new QueryError({ kind: "orSides" });
      }
      groups.push([]);
    } else groups.at(-1)?.push(token);
  }
  return groups
    .map((group) => {
      const wanted = group.filter((t) => t.kind !== "or" && !t.negated).map(expression);
      const unwanted = group.filter((t) => t.kind !== "or" && t.negated).map(expression);
      if (wanted.length === 0) throw new QueryError({ kind: "onlyLeftOut" });
      const all = wanted.length === 1 ? (wanted[0] as string) : `(${wanted.join(" AND ")})`;
      return unwanted.length === 0 ? all : `(${all} NOT (${unwanted.join(" OR ")}))`;
    })
    .join(" OR ");
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let negated = false;
  let field: string | null = null;
  const pendingOperand = () => negated || field !== null;
  while (i < text.length) {
    const ch = text[i] as string;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new QueryError({ kind: "unclosedQuote" });
      const phrase = text.slice(i + 1, end);
      i = end + 1;
      const prefix = text[i] === "*";
      if (prefix) i++;
      if (WORD_CHARACTER.test(phrase)) tokens.push({ kind: "phrase", text: phrase, prefix, negated, field });
      else if (pendingOperand()) throw new QueryError({ kind: "emptyPhrase" });
      negated = false;
      field = null;
      continue;
    }
    // A leading - is NOT for what follows it: a word, a "phrase" or a field:word.
    if (ch === "-" && !negated && field === null) {
      const next = text[i + 1];
      if (next === undefined || SPACE.test(next) || (SYNTAX.has(next) && next !== '"')) {
        throw new QueryError({ kind: "bareMinus" });
      }
      negated = true;
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") throw new QueryError({ kind: "parentheses" });
    if (ch === "*") throw new QueryError({ kind: "bareStar" });
    if (ch === ":") throw new QueryError({ kind: "bareColon" });
    let end = i;
    while (end < text.length && !SPACE.test(text[end] as string) && !SYNTAX.has(text[end] as string)) end++;
    const word = text.slice(i, end);
    i = end;
    if (text[i] === ":") {
      const name = word.toLowerCase();
      const column = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
      if (column === undefined) {
        throw new QueryError({ kind: "unknownField", word: word.slice(0, 40) });
      }
      if (field !== null) throw new QueryError({ kind: "twoFields" });
      field = column;
      i++;
      if (i >= text.length || SPACE.test(text[i] as string))
        throw new QueryError({ kind: "fieldWithoutWord", field: name });
      continue;
    }
    const prefix = text[i] === "*";
    if (prefix) i++;
    if (!negated && field === null && (word === "OR" || word === "AND" || word === "NOT")) {
      if (word === "OR") tokens.push({ kind: "or" });
      else if (word === "NOT") negated = true;
      // AND is what words next to each other mean already; it still needs a word on each side.
      else if (tokens.length === 0 || tokens.at(-1)?.kind === "or" || !followedByWord(text, i)) {
        throw new QueryError({ kind: "andSides" });
      }
      continue;
    }
    if (word === "NEAR" && text[i] === "(") throw new QueryError({ kind: "near" });
    if (WORD_CHARACTER.test(word)) tokens.push({ kind: "word", text: word, prefix, negated, field });
    else if (pendingOperand()) throw new QueryError({ kind: "notAWord", word: word.slice(0, 40) });
    negated = false;
    field = null;
  }
  if (negated) throw new QueryError({ kind: "notWithoutWord" });
  if (field !== null) throw new QueryError({ kind: "fieldAtEnd" });
  return tokens;
}

/** Whether anything but white space comes after position i (for AND's right side). */
function followedByWord(text: string, i: number): boolean {
  for (let j = i; j < text.length; j++) {
    const ch = text[j] as string;
    if (ch === '"' || WORD_CHARACTER.test(ch)) return true;
    if (!SPACE.test(ch)) return false;
  }
  return false;
}

function expression(token: Token): string {
  if (token.kind === "or") return "";
  // Quoted, so FTS5 reads it as text whatever it holds; a quote inside is doubled.
  const body = token.kind === "word" ? stem(token.text) : token.text;
  const quoted = `"${body.replaceAll('"', '""')}"`;
  const prefix = token.kind === "word" || token.prefix ? "*" : "";
  return token.field ? `{${token.field}} : ${quoted}${prefix}` : `${quoted}${prefix}`;
}

// Russian (and Kazakh) inflect by suffix; the index stores words as written. A bare word loses
// one common ending of one or two letters when at least five letters stay, then matches as a
// prefix: "Казахстане" and "Казахстан" both become казахстан*, "Қазақстанда" қазақстан*. Latin
// words are left whole (a prefix of an English word finds its plurals already).
const ENDINGS = [
  // Russian case and number endings of nouns and adjectives
  "ами",
  "ями",
  "ого",
  "его",
  "ому",
  "ему",
  "ах",
  "ях",
  "ам",
  "ям",
  "ом",
  "ем",
  "ой",
  "ей",
  "ов",
  "ев",
  "ую",
  "юю",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ие",
  "ый",
  "ий",
  "ых",
  "их",
  // Kazakh locative, dative, genitive and plural endings
  "да",
  "де",
  "та",
  "те",
  "ға",
  "ге",
  "қа",
  "ке",
  "ның",
  "нің",
  "дың",
  "дің",
  "тың",
  "тің",
  "лар",
  "лер",
  "дар",
  "дер",
  "тар",
  "тер",
  // single vowels and signs
  "а",
  "я",
  "о",
  "е",
  "ё",
  "и",
  "ы",
  "у",
  "ю",
  "ь",
  "й",
];
// Longest first, so "ами" is tried before "и".
ENDINGS.sort((a, b) => b.length - a.length);
const MIN_STEM = 5;
const CYRILLIC = /^[\p{Script=Cyrillic}]+$/u;

export function stem(word: string): string {
  const lower = word.toLowerCase();
  if (!CYRILLIC.test(lower)) return word;
  for (const ending of ENDINGS) {
    if (lower.endsWith(ending) && lower.length - ending.length >= MIN_STEM) {
      return lower.slice(0, lower.length - ending.length);
    }
  }
  return lower;
}

/** Text with its matches: `marks` are [start, end) offsets in UTF-16 code units. */
export interface Marked {
  text: string;
  marks: [number, number][];
}

/** Splits what highlight() or snippet() returned at the match markers. Linear in its length. */
export function unmark(value: string): Marked {
  let text = "";
  const marks: [number, number][] = [];
  let start = -1;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== MATCH_START && ch !== MATCH_END) continue;
    text += value.slice(from, i);
    from = i + 1;
    if (ch === MATCH_START) start = text.length;
    else if (start >= 0) {
      if (text.length > start) marks.push([start, text.length]);
      start = -1;
    }
  }
  text += value.slice(from);
  return { text, marks };
}
