// Connectify browser client: OTP sign-in, the caller's account, HR's
// people list, events and interview day, the interviewer's queue and
// reviews, the candidate's applications and calls, and live updates from
// the user's own nchan channel (and, for an interviewer, the room).
"use strict";
const API = "/bulk_hiring/user_data/v1";
const EVT = "/bulk_hiring/event/v1";
const $ = (id) => document.getElementById(id);
let session = JSON.parse(sessionStorage.getItem("connectify") || "null");
let page = 1, source = null, phone = null, me = null;
let openEvent = null;   // HR: the event shown with its ranking and queues
let ivRound = null;     // interviewer: {event_id, round_id, title, round}
let ivQueue = [];       // interviewer: the open round's queue entries

function say(text, isError) {
  $("msg").textContent = text || "";
  $("msg").className = isError ? "error" : "";
}

function explain(body) {
  const e = body && body.error;
  if (!e) return "Something went wrong.";
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
  const headers = {};
  if (body) headers["Content-Type"] = "application/json";
  if (session) headers.Authorization = "Bearer " + session.access_token;
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (r.status === 401 && session && !opts.retried && path !== API + "/token/refresh/") {
    if (await refresh()) return call(method, path, body, { ...opts, retried: true });
  }
  if (!r.ok) {
    const err = new Error(explain(data));
    err.status = r.status;
    err.retryAfter = parseInt(r.headers.get("Retry-After") || "0", 10) || 0;
    throw err;
  }
  return data;
}

async function refresh() {
  try {
    const t = await fetch(API + "/token/refresh/", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: session.refresh_token }) });
    if (!t.ok) throw new Error();
    save(await t.json());
    return true;
  } catch (e) {
    save(null);
    show();
    return false;
  }
}

function save(s) {
  session = s;
  if (s) sessionStorage.setItem("connectify", JSON.stringify(s));
  else sessionStorage.removeItem("connectify");
}

function form(el) { return Object.fromEntries(new FormData(el).entries()); }

$("otp-request").onsubmit = async (ev) => {
  ev.preventDefault();
  phone = form(ev.target).phone_number;
  try {
    const r = await call("POST", API + "/login/send-otp/", { phone_number: phone });
    say(`Code sent. It expires in ${Math.round(r.expires_in / 60)} minutes.`);
    $("otp-verify").hidden = false;
    $("otp-verify").otp.focus();
  } catch (e) { say(e.message, true); }
};

$("otp-verify").onsubmit = async (ev) => {
  ev.preventDefault();
  try {
    save(await call("POST", API + "/login/verify-otp/", { phone_number: phone, otp: form(ev.target).otp }));
    say("");
    show();
  } catch (e) { say(e.message, true); }
};

$("signup").onsubmit = async (ev) => {
  ev.preventDefault();
  try {
    const u = await call("POST", API + "/signup/", form(ev.target));
    say(`Welcome, ${u.name}. Sign in with ${u.phone_number}.`);
    $("otp-request").phone_number.value = u.phone_number;
  } catch (e) { say(e.message, true); }
};

$("logout").onclick = async () => {
  try { await call("POST", API + "/logout/", { refresh_token: session.refresh_token }); } catch (e) { /* gone anyway */ }
  save(null);
  show();
};

async function loadUsers() {
  const type = $("user-type").value;
  const q = new URLSearchParams({ page, page_size: 20 });
  if (type) q.set("user_type", type);
  try {
    const r = await call("GET", `${API}/user-data/?${q}`);
    const rows = r.results.map((u) => {
      const tr = document.createElement("tr");
      for (const v of [u.name, u.user_type, u.email, u.phone_number]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      }
      return tr;
    });
    $("users").replaceChildren(...rows);
    $("page-info").textContent = `page ${page} of ${Math.max(1, Math.ceil(r.count / 20))} (${r.count} people)`;
    $("prev").disabled = !r.previous;
    $("next").disabled = !r.next;
  } catch (e) { say(e.message, true); }
}
$("user-type").onchange = () => { page = 1; loadUsers(); };
$("prev").onclick = () => { page--; loadUsers(); };
$("next").onclick = () => { page++; loadUsers(); };

const list = (s) => (s || "").split(",").map((x) => x.trim()).filter(Boolean);

function cell(tr, text) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  tr.appendChild(td);
  return td;
}

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(",")[1]);
    r.onerror = reject;
    r.readAsDataURL(file);
  });
}

function button(text, onclick, label) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (label) b.setAttribute("aria-label", label);
  // Disabled while its request runs: one click, one request.
  b.onclick = async (ev) => {
    b.disabled = true;
    try { await onclick(ev); } finally { b.disabled = false; }
  };
  return b;
}

// Disable a form's buttons while its request runs; returns the undo.
function busy(f) {
  const bs = Array.from(f.querySelectorAll("button"));
  bs.forEach((b) => { b.disabled = true; });
  return () => bs.forEach((b) => { b.disabled = false; });
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

// The queue states (see the README's API section).
const STATUS = { waiting: "waiting", called: "called", accepted: "accepted the call",
  in_interview: "in interview", done: "done", declined: "declined", no_show: "no-show",
  left: "left", held: "held (interviewer away)" };
const BUSY = ["called", "accepted", "in_interview"];

// Fill the skills from the description: the taxonomy's required and
// preferred skills it names, added to those already typed.
$("suggest-skills").onclick = async () => {
  const f = $("new-event");
  if (!f.description.value.trim()) { say("Paste the job description first.", true); return; }
  try {
    const r = await call("POST", EVT + "/suggest-skills/", { description: f.description.value });
    const merge = (input, names) => {
      const have = list(input.value);
      const lower = new Set(have.map((x) => x.toLowerCase()));
      input.value = have.concat(names.filter((x) => !lower.has(x.toLowerCase()))).join(", ");
    };
    merge(f.required, r.required);
    merge(f.preferred, r.preferred.filter((x) => !list(f.required.value).includes(x)));
    say(`Suggested ${r.required.length} required and ${r.preferred.length} preferred skills.`);
  } catch (e) { say(e.message, true); }
};

// Create an event, then send its resumes in batches a request can carry.
$("new-event").onsubmit = async (ev) => {
  ev.preventDefault();
  const f = form(ev.target);
  const ids = list(f.interviewers).map(Number);
  const questions = (f.questions || "").split("\n").map((x) => x.trim()).filter(Boolean);
  const body = {
    title: f.title, department: f.department, description: f.description, status: "Active",
    skills: { required: list(f.required), preferred: list(f.preferred) },
    min_experience: Number(f.min || 0), max_experience: Number(f.max || 0),
    rounds: list(f.rounds).map((name) => ({ name, interviewers: ids, questions })),
  };
  const key = newKey(), done = busy(ev.target);
  try {
    const created = await call("POST", EVT + "/event/", body, { key });
    const files = Array.from(ev.target.resumes.files);
    let queued = 0, failed = 0;
    for (let i = 0; i < files.length; i += 20) {
      const batch = await Promise.all(files.slice(i, i + 20).map(async (file) =>
        ({ file_name: file.name, content_base64: await fileToBase64(file) })));
      const r = await call("POST", EVT + "/event-resumes/", { event_id: created.event_id, resumes: batch },
        { key: `${key}-resumes-${i}` });
      for (const x of r.resumes) x.error ? failed++ : queued++;
      say(`Event created; ${queued} resumes queued for scoring, ${failed} refused.`);
    }
    if (!files.length) say("Event created.");
    ev.target.reset();
    loadEvents();
  } catch (e) { say(e.message, true); } finally { done(); }
};

async function loadEvents() {
  try {
    const r = await call("GET", EVT + "/event/?page_size=50");
    $("events").replaceChildren(...r.results.map((e) => {
      const tr = document.createElement("tr");
      cell(tr, `${e.title} (${e.department})`);
      cell(tr, e.status);
      cell(tr, e.rounds.map((x) => x.name).join(", "));
      cell(tr, "").appendChild(button("Open", () => openEventPanel(e), `Open ${e.title}`));
      return tr;
    }));
  } catch (e) { say(e.message, true); }
}

// HR: the open event's ranking, each round's queues and the selected.
function openEventPanel(e) {
  openEvent = e;
  $("rounds").replaceChildren();
  e.rounds.forEach(roundBlock);     // in the event's order
  refreshEvent();
}

const refreshEvent = serial(async () => {
  if (!openEvent) return;
  $("event").hidden = false;
  await Promise.all([loadRanking(openEvent), loadSelected(openEvent),
    ...openEvent.rounds.map(loadRoundQueues)]);
});

async function loadRanking(e) {
  try {
    const r = await call("GET", `${EVT}/register_user/?event_id=${e.event_id}&page_size=100`);
    $("ranking-title").textContent = `${e.title}: ${r.count} candidates, best match first`;
    $("registrations").replaceChildren(...r.results.map((g) => {
      const tr = document.createElement("tr");
      cell(tr, `${g.user.name} <${g.user.email}>`);
      cell(tr, g.ats_score == null ? "scoring..." : g.ats_score);
      const status = cell(tr, g.status);
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = g.shortlisted;
      box.setAttribute("aria-label", `Shortlist ${g.user.name}`);
      box.onchange = async () => {
        try {
          const x = await call("PATCH", EVT + "/modified-shortlisted/",
            { registration_id: g.registration_id, shortlisted: box.checked });
          status.textContent = x.status;
          say(`${g.user.name} is ${x.shortlisted ? "shortlisted" : "no longer shortlisted"}.`);
        } catch (err) { box.checked = !box.checked; say(err.message, true); }
      };
      cell(tr, "").appendChild(box);
      const td = cell(tr, "");
      if (g.resume_url) {
        const a = document.createElement("a");
        a.href = g.resume_url;
        a.textContent = "PDF";
        td.appendChild(a);
      }
      return tr;
    }));
  } catch (err) { say(err.message, true); }
}

async function loadSelected(e) {
  try {
    const r = await call("GET", `${EVT}/all-selected-users/?event_id=${e.event_id}&page_size=100`);
    const items = r.results.map((g) => {
      const li = document.createElement("li");
      li.textContent = `${g.user.name} <${g.user.email}>` + (g.ats_score == null ? "" : `, match ${g.ats_score}`);
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.textContent = "No one selected yet.";
      items.push(li);
    }
    $("selected").replaceChildren(...items);
  } catch (err) { say(err.message, true); }
}

// The block of one round: its buttons and a table of every queue.
function roundBlock(ro) {
  let div = document.getElementById(`round-${ro.round_id}`);
  if (div) return div;
  div = document.createElement("div");
  div.id = `round-${ro.round_id}`;
  div.className = "round";
  const h = document.createElement("h4");
  h.textContent = `Round ${ro.position}: ${ro.name}`;
  const p = document.createElement("p");
  p.append(button("Assign queues", () => assignQueues(ro), `Assign queues for ${ro.name}`), " ",
    button("Refresh", () => loadRoundQueues(ro), `Refresh queues for ${ro.name}`));
  const table = document.createElement("table");
  table.innerHTML = "<thead><tr><th>Interviewer</th><th>Place</th><th>Candidate</th>" +
    "<th>Status</th><th>Move to</th></tr></thead><tbody></tbody>";
  table.setAttribute("aria-label", `Queues for ${ro.name}`);
  div.append(h, p, table);
  $("rounds").appendChild(div);
  return div;
}

async function assignQueues(ro) {
  try {
    const q = await call("POST", EVT + "/zoom-mapping/", { round_id: ro.round_id, mode: "auto" },
      { key: newKey() });
    const n = q.queues.reduce((s, x) => s + x.entries.length, 0);
    say(`${ro.name}: ${n} candidates in ${q.queues.length} queues.`);
    showQueues(ro, q);
  } catch (e) { say(e.message, true); }
}

async function loadRoundQueues(ro) {
  try {
    showQueues(ro, await call("GET", `${EVT}/zoom-mapping/?round_id=${ro.round_id}`));
  } catch (e) { say(e.message, true); }
}

function showQueues(ro, q) {
  const rows = [];
  for (const x of q.queues) {
    if (!x.entries.length) {
      const tr = document.createElement("tr");
      cell(tr, x.interviewer.name);
      cell(tr, "no one queued").colSpan = 4;
      rows.push(tr);
    }
    let place = 0;
    for (const en of x.entries) {
      const tr = document.createElement("tr");
      cell(tr, x.interviewer.name);
      cell(tr, en.status === "waiting" || en.status === "called" ? ++place : "");
      cell(tr, en.candidate.name);
      cell(tr, STATUS[en.status] || en.status);
      const td = cell(tr, "");
      if (en.status === "waiting" && q.queues.length > 1) {
        const sel = document.createElement("select");
        sel.setAttribute("aria-label", `Interviewer for ${en.candidate.name}`);
        for (const other of q.queues) {
          const o = document.createElement("option");
          o.value = other.interviewer.id;
          o.textContent = other.interviewer.name;
          o.selected = other === x;
          sel.appendChild(o);
        }
        td.append(sel, " ", button("Move", () => moveEntry(ro, en, Number(sel.value)),
          `Move ${en.candidate.name}`));
      }
      if (["declined", "no_show", "left", "held"].includes(en.status))
        td.append(button("Requeue", () => moveEntry(ro, en, x.interviewer.id),
          `Requeue ${en.candidate.name}`));
      rows.push(tr);
    }
  }
  roundBlock(ro).querySelector("tbody").replaceChildren(...rows);
}

async function moveEntry(ro, en, interviewer) {
  try {
    const q = await call("PATCH", EVT + "/zoom-mapping/", { queue_id: en.queue_id, interviewer_id: interviewer });
    const change = q.changes && q.changes.length ? q.changes[0].change : "moved";
    say(change === "nothing changed" ? `${en.candidate.name}: nothing changed.`
      : `${en.candidate.name} ${change}.`);
    showQueues(ro, q);
  } catch (e) { say(e.message, true); }
}

// Interviewer: their rounds, then one round's queue and the actions.
async function loadRounds() {
  try {
    const r = await call("GET", EVT + "/user-event-data/");
    $("iv-rounds").replaceChildren(...r.interviewing.map((x) => {
      const tr = document.createElement("tr");
      cell(tr, `${x.title} (${x.status})`);
      cell(tr, x.round);
      cell(tr, "").appendChild(button("Open queue", () => openRound(x), `Open queue for ${x.title}, ${x.round}`));
      return tr;
    }));
  } catch (e) { say(e.message, true); }
}

function openRound(x) {
  ivRound = x;
  $("iv-day").hidden = false;
  $("review").hidden = true;
  $("iv-title").textContent = `${x.title}: ${x.round}`;
  listen(me);       // the round's room too, then what is there now
  loadQueue();
}

const loadQueue = serial(async () => {
  if (!ivRound) return;
  try {
    const q = await call("GET", `${EVT}/zoom-mapping/?round_id=${ivRound.round_id}`);
    ivQueue = q.queues.length ? q.queues[0].entries : [];
    showMyQueue();
  } catch (e) { say(e.message, true); }
});

function showMyQueue() {
  const busy = ivQueue.find((en) => BUSY.includes(en.status));
  const waiting = ivQueue.filter((en) => en.status === "waiting" || en.status === "held").length;
  $("iv-now").textContent = busy
    ? `Now: ${busy.candidate.name}, ${busy.status === "called" ? "called, not accepted yet" : "in interview"}.`
    : `No interview in progress; ${waiting} waiting.`;
  if (busy && busy.status === "called") {
    // The one called has not come: mark a no-show, skip them, or call again.
    const step = (action, text) => async () => {
      try { await act(action, ivRound.round_id); say(text); } catch (e) { say(e.message, true); }
      loadQueue();
    };
    $("iv-now").append(" ", button("No-show", step("no_show", `${busy.candidate.name}: no-show.`)),
      " ", button("Skip", step("skip", `${busy.candidate.name} goes to the end of the line.`)),
      " ", button("Call again", step("call_again", `${busy.candidate.name} called again.`)));
  }
  $("start-next").disabled = !!busy || !waiting;
  $("complete").disabled = !busy || busy.status === "called";
  let place = 0;
  $("iv-entries").replaceChildren(...ivQueue.map((en) => {
    const tr = document.createElement("tr");
    cell(tr, en.status === "waiting" || en.status === "called" ? ++place : "");
    cell(tr, en.candidate.name);
    cell(tr, STATUS[en.status] || en.status);
    const td = cell(tr, "");
    if (en.status === "no_show" && !busy)
      td.appendChild(button("Call again", async () => {
        try { await call("POST", EVT + "/interview-action/", { action: "call_again",
          session_id: ivRound.round_id, queue_id: en.queue_id }); } catch (e) { say(e.message, true); }
        loadQueue();
      }, `Call ${en.candidate.name} again`));
    if (en.status === "done")
      td.appendChild(button("Review", () => openReview(en), `Review ${en.candidate.name}`));
    return tr;
  }));
}

async function act(action, round) {
  return call("POST", EVT + "/interview-action/", { action, session_id: round });
}

$("start-next").onclick = async () => {
  try {
    const r = await act("start_next", ivRound.round_id);
    await loadQueue();
    if (r.called === null) { say("No one is waiting."); return; }
    say(`Called ${nameOf(r.queue_id, "the next candidate")}; waiting for them to accept.`);
  } catch (e) { say(e.message, true); loadQueue(); }
};

function nameOf(queueId, otherwise) {
  const en = ivQueue.find((x) => x.queue_id === queueId);
  return en ? en.candidate.name : otherwise;
}

$("complete").onclick = async () => {
  try {
    const r = await act("complete_interview", ivRound.round_id);
    await loadQueue();
    const en = ivQueue.find((x) => x.queue_id === r.queue_id);
    say("Interview complete. Please review it.");
    if (en) openReview(en);
  } catch (e) { say(e.message, true); loadQueue(); }
};

let reviewing = null;
async function openReview(en) {
  reviewing = en;
  const f = $("review");
  f.reset();
  $("review-title").textContent = `Review of ${en.candidate.name}`;
  try {
    const qs = await call("GET", `${EVT}/assessment-questions/?event_id=${ivRound.event_id}&round_id=${ivRound.round_id}`);
    $("review-questions").replaceChildren(...qs.map((q) => {
      const label = document.createElement("label");
      label.textContent = q.text + " ";
      const sel = document.createElement("select");
      sel.dataset.question = q.question_id;
      for (let i = 1; i <= 5; i++) sel.add(new Option(String(i), String(i), false, i === 3));
      label.appendChild(sel);
      return label;
    }));
  } catch (e) { say(e.message, true); }
  f.hidden = false;
  f.rating.focus();
}

$("review").onsubmit = async (ev) => {
  ev.preventDefault();
  const f = form(ev.target);
  const ratings = Array.from($("review-questions").querySelectorAll("select"))
    .map((s) => ({ question_id: Number(s.dataset.question), rating: Number(s.value) }));
  const done = busy(ev.target);
  try {
    const r = await call("POST", EVT + "/candidate-review/", {
      registration_id: reviewing.registration_id, round_id: ivRound.round_id,
      rating: Number(f.rating), ratings, comments: f.comments, result: f.result },
    { key: newKey() });
    say(`Review saved: ${reviewing.candidate.name} ${r.result === "pass" ? "passed" : "did not pass"}; now ${r.status}.`);
    ev.target.hidden = true;
  } catch (e) { say(e.message, true); } finally { done(); }
  loadQueue();
};

// Candidate: each application, its place in the current round's queue,
// and the call to accept or reject.
const loadMine = serial(async () => {
  try {
    const r = await call("GET", EVT + "/user-event-data/");
    const items = await Promise.all(r.registrations.map(async (x) => {
      const g = x.registration;
      const li = document.createElement("li");
      const score = g.ats_score == null ? "" : `, match ${g.ats_score}`;
      const line = document.createElement("span");
      line.textContent = `${x.event.title}: ${g.status}${score}`;
      li.appendChild(line);
      if (g.current_round_id && g.status === "interviewing") {
        try {
          const place = await call("GET", `${EVT}/zoom-mapping/?round_id=${g.current_round_id}`);
          li.appendChild(placeBlock(place));
        } catch (e) { if (e.status !== 404) throw e; }
      }
      return li;
    }));
    $("applications").replaceChildren(...items);
  } catch (e) { say(e.message, true); }
});

function placeBlock(place) {
  const div = document.createElement("div");
  div.className = "place";
  const p = document.createElement("p");
  const who = place.interviewer.name;
  p.textContent = {
    waiting: `Interview with ${who}: you are number ${place.position} in line.`,
    called: `${who} is ready for you now.`,
    accepted: `In interview with ${who}.`,
    in_interview: `In interview with ${who}.`,
    done: `Interview with ${who} done; waiting for the review.`,
    declined: `You declined the interview with ${who}.`,
    no_show: `You did not come when ${who} called; HR can put you back in line.`,
    held: `${who} is away; you keep your place until they are back.`,
    left: `You left the queue of ${who}.`,
  }[place.status] || place.status;
  div.appendChild(p);
  if (place.status === "called") {
    const answer = (action, text) => async () => {
      try {
        await act(action, place.round_id);
        say(text);
      } catch (e) { say(e.message, true); }
      loadMine();
    };
    div.append(button("Accept", answer("accept_interview", "Accepted: your interview starts now.")), " ",
      button("Reject", answer("reject_interview", "You declined this interview.")));
  }
  return div;
}

// What HR is told of each step (true: the view only).
const HR_LIVE = { queues_changed: true, review: true, called: "was called",
  accept_interview: "accepted the call", reject_interview: "declined the call",
  in_interview: "is in interview", no_show: "did not come (no-show)",
  completed: "finished the interview", skipped: "was skipped to the end of the line",
  queue_moved: "was moved", leave: "left the queue", interviewer_left: true, unqueued: true };

// Live messages: every one goes to the feed as it came; its type says
// which view to load again.
function onMessage(m) {
  const round = m.round_id || m.session_id;
  if (me.user_type === "Interviewee") {
    if (m.type === "called") say("You are called for your interview: accept or reject it below.");
    if (m.type === "review") say(`Your interview was reviewed: you are now ${m.status}.`);
    loadMine();
  } else if (me.user_type === "Interviewer") {
    if (ivRound && round === ivRound.round_id) {
      loadQueue().then(() => {
        const who = nameOf(m.queue_id, "The candidate");
        if (m.type === "accept_interview") say(`${who} accepted; the interview is on.`);
        if (m.type === "reject_interview") say(`${who} declined the interview.`);
        if (m.type === "leave") say(`${who} left the queue.`);
      });
    }
  } else if (me.user_type === "Hr" && openEvent && HR_LIVE[m.type]) {
    // HR follows every step of the day live: the queues show the states.
    const who = m.candidate || "A candidate";
    if (HR_LIVE[m.type] !== true) say(`Live: ${who} ${HR_LIVE[m.type]}.`);
    refreshEvent();
  }
}

function setLive(text) { $("live").textContent = text; }

// Is the access token expired, or about to be?
function tokenStale() {
  try {
    const part = session.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)).exp * 1000 < Date.now() + 30000;
  } catch (e) { return true; }
}

// What the signed-in user looks at, loaded again.
function reloadView() {
  if (!me) return;
  if (me.user_type === "Hr") refreshEvent();
  if (me.user_type === "Interviewer") loadQueue();
  if (me.user_type === "Interviewee") loadMine();
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

// One stream: the user's channel, or for an interviewer with a round
// open, the interview URL (the user's channel and the round's room).  The
// URL carries a single-use ticket (POST ws-ticket/), never the access
// token.  When the stream ends or the server refused it (an expired
// token, the application down or too busy), a new one is opened a little
// later with a fresh ticket, and the view is loaded again for what was
// missed meanwhile.
let listening = 0;
async function listen(user, again) {
  const mine = ++listening;
  if (source) source.close();
  source = null;
  let ticket;
  try {
    ticket = (await call("POST", EVT + "/ws-ticket/")).ticket;
  } catch (e) {
    setLive("reconnecting");
    setTimeout(() => { if (mine === listening && session) listen(user, true); },
      retryDelay(e.retryAfter || 0));
    return;
  }
  if (mine !== listening || !session) return;
  const name = encodeURIComponent(user.username);
  const q = `?ticket=${encodeURIComponent(ticket)}`;
  const url = ivRound
    ? `/ws/connectify_bulk_hiring/${ivRound.round_id}/${name}/${q}`
    : `/ws/user/${name}/${q}`;
  const es = source = new LiveStream(url);
  setLive("connecting");
  es.onopen = () => {
    setLive("connected");
    if (again) reloadView();
    again = false;
  };
  es.onerror = (secs) => {
    if (es !== source) return;
    setLive("reconnecting");
    setTimeout(async () => {
      if (es !== source || !session) return;
      if (!tokenStale() || await refresh()) listen(user, true);
    }, retryDelay(secs));
  };
  es.onmessage = (ev) => {
    const li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + "  " + ev.data;
    $("feed").prepend(li);
    let m = null;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m && typeof m.type === "string") onMessage(m);
  };
}

async function show() {
  const signedIn = !!session;
  $("login").hidden = signedIn;
  $("home").hidden = !signedIn;
  $("nav").hidden = !signedIn;
  if (!signedIn) {
    if (source) source.close();
    source = null;
    me = openEvent = ivRound = null;
    $("event").hidden = $("iv-day").hidden = true;
    for (const id of ["rounds", "iv-rounds", "applications", "feed"]) $(id).replaceChildren();
    return;
  }
  try {
    me = await call("GET", API + "/me/");
    $("who").textContent = `${me.name} (${me.user_type})`;
    $("greeting").textContent = `Hello, ${me.name.split(" ")[0]}`;
    $("hr").hidden = me.user_type !== "Hr";
    $("hr-events").hidden = me.user_type !== "Hr";
    $("iv").hidden = me.user_type !== "Interviewer";
    $("mine").hidden = me.user_type !== "Interviewee";
    listen(me);
    if (me.user_type === "Hr") { loadUsers(); loadEvents(); }
    if (me.user_type === "Interviewer") loadRounds();
    if (me.user_type === "Interviewee") loadMine();
  } catch (e) { say(e.message, true); }
}
show();
