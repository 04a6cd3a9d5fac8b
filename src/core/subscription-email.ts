// The confirmation email of the double opt-in: subject, preheader, HTML (the MJML-compiled
// confirm template, filled by core/template.ts, which escapes every value) and a plain-text part
// written from the same data. In the site's language. It is not list mail: no unsubscribe link
// (nobody is subscribed by it), only a footer saying why the address got it.

import { messages } from "./i18n.js";
import { fillTemplate, type Segment } from "./template.js";
import { wrapWords } from "./text.js";

export interface ConfirmationInput {
  site: { title: string; url: string; language: string };
  /** The signed link to the confirmation page. */
  confirmUrl: string;
  /** The address is already subscribed: the link confirms new preferences. */
  existing: boolean;
  /** How long the link works, in hours; 48 unless the token says otherwise. */
  validForHours?: number;
}

export interface RenderedConfirmation {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export function renderConfirmation(input: ConfirmationInput, template: readonly Segment[]): RenderedConfirmation {
  const { site, confirmUrl, existing } = input;
  const words = messages(site.language);
  const hours = input.validForHours ?? 48;
  const siteUrl = `${site.url.replace(/\/+$/, "")}/`;
  const view = {
    lang: site.language,
    subject: words.confirmSubject(site.title, existing),
    preheader: words.confirmPreheader(site.title, existing, hours),
    heading: words.confirmHeading(existing),
    greeting: words.greeting,
    intro: words.confirmIntro(site.title, existing),
    confirm_url: confirmUrl,
    button_label: words.confirmButton(existing),
    expires: words.confirmExpires(hours),
    link_note: words.confirmLinkFallback,
    ignore_note: words.confirmIgnore(existing),
    reason: words.confirmReason(site.title),
    site_title: site.title,
    site_url: siteUrl,
  };
  const text = [
    view.greeting,
    "",
    ...wrapWords(view.intro, 72),
    "",
    ...wrapWords(words.confirmOpenLink, 72),
    "",
    // On a line of its own and never wrapped, so every client makes the whole of it a link.
    confirmUrl,
    "",
    ...wrapWords(view.expires, 72),
    "",
    ...wrapWords(view.ignore_note, 72),
    "",
    "--",
    ...wrapWords(view.reason, 72),
    `${site.title}: ${siteUrl}`,
    "",
  ].join("\n");
  return { subject: view.subject, preheader: view.preheader, html: fillTemplate(template, view), text };
}
