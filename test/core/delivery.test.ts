import { describe, expect, it } from "vitest";
import { Pacer, parseDeliveryMessage, retryDelaySeconds, sendMessages } from "../../src/core/delivery.js";

describe("queue messages", () => {
  it("accepts send messages of 1 to 100 positive integer ids", () => {
    expect(parseDeliveryMessage({ type: "send", ids: [1] })).toEqual({ type: "send", ids: [1] });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(parseDeliveryMessage({ type: "send", ids: hundred })).toEqual({ type: "send", ids: hundred });
    for (const ids of [[], [...hundred, 101], [0], [-1], [1, -1], [1.5], ["1"], [2 ** 53], null, "1,2"]) {
      expect(parseDeliveryMessage({ type: "send", ids }), JSON.stringify(ids)).toBeNull();
    }
  });

  it("accepts fan-out messages naming an edition of their frequency, a zone, an hour and a cursor", () => {
    const good = {
      type: "fanout",
      edition: "weekly/2022-W02",
      frequency: "weekly",
      timeZone: "Asia/Tokyo",
      sendHour: 23,
      after: 0,
    };
    expect(parseDeliveryMessage(good)).toEqual(good);
    expect(
      parseDeliveryMessage({ ...good, edition: "daily/2022-01-10", frequency: "daily", sendHour: 0 }),
    ).not.toBeNull();
    for (const bad of [
      { edition: "daily/2022-01-10" },
      { edition: "weekly/2022-01-10" },
      { edition: "weekly/2022-W2" },
      { edition: "xweekly/2022-W02" },
      { edition: "weekly/2022-W02x" },
      { frequency: "monthly" },
      { timeZone: "" },
      { timeZone: "x".repeat(65) },
      { sendHour: 24 },
      { sendHour: -1 },
      { sendHour: 7.5 },
      { after: -1 },
      { after: "0" },
    ]) {
      expect(parseDeliveryMessage({ ...good, ...bad }), JSON.stringify(bad)).toBeNull();
    }
    expect(parseDeliveryMessage({ ...good, timeZone: "x".repeat(64) })).not.toBeNull();
  });

  it("accepts confirm messages naming a subscriber and a nonce of 1 to 64 URL-safe characters", () => {
    const good = { type: "confirm", subscriber: 7, nonce: "Ab-_09" };
    expect(parseDeliveryMessage(good)).toEqual(good);
    expect(parseDeliveryMessage({ ...good, nonce: "n".repeat(64) })).not.toBeNull();
    for (const bad of [
      { subscriber: 0 },
      { subscriber: -1 },
      { subscriber: 1.5 },
      { subscriber: "7" },
      { subscriber: 2 ** 53 },
      { nonce: "" },
      { nonce: "n".repeat(65) },
      { nonce: "a+b" },
      { nonce: 7 },
    ]) {
      expect(parseDeliveryMessage({ ...good, ...bad }), JSON.stringify(bad)).toBeNull();
    }
    // Only what a confirmation needs is kept: an address put on the queue by mistake is dropped.
    expect(parseDeliveryMessage({ ...good, email: "someone@example.org" })).toEqual(good);
  });

  it("refuses anything else", () => {
    const fanout = { edition: "daily/2022-01-10", frequency: "daily", timeZone: "UTC", sendHour: 7, after: 0 };
    for (const body of [null, undefined, 1, "send", [], {}, { type: "other" }, { type: "other", ...fanout }]) {
      expect(parseDeliveryMessage(body)).toBeNull();
    }
  });

  it("cuts ids into send messages of the given size, in order", () => {
    expect(sendMessages([])).toEqual([]);
    const ids = Array.from({ length: 250 }, (_, i) => i + 1);
    expect(sendMessages(ids).map((m) => m.ids.length)).toEqual([100, 100, 50]);
    expect(sendMessages(ids).flatMap((m) => m.ids)).toEqual(ids);
    expect(sendMessages([1, 2, 3], 2)).toEqual([
      { type: "send", ids: [1, 2] },
      { type: "send", ids: [3] },
    ]);
  });
});

describe("retry backoff", () => {
  it("doubles from the base and stops at an hour", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelaySeconds(n, 30))).toEqual([30, 60, 120, 240, 480]);
    expect(retryDelaySeconds(0, 30)).toBe(30);
    expect(retryDelaySeconds(8, 30)).toBe(3600);
    expect(retryDelaySeconds(7, 30)).toBe(1920);
    expect(retryDelaySeconds(1000, 1)).toBe(3600);
  });
});

describe("pacing", () => {
  it("lets `rate` messages go in each second of the invocation", () => {
    const pacer = new Pacer(4, 30_000, 1000);
    expect(pacer.take(4, 1000)).toBe(0);
    // The fifth message waits for the next second.
    expect(pacer.take(1, 1000)).toBe(1000);
    expect(pacer.take(3, 1500)).toBe(500);
    expect(pacer.take(4, 3000)).toBe(0);
  });

  it("sends a second's worth per provider call, at most the provider's batch", () => {
    expect(new Pacer(4, 30_000, 0).chunkSize(100)).toBe(4);
    expect(new Pacer(1000, 30_000, 0).chunkSize(100)).toBe(100);
    expect(new Pacer(1, 30_000, 0).chunkSize(100)).toBe(1);
  });

  it("fits what can start within the window, at its boundary", () => {
    const pacer = new Pacer(4, 1000, 0);
    expect(pacer.fits(4)).toBe(true);
    expect(pacer.fits(5)).toBe(false);
    pacer.take(3, 0);
    expect(pacer.fits(1)).toBe(true);
    expect(pacer.fits(2)).toBe(false);
    const wide = new Pacer(10, 30_000, 0);
    expect(wide.fits(300)).toBe(true);
    expect(wide.fits(301)).toBe(false);
  });
});
