// Runs publish/web/static/search.js under Node for tests/web/test_search.py: the index folder
// (OUT/search) as argv[2], a JSON list of queries on stdin; prints {query: [href, ...]} and the
// normalised forms of the strings given when argv[2] is "normalise"; with argv[3] "pages", what
// search.html shows after each page of results.
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
  if (process.argv[3] === "pages") {
    // what search.html shows after each "more": [matches known, exact total or null, results shown]
    const answers = {};
    for (const text of input) {
      const query = await archive.query(search.normalise(text));
      const steps = [];
      do {
        await query.more(10);
        steps.push([query.found, query.total, query.shown]);
      } while (!query.done && steps.length < 100);
      answers[text] = steps;
    }
    process.stdout.write(JSON.stringify(answers));
    return;
  }
  const answers = {};
  for (const query of input) answers[query] = (await search.searchAll(archive, query)).map((doc) => doc.href);
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
