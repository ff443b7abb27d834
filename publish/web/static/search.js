/* Search of the archive (search.html): exact substring search in Chinese over the static index
   publish/web/search.py writes (its docstring describes the files). A query of 1-3 characters is
   one gram whose list is the exact answer; a longer one intersects the lists of some of its
   trigrams and checks each candidate shown against the article's text. Only the shards, document
   chunks and texts a query needs are fetched, relative to the page (any sub-path works).
   Markup it expects: <form> holding <input id="q" name="q" type="search">, <p id="status"
   role="status" aria-live="polite">, <ol id="results"> (optional data-index: the index URL).
   Also runs under Node (module.exports) for the tests, given a function that fetches bytes. */
(function () {
  "use strict";

  // Whitespace dropped by normalise(): the same class as search.py's _SPACE.
  const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

  /** Text as search compares it: NFKC, lower case, no whitespace (search.py's normalise). */
  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().replace(SPACE, "");
  }

  const CRC_TABLE = (function () {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();
  const ENCODER = new TextEncoder();

  /** CRC-32 of the text's UTF-8 (zlib.crc32): which shard holds a gram. */
  function crc32(text) {
    let c = 0xffffffff;
    for (const byte of ENCODER.encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function readVarint(bytes, at) {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return [value, at];
      scale *= 128;
    }
  }

  /** A gram list: delta varints (first id, then gaps less one) or a bitmap (low bit first). */
  function decodeList(bytes, bitmap) {
    const ids = [];
    if (bitmap) {
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) if ((bytes[i] >> bit) & 1) ids.push(i * 8 + bit);
      }
      return ids;
    }
    let at = 0;
    let id = -1;
    while (at < bytes.length) {
      const [gap, next] = readVarint(bytes, at);
      id += gap + 1;
      ids.push(id);
      at = next;
    }
    return ids;
  }

  /** The ascending document ids of `gram` in a shard ([] when it is not there). */
  function lookup(shard, gram) {
    let at = 0;
    while (at < shard.length) {
      const units = shard[at++];
      let same = units === gram.length;
      for (let i = 0; same && i < units; i++) same = (shard[at + 2 * i] | (shard[at + 2 * i + 1] << 8)) === gram.charCodeAt(i);
      at += 2 * units;
      const [head, start] = readVarint(shard, at);
      const size = Math.floor(head / 2);
      if (same) return decodeList(shard.subarray(start, start + size), head % 2 === 1);
      at = start + size;
    }
    return [];
  }

  function intersect(a, b) {
    const both = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else {
        both.push(a[i]);
        i++;
        j++;
      }
    }
    return both;
  }

  /** A long query's trigrams in the order their lists are intersected: the first and the last,
      then the others from the middle out (each list narrows the candidates further). */
  function trigrams(chars) {
    const count = chars.length - 2;
    const order = [0, count - 1];
    const middle = [];
    for (let i = 1; i < count - 1; i++) middle.push(i);
    middle.sort((x, y) => Math.abs(2 * x - count + 1) - Math.abs(2 * y - count + 1) || x - y);
    const grams = [...order, ...middle].map((at) => chars.slice(at, at + 3).join(""));
    return Array.from(new Set(grams));
  }

  /** The archive's index at `indexUrl`; `fetchBytes(url)` resolves to a Uint8Array. */
  class Archive {
    constructor(indexUrl, fetchBytes) {
      this.indexUrl = indexUrl;
      this.fetchBytes = fetchBytes;
      this.cache = new Map();
      this.index = null;
    }

    bytes(path) {
      const url = new URL(path, this.indexUrl).href;
      if (!this.cache.has(url)) {
        const pending = this.fetchBytes(url);
        pending.catch(() => this.cache.delete(url));
        this.cache.set(url, pending);
      }
      return this.cache.get(url);
    }

    async load() {
      if (!this.index) {
        const data = await this.bytes(this.indexUrl);
        this.index = JSON.parse(new TextDecoder().decode(data));
      }
      return this.index;
    }

    async postings(segment, gram) {
      const shard = await this.bytes(`${segment.folder}/s/${crc32(gram) % segment.shards}.bin`);
      return lookup(shard, gram);
    }

    async contains(segment, id, query) {
      const text = new TextDecoder("utf-16le").decode(await this.bytes(`${segment.folder}/t/${id}.u16`));
      return text.includes(query);
    }

    async doc(segment, id) {
      const chunk = JSON.parse(new TextDecoder().decode(await this.bytes(`${segment.folder}/d/${Math.floor(id / segment.chunk)}.json`)));
      const [issue, part, title, page] = chunk.docs[id % segment.chunk];
      const [key, paper, date] = chunk.issues[issue];
      const path = (name) => name.replace(/[%#?]/g, encodeURIComponent); // characters a relative URL would misread
      return { href: `${path(key)}/${path(part)}/index.html`, issue: key, part, title, paper, date, page };
    }

    /** Start a query (already normalised). A short one reads its gram's list in every segment
        (the exact answer and count); a long one is read segment by segment as pages are shown. */
    async query(query) {
      const index = await this.load();
      const chars = Array.from(query);
      if (chars.length > 3) return new LongQuery(this, query, index.segments, trigrams(chars));
      const lists = await Promise.all(index.segments.map((segment) => this.postings(segment, query)));
      const matches = [];
      lists.forEach((ids, at) => ids.forEach((id) => matches.push([index.segments[at], id])));
      return new ShortQuery(this, matches);
    }

    /** A long query's candidates in one segment: the first and last trigrams' lists intersected,
        narrowed by further trigrams while more than one candidate is left (a shard costs about
        what one candidate's text does). */
    async candidates(segment, grams) {
      const [first, last] = await Promise.all(grams.slice(0, 2).map((gram) => this.postings(segment, gram)));
      let ids = last ? intersect(first, last) : first;
      for (let next = 2; ids.length > 1 && next < grams.length; next++) ids = intersect(ids, await this.postings(segment, grams[next]));
      return ids;
    }
  }

  /** A query of 1-3 characters: every match is known at once, so `total` is exact. */
  class ShortQuery {
    constructor(archive, matches) {
      this.archive = archive;
      this.matches = matches;
      this.found = matches.length;
      this.total = matches.length;
      this.shown = 0;
    }

    get done() {
      return this.shown === this.found;
    }

    /** The next `count` results (documents). */
    async more(count) {
      const page = this.matches.slice(this.shown, this.shown + count);
      this.shown += page.length;
      return Promise.all(page.map(([segment, id]) => this.archive.doc(segment, id)));
    }
  }

  /** A longer query: candidates are checked against the article texts, newest segment first, as
      results are asked for; `total` is null (only "at least `found`" is known) until every
      segment's candidates are checked. One call checks at most `limit` texts. */
  class LongQuery {
    constructor(archive, text, segments, grams) {
      this.archive = archive;
      this.text = text;
      this.segments = segments;
      this.grams = grams;
      this.next = 0; // the next segment to read
      this.wave = 2; // how many segments the next read takes
      this.queue = []; // candidates of the segments read, not yet checked
      this.matches = [];
      this.found = 0;
      this.shown = 0;
    }

    get total() {
      return this.next === this.segments.length && this.queue.length === 0 ? this.found : null;
    }

    get done() {
      return this.total !== null && this.shown === this.found;
    }

    /** Read the next segments' candidates: 2, then 4, 8 … segments at a time (in parallel), so a
        common phrase reads only the newest two and a rare one needs few round trips. */
    async read() {
      const wave = this.segments.slice(this.next, this.next + this.wave);
      this.next += wave.length;
      this.wave *= 2;
      for (const ahead of this.segments.slice(this.next, this.next + this.wave)) {
        for (const gram of this.grams.slice(0, 2)) this.archive.postings(ahead, gram).catch(() => null); // the next wave's, while this one is checked
      }
      const lists = await Promise.all(wave.map((segment) => this.archive.candidates(segment, this.grams)));
      lists.forEach((ids, at) => ids.forEach((id) => this.queue.push([wave[at], id])));
    }

    /** The next `count` results (documents), reading segments and checking candidates as needed. */
    async more(count, limit = 2 * count) {
      let checked = 0;
      while (this.found - this.shown < count && checked < limit && (this.queue.length || this.next < this.segments.length)) {
        if (!this.queue.length) {
          await this.read();
          continue;
        }
        const batch = this.queue.splice(0, Math.min(count - (this.found - this.shown), limit - checked));
        checked += batch.length;
        if (batch.length <= 3) batch.forEach(([segment, id]) => this.archive.doc(segment, id).catch(() => null)); // few: likely shown, fetch its row meanwhile
        const ok = await Promise.all(batch.map(([segment, id]) => this.archive.contains(segment, id, this.text)));
        batch.forEach((candidate, i) => ok[i] && this.matches.push(candidate));
        this.found = this.matches.length;
      }
      const page = this.matches.slice(this.shown, this.shown + count);
      this.shown += page.length;
      return Promise.all(page.map(([segment, id]) => this.archive.doc(segment, id)));
    }
  }

  /** Every result of a query (for tests and tools): the documents in order. */
  async function searchAll(archive, text) {
    const query = await archive.query(normalise(text));
    const docs = [];
    while (!query.done) docs.push(...(await query.more(1000, Infinity)));
    return docs;
  }

  function fetchBytes(url) {
    return fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    });
  }

  function resultItem(doc) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = doc.href;
    link.textContent = doc.title || doc.issue;
    const meta = document.createElement("span");
    meta.className = "meta";
    const parts = [doc.paper, doc.date, doc.page ? (/^\d+$/.test(doc.page) ? `第${doc.page}版` : `${doc.page}版`) : null];
    meta.textContent = parts.filter(Boolean).join(" ");
    item.append(link, " ", meta);
    return item;
  }

  function failure(error) {
    if (location.protocol === "file:") {
      return "从本地文件打开时，浏览器（如 Chromium）不允许脚本读取搜索索引。请通过网站服务器打开本页，例如在输出文件夹中运行 python3 -m http.server。";
    }
    return `无法读取搜索索引：${error.message}`;
  }

  /** The page: reads ?q=, answers the form without reloading, shows results and a status. */
  function page() {
    const input = document.getElementById("q");
    const results = document.getElementById("results");
    const status = document.getElementById("status");
    if (!input || !results || !status) return;
    const archive = new Archive(new URL(results.dataset.index || "search/index.json", document.baseURI).href, fetchBytes);
    const size = 10;
    let more = document.getElementById("more");
    if (!more) {
      more = document.createElement("button");
      more.type = "button";
      more.id = "more";
      more.textContent = "显示更多";
      results.after(more);
    }
    more.hidden = true;
    let current = null; // the Query shown
    let generation = 0; // the latest run: answers to older ones are dropped
    let asked = "";
    archive.load().catch(() => null); // read the index while the reader types

    function report(query) {
      const total = query.total;
      results.dataset.state = "done";
      if (total !== null) {
        results.dataset.count = String(total);
        results.removeAttribute("data-count-min");
        status.textContent = total === 0 ? `没有找到包含“${asked}”的文章。` : `共 ${total} 篇文章包含“${asked}”${query.shown < total ? `，显示前 ${query.shown} 篇` : ""}。`;
      } else {
        results.removeAttribute("data-count");
        results.dataset.countMin = String(query.found);
        status.textContent = query.found
          ? `至少 ${query.found} 篇文章包含“${asked}”；“显示更多”继续查找。`
          : `尚未找到包含“${asked}”的文章；“显示更多”继续查找。`;
      }
      more.hidden = query.done;
    }

    async function show(query, mine) {
      more.disabled = true;
      let docs;
      try {
        docs = await query.more(size);
      } finally {
        more.disabled = false;
      }
      if (mine !== generation) return [];
      const items = docs.map(resultItem);
      results.append(...items);
      report(query);
      return items;
    }

    async function run(text) {
      const mine = ++generation;
      asked = text.trim();
      retitle(text);
      current = null;
      results.textContent = "";
      results.removeAttribute("data-count");
      results.removeAttribute("data-count-min");
      more.hidden = true;
      const normal = normalise(text);
      if (!normal) {
        results.dataset.state = "idle";
        status.textContent = "";
        return;
      }
      results.dataset.state = "busy";
      status.textContent = "正在搜索…";
      try {
        const query = await archive.query(normal);
        if (mine !== generation) return;
        current = query;
        await show(query, mine);
      } catch (error) {
        if (mine !== generation) return;
        results.dataset.state = "error";
        status.textContent = failure(error);
      }
    }

    function fromAddress() {
      const text = new URLSearchParams(location.search).get("q") || "";
      input.value = text;
      run(text);
    }

    const title = document.title;
    function retitle(text) {
      document.title = text.trim() ? `${text.trim()} - ${title}` : title;
    }

    if (input.form) {
      input.form.addEventListener("submit", (event) => {
        event.preventDefault();
        const url = new URL(location.href);
        url.searchParams.set("q", input.value);
        try {
          history.pushState(null, "", url.href);
        } catch (error) {
          // some browsers refuse history under file://: the search still runs
        }
        run(input.value);
      });
    }
    more.addEventListener("click", () => {
      if (!current || more.disabled) return;
      show(current, generation).then(
        (items) => items.length && items[0].querySelector("a").focus(), // the keyboard goes on where the new results start
        (error) => (status.textContent = failure(error)),
      );
    });
    window.addEventListener("popstate", fromAddress);
    fromAddress();
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { normalise, crc32, lookup, decodeList, trigrams, Archive, searchAll };
  } else if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", page);
    else page();
  }
})();
