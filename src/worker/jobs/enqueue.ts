// Puts delivery messages on the queue, in sendBatch calls of 50 (Queues take at most 100 messages
// and 256 KB per call; a send message is under 1 KB).

import type { DeliveryMessage } from "../../core/delivery.js";

const PER_CALL = 50;

export async function queueMessages(
  queue: Queue<DeliveryMessage>,
  messages: readonly DeliveryMessage[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += PER_CALL) {
    await queue.sendBatch(messages.slice(start, start + PER_CALL).map((body) => ({ body })));
  }
}
