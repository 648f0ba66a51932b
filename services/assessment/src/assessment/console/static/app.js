// The social worker's tablet app: sign-in, visits, cases, a case file, a new
// application and a questionnaire draft, working with or without a connection.
// Every write goes through the outbox (store.js), sent in order when online.
import * as store from "./store.js";
import { caseFile, caseRow, el, fillList, named, visits, when } from "./views.js";
import * as questionnaire from "./questionnaire.js";
import { clearProblem, showProblems } from "./fields.js";
import * as applicationForm from "./apply.js";
import { fillHousehold, readHousehold } from "./apply.js";

const BASE = document.body.dataset.base;
const INTAKE = document.body.dataset.intake;
const TOKEN_KEY = "inson.tablet.token";
const LANG_KEY = "inson.tablet.lang";
const $ = (id) => document.getElementById(id);

let labels = {};
let lang = document.documentElement.lang;
let me = null;
let openCase = null;
let flushing = false;
// What the worker is typing in the draft form wins over any re-render of the file.
let draftTouched = false;
// The plan priorities chosen in the open case file and not saved yet.
let planEdits = {};
// A revision of the plan in force being made in the open case file.
const closedRevision = () => ({ open: false, priorities: {}, removed: [], added: [], reason: "", problem: null });
let revision = closedRevision();
// What the server made of the last revision sent from the open file (in force, or proposed).
let planNotice = null;

let mahallaNames = {};

function t(key) {
  if (key.startsWith("mahalla.")) {
    const found = mahallaNames[key.slice("mahalla.".length)];
    return (found && found[lang]) || key;
  }
  return (labels[lang] && labels[lang][key]) || key;
}
const token = () => sessionStorage.getItem(TOKEN_KEY);
const SYNC_EVERY_MS = 30_000;

// A digest of the last token the server accepted: offline, only that very token
// opens what the tablet keeps (a token's claims can be written by anyone).
async function digest(text) {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

function claims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part));
  } catch {
    return null;
  }
}

function headers(extra = {}) {
  return { Authorization: `Bearer ${token()}`, "Accept-Language": lang, ...extra };
}

async function api(path, origin = "") {
  const response = await fetch(`${origin}${path}`, { headers: headers() });
  if (response.status === 401) throw Object.assign(new Error("unauthorized"), { status: 401 });
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
}

// --- languages -------------------------------------------------------------
function relabel() {
  document.documentElement.lang = lang;
  if (labels[lang]) {
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  }
  for (const button of document.querySelectorAll(".lang")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  showNetwork();
}

async function switchLanguage(next) {
  lang = next;
  localStorage.setItem(LANG_KEY, lang);
  relabel();
  if (me) fillMahallas();
  await render();
}

// --- network and views --------------------------------------------------------
function showNetwork() {
  const net = $("net");
  net.dataset.state = navigator.onLine ? "online" : "offline";
  net.dataset.i18n = navigator.onLine ? "net.online" : "net.offline";
  net.textContent = t(net.dataset.i18n);
}

function show(view) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.view === view || (view === "file" && tab.dataset.view === "cases")));
  }
}

async function render() {
  if (!me) return;
  const cases = await store.all("cases");
  const people = Object.fromEntries((await store.all("files")).map((f) => [f.case_id, f.person]));
  const row = (c) => caseRow(c, t, openFile, people[c.case_id]);
  const due = visits(cases);
  fillList($("visits-overdue"), due.overdue.map(row), t("visits.none"));
  fillList($("visits-today"), due.today.map(row), t("visits.none"));
  fillList($("visits-upcoming"), due.upcoming.map(row), t("visits.none"));
  fillList($("cases-list"), cases.map(row), t("cases.none"));
  const readAt = await store.get("meta", "read_at");
  $("cases-cached").hidden = !readAt || navigator.onLine;
  $("cases-read-at").textContent = when(readAt);
  if (openCase) await renderFile(openCase);
  await renderOutbox();
}

// --- sign-in -----------------------------------------------------------------
async function signIn(candidate) {
  const error = $("signin-error");
  error.hidden = true;
  let who = null;
  let verified = false; // by the server, now
  if (navigator.onLine) {
    const response = await fetch("/v1/me", { headers: { Authorization: `Bearer ${candidate}` } }).catch(() => null);
    if (response && response.status === 401) return refuse("signin.refused");
    if (response && response.ok) {
      who = await response.json();
      verified = true;
    }
  }
  const known = await store.get("meta", "me");
  if (!who) {
    // No connection: only the token the server last accepted on this tablet,
    // unexpired, opens what it keeps, so what the worker types offline can be
    // sent once the signal is back. Its signature cannot be checked here, so a
    // token merely claiming the worker's name opens nothing.
    const said = claims(candidate);
    const accepted = await store.get("meta", "token_digest");
    if (!said || !known || said.sub !== known.sub || (said.exp && said.exp * 1000 < Date.now())
        || !accepted || (await digest(candidate)) !== accepted) {
      return refuse("signin.refused");
    }
    who = known;
  }
  if (who.role !== "social_worker") return refuse("signin.not_worker");
  if (known && known.sub !== who.sub) await store.wipe(); // another worker's cases never show
  if (verified) await store.put("meta", await digest(candidate), "token_digest");
  sessionStorage.setItem(TOKEN_KEY, candidate);
  me = who;
  await store.put("meta", me, "me");
  mahallaNames = (await store.get("meta", "mahalla_names")) || {};
  await enter();
}

function refuse(key) {
  const error = $("signin-error");
  error.textContent = t(key);
  error.hidden = false;
}

async function enter() {
  $("signin").hidden = true;
  $("work").hidden = false;
  $("signout").hidden = false;
  fillMahallas();
  const typed = await store.get("meta", "application_typed");
  if (typed) applicationForm.restore($("apply-form"), $("household"), typed, t, questionnaire.codes("relation"));
  show("visits");
  render().then(sync);
}

async function signOut() {
  const typed = (await store.all("drafts")).some((d) => d.unsaved) || Boolean(await store.get("meta", "application_typed"));
  const unsent = (await store.all("outbox")).length + (typed ? 1 : 0);
  if (unsent && !confirm(t("session.signout_unsent"))) return;
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
  openCase = null;
  await store.wipe();
  location.reload();
}

// --- reading: the worker's own cases, kept for offline ---------------------------
async function sync() {
  if (!navigator.onLine || !me) return;
  await flush();
  try {
    const page = await api(`/v1/case-files?worker_id=${encodeURIComponent(me.sub)}&page_size=100`);
    await store.replaceAll("cases", page.items);
    await readMahallaNames([...(me.scope.mahallas || []), ...page.items.map((c) => c.mahalla)]);
    await store.put("meta", new Date().toISOString(), "read_at");
    const attention = await api("/v1/attention?page_size=100");
    await store.put("meta", attention.items, "attention");
    await render();
    for (const c of page.items) await readFile(c.case_id);
    await render();
  } catch (error) {
    if (error.status === 401) expired();
  }
}

// The token ran out: sign in again; the cases and the outbox stay for the same worker.
function expired() {
  sessionStorage.removeItem(TOKEN_KEY);
  $("work").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  refuse("signin.expired");
}

// The names of the worker's mahallas, kept for offline like their cases.
async function readMahallaNames(codes) {
  const query = [...new Set(codes.filter(Boolean))].slice(0, 50).map((c) => `code=${encodeURIComponent(c)}`);
  mahallaNames = await fetch(`${BASE}/mahallas.json?${query.join("&")}`).then((r) => r.json());
  await store.put("meta", mahallaNames, "mahalla_names");
  fillMahallas();
}

async function readFile(caseId) {
  const id = encodeURIComponent(caseId);
  const [view, asOf, referrals, draft, person] = await Promise.all([
    api(`/v1/case-files/${id}`),
    api(`/v1/cases/${id}/as-of?at=${encodeURIComponent(new Date().toISOString())}`).catch(() => null),
    api(`/v1/case-files/${id}/referrals`).catch(() => []),
    api(`/v1/cases/${id}/assessment/draft`).catch(() => null),
    // Who the case is about: intake's (an audited read), so the worker knows whose door.
    api(`/v1/cases/${id}`, INTAKE).catch(() => null),
  ]);
  const attention = ((await store.get("meta", "attention")) || []).filter((a) => a.case_id === caseId);
  // From the event store, not the read model: a conflict just recorded is there at once.
  const conflicts = await api(`/v1/cases/${id}/conflicts`).catch(() => []);
  await store.put("files", { case_id: caseId, view, asOf, referrals, attention, conflicts, person });
  const pending = Boolean(await queued("draft", caseId));
  const kept = (await store.get("drafts", caseId)) || {};
  // What was typed here and not saved stays, on the revision it was typed over
  // (saving it then meets any newer draft as a conflict, never overwrites it).
  if (draft && !pending && !kept.unsaved) {
    await store.put("drafts", {
      case_id: caseId, draft: draft.draft || {}, revision: draft.revision || 0, refused: kept.refused,
    });
  }
}

async function openFile(caseId) {
  openCase = caseId;
  draftTouched = false;
  planEdits = {};
  revision = closedRevision();
  planNotice = null;
  $("draft-status").textContent = "";
  show("file");
  await renderFile(caseId);
  if (navigator.onLine) await readFile(caseId).catch(() => null);
  await renderFile(caseId);
}

// ``ownEdit``: drawn for the plan editor's own action. Any other re-render (the
// 30 s sync, a flush) leaves an open revision editor alone: replacing it would
// take the text field from under the worker's fingers.
async function renderFile(caseId, ownEdit = false) {
  const file = (await store.get("files", caseId)) || { view: await store.get("cases", caseId) };
  caseFile(file, t, {
    planEdits,
    savePlan: (items) => savePlan(caseId, items),
    resolve: (conflict, resolution) => resolveConflict(caseId, conflict, resolution),
    revision,
    notice: planNotice,
    redrawPlan: ownEdit || !revision.open,
    startRevision: () => { revision = { ...closedRevision(), open: true }; planNotice = null; renderFile(caseId, true); },
    cancelRevision: () => { revision = closedRevision(); renderFile(caseId, true); },
    sendRevision: (items, reason) => sendRevision(caseId, items, reason),
    rerender: () => renderFile(caseId, true),
  });
  const draft = (await store.get("drafts", caseId)) || { draft: {}, revision: 0 };
  const completion = await queued("complete", caseId);
  // Checked after the last await: typing may have begun while the store answered.
  if (draftTouched || openCase !== caseId) return;
  // Once assessed, the file shows the situation as recorded; the form is for the visit.
  const assessed = Boolean(file.asOf && file.asOf.assessment) || Boolean(file.view && file.view.assessed);
  $("questionnaire").hidden = assessed && !completion;
  const form = $("draft-form");
  const saved = Object.keys(draft.draft || {}).length ? draft.draft : questionnaire.startingDraft(file.person);
  questionnaire.fill(form, saved, t, () => { draftTouched = true; keepTyping(); });
  $("draft-revision").textContent = String(draft.revision);
  // Refused when sent from the outbox, or at once (then kept with the draft).
  const refused = completion && completion.state === "refused" ? completion.problem : draft.refused || null;
  showProblems(form, (refused && refused.errors) || []);
  if (completion || refused) {
    $("draft-status").textContent = refused
      ? [t("q.refused"), refused.errors ? "" : refused.detail].filter(Boolean).join(": ")
      : t("q.waiting");
  }
}

// --- writing: everything through the outbox ----------------------------------------
// The case's write of this kind waiting in the outbox (only a pending one if asked).
async function queued(kind, caseId, { pending = false } = {}) {
  return (await store.all("outbox")).find(
    (i) => i.kind === kind && i.case_id === caseId && (!pending || i.state === "pending"),
  );
}

async function queue(item) {
  await store.put("outbox", { ...item, state: "pending", created_at: new Date().toISOString() });
  await renderOutbox();
}

// Typing is kept on the tablet as it happens (not sent: that is Save), so
// nothing typed is lost if the tab closes or the battery dies.
// What is kept is read when typed (the case it belongs to included); only the
// write waits for a pause in the typing.
const autosaveTimers = new Map();
const autosaveWrites = new Map();
function autosave(what, write) {
  clearTimeout(autosaveTimers.get(what));
  autosaveWrites.set(what, write);
  autosaveTimers.set(what, setTimeout(() => writeNow(what), 300));
}

function writeNow(what) {
  clearTimeout(autosaveTimers.get(what));
  const write = autosaveWrites.get(what);
  autosaveWrites.delete(what);
  if (write) write().catch(() => null);
}

// The tab closing or hidden: what waits for a pause in the typing is written now.
function writeAllNow() {
  for (const what of [...autosaveWrites.keys()]) writeNow(what);
}

function keepTyping() {
  const caseId = openCase;
  if (!caseId || $("questionnaire").hidden) return;
  const typed = questionnaire.read($("draft-form"));
  autosave(`draft:${caseId}`, async () => {
    const known = (await store.get("drafts", caseId)) || { draft: {}, revision: 0 };
    await store.put("drafts", { ...known, case_id: caseId, draft: typed, unsaved: true });
  });
}

function keepApplication() {
  const typed = applicationForm.state($("apply-form"), $("household"));
  autosave("application", () => store.put("meta", typed, "application_typed"));
}

// What the form holds, kept on the tablet and queued as the case's draft.
async function keepDraft(caseId) {
  clearTimeout(autosaveTimers.get(`draft:${caseId}`));
  autosaveWrites.delete(`draft:${caseId}`);
  const known = (await store.get("drafts", caseId)) || { draft: {}, revision: 0 };
  const draft = questionnaire.read($("draft-form"));
  // The local copy is what the worker sees next; the queued save keeps the
  // revision it was based on, so the server refuses it if another tablet saved since.
  await store.put("drafts", { case_id: caseId, draft, revision: known.revision });
  draftTouched = false;
  const waiting = await queued("draft", caseId, { pending: true });
  if (waiting) await store.put("outbox", { ...waiting, body: draft });
  else await queue({ kind: "draft", case_id: caseId, base_revision: known.revision, body: draft });
}

async function saveDraft(event) {
  event.preventDefault();
  await keepDraft(openCase);
  $("draft-status").textContent = t(navigator.onLine ? "apply.sent" : "apply.queued");
  await flush();
}

// The visit done: the questionnaire is sent whole (not the saved draft: what
// the form shows is what is scored), with the case file's version it was
// filled against; refused, its problems come back to their fields.
async function completeAssessment() {
  const caseId = openCase;
  if (!caseId || !confirm(t("q.confirm_complete"))) return;
  const form = $("draft-form");
  // Saved as the draft first: if the completion is refused, nothing typed is lost
  // (the next read of the case brings back the server's draft, now this one).
  await keepDraft(caseId);
  showProblems(form, []);
  for (const item of await store.all("outbox")) {
    if (item.kind === "complete" && item.case_id === caseId) await store.remove("outbox", item.seq);
  }
  const file = await store.get("files", caseId);
  const body = { situation: questionnaire.read(form, { keepEmpty: true }) };
  const baseVersion = file && file.asOf ? file.asOf.version : undefined;
  await queue({ kind: "complete", case_id: caseId, base_version: baseVersion, body });
  $("draft-status").textContent = t("q.waiting");
  await flush();
  const left = await queued("complete", caseId);
  if (!left) {
    $("draft-status").textContent = t("q.completed");
  } else if (left.state === "refused") {
    // Refused at once: back to the form, each problem at its field, not left in the outbox.
    await store.remove("outbox", left.seq);
    const kept = await store.get("drafts", caseId);
    await store.put("drafts", { ...kept, refused: left.problem });
    await render();
  }
}

// A drafted plan edited here: queued with the stream version it was read at, so
// the server merges it over newer changes or records a conflict, never overwrites.
async function savePlan(caseId, items) {
  const file = await store.get("files", caseId);
  const waiting = await queued("plan", caseId, { pending: true });
  if (waiting) await store.put("outbox", { ...waiting, body: { items } });
  else await queue({ kind: "plan", case_id: caseId, base_version: file.asOf.version, body: { items } });
  file.asOf.plan.items = items;
  await store.put("files", file);
  planEdits = {};
  await flush();
}

// A revision of the plan in force, with the version it was made on: in force at
// once (204), or, adding services, proposed to the supervisor (202). Refused at
// once, it stays open with the problem; queued offline, it goes when online.
async function sendRevision(caseId, items, reason) {
  const file = await store.get("files", caseId);
  await queue({ kind: "revise", case_id: caseId, base_version: file.asOf.version, body: { items, reason } });
  await flush();
  const left = await queued("revise", caseId);
  if (left && left.state === "refused") {
    await store.remove("outbox", left.seq);
    revision = { ...revision, problem: left.problem };
    await renderFile(caseId, true);
    return;
  }
  revision = closedRevision();
  if (left) planNotice = "plan.revision_queued";
  await renderFile(caseId, true);
}

async function resolveConflict(caseId, conflict, resolution) {
  const file = await store.get("files", caseId);
  file.settled = [...(file.settled || []), conflict.conflict_id];
  await store.put("files", file);
  await queue({ kind: "resolve", case_id: caseId, conflict_id: conflict.conflict_id, body: { resolution } });
  await flush();
}

// The server kept a stale plan edit as a conflict: it leaves the outbox (the server
// holds it) and shows in the case file until the worker settles it.
async function keepConflict(item, conflict) {
  const file = (await store.get("files", item.case_id)) || { case_id: item.case_id };
  const known = (file.conflicts || []).filter((c) => c.conflict_id !== conflict.conflict_id);
  await store.put("files", { ...file, conflicts: [...known, conflict] });
  await store.remove("outbox", item.seq);
}

function applicationBody(form) {
  const value = (name) => form.elements[name].value.trim() || undefined;
  const mahalla = value("mahalla") || "";
  return {
    channel: "mahalla_tablet",
    applicant: {
      pinfl: value("pinfl"),
      name: { last_name: value("last_name"), first_name: value("first_name"), patronymic: value("patronymic") },
      birth_date: value("birth_date"),
      sex: value("sex"),
      phone: value("phone"),
      language: value("language"),
    },
    address: {
      region: mahalla.slice(0, 4),
      district: mahalla.slice(0, 7),
      mahalla,
      street: value("street"),
      house: value("house"),
    },
    household: readHousehold($("household"), t, questionnaire.codes("relation")),
    circumstances: [...form.querySelectorAll("input[name=circumstances]:checked")].map((i) => i.value),
    circumstances_note: value("note"),
    consent: { given: form.elements.consent.checked || undefined, text_version: "2026-01" },
  };
}

function applicationProblems(errors) {
  const unplaced = showProblems($("apply-form"), errors);
  const details = unplaced.map((e) => e.detail).join(" ");
  return details ? `${t("apply.refused")}: ${details}` : t("apply.refused");
}

function clearApplication(form) {
  form.reset();
  fillHousehold($("household"), [], t, questionnaire.codes("relation"));
  clearTimeout(autosaveTimers.get("application"));
  autosaveWrites.delete("application");
  store.remove("meta", "application_typed");
}

async function submitApplication(event) {
  event.preventDefault();
  const form = $("apply-form");
  showProblems(form, []);
  const key = crypto.randomUUID();
  await queue({ kind: "application", key, body: applicationBody(form) });
  $("apply-status").textContent = t("apply.queued");
  const seqs = (await store.all("outbox")).filter((i) => i.key === key).map((i) => i.seq);
  await flush();
  const left = seqs.length ? await store.get("outbox", seqs[0]) : null;
  if (!left) {
    clearApplication(form);
    $("apply-status").textContent = t("apply.sent");
  } else if (left.state === "refused") {
    // Refused at once: back into the form, each problem at its field (any
    // other, such as a rule across fields, in the status line).
    await store.remove("outbox", left.seq);
    await renderOutbox();
    const errors = left.problem.errors || [];
    $("apply-status").textContent = errors.length
      ? applicationProblems(errors)
      : `${t("apply.refused")}: ${left.problem.detail || ""}`;
  } else {
    clearApplication(form);
  }
}

// Each kind of queued write: where it goes, and how (the base version, when
// the item has one, travels in the body).
const WRITES = {
  complete: ["POST", () => "assessment/complete"],
  plan: ["PUT", () => "plan/draft"],
  revise: ["POST", () => "plan/revise"],
  resolve: ["POST", (item) => `conflicts/${encodeURIComponent(item.conflict_id)}/resolve`],
  draft: ["PUT", (item) => `assessment/draft?base_revision=${item.base_revision}`],
};

function sendJson(method, url, body, extra = {}) {
  return fetch(url, { method, headers: headers({ "Content-Type": "application/json", ...extra }), body: JSON.stringify(body) });
}

function request(item) {
  if (item.kind === "application") {
    return sendJson("POST", `${INTAKE}/v1/applications`, item.body, { "Idempotency-Key": item.key });
  }
  const [method, path] = WRITES[item.kind];
  const body = "base_version" in item ? { ...item.body, base_version: item.base_version } : item.body;
  return sendJson(method, `/v1/cases/${encodeURIComponent(item.case_id)}/${path(item)}`, body);
}

// Sends the pending writes oldest first; stops at the first that does not get
// through (no connection, expired token), so the order holds.
async function flush() {
  if (flushing || !navigator.onLine || !token()) return;
  flushing = true;
  const changed = new Set();
  try {
    for (const item of await store.all("outbox")) {
      if (item.state !== "pending") continue;
      const response = await request(item).catch(() => null);
      if (response && response.status === 401) {
        expired();
        break;
      }
      if (!response || response.status >= 500) break;
      if (item.case_id) changed.add(item.case_id);
      if (response.ok) {
        await store.remove("outbox", item.seq);
        if (item.kind === "revise" && item.case_id === openCase) {
          planNotice = response.status === 202 ? "plan.proposed_sent" : "plan.revision_in_force";
        }
        if (item.kind === "draft") {
          const revision = Number(response.headers.get("X-Inson-Draft-Revision"));
          const kept = (await store.get("drafts", item.case_id)) || {};
          // Typed since this save: kept, now over the revision just made.
          const draft = kept.unsaved ? kept.draft : item.body;
          await store.put("drafts", { case_id: item.case_id, draft, revision, unsaved: kept.unsaved });
        }
        continue;
      }
      const problem = await response.json().catch(() => ({}));
      if (problem.code === "edit.conflict_recorded") {
        await keepConflict(item, problem);
        continue;
      }
      // Only a stale draft is settled side by side; anything else refused is shown as such.
      const stale = item.kind === "draft" && response.status === 409;
      await store.put("outbox", { ...item, state: stale ? "conflict" : "refused", problem });
    }
  } finally {
    flushing = false;
  }
  // What the server made of the sent writes (a new version, a merge) is read back.
  for (const caseId of changed) if (navigator.onLine) await readFile(caseId).catch(() => null);
  await render();
}

async function renderOutbox() {
  const items = await store.all("outbox");
  $("outbox-count").textContent = String(items.length);
  fillList(
    $("outbox-list"),
    items.map((item) =>
      el(
        "li",
        { class: `row ${item.state}`, "data-kind": item.kind },
        el("strong", { text: t(`outbox.${item.kind}`) }),
        el("span", { text: when(item.created_at) }),
        item.state === "refused"
          ? el("span", { class: "error", text: `${t("outbox.refused")}: ${(item.problem.errors || []).map((e) => e.detail).join(" ") || item.problem.detail || ""}` })
          : null,
        item.state === "conflict"
          ? el("button", { type: "button", class: "primary", text: t("draft.conflict"), onclick: () => showConflict(item) })
          : null,
        item.state !== "pending"
          ? el("button", { type: "button", class: "ghost", text: t("outbox.discard"), onclick: () => discard(item) })
          : null,
      ),
    ),
    t("outbox.none"),
  );
}

async function discard(item) {
  await store.remove("outbox", item.seq);
  $("draft-conflict").hidden = true;
  await render();
}

// A draft saved on another tablet since this one's revision: both side by side,
// the worker keeps one; nothing is merged behind their back.
function showConflict(item) {
  const current = item.problem.current || {};
  $("conflict-mine").textContent = JSON.stringify(item.body, null, 2);
  $("conflict-theirs").textContent = JSON.stringify(current.draft, null, 2);
  $("draft-conflict").hidden = false;
  $("keep-mine").onclick = async () => {
    await store.put("outbox", { ...item, state: "pending", base_revision: current.revision || 0, problem: undefined });
    $("draft-conflict").hidden = true;
    await flush();
  };
  $("keep-theirs").onclick = async () => {
    await store.put("drafts", { case_id: item.case_id, draft: current.draft || {}, revision: current.revision || 0 });
    await discard(item);
  };
}

function fillMahallas() {
  const select = $("f-mahalla");
  const chosen = select.value;
  const mahallas = (me && me.scope && me.scope.mahallas) || [];
  select.replaceChildren(...mahallas.map((code) => el("option", { value: code, text: named(t, "mahalla", code) })));
  if (chosen) select.value = chosen;
}

// --- start ---------------------------------------------------------------------
async function start() {
  lang = localStorage.getItem(LANG_KEY) || lang;
  labels = await fetch(`${BASE}/labels.json`).then((r) => r.json()).catch(() => ({}));
  // A language in the address wins: offline, the page comes from the service
  // worker's cache in whichever language it was last fetched.
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked && labels[asked]) {
    lang = asked;
    localStorage.setItem(LANG_KEY, lang);
  }
  relabel();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(`${BASE}/sw.js`, { scope: `${BASE}/` }).catch(() => null);
  }
  for (const button of document.querySelectorAll(".lang")) button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  for (const button of document.querySelectorAll("[data-view]")) {
    button.addEventListener("click", () => { openCase = null; show(button.dataset.view); });
  }
  $("signin-form").addEventListener("submit", (event) => { event.preventDefault(); signIn($("token").value.trim()); });
  $("signout").addEventListener("click", signOut);
  $("draft-form").addEventListener("submit", saveDraft);
  $("draft-form").addEventListener("input", () => { draftTouched = true; keepTyping(); });
  $("draft-form").addEventListener("change", keepTyping);
  // A field the worker corrects no longer shows the problem it had.
  $("draft-form").addEventListener("change", (event) => clearProblem(event.target));
  $("q-complete").addEventListener("click", completeAssessment);
  $("apply-form").addEventListener("submit", submitApplication);
  $("apply-form").addEventListener("change", (event) => clearProblem(event.target));
  $("apply-form").addEventListener("input", keepApplication);
  $("apply-form").addEventListener("change", keepApplication);
  fillHousehold($("household"), [], t, questionnaire.codes("relation"));
  $("outbox-send").addEventListener("click", flush);
  window.addEventListener("pagehide", writeAllNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") writeAllNow(); });
  window.addEventListener("online", () => { showNetwork(); sync(); });
  window.addEventListener("offline", () => { showNetwork(); render(); });
  // New cases reach the worker without a reload: an application just taken is
  // assigned within seconds, a supervisor's approval any time.
  setInterval(() => { if (document.visibilityState === "visible") sync(); }, SYNC_EVERY_MS);
  if (token()) await signIn(token());
  await renderOutbox();
}

start();
