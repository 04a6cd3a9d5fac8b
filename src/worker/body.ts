// Reading a request body, the one way every route does it: `readJson`, `readForm` and `readText`
// (strict UTF-8), each with a bounded size check, and `mediaType` for the Content-Type. A bad body
// is a 400 naming the field (`fieldProblem`), an oversized one a 413 naming "body" unless the route
// gives its own error.
//
// The bytes are refused as soon as they pass the limit, by the declared length or while
// streaming, so an oversized body is never read into memory.
//
// An oversized body is drained, not cancelled: its rest is read and thrown away (at most
// DRAIN_BYTES, and only while it keeps arriving) before the refusal is answered. Cancelling the
// stream mid-body leaves the HTTP/1.1 connection that carried it with a request half sent; in
// `wrangler dev` that is the dev proxy's pooled connection to the Worker, so the next request on
// it fails with "Network connection lost" (a 500, or the proxy's 503), which wrangler reports as a
// fatal error and exits. In production the edge owns the client connection: the refusal is the
// same, and draining costs only the discarded bytes (never kept) and, at most, a short wait.

import type { FieldError } from "../core/errors.js";
import { fieldProblem, HttpProblem } from "./errors.js";

export interface Limit {
  /** Largest body accepted, in bytes. */
  max: number;
  /** The error past `max`; by default a 413 naming "body". */
  tooLarge?: () => Error;
}

export const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The media type of a Content-Type header, lower-cased and without parameters; "" when none. */
export function mediaType(header: string | null | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** A form's media type, as browsers send it. */
export const isForm = (type: string): boolean => (FORM_TYPES as readonly string[]).includes(type);

/**
 * A request that sent a body other than a form: only a program does (a browser posts forms), so
 * its errors are answered with problem+json wherever it was sent. A request that names no type
 * and no length sent nothing (a PUT to a page, say: wrangler dev gives it an empty body stream)
 * and gets the page's own kind of answer.
 */
export function sentNonForm(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const type = request.headers.get("content-type");
  if (type !== null) return !isForm(mediaType(type));
  const length = request.headers.get("content-length");
  return length !== null && length !== "0";
}

const tooLargeFor = (max: number) => () =>
  new HttpProblem(413, {
    title: "Content Too Large",
    detail: `the body is over ${max} bytes`,
    errors: [{ field: "body", message: `is over ${max} bytes` }],
  });

const bodyError = (message: string) => fieldProblem({ field: "body", message });

/** The body's bytes, at most `limit.max`: for a route that checks them as sent (a signature). */
export function readBytes(request: Request, limit: Limit): Promise<Uint8Array> {
  return readBounded(request, limit.max, limit.tooLarge ?? tooLargeFor(limit.max));
}

/** The body as text: strict UTF-8 (a leading BOM is dropped), at most `limit.max` bytes. */
export async function readText(request: Request, limit: Limit): Promise<string> {
  return decode(await readBytes(request, limit));
}

/** The body parsed as JSON; `example`, when given, is offered in the error for a body that is not. */
export async function readJson(request: Request, limit: Limit & { example?: string }): Promise<unknown> {
  return parseJson(await readBytes(request, limit), limit.example);
}

/** Bytes already read (see readBytes) parsed as JSON, with readJson's errors. */
export function parseJson(bytes: Uint8Array, example?: string): unknown {
  const text = decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    const hint = example ? `; send ${example}` : "";
    throw bodyError(`is not valid JSON: ${(error as Error).message}${hint}`);
  }
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw bodyError("is not valid UTF-8");
  }
}

export interface FormOptions extends Limit {
  /** Fields that may repeat (each checked box repeats its name): always a list. Any other given twice is refused. */
  lists?: readonly string[];
  /** A body that is not a form is read as no fields, instead of a 400 naming content-type. */
  lenient?: boolean;
}

/**
 * A posted form's fields (URL-encoded or multipart), as strings. The body is read, bounded, before
 * its type is looked at, so an oversized body is refused (and drained) whatever it claims to be.
 */
export async function readForm(request: Request, options: FormOptions): Promise<Record<string, string | string[]>> {
  const bytes = await readBytes(request, options);
  const type = mediaType(request.headers.get("content-type"));
  if (!isForm(type)) {
    if (options.lenient) return {};
    throw fieldProblem(contentTypeError(request.headers.get("content-type"), `a form (${FORM_TYPES.join(" or ")})`));
  }
  let entries: Iterable<[string, string | File]>;
  if (type === "multipart/form-data") {
    try {
      const header = request.headers.get("content-type") ?? "";
      entries = await new Response(bytes, { headers: { "content-type": header } }).formData();
    } catch {
      throw bodyError("is not valid multipart/form-data");
    }
  } else entries = new URLSearchParams(decode(bytes));
  const lists = options.lists ?? [];
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of entries) {
    if (typeof value !== "string") throw fieldProblem({ field: name.slice(0, 60), message: "must not be a file" });
    const list = lists.includes(name);
    const had = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (list) fields[name] = [...((had as string[] | undefined) ?? []), value];
    else if (had !== undefined) throw fieldProblem({ field: name.slice(0, 60), message: "is given more than once" });
    else fields[name] = value;
  }
  return fields;
}

/** The error naming content-type for a body of a type the route does not take; `wanted` says which. */
export function contentTypeError(header: string | null | undefined, wanted: string): FieldError {
  const given = header ? `"${header.slice(0, 100)}"` : "missing";
  return { field: "content-type", message: `is ${given}; send ${wanted}` };
}

/**
 * The request with its body read now, bounded, and held in memory: for a route that must refuse an
 * oversized body before anything else (then readForm or readJson read the copy).
 */
export async function buffered(request: Request, limit: Limit): Promise<Request> {
  return new Request(request, { body: await readBytes(request, limit) });
}

/** Bytes of an oversized body read and discarded before answering, at most. */
export const DRAIN_BYTES = 1024 * 1024;
/** A drained body that sends nothing for this long is left as it is: a stalled client waits for no one. */
const DRAIN_IDLE_MS = 250;

/** The body's bytes, at most `max`; `tooLarge` is thrown past that (the rest is never kept). */
export async function readBounded(request: Request, max: number, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) {
    // A declared length the drain can take is read out; a larger one is refused unread.
    if (request.body && Number(declared) <= DRAIN_BYTES) await drain(request.body.getReader());
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  // Chunks are kept and copied once at the end: no buffer of the limit's size for a small body.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      chunks.length = 0;
      await drain(reader);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads and discards the rest of a body until it ends, DRAIN_BYTES have gone, or nothing has come
 * for DRAIN_IDLE_MS. Never cancels (see the header); errors (the client went away) end it quietly.
 */
export async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let left = DRAIN_BYTES;
  try {
    while (left > 0) {
      let stop = () => {};
      const idle = new Promise<"idle">((resolve) => {
        const timer = setTimeout(() => resolve("idle"), DRAIN_IDLE_MS);
        stop = () => clearTimeout(timer);
      });
      const read = reader.read();
      const next = await Promise.race([read, idle]);
      stop();
      if (next === "idle") {
        read.catch(() => {});
        return;
      }
      if (next.done) return;
      left -= next.value.byteLength;
    }
  } catch {
    // The client is gone: nothing left to drain.
  }
}
