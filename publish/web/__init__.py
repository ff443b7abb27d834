"""The digital edition (数字报): a static web site of an archive built by `publish build`.

Made in two steps. Tasks in worker processes (like the PDFs and audio) make each issue's
heavy parts into `OUT/<issue>/web/`: the pdf task the page images, per-page PDFs and the
page geometry (`pages.py`), the web task the article records and photo derivatives
(`record.py`). Then, in the building process, `site.py` assembles the HTML of every issue,
the archive, the whole-paper feeds and the search index (`search.py`) from those records,
writing only what changed. Everything links relatively: the folder works on any web server,
under any sub-path, and opened from disk.

Site layout (all under OUT; `<issue>` is the issue key, `<part>` the article's folder
`issue.article_folder(number, article)`, the same as its audio):

    index.html                 home: each paper's latest issue, links to 往期, search, feeds
    archive/index.html         往期: the newest year, month calendars newest first; other years
    archive/<YYYY>.html        a year's month calendars
    search.html                search (needs JavaScript; says so without it)
    feeds/<paper>.xml          the whole paper's podcast feed (latest episodes)
    static/                    site.css, site.js (player, highlighting), search.js
    search/                    the search index (search.py)
    <issue>/index.html         the issue: page thumbnails, each page's headlines, PDF, feed
    <issue>/page-NN.html       a page view (NN: the page's number in the PDF, two digits)
    <issue>/<part>/index.html  an article view
    <issue>/web/pages.json     page geometry and images (pages.PAGES)
    <issue>/web/articles.json  article records (record.RECORD)
"""
