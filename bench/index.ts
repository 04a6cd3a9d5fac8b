// `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the
// same run. Ratio > 1 means ours is faster (or, for requests, serves more per second).
// `npm run bench -- --scale` runs only the scale benchmark (bench/scale.ts): every public route
// at 30 and 100 000 articles, and the console at 40 and 100 000 subscribers. Each writes what it printed into its section of docs/benchmarks.md.

import { run as adversarial } from "./adversarial.js";
import { run as archive } from "./archive.js";
import { run as delivery } from "./delivery.js";
import { run as digest } from "./digest.js";
import { run as subscriberExport } from "./export.js";
import { run as http } from "./http.js";
import { run as importArticles } from "./import-articles.js";
import { run as importSubscribers, localImport } from "./import-subscribers.js";
import { run as render } from "./render.js";
import { recordOutput } from "./results.js";
import { run as scale } from "./scale.js";
import { run as timeZones } from "./time-zones.js";

const scaleOnly = process.argv.includes("--scale");
const args = process.argv.slice(2);
const results = recordOutput(args.length > 0 ? `npm run bench -- ${args.join(" ")}` : "npm run bench");

if (scaleOnly) {
  console.log("Every public route at 30 and 100 000 articles (ms per request):");
  await scale();
} else {
  console.log("Feed render, 50 full-content items (ms per render):");
  render();
  console.log("\nTime zone list with current offsets (ms per list):");
  timeZones();
  console.log("\nDigest render (ms per render):");
  await digest();
  console.log("\nDigest archive, a full year with headlines (ms per page):");
  await archive();
  console.log("\nRequest path, Worker on its own workerd socket (requests per second):");
  await http();
  console.log("\nAdversarial 1 MB article bodies, whole article pipeline (ms per article):");
  adversarial();
  console.log("\nArticle import, adversarial 1 MB content and feed documents (ms per item or document):");
  importArticles();
  console.log("\nSubscriber import: adversarial 1 MB CSV through the reader, and a 100 000-row export (ms per file):");
  importSubscribers();
  localImport();
  console.log("\nScheduled delivery, one edition to 5 000 subscribers in 20 tag groups (messages per second):");
  await delivery();
  console.log("\nSubscriber export, 100 000 subscribers through the Worker's formatting (ms per export):");
  await subscriberExport();
}

results.write(scaleOnly ? "scale" : "all");
