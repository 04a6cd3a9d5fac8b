// Query parameters, validated with hono/validator and valibot. Public GET routes (pages, feeds,
// digests) ignore parameters they do not know (utm_*, fbclid, ref…), so a shared link works and
// does not split the cache; /api is strict. A known parameter with a bad value, or given twice,
// is a 400. Each route gets its parameters typed, and `search`: the known ones in a fixed order,
// which is what the cache key and every link built from the request use.

import { validator } from "hono/validator";
import * as v from "valibot";
import { type Cursor, decodeCursor } from "../core/cursor.js";
import { decodeNameCursor, type NameCursor } from "../core/names.js";
import { isSlug } from "../core/slug.js";
import { fieldProblem } from "./errors.js";

type Entries = Record<string, v.GenericSchema<string | undefined, unknown>>;

export function query<E extends Entries>(entries: E, mode: "strict" | "lenient") {
  const schema = v.object(entries);
  const names = Object.keys(entries);
  return validator("query", (raw) => {
    const known: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (!Object.hasOwn(entries, name)) {
        if (mode === "lenient") continue;
        throw fieldProblem({
          field: name.slice(0, 60),
          message: `is an unknown query parameter; this route takes ${names.join(", ") || "none"}`,
        });
      }
      if (Array.isArray(value))
        throw fieldProblem({ field: name.slice(0, 60), message: `is given ${value.length} times` });
      known[name] = value;
    }
    const result = v.safeParse(schema, known);
    if (!result.success) {
      const errors = result.issues.map((issue) => ({ field: v.getDotPath(issue) ?? "query", message: issue.message }));
      throw fieldProblem(errors);
    }
    const canonical = new URLSearchParams();
    for (const name of names) if (known[name] !== undefined) canonical.set(name, known[name]);
    const text = canonical.toString();
    return { ...result.output, search: text ? `?${text}` : "" };
  });
}

export const MAX_LIMIT = 100;

/**
 * A whole number from `min` to `max`, written in at most as many digits as `max` (so no
 * 10-kilobyte string of zeros is turned into a number).
 */
export const wholeNumber = (min: number, max: number) => {
  const digits = new RegExp(`^\\d{1,${String(max).length}}$`);
  return v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => digits.test(s) && Number(s) >= min && Number(s) <= max,
        (issue) => `must be a whole number from ${min} to ${max}; got "${String(issue.input).slice(0, 60)}"`,
      ),
      v.transform(Number),
    ),
  );
};

export const limit = wholeNumber(1, MAX_LIMIT);

/** A cursor this site gave out, decoded; anything else is refused with a hint. */
const issuedCursor = <T>(decode: (s: string) => T | null) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => decode(s) !== null,
        (issue) => `"${String(issue.input).slice(0, 60)}" is not a cursor this site gave out; follow a "next" link`,
      ),
      v.transform((s): T => decode(s) as T),
    ),
  );

export const cursor = issuedCursor<Cursor>(decodeCursor);

/** The cursor of the alphabetical /tags and /authors indexes. */
export const nameCursor = issuedCursor<NameCursor>(decodeNameCursor);

export const slug = (what: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        isSlug,
        (issue) => `"${String(issue.input).slice(0, 60)}" is not a ${what} slug (lower-case words joined by "-")`,
      ),
    ),
  );

/** A comma-separated list of tag slugs, at most `max`, duplicates dropped. */
export const tagList = (max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => [
        ...new Set(
          s
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ]),
      v.check((tags) => tags.length <= max, `lists more than ${max} tags`),
      v.check(
        (tags) => tags.every(isSlug),
        (issue) =>
          `"${String((issue.input as string[]).find((t) => !isSlug(t))).slice(0, 60)}" is not a tag slug (lower-case words joined by "-")`,
      ),
    ),
  );

export const oneOf = <const T extends readonly [string, ...string[]]>(options: T) =>
  v.optional(v.picklist(options, `must be one of ${options.join(", ")}`));
