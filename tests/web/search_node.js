// Runs publish/web/static/search.js under Node for tests/web/test_search.py: the index folder
// (OUT/search) as argv[2], a JSON list of queries on stdin; prints {query: [href, ...]} and the
// normalised forms of argv[3..] code point ranges when asked ("normalise" mode).
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL, fileURLToPath } = require("url");
const search = require(path.resolve(__dirname, "../../publish/web/static/search.js"));

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  if (process.argv[2] === "normalise") {
    process.stdout.write(JSON.stringify(input.map(search.normalise)));
    return;
  }
  const index = pathToFileURL(path.join(process.argv[2], "index.json")).href;
  const read = async (url) => new Uint8Array(fs.readFileSync(fileURLToPath(url)));
  const archive = new search.Archive(index, read);
  const answers = {};
  for (const query of input) answers[query] = (await search.searchAll(archive, query)).map((doc) => doc.href);
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
