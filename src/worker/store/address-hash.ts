// The salted hash under which addresses and IPs are stored where their clear text must not be:
// a suppression's address, a sign-up's IP. Shared by subscribers.ts and suppressions.ts.

export class AddressHash {
  private salt?: Promise<CryptoKey>;

  constructor(private readonly db: D1Database) {}

  /** HMAC-SHA-256 under this database's salt, in hex: addresses and IPs are never stored this way in the clear. */
  async of(value: string): Promise<string> {
    this.salt ??= this.loadSalt();
    const key = await this.salt.catch((error: unknown) => {
      this.salt = undefined; // a failed read is retried by the next call
      throw error;
    });
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value));
    return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  private async loadSalt(): Promise<CryptoKey> {
    const row = await this.db
      .prepare("SELECT value FROM settings WHERE key = 'address_salt'")
      .first<{ value: string }>();
    if (!row) throw new Error("settings.address_salt is missing: apply the D1 migrations");
    return crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(row.value),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }
}
