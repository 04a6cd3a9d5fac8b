// A Substack export (Settings > Exports > "Create new export"): posts.csv with one row per post
// and the body of each in posts/<post_id>.html beside it. The columns (post_id, post_date,
// is_published, email_sent_at, inbox_sent_at, type, audience, title, subtitle, podcast_url) are
// those Ghost's Substack migrator reads (TryGhost/migrate, packages/mg-substack); post_id is
// "<number>.<slug>", and a post's address was /p/<slug>. Unpublished posts stay drafts; a post
// for paying subscribers only (audience only_paid or founding) becomes a draft; pages and threads
// are skipped.

import { fromRfc3339 } from "./dates.js";
import { ImportError, type ImportedSource, itemLabel, oneLine, problem } from "./model.js";

/**
 * RFC 4180 rows: quoted fields with commas, doubled quotes and line breaks; CRLF or LF; a BOM.
 * One pass over the text. Each row comes with the line it starts on.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field: string[] = [];
  let line = 1;
  let start = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    fields.push(field.join(""));
    field = [];
  };
  const endRow = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === "")) rows.push({ line: start, fields });
    fields = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field.push('"');
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field.push(ch);
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      start = line;
    } else field.push(ch);
  }
  if (quoted) throw new ImportError(`line ${start}: a quoted field is not closed before the end of the file`);
  if (field.length > 0 || fields.length > 0) endRow();
  return rows;
}

const PAID = new Set(["only_paid", "founding"]);

/**
 * Reads posts.csv; `body(postId)` gives the text of posts/<post_id>.html, or null when there is
 * no such file.
 */
export function readSubstack(csv: string, file: string, body: (postId: string) => string | null): ImportedSource {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(csv);
  } catch (error) {
    throw error instanceof ImportError ? new ImportError(`${file}: ${error.message}`) : error;
  }
  const header = rows.shift()?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  for (const required of ["post_id", "post_date", "is_published", "title"]) {
    if (!header.includes(required)) {
      throw new ImportError(`${file}: line 1: has no "${required}" column; is this a Substack posts.csv?`);
    }
  }
  const source: ImportedSource = { kind: "substack", file, items: [], problems: [], skipped: [] };
  for (const [i, row] of rows.entries()) {
    const cell = (name: string) => (row.fields[header.indexOf(name)] ?? "").trim();
    const title = cell("title");
    const label = `line ${row.line}, ${itemLabel(i, title)}`;
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    const type = cell("type") || "newsletter";
    if (type !== "newsletter" && type !== "podcast") {
      source.skipped.push(`${file}: ${label}: a ${type}, not a post`);
      continue;
    }
    const postId = cell("post_id");
    if (!/^\d+(\.[^/\\]*)?$/.test(postId)) {
      fail("post_id", `"${postId.slice(0, 80)}" is not "<number>.<slug>"`);
      continue;
    }
    if (!title) {
      fail("title", "is empty; every article needs a title");
      continue;
    }
    const field = cell("post_date") ? "post_date" : "email_sent_at";
    const date = cell(field) ? fromRfc3339(cell(field)) : null;
    if (date === null) {
      fail(field, cell(field) ? `"${cell(field).slice(0, 80)}" is not an ISO 8601 date-time` : "is empty");
      continue;
    }
    const html = body(postId);
    if (html === null) {
      fail("post_id", `posts/${postId}.html: no such file beside ${file}`);
      continue;
    }
    const slug = postId.includes(".") ? postId.slice(postId.indexOf(".") + 1) : null;
    const subtitle = cell("subtitle");
    source.items.push({
      label,
      title: oneLine(title),
      date,
      slug,
      authors: [],
      tags: [],
      html,
      htmlField: `posts/${postId}.html`,
      summaryOnly: false,
      ...(subtitle ? { summary: oneLine(subtitle) } : {}),
      ...(slug ? { link: `/p/${slug}` } : {}),
      draft: cell("is_published").toLowerCase() !== "true" || PAID.has(cell("audience")),
    });
  }
  return source;
}
