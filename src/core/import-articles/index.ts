// Reads one source document, whatever it is: RSS 2.0, Atom 1.0, JSON Feed, a WordPress export
// (WXR) or a Ghost export, told apart by their content. (A Substack export is a folder: see
// substack.ts.) Throws an ImportError naming the file when the document cannot be read at all;
// problems with single items are in the result.

import { readAtom, readJsonFeed, readRss } from "./feeds.js";
import { isGhostExport, readGhost } from "./ghost.js";
import { ImportError, type ImportedSource } from "./model.js";
import { readWordPress } from "./wordpress.js";
import { child, isElement, parseXml } from "./xml.js";

export { convertItem } from "./convert.js";
export type { ImportedItem, ImportedSource } from "./model.js";
export { ImportError } from "./model.js";
export { readSubstack } from "./substack.js";

export interface ReadOptions {
  /** A Ghost site's address, for its __GHOST_URL__ placeholders ("https://old.example"); "" keeps paths. */
  ghostUrl?: string;
}

export function readSource(text: string, file: string, options: ReadOptions = {}): ImportedSource {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(start);
    } catch (error) {
      throw new ImportError(`${file}: is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (isGhostExport(json)) return readGhost(json, file, options.ghostUrl ?? "");
    const data = json as Record<string, unknown>;
    if (typeof data.version === "string" && data.version.startsWith("https://jsonfeed.org/version/")) {
      return readJsonFeed(data, file);
    }
    throw new ImportError(
      `${file}: is JSON but neither a JSON Feed (no "version") nor a Ghost export (no "data.posts")`,
    );
  }
  if (!start.startsWith("<")) {
    throw new ImportError(
      `${file}: is neither XML (RSS, Atom, a WordPress export) nor JSON (JSON Feed, a Ghost export)`,
    );
  }
  const document = parseXml(start, file);
  const root = document.children.find(isElement);
  if (root?.name === "rss") {
    const channel = child(root, "channel");
    if (!channel) throw new ImportError(`${file}: <rss> has no <channel>`);
    return child(channel, "wp:wxr_version") ? readWordPress(channel, file) : readRss(channel, file);
  }
  if (root?.name === "feed") return readAtom(root, file);
  throw new ImportError(
    `${file}: the root element is <${root?.name ?? "nothing"}>, not <rss> (RSS 2.0, WordPress) or <feed> (Atom 1.0)`,
  );
}
