// Errors of article input: each names the field (or file) and says what is wrong.

export interface FieldError {
  /** Dotted path of the field ("authors.1.email"), or "front matter" / "body". */
  field: string;
  message: string;
  /** The kind of problem, for a form that says it in the reader's language (core/subscription.ts). */
  code?: string;
  /** The value the problem is about, as given (cut short). */
  value?: string;
  /** Set when the input is over a size limit (the API answers 413 then). */
  tooLarge?: boolean;
}

export class ArticleError extends Error {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("; "));
    this.name = "ArticleError";
    this.errors = errors;
  }
}
