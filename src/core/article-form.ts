// The console's article editor as data: the form's fields for an article, and a submitted form
// turned into the JSON object the admin API takes, validated by articleFromJson (the one place an
// article is validated), its errors named by the form's fields. Pure: the clock and zone are arguments.

import { apiItem } from "./api-item.js";
import { type Article, articleFromJson } from "./article.js";
import { formatInstant, utc } from "./dates.js";
import { wallClock } from "./digest/window.js";
import { ArticleError, type FieldError } from "./errors.js";

/** What the publisher asked for: the three ways to save, or a look at the page first. */
export type FormAction = "draft" | "publish" | "schedule" | "preview";
export const FORM_ACTIONS: readonly FormAction[] = ["draft", "publish", "schedule", "preview"];

/** The editor's fields, as the form sends them and shows them. */
export interface ArticleFormValues {
  title: string;
  slug: string;
  /** Wall-clock time in the site's zone, as an <input type="datetime-local"> writes it. */
  date: string;
  authors: string;
  tags: string;
  summary: string;
  image: string;
  image_alt: string;
  /** The body, in the format `format` names. */
  body: string;
  format: "markdown" | "html";
}

export const BLANK_FORM: ArticleFormValues = {
  title: "",
  slug: "",
  date: "",
  authors: "",
  tags: "",
  summary: "",
  image: "",
  image_alt: "",
  body: "",
  format: "markdown",
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant as datetime-local text in `timeZone` ("2022-01-10T16:00", seconds when it has some). */
export function localDateTime(ms: number, timeZone: string): string {
  const d = new Date(wallClock(ms, timeZone));
  const minutes = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCSeconds() === 0 ? minutes : `${minutes}:${pad(d.getUTCSeconds())}`;
}

/**
 * The instant datetime-local text names in `timeZone`, or null when it is not one. A time the
 * clocks skip (a spring-forward gap) is read with the offset in force before the gap.
 */
export function instantOfLocal(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((part) => Number(part ?? 0));
  const wall = utc(year ?? 0, month ?? 0, day ?? 0, hour ?? 0, minute ?? 0, second);
  // utc() rolls over (February 30th is March 2nd, 24:00 the next day): such a time does not exist.
  if (localDateTime(wall, "UTC").slice(0, 16) !== text.slice(0, 16)) return null;
  const offset = (ms: number) => wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000;
  const guess = wall - offset(wall - offset(wall));
  return wallClock(guess, timeZone) === wall ? guess : wall - offset(wall - 86_400_000);
}

/** The editor's fields for a stored article: its body is its stored HTML (the Markdown is not kept). */
export function formValues(article: Article, timeZone: string): ArticleFormValues {
  return {
    title: article.title,
    slug: article.slug,
    date: localDateTime(article.publishedAt, timeZone),
    authors: article.authors.map((a) => a.name).join(", "),
    tags: article.tags.map((t) => t.name).join(", "),
    summary: article.summary,
    image: article.image?.url ?? "",
    image_alt: article.image?.alt ?? "",
    body: article.contentHtml,
    format: "html",
  };
}

/** A submitted form's fields (readForm's record) as editor values: absent or repeated fields read as "". */
export function readValues(form: Record<string, string | string[]>): ArticleFormValues {
  const one = (name: string) => {
    const value = form[name];
    return typeof value === "string" ? value : "";
  };
  return {
    title: one("title"),
    slug: one("slug"),
    date: one("date").trim(),
    authors: one("authors"),
    tags: one("tags"),
    summary: one("summary"),
    image: one("image").trim(),
    image_alt: one("image_alt"),
    body: one("body"),
    format: one("format") === "html" ? "html" : "markdown",
  };
}

export interface FormContext {
  /** Origin of the site (BuildOptions.siteUrl). */
  siteUrl: string;
  now: number;
  /** DIGEST_TZ: the zone the form's date is written in. */
  timeZone: string;
  /** The article edited (its slug is fixed), or null for a new one. */
  existing: Article | null;
}

const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/**
 * The JSON object the admin API would be sent for this form and action. An edit starts from the
 * stored article's API shape (as GET /api/articles/:slug gives it), so what the form does not
 * show (the canonical url, lang, updated, the image's size, authors' email and url) is kept, as
 * a PUT of that shape keeps it.
 */
export function formToJson(
  values: ArticleFormValues,
  action: FormAction,
  context: FormContext,
): { json: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const { existing, now, timeZone } = context;
  const base: Record<string, unknown> = existing ? apiItem(existing) : {};
  delete base.content_html;

  let date: number | null = null;
  if (values.date !== "") {
    date = instantOfLocal(values.date, timeZone);
    if (date === null) errors.push({ field: "date", message: "must be a date and time like 2022-01-10T16:00" });
    // Unchanged in the form: the stored instant, to the millisecond.
    else if (existing && values.date === localDateTime(existing.publishedAt, timeZone)) date = existing.publishedAt;
  }
  if (action === "schedule" && (date === null || date <= now) && !errors.some((e) => e.field === "date")) {
    errors.push({ field: "date", message: "must be a time after now to schedule the article" });
  }
  // Publishing now puts a future (or missing) date at now; a past date is kept (a correction).
  if ((action === "publish" || action === "preview") && (date === null || date > now)) date = now;
  date ??= existing?.publishedAt ?? now;

  const previous = new Map((existing?.authors ?? []).map((a) => [a.name, a]));
  const authors = list(values.authors).map((name) => {
    const known = previous.get(name);
    return known
      ? { name, ...(known.email ? { email: known.email } : {}), ...(known.url ? { url: known.url } : {}) }
      : name;
  });
  const sameImage = existing?.image && existing.image.url === values.image;
  const alt = values.image_alt.trim();
  if (values.image !== "" && alt === "") {
    errors.push({
      field: "image_alt",
      message: "is required with an image: describe it for readers who cannot see it",
    });
  }
  const json: Record<string, unknown> = {
    ...base,
    title: values.title,
    date: formatInstant(date),
    authors,
    tags: list(values.tags),
    summary: values.summary.trim() === "" ? null : values.summary,
    image:
      values.image === ""
        ? null
        : {
            url: values.image,
            ...(alt === "" ? {} : { alt }),
            ...(sameImage ? { width: existing.image?.width, height: existing.image?.height } : {}),
          },
    draft: action === "draft",
    [values.format]: values.body,
  };
  if (existing) json.slug = existing.slug;
  else if (values.slug.trim() !== "") json.slug = values.slug.trim();
  else delete json.slug;
  return { json, errors };
}

/** Which form field an error of articleFromJson belongs to ("authors.1.name" is "authors"). */
export function formField(field: string): string {
  const head = field.split(".")[0] ?? field;
  if (field === "image.alt") return "image_alt";
  if (head === "markdown" || head === "html" || head === "content_html") return "body";
  return head;
}

/**
 * The article a submitted form makes, validated as the API validates it; ArticleError names the
 * form's fields (form-only checks and the article's own together).
 */
export function articleFromForm(values: ArticleFormValues, action: FormAction, context: FormContext): Article {
  const { json, errors } = formToJson(values, action, context);
  let article: Article | null = null;
  try {
    article = articleFromJson(json, {
      siteUrl: context.siteUrl,
      ...(context.existing ? { slug: context.existing.slug } : {}),
    });
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    errors.push(...error.errors.map((e) => ({ ...e, field: formField(e.field) })));
  }
  if (errors.length > 0 || !article) throw new ArticleError(errors);
  return article;
}
