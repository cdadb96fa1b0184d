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
//   {"op": "tab", "page": "hr2", "of": "hr", "url": "..."}  a page in hr's context
//   {"op": "files", ..., "paths": [...]}   choose files in a file input
//   {"op": "goto", "page": "hr", "url": "..."}   {"op": "back", "page": "hr"}
//   {"op": "url"}   the page's address     {"op": "size", "width": 390, "height": 844}
//   {"op": "axe"}   axe-core's serious and critical violations on the page
//   {"op": "layout"}  horizontal overflow and controls under 44 px
//   {"op": "focused"} the accessible name of the focused element
//   {"op": "storage"} the page's localStorage keys
//   {"op": "setlocal", "key": "...", "value": "..."}  set one
//   {"op": "download", ...}  click and answer the download's {name, text}
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
  "--disable-component-update", "--disable-sync",
  // a fake camera and microphone, granted without asking
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

let browser = null;
const pages = {};
const errors = [];
const axeSource = require("fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// What a phone needs: nothing wider than the viewport, and every control
// a finger can hit (44 px; a checkbox or radio counts its label).
function layout() {
  const out = { overflow: document.documentElement.scrollWidth - window.innerWidth, small: [] };
  const sel = "button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), " +
    "textarea, a.button, #nav a, .tabs a, label.check, summary";
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.height < 43.5 || r.width < 43.5)
      out.small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1 && getComputedStyle(el).position !== "absolute")
      out.small.push(`wider than the screen: ${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
  }
  return out;
}

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
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 },
      permissions: ["camera", "microphone"], acceptDownloads: true });
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
  case "tab": {
    const p = await pages[m.of].context().newPage();
    p.on("pageerror", (e) => errors.push(`${m.page}: ${e.message}`));
    pages[m.page] = p;
    await p.goto(m.url, { timeout });
    return null;
  }
  case "files": return find(m).setInputFiles(m.paths, { timeout });
  case "goto": return pages[m.page].goto(m.url, { timeout }).then(() => null);
  case "back": return pages[m.page].goBack({ timeout }).then(() => null);
  case "url": return pages[m.page].url();
  case "size": return pages[m.page].setViewportSize({ width: m.width, height: m.height });
  case "axe": {
    const p = pages[m.page];
    if (!(await p.evaluate(() => !!window.axe))) await p.evaluate(axeSource);
    const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
  }
  case "layout": return pages[m.page].evaluate(layout);
  case "focused": return pages[m.page].evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "";
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    if (el.labels && el.labels[0]) {
      const l = el.labels[0].cloneNode(true);
      l.querySelectorAll("input, select, textarea").forEach((x) => x.remove());
      return l.textContent.trim();
    }
    return el.innerText || el.tagName.toLowerCase();
  });
  case "storage": return pages[m.page].evaluate(() => Object.keys(localStorage));
  case "setlocal": return pages[m.page].evaluate(([k, v]) => localStorage.setItem(k, v), [m.key, m.value]);
  case "download": {
    const p = pages[m.page];
    const [d] = await Promise.all([p.waitForEvent("download", { timeout }), find(m).click({ timeout })]);
    const file = await d.path();
    return { name: d.suggestedFilename(), text: require("fs").readFileSync(file, "utf8").slice(0, 20000) };
  }
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
