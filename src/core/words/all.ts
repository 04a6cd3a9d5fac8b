// Every area's words, by name: what the test that looks for English words left on Russian and
// Kazakh pages reads its word list from. An area's catalogue is added here when it is written.

import type { Catalogue } from "./catalogue.js";
import { digestsWords } from "./digests.js";
import { pagesWords } from "./pages.js";
import { siteWords } from "./site.js";
import { subscribeWords } from "./subscribe.js";
import { subscriberWords } from "./subscriber.js";

export const CATALOGUES: Readonly<Record<string, Catalogue<unknown>>> = {
  digests: digestsWords,
  pages: pagesWords,
  site: siteWords,
  subscribe: subscribeWords,
  subscriber: subscriberWords,
};
