// What the HTTP adapters' batch calls share: each item is prepared on its own (a message compose()
// refuses fails alone and is left out), the rest go in chunks of the provider's size, in order, and
// every item gets exactly one outcome at its own position.

import { asMailError, MailError, type SendItem, type SendOutcome } from "./mailer.js";

export interface Prepared<T> {
  item: SendItem;
  /** What the provider is sent for this item (one element of the request's array). */
  payload: T;
}

/**
 * `post` sends one chunk and answers one outcome per prepared item, in order; a MailError it
 * throws fails every item of that chunk alike.
 */
export async function sendInChunks<T>(
  provider: string,
  items: readonly SendItem[],
  size: number,
  prepare: (item: SendItem) => Promise<T>,
  post: (chunk: readonly Prepared<T>[]) => Promise<SendOutcome[]>,
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  const ready: { at: number; prepared: Prepared<T> }[] = [];
  for (const item of items) {
    try {
      ready.push({ at: outcomes.length, prepared: { item, payload: await prepare(item) } });
      // Replaced below, once the chunk holding this item has an answer.
      outcomes.push({ ok: false, error: new MailError("transient", `${provider}: not sent`) });
    } catch (error) {
      outcomes.push({ ok: false, error: asMailError(error) });
    }
  }
  for (let start = 0; start < ready.length; start += size) {
    const chunk = ready.slice(start, start + size);
    let answered: SendOutcome[];
    try {
      answered = await post(chunk.map((entry) => entry.prepared));
    } catch (error) {
      const failure = asMailError(error);
      answered = chunk.map(() => ({ ok: false, error: failure }));
    }
    if (answered.length !== chunk.length) {
      const failure = new MailError(
        "transient",
        `${provider} answered ${answered.length} results for ${chunk.length} messages`,
      );
      answered = chunk.map(() => ({ ok: false, error: failure }));
    }
    chunk.forEach((entry, i) => {
      const outcome = answered[i];
      if (outcome) outcomes[entry.at] = outcome;
    });
  }
  return outcomes;
}

/** Lowercase hex of SHA-256 (64 characters). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
