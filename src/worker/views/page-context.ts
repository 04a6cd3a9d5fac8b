// What every page view is given, apart from its own data.

import type { SiteConfig } from "../../core/config.js";

/** What every page needs: the site, and the zone its dates are shown in. */
export interface PageContext {
  site: SiteConfig;
  timeZone: string;
}

/** The page context of the services at hand: the site's settings and the digests' zone. */
export const pageContext = (s: { site: SiteConfig; digest: { timeZone: string } }): PageContext => ({
  site: s.site,
  timeZone: s.digest.timeZone,
});
