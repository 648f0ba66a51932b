// The open referral: its facts and history, the person it is for (personal
// data: read apart, audited, only while it is open), and the buttons its
// status allows.

import { badge, day, el, localName, t, when } from "./i18n.js";

// Mirrors the API's state machine for the buttons; the API keeps the last
// word and answers 409 with a problem naming the current state.
const ACTIONS = {
  issued: ["accept", "reject"], delivered: ["accept", "reject"],
  accepted: ["start", "reject"], started: ["complete"],
};
const $ = (id) => document.getElementById(id);

// api(method, url, body) -> {status, data}; changed() runs after every answered action.
export function createDetail(api, changed) {
  let shown = null;
  let selected = null;
  let person = null; // {id, data}: the person of the open referral, once read
  // The message shown after an action, kept as its parts so that a language
  // switch words it again: {key, bad, extra: () => text} or null.
  let said = null;

  function render(d, keepForm) {
    shown = d;
    $("detail-pick").hidden = true;
    $("detail-body").hidden = false;
    $("detail-body").dataset.status = d.status;
    $("d-service").replaceChildren(localName(d.service_name) || d.service_code, " ", el("span", "code", d.service_code));
    $("d-priority").replaceWith(Object.assign(badge("priority", d.priority), { id: "d-priority" }));
    $("d-status").replaceWith(Object.assign(badge("status", d.status), { id: "d-status" }));
    $("d-overdue").hidden = !d.overdue;
    $("d-due").textContent = when(d.accept_by);
    $("d-issued").textContent = when(d.issued_at);
    $("d-code").textContent = d.referral_code || "";
    const atWindow = Boolean(d.service_center);
    for (const node of document.querySelectorAll(".at-window")) node.hidden = !atWindow;
    for (const node of document.querySelectorAll(".at-provider")) node.hidden = atWindow;
    $("d-center").textContent = localName(d.center_name) || d.service_center || "";
    $("d-window").textContent = localName(d.window_name) || d.window || "";
    $("d-provider").textContent = localName(d.provider_name) || d.provider || "";
    $("d-case").textContent = d.case_id;
    $("d-id").textContent = d.id;
    const allowed = ACTIONS[d.status] || [];
    for (const b of $("actions").querySelectorAll("button[data-action]")) {
      b.hidden = !allowed.includes(b.dataset.action);
    }
    $("detail-closed").hidden = allowed.length > 0;
    if (!keepForm) showForm(null);
    renderPerson();
    $("d-history").replaceChildren(...(d.history || []).map((h) => {
      const li = el("li");
      li.append(el("span", "time", when(h.at)), el("span", "what", t(`event.${h.type}`)));
      if (h.by) li.append(el("span", "by", h.by));
      return li;
    }));
  }

  // Name, birth date and (for a service at home) address; "nothing known" when
  // the person was erased or their application has not reached the service.
  function renderPerson() {
    const p = person && shown && person.id === shown.id ? person.data : null;
    const known = Boolean(p && (p.name || p.birth_date || p.address));
    $("person-facts").hidden = !known;
    $("person-none").hidden = !p || known;
    $("person-no-address").hidden = !known || p.at_home;
    if (!known) return;
    const n = p.name || {};
    $("p-name").textContent = [n.last_name, n.first_name, n.patronymic].filter(Boolean).join(" ");
    $("p-birth").textContent = day(p.birth_date);
    const a = p.address;
    for (const node of document.querySelectorAll(".p-address")) node.hidden = !a;
    if (a) {
      const door = [a.street, a.house, a.apartment].filter(Boolean).join(", ");
      const place = localName(a.mahalla_name) || a.mahalla || "";
      $("p-address").textContent = [door, place].filter(Boolean).join(" · ");
    }
  }

  async function readPerson(id) {
    const res = await api("GET", `/v1/referrals/${encodeURIComponent(id)}/person`);
    if (selected !== id || res.status !== 200) return;
    person = { id, data: res.data };
    renderPerson();
  }

  function showForm(id) {
    for (const f of ["reject-form", "complete-form"]) $(f).hidden = f !== id;
    $("actions").hidden = Boolean(id) || !(shown && (ACTIONS[shown.status] || []).length);
  }

  // extra: a function giving the text after the label (it may use t()), or none.
  function message(key, bad, extra) {
    said = key ? { key, bad, extra } : null;
    renderMessage();
  }

  function renderMessage() {
    const more = said && said.extra ? said.extra() : "";
    $("detail-message").hidden = !said;
    $("detail-message").textContent = said ? t(said.key) + (more ? `: ${more}` : "") : "";
    $("detail-message").classList.toggle("bad", Boolean(said && said.bad));
  }

  // `expected`: the status an action just answered. The detail is read from a
  // projection that may lag the action by a moment, so it is read again
  // (briefly) until it shows that status, rather than showing the old one.
  async function open(id, expected) {
    if (selected !== id) {
      message(null);
      person = null;
    }
    selected = id;
    for (let tries = 0; ; tries++) {
      const res = await api("GET", `/v1/referrals/${encodeURIComponent(id)}`);
      if (selected !== id) return; // another referral was opened meanwhile
      if (res.status !== 200) {
        if (res.status !== 401) message(res.status === 404 ? "error.not_found" : "error.generic", true);
        return;
      }
      if (!expected || res.data.status === expected || tries >= 20) {
        render(res.data);
        if (!person || person.id !== id) await readPerson(id);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  function close() {
    shown = null;
    selected = null;
    person = null; // personal data does not outlive the open referral
    message(null);
    $("detail-body").hidden = true;
    $("detail-pick").hidden = false;
  }

  async function act(action, body) {
    const id = shown.id;
    const buttons = document.querySelectorAll("#detail button");
    for (const b of buttons) b.disabled = true;
    try {
      const res = await api("POST", `/v1/referrals/${encodeURIComponent(id)}/${action}`, body);
      const done = res.data && res.data.status;
      if (res.status === 200) message("action.done", false, () => t(`status.${done}`));
      else if (res.status === 409) message(...refusal(res.data));
      else if (res.status === 422) message("reject.reason_needed", true);
      // The problem's title came in the language of the moment: kept as it is.
      else if (res.status !== 401) message("error.generic", true, () => (res.data && res.data.title) || "");
      if (res.status === 200 || res.status === 409) {
        await open(id, res.status === 200 ? res.data.status : res.data.state);
        changed();
      }
      return res.status === 200;
    } catch (_) {
      message("queue.offline", true);
      return false;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  // A 409 problem: already done by someone else (or with other words), or not
  // possible now; either way the current state, and who brought it there.
  function refusal(problem) {
    const key = problem.code === "referral.already_done" ? "error.already" : "error.conflict";
    const extra = () => {
      const state = t(`status.${problem.state}`);
      return problem.acted_by ? `${state} · ${t("error.acted_by")} ${problem.acted_by.id}` : state;
    };
    return [key, true, extra];
  }

  function onAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    message(null);
    const action = button.dataset.action;
    if (action === "reject" || action === "complete") showForm(`${action}-form`);
    else act(action);
  }

  async function onReject(event) {
    event.preventDefault();
    const reason = $("reject-reason").value.trim();
    if (!reason) return message("reject.reason_needed", true);
    if (await act("reject", { code: $("reject-code").value, reason })) $("reject-reason").value = "";
  }

  async function onComplete(event) {
    event.preventDefault();
    const note = $("complete-note").value.trim();
    if (await act("complete", note ? { note } : undefined)) $("complete-note").value = "";
  }

  $("actions").addEventListener("click", onAction);
  $("reject-form").addEventListener("submit", onReject);
  $("complete-form").addEventListener("submit", onComplete);
  for (const b of document.querySelectorAll("[data-back]")) b.addEventListener("click", () => showForm(null));

  return {
    open, close,
    selected: () => selected,
    relabel: () => {
      if (shown) render(shown, true);
      renderMessage();
    },
  };
}
