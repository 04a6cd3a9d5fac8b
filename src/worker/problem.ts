// RFC 9457 problem details: the one error type routes throw, and its JSON response.

import type { FieldError } from "../core/errors.js";

export interface ProblemFields {
  title: string;
  detail?: string;
  /** Extension member listing each bad field. */
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export class HttpProblem extends Error {
  readonly status: number;
  readonly fields: ProblemFields;

  constructor(status: number, fields: ProblemFields) {
    super(fields.detail ?? fields.title);
    this.name = "HttpProblem";
    this.status = status;
    this.fields = fields;
  }
}

export function problemResponse(problem: HttpProblem, instance: string): Response {
  const { title, detail, errors, headers } = problem.fields;
  const body = {
    type: "about:blank",
    title,
    status: problem.status,
    ...(detail ? { detail } : {}),
    instance,
    ...(errors ? { errors: errors.map(({ field, message }) => ({ field, detail: message })) } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, { title: "Bad Request", detail, ...(errors ? { errors } : {}) });

export const notFound = (detail: string) => new HttpProblem(404, { title: "Not Found", detail });
