// Every article for `npm run export`, drafts and scheduled ones included, in keyset pages by id
// with their HTML: as stored, site URLs still marked (see core/article.ts).

import { fromRow, META_COLUMNS, type Row, type StoredArticle } from "./articles.js";
import type { ExportPage } from "./subscriber-export.js";

export class ArticleExport {
  constructor(private readonly db: D1Database) {}

  /** Articles with an id above `afterId`, in id order, at most `limit`. */
  async page(afterId: number, limit: number): Promise<ExportPage<StoredArticle, number>> {
    const { results } = await this.db
      .prepare(`SELECT ${META_COLUMNS}, a.content_html FROM articles a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2`)
      .bind(afterId, limit + 1)
      .all<Row>();
    const items = results.slice(0, limit).map(fromRow);
    return { items, next: results.length > limit ? (items.at(-1)?.id ?? null) : null };
  }
}
