// The window console: sign in with a bearer token for one window, poll its
// queue every 2 s, open a referral and act on it (detail.js). Vanilla and
// dependency-free ES modules, all served from /console/static: the page's
// Content-Security-Policy runs no other script.

import { createDetail } from "./detail.js";
import { badge, el, i18n, isLanguage, loadLabels, localName, relabel, t, when } from "./i18n.js";

const POLL_MS = 2000;
// The token is kept in sessionStorage only: it leaves with the tab, and no
// cookie carries it to the server behind the operator's back.
const KEY = { token: "inson.console.token", window: "inson.console.window", lang: "inson.console.lang" };
const $ = (id) => document.getElementById(id);
const state = {
  token: null, center: null, window: null, items: [], pending: null, generation: 0,
  polled: null, // {key, at, bad}: what the last poll says, re-labelled with the language
};

async function api(method, url, body, token) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token || state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, {
    method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (res.status === 401 && !token) signOut("signin.expired");
  return { status: res.status, data };
}

const detail = createDetail(api, () => poll(state.generation, true));

// --- language -------------------------------------------------------------
function setLanguage(tag) {
  if (!isLanguage(tag)) return;
  i18n.lang = tag;
  localStorage.setItem(KEY.lang, tag);
  relabel();
  for (const option of $("window").options) {
    const w = state.pending && state.pending.windows.find((x) => x.code === option.value);
    if (w) option.textContent = localName(w.name);
  }
  renderWhere();
  renderQueue();
  renderQueueState();
  detail.relabel();
}

// --- sign-in ----------------------------------------------------------------
function signinError(key) {
  $("signin-error").hidden = !key;
  $("signin-error").textContent = key ? t(key) : "";
}

function resetWindows(labelKey) {
  const option = el("option", "", t(labelKey));
  option.value = "";
  option.dataset.i18n = labelKey;
  $("window").replaceChildren(option);
  $("window").disabled = true;
  $("signin-submit").disabled = true;
  state.pending = null;
}

// The token is checked as it is pasted: the center it names lists the windows to choose from.
async function checkToken() {
  const token = $("token").value.trim();
  signinError(null);
  if (!token) return resetWindows("signin.window_wait");
  resetWindows("signin.checking");
  let res;
  try { res = await api("GET", "/console/api/center", undefined, token); } catch (_) { res = { status: 0 }; }
  if (token !== $("token").value.trim()) return; // edited meanwhile: a newer check runs
  if (res.status !== 200) {
    resetWindows("signin.window_wait");
    const reason = { 401: "signin.bad_token", 403: "signin.not_operator" }[res.status];
    return signinError(reason || "error.generic");
  }
  state.pending = { token, ...res.data };
  $("window").replaceChildren(...res.data.windows.map((w) => {
    const option = el("option", "", localName(w.name));
    option.value = w.code;
    return option;
  }));
  const remembered = sessionStorage.getItem(KEY.window);
  if (res.data.windows.some((w) => w.code === remembered)) $("window").value = remembered;
  $("window").disabled = false;
  $("signin-submit").disabled = false;
}

let typing = null;
function onTokenInput() {
  clearTimeout(typing);
  typing = setTimeout(checkToken, 300);
}

function signIn(event) {
  event.preventDefault();
  const { pending } = state;
  const code = $("window").value;
  if (!pending || !code) return;
  sessionStorage.setItem(KEY.token, pending.token);
  sessionStorage.setItem(KEY.window, code);
  $("token").value = "";
  enterDesk(pending.token, pending, code);
}

function enterDesk(token, center, code) {
  Object.assign(state, { token, center, window: code, items: [], polled: null });
  $("signin").hidden = true;
  $("desk").hidden = false;
  $("signout").hidden = false;
  detail.close();
  renderWhere();
  renderQueue();
  poll(++state.generation);
}

function signOut(reasonKey) {
  state.generation++; // ends the polling loop
  sessionStorage.removeItem(KEY.token);
  Object.assign(state, { token: null, center: null, window: null, items: [] });
  $("desk").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  detail.close();
  renderWhere();
  resetWindows("signin.window_wait");
  signinError(reasonKey || null);
}

function renderWhere() {
  const c = state.center;
  $("where").hidden = !c;
  if (!c) return;
  const w = c.windows.find((x) => x.code === state.window);
  // The header may cut long names short; the title shows them whole.
  for (const [id, text] of [["center-name", localName(c.name)], ["window-name", w ? localName(w.name) : state.window]]) {
    $(id).textContent = text;
    $(id).title = text;
  }
}

// --- the queue ----------------------------------------------------------------
// One request at a time: the next poll is scheduled when this one is answered.
async function poll(generation, once) {
  if (generation !== state.generation) return;
  const params = new URLSearchParams({ window: state.window, page_size: "100" });
  try {
    const res = await api("GET", `/v1/queue?${params}`);
    if (generation !== state.generation) return;
    if (res.status === 200) {
      state.items = res.data.items;
      $("queue-total").textContent = String(res.data.total);
      renderQueue();
      setQueueState("queue.updated", false, new Date().toISOString());
    } else if (res.status !== 401) {
      setQueueState("error.generic", true);
    }
  } catch (_) {
    setQueueState("queue.offline", true);
  }
  if (!once && generation === state.generation) setTimeout(() => poll(generation), POLL_MS);
}

function setQueueState(key, bad, at) {
  state.polled = { key, bad, at };
  renderQueueState();
}

function renderQueueState() {
  const p = state.polled;
  $("queue-state").textContent = p ? t(p.key) + (p.at ? ` ${when(p.at, true)}` : "") : "";
  $("queue-state").classList.toggle("bad", Boolean(p && p.bad));
}

function renderQueue() {
  const cell = (child) => { const td = el("td"); td.append(child); return td; };
  const rows = state.items.map((item) => {
    const row = el("tr", "row");
    row.dataset.referralId = item.id;
    row.dataset.status = item.status;
    row.tabIndex = 0;
    row.classList.toggle("overdue", Boolean(item.overdue));
    row.classList.toggle("selected", item.id === detail.selected());
    const service = el("td", "service");
    service.append(
      el("span", "name", localName(item.service_name) || item.service_code),
      el("span", "code", item.service_code),
    );
    const due = el("td", "due");
    due.append(el("span", "", when(item.accept_by)));
    if (item.overdue) due.append(el("span", "badge overdue-badge", t("due.overdue")));
    if (item.escalation_level > 0) due.append(el("span", "badge escalated", t("due.escalated")));
    row.append(
      cell(badge("priority", item.priority)), service, due, cell(badge("status", item.status)),
    );
    return row;
  });
  $("queue-rows").replaceChildren(...rows);
  $("queue-empty").hidden = rows.length > 0;
}

function onRowActivate(event) {
  const row = event.target.closest("tr[data-referral-id]");
  if (!row || (event.type === "keydown" && event.key !== "Enter")) return;
  detail.open(row.dataset.referralId).then(renderQueue);
  renderQueue();
}

// --- start ------------------------------------------------------------------
async function start() {
  $("token").addEventListener("input", onTokenInput);
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", () => signOut(null));
  $("queue-rows").addEventListener("click", onRowActivate);
  $("queue-rows").addEventListener("keydown", onRowActivate);
  $("detail-close").addEventListener("click", () => { detail.close(); renderQueue(); });
  for (const b of document.querySelectorAll("button[data-lang]")) {
    b.addEventListener("click", () => setLanguage(b.dataset.lang));
  }

  await loadLabels();
  const chosen = localStorage.getItem(KEY.lang);
  setLanguage(chosen && isLanguage(chosen) ? chosen : i18n.lang);
  document.body.dataset.ready = "true"; // for tests and the curious: handlers are in place

  // A reload in the same tab keeps the operator signed in; a new tab does not.
  const token = sessionStorage.getItem(KEY.token);
  const code = sessionStorage.getItem(KEY.window);
  if (!token || !code) return;
  const center = await api("GET", "/console/api/center", undefined, token);
  if (center.status === 200 && center.data.windows.some((w) => w.code === code)) {
    enterDesk(token, center.data, code);
  } else {
    signOut("signin.expired");
  }
}

document.addEventListener("DOMContentLoaded", start);
