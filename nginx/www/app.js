// Connectify browser client: OTP sign-in, the caller's account, HR's
// people list, and live updates from the user's own nchan channel.
"use strict";
const API = "/bulk_hiring/user_data/v1";
const EVT = "/bulk_hiring/event/v1";
const $ = (id) => document.getElementById(id);
let session = JSON.parse(sessionStorage.getItem("connectify") || "null");
let page = 1, source = null, phone = null;

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

async function call(method, path, body, retried) {
  const headers = {};
  if (body) headers["Content-Type"] = "application/json";
  if (session) headers.Authorization = "Bearer " + session.access_token;
  const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (r.status === 401 && session && !retried && path !== API + "/token/refresh/") {
    if (await refresh()) return call(method, path, body, true);
  }
  if (!r.ok) throw new Error(explain(data));
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

// Create an event, then send its resumes in batches a request can carry.
$("new-event").onsubmit = async (ev) => {
  ev.preventDefault();
  const f = form(ev.target);
  const ids = list(f.interviewers).map(Number);
  const body = {
    title: f.title, department: f.department, description: f.description, status: "Active",
    skills: { required: list(f.required), preferred: list(f.preferred) },
    min_experience: Number(f.min || 0), max_experience: Number(f.max || 0),
    rounds: list(f.rounds).map((name) => ({ name, interviewers: ids })),
  };
  try {
    const created = await call("POST", EVT + "/event/", body);
    const files = Array.from(ev.target.resumes.files);
    let queued = 0, failed = 0;
    for (let i = 0; i < files.length; i += 20) {
      const batch = await Promise.all(files.slice(i, i + 20).map(async (file) =>
        ({ file_name: file.name, content_base64: await fileToBase64(file) })));
      const r = await call("POST", EVT + "/event-resumes/", { event_id: created.event_id, resumes: batch });
      for (const x of r.resumes) x.error ? failed++ : queued++;
      say(`Event created; ${queued} resumes queued for scoring, ${failed} refused.`);
    }
    if (!files.length) say("Event created.");
    ev.target.reset();
    loadEvents();
  } catch (e) { say(e.message, true); }
};

async function loadEvents() {
  try {
    const r = await call("GET", EVT + "/event/?page_size=50");
    $("events").replaceChildren(...r.results.map((e) => {
      const tr = document.createElement("tr");
      cell(tr, `${e.title} (${e.department})`);
      cell(tr, e.status);
      cell(tr, e.rounds.map((x) => x.name).join(", "));
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Ranking";
      b.onclick = () => loadRanking(e);
      cell(tr, "").appendChild(b);
      return tr;
    }));
  } catch (e) { say(e.message, true); }
}

async function loadRanking(e) {
  try {
    const r = await call("GET", `${EVT}/register_user/?event_id=${e.event_id}&page_size=100`);
    $("ranking").hidden = false;
    $("ranking-title").textContent = `${e.title}: ${r.count} candidates, best match first`;
    $("registrations").replaceChildren(...r.results.map((g) => {
      const tr = document.createElement("tr");
      cell(tr, `${g.user.name} <${g.user.email}>`);
      cell(tr, g.ats_score == null ? "scoring..." : g.ats_score);
      cell(tr, g.status);
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

async function loadMine() {
  try {
    const r = await call("GET", EVT + "/user-event-data/");
    $("applications").replaceChildren(...r.registrations.map((x) => {
      const li = document.createElement("li");
      const score = x.registration.ats_score == null ? "" : `, match ${x.registration.ats_score}`;
      li.textContent = `${x.event.title}: ${x.registration.status}${score}`;
      return li;
    }));
  } catch (e) { say(e.message, true); }
}

function listen(user) {
  if (source) source.close();
  source = new EventSource(`/ws/user/${encodeURIComponent(user.username)}/?token=${encodeURIComponent(session.access_token)}`);
  source.onmessage = (ev) => {
    const li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + "  " + ev.data;
    $("feed").prepend(li);
  };
}

async function show() {
  const signedIn = !!session;
  $("login").hidden = signedIn;
  $("home").hidden = !signedIn;
  $("nav").hidden = !signedIn;
  if (!signedIn) { if (source) source.close(); return; }
  try {
    const me = await call("GET", API + "/me/");
    $("who").textContent = `${me.name} (${me.user_type})`;
    $("greeting").textContent = `Hello, ${me.name.split(" ")[0]}`;
    $("hr").hidden = me.user_type !== "Hr";
    $("hr-events").hidden = me.user_type !== "Hr";
    $("mine").hidden = me.user_type !== "Interviewee";
    if (me.user_type === "Hr") { loadUsers(); loadEvents(); }
    if (me.user_type === "Interviewee") loadMine();
    listen(me);
  } catch (e) { say(e.message, true); }
}
show();
