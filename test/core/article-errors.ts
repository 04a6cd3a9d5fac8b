// Test helper: the field errors an article input raises, by field.

import { ArticleError } from "../../src/core/errors.js";

export function errorsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArticleError) return Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
    throw error;
  }
  throw new Error("expected an ArticleError");
}
