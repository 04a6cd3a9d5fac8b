// Puts delivery messages on the queue, in sendBatch calls of 50 (Queues take at most 100 messages
// and 256 KB per call; a send message is under 1 KB), and an edition's dead sends back on it.

import { type DeliveryMessage, sendMessages } from "../../core/delivery.js";
import type { Services } from "../services.js";

const PER_CALL = 50;

export async function queueMessages(
  queue: Queue<DeliveryMessage>,
  messages: readonly DeliveryMessage[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += PER_CALL) {
    await queue.sendBatch(messages.slice(start, start + PER_CALL).map((body) => ({ body })));
  }
}

/** Puts an edition's dead sends back in the queue (the operator's retry): how many went back. */
export async function retryDead(s: Services, edition: string): Promise<number> {
  const queue = s.deliveryQueue();
  const ids = await s.deliveries.requeueDead(edition);
  await queueMessages(queue, sendMessages(ids));
  return ids.length;
}
