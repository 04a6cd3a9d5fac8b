// The console's articles pages: the list by status, the editor (new or existing, read-only for an
// article from content/), and the confirmation before a delete.

import type { ArticleFormValues } from "../../../core/article-form.js";
import type { SiteConfig } from "../../../core/config.js";
import type { FieldError } from "../../../core/errors.js";
import type { ArticleStatus, StoredArticle } from "../../store/articles.js";
import { ErrorSummary, type FieldMessage, fieldError } from "../subscriber-fields.js";
import { ConsoleLayout, dateTime, Notice } from "./layout.js";

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  published: "Published",
  scheduled: "Scheduled",
  draft: "Draft",
};
const TABS: [ArticleStatus, string][] = [
  ["published", "Published"],
  ["scheduled", "Scheduled"],
  ["draft", "Drafts"],
];

export const statusOf = (a: StoredArticle, now: number): ArticleStatus =>
  a.draft ? "draft" : a.publishedAt > now ? "scheduled" : "published";

export interface ArticleListProps {
  site: SiteConfig;
  timeZone: string;
  status: ArticleStatus;
  items: StoredArticle[];
  /** The URL of the next (older) page, if there is one. */
  next: string | null;
  notice?: string;
}

export function ArticleListPage(props: ArticleListProps) {
  return (
    <ConsoleLayout site={props.site} title="Articles" signedIn={true}>
      <h1>Articles</h1>
      <Notice text={props.notice} />
      <p>
        <a href="/admin/articles/new">Write a new article</a>
      </p>
      <nav aria-label="Article status">
        {TABS.map(([status, label], i) => (
          <>
            {i > 0 ? " · " : null}
            {status === props.status ? (
              <strong aria-current="page">{label}</strong>
            ) : (
              <a href={`/admin/articles?status=${status}`}>{label}</a>
            )}
          </>
        ))}
      </nav>
      {props.items.length === 0 ? (
        <p>No {STATUS_LABELS[props.status].toLowerCase()} articles.</p>
      ) : (
        <div class="table">
          <table class="data stack">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Date ({props.timeZone})</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((a) => (
                <tr data-slug={a.slug}>
                  <td class="wrap">
                    <a href={`/admin/articles/${a.slug}/edit`}>{a.title}</a>
                  </td>
                  <td data-label="Status">{STATUS_LABELS[props.status]}</td>
                  <td data-label="Date">
                    <time datetime={new Date(a.publishedAt).toISOString()}>
                      {dateTime(props.timeZone, false)(a.publishedAt)}
                    </time>
                  </td>
                  <td data-label="Tags" class="wrap">
                    {a.tags.map((t) => t.name).join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.next !== null ? (
        <nav class="pager" aria-label="Pages">
          <a href={`/admin/articles?status=${props.status}`}>Newest</a>
          <a href={props.next} rel="next">
            Older articles
          </a>
        </nav>
      ) : null}
    </ConsoleLayout>
  );
}

export interface ArticleEditorProps {
  site: SiteConfig;
  timeZone: string;
  values: ArticleFormValues;
  /** The article edited, or null for a new one. */
  existing: StoredArticle | null;
  status: ArticleStatus | null;
  errors: FieldError[];
  notice?: string;
}

/** Fields the form has an input for; errors about others are listed above the form. */
const FORM_FIELDS = new Set(["title", "slug", "date", "authors", "tags", "summary", "image", "image_alt", "body"]);

export function ArticleEditorPage(props: ArticleEditorProps) {
  const { values, existing, errors } = props;
  const file = existing?.source === "file" ? (existing.sourcePath ?? "content/") : null;
  const base = existing ? `/admin/articles/${existing.slug}` : "/admin/articles";
  const title = existing ? `Edit: ${existing.title}` : "New article";
  const error = (field: string) => fieldError(errors, field, `article-${field.replace("_", "-")}`);
  const elsewhere = errors.filter((e) => !FORM_FIELDS.has(e.field));
  // The same fields, in the form or (for an article from content/) shown read-only.
  const fields = (
    <>
      <Field label="Title" id="article-title" error={error("title")}>
        <input type="text" id="article-title" name="title" value={values.title} {...error("title").attributes} />
      </Field>
      {existing ? null : (
        <Field
          label="Slug"
          id="article-slug"
          hint="Its address: /articles/<slug>. Leave empty to make it from the title; it cannot change later."
          error={error("slug")}
        >
          <input type="text" id="article-slug" name="slug" value={values.slug} {...error("slug").attributes} />
        </Field>
      )}
      <Field
        label={`Date and time (${props.timeZone})`}
        id="article-date"
        hint={`In the site's zone, ${props.timeZone}. "Publish now" uses now when it is empty or later; "Schedule" needs a time after now.`}
        error={error("date")}
      >
        <input
          type="datetime-local"
          id="article-date"
          name="date"
          step="1"
          value={values.date}
          {...error("date").attributes}
        />
      </Field>
      <Field label="Authors" id="article-authors" hint="Names, separated by commas." error={error("authors")}>
        <input
          type="text"
          id="article-authors"
          name="authors"
          value={values.authors}
          {...error("authors").attributes}
        />
      </Field>
      <Field label="Tags" id="article-tags" hint="Names, separated by commas." error={error("tags")}>
        <input type="text" id="article-tags" name="tags" value={values.tags} {...error("tags").attributes} />
      </Field>
      <Field
        label="Summary"
        id="article-summary"
        hint="Plain text. Leave empty to take it from the body."
        error={error("summary")}
      >
        <textarea id="article-summary" name="summary" rows={3} style={TEXTAREA} {...error("summary").attributes}>
          {values.summary}
        </textarea>
      </Field>
      <Field
        label="Image URL"
        id="article-image"
        hint="Absolute, or relative to this site (/images/...)."
        error={error("image")}
      >
        <input type="text" id="article-image" name="image" value={values.image} {...error("image").attributes} />
      </Field>
      <Field label="Image alt text" id="article-image-alt" hint="Required with an image." error={error("image_alt")}>
        <input
          type="text"
          id="article-image-alt"
          name="image_alt"
          value={values.image_alt}
          {...error("image_alt").attributes}
        />
      </Field>
      <fieldset>
        <legend>The body is written in</legend>
        <label>
          <input type="radio" name="format" value="markdown" checked={values.format === "markdown"} /> Markdown
        </label>{" "}
        <label>
          <input type="radio" name="format" value="html" checked={values.format === "html"} /> HTML
        </label>
      </fieldset>
      <Field
        label="Body"
        id="article-body"
        hint={
          existing
            ? "A stored article keeps its HTML, not the Markdown it was written in: edit the HTML, or write it again in Markdown."
            : undefined
        }
        error={error("body")}
      >
        <textarea id="article-body" name="body" rows={20} style={TEXTAREA} {...error("body").attributes}>
          {values.body}
        </textarea>
      </Field>
    </>
  );
  return (
    <ConsoleLayout site={props.site} title={title} signedIn={true}>
      <p class="meta">
        <a href="/admin/articles">Articles</a>
        {existing && props.status ? (
          <>
            {" "}
            · {STATUS_LABELS[props.status]}
            {props.status === "published" ? (
              <>
                {" "}
                · <a href={`/articles/${existing.slug}`}>View on the site</a>
              </>
            ) : null}
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      {file !== null ? (
        <p class="warning" role="note">
          This article comes from {file}: the next content sync overwrites an edit made here. Edit {file} and run{" "}
          <code>npm run content:sync</code> instead; the console, like the API, does not change or delete it.
        </p>
      ) : null}
      {errors.length > 0 ? (
        <ErrorSummary lead="The article was not saved: correct the fields marked below." elsewhere={elsewhere} />
      ) : null}
      {file !== null ? (
        // Shown, not editable: the file is where this article is written.
        <fieldset disabled>
          <legend>As stored (read-only)</legend>
          {fields}
        </fieldset>
      ) : (
        <form method="post" action={existing ? `${base}/edit` : "/admin/articles/new"}>
          {fields}
          <p class="actions">
            <button type="submit" name="action" value="draft">
              Save draft
            </button>{" "}
            <button type="submit" name="action" value="publish">
              Publish now
            </button>{" "}
            <button type="submit" name="action" value="schedule">
              Schedule
            </button>{" "}
            <button type="submit" name="action" value="preview" formaction={`${base}/preview`} formtarget="_blank">
              Preview
            </button>
          </p>
        </form>
      )}
      {existing && file === null ? (
        <p>
          <a href={`${base}/delete`}>Delete this article</a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}

const TEXTAREA = "width:100%;font:inherit;padding:.4rem .5rem;box-sizing:border-box";

function Field(props: {
  label: string;
  id: string;
  hint?: string | undefined;
  error: FieldMessage;
  children: unknown;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? <p class="muted hint">{props.hint}</p> : null}
      {props.children}
      {props.error.message}
    </div>
  );
}

export function ArticleDeletePage(props: { site: SiteConfig; article: StoredArticle }) {
  const { article } = props;
  return (
    <ConsoleLayout site={props.site} title={`Delete ${article.title}`} signedIn={true}>
      <p class="meta">
        <a href="/admin/articles">Articles</a>
      </p>
      <h1>Delete {article.title}?</h1>
      <p>Its page, feeds entry and search entry go. This cannot be undone.</p>
      <form method="post" action={`/admin/articles/${article.slug}/delete`}>
        <button type="submit">Delete the article</button> <a href={`/admin/articles/${article.slug}/edit`}>Keep it</a>
      </form>
    </ConsoleLayout>
  );
}
