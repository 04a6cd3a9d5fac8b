// The services an export comes from, as a publisher reads them: in a report, and in the consent
// record of each subscriber an import brings in ("import: Substack").

import type { Source } from "./sources.js";

const NAMES: Record<Source, string> = {
  mailchimp: "Mailchimp",
  substack: "Substack",
  buttondown: "Buttondown",
  ghost: "Ghost",
  listmonk: "listmonk",
  "edge-feeds": "an export of another site like this one",
  plain: "a plain list",
};

export function serviceName(source: Source | null): string {
  return source ? NAMES[source] : "an unknown source";
}
