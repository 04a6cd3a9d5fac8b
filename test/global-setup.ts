// Real local mail servers for the Worker's tests, started once for all test files (vitest
// globalSetup): an SMTP server (smtp-server) that parses each message with mailparser and keeps
// it; SMTP servers that misbehave (hang up, never answer); HTTP servers speaking the Resend and
// Postmark APIs; a WebSub hub's publish endpoint (/hub) that records pings; a Cloudflare Access
// team's key endpoint (/cdn-cgi/access/certs) serving the keys a test publishes; and a control
// endpoint the tests in workerd fetch to read what arrived and to make a provider's next answer
// for an address fail. Everything is kept per recipient address, so test
// files running in parallel do not see each other's mail.

import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { TestProject } from "vitest/node";
import type { Arrived, HubPing } from "./mail-types.js";

/** What the Worker's tests are handed (as bindings, see vitest.config.ts). */
export interface MailServers {
  smtpPort: number;
  /** Greets, answers EHLO, then closes the connection at MAIL FROM. */
  hangUpPort: number;
  /** Closes every connection as soon as it is made, before the greeting. */
  dropPort: number;
  /** Accepts the connection and never says a word. */
  silentPort: number;
  /** A port nothing listens on. */
  closedPort: number;
  /** http://127.0.0.1:<port>: /resend (Resend's API), /postmark (Postmark's), /hub, /cdn-cgi/access/certs, /control. */
  httpBase: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    mail: MailServers;
  }
}

export const SMTP_USER = "mailer";
export const SMTP_PASS = "test-smtp-password";
export const RESEND_API_KEY = "re_test_key_0123456789";
export const POSTMARK_TOKEN = "test-postmark-token-0123456789";

const arrived: Arrived[] = [];
interface Failure {
  status: number;
  body: unknown;
  /** How many more requests involving the address fail. */
  times: number;
  /** SMTP only: the command answered with `status` (RCPT TO unless "data"). */
  at?: "rcpt" | "data";
}

/** "<provider>:<address>" -> the status and body its next requests answer with. */
const failNext = new Map<string, Failure>();
/** Requests received per provider: single sends and batch calls. */
const requests = { resend: { single: 0, batch: 0 }, postmark: { single: 0, batch: 0 } };
/** WebSub publish pings the hub at /hub received, in order (failed ones included). */
const hubPings: HubPing[] = [];
/** The hub's next `times` pings are answered with `status`. */
let hubFailure: { status: number; times: number } | null = null;

/** The JWKS document /cdn-cgi/access/certs serves, as POST /control/access-keys set it. */
let accessKeys: unknown = { keys: [] };
/** Requests to /cdn-cgi/access/certs since the keys were last set. */
let accessRequests = 0;

/** Resend: idempotency key -> the first request's body and answer. */
const idempotent = new Map<string, { body: string; status: number; answer: unknown }>();

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const smtp = smtpServer();
  const hangUp = createNetServer((socket) => scriptedSmtp(socket));
  const drop = createNetServer((socket) => socket.end());
  const silent = createNetServer(() => {});
  const http = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  const closedPort = await freePort();
  const [smtpPort, hangUpPort, dropPort, silentPort, httpPort] = await Promise.all([
    listen(smtp.server as unknown as Server, (port) => smtp.listen(port, "127.0.0.1")),
    listen(hangUp),
    listen(drop),
    listen(silent),
    listen(http as unknown as Server),
  ]);
  project.provide("mail", {
    smtpPort,
    hangUpPort,
    dropPort,
    silentPort,
    closedPort,
    httpBase: `http://127.0.0.1:${httpPort}`,
  });
  return async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    for (const server of [hangUp, drop, silent, http]) {
      server.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  };
}

function smtpServer(): SMTPServer {
  return new SMTPServer({
    // Plain SMTP on loopback: STARTTLS would need a trusted test CA in workerd.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    size: 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      callback(new Error("Invalid username or password"));
    },
    // Recipients whose local part asks for it are refused: reject-550-…@…, defer-451-…@…; and an
    // address given a failure through /control/fail (provider "smtp") is refused as it says.
    onRcptTo(address, _session, callback) {
      const refusal = /^(?:reject|defer)-(\d{3})\b/.exec(address.address);
      if (refusal) return callback(smtpRefusal(Number(refusal[1]), "Recipient refused for the test"));
      const failure = takeSmtp([address.address], "rcpt");
      if (failure) return callback(smtpRefusal(failure.status, String(failure.body ?? "Refused for the test")));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const failure = takeSmtp(
          session.envelope.rcptTo.map((r) => r.address),
          "data",
        );
        if (failure) return callback(smtpRefusal(failure.status, String(failure.body ?? "Refused for the test")));
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const contentType = parsed.headers.get("content-type") as { value?: string } | undefined;
            const from = parsed.from?.value ?? [];
            arrived.push({
              via: "smtp",
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: parsed.from?.text ?? "",
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              headers: Object.fromEntries(
                parsed.headerLines.map(({ key, line }) => [
                  key,
                  line
                    .slice(line.indexOf(":") + 1)
                    .replace(/\r?\n[ \t]/g, " ")
                    .trim(),
                ]),
              ),
              smtp: {
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                raw: raw.toString("utf8"),
                from: from.map((m) => ({ name: m.name, address: m.address ?? "" })),
                subject: parsed.subject ?? "",
                messageId: parsed.messageId ?? "",
                date: parsed.date ? parsed.date.toISOString() : null,
                contentType: contentType?.value ?? "",
                headerLines: parsed.headerLines.map(({ key, line }) => ({ key, line })),
                text: parsed.text ?? "",
                html: typeof parsed.html === "string" ? parsed.html : "",
              },
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
}

function smtpRefusal(code: number, message: string): Error {
  const error = new Error(message) as Error & { responseCode: number };
  error.responseCode = code;
  return error;
}

/** The first of these recipients' SMTP failures set for command `at`, used once. */
function takeSmtp(to: string[], at: "rcpt" | "data"): Failure | undefined {
  for (const address of to) {
    const key = `smtp:${address.toLowerCase()}`;
    if ((failNext.get(key)?.at ?? "rcpt") === at) {
      const failure = take(key);
      if (failure) return failure;
    }
  }
  return undefined;
}

/** Enough SMTP to get a client to MAIL FROM, then a hang-up (FIN) instead of a reply. */
function scriptedSmtp(socket: Socket): void {
  socket.write("220 hang-up.test ESMTP\r\n");
  let buffered = "";
  socket.on("data", (data) => {
    buffered += data.toString("latin1");
    let end = buffered.indexOf("\r\n");
    while (end !== -1) {
      const line = buffered.slice(0, end).toUpperCase();
      buffered = buffered.slice(end + 2);
      if (line.startsWith("EHLO") || line.startsWith("HELO")) socket.write("250-hang-up.test\r\n250 8BITMIME\r\n");
      else if (line.startsWith("MAIL")) return void socket.end();
      else socket.write("250 OK\r\n");
      end = buffered.indexOf("\r\n");
    }
  });
  socket.on("error", () => {});
}

interface Answer {
  status: number;
  body: unknown;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { status, body } = route(req, await readBody(req));
  json(res, status, body);
}

function route(req: IncomingMessage, body: string): Answer {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/hub" && req.method === "POST") return hub(req, body);
  if (url.pathname === "/control/hub") {
    if (req.method === "GET") return answer(200, hubPings);
    if (req.method === "DELETE") {
      hubPings.length = 0;
      hubFailure = null;
      return answer(200, {});
    }
  }
  if (url.pathname === "/control/hub-fail" && req.method === "POST") {
    hubFailure = JSON.parse(body) as { status: number; times: number };
    return answer(200, {});
  }
  if (url.pathname === "/cdn-cgi/access/certs" && req.method === "GET") {
    accessRequests++;
    return answer(200, accessKeys);
  }
  // A JWKS body ({"keys": [...]}, served as sent, so a test may publish a broken one); the count restarts.
  if (url.pathname === "/control/access-keys" && req.method === "POST") {
    accessKeys = JSON.parse(body) as unknown;
    accessRequests = 0;
    return answer(200, {});
  }
  if (url.pathname === "/control/access-requests" && req.method === "GET")
    return answer(200, { count: accessRequests });
  if (url.pathname === "/resend/emails" && req.method === "POST") return resend(req, body);
  if (url.pathname === "/resend/emails/batch" && req.method === "POST") return resendBatch(req, body);
  if (url.pathname === "/postmark/email" && req.method === "POST") return postmark(req, body);
  if (url.pathname === "/postmark/email/batch" && req.method === "POST") return postmarkBatch(req, body);
  if (url.pathname === "/control/requests" && req.method === "GET") {
    const provider = url.searchParams.get("provider");
    if (provider === "resend" || provider === "postmark") return answer(200, requests[provider]);
    return answer(400, { message: "provider must be resend or postmark" });
  }
  if (url.pathname === "/control/messages") {
    const to = (url.searchParams.get("to") ?? "").toLowerCase();
    if (req.method === "GET")
      return answer(
        200,
        arrived.filter((m) => m.to.includes(to)),
      );
    if (req.method === "DELETE") {
      for (let i = arrived.length - 1; i >= 0; i--) if (arrived[i]?.to.includes(to)) arrived.splice(i, 1);
      return answer(200, {});
    }
  }
  if (url.pathname === "/control/fail" && req.method === "POST") {
    const failure = JSON.parse(body) as {
      provider: string;
      to: string;
      status: number;
      body: unknown;
      times?: number;
      at?: "rcpt" | "data";
    };
    failNext.set(`${failure.provider}:${failure.to.toLowerCase()}`, {
      status: failure.status,
      body: failure.body,
      times: failure.times ?? 1,
      ...(failure.at ? { at: failure.at } : {}),
    });
    return answer(200, {});
  }
  return answer(404, { message: "not found" });
}

/** A WebSub hub's publish endpoint: records the form, answers 204 (as Google's hub does) or the set failure. */
function hub(req: IncomingMessage, text: string): Answer {
  const fields: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) fields[name] = [...(fields[name] ?? []), value];
  const failing = hubFailure !== null && hubFailure.times > 0;
  const status = failing && hubFailure ? hubFailure.status : 204;
  if (hubFailure && failing) hubFailure.times--;
  hubPings.push({ contentType: req.headers["content-type"] ?? "", fields, status, at: Date.now() });
  return answer(status, status === 204 ? null : { message: "the test hub failed on purpose" });
}

function resend(req: IncomingMessage, text: string): Answer {
  requests.resend.single++;
  if (req.headers.authorization !== `Bearer ${RESEND_API_KEY}`) {
    return answer(401, {
      statusCode: 401,
      name: "missing_api_key",
      message: "Missing API key in the authorization header.",
    });
  }
  const body = JSON.parse(text) as { to?: string | string[]; from?: string; subject?: string };
  const to = (Array.isArray(body.to) ? body.to : [body.to ?? ""]).map((a) => a.toLowerCase());
  if (!body.from || !body.subject || !to[0]) {
    return answer(422, { statusCode: 422, name: "validation_error", message: "from, to and subject are required" });
  }
  const failure = takeFailure("resend", to);
  if (failure) return answer(failure.status, failure.body);
  const key = req.headers["idempotency-key"];
  const replayed = replay(key, text);
  if (replayed) return replayed;
  const sent = recordResend(req, JSON.parse(text) as ResendEmail);
  if (typeof key === "string") idempotent.set(key, { body: text, status: 200, answer: sent });
  return answer(200, sent);
}

interface ResendEmail {
  to?: string | string[];
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  headers?: object;
}

function resendRecipients(email: ResendEmail): string[] {
  return (Array.isArray(email.to) ? email.to : [email.to ?? ""]).map((a) => String(a).toLowerCase());
}

function recordResend(req: IncomingMessage, email: ResendEmail): { id: string } {
  const id = randomUUID();
  arrived.push({
    id,
    via: "resend",
    to: resendRecipients(email),
    from: email.from ?? "",
    subject: email.subject ?? "",
    text: email.text ?? "",
    html: email.html ?? "",
    headers: lowerCased(Object.entries(email.headers ?? {})),
    request: { headers: headersOf(req), body: email as Record<string, unknown> },
  });
  return { id };
}

/** POST /emails/batch: up to 100 emails, validated and sent all or none (Resend's strict mode). */
function resendBatch(req: IncomingMessage, text: string): Answer {
  requests.resend.batch++;
  if (req.headers.authorization !== `Bearer ${RESEND_API_KEY}`) {
    return answer(401, {
      statusCode: 401,
      name: "missing_api_key",
      message: "Missing API key in the authorization header.",
    });
  }
  const emails = JSON.parse(text) as ResendEmail[];
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100) {
    return answer(422, { statusCode: 422, name: "validation_error", message: "send 1 to 100 emails" });
  }
  for (const [i, email] of emails.entries()) {
    if (!email.from || !email.subject || !resendRecipients(email)[0]) {
      return answer(422, {
        statusCode: 422,
        name: "validation_error",
        message: `emails[${i}]: from, to and subject are required`,
      });
    }
  }
  const failure = takeFailures(
    "resend",
    emails.flatMap((email) => resendRecipients(email)),
  )[0];
  if (failure) return answer(failure.status, failure.body);
  const key = req.headers["idempotency-key"];
  const replayed = replay(key, text);
  if (replayed) return replayed;
  const sent = { data: emails.map((email) => recordResend(req, email)) };
  if (typeof key === "string") idempotent.set(key, { body: text, status: 200, answer: sent });
  return answer(200, sent);
}

function postmark(req: IncomingMessage, text: string): Answer {
  requests.postmark.single++;
  if (req.headers["x-postmark-server-token"] !== POSTMARK_TOKEN) {
    return answer(401, { ErrorCode: 10, Message: "The Server Token you provided in the request is invalid." });
  }
  const body = JSON.parse(text) as { To?: string; From?: string };
  const to = (body.To ?? "").split(",").map((a) => a.trim().toLowerCase());
  if (!body.From || !to[0]) return answer(422, { ErrorCode: 300, Message: "Invalid email request" });
  const failure = takeFailure("postmark", to);
  if (failure) return answer(failure.status, failure.body);
  return answer(200, recordPostmark(req, JSON.parse(text) as PostmarkEmail));
}

interface PostmarkEmail {
  From?: string;
  To?: string;
  Subject?: string;
  TextBody?: string;
  HtmlBody?: string;
  Headers?: { Name: string; Value: string }[];
}

function postmarkRecipients(email: PostmarkEmail): string[] {
  return String(email.To ?? "")
    .split(",")
    .map((a) => a.trim().toLowerCase());
}

function recordPostmark(req: IncomingMessage, email: PostmarkEmail): Record<string, unknown> {
  const id = randomUUID();
  arrived.push({
    id,
    via: "postmark",
    to: postmarkRecipients(email),
    from: email.From ?? "",
    subject: email.Subject ?? "",
    text: email.TextBody ?? "",
    html: email.HtmlBody ?? "",
    headers: lowerCased((email.Headers ?? []).map((h) => [h.Name, h.Value])),
    request: { headers: headersOf(req), body: email as Record<string, unknown> },
  });
  return { To: email.To, SubmittedAt: new Date().toISOString(), MessageID: id, ErrorCode: 0, Message: "OK" };
}

/**
 * POST /email/batch: up to 500 messages, one result each. A failure set for an address with
 * status 200 and an ErrorCode is that message's result; any other fails the whole request.
 */
function postmarkBatch(req: IncomingMessage, text: string): Answer {
  requests.postmark.batch++;
  if (req.headers["x-postmark-server-token"] !== POSTMARK_TOKEN) {
    return answer(401, { ErrorCode: 10, Message: "The Server Token you provided in the request is invalid." });
  }
  const emails = JSON.parse(text) as PostmarkEmail[];
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 500) {
    return answer(422, { ErrorCode: 300, Message: "Send 1 to 500 messages" });
  }
  const failures = emails.map((email) => takeFailures("postmark", postmarkRecipients(email))[0]);
  const whole = failures.find((f) => f && !(f.status === 200 && hasErrorCode(f.body)));
  if (whole) return answer(whole.status, whole.body);
  return answer(
    200,
    emails.map((email, i) => {
      const failure = failures[i];
      if (failure) return { To: email.To, ...(failure.body as object) };
      if (!email.From || !postmarkRecipients(email)[0])
        return { To: email.To, ErrorCode: 300, Message: "Invalid email request" };
      return recordPostmark(req, email);
    }),
  );
}

function hasErrorCode(body: unknown): boolean {
  return typeof body === "object" && body !== null && typeof (body as { ErrorCode?: unknown }).ErrorCode === "number";
}

/** Resend's idempotency: the first answer again for the same key and body; 409 for another body. */
function replay(key: string | string[] | undefined, text: string): Answer | null {
  if (typeof key !== "string") return null;
  const first = idempotent.get(key);
  if (first && first.body === text) return answer(first.status, first.answer);
  if (!first) return null;
  return answer(409, {
    statusCode: 409,
    name: "invalid_idempotent_request",
    message: "Same idempotency key used with a different request payload.",
  });
}

function takeFailure(provider: string, to: string[]): Failure | undefined {
  for (const address of to) {
    const failure = take(`${provider}:${address}`);
    if (failure) return failure;
  }
  return undefined;
}

/** Every address's pending failure, each used once: the request involves them all. */
function takeFailures(provider: string, to: string[]): Failure[] {
  return to.flatMap((address) => take(`${provider}:${address}`) ?? []);
}

function take(key: string): Failure | undefined {
  const failure = failNext.get(key);
  if (!failure) return undefined;
  if (failure.times <= 1) failNext.delete(key);
  else failNext.set(key, { ...failure, times: failure.times - 1 });
  return failure;
}

function lowerCased(entries: [string, unknown][]): Record<string, string> {
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), String(value)]));
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function answer(status: number, body: unknown): Answer {
  return { status, body };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (status === 204) return void res.writeHead(204).end();
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function listen(server: Server, start?: (port: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => resolve((server.address() as AddressInfo).port));
    if (start) start(0);
    else server.listen(0, "127.0.0.1");
  });
}

/** A port that was free a moment ago and has nothing listening on it. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
