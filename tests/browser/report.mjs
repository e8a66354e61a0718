// Drives a generated report (index.html in the directory given) in headless
// Chromium through the DevTools protocol (playwright-core) and prints one JSON
// object with what it measured. The Rust test tests/integration/browser.rs
// runs this script and asserts on the result; this script asserts nothing.
//
// Usage: node tests/browser/report.mjs REPORT_DIR
// Environment: CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tests/browser/report.mjs REPORT_DIR');
  process.exit(2);
}
const url = pathToFileURL(resolve(dir, 'index.html')).href;
const profile = mkdtempSync(join(tmpdir(), 'chokepoint-browser-'));
const result = { url, console_errors: [], page_errors: [], requests: [] };
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(m.text()); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) result.requests.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  result.lang = await page.getAttribute('html', 'lang');
  result.title = await page.title();
  result.data_errors = await page.getAttribute('body', 'data-errors');
  result.height = await page.evaluate(() => document.documentElement.scrollHeight);

  // Sort: the all-items table by its last numeric column (the risk band's
  // rank), ascending then descending; unknown values (NaN) stay last.
  result.sort = await page.evaluate(async () => {
    const t = document.querySelector('#items-table');
    const ths = Array.from(t.tHead.rows[0].cells);
    const nums = ths.map((th, i) => (th.classList.contains('num') ? i : -1)).filter((i) => i >= 0);
    const col = nums[nums.length - 1];
    const button = ths[col].querySelector('button');
    button.click();
    const asc = Array.from(t.tBodies[0].rows).map((r) => parseFloat(r.cells[col].dataset.v));
    button.click();
    const desc = Array.from(t.tBodies[0].rows).map((r) => parseFloat(r.cells[col].dataset.v));
    const sorted = (xs, f) => {
      const known = xs.filter((x) => !Number.isNaN(x));
      const tail = xs.slice(known.length);
      return tail.every((x) => Number.isNaN(x)) && known.every((x, i) => i === 0 || f(known[i - 1], x));
    };
    return {
      column: col,
      rows: asc.length,
      ascending: sorted(asc, (a, b) => a <= b),
      descending: sorted(desc, (a, b) => a >= b),
      aria: ths[col].getAttribute('aria-sort'),
      distinct: new Set(desc).size,
    };
  });

  // Filter: type the first item's id; every visible row of the items table contains it.
  result.filter = await (async () => {
    const id = await page.evaluate(() => document.querySelector('#items-table tbody tr td.id').textContent);
    await page.fill('#q', id);
    const r = await page.evaluate((id) => {
      const rows = Array.from(document.querySelectorAll('#items-table tbody tr'));
      const shown = rows.filter((r) => !r.hidden);
      return {
        query: id,
        total: rows.length,
        shown: shown.length,
        all_match: shown.every((r) => r.textContent.toLowerCase().includes(id.toLowerCase())),
        count_text: document.querySelector('#q-count').textContent,
      };
    }, id);
    await page.fill('#q', '');
    r.restored = await page.evaluate(() => Array.from(document.querySelectorAll('#items-table tbody tr')).every((r) => !r.hidden));
    return r;
  })();

  // Zoom: the choke-point map's toggle changes the diagram's rendered width.
  result.zoom = await page.evaluate(() => {
    const f = document.querySelector('#fig-chokepoints');
    if (!f) return null;
    const svg = f.querySelector('svg');
    const b = f.querySelector('button.zoom');
    const before = svg.getBoundingClientRect().width;
    b.click();
    const after = svg.getBoundingClientRect().width;
    const pressed = b.getAttribute('aria-pressed');
    b.click();
    const back = svg.getBoundingClientRect().width;
    return { before, after, back, pressed };
  });

  // Heat map: not clipped (its container shows or scrolls to the whole width).
  result.heatmap = await page.evaluate(() => {
    const f = document.querySelector('#fig-heatmap');
    if (!f) return null;
    const svg = f.querySelector('svg').getBoundingClientRect();
    const box = f.querySelector('.scroll');
    return { svg_width: svg.width, box_width: box.clientWidth, scroll_width: box.scrollWidth,
      overflow_x: getComputedStyle(box).overflowX };
  });

  // Uncertainty view (report --samples N): its tables, and the tornado chart's
  // bars drawn with a width, inside the page's width.
  result.uncertainty = await page.evaluate(() => {
    const sec = document.querySelector('#uncertainty');
    if (!sec) return null;
    const bars = Array.from(sec.querySelectorAll('svg rect.tornado-bar'));
    const svg = sec.querySelector('svg');
    const toc = document.querySelector('a[href="#uncertainty-h"]');
    return {
      tables: sec.querySelectorAll('table').length,
      rows: Array.from(sec.querySelectorAll('table')).map((t) => t.tBodies[0] ? t.tBodies[0].rows.length : 0),
      bars: bars.length,
      bars_drawn: bars.filter((b) => b.getBoundingClientRect().width > 0).length,
      svg_width: svg ? svg.getBoundingClientRect().width : 0,
      visible: sec.checkVisibility ? sec.checkVisibility() : true,
      toc: !!toc,
      heading: sec.querySelector('h2') ? sec.querySelector('h2').textContent : null,
    };
  });

  // Text: every word of the rendered text that contains a Latin letter, with
  // every fold opened; text marked translate="no" (ids, codes, bibliographic
  // titles and addresses kept in their original language) and the hidden
  // <title>/<desc> of drawings are not rendered text. The Rust test decides
  // which words are allowed.
  result.height_all_open = await page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    return document.documentElement.scrollHeight;
  });
  result.latin_words = await page.evaluate(() => {
    const words = new Set();
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest('script,style,title,desc,[translate="no"]')) continue;
      if (p.checkVisibility && !p.checkVisibility()) continue;
      for (const w of n.textContent.split(/[\s,;:()（）、，：；。·→←+\[\]「」“”"'|<>=–—…]+/)) {
        if (/[A-Za-z]/.test(w)) words.add(w);
      }
    }
    return Array.from(words).sort();
  });
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack || e);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
