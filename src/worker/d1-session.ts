// Read replicas through the D1 Sessions API. Each request runs its queries in one session, so
// they see the database only moving forward; the stores get one D1Database that sends each query
// to the current request's session (AsyncLocalStorage) or, outside a request (cron, queue), to the
// primary.
//
// - A write (any method but GET and HEAD) starts at the primary ("first-primary").
// - A request carrying `X-D1-Bookmark` (the header a write answers with) reads at least what that
//   write left: a publisher reads their own write, from any replica.
// - Any other request starts where this isolate's content version was read, when it still trusts
//   that version (store/version.ts keeps the bookmark with it), so its reads are never older than
//   the version its cache keys are made of; else on any replica ("first-unconstrained").

import { AsyncLocalStorage } from "node:async_hooks";

export const BOOKMARK_HEADER = "x-d1-bookmark";
const BOOKMARK_SHAPE = /^[0-9A-Za-z-]{1,256}$/;

interface RequestSession {
  session: D1DatabaseSession;
  /** The request asked to read its own write: no memo of an older version may answer it. */
  bookmarked: boolean;
}

const current = new AsyncLocalStorage<RequestSession>();

// One per database, so that everything keyed by the database object (the content version's memo)
// is shared by every Services built on it.
const wrapped = new WeakMap<D1Database, D1Database>();

/** A D1Database whose queries go to the current request's session, if any. */
export function sessionAware(db: D1Database): D1Database {
  let aware = wrapped.get(db);
  if (!aware) {
    aware = wrap(db);
    wrapped.set(db, aware);
  }
  return aware;
}

function wrap(db: D1Database): D1Database {
  const target = (): D1Database | D1DatabaseSession => current.getStore()?.session ?? db;
  return {
    prepare: (query: string) => target().prepare(query),
    batch: <T = unknown>(statements: D1PreparedStatement[]) => target().batch<T>(statements),
    exec: (query: string) => db.exec(query),
    withSession: (constraintOrBookmark?: string) => db.withSession(constraintOrBookmark),
    dump: () => db.dump(),
  } as D1Database;
}

/** Whether the request carries a bookmark to read its own write (so no older memo may answer it). */
export function readsOwnWrite(): boolean {
  return current.getStore()?.bookmarked ?? false;
}

/** The current session's bookmark, or null outside a session. */
export function currentBookmark(): string | null {
  return current.getStore()?.session.getBookmark() ?? null;
}

/** Whether a header value can be a D1 bookmark. */
export function isBookmark(value: string): boolean {
  return BOOKMARK_SHAPE.test(value);
}

/**
 * Runs `fn` with the request's queries in a session starting at `start` (a bookmark or a
 * constraint). A database without sessions (a test's wrapper) runs `fn` as it is.
 */
export function inSession<T>(db: D1Database, start: string, bookmarked: boolean, fn: () => Promise<T>): Promise<T> {
  if (typeof db.withSession !== "function") return fn();
  return current.run({ session: db.withSession(start), bookmarked }, fn);
}
