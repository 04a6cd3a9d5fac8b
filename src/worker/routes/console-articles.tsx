// The console's articles pages: the list by status, the editor, its preview, and delete with a
// confirmation. A save is the admin API's write (../articles.ts) of the JSON object the API would
// be sent (core/article-form.ts), so an edit here and a PUT are one and the same. Behind the
// console's guard (routes/console.tsx): sessions, no-store, and the Origin check on every POST.

import { type Context, Hono } from "hono";
import { served } from "../../core/article.js";
import {
  type ArticleFormValues,
  articleFromForm,
  BLANK_FORM,
  FORM_ACTIONS,
  type FormAction,
  formValues,
  readValues,
} from "../../core/article-form.js";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { ArticleError, type FieldError } from "../../core/errors.js";
import { isSlug } from "../../core/slug.js";
import { createArticle, putArticle, refuseFileArticle, removeArticle } from "../articles.js";
import { readForm } from "../body.js";
import type { AppEnv } from "../env.js";
import { fieldProblem, nothingAt } from "../errors.js";
import { type ArticleStatus, type StoredArticle, UniqueSlugError } from "../store/articles.js";
import { articlePage } from "../views/article.js";
import { render } from "../views/components.js";
import { ArticleDeletePage, ArticleEditorPage, ArticleListPage, statusOf } from "../views/console/articles.js";
import { pageContext } from "../views/page-context.js";
import { MAX_BODY_BYTES } from "./admin.js";

export const consoleArticles = new Hono<AppEnv>();

const PAGE = 50;
const STATUSES: readonly ArticleStatus[] = ["published", "scheduled", "draft"];
// The form carries the body and a few short fields: the API's limit, and room for the rest.
const FORM_MAX_BYTES = MAX_BODY_BYTES + 64 * 1024;

type Ctx = Context<AppEnv>;

const html = (c: Ctx, body: string, status: 200 | 400 = 200) =>
  c.body(body, status, { "content-type": "text/html; charset=utf-8" });

/** The article a path names (drafts and scheduled ones too), or the 404 page. */
async function articleAt(c: Ctx): Promise<StoredArticle> {
  const slug = c.req.param("slug") ?? "";
  const found = isSlug(slug) ? await c.var.services.articles.getAny(slug) : null;
  if (!found) throw nothingAt(c.req.path);
  return found;
}

consoleArticles.get("/admin/articles", async (c) => {
  const s = c.var.services;
  const status = c.req.query("status") ?? "published";
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw fieldProblem({ field: "status", message: "must be published, scheduled or draft" });
  }
  const given = c.req.query("cursor");
  const cursor = given === undefined ? null : decodeCursor(given);
  if (given !== undefined && cursor?.direction !== "after") {
    throw fieldProblem({ field: "cursor", message: "must be a cursor from a link on this page" });
  }
  const page = await s.articles.byStatus(status as ArticleStatus, cursor, PAGE, s.now());
  const deleted = c.req.query("deleted");
  return html(
    c,
    await render(
      <ArticleListPage
        site={s.site}
        timeZone={s.digest.timeZone}
        status={status as ArticleStatus}
        items={page.items}
        next={page.next ? `/admin/articles?status=${status}&cursor=${encodeCursor(page.next)}` : null}
        notice={deleted !== undefined && isSlug(deleted) ? `The article "${deleted}" was deleted.` : undefined}
      />,
    ),
  );
});

/** The editor: empty, an article's own fields, or a form sent back with what was wrong (400). */
async function editor(
  c: Ctx,
  existing: StoredArticle | null,
  values: ArticleFormValues,
  errors: FieldError[] = [],
  notice?: string,
) {
  const s = c.var.services;
  const page = await render(
    <ArticleEditorPage
      site={s.site}
      timeZone={s.digest.timeZone}
      values={values}
      existing={existing}
      status={existing ? statusOf(existing, s.now()) : null}
      errors={errors}
      notice={notice}
    />,
  );
  return html(c, page, errors.length > 0 ? 400 : 200);
}

const SAVED: Record<string, string> = {
  draft: "Saved as a draft: it shows nowhere public.",
  published: "Published: it is on the site and in the feeds.",
  scheduled: "Scheduled: it appears on the site and in the feeds at its time.",
};

consoleArticles.get("/admin/articles/new", (c) => editor(c, null, BLANK_FORM));

consoleArticles.get("/admin/articles/:slug/edit", async (c) => {
  const existing = await articleAt(c);
  const saved = SAVED[c.req.query("saved") ?? ""];
  return editor(c, existing, formValues(existing, c.var.services.digest.timeZone), [], saved);
});

/** A submitted editor form: its values, the action asked for, and the article it makes (or the errors). */
async function submitted(c: Ctx, existing: StoredArticle | null) {
  const s = c.var.services;
  const form = await readForm(c.req.raw, { max: FORM_MAX_BYTES });
  const values = readValues(form);
  const action = FORM_ACTIONS.find((a) => a === form.action);
  if (!action) throw fieldProblem({ field: "action", message: "must be draft, publish, schedule or preview" });
  try {
    const article = articleFromForm(values, action, {
      siteUrl: s.site.siteUrl,
      now: s.now(),
      timeZone: s.digest.timeZone,
      existing,
    });
    return { values, action, article, errors: [] };
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    return { values, action, article: null, errors: error.errors };
  }
}

const savedAs = (action: FormAction) =>
  action === "draft" ? "draft" : action === "schedule" ? "scheduled" : "published";

consoleArticles.post("/admin/articles/new", async (c) => {
  const { values, action, article, errors } = await submitted(c, null);
  if (!article) return editor(c, null, values, errors);
  try {
    await createArticle(c, article);
  } catch (error) {
    if (!(error instanceof UniqueSlugError)) throw error;
    const field = values.slug.trim() === "" ? "title" : "slug";
    const taken = `makes the slug "${article.slug}", which another article has: choose another slug`;
    return editor(c, null, values, [{ field, message: field === "slug" ? "is taken by another article" : taken }]);
  }
  return c.redirect(`/admin/articles/${article.slug}/edit?saved=${savedAs(action)}`, 303);
});

consoleArticles.post("/admin/articles/:slug/edit", async (c) => {
  const existing = await articleAt(c);
  // As the API: an article from content/ belongs to its file (409, naming it).
  refuseFileArticle(existing);
  const { values, action, article, errors } = await submitted(c, existing);
  if (!article) return editor(c, existing, values, errors);
  await putArticle(c, article);
  return c.redirect(`/admin/articles/${article.slug}/edit?saved=${savedAs(action)}`, 303);
});

/**
 * The preview is the site's own article page, built from the form without saving: a POST that
 * answers with the page itself (the editor opens it in a new tab, keeping the form as it was).
 */
async function preview(c: Ctx, existing: StoredArticle | null) {
  const s = c.var.services;
  const { values, article, errors } = await submitted(c, existing);
  if (!article) return editor(c, existing, values, errors);
  const shown: StoredArticle = { ...article, id: existing?.id ?? 0, source: "api", sourcePath: null };
  const page = await articlePage(pageContext(s), served(shown, s.site.siteUrl));
  return html(c, page);
}

consoleArticles.post("/admin/articles/preview", (c) => preview(c, null));
consoleArticles.post("/admin/articles/:slug/preview", async (c) => preview(c, await articleAt(c)));

consoleArticles.get("/admin/articles/:slug/delete", async (c) => {
  const article = await articleAt(c);
  refuseFileArticle(article);
  return html(c, await render(<ArticleDeletePage site={c.var.services.site} article={article} />));
});

consoleArticles.post("/admin/articles/:slug/delete", async (c) => {
  const article = await articleAt(c);
  await removeArticle(c, article.slug);
  return c.redirect(`/admin/articles?status=${statusOf(article, c.var.services.now())}&deleted=${article.slug}`, 303);
});
