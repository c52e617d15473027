// Opens an llmcal HTML report from disk in headless Chromium and checks what a
// reader gets: every figure rendered with a non-zero size, no console error,
// no request but the file itself, no horizontal scrolling of the page at a
// phone's width. Keeps screenshots. Exit status 0 when every check passes.
//
// Usage: node browser_test.cjs REPORT.html SCREENSHOT_DIR NODE_PACKAGES_DIR CHROMIUM
//   NODE_PACKAGES_DIR holds node_modules/playwright-core (scripts/setup.sh
//   installs it from package-lock.json beside this file).
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const [report, screenshots, packages, chromiumPath] = process.argv.slice(2);
if (!chromiumPath) {
  console.error('usage: node browser_test.cjs REPORT.html SCREENSHOT_DIR NODE_PACKAGES_DIR CHROMIUM');
  process.exit(2);
}
const { chromium } = createRequire(path.join(packages, 'package.json'))('playwright-core');

const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
}

// Loads the report in a fresh page of `width` pixels; returns what it saw.
async function visit(browser, url, width, screenshot) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(url, { waitUntil: 'load' });
  const seen = await page.evaluate(() => ({
    figures: document.querySelectorAll('figure').length,
    svgs: Array.from(document.querySelectorAll('figure svg')).map((svg) => {
      const box = svg.getBoundingClientRect();
      return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height };
    }),
    pageWidth: document.documentElement.scrollWidth,
    viewWidth: window.innerWidth,
    tables: document.querySelectorAll('table').length,
  }));
  await page.screenshot({ path: screenshot, fullPage: false });
  await context.close();
  return { ...seen, requests, errors };
}

async function main() {
  const url = pathToFileURL(path.resolve(report)).href;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const summary = {};
  try {
    for (const [name, width] of [['desktop', 1280], ['phone', 390]]) {
      const seen = await visit(browser, url, width, path.join(screenshots, `report-${name}.png`));
      check(seen.svgs.length > 0, `${name}: no figure`);
      check(seen.svgs.length === seen.figures, `${name}: ${seen.figures} figures but ${seen.svgs.length} drawings`);
      for (const svg of seen.svgs) {
        check(svg.width > 0 && svg.height > 0, `${name}: figure "${svg.label}" rendered ${svg.width}x${svg.height}`);
      }
      check(seen.tables > 0, `${name}: no table`);
      for (const error of seen.errors) check(false, `${name}: console: ${error}`);
      for (const request of seen.requests.filter((u) => u !== url)) {
        check(false, `${name}: request for ${request}`);
      }
      check(seen.requests.includes(url), `${name}: the report itself was not requested`);
      check(seen.pageWidth <= seen.viewWidth,
            `${name}: the page is ${seen.pageWidth} px wide in a ${seen.viewWidth} px window`);
      summary[name] = { figures: seen.svgs.length, tables: seen.tables, requests: seen.requests.length,
                        smallest: seen.svgs.reduce((m, s) => Math.min(m, s.width * s.height), Infinity) };
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(summary));
  if (failures.length) {
    for (const f of failures) console.error(`FAIL ${f}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`FAIL ${error.stack || error}`);
  process.exit(1);
});
