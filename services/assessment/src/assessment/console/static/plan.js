// The plan card of a case file: a drafted plan's priorities edited before the
// supervisor approves it, and a plan in force revised (priorities, items
// dropped, offered services added, with a reason). Both are sent whole through
// the outbox with the version they were made on (app.js).
import { el, named, table } from "./views.js";

const PRIORITIES = ["routine", "urgent", "emergency"];

// Which provider type gives each catalogue service, as the server rendered it.
let PROVIDERS = null;
function providerOf(code) {
  if (!PROVIDERS) PROVIDERS = JSON.parse(document.getElementById("service-providers").textContent);
  return PROVIDERS[code];
}

function prioritySelect(t, item, chosen, onChange) {
  const select = el("select", { "data-item": item.item_id, "aria-label": t("file.priority") });
  for (const p of PRIORITIES) select.append(el("option", { value: p, text: named(t, "priority", p) }));
  select.value = chosen || item.priority;
  select.addEventListener("change", () => onChange(select.value));
  return select;
}

function head(t, ...cells) {
  return el("thead", {}, el("tr", {}, ...cells.map((key) => el("th", { text: t(key) }))));
}

// A drafted plan: a priority per item, saved as a whole. ``edits`` (item id ->
// priority) outlives a re-render while the worker chooses.
function draftedPlan(plan, t, edits, savePlan) {
  const rows = plan.items.map((item) =>
    el(
      "tr",
      {},
      el("td", { text: named(t, "service", item.service_code) }),
      el("td", {}, prioritySelect(t, item, edits[item.item_id], (p) => { edits[item.item_id] = p; })),
    ),
  );
  const save = () => savePlan(plan.items.map((item) => ({ ...item, priority: edits[item.item_id] || item.priority })));
  return [
    el("p", { text: `${named(t, "plan", plan.status)} · ${t("plan.awaiting_approval")}` }),
    el("table", {}, head(t, "file.service", "file.priority"), el("tbody", {}, ...rows)),
    el("button", { type: "button", class: "primary", id: "plan-save", text: t("plan.save"), onclick: save }),
  ];
}

// A new item for an offered service: routine, the catalogue's provider type,
// the district's default provider (the server picks it).
function newItem(code) {
  const suffix = crypto.randomUUID().slice(0, 8);
  return { item_id: `item-${code.toLowerCase()}-${suffix}`, service_code: code, provider_type: providerOf(code), priority: "routine" };
}

// The revision as the worker left it: every item kept unless dropped, with its
// new priority, and the offered services added.
export function revisedItems(plan, revision) {
  return plan.items
    .filter((item) => !revision.removed.includes(item.item_id))
    .map((item) => ({ ...item, priority: revision.priorities[item.item_id] || item.priority }))
    .concat(revision.added.map(newItem));
}

function revisionEditor(plan, view, t, revision, actions) {
  const statusOf = Object.fromEntries((view.items || []).map((i) => [i.item_id, i.referral && i.referral.status]));
  const rows = plan.items.map((item) => {
    const drop = el("input", { type: "checkbox", "data-remove": item.item_id, "aria-label": t("q.remove") });
    drop.checked = revision.removed.includes(item.item_id);
    drop.addEventListener("change", () => {
      revision.removed = revision.removed.filter((id) => id !== item.item_id);
      if (drop.checked) revision.removed.push(item.item_id);
    });
    return el(
      "tr",
      {},
      el("td", { text: named(t, "service", item.service_code) }),
      el("td", {}, prioritySelect(t, item, revision.priorities[item.item_id], (p) => { revision.priorities[item.item_id] = p; })),
      el("td", { text: named(t, "referral", statusOf[item.item_id]) }),
      el("td", {}, drop),
    );
  });
  const planned = new Set(plan.items.map((i) => i.service_code));
  const offered = (view.offered_services || []).filter((code) => !planned.has(code) && providerOf(code));
  const added = revision.added.map((code) =>
    el(
      "li",
      { class: "row", "data-added": code },
      el("span", { text: named(t, "service", code) }),
      el("button", { type: "button", class: "ghost", text: t("q.remove"), onclick: () => { revision.added = revision.added.filter((c) => c !== code); actions.rerender(); } }),
    ),
  );
  const choice = el("select", { id: "plan-add", "aria-label": t("plan.add_service") });
  for (const code of offered.filter((c) => !revision.added.includes(c))) {
    choice.append(el("option", { value: code, text: named(t, "service", code) }));
  }
  const reason = el("textarea", { id: "plan-reason", rows: "2", maxlength: "2000" });
  reason.value = revision.reason;
  reason.addEventListener("input", () => { revision.reason = reason.value; });
  const problem = revision.problem;
  return [
    el("table", {}, head(t, "file.service", "file.priority", "file.status", "q.remove"), el("tbody", {}, ...rows)),
    added.length ? el("ul", { class: "rows" }, ...added) : null,
    choice.options.length
      ? el(
          "div",
          { class: "add-service" },
          el("label", { for: "plan-add", text: t("plan.add_service") }),
          choice,
          el("button", { type: "button", class: "ghost", id: "plan-add-button", text: t("plan.add_service"), onclick: () => { revision.added.push(choice.value); actions.rerender(); } }),
        )
      : null,
    el(
      "div",
      { class: `field${problem ? " invalid" : ""}`, "data-pointer": "/body/reason" },
      el("label", { for: "plan-reason", text: t("plan.reason") }),
      reason,
      problem
        ? el("p", { class: "field-error", text: (problem.errors || []).map((e) => e.detail).join(" ") || problem.detail || "" })
        : null,
    ),
    el("p", { class: "hint", text: t("plan.revise_hint") }),
    el(
      "div",
      { class: "q-actions" },
      el("button", { type: "button", class: "ghost", text: t("plan.cancel"), onclick: actions.cancelRevision }),
      el("button", { type: "button", class: "primary", id: "plan-revise-send", text: t("plan.send_revision"), onclick: () => actions.sendRevision(revisedItems(plan, revision), revision.reason.trim()) }),
    ),
  ];
}

export function planCard(file, t, actions) {
  const view = file.view || {};
  const plan = file.asOf && file.asOf.plan;
  if (plan && plan.status === "drafted") return draftedPlan(plan, t, actions.planEdits, actions.savePlan);
  const items = view.items || [];
  if (!items.length && !(plan && plan.items.length)) return [el("p", { class: "empty", text: t("file.plan_none") })];
  const pending = view.pending_revision;
  const status = el("p", {
    text: [named(t, "plan", view.plan_status), view.plan_version ? `v${view.plan_version}` : ""].filter(Boolean).join(" · "),
  });
  const notices = [
    actions.notice ? el("p", { class: "status", id: "plan-notice", text: t(actions.notice) }) : null,
    pending
      ? el("p", { class: "notice", id: "plan-proposed", text: `${t("plan.proposed")}: ${pending.added_services.map((s) => named(t, "service", s)).join(", ")}` })
      : null,
  ];
  const inForce = plan && plan.status === "approved" && view.open !== false;
  if (inForce && actions.revision.open) return [status, ...notices, ...revisionEditor(plan, view, t, actions.revision, actions)];
  return [
    status,
    ...notices,
    table(
      [t("file.service"), t("file.priority"), t("file.status")],
      items.map((i) => [named(t, "service", i.service_code), named(t, "priority", i.priority), named(t, "referral", i.referral && i.referral.status)]),
    ),
    inForce
      ? el("button", { type: "button", class: "ghost", id: "plan-revise", text: t("plan.revise"), onclick: actions.startRevision })
      : null,
  ];
}
