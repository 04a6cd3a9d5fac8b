// The one definition of article input, shared by content files (front matter) and the admin API.

import * as v from "valibot";
import { aliasError, aliasPath, MAX_ALIASES } from "./aliases.js";
import { instantError } from "./dates.js";
import { canonicalLocale } from "./intl.js";
import { slugError } from "./slug.js";
import { cleanText, oneLineError } from "./text.js";

const text = (max: number) =>
  v.pipe(
    v.string("must be a string"),
    v.transform(cleanText),
    v.trim(),
    v.nonEmpty("must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );

/** A check with a message of its own for each way a value can be wrong (null: none). */
const checkWith = (problem: (value: string) => string | null) =>
  v.rawCheck<string>(({ dataset, addIssue }) => {
    const message = dataset.typed ? problem(dataset.value) : null;
    if (message !== null) addIssue({ message });
  });

/**
 * Text that must be one line (a title, a name): a line break or other control character is
 * refused, not dropped, as a title becomes a digest's Subject header. Checked before cleanText,
 * which would drop most of them silently.
 */
const line = (max: number) =>
  v.pipe(
    v.string("must be a string"),
    checkWith(oneLineError),
    v.transform(cleanText),
    v.trim(),
    v.nonEmpty("must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );

// Says whether the text is malformed or outside years 1000 to 9999.
const instant = v.pipe(
  v.string('must be a quoted date-time like "2022-01-10T16:00:00+06:00"'),
  checkWith(instantError),
);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Stored as the WHATWG serialization, so no tab, newline or control character reaches an href. */
const httpUrl = v.pipe(
  v.string("must be a string"),
  v.trim(),
  v.check(isHttpUrl, "must be an absolute http(s) URL"),
  v.transform((value) => new URL(value).href),
  v.maxLength(2000, "must be at most 2000 characters"),
);

const LANG_MAX_LENGTH = 35;

/** A BCP 47 tag, stored in its canonical form ("EN-us" is "en-US"). */
const languageTag = v.pipe(
  v.string("must be a string"),
  checkWith((value) =>
    value.length > LANG_MAX_LENGTH
      ? `must be at most ${LANG_MAX_LENGTH} characters`
      : canonicalLocale(value) === null
        ? 'must be a language tag like "en" or "pt-BR"'
        : null,
  ),
  v.transform((value) => canonicalLocale(value) ?? value),
);

/** An absolute URL, or one relative to this site's article URL. */
const urlReference = v.pipe(
  v.string("must be a string"),
  v.trim(),
  v.nonEmpty("must not be empty"),
  v.maxLength(2000, "must be at most 2000 characters"),
);

/**
 * Message for a mapping: unknown and missing keys are named by their path; anything else is the
 * wrong type.
 */
const mapping = (shape: string) => (issue: v.BaseIssue<unknown>) => {
  if (issue.expected === "never") return "is not a known field";
  if (issue.received === "undefined" && issue.path?.length) return "is required";
  return `must be ${shape}`;
};

/** A mapping and not a list: arrays are objects to valibot, so they would read as "title: is required". */
const notList = (shape: string) =>
  v.pipe(
    v.unknown(),
    v.check((value) => !Array.isArray(value), `must be ${shape}`),
  );

/** A bare string stands for `{[key]: string}`, so both short and long forms validate alike. */
const shorthand = <T extends v.GenericSchema>(key: string, schema: T) =>
  v.pipe(
    v.unknown(),
    v.transform((value) => (typeof value === "string" ? { [key]: value } : value)),
    schema,
  );

const person = shorthand(
  "name",
  v.strictObject(
    {
      name: line(200),
      email: v.nullish(v.pipe(v.string("must be a string"), v.trim(), v.email("must be an email address"))),
      url: v.nullish(httpUrl),
    },
    mapping("a name or a mapping {name, email, url}"),
  ),
);

// Objects may carry a slug (as GET /api/articles returns them); it is derived again, never trusted.
const tag = shorthand("name", v.object({ name: line(100) }, mapping("a name")));

/** Most pixels an image side may have: JPEG's and GIF's own limit, far past any real picture. */
const MAX_IMAGE_SIDE = 65535;

const imageSide = v.pipe(
  v.number("must be a number of pixels"),
  v.integer("must be a whole number of pixels"),
  v.minValue(1, "must be at least 1"),
  v.maxValue(MAX_IMAGE_SIDE, `must be at most ${MAX_IMAGE_SIDE}`),
);

// Width and height are both given or both left out; article.ts says so when only one is.
const image = shorthand(
  "url",
  v.strictObject(
    { url: urlReference, alt: v.nullish(text(500)), width: v.nullish(imageSide), height: v.nullish(imageSide) },
    mapping("a URL or a mapping {url, alt, width, height}"),
  ),
);

/** An old path of the article on this site (aliases.ts), stored in its normal form. */
const alias = v.pipe(
  v.string("must be a string"),
  v.trim(),
  checkWith(aliasError),
  v.transform((value) => aliasPath(value) ?? value),
);

const oneOrMany = <T extends v.GenericSchema>(item: T, max: number, what: string) =>
  v.pipe(
    v.unknown(),
    v.transform((value) => (Array.isArray(value) ? value : [value])),
    v.array(item),
    v.maxLength(max, `must list at most ${max} ${what}`),
  );

/** Front matter of a content file. */
export const ArticleFields = {
  title: line(500),
  date: instant,
  updated: v.nullish(instant),
  slug: v.nullish(v.pipe(v.string("must be a string"), checkWith(slugError))),
  authors: v.nullish(oneOrMany(person, 50, "authors")),
  tags: v.nullish(oneOrMany(tag, 50, "tags")),
  summary: v.nullish(text(2000)),
  image: v.nullish(image),
  url: v.nullish(httpUrl),
  lang: v.nullish(languageTag),
  draft: v.nullish(v.boolean("must be true or false")),
  aliases: v.nullish(oneOrMany(alias, MAX_ALIASES, "aliases")),
};

export const FrontMatterSchema = v.pipe(
  notList("a YAML mapping of fields"),
  v.strictObject(ArticleFields, mapping("a YAML mapping of fields")),
);

/** The JSON body of the admin API: the same fields plus the body as Markdown or HTML. */
export const ArticleJsonSchema = v.pipe(
  notList("a JSON object"),
  v.strictObject(
    {
      ...ArticleFields,
      markdown: v.nullish(v.string("must be a string")),
      html: v.nullish(v.string("must be a string")),
      // Accepted so that a GET response can be sent back with PUT unchanged.
      content_html: v.nullish(v.string("must be a string")),
    },
    mapping("a JSON object"),
  ),
);

export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;
