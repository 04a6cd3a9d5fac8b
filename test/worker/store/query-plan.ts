// The rule the query-plan test applies: given a statement and the `detail` lines of its
// EXPLAIN QUERY PLAN, the reasons it reads rows in proportion to the store (none when it does not).
// SQLite plans carry no row counts, so the rule judges the shape of each access:
// - a `SEARCH` on a key (`slug=?`, `rowid=?`, `article_id=?`) or on a range closed at both ends
//   reads a bounded slice (the store's closed ranges are a digest's day or week, and a keyset
//   page's span from its cursor, which its LIMIT stops);
// - a `SCAN t USING [COVERING] INDEX i`, a `SEARCH` open at one end (`published_at<?`) or one on a
//   group that grows with the store (`tag_slug=?`: every article of a tag) walks rows without
//   bound: fine only when a LIMIT stops it, which it can only do when the rows come out in the
//   order asked (no temp B-tree sorts them first);
// - a bare `SCAN t` reads the whole table, LIMIT or not; an automatic index is built by one;
// - a GROUP BY over a link table (article_tags, article_authors) reads every row of each group.
// Scans of json_each (bound lists, an article's own JSON), of a subquery's result (its own plan
// lines are judged) and of the constant row are fine. The LIMIT and GROUP BY are taken from the
// statement's text as a whole: enough for the store's statements, which nest at most one level.

/**
 * Columns one value of which covers a share of a store: a tag's or an author's articles, an
 * edition's deliveries (one per recipient), the subscribers or deliveries in one status.
 */
export const GROUP_COLUMNS: ReadonlySet<string> = new Set(["tag_slug", "author_slug", "draft", "edition", "status"]);

// Table or index names (`x USING INDEX article_tags_by_date` names an alias and the index).
const LINK_TABLES = /article_(?:tags|authors)/;

export function fullScanReasons(sql: string, plan: readonly string[]): string[] {
  const limited = /\bLIMIT\b/i.test(sql);
  const sorted = plan.some((line) => line.startsWith("USE TEMP B-TREE"));
  const stops = limited && !sorted;
  const why = limited ? "(a temp B-tree sorts first, so the LIMIT cannot stop it)" : "(no LIMIT stops it)";
  const reasons: string[] = [];
  for (const line of plan) {
    if (/\bAUTOMATIC\b.*\bINDEX\b/.test(line)) {
      reasons.push(`${line}: builds an index by reading the whole table`);
    } else if (line.startsWith("SCAN ")) {
      const target = line.slice("SCAN ".length);
      if (/ VIRTUAL TABLE\b/.test(target) || target === "CONSTANT ROW" || /^\(subquery-\d+\)/.test(target)) continue;
      if (!/ USING (?:COVERING )?INDEX /.test(target)) reasons.push(`${line}: reads the whole table`);
      else if (!stops) reasons.push(`${line}: walks the whole index ${why}`);
    } else if (line.startsWith("SEARCH ")) {
      if (unbounded(line) && !stops) reasons.push(`${line}: walks rows without bound ${why}`);
    }
  }
  if (/\bGROUP BY\b/i.test(sql) && plan.some((line) => LINK_TABLES.test(line))) {
    reasons.push("GROUP BY over a link table: reads every row of each group");
  }
  return reasons;
}

/**
 * Whether a SEARCH's constraints leave its rows unbounded: no equality on a key, and no range
 * closed at both ends. SQLite prints `<` and `>` for `<=` and `>=` too.
 */
function unbounded(line: string): boolean {
  const constraints = /\((.*)\)$/.exec(line)?.[1];
  if (constraints === undefined) return false;
  const terms = constraints.split(" AND ").flatMap((t) => {
    // `col<?`, or a row value from a keyset cursor, `(published_at,article_id)>(?,?)`: its first column.
    const m = /^(?:\(([\w.]+)[\w.,]*\)|([\w.]+))([<>=])/.exec(t);
    return m ? [{ column: m[1] ?? m[2] ?? "", op: m[3] }] : [];
  });
  if (terms.some((t) => t.op === "=" && !GROUP_COLUMNS.has(t.column))) return false;
  const above = new Set(terms.filter((t) => t.op === ">").map((t) => t.column));
  return !terms.some((t) => t.op === "<" && above.has(t.column));
}
