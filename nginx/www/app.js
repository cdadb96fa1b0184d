// Connectify browser client: OTP sign-in, the caller's account, HR's
// people list, and live updates from the user's own nchan channel.
"use strict";
const API = "/bulk_hiring/user_data/v1";
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
    if (me.user_type === "Hr") loadUsers();
    listen(me);
  } catch (e) { say(e.message, true); }
}
show();
