// A Ghost export (Settings > Advanced > Import/Export > Export content): JSON mirroring Ghost's
// tables, {"db": [{"meta", "data"}]} or {"meta", "data"} (https://docs.ghost.org/migration/custom).
// Posts come across with their html, tags (posts_tags; internal "#" tags left out), authors
// (posts_authors, or an older export's author_id) and posts_meta's image alt text; pages are
// skipped. Drafts stay drafts; a members-only or paid post becomes a draft too, so nothing
// behind a paywall is published by the import. Ghost writes its own origin as __GHOST_URL__.

import { fromUtcDateTime } from "./dates.js";
import {
  ImportError,
  type ImportedPerson,
  type ImportedSource,
  itemLabel,
  laterUpdate,
  oneLine,
  problem,
} from "./model.js";

type Row = Record<string, unknown>;
const isRow = (value: unknown): value is Row => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== ""
    ? value.trim()
    : typeof value === "number"
      ? String(value)
      : undefined;
const rows = (data: Row, name: string): Row[] =>
  Array.isArray(data[name]) ? (data[name] as unknown[]).filter(isRow) : [];

/** Whether parsed JSON looks like a Ghost export. */
export function isGhostExport(json: unknown): boolean {
  const top = isRow(json) && Array.isArray(json.db) ? json.db[0] : json;
  return isRow(top) && isRow(top.data) && isRow(top.meta) && Array.isArray(top.data.posts);
}

export function readGhost(json: unknown, file: string, ghostUrl = ""): ImportedSource {
  const top = isRow(json) && Array.isArray(json.db) ? json.db[0] : json;
  if (!isRow(top) || !isRow(top.data)) throw new ImportError(`${file}: data: is missing; not a Ghost export`);
  const data = top.data;
  const source: ImportedSource = { kind: "ghost", file, items: [], problems: [], skipped: [] };
  const origin = (value: string) => value.split("__GHOST_URL__").join(ghostUrl);

  const tags = new Map(rows(data, "tags").map((t) => [str(t.id), t]));
  const users = new Map(rows(data, "users").map((u) => [str(u.id), u]));
  const tagsOf = new Map<string, { name: string; order: number }[]>();
  for (const link of rows(data, "posts_tags")) {
    const tag = tags.get(str(link.tag_id));
    const name = tag ? oneLine(str(tag.name) ?? "") : "";
    if (!name || name.startsWith("#") || tag?.visibility === "internal") continue;
    const list = tagsOf.get(str(link.post_id) ?? "") ?? [];
    list.push({ name, order: Number(link.sort_order ?? list.length) });
    tagsOf.set(str(link.post_id) ?? "", list);
  }
  const authorsOf = new Map<string, { person: ImportedPerson; order: number }[]>();
  for (const link of rows(data, "posts_authors")) {
    const user = users.get(str(link.author_id));
    if (!user) continue;
    const list = authorsOf.get(str(link.post_id) ?? "") ?? [];
    list.push({ person: person(user), order: Number(link.sort_order ?? list.length) });
    authorsOf.set(str(link.post_id) ?? "", list);
  }
  const altOf = new Map(rows(data, "posts_meta").map((m) => [str(m.post_id), str(m.feature_image_alt)]));

  for (const [i, post] of rows(data, "posts").entries()) {
    const title = str(post.title);
    const label = itemLabel(i, title);
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    const isPage = post.type === "page" || post.page === true || post.page === 1;
    if (isPage) {
      source.skipped.push(`${file}: ${label}: a page, not a post`);
      continue;
    }
    if (!title) {
      fail("title", "is missing; every article needs a title");
      continue;
    }
    const status = str(post.status) ?? "draft";
    const field = str(post.published_at) ? "published_at" : "created_at";
    const dateText = str(post[field]);
    const date = dateText ? fromUtcDateTime(dateText) : null;
    if (date === null) {
      fail(field, dateText ? `"${dateText.slice(0, 80)}" is not a date-time` : "is missing");
      continue;
    }
    const html = str(post.html);
    if (html === undefined) {
      fail("html", "is missing (only Lexical or Mobiledoc): export again from Ghost, which writes html with them");
      continue;
    }
    const id = str(post.id) ?? "";
    const updatedText = str(post.updated_at);
    const updated = updatedText ? fromUtcDateTime(updatedText) : null;
    const visibility = str(post.visibility) ?? "public";
    const slug = str(post.slug) ?? null;
    const image = str(post.feature_image) ?? str(post.image);
    const alt = altOf.get(id);
    const canonical = str(post.canonical_url);
    const excerpt = str(post.custom_excerpt);
    const lang = str(post.locale) ?? str(post.language);
    const ordered = <T extends { order: number }>(list: T[] | undefined) =>
      [...(list ?? [])].sort((a, b) => a.order - b.order);
    const authorList = ordered(authorsOf.get(id)).map((a) => a.person);
    const single = users.get(str(post.author_id));
    source.items.push({
      label,
      title: oneLine(title),
      date,
      ...laterUpdate(updated, date),
      slug,
      authors: authorList.length > 0 ? authorList : single ? [person(single)] : [],
      tags: ordered(tagsOf.get(id)).map((t) => t.name),
      html: origin(html),
      htmlField: "html",
      summaryOnly: false,
      ...(excerpt ? { summary: oneLine(excerpt) } : {}),
      ...(ghostUrl && slug ? { link: `${ghostUrl}/${slug}/` } : slug ? { link: `/${slug}/` } : {}),
      ...(canonical ? { canonical: origin(canonical) } : {}),
      ...(image ? { image: { url: origin(image), ...(alt ? { alt } : {}) } } : {}),
      ...(lang ? { lang: lang.replace(/_/g, "-") } : {}),
      draft: status !== "published" && status !== "scheduled" ? true : visibility !== "public",
    });
  }
  return source;
}

function person(user: Row): ImportedPerson {
  const email = str(user.email);
  const website = str(user.website);
  return {
    name: oneLine(str(user.name) ?? str(user.slug) ?? "unknown"),
    ...(email ? { email } : {}),
    ...(website ? { url: website } : {}),
  };
}
