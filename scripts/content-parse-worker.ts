// A content sync parse thread (see content-parse.ts): parses each slice of files it is sent and
// answers with the results in the same order.

import { parentPort } from "node:worker_threads";
import { parseContentFile } from "../src/core/content.js";
import type { ParseRequest } from "./content-parse.js";

parentPort?.on("message", ({ files, siteUrl }: ParseRequest) => {
  parentPort?.postMessage(files.map((file) => parseContentFile(file, siteUrl)));
});
