// WebSub's one stored value: the publish time up to which the hourly run has pinged for
// scheduled articles (settings 'websub_pinged_until').

export class WebSubCutoff {
  constructor(private readonly db: D1Database) {}

  async get(): Promise<number | null> {
    const row = await this.db
      .prepare("SELECT value FROM settings WHERE key = 'websub_pinged_until'")
      .first<{ value: string }>();
    return row ? Number(row.value) : null;
  }

  async set(until: number): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('websub_pinged_until', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .bind(String(until))
      .run();
  }
}
