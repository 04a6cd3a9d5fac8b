// Suppressions in D1: the addresses never mailed again (a hard bounce, a complaint), kept as a
// salted hash so the suppression outlives an erased subscriber.

import { addressKey, normaliseAddress } from "../../core/subscription.js";
import { AddressHash } from "./address-hash.js";

export class SuppressionStore {
  /** `hashes`: one per Services, so the salt is read once however many stores hash. */
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
    private readonly hashes = new AddressHash(db),
  ) {}

  /**
   * A hard bounce or complaint: the address is never mailed again, even after it is erased.
   * Idempotent: a provider's redelivery of the same event changes nothing the first did not.
   */
  async suppress(email: string, reason: string): Promise<void> {
    const address = normaliseAddress(email) ?? email.trim();
    const now = this.now();
    await this.db.batch([
      this.db
        .prepare(
          "INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (email_hash) DO NOTHING",
        )
        .bind(await this.hashes.of(addressKey(address)), reason, now),
      this.db
        .prepare(
          `UPDATE subscribers SET status = 'suppressed', pending_json = NULL, confirm_nonce = NULL, updated_at = ?2
           WHERE email_key = ?1 AND status != 'suppressed'`,
        )
        .bind(addressKey(address), now),
    ]);
  }
}
