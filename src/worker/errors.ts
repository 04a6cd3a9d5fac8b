// The one error model: every error a route raises is a Hono HTTPException (HttpProblem adds
// RFC 9457 fields), turned into a response in app.onError. Feeds, /api and other machine routes
// answer application/problem+json; pages answer an HTML page (see views/errors.tsx).

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError } from "../core/errors.js";

export interface ProblemFields {
  title: string;
  detail?: string;
  /** Extension member listing each bad field. */
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export class HttpProblem extends HTTPException {
  readonly fields: ProblemFields;

  constructor(status: ContentfulStatusCode, fields: ProblemFields) {
    super(status, { message: fields.detail ?? fields.title });
    this.name = "HttpProblem";
    this.fields = fields;
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** The fields of any HTTPException, HttpProblem or one of Hono's own (body limit, validator). */
export function problemFields(error: HTTPException): ProblemFields {
  if (error instanceof HttpProblem) return error.fields;
  return { title: TITLES[error.status] ?? "Error", ...(error.message ? { detail: error.message } : {}) };
}

/** Routes whose clients are programs: feeds, OPML, the API, webhooks, the digests' text part. */
export function answersWithProblem(path: string): boolean {
  return (
    path === "/api" ||
    path.startsWith("/api/") ||
    path.startsWith("/webhooks/") ||
    /\/(?:feed\.xml|atom\.xml|feed\.json)$/.test(path) ||
    path.endsWith(".opml") ||
    path === "/sitemap.xml" ||
    path.startsWith("/sitemaps/") ||
    path.endsWith(".txt")
  );
}

export function problemResponse(status: number, fields: ProblemFields, instance: string): Response {
  const { title, detail, errors, headers } = fields;
  const body = {
    type: "about:blank",
    title,
    status,
    ...(detail ? { detail } : {}),
    instance,
    ...(errors ? { errors: errors.map(({ field, message }) => ({ field, detail: message })) } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, { title: "Bad Request", detail, ...(errors ? { errors } : {}) });

/**
 * The one 400 for input that names its bad fields (a body, a form, a query): the detail lists
 * each as "field: message"; a form's route shows the form again with `fieldErrorsOf`.
 */
export const fieldProblem = (errors: FieldError | FieldError[]) => {
  const list = Array.isArray(errors) ? errors : [errors];
  return badRequest(list.map((e) => `${e.field}: ${e.message}`).join("; "), list);
};

/** A field problem's errors, for a form to show again next to its fields; any other error is rethrown. */
export function fieldErrorsOf(error: unknown): FieldError[] {
  if (error instanceof HttpProblem && error.status === 400 && error.fields.errors) return error.fields.errors;
  throw error;
}

export const notFound = (detail: string) => new HttpProblem(404, { title: "Not Found", detail });
/** The 404 of a path that names nothing (the error page offers its way back for this detail). */
export const nothingAt = (path: string) => notFound(`there is nothing at ${path}`);
