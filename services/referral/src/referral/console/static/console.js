// The console of windows and providers: sign in with a bearer token for one
// window of the operator's center or one of the operator's providers, poll its
// queue every 2 s (or search it by referral code), open a referral and act on
// it (detail.js). Vanilla and dependency-free ES modules, all served from
// /console/static: the page's Content-Security-Policy runs no other script.

import { createDetail } from "./detail.js";
import { badge, el, i18n, isLanguage, loadLabels, localName, relabel, t, when } from "./i18n.js";

const POLL_MS = 2000;
// The token is kept in sessionStorage only: it leaves with the tab, and no
// cookie carries it to the server behind the operator's back.
const KEY = { token: "inson.console.token", window: "inson.console.window", lang: "inson.console.lang" };
const $ = (id) => document.getElementById(id);
// desk: {kind: "window" | "provider", center (a window's), choices: [{code, name}]};
// place: the chosen window's or provider's code; search: a referral code looked up.
const state = {
  token: null, desk: null, place: null, items: [], pending: null, generation: 0, search: null,
  polled: null, // {key, at, bad}: what the last poll says, re-labelled with the language
};
const CODE = /^[0-9A-HJKMNP-TV-Z]{8}$/;
// The layout's one column (console.css: the detail below the queue, so an opened
// referral may be below the fold): the width where that begins.
const ONE_COLUMN = window.matchMedia("(max-width: 1000px)");

async function api(method, url, body, token) {
  // Refusals come as problems (code, title, detail) in the language shown.
  const headers = {
    Accept: "application/json", "Accept-Language": i18n.lang, Authorization: `Bearer ${token || state.token}`,
  };
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
    const w = state.pending && state.pending.choices.find((x) => x.code === option.value);
    if (w) option.textContent = localName(w.name);
  }
  renderSearchNote();
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

function setKind(kind) {
  // One page for both: the choice is a window or a provider, and the title says whose.
  $("window-label").dataset.i18n = kind === "provider" ? "signin.provider" : "signin.window";
  $("window-label").textContent = t($("window-label").dataset.i18n);
  const title = kind === "provider" ? "app.title_provider" : "app.title";
  for (const node of [$("app-title"), document.querySelector("title")]) {
    node.dataset.i18n = title;
    node.textContent = t(title);
  }
}

function resetWindows(labelKey) {
  const option = el("option", "", t(labelKey));
  option.value = "";
  option.dataset.i18n = labelKey;
  $("window").replaceChildren(option);
  $("window").disabled = true;
  $("signin-submit").disabled = true;
  state.pending = null;
  setKind("window");
}

// Where the token may work, by its role (/v1/me): its center's windows (a window
// operator) or its providers (a provider operator). {status} alone otherwise.
async function desksOf(token) {
  const me = await api("GET", "/v1/me", undefined, token);
  if (me.status !== 200) return { status: me.status };
  if (me.data.role === "window_operator") {
    const center = await api("GET", "/console/api/center", undefined, token);
    if (center.status !== 200) return { status: center.status };
    return { status: 200, kind: "window", center: center.data, choices: center.data.windows };
  }
  if (me.data.role === "provider_operator") {
    const mine = await api("GET", "/console/api/providers", undefined, token);
    if (mine.status !== 200) return { status: mine.status };
    return { status: 200, kind: "provider", center: null, choices: mine.data.providers };
  }
  return { status: 403 };
}

// The token is checked as it is pasted: the desks it may work list the choices.
async function checkToken() {
  const token = $("token").value.trim();
  signinError(null);
  if (!token) return resetWindows("signin.window_wait");
  resetWindows("signin.checking");
  let res;
  try { res = await desksOf(token); } catch (_) { res = { status: 0 }; }
  if (token !== $("token").value.trim()) return; // edited meanwhile: a newer check runs
  if (res.status !== 200) {
    resetWindows("signin.window_wait");
    const reason = { 401: "signin.bad_token", 403: "signin.not_operator" }[res.status];
    return signinError(reason || "error.generic");
  }
  const { status, ...desk } = res;
  state.pending = { token, ...desk };
  setKind(desk.kind);
  $("window").replaceChildren(...desk.choices.map((w) => {
    const option = el("option", "", localName(w.name));
    option.value = w.code;
    return option;
  }));
  const remembered = sessionStorage.getItem(KEY.window);
  if (desk.choices.some((w) => w.code === remembered)) $("window").value = remembered;
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

function enterDesk(token, desk, code) {
  Object.assign(state, { token, desk, place: code, items: [], polled: null, search: null });
  setKind(desk.kind);
  renderSearch();
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
  Object.assign(state, { token: null, desk: null, place: null, items: [], search: null });
  $("desk").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  detail.close();
  renderWhere();
  resetWindows("signin.window_wait");
  signinError(reasonKey || null);
}

function renderWhere() {
  const d = state.desk;
  $("where").hidden = !d;
  if (!d) return;
  const chosen = d.choices.find((x) => x.code === state.place);
  const name = chosen ? localName(chosen.name) : state.place;
  // A window under its center; a provider under its own name, with its code.
  const lines = d.kind === "window" ? [localName(d.center.name), name] : [name, state.place];
  // The header may cut long names short; the title shows them whole.
  for (const [id, text] of [["center-name", lines[0]], ["window-name", lines[1]]]) {
    $(id).textContent = text;
    $(id).title = text;
  }
}

// --- searching by referral code -------------------------------------------------
// Read as Crockford's base32 is meant to be read: any case, I and L for 1, O for 0.
const readCode = (text) => text.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");

function renderSearch() {
  $("search-clear").hidden = !state.search;
  if (!state.search) $("search").value = "";
  renderSearchNote();
}

function renderSearchNote(key) {
  const shown = key || (state.search ? "search.results" : null);
  $("search-note").hidden = !shown;
  $("search-note").textContent = shown ? t(shown) : "";
  $("search-note").classList.toggle("error", shown === "search.bad_code");
}

function onSearch(event) {
  event.preventDefault();
  const typed = $("search").value.trim();
  if (!typed) return clearSearch();
  const code = readCode(typed);
  if (!CODE.test(code)) return renderSearchNote("search.bad_code");
  state.search = code;
  $("search").value = code;
  renderSearch();
  poll(++state.generation);
}

function clearSearch() {
  state.search = null;
  renderSearch();
  poll(++state.generation);
}

// --- the queue ----------------------------------------------------------------
// One request at a time: the next poll is scheduled when this one is answered.
async function poll(generation, once) {
  if (generation !== state.generation) return;
  // A code is searched across the operator's whole area (it may wait at a
  // colleague's window); otherwise the chosen window's or provider's queue.
  const where = state.search ? { code: state.search } : { [state.desk.kind]: state.place };
  const params = new URLSearchParams({ ...where, page_size: "100" });
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
      el("td", "code", item.referral_code || ""),
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
  detail.open(row.dataset.referralId).then(() => {
    renderQueue();
    if (ONE_COLUMN.matches) $("detail").scrollIntoView({ block: "start" });
  });
  renderQueue();
}

// --- start ------------------------------------------------------------------
async function start() {
  $("token").addEventListener("input", onTokenInput);
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", () => signOut(null));
  $("search-form").addEventListener("submit", onSearch);
  $("search-clear").addEventListener("click", clearSearch);
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
  const desk = await desksOf(token);
  if (desk.status === 200 && desk.choices.some((w) => w.code === code)) {
    enterDesk(token, desk, code);
  } else {
    signOut("signin.expired");
  }
}

document.addEventListener("DOMContentLoaded", start);
