// body.ts: the one way a route reads a request body, at its limits.

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { mediaType, readForm, readJson, readText, sentNonForm } from "../../src/worker/body.js";
import { wholeNumber } from "../../src/worker/query.js";

const encode = (text: string) => new TextEncoder().encode(text);

/** A POST with the body in one piece (its length declared) or streamed in chunks with no length. */
function post(body: Uint8Array | string, type: string | null, how: "declared" | "streamed" = "declared"): Request {
  const bytes = typeof body === "string" ? encode(body) : body;
  const headers: Record<string, string> = type === null ? {} : { "content-type": type };
  if (how === "declared") {
    return new Request("https://example.org/", {
      method: "POST",
      headers: { ...headers, "content-length": String(bytes.byteLength) },
      body: bytes,
    });
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.byteLength; i += 3) controller.enqueue(bytes.slice(i, i + 3));
      controller.close();
    },
  });
  return new Request("https://example.org/", { method: "POST", headers, body: stream });
}

/** What a refusal says: its status and the fields it names. */
async function refusal(read: Promise<unknown>) {
  const error = await read.then(
    () => null,
    (e: unknown) => e as { status?: number; fields?: { errors?: { field: string; message: string }[] } },
  );
  expect(error).not.toBeNull();
  return { status: error?.status, errors: error?.fields?.errors };
}

describe("readText", () => {
  for (const how of ["declared", "streamed"] as const) {
    it(`takes a body of exactly 10 bytes and refuses 11 with 413 naming body (${how})`, async () => {
      expect(await readText(post("0123456789", "text/plain", how), { max: 10 })).toBe("0123456789");
      expect(await refusal(readText(post("0123456789A", "text/plain", how), { max: 10 }))).toEqual({
        status: 413,
        errors: [{ field: "body", message: "is over 10 bytes" }],
      });
    });
  }

  it("counts bytes, not characters: 5 two-byte letters are 10 bytes", async () => {
    expect(await readText(post("ééééé", "text/plain", "streamed"), { max: 10 })).toBe("ééééé");
    expect((await refusal(readText(post("éééééa", "text/plain", "streamed"), { max: 10 }))).status).toBe(413);
  });

  it("throws the route's own error past the limit when it gives one", async () => {
    const own = new Error("mine");
    await expect(readText(post("01234567890", "text/plain"), { max: 10, tooLarge: () => own })).rejects.toBe(own);
  });

  it("refuses bytes that are not UTF-8 with 400 naming body", async () => {
    const bytes = new Uint8Array([...encode('{"a":"'), 0xff, ...encode('"}')]);
    expect(await refusal(readText(post(bytes, "application/json"), { max: 100 }))).toEqual({
      status: 400,
      errors: [{ field: "body", message: "is not valid UTF-8" }],
    });
  });

  it("drops a leading byte order mark", async () => {
    expect(await readText(post("\uFEFFhello", "text/plain"), { max: 100 })).toBe("hello");
  });
});

describe("readJson", () => {
  it("parses a body after a byte order mark", async () => {
    expect(await readJson(post('\uFEFF{"a":1}', "application/json"), { max: 100 })).toEqual({ a: 1 });
  });

  it("refuses a body that is not JSON with 400 naming body, offering the route's example", async () => {
    const { status, errors } = await refusal(
      readJson(post('{"a":', "application/json"), { max: 100, example: '{"a": 1}' }),
    );
    expect(status).toBe(400);
    expect(errors?.map((e) => e.field)).toEqual(["body"]);
    expect(errors?.[0]?.message).toMatch(/^is not valid JSON: .*; send \{"a": 1\}$/);
  });

  it("takes 10 bytes of JSON and refuses 11 streamed ones with 413", async () => {
    expect(await readJson(post('"12345678"', "application/json", "streamed"), { max: 10 })).toBe("12345678");
    expect((await refusal(readJson(post('"123456789"', "application/json", "streamed"), { max: 10 }))).status).toBe(
      413,
    );
  });
});

describe("readForm", () => {
  const FORM = "application/x-www-form-urlencoded";

  it("reads a URL-encoded form, a field named in lists always as a list", async () => {
    const fields = await readForm(post("email=a%40example.org&tags=x&tags=y&one=z", FORM), {
      max: 100,
      lists: ["tags", "one"],
    });
    expect({ ...fields }).toEqual({ email: "a@example.org", tags: ["x", "y"], one: ["z"] });
  });

  it("refuses any other field given twice, naming it", async () => {
    expect(await refusal(readForm(post("a=1&a=2", FORM), { max: 100 }))).toEqual({
      status: 400,
      errors: [{ field: "a", message: "is given more than once" }],
    });
  });

  it("reads multipart/form-data whatever the case of its type, and refuses a file, naming its field", async () => {
    const form = new FormData();
    form.append("email", "a@example.org");
    const body = new Response(form);
    const type = (body.headers.get("content-type") ?? "").replace("multipart/form-data", "Multipart/Form-Data");
    const bytes = new Uint8Array(await body.arrayBuffer());
    expect({ ...(await readForm(post(bytes, type), { max: 1000 })) }).toEqual({ email: "a@example.org" });

    const withFile = new FormData();
    withFile.append("email", new File(["a@example.org"], "a.txt"));
    const fileBody = new Response(withFile);
    const fileBytes = new Uint8Array(await fileBody.arrayBuffer());
    expect(await refusal(readForm(post(fileBytes, fileBody.headers.get("content-type")), { max: 1000 }))).toEqual({
      status: 400,
      errors: [{ field: "email", message: "must not be a file" }],
    });
  });

  it("refuses a body that is not a form with 400 naming content-type; lenient, it is no fields", async () => {
    const { status, errors } = await refusal(readForm(post('{"a":1}', "application/json"), { max: 100 }));
    expect(status).toBe(400);
    expect(errors?.map((e) => e.field)).toEqual(["content-type"]);
    expect({ ...(await readForm(post('{"a":1}', "application/json"), { max: 100, lenient: true })) }).toEqual({});
  });

  it("takes a form of exactly 10 bytes and refuses 11 with 413, even when lenient and not a form", async () => {
    expect({ ...(await readForm(post("a=12345678", FORM, "streamed"), { max: 10 })) }).toEqual({ a: "12345678" });
    expect((await refusal(readForm(post("a=123456789", FORM, "streamed"), { max: 10 }))).status).toBe(413);
    const other = readForm(post("a=123456789", "text/plain", "streamed"), { max: 10, lenient: true });
    expect((await refusal(other)).status).toBe(413);
  });

  it("refuses a URL-encoded form that is not UTF-8", async () => {
    const bytes = new Uint8Array([...encode("a="), 0xc3, 0x28]);
    expect((await refusal(readForm(post(bytes, FORM), { max: 100 }))).errors).toEqual([
      { field: "body", message: "is not valid UTF-8" },
    ]);
  });
});

describe("mediaType", () => {
  it("is the type without parameters, lower-cased and trimmed; empty when there is none", () => {
    expect(mediaType("Application/JSON; charset=UTF-8")).toBe("application/json");
    expect(mediaType("  multipart/Form-Data ;boundary=x")).toBe("multipart/form-data");
    expect(mediaType("text/markdown")).toBe("text/markdown");
    expect(mediaType(null)).toBe("");
    expect(mediaType(undefined)).toBe("");
    expect(mediaType("")).toBe("");
  });
});

describe("sentNonForm", () => {
  it("is true for a POST of JSON or of nothing typed, false for a form, a GET or no body at all", () => {
    expect(sentNonForm(post("{}", "application/json"))).toBe(true);
    expect(sentNonForm(post("a", null))).toBe(true);
    expect(sentNonForm(new Request("https://example.org/", { method: "PUT" }))).toBe(false);
    // As wrangler dev passes a PUT that sent nothing: an empty body stream, no type, no length.
    const empty = new Request("https://example.org/", { method: "PUT", body: new ReadableStream() });
    expect(empty.body).not.toBeNull();
    expect(sentNonForm(empty)).toBe(false);
    expect(sentNonForm(post("", null))).toBe(false);
    expect(sentNonForm(post("a=1", "Application/X-WWW-Form-Urlencoded; charset=utf-8"))).toBe(false);
    expect(sentNonForm(new Request("https://example.org/", { headers: { "content-type": "application/json" } }))).toBe(
      false,
    );
  });
});

describe("wholeNumber", () => {
  const check = (min: number, max: number, input: string) => v.safeParse(wholeNumber(min, max), input);

  it("takes 1 and 500 for wholeNumber(1, 500), refuses 0 and 501 naming the range", () => {
    expect(check(1, 500, "1").output).toBe(1);
    expect(check(1, 500, "500").output).toBe(500);
    for (const bad of ["0", "501", "-1", "1.5", "", "abc", "1e2", "0500"]) {
      const result = check(1, 500, bad);
      expect(result.success).toBe(false);
      expect(result.issues?.[0]?.message).toBe(`must be a whole number from 1 to 500; got "${bad}"`);
    }
  });

  it("takes 10 and refuses 11 for wholeNumber(1, 10)", () => {
    expect(check(1, 10, "10").output).toBe(10);
    expect(check(1, 10, "11").success).toBe(false);
  });
});
