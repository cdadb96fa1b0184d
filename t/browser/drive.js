// Drives Debian's chromium for t/test_browser.py: one JSON command a line
// on stdin, one JSON answer a line on stdout, in order.
//
//   {"op": "open", "page": "hr", "url": "http://..."}   a new browser context
//   {"op": "fill", "page": "hr", "label": "Phone number", "value": "..."}
//   {"op": "click", "page": "hr", "role": "button", "name": "Send code"}
//   {"op": "check", ..., "on": true}   {"op": "select", ..., "value": "..."}
//   {"op": "wait", ..., "text": "..."} until a matching element is visible
//   {"op": "text", ...}                the innerText of the one match
//   {"op": "errors"}                   uncaught page errors so far
//   {"op": "shot", "page": "hr", "path": "..."}
//   {"op": "quit"}
//
// An element is found by label, by role (and accessible name), or by a
// Playwright selector (sel); within (CSS) narrows the search, text keeps
// the matches containing it.  Answers: {"ok": true, "value": ...} or
// {"ok": false, "error": "..."}.  Actions wait up to "timeout" ms (10 s).
"use strict";
const readline = require("readline");
const { chromium } = require("playwright-core");

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

let browser = null;
const pages = {};
const errors = [];

function find(m) {
  const p = pages[m.page];
  if (!p) throw new Error(`no page ${m.page}`);
  const root = m.within ? p.locator(m.within) : p;
  let loc;
  if (m.label) loc = root.getByLabel(m.label, { exact: !!m.exact });
  else if (m.role) loc = root.getByRole(m.role, { name: m.name, exact: !!m.exact });
  else loc = root.locator(m.sel);
  if (m.text) loc = loc.filter({ hasText: m.text });
  return loc;
}

async function run(m) {
  const timeout = m.timeout || 10000;
  switch (m.op) {
  case "open": {
    if (!browser) {
      browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
        headless: true, args: ARGS });
    }
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    p.on("pageerror", (e) => errors.push(`${m.page}: ${e.message}`));
    pages[m.page] = p;
    await p.goto(m.url, { timeout });
    return null;
  }
  case "fill": return find(m).fill(m.value, { timeout });
  case "click": return find(m).click({ timeout });
  case "check": return find(m).setChecked(m.on !== false, { timeout });
  case "select": return find(m).selectOption({ label: m.value }, { timeout });
  case "wait": return find(m).first().waitFor({ state: "visible", timeout });
  case "gone": return find(m).first().waitFor({ state: "hidden", timeout });
  case "text": return find(m).innerText({ timeout });
  case "texts": return find(m).allInnerTexts();
  case "enabled": return find(m).isEnabled({ timeout });
  case "errors": return errors;
  case "shot": return pages[m.page].screenshot({ path: m.path, fullPage: true }).then(() => null);
  case "quit":
    if (browser) await browser.close();
    browser = null;
    return null;
  default: throw new Error(`unknown op ${m.op}`);
  }
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let answer;
    try {
      const m = JSON.parse(line);
      const value = await run(m);
      answer = { ok: true, value: value === undefined ? null : value };
      if (m.op === "quit") { process.stdout.write(JSON.stringify(answer) + "\n"); break; }
    } catch (e) {
      answer = { ok: false, error: String(e && e.message || e).split("\n").slice(0, 12).join("\n") };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
  if (browser) await browser.close();
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
