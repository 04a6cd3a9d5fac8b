// A WordPress export (WXR 1.2: Tools > Export; RSS 2.0 with the wp: elements WordPress's own
// wp-admin/includes/export.php writes). Posts come across; pages, attachments, menu items and
// other post types are reported as skipped. Statuses: publish stays public, draft, pending,
// future and private become drafts, trash and auto-draft are skipped.

import { fromUtcDateTime } from "./dates.js";
import { type ImportedItem, type ImportedPerson, type ImportedSource, itemLabel, oneLine, problem } from "./model.js";
import { child, childrenNamed, childText, textOf, type XmlElement } from "./xml.js";

const DRAFT_STATUSES = new Set(["draft", "pending", "future", "private"]);
/** Block elements after which WordPress's wpautop starts no paragraph. */
const BLOCK_START =
  /^<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|!--|section|article|aside|dl|iframe|video|audio|details)[\s>/]/i;

/**
 * Classic-editor content is stored without <p>: WordPress adds them when it shows a post
 * (wpautop). Blank lines make paragraphs and single line breaks <br>, except around blocks.
 */
export function autop(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  return html
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== "")
    .map((chunk) => (BLOCK_START.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, "<br>\n")}</p>`))
    .join("\n");
}

export function readWordPress(channel: XmlElement, file: string): ImportedSource {
  const source: ImportedSource = { kind: "wordpress", file, items: [], problems: [], skipped: [] };
  const authors = new Map<string, ImportedPerson>();
  for (const a of childrenNamed(channel, "wp:author")) {
    const login = childText(a, "wp:author_login");
    if (!login) continue;
    const email = childText(a, "wp:author_email");
    authors.set(login, {
      name: oneLine(childText(a, "wp:author_display_name") ?? login),
      ...(email ? { email } : {}),
    });
  }
  const items = childrenNamed(channel, "item");
  // Featured images are attachments, named by id in the post's _thumbnail_id meta.
  const attachments = new Map<string, { url: string; alt?: string }>();
  for (const item of items) {
    if (childText(item, "wp:post_type") !== "attachment") continue;
    const id = childText(item, "wp:post_id");
    const url = childText(item, "wp:attachment_url");
    const alt = meta(item, "_wp_attachment_image_alt");
    if (id && url) attachments.set(id, { url, ...(alt ? { alt } : {}) });
  }
  const lang = childText(channel, "language");
  for (const [i, item] of items.entries()) {
    const title = childText(item, "title");
    const label = itemLabel(i, title);
    const type = childText(item, "wp:post_type") ?? "post";
    const status = childText(item, "wp:status") ?? "publish";
    if (type !== "post") {
      if (type !== "attachment") source.skipped.push(`${file}: ${label}: a ${type}, not a post`);
      continue;
    }
    if (status === "trash" || status === "auto-draft") {
      source.skipped.push(`${file}: ${label}: in the ${status === "trash" ? "trash" : "auto-drafts"}`);
      continue;
    }
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    if (!title) {
      fail("title", "is missing; every article needs a title");
      continue;
    }
    // Drafts have post_date_gmt "0000-00-00 00:00:00": their local post_date is taken as UTC.
    const gmt = childText(item, "wp:post_date_gmt");
    const local = childText(item, "wp:post_date");
    const field = gmt && !gmt.startsWith("0000") ? "wp:post_date_gmt" : "wp:post_date";
    const dateText = field === "wp:post_date_gmt" ? gmt : local;
    const date = dateText ? fromUtcDateTime(dateText) : null;
    if (date === null) {
      fail(field, dateText ? `"${dateText.slice(0, 80)}" is not a date like "2019-05-01 10:00:00"` : "is missing");
      continue;
    }
    let slug = childText(item, "wp:post_name") ?? null;
    try {
      if (slug) slug = decodeURIComponent(slug);
    } catch {
      // Kept as written; the slug is derived again when it is not one.
    }
    const creator = childText(item, "dc:creator");
    const author = creator ? (authors.get(creator) ?? { name: creator }) : undefined;
    const categories = childrenNamed(item, "category").filter(
      (c) => (c.attrs.domain === "category" || c.attrs.domain === "post_tag") && c.attrs.nicename !== "uncategorized",
    );
    const excerpt = childText(item, "excerpt:encoded");
    const link = childText(item, "link");
    const thumbnail = meta(item, "_thumbnail_id");
    const image = thumbnail ? attachments.get(thumbnail) : undefined;
    source.items.push({
      label,
      title: oneLine(title),
      date,
      slug,
      authors: author ? [author] : [],
      tags: categories.map((c) => oneLine(textOf(c))).filter((t) => t !== ""),
      html: autop(textOf(child(item, "content:encoded"))),
      htmlField: "content:encoded",
      summaryOnly: false,
      ...(excerpt ? { summary: oneLine(excerpt.replace(/<[^>]*>/g, "")) } : {}),
      ...(link && !link.includes("?") ? { link } : {}),
      ...(image ? { image } : {}),
      ...(lang ? { lang } : {}),
      draft: DRAFT_STATUSES.has(status),
    } satisfies ImportedItem);
  }
  return source;
}

function meta(item: XmlElement, key: string): string | undefined {
  for (const m of childrenNamed(item, "wp:postmeta")) {
    if (childText(m, "wp:meta_key") === key) return childText(m, "wp:meta_value");
  }
  return undefined;
}
