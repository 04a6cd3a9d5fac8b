// `npm run dev` keeps answering after a client's oversized upload: the real dev server (scripts/dev.ts,
// wrangler dev and its proxy) on a port and a local D1 of its own, driven by raw sockets so the
// body is sent chunked, past each route's limit, exactly as a client would.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "./dev-server.js";

const ADMIN_TOKEN = "dev-server-test-admin-token-0123";
/** A hang detector, not a timing threshold: a healthy server answers in milliseconds. */
const HANG_MS = 10_000;

let server: DevServer | undefined;
let port = 0;

beforeAll(async () => {
  server = await startDevServer({
    ADMIN_TOKEN,
    SIGNING_SECRET: "dev-server-test-signing-secret-0123456789abcdef",
    RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTAxMjM0NTY=",
  });
  port = server.port;
});

afterAll(async () => {
  await server?.stop();
});

/**
 * Sends `head` then, if given, `bytes` as a chunked body in 16 KiB chunks and its terminator, on a
 * new connection; resolves with the status code, or "no answer" when none comes within HANG_MS.
 */
function exchange(head: string, bytes = 0): Promise<number | "no answer"> {
  return new Promise((done) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const finish = (result: number | "no answer") => {
      clearTimeout(timer);
      socket.destroy();
      done(result);
    };
    const timer = setTimeout(() => finish("no answer"), HANG_MS);
    socket.on("data", (data) => {
      received += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (status && received.includes("\r\n\r\n")) finish(Number(status[1]));
    });
    socket.on("error", () => {});
    socket.on("close", () => finish("no answer"));
    socket.write(head);
    if (bytes === 0) return;
    const chunk = "a".repeat(16 * 1024);
    let sent = 0;
    const more = () => {
      while (sent < bytes && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) return void socket.once("drain", more);
      }
      if (!socket.destroyed) socket.write("0\r\n\r\n");
    };
    more();
  });
}

const host = () => `Host: 127.0.0.1:${port}\r\n`;
const upload = (path: string, headers: string) =>
  `POST ${path} HTTP/1.1\r\n${host()}Transfer-Encoding: chunked\r\n${headers}\r\n`;

describe("npm run dev after an oversized chunked upload", () => {
  const cases: { path: string; headers: string; bytes: number; status: number }[] = [
    // 8 KiB limits: 16 KiB sent.
    { path: "/subscribe", headers: "Content-Type: application/x-www-form-urlencoded\r\n", bytes: 16_384, status: 400 },
    {
      path: "/preferences?token=x",
      headers: "Content-Type: application/x-www-form-urlencoded\r\n",
      bytes: 16_384,
      status: 413,
    },
    // 64 KiB limit: 80 KiB sent, signed headers present so the body is read.
    {
      path: "/webhooks/resend",
      headers:
        "Content-Type: application/json\r\nsvix-id: msg_1\r\nsvix-timestamp: 1700000000\r\nsvix-signature: v1,x\r\n",
      bytes: 81_920,
      status: 413,
    },
    // 2 MiB limit: 2 MiB and 64 KiB sent.
    {
      path: "/api/articles",
      headers: `Content-Type: application/json\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n`,
      bytes: 2_162_688,
      status: 413,
    },
  ];

  for (const { path, headers, bytes, status } of cases) {
    it(`refuses ${bytes} bytes to ${path} with ${status}, then answers the next GET and POST at once`, async () => {
      expect(await exchange(upload(path, headers), bytes)).toBe(status);
      expect(await exchange(`GET / HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`)).toBe(200);
      // A form without a valid token: the link page's 400, from the Worker, not the proxy's 503.
      expect(
        await exchange(
          `POST /unsubscribe?token=x HTTP/1.1\r\n${host()}Connection: close\r\n` +
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b",
        ),
      ).toBe(400);
    });
  }
});
