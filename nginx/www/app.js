// Connectify browser app: one view per address (hash routing, so deep
// links and the back button work), for HR (events, candidates, uploads,
// the interview day, mail, people, analytics), interviewers (their rounds,
// the queue, the candidate beside the review form) and candidates (open
// events, their applications and calls, chat with HR).  Live updates come
// over the user's own nchan channel (and, in a round, the room's); they
// reload what the view shows and never appear raw.  Every user value goes
// into the page as text (textContent), never as markup; no inline style
// or script (the CSP forbids both): classes only.
"use strict";
const API = "/bulk_hiring/user_data/v1";
const EVT = "/bulk_hiring/event/v1";
const KEY = "connectify";
const $ = (id) => document.getElementById(id);

// ---- elements --------------------------------------------------------

function add(el, kids) {
  for (const k of kids) {
    if (k == null || k === false) continue;
    if (Array.isArray(k)) add(el, k);
    else el.append(k instanceof Node ? k : String(k));
  }
  return el;
}

// h("button", {type: "button", onclick: f, "aria-label": "x"}, "text"):
// children first (a select's value needs its options), then properties;
// a name with a dash, and for/list/role, become attributes.
function h(tag, props, ...kids) {
  const el = add(document.createElement(tag), kids);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k.includes("-") || ["for", "list", "role"].includes(k) || !(k in el))
      el.setAttribute(k, v === true ? "" : v);
    else el[k] = v;
  }
  return el;
}

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

// A section with its heading and its own message line.
function card(title, ...kids) {
  const id = nextId("card");
  return h("section", { class: "card", "aria-labelledby": id },
    h("h2", { id }, title), h("p", { class: "msg", role: "status" }), ...kids);
}

// A message next to what it is about: the message line of the card
// holding el, or the page's own.
function say(el, text, isError) {
  const c = el && el.closest ? el.closest(".card") : null;
  const box = (c && c.querySelector(".msg")) || $("note");
  box.textContent = text || "";
  box.classList.toggle("error", !!isError);
}

function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", {}, label), input,
    hint ? h("small", {}, hint) : null);
}

function table(headers, rows, caption) {
  return h("table", {}, caption ? h("caption", { class: "sr" }, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows));
}

// A row whose cells carry their header's name (phones stack the cells).
function row(headers, cells, props) {
  return h("tr", props || {}, cells.map((c, i) =>
    h("td", { "data-label": headers[i] || "" }, c)));
}

function empty(text) { return h("p", { class: "empty" }, text); }
function loading(text) { return h("p", { class: "loading" }, text || "Loading…"); }

// A button disabled while its request runs (one click, one request); its
// message goes next to it.  setOff() keeps it off for the view's state.
function btn(text, onclick, props) {
  const b = h("button", { type: "button", ...(props || {}) }, text);
  b.addEventListener("click", async (ev) => {
    if (b.disabled) return;
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
    try { await onclick(ev, b); } catch (e) { say(b, e.message, true); } finally {
      b.removeAttribute("aria-busy");
      b.disabled = b.dataset.off === "1";
    }
  });
  return b;
}

function setOff(b, off) {
  b.dataset.off = off ? "1" : "";
  if (!b.hasAttribute("aria-busy")) b.disabled = !!off;
}

// Disable a form's controls while its request runs; returns the undo.
function busy(f) {
  const bs = Array.from(f.querySelectorAll("button"));
  bs.forEach((b) => { b.disabled = true; });
  return () => bs.forEach((b) => { b.disabled = false; });
}

const list = (s) => (s || "").split(",").map((x) => x.trim()).filter(Boolean);
const lines = (s) => (s || "").split("\n").map((x) => x.trim()).filter(Boolean);
const when = (iso) => iso ? new Date(iso).toLocaleString() : "";

// ---- the API ---------------------------------------------------------

function load() {
  try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
}
let session = load();
let me = null;

// The session lives in localStorage, so every tab shares it; signing out
// in one signs out all.
function save(s) {
  session = s;
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
}

window.addEventListener("storage", (e) => {
  if (e.key !== KEY) return;
  const had = !!session;
  session = load();
  if (had && !session) signedOut();
  else if (!had && session) start();
});

function explain(body) {
  const e = body && body.error;
  if (!e) return "Something went wrong; please try again.";
  const fields = e.fields ? Object.entries(e.fields).map(([k, v]) => `${k} ${v}`).join("; ") : "";
  return fields ? `${e.message} (${fields})` : e.message;
}

// A fresh Idempotency-Key for one user action: the server answers a
// repeat of the request (a double click, a retry) with the first answer.
function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

// opts: {key} sends it as Idempotency-Key (a creating POST).
async function call(method, path, body, opts = {}) {
  const cur = load();
  if (cur) session = cur;
  const headers = {};
  if (body) headers["Content-Type"] = "application/json";
  if (session) headers.Authorization = "Bearer " + session.access_token;
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  const sent = session && session.access_token;
  let r;
  try {
    r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  } catch (e) {
    throw new Error("The server cannot be reached; check the connection and try again.");
  }
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (r.status === 401 && session && !opts.retried) {
    if (await refresh(sent)) return call(method, path, body, { ...opts, retried: true });
  }
  if (!r.ok) {
    const err = new Error(explain(data));
    err.status = r.status;
    err.body = data;
    err.retryAfter = parseInt(r.headers.get("Retry-After") || "0", 10) || 0;
    throw err;
  }
  return data;
}

// One refresh at a time across tabs (a used refresh token revokes its
// family): another tab may have refreshed already.
async function refresh(failed) {
  const run = async () => {
    const cur = load();
    if (!cur) return false;
    if (cur.access_token !== failed) { session = cur; return true; }
    const t = await fetch(API + "/token/refresh/", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: cur.refresh_token }) });
    if (!t.ok) throw new Error("refresh refused");
    save(await t.json());
    return true;
  };
  try {
    return navigator.locks ? await navigator.locks.request("connectify-refresh", run) : await run();
  } catch (e) {
    save(null);
    signedOut();
    return false;
  }
}

// Every page of a list.
async function all(path) {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const r = await call("GET", `${path}${path.includes("?") ? "&" : "?"}page=${page}&page_size=100`);
    out.push(...r.results);
    if (!r.next) break;
  }
  return out;
}

// ---- words for states ------------------------------------------------

const QSTATE = { waiting: "waiting", called: "called", accepted: "accepted the call",
  in_interview: "in interview", done: "done", declined: "declined", no_show: "no-show",
  left: "left", held: "held (interviewer away)" };
const BUSY = ["called", "accepted", "in_interview"];
const RSTATE = { applied: "applied", shortlisted: "shortlisted", interviewing: "interviewing",
  rejected: "not selected", selected: "selected", withdrawn: "withdrawn" };
const SUB = { required_skills: "Required skills", preferred_skills: "Preferred skills",
  skill_years: "Years with the skills", experience: "Experience", recency: "Recent use of the skills",
  title: "Job titles", education: "Education", relevance: "Relevance to the job" };

// The score explained: sub-scores with their weights, matched and missing
// skills, and the resume line behind each match.
function explainScore(g) {
  const a = g.ats_result || {};
  if (g.ats_score == null) return h("p", {}, "Not scored yet.");
  const sub = a.sub_scores || {}, w = a.weights || {};
  const keys = Object.keys(SUB).filter((k) => k in sub).concat(Object.keys(sub).filter((k) => !(k in SUB)));
  const parts = keys.map((k) => h("li", {}, `${SUB[k] || k.replace(/_/g, " ")}: ${Math.round(sub[k])} of 100`,
    k in w ? ` (weight ${w[k]}%)` : ""));
  const ev = a.evidence || {};
  return h("div", { class: "explain" },
    h("p", {}, `Match ${Math.round(g.ats_score)} of 100`,
      a.years_experience != null ? `, ${a.years_experience} years of experience` : "",
      a.scorer ? ` (scored by ${a.scorer === "builtin" ? "the built-in scorer" : a.scorer})` : "", "."),
    parts.length ? h("ul", { class: "subs" }, parts) : null,
    h("p", {}, "Matched skills: ", (a.matched_skills || []).join(", ") || "none"),
    h("p", {}, "Missing skills: ", (a.missing_skills || []).join(", ") || "none"),
    Object.keys(ev).length ? h("dl", { class: "evidence" }, Object.entries(ev)
      .filter(([, v]) => typeof v === "string").map(([k, v]) => [h("dt", {}, k), h("dd", {}, h("q", {}, v))])) : null,
    a.fallback_reason ? h("p", {}, `Note: ${a.fallback_reason}`) : null);
}

// ---- live channel ----------------------------------------------------

let source = null, listening = 0, room = null, liveHandler = null;

function setLive(text) {
  $("live").textContent = text ? `Live: ${text}` : "";
}

function tokenStale() {
  try {
    const part = session.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)).exp * 1000 < Date.now() + 30000;
  } catch (e) { return true; }
}

// A server-sent event stream read with fetch(), which (unlike
// EventSource) shows a refusal's status and Retry-After.  onopen,
// onmessage({data}) and onerror(retryAfterSeconds or 0) as EventSource.
class LiveStream {
  constructor(url) {
    this.ctl = new AbortController();
    this.closed = false;
    setTimeout(() => this.run(url), 0);
  }
  close() { this.closed = true; this.ctl.abort(); }
  fail(secs) { if (!this.closed) { this.closed = true; this.onerror && this.onerror(secs); } }
  async run(url) {
    let r;
    try {
      r = await fetch(url, { headers: { Accept: "text/event-stream" },
        signal: this.ctl.signal, cache: "no-store" });
    } catch (e) { return this.fail(0); }
    if (!r.ok || !r.body) {
      const ra = parseInt(r.headers.get("Retry-After") || "", 10);
      return this.fail(r.status === 503 && ra > 0 ? ra : 0);
    }
    this.onopen && this.onopen();
    const rd = r.body.getReader(), dec = new TextDecoder();
    let buf = "";
    try {
      for (;;) {
        const { value, done } = await rd.read();
        if (done) break;
        buf += dec.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const ev = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = ev.split("\n").filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(l[5] === " " ? 6 : 5)).join("\n");
          if (data && !this.closed && this.onmessage) this.onmessage({ data });
        }
      }
    } catch (e) { /* aborted or cut */ }
    this.fail(0);
  }
}

// The wait before a new stream: what the server asked for (Retry-After,
// when it was too busy to let us in), else 3 s; with up to 1 s of jitter
// so that the clients of a restarted host do not all come back at once.
function retryDelay(secs) {
  return (secs > 0 ? secs * 1000 : 3000) + Math.floor(Math.random() * 1000);
}

// One stream: the user's channel, or in an interviewer's round the
// interview URL (their channel and the round's room).  The URL carries a
// single-use ticket (POST ws-ticket/), never the token.  When the stream
// ends or the server refused it (an expired token, the application down
// or too busy), a new one opens a little later with a fresh ticket and
// the view reloads what it missed.
async function listen(again) {
  const mine = ++listening;
  if (source) source.close();
  source = null;
  if (!session || !me) return;
  let ticket;
  try {
    ticket = (await call("POST", EVT + "/ws-ticket/")).ticket;
  } catch (e) {
    setLive("reconnecting");
    setTimeout(() => { if (mine === listening && session) listen(true); }, retryDelay(e.retryAfter || 0));
    return;
  }
  if (mine !== listening || !session || !me) return;
  const name = encodeURIComponent(me.username);
  const q = `?ticket=${encodeURIComponent(ticket)}`;
  const url = room ? `/ws/connectify_bulk_hiring/${room}/${name}/${q}` : `/ws/user/${name}/${q}`;
  const es = source = new LiveStream(url);
  setLive("connecting");
  es.onopen = () => {
    setLive("connected");
    if (again && liveHandler) liveHandler({ type: "reconnected" });
    again = false;
  };
  es.onerror = (secs) => {
    if (es !== source) return;
    setLive("reconnecting");
    setTimeout(async () => {
      if (es !== source || !session) return;
      if (!tokenStale() || await refresh(session.access_token)) listen(true);
    }, retryDelay(secs));
  };
  es.onmessage = (ev) => {
    let m = null;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m && m.type === "call_signal") { callSignal(m).catch(() => {}); return; }
    if (m && typeof m.type === "string" && liveHandler) liveHandler(m);
  };
}

function joinRoom(r) {
  if (room === r) return;
  room = r;
  listen();
}

// ---- views and routing -----------------------------------------------

let viewGen = 0, nextNote = "";

// A message for the view about to open (after go()).
function sayNext(text) { nextNote = text; }

// A fresh view: its heading, and alive() false once another replaced it.
function mount(title) {
  const gen = ++viewGen;
  liveHandler = null;
  const root = $("view");
  root.replaceChildren(h("h1", { id: "title", tabindex: "-1" }, title));
  document.title = `${title} · Connectify`;
  say(null, nextNote);
  nextNote = "";
  return { root, alive: () => gen === viewGen, live: (f) => { liveHandler = f; } };
}

// Run fn again after the current run when asked meanwhile: live messages
// come in bursts, and a late answer must not overwrite a newer one.
function serial(fn) {
  let running = null, again = false;
  return async function run() {
    if (running) { again = true; return running; }
    running = (async () => { do { again = false; await fn(); } while (again); })();
    try { await running; } finally { running = null; }
  };
}

const NAV = {
  Hr: [["#/events", "Events"], ["#/people", "People"], ["#/analytics", "Analytics"]],
  Interviewer: [["#/rounds", "My rounds"]],
  Interviewee: [["#/applications", "My applications"], ["#/open", "Open events"], ["#/account", "Account"]],
};
// The organisation admin's views, after HR's.
const ADMIN_NAV = [["#/webhooks", "Webhooks"], ["#/impact", "Adverse impact"]];

const ROUTES = [
  [/^#\/events$/, "Hr", () => viewEvents()],
  [/^#\/events\/new$/, "Hr", () => viewEventForm(null)],
  [/^#\/event\/(\d+)\/edit$/, "Hr", (m) => viewEventForm(+m[1])],
  [/^#\/event\/(\d+)\/candidate\/(\d+)$/, "Hr", (m) => viewCandidate(+m[1], +m[2])],
  [/^#\/event\/(\d+)(?:\/(candidates|uploads|day|mail|duplicates|data))?$/, "Hr", (m) => viewEvent(+m[1], m[2] || "candidates")],
  [/^#\/people$/, "Hr", () => viewPeople()],
  [/^#\/analytics$/, "Hr", () => viewAnalytics()],
  [/^#\/webhooks$/, "Admin", () => viewWebhooks()],
  [/^#\/impact$/, "Admin", () => viewImpact()],
  [/^#\/account$/, "Interviewee", () => viewAccount()],
  [/^#\/rounds$/, "Interviewer", () => viewRounds()],
  [/^#\/round\/(\d+)$/, "Interviewer", (m) => viewRound(+m[1])],
  [/^#\/applications$/, "Interviewee", () => viewApplications()],
  [/^#\/open$/, "Interviewee", () => viewOpen()],
  [/^#\/chat\/(\d+)$/, "Interviewee", (m) => viewChat(+m[1])],
];

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const STATUS_ROUTE = /^#\/status\/([A-Za-z0-9._-]+)\/?$/;

function route() {
  const hash = location.hash || "";
  const st = hash.match(STATUS_ROUTE);
  if (st) { joinRoom(null); viewStatus(st[1]); focusFirst(); return; }
  if (!session) { viewLogin(); return; }
  if (!me) return;
  const may = (who) => who === me.user_type || (who === "Admin" && me.user_type === "Hr" && me.is_admin);
  const found = ROUTES.find(([re, who]) => may(who) && re.test(hash));
  if (!found) { location.replace(NAV[me.user_type][0][0]); return; }
  const m = hash.match(found[0]);
  if (!/^#\/round\//.test(hash)) joinRoom(null);
  for (const a of $("nav").querySelectorAll("a")) {
    if (hash.startsWith(a.getAttribute("href").replace(/s$/, ""))) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  found[2](m);
  focusFirst();
}

// Keyboard focus on the view's first control (its heading when it has
// none yet).
function focusFirst() {
  const c = $("view").querySelector("input:not([type=hidden]):not(:disabled), select:not(:disabled), " +
    "textarea:not(:disabled), button:not(:disabled), a[href]:not(.tab)");
  ($("view").querySelector(".first") || c || $("title")).focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);

// ---- sign-in ---------------------------------------------------------

function viewLogin() {
  const v = mount("Sign in");
  let phone = null;
  const verify = h("form", { hidden: true, onsubmit: async (ev) => {
    ev.preventDefault();
    const done = busy(verify);
    try {
      save(await call("POST", API + "/login/verify-otp/", { phone_number: phone, otp: verify.otp.value }));
      start();
    } catch (e) { say(verify, e.message, true); } finally { done(); }
  } }, field("6-digit code", h("input", { name: "otp", inputmode: "numeric", pattern: "[0-9]{6}",
    required: true, autocomplete: "one-time-code" })), h("button", {}, "Sign in"));
  const request = h("form", { id: "otp-request", onsubmit: async (ev) => {
    ev.preventDefault();
    phone = request.phone_number.value;
    const done = busy(request);
    try {
      const r = await call("POST", API + "/login/send-otp/", { phone_number: phone });
      say(request, `Code sent. It expires in ${Math.round(r.expires_in / 60)} minutes.`);
      verify.hidden = false;
      verify.otp.focus();
    } catch (e) { say(request, e.message, true); } finally { done(); }
  } }, field("Phone number", h("input", { name: "phone_number", autocomplete: "tel", required: true,
    type: "tel", placeholder: "+91 98000 00001" })), h("button", {}, "Send code"));
  const signup = h("form", { onsubmit: async (ev) => {
    ev.preventDefault();
    const done = busy(signup);
    try {
      const u = await call("POST", API + "/signup/", Object.fromEntries(new FormData(signup)));
      say(signup, `Welcome, ${u.name}. Sign in above with ${u.phone_number}.`);
      request.phone_number.value = u.phone_number;
    } catch (e) { say(signup, e.message, true); } finally { done(); }
  } }, field("Name", h("input", { name: "name", required: true, autocomplete: "name" })),
  field("Phone number", h("input", { name: "phone_number", required: true, type: "tel" })),
  field("Email", h("input", { name: "email", type: "email", required: true, autocomplete: "email" })),
  field("I am", h("select", { name: "user_type" }, h("option", { value: "Interviewee" }, "a candidate"),
    h("option", { value: "Interviewer" }, "an interviewer"), h("option", { value: "Hr" }, "in HR"))),
  h("button", {}, "Create account"));
  v.root.append(card("With a code by SMS", request, verify),
    card("New here? Create an account", signup));
}

function signedOut() {
  callEnd(false, "");
  $("call").hidden = true;
  me = null;
  room = null;
  if (source) source.close();
  source = null;
  setLive("");
  $("bar").hidden = true;
  $("nav").replaceChildren();
  viewLogin();
  focusFirst();
}

async function start() {
  if (!session) { signedOut(); return; }
  const v = mount("Loading");
  v.root.append(loading("Signing in…"));
  try {
    me = await call("GET", API + "/me/");
  } catch (e) {
    if (!session) return;
    say(null, e.message, true);
    return;
  }
  $("who").textContent = `${me.name} (${me.user_type})`;
  $("bar").hidden = false;
  const nav = NAV[me.user_type].concat(me.user_type === "Hr" && me.is_admin ? ADMIN_NAV : []);
  $("nav").replaceChildren(...nav.map(([href, text]) => h("a", { href }, text)));
  listen();
  route();
}

$("logout").addEventListener("click", async () => {
  const s = session;
  save(null);
  signedOut();
  if (s) {
    try {
      await fetch(API + "/logout/", { method: "POST", headers: { "Content-Type": "application/json",
        Authorization: "Bearer " + s.access_token }, body: JSON.stringify({ refresh_token: s.refresh_token }) });
    } catch (e) { /* gone anyway */ }
  }
});

// ---- HR: events ------------------------------------------------------

function viewEvents() {
  const v = mount("Hiring events");
  const body = h("div", {}, loading("Loading events…"));
  v.root.append(h("p", {}, h("a", { class: "button first", href: "#/events/new" }, "New event")),
    card("Your events", body));
  (async () => {
    const evs = await all(EVT + "/event/");
    if (!v.alive()) return;
    if (!evs.length) { body.replaceChildren(empty("No events yet. Create one with “New event”.")); return; }
    const H = ["Event", "Status", "Dates", "Rounds"];
    body.replaceChildren(table(H, evs.map((e) => row(H, [
      h("a", { href: `#/event/${e.event_id}` }, `${e.title} (${e.department})`), e.status,
      e.start_date ? `${e.start_date}${e.end_date ? " to " + e.end_date : ""}` : "not set",
      e.rounds.map((x) => x.name).join(", ")], { "data-event": e.event_id })), "Your events"));
  })().catch((e) => say(body, e.message, true));
}

let staffCache = null;
async function interviewers() {
  if (!staffCache) staffCache = all(API + "/fetch-user/?user_type=Interviewer").catch((e) => { staffCache = null; throw e; });
  return staffCache;
}

// One round of the event form: its name, interviewers chosen by name (a
// search narrows the list) and questions.
function roundFieldset(form, ro, staff) {
  const n = form.querySelectorAll("fieldset.round").length + 1;
  const chosen = new Set((ro && ro.interviewers || []).map((x) => x.id));
  const search = h("input", { type: "search", "aria-label": `Find interviewers for round ${n}`,
    placeholder: "Find by name" });
  const boxes = h("div", { class: "choices" }, staff.length ? staff.map((u) =>
    h("label", { class: "check", "data-name": u.name.toLowerCase() },
      h("input", { type: "checkbox", value: u.id, checked: chosen.has(u.id), name: "iv" }), u.name))
    : h("p", {}, "No interviewers yet: the organisation admin adds them under People."));
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    for (const l of boxes.querySelectorAll("label")) l.hidden = q && !l.dataset.name.includes(q);
  });
  const fs = h("fieldset", { class: "round", id: `round-form-${n}` },
    h("legend", {}, `Round ${n}`),
    field("Round name", h("input", { name: "round", required: true, value: ro ? ro.name : (n === 1 ? "Technical" : "") })),
    h("div", { class: "field" }, h("span", {}, "Interviewers"), search, boxes),
    field("Questions (one a line)", h("textarea", { name: "questions", rows: 2,
      value: ro ? ro.questions.map((q) => q.text).join("\n") : "" })),
    btn(`Remove round ${n}`, () => { fs.remove(); }, { class: "secondary" }));
  return fs;
}

function viewEventForm(id) {
  const v = mount(id ? "Edit event" : "New event");
  const box = h("div", {}, loading());
  v.root.append(card(id ? "Event details" : "Create a hiring event", box));
  (async () => {
    const [ev, staff] = await Promise.all([id ? call("GET", `${EVT}/event-detail/?event_id=${id}`) : null,
      interviewers()]);
    if (!v.alive()) return;
    const e = ev || { skills: { required: [], preferred: [] }, rounds: [], status: "Active" };
    const rounds = h("div", {});
    const input = (name, props) => h("input", { name, value: e[name] == null ? "" : e[name], ...props });
    const f = h("form", { class: "wide", id: "event-form" },
      field("Title", input("title", { required: true, placeholder: "Backend Engineer", class: "first" })),
      field("Department", input("department", { required: true, placeholder: "Engineering" })),
      field("Job description", h("textarea", { name: "description", rows: 4, value: e.description || "" })),
      btn("Suggest skills from the description", (ev, b) => suggestSkills(f, b), { class: "secondary" }),
      field("Required skills (comma separated)", h("input", { name: "required", value: e.skills.required.join(", "), placeholder: "C, PostgreSQL" })),
      field("Preferred skills (comma separated)", h("input", { name: "preferred", value: e.skills.preferred.join(", ") })),
      h("div", { class: "pair" },
        field("Experience from (years)", input("min_experience", { type: "number", min: 0, max: 60 })),
        field("to (years)", input("max_experience", { type: "number", min: 0, max: 60 }))),
      h("div", { class: "pair" },
        field("Start date", input("start_date", { type: "date" })),
        field("End date", input("end_date", { type: "date" }))),
      field("Location", input("location", { placeholder: "Bengaluru office, 3rd floor" })),
      field("Status", h("select", { name: "status", value: e.status },
        ["Pending", "Active", "Inactive"].map((s) => h("option", {}, s)))),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "show_scores", checked: !!e.show_scores }),
        "Candidates see their match score"),
      h("h3", {}, "Rounds"), rounds,
      btn("Add round", () => { rounds.append(roundFieldset(f, null, staff)); }, { class: "secondary" }),
      id ? null : field("Resumes (PDF, optional)", h("input", { name: "resumes", type: "file",
        accept: "application/pdf", multiple: true })),
      h("button", {}, id ? "Save changes" : "Create event"));
    (e.rounds.length ? e.rounds : [null]).forEach((ro) => rounds.append(roundFieldset(f, ro, staff)));
    f.addEventListener("submit", (x) => { x.preventDefault(); submitEvent(f, id); });
    if (id) {
      f.department.disabled = true;
      f.dataset.rounds = JSON.stringify(eventBody(f).rounds);
    }
    box.replaceChildren(f);
    if (v.alive()) focusFirst();
  })().catch((e) => say(box, e.message, true));
}

// Fill the skills from the description: the taxonomy's required and
// preferred skills it names, added to those already typed.
async function suggestSkills(f, b) {
  if (!f.description.value.trim()) { say(b, "Paste the job description first.", true); return; }
  const r = await call("POST", EVT + "/suggest-skills/", { description: f.description.value });
  const merge = (input, names) => {
    const have = list(input.value);
    const lower = new Set(have.map((x) => x.toLowerCase()));
    input.value = have.concat(names.filter((x) => !lower.has(x.toLowerCase()))).join(", ");
  };
  merge(f.required, r.required);
  merge(f.preferred, r.preferred.filter((x) => !list(f.required.value).includes(x)));
  say(b, `Suggested ${r.required.length} required and ${r.preferred.length} preferred skills.`);
}

function eventBody(f) {
  const d = Object.fromEntries(new FormData(f).entries());
  const num = (x) => x === "" || x == null ? undefined : Number(x);
  const body = {
    title: d.title, department: d.department, description: d.description, status: d.status,
    skills: { required: list(d.required), preferred: list(d.preferred) },
    min_experience: num(d.min_experience) || 0, max_experience: num(d.max_experience),
    location: d.location || undefined, start_date: d.start_date || undefined,
    end_date: d.end_date || undefined, show_scores: f.show_scores.checked,
    rounds: Array.from(f.querySelectorAll("fieldset.round")).map((fs) => ({
      name: fs.querySelector("[name=round]").value.trim(),
      interviewers: Array.from(fs.querySelectorAll("input[name=iv]:checked")).map((x) => Number(x.value)),
      questions: lines(fs.querySelector("[name=questions]").value) })),
  };
  return body;
}

async function submitEvent(f, id) {
  const body = eventBody(f);
  const done = busy(f);
  try {
    if (id) {
      // The department stays; the rounds go only when changed (once the
      // first interview started they cannot).
      delete body.department;
      if (JSON.stringify(body.rounds) === f.dataset.rounds) delete body.rounds;
      await call("PATCH", EVT + "/event/", { event_id: id, ...body });
      sayNext("Saved.");
      go(`#/event/${id}`);
      return;
    }
    const created = await call("POST", EVT + "/event/", body, { key: newKey() });
    const files = f.resumes ? Array.from(f.resumes.files) : [];
    sayNext("Event created.");
    go(`#/event/${created.event_id}/${files.length ? "uploads" : "candidates"}`);
    if (files.length) uploadFiles(created.event_id, files);
  } catch (e) { say(f, e.message, true); } finally { done(); }
}

// ---- HR: one event ---------------------------------------------------

const TABS = [["candidates", "Candidates"], ["uploads", "Uploads"], ["day", "Interview day"], ["mail", "Mail"],
  ["duplicates", "Duplicates"], ["data", "Export and privacy"]];
const eventCache = new Map();

async function eventOf(id, fresh) {
  if (fresh || !eventCache.has(id)) eventCache.set(id, await call("GET", `${EVT}/event-detail/?event_id=${id}`));
  return eventCache.get(id);
}

function viewEvent(id, tab) {
  const v = mount("Event");
  const head = h("div", { class: "event-head" }, loading());
  const tabs = h("nav", { class: "tabs", "aria-label": "Event" }, TABS.map(([t, name]) =>
    h("a", { class: "tab", href: `#/event/${id}/${t}`, "aria-current": t === tab ? "page" : null }, name)),
  h("a", { class: "tab", href: `#/event/${id}/edit` }, "Edit"));
  const body = h("div", {});
  v.root.append(head, tabs, body);
  (async () => {
    const e = await eventOf(id, true);
    if (!v.alive()) return;
    $("title").textContent = e.title;
    document.title = `${e.title} · Connectify`;
    head.replaceChildren(h("p", {}, `${e.department} · ${e.status}`,
      e.start_date ? ` · ${e.start_date}${e.end_date ? " to " + e.end_date : ""}` : "",
      e.location ? ` · ${e.location}` : ""));
    ({ candidates: tabCandidates, uploads: tabUploads, day: tabDay, mail: tabMail,
      duplicates: tabDuplicates, data: tabData })[tab](v, e, body);
    focusFirst();
  })().catch((err) => say(head, err.message, true));
}

const PAGE = 25;

function tabCandidates(v, e, body) {
  const st = { all: [], q: "", status: "", sort: "-score", page: 1, picked: new Set() };
  const search = h("input", { type: "search", "aria-label": "Search candidates", placeholder: "Name or email",
    class: "first" });
  const status = h("select", { "aria-label": "Status" }, h("option", { value: "" }, "every status"),
    Object.entries(RSTATE).map(([k, t]) => h("option", { value: k }, t)));
  const sort = h("select", { "aria-label": "Sort by" }, h("option", { value: "-score" }, "best match first"),
    h("option", { value: "score" }, "weakest match first"), h("option", { value: "name" }, "name"),
    h("option", { value: "-created" }, "newest first"));
  const title = h("h2", { id: "ranking-title" }, "Candidates");
  const list = h("div", { id: "registrations" }, loading("Loading candidates…"));
  const pager = h("div", { class: "pager" });
  const bulk = h("div", { class: "bulk" },
    btn("Shortlist selected", () => bulkShortlist(true)), btn("Remove selected from shortlist", () => bulkShortlist(false),
      { class: "secondary" }));
  const c = h("section", { class: "card", "aria-labelledby": "ranking-title" }, title,
    h("p", { class: "msg", role: "status" }), h("div", { class: "filters" }, search, status, sort), bulk, list, pager);
  body.replaceChildren(c);

  const shown = () => {
    const q = st.q.toLowerCase();
    const rows = st.all.filter((g) => (!st.status || g.status === st.status) &&
      (!q || g.user.name.toLowerCase().includes(q) || (g.user.email || "").toLowerCase().includes(q)));
    const key = { "-score": (a, b) => (b.ats_score ?? -1) - (a.ats_score ?? -1),
      score: (a, b) => (a.ats_score ?? 101) - (b.ats_score ?? 101),
      name: (a, b) => a.user.name.localeCompare(b.user.name),
      "-created": (a, b) => b.created_at.localeCompare(a.created_at) }[st.sort];
    return rows.sort(key);
  };
  const H = ["Select", "Candidate", "Match", "Status", "Shortlisted"];
  const render = () => {
    const rows = shown();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    st.page = Math.min(st.page, pages);
    const part = rows.slice((st.page - 1) * PAGE, st.page * PAGE);
    title.textContent = `${st.all.length} candidates, ${rows.length} shown, best match first`;
    if (st.sort !== "-score") title.textContent = `${st.all.length} candidates, ${rows.length} shown`;
    if (!part.length) {
      list.replaceChildren(empty(st.all.length ? "No candidate matches the search." :
        "No candidates yet: upload resumes or wait for applications."));
    } else {
      list.replaceChildren(table(H, part.map((g) => candidateRow(e, g, st, H)), "Candidates"));
    }
    pager.replaceChildren(btn("Previous page", () => { st.page--; render(); }, { disabled: st.page <= 1 }),
      h("span", {}, `Page ${st.page} of ${pages}`),
      btn("Next page", () => { st.page++; render(); }, { disabled: st.page >= pages }));
    for (const b of pager.querySelectorAll("button")) setOff(b, b.disabled);
  };
  const reload = serial(async () => {
    st.all = await all(`${EVT}/register_user/?event_id=${e.event_id}`);
    if (v.alive()) render();
  });
  async function bulkShortlist(on) {
    const ids = st.all.filter((g) => st.picked.has(g.registration_id));
    if (!ids.length) { say(bulk, "Select candidates first.", true); return; }
    let ok = 0; const failed = [];
    for (const g of ids) {
      try {
        await call("PATCH", EVT + "/modified-shortlisted/", { registration_id: g.registration_id, shortlisted: on });
        ok++;
      } catch (err) { failed.push(`${g.user.name}: ${err.message}`); }
    }
    st.picked.clear();
    await reload();
    say(bulk, `${ok} ${on ? "shortlisted" : "no longer shortlisted"}.` +
      (failed.length ? ` Not changed: ${failed.join("; ")}` : ""), failed.length > 0);
  }
  search.addEventListener("input", () => { st.q = search.value; st.page = 1; render(); });
  status.addEventListener("change", () => { st.status = status.value; st.page = 1; render(); });
  sort.addEventListener("change", () => { st.sort = sort.value; render(); });
  v.live((m) => {
    if (m.type === "resume" || m.type === "reconnected" || m.type === "review" || m.type === "queues_changed") reload();
  });
  reload().catch((err) => say(list, err.message, true));
}

function candidateRow(e, g, st, H) {
  const pick = h("input", { type: "checkbox", checked: st.picked.has(g.registration_id),
    "aria-label": `Select ${g.user.name}` });
  pick.addEventListener("change", () => {
    if (pick.checked) st.picked.add(g.registration_id); else st.picked.delete(g.registration_id);
  });
  const statusCell = h("span", {}, RSTATE[g.status] || g.status);
  const box = h("input", { type: "checkbox", checked: g.shortlisted, "aria-label": `Shortlist ${g.user.name}` });
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      const x = await call("PATCH", EVT + "/modified-shortlisted/",
        { registration_id: g.registration_id, shortlisted: box.checked });
      g.status = x.status; g.shortlisted = x.shortlisted;
      statusCell.textContent = RSTATE[x.status] || x.status;
      say(box, `${g.user.name} is ${x.shortlisted ? "shortlisted" : "no longer shortlisted"}.`);
    } catch (err) { box.checked = !box.checked; say(box, err.message, true); } finally { box.disabled = false; }
  });
  const score = g.ats_score == null ? h("span", {}, "scoring…") : h("details", {},
    h("summary", {}, `${Math.round(g.ats_score)} — why?`), explainScore(g));
  return row(H, [h("label", { class: "check" }, pick),
    h("span", {}, h("a", { href: `#/event/${e.event_id}/candidate/${g.registration_id}` }, g.user.name),
      h("br"), h("small", {}, g.user.email || "")),
    score, statusCell, h("label", { class: "check" }, box)], { "data-reg": g.registration_id });
}

// Uploads: batches through XMLHttpRequest for a progress bar; refused
// files are named with the reason; every file's processing state.
const uploads = new Map();   // event id -> {done, total, refused: [], state}

function tabUploads(v, e, body) {
  const input = h("input", { type: "file", accept: "application/pdf", multiple: true, class: "first",
    "aria-label": "Resumes (PDF)" });
  const progress = h("div", { id: "upload-progress" });
  const track = h("div", { id: "track" }, loading("Loading files…"));
  const up = card("Upload resumes", h("p", {}, "PDF files; each is read and scored against the job."),
    input, btn("Upload", async () => {
      const files = Array.from(input.files);
      if (!files.length) { say(input, "Choose PDF files first.", true); return; }
      await uploadFiles(e.event_id, files);
      input.value = "";
    }), progress);
  body.replaceChildren(up, card("Files", track));
  const showProgress = () => {
    const u = uploads.get(e.event_id);
    if (!u) return;
    progress.replaceChildren(h("label", { class: "field" }, h("span", {}, u.state),
      h("progress", { max: u.total || 1, value: u.done })),
    u.refused.length ? h("div", { class: "refused" }, h("h3", {}, "Refused files"),
      h("ul", {}, u.refused.map((x) => h("li", {}, `${x.file}: ${x.reason}`)))) : null);
  };
  const H = ["File", "State", "Candidate", "Match"];
  const STATE = { queued: "waiting to be read", parsing: "being read", scored: "scored", failed: "failed",
    flagged: "flagged" };
  const reload = serial(async () => {
    const rows = await all(`${EVT}/resume-processing-track/?event_id=${e.event_id}`);
    if (!v.alive()) return;
    track.replaceChildren(rows.length ? table(H, rows.map((t) => row(H, [t.file_name,
      (STATE[t.status] || t.status) + (t.error ? `: ${t.error}` : "") +
      (t.possible_duplicate ? ` (possible duplicate by ${t.possible_duplicate})` : ""),
      t.user ? t.user.name || "" : "", t.ats_score == null ? "" : String(Math.round(t.ats_score))])), "Files")
      : empty("No files uploaded yet."));
  });
  uploadView = { event: e.event_id, show: showProgress, reload };
  showProgress();
  v.live((m) => { if (m.type === "resume" || m.type === "reconnected") reload(); });
  reload().catch((err) => say(track, err.message, true));
}

let uploadView = null;

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(",")[1]);
    r.onerror = reject;
    r.readAsDataURL(file);
  });
}

function post(path, body, key, onprogress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", path);
    x.setRequestHeader("Content-Type", "application/json");
    x.setRequestHeader("Authorization", "Bearer " + (load() || session).access_token);
    x.setRequestHeader("Idempotency-Key", key);
    x.upload.onprogress = (ev) => { if (ev.lengthComputable) onprogress(ev.loaded / ev.total); };
    x.onload = () => {
      let data = null;
      try { data = JSON.parse(x.responseText); } catch (e) { /* none */ }
      if (x.status >= 200 && x.status < 300) resolve(data);
      else reject(Object.assign(new Error(explain(data)), { status: x.status }));
    };
    x.onerror = () => reject(new Error("The upload was cut off; try again."));
    x.send(JSON.stringify(body));
  });
}

async function uploadFiles(eventId, files) {
  const u = { done: 0, total: files.length, refused: [], state: `Uploading ${files.length} files…` };
  uploads.set(eventId, u);
  const show = () => { if (uploadView && uploadView.event === eventId) uploadView.show(); };
  show();
  let queued = 0;
  const key = newKey();
  for (let i = 0; i < files.length; i += 10) {
    const part = files.slice(i, i + 10);
    const good = [];
    for (const f of part) {
      if (f.size > 10 * 1024 * 1024) u.refused.push({ file: f.name, reason: "larger than 10 MB" });
      else good.push(f);
    }
    if (good.length) {
      try {
        const batch = await Promise.all(good.map(async (f) => ({ file_name: f.name, content_base64: await fileToBase64(f) })));
        let r;
        for (let attempt = 0; ; attempt++) {
          try {
            r = await post(EVT + "/event-resumes/", { event_id: eventId, resumes: batch }, `${key}-${i}`,
              (p) => { u.done = i + p * good.length; show(); });
            break;
          } catch (err) {
            if (attempt >= 2 || (err.status && err.status < 500)) throw err;
            await new Promise((res) => setTimeout(res, 1000 * (attempt + 1)));
          }
        }
        for (const x of r.resumes) {
          if (x.error) u.refused.push({ file: x.file_name, reason: x.error.message || x.error });
          else queued++;
        }
      } catch (err) {
        good.forEach((f) => u.refused.push({ file: f.name, reason: err.message }));
      }
    }
    u.done = Math.min(files.length, i + 10);
    u.state = `Uploaded ${u.done} of ${files.length}: ${queued} queued for scoring, ${u.refused.length} refused.`;
    show();
  }
  u.state = `Done: ${queued} queued for scoring, ${u.refused.length} refused.`;
  show();
  if (uploadView && uploadView.event === eventId) uploadView.reload();
}

// The interview day: each round's queues as they change, and the selected.
function tabDay(v, e, body) {
  const rounds = h("div", { id: "rounds" });
  const selected = h("ul", { id: "selected" }, h("li", {}, "Loading…"));
  body.replaceChildren(rounds, card("Selected", selected));
  const names = new Map();    // queue id -> the candidate's name
  const loaders = e.rounds.map((ro) => roundBlock(v, e, ro, rounds, names));
  const loadSelected = serial(async () => {
    const r = await all(`${EVT}/all-selected-users/?event_id=${e.event_id}`);
    if (!v.alive()) return;
    selected.replaceChildren(...(r.length ? r.map((g) => h("li", {}, `${g.user.name} <${g.user.email}>`))
      : [h("li", {}, "No one selected yet.")]));
  });
  if (!e.rounds.length) rounds.append(empty("This event has no rounds: add them with Edit."));
  const all2 = () => { loaders.forEach((f) => f()); loadSelected(); };
  v.live((m) => {
    if (HR_LIVE[m.type]) {
      const text = HR_LIVE[m.type];
      if (text !== true) say(null, `${names.get(m.queue_id) || "A candidate"} ${text}.`);
      all2();
    }
  });
  all2();
}

// What HR is told of each step (true: the view only).
const HR_LIVE = { queues_changed: true, review: true, called: "was called",
  accept_interview: "accepted the call", reject_interview: "declined the call",
  in_interview: "is in interview", no_show: "did not come (no-show)",
  completed: "finished the interview", skipped: "was skipped to the end of the line",
  queue_moved: true, leave: "left the queue", interviewer_left: true, unqueued: true,
  reconnected: true };

function roundBlock(v, e, ro, parent, names) {
  const H = ["Interviewer", "Place", "Candidate", "Status", "Change"];
  const tbody = h("tbody", {});
  const c = card(`Round ${ro.position}: ${ro.name}`,
    h("p", {}, ro.interviewers.length ? `Interviewers: ${ro.interviewers.map((x) => x.name).join(", ")}` :
      "No interviewers in this round yet."),
    h("p", { class: "actions" }, btn("Assign queues", async (ev, b) => {
      const q = await call("POST", EVT + "/zoom-mapping/", { round_id: ro.round_id, mode: "auto" }, { key: newKey() });
      const n = q.queues.reduce((s, x) => s + x.entries.length, 0);
      say(b, `${ro.name}: ${n} candidates in ${q.queues.length} queues.`);
      show(q);
    }, { "aria-label": `Assign queues for ${ro.name}` })),
    h("table", { "aria-label": `Queues for ${ro.name}` },
      h("thead", {}, h("tr", {}, H.map((x) => h("th", { scope: "col" }, x)))), tbody));
  c.id = `round-${ro.round_id}`;
  parent.append(c);
  const move = async (en, interviewer, position) => {
    const q = await call("PATCH", EVT + "/zoom-mapping/", { queue_id: en.queue_id, interviewer_id: interviewer,
      position });
    const change = q.changes && q.changes.length ? q.changes[0].change : "moved";
    say(c, change === "nothing changed" ? `${en.candidate.name}: nothing changed.` : `${en.candidate.name} ${change}.`);
    show(q);
  };
  function show(q) {
    const rows = [];
    for (const x of q.queues) {
      if (!x.entries.length) rows.push(h("tr", {}, h("td", { "data-label": H[0] }, x.interviewer.name),
        h("td", { colSpan: 4, "data-label": "" }, "no one queued")));
      let place = 0;
      const waiting = x.entries.filter((en) => en.status === "waiting").length;
      for (const en of x.entries) {
        names.set(en.queue_id, en.candidate.name);
        const inLine = en.status === "waiting" || en.status === "called";
        if (inLine) place++;
        const acts = h("span", { class: "actions" });
        if (en.status === "waiting" && q.queues.length > 1) {
          const sel = h("select", { "aria-label": `Interviewer for ${en.candidate.name}` },
            q.queues.map((o) => h("option", { value: o.interviewer.id, selected: o === x }, o.interviewer.name)));
          acts.append(sel, btn("Move", () => move(en, Number(sel.value)), { "aria-label": `Move ${en.candidate.name}` }));
        }
        if (en.status === "waiting" && waiting > 1) {
          const wpos = x.entries.filter((y) => y.status === "waiting").indexOf(en) + 1;
          if (wpos > 1) acts.append(btn("Up", () => move(en, x.interviewer.id, wpos - 1), { "aria-label": `Move ${en.candidate.name} up` }));
          if (wpos < waiting) acts.append(btn("Down", () => move(en, x.interviewer.id, wpos + 1), { "aria-label": `Move ${en.candidate.name} down` }));
        }
        if (["declined", "no_show", "left", "held"].includes(en.status))
          acts.append(btn("Requeue", () => move(en, x.interviewer.id), { "aria-label": `Requeue ${en.candidate.name}` }));
        rows.push(row(H, [x.interviewer.name, inLine ? String(place) : "", en.candidate.name,
          h("span", { class: `state s-${en.status}` }, QSTATE[en.status] || en.status), acts]));
      }
    }
    if (!rows.length) rows.push(h("tr", {}, h("td", { colSpan: 5 }, "No queues yet: press “Assign queues”.")));
    tbody.replaceChildren(...rows);
  }
  return serial(async () => {
    try {
      const q = await call("GET", `${EVT}/zoom-mapping/?round_id=${ro.round_id}`);
      if (v.alive()) show(q);
    } catch (err) { say(c, err.message, true); }
  });
}

function tabMail(v, e, body) {
  const f = h("form", {},
    field("Who", h("select", { name: "audience", class: "first" }, h("option", { value: "all" }, "interviewers and candidates"),
      h("option", { value: "interviewers" }, "interviewers"), h("option", { value: "candidates" }, "candidates"))),
    field("What", h("select", { name: "kind" }, h("option", { value: "invite" }, "the invitation"),
      h("option", { value: "reminder" }, "a reminder"))),
    h("button", {}, "Send mail"));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const done = busy(f);
    try {
      const r = await call("POST", API + "/send-event-mail/", { event_id: e.event_id, audience: f.audience.value,
        kind: f.kind.value }, { key: newKey() });
      say(f, `Mail queued for ${r.queued} people.`);
    } catch (err) {
      const at = err.body && err.body.error && err.body.error.sent_at;
      say(f, at ? `This mail already went at ${when(at)}; it can go again an hour later.` : err.message, true);
    } finally { done(); }
  });
  body.replaceChildren(card("Mail about this event", h("p", {}, "Each person gets one copy; the invitation names the dates and the place."), f));
}

// ---- HR: one candidate -----------------------------------------------

function viewCandidate(eventId, regId) {
  const v = mount("Candidate");
  const back = h("p", {}, h("a", { href: `#/event/${eventId}/candidates`, class: "first" }, "Back to the candidates"));
  const profile = h("div", {}, loading());
  const resume = h("div", { class: "resume" });
  const reviews = h("div", {}, loading());
  const chat = h("div", {});
  const panels = h("div", { id: "scorecards" }, loading("Loading scorecards…"));
  const history = h("div", { id: "history" }, loading("Loading the history…"));
  const erase = h("div", {});
  v.root.append(back, h("div", { class: "split" }, card("Profile", profile), card("Resume", resume)),
    card("Reviews", reviews), card("Panel scorecards", panels), card("History", history), card("Chat", chat),
    card("Erase this candidate", erase));
  (async () => {
    const [e, regs] = await Promise.all([eventOf(eventId), all(`${EVT}/register_user/?event_id=${eventId}`)]);
    const g = regs.find((x) => x.registration_id === regId);
    if (!v.alive()) return;
    if (!g) { profile.replaceChildren(empty("No such candidate in this event.")); return; }
    $("title").textContent = g.user.name;
    document.title = `${g.user.name} · Connectify`;
    const a = g.ats_result || {};
    profile.replaceChildren(h("dl", { class: "facts" },
      h("dt", {}, "Event"), h("dd", {}, e.title),
      h("dt", {}, "Email"), h("dd", {}, g.user.email || ""),
      h("dt", {}, "Phone"), h("dd", {}, g.user.phone_number || ""),
      h("dt", {}, "Status"), h("dd", {}, RSTATE[g.status] || g.status),
      h("dt", {}, "Applied"), h("dd", {}, when(g.created_at)),
      (a.skills || []).length ? [h("dt", {}, "Skills"), h("dd", {}, a.skills.join(", "))] : null),
    h("h3", {}, "Score explained"), explainScore(g));
    pdfView(resume, g.resume_url, g.user.name);
    chatBox(chat, eventId, g.user.id, v);
    const r = await call("GET", `${EVT}/candidate-review/?registration_id=${regId}`);
    if (!v.alive()) return;
    reviews.replaceChildren(r.reviews.length ? h("ul", { class: "reviews" }, r.reviews.map(reviewItem))
      : empty("No reviews yet."));
    eraseBlock(erase, g, eventId);
    showPanels(panels, e, regId, v).catch((err) => say(panels, err.message, true));
    showHistory(history, regId, v).catch((err) => say(history, err.message, true));
  })().catch((err) => say(profile, err.message, true));
}

function reviewItem(x) {
  return h("li", {}, h("strong", {}, `${x.round}: ${x.result === "pass" ? "passed" : "did not pass"}`),
    `, rated ${x.rating} of 5 by ${x.reviewer.name}`, x.version > 1 ? ` (amended, version ${x.version})` : "",
    x.comments ? h("p", {}, x.comments) : null);
}

// The resume in pdf.js, page by page, on a canvas (no plugin, no download).
let pdfjs = null;
async function pdfView(el, url, name) {
  if (!url) { el.replaceChildren(empty("No resume on file.")); return; }
  el.replaceChildren(loading("Opening the resume…"));
  const link = h("a", { href: url, target: "_blank", rel: "noopener" }, "Open the PDF");
  try {
    if (!pdfjs) {
      pdfjs = await import("/vendor/pdf.min.js");
      pdfjs.GlobalWorkerOptions.workerSrc = "/vendor/pdf.worker.min.js";
    }
    const doc = await pdfjs.getDocument({ url, isEvalSupported: false }).promise;
    let n = 1;
    const canvas = h("canvas", { role: "img", class: "page", "aria-label": `${name}'s resume` });
    const info = h("span", {});
    const prev = btn("Previous page", async () => { n--; await draw(); });
    const next = btn("Next page", async () => { n++; await draw(); });
    const draw = async () => {
      const page = await doc.getPage(n);
      const vp0 = page.getViewport({ scale: 1 });
      const scale = Math.min(2, Math.max(0.5, (el.clientWidth || 600) / vp0.width)) * (window.devicePixelRatio || 1);
      const vp = page.getViewport({ scale });
      canvas.width = vp.width;
      canvas.height = vp.height;
      await page.render({ canvasContext: canvas.getContext("2d"), viewport: vp }).promise;
      canvas.setAttribute("aria-label", `Page ${n} of ${doc.numPages} of ${name}'s resume`);
      info.textContent = `Page ${n} of ${doc.numPages}`;
      setOff(prev, n <= 1);
      setOff(next, n >= doc.numPages);
    };
    el.replaceChildren(h("p", { class: "pdfbar" }, prev, info, next, link), canvas);
    await draw();
  } catch (e) {
    el.replaceChildren(h("p", {}, "The resume cannot be shown here. "), link);
  }
}

// The HR-candidate thread of one event.
function chatBox(el, eventId, candidateId, v) {
  const thread = h("ol", { class: "chat" }, h("li", {}, "Loading…"));
  const text = h("textarea", { name: "message", rows: 2, required: true, maxlength: 4000 });
  const f = h("form", {}, field("Message", text), h("button", {}, "Send"));
  const q = candidateId ? `&candidate_id=${candidateId}` : "";
  const reload = serial(async () => {
    const r = await all(`${EVT}/hr-user-chatting/?event_id=${eventId}${q}`);
    if (!v.alive()) return;
    thread.replaceChildren(...(r.length ? r.map((m) => h("li", { class: m.sender_id === me.id ? "mine" : "" },
      h("strong", {}, m.sender_id === me.id ? "You" : m.sender), ` (${when(m.created_at)}): `, m.message))
      : [h("li", {}, "No messages yet.")]));
  });
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const done = busy(f);
    try {
      await call("POST", EVT + "/hr-user-chatting/", { event_id: eventId, candidate_id: candidateId || undefined,
        message: text.value }, { key: newKey() });
      text.value = "";
      await reload();
    } catch (err) { say(f, err.message, true); } finally { done(); }
  });
  el.replaceChildren(thread, f);
  const prev = liveHandler;
  v.live((m) => { if (m.type === "chat") reload(); if (prev) prev(m); });
  reload().catch((err) => say(el, err.message, true));
}

// ---- HR: people and analytics ----------------------------------------

function viewPeople() {
  const v = mount("People");
  const type = h("select", { "aria-label": "Show", class: "first" }, h("option", { value: "Interviewer" }, "Interviewers"),
    h("option", { value: "Hr" }, "HR"), h("option", { value: "Interviewee" }, "Candidates"));
  const body = h("div", {}, loading());
  const H = ["Name", "Role", "Email", "Phone", ""];
  const load2 = serial(async () => {
    body.replaceChildren(loading());
    const users = await all(`${API}/fetch-user/?user_type=${type.value}`);
    if (!v.alive()) return;
    body.replaceChildren(users.length ? table(H, users.map((u) => {
      let role = u.user_type;
      if (me.is_admin && u.id !== me.id) {
        const sel = h("select", { "aria-label": `Role of ${u.name}` },
          ["Hr", "Interviewer", "Interviewee"].map((t) => h("option", { value: t, selected: t === u.user_type }, t)));
        role = h("span", { class: "actions" }, sel, btn("Save", async (ev, b) => {
          await call("PATCH", API + "/fetch-user/", { user_id: u.id, user_type: sel.value });
          say(b, `${u.name} is now ${sel.value}.`);
        }, { "aria-label": `Save the role of ${u.name}` }));
      }
      return row(H, [u.name, role, u.email || "", u.phone_number || "", ""]);
    }), "People") : empty("No one here yet."));
  });
  type.addEventListener("change", () => load2().catch((e) => say(body, e.message, true)));
  v.root.append(card("Staff and candidates", field("Show", type), body));
  if (me.is_admin) {
    const f = h("form", {}, field("Name", h("input", { name: "name", required: true })),
      field("Phone number", h("input", { name: "phone_number", type: "tel", required: true })),
      field("Email", h("input", { name: "email", type: "email", required: true })),
      h("button", {}, "Add interviewer"));
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const done = busy(f);
      try {
        const u = await call("POST", API + "/register-interviewer/", Object.fromEntries(new FormData(f)));
        say(f, `${u.name} can now sign in with ${u.phone_number}.`);
        f.reset();
        staffCache = null;
        load2();
      } catch (err) { say(f, err.message, true); } finally { done(); }
    });
    v.root.append(card("Invite an interviewer", f));
  } else {
    v.root.append(h("p", { class: "hint" }, "The organisation admin adds interviewers and sets roles."));
  }
  load2().catch((e) => say(body, e.message, true));
}

let chartLib = null;
function loadChart() {
  if (!chartLib) chartLib = new Promise((resolve, reject) => {
    const s = h("script", { src: "/vendor/chart.umd.min.js" });
    s.onload = () => resolve(window.Chart);
    s.onerror = () => reject(new Error("The charts cannot be loaded."));
    document.head.append(s);
  });
  return chartLib;
}

function viewAnalytics() {
  const v = mount("Analytics");
  const now = new Date();
  const month = h("select", { "aria-label": "Month", class: "first" }, Array.from({ length: 12 }, (_, i) =>
    h("option", { value: i + 1, selected: i === now.getMonth() }, new Date(2000, i, 1).toLocaleString("en", { month: "long" }))));
  const year = h("input", { type: "number", "aria-label": "Year", value: now.getFullYear(), min: 2000, max: 2100 });
  const dept = h("div", { id: "chart-dept" }), status = h("div", { id: "chart-status" }), funnel = h("div", { id: "chart-funnel" });
  v.root.append(h("div", { class: "filters" }, month, year),
    h("div", { class: "split" }, card("Applications by department", dept), card("Applications by status", status)),
    card("All your events, by stage", funnel));
  const charts = [];
  const chart = async (el, label, rows) => {
    el.replaceChildren();
    if (!rows.length) { el.append(empty("No applications in this period.")); return; }
    const Chart = await loadChart();
    const canvas = h("canvas", { role: "img", "aria-label": `${label}: ` + rows.map(([k, n]) => `${k} ${n}`).join(", ") });
    el.append(h("div", { class: "chart" }, canvas),
      table(["", "Applications"], rows.map(([k, n]) => row(["", "Applications"], [k, String(n)])), label));
    charts.push(new Chart(canvas, { type: "bar", data: { labels: rows.map((r) => r[0]),
      datasets: [{ label: "Applications", data: rows.map((r) => r[1]), backgroundColor: "#2f5aa8" }] },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } }));
  };
  const reload = serial(async () => {
    charts.splice(0).forEach((c) => c.destroy());
    for (const el of [dept, status, funnel]) el.replaceChildren(loading());
    const q = `?month=${month.value}&year=${year.value}`;
    const [d, s, c] = await Promise.all([call("GET", `${EVT}/application-by-department/${q}`),
      call("GET", `${EVT}/job-application-status/${q}`), call("GET", `${EVT}/application-count/`)]);
    if (!v.alive()) return;
    await chart(dept, "Applications by department", d.departments.map((x) => [x.department, x.count]));
    await chart(status, "Applications by status", s.statuses.map((x) => [RSTATE[x.status] || x.status, x.count]));
    const order = ["applied", "shortlisted", "interviewing", "selected", "rejected", "withdrawn"];
    await chart(funnel, "By stage", order.filter((k) => c.by_status[k]).map((k) => [RSTATE[k], c.by_status[k]]));
  });
  const again = () => reload().catch((e) => say(null, e.message, true));
  month.addEventListener("change", again);
  year.addEventListener("change", again);
  again();
}

// ---- interviewer -----------------------------------------------------

function viewRounds() {
  const v = mount("My interview rounds");
  const body = h("div", { id: "iv-rounds" }, loading());
  v.root.append(card("Rounds you interview in", body));
  (async () => {
    const r = await call("GET", EVT + "/user-event-data/");
    if (!v.alive()) return;
    const H = ["Event", "Round", ""];
    body.replaceChildren(r.interviewing.length ? table(H, r.interviewing.map((x) => row(H, [
      `${x.title} (${x.status})`, x.round,
      h("a", { href: `#/round/${x.round_id}`, class: "button" , "aria-label": `Open queue for ${x.title}, ${x.round}` }, "Open queue")])),
    "Rounds") : empty("You are not an interviewer in any round yet."));
    focusFirst();
  })().catch((e) => say(body, e.message, true));
}

function viewRound(roundId) {
  const v = mount("Interview round");
  joinRoom(roundId);
  const st = { round: null, queue: [], regs: new Map(), reviewing: null, current: null };
  const now = h("p", { id: "iv-now" }, "Loading the queue…");
  const startNext = btn("Start next", async (ev, b) => {
    const r = await act("start_next", roundId);
    await loadQueue();
    if (r.called === null) { say(b, "No one is waiting."); return; }
    say(b, `Called ${nameOf(r.queue_id, "the next candidate")}; waiting for them to accept.`);
  }, { class: "first" });
  const complete = btn("Complete", async (ev, b) => {
    const r = await act("complete_interview", roundId);
    if (rtc && rtc.qid === r.queue_id) callEnd(true, "The interview is complete; the call ended.");
    await loadQueue();
    const en = st.queue.find((x) => x.queue_id === r.queue_id);
    say(b, "Interview complete. Please review it.");
    if (en) openReview(en);
  });
  setOff(startNext, true);
  setOff(complete, true);
  const entries = h("tbody", { id: "iv-entries" });
  const H = ["Place", "Candidate", "Status", ""];
  const side = h("div", { id: "iv-candidate" });
  const qcard = card("Queue", now, h("p", { class: "actions" }, startNext, complete),
    h("table", { "aria-label": "Your queue" }, h("thead", {}, h("tr", {}, H.map((x) => h("th", { scope: "col" }, x)))), entries));
  v.root.append(h("div", { class: "split" }, qcard, side));
  const nameOf = (qid, otherwise) => {
    const en = st.queue.find((x) => x.queue_id === qid);
    return en ? en.candidate.name : otherwise;
  };

  const loadQueue = serial(async () => {
    const q = await call("GET", `${EVT}/zoom-mapping/?round_id=${roundId}`);
    if (!v.alive()) return;
    st.queue = q.queues.length ? q.queues[0].entries : [];
    showQueue();
  });

  function showQueue() {
    const cur = st.queue.find((en) => BUSY.includes(en.status));
    const waiting = st.queue.filter((en) => en.status === "waiting" || en.status === "held").length;
    now.replaceChildren(cur ? `Now: ${cur.candidate.name}, ${cur.status === "called" ? "called, not accepted yet" : "in interview"}.`
      : `No interview in progress; ${waiting} waiting.`);
    if (cur && cur.status === "called") {
      const step = (action, text) => async (ev, b) => { await act(action, roundId); say(b, text); await loadQueue(); };
      now.append(" ", h("span", { class: "actions" },
        btn("No-show", step("no_show", `${cur.candidate.name}: no-show.`)),
        btn("Skip", step("skip", `${cur.candidate.name} goes to the end of the line.`)),
        btn("Call again", step("call_again", `${cur.candidate.name} called again.`))));
    }
    if (cur && cur.status !== "called" && !(rtc && rtc.qid === cur.queue_id))
      now.append(" ", btn("Start video call", () => callStart(cur.queue_id, cur.candidate.name)));
    setOff(startNext, !!cur || !waiting);
    setOff(complete, !cur || cur.status === "called");
    let place = 0;
    entries.replaceChildren(...(st.queue.length ? st.queue.map((en) => {
      const inLine = en.status === "waiting" || en.status === "called";
      const acts = h("span", { class: "actions" });
      if (en.status === "no_show" && !cur)
        acts.append(btn("Call again", async () => {
          await call("POST", EVT + "/interview-action/", { action: "call_again", session_id: roundId, queue_id: en.queue_id });
          await loadQueue();
        }, { "aria-label": `Call ${en.candidate.name} again` }));
      if (en.status === "done")
        acts.append(btn("Review", () => openReview(en), { "aria-label": `Review ${en.candidate.name}` }));
      return row(H, [inLine ? String(++place) : "", en.candidate.name, QSTATE[en.status] || en.status, acts]);
    }) : [h("tr", {}, h("td", { colSpan: 4 }, "No one in your queue yet."))]));
    const focus = cur || (st.reviewing ? null : st.queue.find((en) => en.status === "waiting"));
    if (focus && !st.reviewing && st.current !== focus.registration_id) showCandidate(focus);
  }

  async function regOf(en) {
    if (!st.regs.has(en.registration_id)) {
      const r = await all(`${EVT}/register_user/?event_id=${st.round.event_id}&round_id=${roundId}`);
      r.forEach((g) => st.regs.set(g.registration_id, g));
    }
    return st.regs.get(en.registration_id);
  }

  // The candidate beside the queue: score explained and the resume.
  async function showCandidate(en, extra) {
    st.current = en.registration_id;
    const gen = st.sideGen = (st.sideGen || 0) + 1;
    const g = await regOf(en).catch(() => null);
    if (!v.alive() || gen !== st.sideGen) return;
    const resume = h("div", { class: "resume" });
    side.replaceChildren(...(extra ? [extra] : []), card(`Candidate: ${en.candidate.name}`,
      g ? explainScore(g) : empty("No details for this candidate."), h("h3", {}, "Resume"), resume));
    if (g) pdfView(resume, g.resume_url, en.candidate.name);
  }

  async function openReview(en) {
    st.reviewing = en;
    const qs = await call("GET", `${EVT}/assessment-questions/?event_id=${st.round.event_id}&round_id=${roundId}`);
    const rating = (name, label) => field(label, h("select", { name },
      [1, 2, 3, 4, 5].map((i) => h("option", { value: i, selected: i === 3 }, String(i)))));
    const f = h("form", { id: "review" }, h("h2", { id: "review-title" }, `Review of ${en.candidate.name}`),
      h("p", { class: "msg", role: "status" }),
      rating("rating", "Overall rating"),
      qs.length ? h("fieldset", {}, h("legend", {}, "The round's questions"), qs.map((q) => {
        const l = rating(`q${q.question_id}`, q.text);
        l.querySelector("select").dataset.question = q.question_id;
        return l;
      })) : null,
      field("Comments", h("textarea", { name: "comments", rows: 3 })),
      h("fieldset", {}, h("legend", {}, "Result"),
        h("label", { class: "check" }, h("input", { type: "radio", name: "result", value: "pass", required: true }), "Pass"),
        h("label", { class: "check" }, h("input", { type: "radio", name: "result", value: "fail" }), "Fail")),
      h("button", {}, "Submit review"));
    f.classList.add("card");
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const ratings = Array.from(f.querySelectorAll("select[data-question]"))
        .map((s) => ({ question_id: Number(s.dataset.question), rating: Number(s.value) }));
      const done = busy(f);
      try {
        const r = await call("POST", EVT + "/candidate-review/", { registration_id: en.registration_id,
          round_id: roundId, rating: Number(f.rating.value), ratings, comments: f.comments.value,
          result: f.result.value }, { key: newKey() });
        st.reviewing = null;
        st.current = null;
        say(qcard.querySelector("button"), `Review saved: ${en.candidate.name} ${r.result === "pass" ? "passed" : "did not pass"}; now ${r.status}.`);
        f.remove();
        await loadQueue();
      } catch (err) { say(f, err.message, true); } finally { done(); }
    });
    await showCandidate(en, f);
    rubricForm(en, roundId, f).catch((err) => say(f, err.message, true));
    f.rating.focus();
  }

  v.live((m) => {
    const round = m.round_id || m.session_id;
    if (m.type !== "reconnected" && round !== roundId) return;
    loadQueue().then(() => {
      const who = nameOf(m.queue_id, "The candidate");
      if (m.type === "accept_interview") say(now, `${who} accepted; the interview is on.`);
      if (m.type === "reject_interview") say(now, `${who} declined the interview.`);
      if (m.type === "leave") say(now, `${who} left the queue.`);
    });
  });
  (async () => {
    const r = await call("GET", EVT + "/user-event-data/");
    st.round = r.interviewing.find((x) => x.round_id === roundId);
    if (!v.alive()) return;
    if (!st.round) { now.textContent = "You do not interview in this round."; return; }
    $("title").textContent = `${st.round.title}: ${st.round.round}`;
    $("title").id = "iv-title";
    await loadQueue();
    if (v.alive()) focusFirst();
  })().catch((e) => say(now, e.message, true));
}

async function act(action, round) {
  return call("POST", EVT + "/interview-action/", { action, session_id: round });
}

// ---- candidate -------------------------------------------------------

function viewApplications() {
  const v = mount("My applications");
  const body = h("div", { id: "applications" }, loading());
  const myQueues = new Set();
  v.root.append(body, h("p", {}, h("a", { href: "#/open" }, "Find open events to apply to")));
  const reload = serial(async () => {
    const r = await call("GET", EVT + "/user-event-data/");
    const items = await Promise.all(r.registrations.map(async (x) => {
      const g = x.registration;
      const ro = (x.event.rounds || []).find((y) => y.round_id === g.current_round_id);
      const c = card(x.event.title,
        h("p", { class: "state" }, `Status: ${RSTATE[g.status] || g.status}`,
          ro ? ` · round ${ro.position}, ${ro.name}` : "",
          g.ats_score == null ? "" : ` · match ${Math.round(g.ats_score)} of 100`),
        x.event.start_date ? h("p", {}, `Interviews on ${x.event.start_date}${x.event.location ? " at " + x.event.location : ""}.`) : null);
      c.classList.add("application");
      if (g.current_round_id && g.status === "interviewing") {
        try {
          const place = await call("GET", `${EVT}/zoom-mapping/?round_id=${g.current_round_id}`);
          myQueues.add(place.queue_id);
          callPeers.set(place.queue_id, place.interviewer.name);
          c.append(placeBlock(place, reload));
        } catch (e) { if (e.status !== 404) throw e; }
      }
      c.append(h("p", {}, h("a", { href: `#/chat/${x.event.event_id}` }, `Chat with HR about ${x.event.title}`)));
      return c;
    }));
    if (!v.alive()) return;
    body.replaceChildren(...(items.length ? items : [empty("You have not applied anywhere yet.")]));
    focusFirst();
  });
  v.live((m) => {
    // Others' steps in the line reach a candidate too (their place moves).
    const mine = !m.queue_id || myQueues.has(m.queue_id);
    if (m.type === "called" && mine) say(null, "You are called for your interview: accept or reject it below.");
    if (m.type === "review") say(null, `Your interview was reviewed: you are now ${RSTATE[m.status] || m.status}.`);
    reload();
  });
  reload().catch((e) => say(body, e.message, true));
}

function placeBlock(place, reload) {
  const who = place.interviewer.name;
  const div = h("div", { class: "place" }, h("p", {}, {
    waiting: `Interview with ${who}: you are number ${place.position} in line.`,
    called: `${who} is ready for you now.`,
    accepted: `In interview with ${who}.`,
    in_interview: `In interview with ${who}.`,
    done: `Interview with ${who} done; waiting for the review.`,
    declined: `You declined the interview with ${who}.`,
    no_show: `You did not come when ${who} called; HR can put you back in line.`,
    held: `${who} is away; you keep your place until they are back.`,
    left: `You left the queue of ${who}.`,
  }[place.status] || place.status));
  if (place.status === "called") {
    // Accept or reject, each confirmed first.
    const answer = (action, label, question, text) => btn(label, () => {
      const yes = btn(`Yes, ${label.toLowerCase()}`, async (ev, b) => {
        await act(action, place.round_id);
        say(null, text);    // the application's card is drawn again
        await reload();
      });
      confirm.replaceChildren(h("p", {}, question), h("span", { class: "actions" }, yes,
        btn("Cancel", () => { confirm.replaceChildren(); }, { class: "secondary" })));
      yes.focus();
    });
    const confirm = h("div", { class: "confirm" });
    div.append(h("span", { class: "actions" },
      answer("accept_interview", "Accept", `Join the interview with ${who} now?`, "Accepted: your interview starts now."),
      answer("reject_interview", "Reject", `Decline the interview with ${who}? HR can put you back in line.`,
        "You declined this interview.")), confirm);
  }
  return div;
}

function viewOpen() {
  const v = mount("Open events");
  const body = h("div", {}, loading());
  v.root.append(body);
  (async () => {
    const [evs, mine] = await Promise.all([all(EVT + "/event/?status=Active"), call("GET", EVT + "/user-event-data/")]);
    if (!v.alive()) return;
    const applied = new Set(mine.registrations.map((x) => x.event.event_id));
    const open = evs.filter((e) => !applied.has(e.event_id));
    body.replaceChildren(...(open.length ? open.map((e) => {
      const file = h("input", { type: "file", accept: "application/pdf", "aria-label": `Your resume for ${e.title}` });
      return card(e.title, h("p", {}, `${e.department}`, e.location ? ` · ${e.location}` : "",
        e.start_date ? ` · from ${e.start_date}` : ""),
      e.description ? h("p", { class: "desc" }, e.description) : null,
      (e.skills.required || []).length ? h("p", {}, `Skills: ${e.skills.required.join(", ")}`) : null,
      field("Your resume (PDF)", file),
      btn("Apply", async (ev, b) => {
        const f = file.files[0];
        if (!f) { say(b, "Choose your resume first.", true); return; }
        await call("POST", EVT + "/event-register/", { event_id: e.event_id,
          resume: { file_name: f.name, content_base64: await fileToBase64(f) } }, { key: newKey() });
        sayNext(`You applied to ${e.title}.`);
        go("#/applications");
      }, { "aria-label": `Apply to ${e.title}` }));
    }) : [empty("No open events right now; come back soon.")]));
    focusFirst();
  })().catch((e) => say(body, e.message, true));
}

function viewChat(eventId) {
  const v = mount("Chat with HR");
  const box = h("div", {});
  v.root.append(h("p", {}, h("a", { href: "#/applications" }, "Back to my applications")), card("Messages", box));
  chatBox(box, eventId, null, v);
}

// ---- the interview's video call ---------------------------------------
// WebRTC between the interviewer's and the candidate's browsers, with the
// platform's TURN servers (GET turn-credentials/); the offer, answer, ICE
// candidates and hang-up go through POST call-signal/ and arrive on the
// other one's live channel.  localStorage "connectify.ice" = "relay" sends
// all media through TURN.

let rtc = null;             // {qid, pc, media, pending: [], timer, peer}
const callPeers = new Map(); // queue id -> the other person's name
let early = { qid: null, ice: [] };  // ICE come before the candidate joins

function callSay(text) { $("call-state").textContent = text; }

function signal(qid, kind, data) {
  return call("POST", EVT + "/call-signal/", { queue_id: qid, kind, data });
}

async function callOpen(qid, peer) {
  const [ice, media] = await Promise.all([call("GET", EVT + "/turn-credentials/"),
    navigator.mediaDevices.getUserMedia({ audio: true, video: true })]);
  const pc = new RTCPeerConnection({ iceServers: ice.ice_servers,
    iceTransportPolicy: localStorage.getItem("connectify.ice") === "relay" ? "relay" : "all" });
  rtc = { qid, pc, media, pending: [], peer, timer: null };
  media.getTracks().forEach((t) => pc.addTrack(t, media));
  $("call-local").srcObject = media;
  pc.ontrack = (ev) => { $("call-remote").srcObject = ev.streams[0]; };
  pc.onicecandidate = (ev) => { if (ev.candidate) signal(qid, "ice", ev.candidate.toJSON()).catch(() => {}); };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === "failed") callSay("The call could not connect; leave and start it again.");
  };
  rtc.timer = setInterval(callStats, 1000);
  callButtons();
  return rtc;
}

// What the call does, in words: connected how, and the media received.
async function callStats() {
  const cur = rtc;
  if (!cur) return;
  const stats = await cur.pc.getStats().catch(() => null);
  // The call may have ended while the stats were gathered.
  if (!stats || rtc !== cur) return;
  let bytes = 0, pair = null;
  const byId = new Map();
  stats.forEach((x) => {
    byId.set(x.id, x);
    if (x.type === "inbound-rtp") bytes += x.bytesReceived || 0;
    if (x.type === "transport" && x.selectedCandidatePairId) pair = x.selectedCandidatePairId;
  });
  const p = pair && byId.get(pair);
  const local = p && byId.get(p.localCandidateId);
  if (cur.pc.connectionState === "connected")
    callSay(`In the call with ${cur.peer}` + (local ? ` (${local.candidateType === "relay" ? "relay" : "direct"})` : "") +
      ` · received ${Math.round(bytes / 1024)} kB`);
}

function callButtons() {
  const box = $("call-buttons");
  if (!rtc) { box.replaceChildren(); return; }
  const toggle = (kind, on, off) => btn(on, (ev, b) => {
    const t = rtc.media.getTracks().find((x) => x.kind === kind);
    t.enabled = !t.enabled;
    b.textContent = t.enabled ? on : off;
  });
  box.replaceChildren(toggle("audio", "Mute", "Unmute"), toggle("video", "Camera off", "Camera on"),
    btn("Leave the call", () => callEnd(true, "You left the call.")));
}

function callEnd(tell, text) {
  if (!rtc) return;
  const { qid, pc, media, timer } = rtc;
  rtc = null;
  clearInterval(timer);
  pc.close();
  media.getTracks().forEach((t) => t.stop());
  $("call-remote").srcObject = $("call-local").srcObject = null;
  if (tell) signal(qid, "hangup").catch(() => {});
  callSay(text);
  callButtons();
}

// The interviewer starts it once the candidate accepted.
async function callStart(qid, peer) {
  if (rtc) return;
  $("call").hidden = false;
  callSay(`Calling ${peer}…`);
  try {
    const { pc } = await callOpen(qid, peer);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await signal(qid, "offer", { type: offer.type, sdp: offer.sdp });
  } catch (e) { callEnd(false, `The call did not start: ${e.message}`); }
}

async function callSignal(m) {
  if (m.kind === "hangup") {
    if (rtc && rtc.qid === m.queue_id) callEnd(false, "The call ended.");
    return;
  }
  if (m.kind === "offer") {
    if (rtc) callEnd(false, "");
    early = { qid: m.queue_id, ice: [] };
    const peer = callPeers.get(m.queue_id) || "your interviewer";
    $("call").hidden = false;
    callSay(`${peer} is calling you.`);
    $("call-buttons").replaceChildren(btn("Join the video call", async () => {
      try {
        const r = await callOpen(m.queue_id, peer);
        await r.pc.setRemoteDescription(m.data);
        if (early.qid === m.queue_id) r.pending.unshift(...early.ice.splice(0));
        for (const c of r.pending.splice(0)) await r.pc.addIceCandidate(c);
        const answer = await r.pc.createAnswer();
        await r.pc.setLocalDescription(answer);
        await signal(m.queue_id, "answer", { type: answer.type, sdp: answer.sdp });
        callSay(`Joining the call with ${peer}…`);
      } catch (e) { callEnd(true, `The call did not start: ${e.message}`); }
    }, { class: "first" }));
    return;
  }
  if (!rtc && m.kind === "ice" && early.qid === m.queue_id) { early.ice.push(m.data); return; }
  if (!rtc || rtc.qid !== m.queue_id) return;
  if (m.kind === "answer") {
    await rtc.pc.setRemoteDescription(m.data);
    for (const c of rtc.pending.splice(0)) await rtc.pc.addIceCandidate(c);
  } else if (m.kind === "ice") {
    if (rtc.pc.remoteDescription) await rtc.pc.addIceCandidate(m.data).catch(() => {});
    else rtc.pending.push(m.data);
  }
}

// ---- hiring decisions: history, scorecards ----------------------------

// A value from the audit log in words (never as JSON).
function plain(v) {
  if (v == null || v === "") return "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map(plain).join(", ") || "none";
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => `${k.replace(/_/g, " ")} ${plain(x)}`).join(", ");
  return String(v);
}

const AUDIT_OBJ = { registrations: "the application", reviews: "a review", interview_queue: "a place in line",
  users: "the account", event_owners: "the event's owners", scorecards: "a scorecard", resume: "the resume",
  round_decisions: "a panel decision", registration: "the application" };
const AUDIT_VERB = { insert: "created", update: "changed", delete: "removed", download: "downloaded",
  export: "exported", erase: "erased" };

// Who, what, when, and each field before → after.
function auditItem(x) {
  const [obj, verb] = (x.action || "").split(".");
  const who = x.actor ? x.actor.username : `the system (${x.db_user || "database"})`;
  const b = x.before || {}, a = x.after || {};
  const keys = Array.from(new Set(Object.keys(b).concat(Object.keys(a))))
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return h("li", {}, h("strong", {}, `${when(x.at)}: `),
    `${who} ${AUDIT_VERB[verb] || verb || "did"} ${AUDIT_OBJ[obj || x.object] || (obj || x.object || "").replace(/_/g, " ")}`,
    keys.length ? h("ul", { class: "changes" }, keys.map((k) => h("li", {},
      `${k.replace(/_/g, " ")}: ${k in b ? plain(b[k]) : "none"} → ${k in a ? plain(a[k]) : "none"}`))) : null);
}

async function showHistory(el, regId, v) {
  const r = await call("GET", `${EVT}/audit/?registration_id=${regId}`);
  if (!v.alive()) return;
  el.replaceChildren(r.entries.length ? h("ol", { class: "history" }, r.entries.map(auditItem))
    : empty("Nothing recorded yet."));
}

const RECO = { strong_no: "strong no", no: "no", yes: "yes", strong_yes: "strong yes" };

// One round's panel: each scorecard, the rule and whether it holds.
function panelBlock(title, p, names) {
  if (p.hidden) return h("div", {}, h("h3", {}, title),
    h("p", {}, `${p.submitted} scorecards so far; you see them once you submitted yours.`));
  if (!p.scorecards.length) return null;
  const s = p.summary || {};
  const rule = s.rule || {};
  return h("div", { class: "panel" }, h("h3", {}, title),
    h("p", {}, ((n) => `${n} ${n === 1 ? "rater" : "raters"}`)(s.raters ?? p.scorecards.length),
      s.weighted_mean != null ? `, weighted mean ${Number(s.weighted_mean).toFixed(2)} of 5` : "",
      rule.min_raters ? ` (the rule: at least ${rule.min_raters} raters, a mean of ${rule.min_mean}` +
        `${rule.no_strong_no ? ", no strong no" : ""})` : "",
      s.holds == null ? "" : s.holds ? ": the rule holds." : ": the rule does not hold yet."),
    (s.disagreements || []).length ? h("p", { class: "warn" }, "The panel disagrees on: ",
      s.disagreements.map((d) => d.name || names.get(d.criterion_id) || "a criterion").join(", ")) : null,
    p.decision ? h("p", {}, `HR decided: ${p.decision.decision}`, p.decision.reason ? ` (${p.decision.reason})` : "") : null,
    h("ul", { class: "reviews" }, p.scorecards.map((c) => h("li", {},
      h("strong", {}, `${c.rater.name || c.rater.username}: ${RECO[c.recommendation] || c.recommendation}`),
      h("ul", {}, (c.scores || []).map((x) => h("li", {},
        `${names.get(x.criterion_id) || "Criterion"}: ${x.score} of 5`, x.note ? ` (${x.note})` : ""))),
      c.comments ? h("p", {}, c.comments) : null))));
}

async function rubricOf(roundId) {
  try { return await call("GET", `${EVT}/round-rubric/?round_id=${roundId}`); } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

async function showPanels(el, e, regId, v) {
  const out = [];
  for (const ro of e.rounds) {
    const [rub, p] = await Promise.all([rubricOf(ro.round_id),
      call("GET", `${EVT}/scorecards/?registration_id=${regId}&round_id=${ro.round_id}`)]);
    const names = new Map(((rub && rub.criteria) || []).map((c) => [c.criterion_id, c.name]));
    out.push(panelBlock(`Round ${ro.position}: ${ro.name}`, p, names));
  }
  if (!v.alive()) return;
  const shown = out.filter(Boolean);
  el.replaceChildren(...(shown.length ? shown : [empty("No scorecards yet.")]));
}

// The interviewer's scorecard, beside the review, when the round has a
// rubric; once sent, the panel's cards as the API shows them.
async function rubricForm(en, roundId, review) {
  const rub = await rubricOf(roundId);
  if (!rub || !review.isConnected) return;
  const box = h("div", { class: "card", id: "scorecard" });
  const panel = h("div", {});
  const showPanel = async () => {
    const p = await call("GET", `${EVT}/scorecards/?registration_id=${en.registration_id}&round_id=${roundId}`);
    panel.replaceChildren(panelBlock("The panel", p, new Map(rub.criteria.map((c) => [c.criterion_id, c.name]))) || "");
    return p;
  };
  const f = h("form", {}, h("h2", {}, `Scorecard for ${en.candidate.name}`), h("p", { class: "msg", role: "status" }),
    rub.criteria.map((c) => h("fieldset", {}, h("legend", {}, c.name),
      c.description ? h("p", {}, c.description) : null,
      (c.anchor_1 || c.anchor_5) ? h("p", { class: "hint" }, `1: ${c.anchor_1 || ""} · 5: ${c.anchor_5 || ""}`) : null,
      field("Score", h("select", { name: `c${c.criterion_id}`, "data-criterion": c.criterion_id },
        [1, 2, 3, 4, 5].map((i) => h("option", { value: i, selected: i === 3 }, String(i))))),
      field("Note", h("input", { name: `n${c.criterion_id}` })))),
    field("Recommendation", h("select", { name: "recommendation" },
      Object.entries(RECO).map(([k, t]) => h("option", { value: k, selected: k === "yes" }, t)))),
    field("Comments", h("textarea", { name: "comments", rows: 2 })),
    h("button", {}, "Submit scorecard"));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const done = busy(f);
    try {
      const scores = rub.criteria.map((c) => ({ criterion_id: c.criterion_id,
        score: Number(f[`c${c.criterion_id}`].value), note: f[`n${c.criterion_id}`].value || undefined }));
      await call("POST", EVT + "/scorecards/", { registration_id: en.registration_id, round_id: roundId,
        recommendation: f.recommendation.value, comments: f.comments.value, scores }, { key: newKey() });
      f.replaceChildren(h("h2", {}, `Scorecard for ${en.candidate.name}`),
        h("p", { class: "msg", role: "status" }, "Scorecard saved."));
      await showPanel();
    } catch (err) { say(f, err.message, true); } finally { done(); }
  });
  box.append(f, panel);
  review.after(box);
  const p = await showPanel().catch(() => null);
  if (p && !p.hidden && p.scorecards.some((c) => me && c.rater.id === me.id)) f.replaceChildren(
    h("h2", {}, `Scorecard for ${en.candidate.name}`), h("p", {}, "You submitted your scorecard."));
}

// HR erases a candidate: name, contacts, resumes and messages go; the
// outcomes stay, anonymous.  Asked twice.
function eraseBlock(el, g, eventId) {
  const confirm = h("div", { class: "confirm" });
  el.replaceChildren(h("p", {}, "Removes the name, email, phone, resumes, mail, chat and review comments for good; " +
    "the statuses and scores stay, anonymous."), btn(`Erase ${g.user.name}`, () => {
    const yes = btn("Yes, erase for good", async (ev, b) => {
      await call("DELETE", EVT + "/candidate-data/", { registration_id: g.registration_id });
      sayNext("The candidate was erased.");
      go(`#/event/${eventId}/candidates`);
    }, { class: "danger" });
    confirm.replaceChildren(h("p", {}, `Erase everything about ${g.user.name}? This cannot be undone.`),
      h("span", { class: "actions" }, yes, btn("Cancel", () => { confirm.replaceChildren(); }, { class: "secondary" })));
    yes.focus();
  }, { class: "secondary" }), confirm);
}

// ---- HR: duplicates, export, blind screening -------------------------

function tabDuplicates(v, e, body) {
  const box = h("div", { id: "duplicates" }, loading("Looking for duplicates…"));
  body.replaceChildren(card("Possible duplicates", h("p", {},
    "Candidates who may be the same person, with why; nothing is merged unless you say so."), box));
  const who = (u) => `${u.name}${u.email ? " <" + u.email + ">" : ""}`;
  const reload = serial(async () => {
    const r = await call("GET", `${EVT}/duplicates/?event_id=${e.event_id}`);
    if (!v.alive()) return;
    const H = ["Candidate", "May be", "Why", "Confidence", "Decide"];
    box.replaceChildren(r.duplicates.length ? table(H, r.duplicates.map((d) => {
      const settle = (action, label) => btn(label, async (ev, b) => {
        await call("POST", EVT + "/duplicates/", { event_id: e.event_id, user_id: d.user.id,
          other_user_id: d.other.id, action }, { key: newKey() });
        say(box, action === "merge" ? `${d.other.name} merged into ${d.user.name}.` :
          `${d.user.name} and ${d.other.name} are kept apart.`);
        await reload();
      }, { class: action === "merge" ? null : "secondary", "aria-label": `${label}: ${d.user.name} and ${d.other ? d.other.name : "the upload"}` });
      return row(H, [who(d.user), d.other ? who(d.other) : "an uploaded resume",
        h("ul", { class: "reasons" }, d.reasons.map((x) => h("li", {}, `${x.reason}`, x.detail ? `: ${x.detail}` : "",
          ` (${Math.round(x.confidence * 100)}%)`))),
        `${Math.round(d.confidence * 100)}%`,
        d.other ? h("span", { class: "actions" }, settle("merge", "Merge"), settle("distinct", "Not the same")) : ""],
      { class: "dup" });
    }), "Possible duplicates") : empty("No possible duplicates among this event's candidates."));
    if (document.activeElement === $("title")) focusFirst();
  });
  reload().catch((err) => say(box, err.message, true));
}

// A file from the API, with the sign-in header (a link could not send it).
async function download(path, name) {
  const get = () => fetch(path, { headers: { Authorization: "Bearer " + (load() || session).access_token } });
  let r = await get().catch(() => null);
  if (r && r.status === 401 && await refresh((load() || session).access_token)) r = await get().catch(() => null);
  if (!r) throw new Error("The server cannot be reached; check the connection and try again.");
  if (!r.ok) throw new Error(explain(await r.json().catch(() => null)));
  const url = URL.createObjectURL(await r.blob());
  const a = h("a", { href: url, download: name, class: "sr" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const STAGES = { "": "off", shortlisted: "until shortlisted", interviewing: "until interviewing",
  selected: "until selected" };

function tabData(v, e, body) {
  const get = (fmt) => btn(`Download ${fmt.toUpperCase()}`, async (ev, b) => {
    await download(`${EVT}/export/?event_id=${e.event_id}&format=${fmt}`, `event-${e.event_id}.${fmt}`);
    say(b, `Downloaded event-${e.event_id}.${fmt}.`);
  }, { class: fmt === "csv" ? "first" : "secondary" });
  const until = h("select", { "aria-label": "Hide who the candidates are" },
    Object.entries(STAGES).map(([k, t]) => h("option", { value: k }, t)));
  until.disabled = true;
  const blind = card("Blind screening", h("p", {}, "Screeners and interviewers see “Candidate” and a number " +
    "instead of the name, contacts and resume link until the candidate reaches the stage."),
  field("Hide who the candidates are", until),
  btn("Save blind screening", async (ev, b) => {
    const r = await call("POST", EVT + "/blind-screening/", { event_id: e.event_id, until: until.value || null });
    say(b, r.blind ? `Candidates are hidden ${STAGES[r.until]}.` : "Blind screening is off.");
  }));
  body.replaceChildren(card("Export the candidates", h("p", {},
    "One row per candidate: contacts, status, round, scores and reviews."), h("p", { class: "actions" }, get("csv"), get("ndjson"))),
  blind);
  call("GET", `${EVT}/blind-screening/?event_id=${e.event_id}`).then((r) => {
    if (!v.alive()) return;
    until.value = r.until || "";
    until.disabled = false;
  }).catch((err) => say(until, err.message, true));
}

// ---- the public status page ------------------------------------------

function viewStatus(token) {
  const v = mount("Where you stand");
  $("bar").hidden = !session || !me;
  const body = h("div", { id: "status" }, loading());
  const stamp = h("p", { class: "hint" });
  v.root.append(card("Your application", body, stamp));
  const show = async () => {
    let r;
    try {
      r = await fetch(`${EVT}/status/${encodeURIComponent(token)}/`, { cache: "no-store" });
    } catch (e) { say(body, "The server cannot be reached; this page tries again shortly.", true); return; }
    const data = await r.json().catch(() => null);
    if (!v.alive()) return;
    if (!r.ok) {
      body.replaceChildren(empty(r.status === 410 ? "This event is closed; the link no longer works." :
        r.status === 404 ? "This link is not valid: it was replaced by a newer one or withdrawn." : explain(data)));
      return;
    }
    $("title").textContent = data.event.title;
    const wait = data.estimated_wait_minutes;
    body.replaceChildren(h("dl", { class: "facts" },
      h("dt", {}, "Event"), h("dd", {}, data.event.title),
      data.event.start_date ? [h("dt", {}, "When"), h("dd", {}, data.event.start_date +
        (data.event.end_date && data.event.end_date !== data.event.start_date ? ` to ${data.event.end_date}` : ""))] : null,
      data.event.location ? [h("dt", {}, "Where"), h("dd", {}, data.event.location)] : null,
      data.round ? [h("dt", {}, "Round"), h("dd", {}, `${data.round.name} (${data.round.position} of ${data.round.of})`)] : null,
      h("dt", {}, "State"), h("dd", { id: "status-state" }, data.state_text || data.state),
      data.place_in_line != null ? [h("dt", {}, "Place in line"), h("dd", {}, String(data.place_in_line))] : null,
      data.place_in_line != null ? [h("dt", {}, "Estimated wait"), h("dd", {}, wait == null ?
        "not known yet (no interview has finished)" : wait < 1 ? "less than a minute" : `about ${wait} minutes`)] : null));
    stamp.textContent = `Updated ${new Date().toLocaleTimeString()}; this page refreshes every 15 seconds.`;
  };
  show();
  const timer = setInterval(() => { if (v.alive()) show(); else clearInterval(timer); }, 15000);
}

// ---- candidate: account ----------------------------------------------

function viewAccount() {
  const v = mount("Your account");
  const selfId = h("div", {}, loading());
  const confirm = h("div", { class: "confirm" });
  v.root.append(card("Your data", h("p", {}, "Everything kept about you, as a file, with links to your resumes."),
    btn("Download my data", async (ev, b) => {
      await download(API + "/me/export/", "my-connectify-data.json");
      say(b, "Downloaded my-connectify-data.json.");
    }, { class: "first" })),
  card("Tell us about yourself (voluntary)", selfId),
  card("Erase your account", h("p", {}, "Your name, contacts, resumes and messages go for good and you are signed out. " +
    "To be sure it is you, we send a new code by SMS."), btn("Erase my account", async (ev, b) => {
    await call("POST", API + "/login/send-otp/", { phone_number: me.phone_number });
    const otp = h("input", { name: "otp", inputmode: "numeric", pattern: "[0-9]{6}", required: true,
      autocomplete: "one-time-code" });
    const f = h("form", {}, h("p", {}, "We sent a code to your phone. Enter it to erase your account for good."),
      field("6-digit code", otp), h("span", { class: "actions" }, h("button", { class: "danger" }, "Erase for good"),
        btn("Cancel", () => { confirm.replaceChildren(); }, { class: "secondary" })));
    f.addEventListener("submit", async (x) => {
      x.preventDefault();
      const done = busy(f);
      try {
        await call("DELETE", API + "/me/", { otp: otp.value });
        save(null);
        signedOut();
        say(null, "Your account was erased.");
      } catch (err) { say(f, err.message, true); } finally { done(); }
    });
    confirm.replaceChildren(f);
    otp.focus();
  }, { class: "secondary" }), confirm));
  (async () => {
    const r = await call("GET", EVT + "/self-identification/");
    if (!v.alive()) return;
    const cats = Object.entries(r.categories || {});
    const consent = h("input", { type: "checkbox", name: "consent", checked: !!r.consent });
    const f = h("form", {}, h("p", {}, "Only counted, never shown to anyone who rates you; it helps check that " +
      "hiring is fair. Leave any question unanswered."),
    cats.map(([c, vals]) => field(c.replace(/_/g, " ").replace(/^./, (x) => x.toUpperCase()),
      h("select", { name: c }, h("option", { value: "" }, "prefer not to say"),
        vals.map((x) => h("option", { value: x, selected: (r.answers || {})[c] === x }, x.replace(/_/g, " ")))))),
    h("label", { class: "check" }, consent, "I agree that these answers are kept for this purpose"),
    h("span", { class: "actions" }, h("button", {}, "Save answers"),
      btn("Withdraw my answers", async (ev, b) => {
        await call("POST", EVT + "/self-identification/", { consent: false });
        f.reset();
        consent.checked = false;
        say(b, "Your answers were deleted.");
      }, { class: "secondary" })));
    f.addEventListener("submit", async (x) => {
      x.preventDefault();
      if (!consent.checked) { say(f, "Tick the agreement first, or leave the form.", true); return; }
      const answers = Object.fromEntries(cats.map(([c]) => [c, f[c].value]).filter(([, a]) => a));
      const done = busy(f);
      try {
        await call("POST", EVT + "/self-identification/", { consent: true, answers });
        say(f, "Thank you: your answers are saved.");
      } catch (err) { say(f, err.message, true); } finally { done(); }
    });
    selfId.replaceChildren(cats.length ? f : empty("Nothing to answer."));
  })().catch((e) => say(selfId, e.message, true));
}

// ---- the organisation admin ------------------------------------------

const HOOK_EVENTS = ["registration.scored", "candidate.advanced", "interview.completed", "candidate.selected"];

function viewWebhooks() {
  const v = mount("Webhooks");
  const listBox = h("div", { id: "webhooks" }, loading());
  const deliveries = h("div", { id: "deliveries" });
  const secret = h("div", {});
  const f = h("form", {}, field("Address (https)", h("input", { name: "url", type: "url", required: true,
    class: "first", placeholder: "https://hooks.example.com/connectify" })),
  h("fieldset", {}, h("legend", {}, "Send these events"), HOOK_EVENTS.map((x) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "events", value: x, checked: true }), x))),
  h("button", {}, "Register"), secret);
  f.addEventListener("submit", async (x) => {
    x.preventDefault();
    const events = Array.from(f.querySelectorAll("input[name=events]:checked")).map((c) => c.value);
    const done = busy(f);
    try {
      const r = await call("POST", EVT + "/webhooks/", { url: f.url.value, events });
      say(f, "Registered. Copy the secret now: it is not shown again.");
      secret.replaceChildren(h("p", {}, "Signing secret: ", h("code", { id: "webhook-secret" }, r.secret)));
      f.url.value = "";
      await reload();
    } catch (err) { say(f, err.message, true); } finally { done(); }
  });
  v.root.append(card("Register an endpoint", f), card("Endpoints", listBox), card("Deliveries", deliveries));
  const H = ["Address", "Events", "State", "Deliveries", "Actions"];
  const reload = serial(async () => {
    const r = await call("GET", EVT + "/webhooks/");
    if (!v.alive()) return;
    const hooks = Array.isArray(r) ? r : r.results || [];
    listBox.replaceChildren(hooks.length ? table(H, hooks.map((w) => row(H, [w.url, w.events.join(", "),
      w.active ? "active" : "disabled",
      Object.entries(w.deliveries || {}).map(([k, n]) => `${n} ${k}`).join(", ") || "none",
      h("span", { class: "actions" }, btn("Deliveries", () => showDeliveries(w), { class: "secondary",
        "aria-label": `Deliveries of ${w.url}` }),
      w.active ? btn("Disable", async (ev, b) => {
        await call("DELETE", EVT + "/webhooks/", { endpoint_id: w.id });
        say(listBox, `${w.url} is disabled.`);
        await reload();
      }, { class: "secondary", "aria-label": `Disable ${w.url}` }) : null)])), "Endpoints")
      : empty("No endpoints yet."));
  });
  async function showDeliveries(w) {
    deliveries.replaceChildren(loading());
    const r = await call("GET", `${EVT}/webhook-deliveries/?endpoint_id=${w.id}`);
    if (!v.alive()) return;
    const D = ["Event", "State", "Attempts", "Answer", "When", "Replay"];
    deliveries.replaceChildren(h("h3", {}, w.url), r.results.length ? table(D, r.results.map((d) => row(D, [d.event,
      d.status, String(d.attempts), d.error || (d.response_status ? `HTTP ${d.response_status}` : ""), when(d.created_at),
      btn("Replay", async (ev, b) => {
        await call("POST", EVT + "/webhook-replay/", { delivery_id: d.id });
        say(deliveries, "Queued to be sent again.");
      }, { class: "secondary", "aria-label": `Replay delivery ${d.id}` })])), "Deliveries")
      : empty("Nothing delivered yet."));
  }
  reload().catch((err) => say(listBox, err.message, true));
}

function viewImpact() {
  const v = mount("Adverse impact");
  const pick = h("select", { "aria-label": "Event", class: "first" });
  const out = h("div", { id: "impact" });
  v.root.append(card("Selection rates by group", h("p", {}, "From candidates' voluntary answers, counted; a group " +
    "whose rate is under four fifths of the best group's is flagged."), field("Event", pick), out));
  const show = async () => {
    out.replaceChildren(loading());
    const r = await call("GET", `${EVT}/adverse-impact/?event_id=${pick.value}`);
    if (!v.alive()) return;
    const H = ["Group", "Applicants", "Advanced", "Rate", "Ratio to the best", "Judgement"];
    const parts = [];
    for (const st of r.stages) {
      for (const c of st.categories) {
        parts.push(h("h3", {}, `${st.stage}: ${c.category.replace(/_/g, " ")}`),
          table(H, c.groups.map((g) => row(H, [g.group.replace(/_/g, " "), String(g.applicants), String(g.advanced),
            g.selection_rate == null ? "" : `${Math.round(g.selection_rate * 100)}%`,
            g.impact_ratio == null ? "" : g.impact_ratio.toFixed(2),
            g.impact_ratio == null ? "too few to judge" : g.four_fifths_flag ?
              h("strong", { class: "flag" }, `below four fifths${g.fisher_p != null ? ` (p = ${g.fisher_p.toFixed(3)})` : ""}`)
              : (g.judgement || "no sign of adverse impact")])), `${st.stage}, ${c.category}`));
      }
    }
    out.replaceChildren(...(parts.length ? parts : [empty("No candidate has answered yet.")]));
  };
  pick.addEventListener("change", () => show().catch((e) => say(out, e.message, true)));
  (async () => {
    const evs = await all(EVT + "/event/");
    if (!v.alive()) return;
    pick.replaceChildren(...evs.map((e) => h("option", { value: e.event_id }, e.title)));
    if (evs.length) await show(); else out.replaceChildren(empty("No events yet."));
  })().catch((e) => say(out, e.message, true));
}

// ---- start -----------------------------------------------------------

// A status link's own address (/status/<token>/) shows the status page.
{
  const m = location.pathname.match(/^\/status\/([A-Za-z0-9._-]+)\/?$/);
  if (m) history.replaceState(null, "", `/#/status/${m[1]}`);
}
if (session) start(); else { route(); focusFirst(); }
