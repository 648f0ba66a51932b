// Rendering of the lists and the case file. Data goes in as text only
// (textContent), never as markup.
import { planCard } from "./plan.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// dd.mm.yyyy hh:mm on the tablet's clock, as dates are written in Uzbekistan in
// every script (the browsers' Uzbek locale data is thin).
// Times in Tashkent's, whatever the tablet's clock is set to: the visit the
// citizen was told of by SMS ("10:00") reads the same on the worker's screen.
const TASHKENT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Tashkent", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

export function when(iso) {
  if (!iso) return "";
  const part = Object.fromEntries(TASHKENT.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.day}.${part.month}.${part.year} ${part.hour}:${part.minute}`;
}

// A code from the API by its name in the worker's script, the code itself if unknown.
export function named(t, prefix, value) {
  if (value === null || value === undefined || value === "") return "—";
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}

// Uzbekistan keeps UTC+5 all year (no daylight saving since 1992).
const TASHKENT_OFFSET_MS = 5 * 3_600_000;

// Midnight in Tashkent of the day ``date`` falls on there.
function startOfDay(date) {
  const there = new Date(date.getTime() + TASHKENT_OFFSET_MS);
  const midnight = Date.UTC(there.getUTCFullYear(), there.getUTCMonth(), there.getUTCDate());
  return new Date(midnight - TASHKENT_OFFSET_MS);
}

// Home visits not yet made: before today overdue, then today's, then the week's.
export function visits(cases, now = new Date()) {
  const today = startOfDay(now);
  const tomorrow = new Date(today.getTime() + 86_400_000);
  const week = new Date(today.getTime() + 8 * 86_400_000);
  const due = cases.filter((c) => c.open !== false && !c.assessed && c.visit_at);
  const at = (c) => new Date(c.visit_at);
  return {
    overdue: due.filter((c) => at(c) < today).sort((a, b) => at(a) - at(b)),
    today: due.filter((c) => at(c) >= today && at(c) < tomorrow).sort((a, b) => at(a) - at(b)),
    upcoming: due.filter((c) => at(c) >= tomorrow && at(c) < week).sort((a, b) => at(a) - at(b)),
  };
}

// "Karimova Dilnoza Rustamovna, 30.01.1985", or nothing while not read yet.
export function personName(person) {
  const a = person && person.applicant;
  if (!a) return "";
  const name = [a.last_name, a.first_name, a.patronymic].filter(Boolean).join(" ");
  const born = a.birth_date ? a.birth_date.split("-").reverse().join(".") : "";
  return [name, born].filter(Boolean).join(", ");
}

export function caseRow(c, t, open, person) {
  return el(
    "li",
    { class: "row" },
    el(
      "button",
      { type: "button", class: "case", "data-case": c.case_id, onclick: () => open(c.case_id) },
      el("strong", { text: personName(person) || named(t, "mahalla", c.mahalla) }),
      person ? el("span", { text: named(t, "mahalla", c.mahalla) }) : null,
      el("span", { text: `${t("case.visit")}: ${when(c.visit_at)}` }),
      el("span", { text: `${t("case.need")}: ${named(t, "need", c.need_level)}` }),
      el("span", { text: `${t("case.plan")}: ${named(t, "plan", c.plan_status)}` }),
      c.conflicts_open ? el("span", { class: "badge", text: t("file.conflicts") }) : null,
    ),
  );
}

export function fillList(list, rows, emptyText) {
  list.replaceChildren(...(rows.length ? rows : [el("li", { class: "empty", text: emptyText })]));
}

export function table(headers, rows) {
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((v) => el("td", { text: String(v ?? "—") }))))),
  );
}

// A value of a clashing field; of an object, only the keys the three versions disagree on.
function shown(value, keys) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value);
  return keys.map((k) => `${k}: ${JSON.stringify(value[k] ?? null)}`).join("\n");
}

function differing(values) {
  const objects = values.filter((v) => v && typeof v === "object" && !Array.isArray(v));
  const keys = [...new Set(objects.flatMap((v) => Object.keys(v)))];
  return keys.filter((k) => new Set(objects.map((v) => JSON.stringify(v[k] ?? null))).size > 1 || objects.length < values.length);
}

function fieldName(field, t) {
  const item = [field.base, field.current, field.submitted].find((v) => v && v.service_code);
  return item ? named(t, "service", item.service_code) : field.path;
}

// Each clashing field's three values side by side, and the two ways to settle it.
function conflicts(found, t, resolve) {
  return found.map((conflict) =>
    el(
      "div",
      { class: "conflict-entry", "data-conflict": conflict.conflict_id },
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ...["conflict.path", "conflict.base", "conflict.current", "conflict.submitted"].map((k) => el("th", { text: t(k) })))),
        el(
          "tbody",
          {},
          ...conflict.fields.map((f) =>
            el(
              "tr",
              {},
              el("td", { text: fieldName(f, t) }),
              ...[f.base, f.current, f.submitted].map((v) =>
                el("td", {}, el("pre", { text: shown(v, differing([f.base, f.current, f.submitted])) })),
              ),
            ),
          ),
        ),
      ),
      el("button", { type: "button", class: "ghost", "data-resolution": "keep_current", text: t("conflict.keep_current"), onclick: () => resolve(conflict, "keep_current") }),
      el("button", { type: "button", class: "primary", "data-resolution": "take_submitted", text: t("conflict.take_submitted"), onclick: () => resolve(conflict, "take_submitted") }),
    ),
  );
}

// A factor by its name in the worker's script; the rules' own (English) words
// for a factor this app does not know yet.
function factorName(contribution, t) {
  const key = `factor.${contribution.factor}`;
  const text = t(key);
  return text === key ? contribution.explanation || contribution.factor : text;
}

export function caseFile(file, t, actions) {
  const view = file.view || {};
  const assessment = file.asOf && file.asOf.assessment;
  // The case's id, for the supervisor's API and a call to support.
  document.getElementById("file-case-id").textContent = view.case_id || file.case_id || "";
  document.getElementById("file-title").textContent = [
    personName(file.person),
    named(t, "mahalla", view.mahalla),
    `${t("case.visit")}: ${when(view.visit_at)}`,
  ]
    .filter(Boolean)
    .join(" · ");

  const situation = document.getElementById("file-situation");
  if (assessment && assessment.situation) {
    const s = assessment.situation;
    situation.replaceChildren(
      el("p", { text: `${t("file.members")}: ${(s.members || []).length}` }),
      el("p", { text: ((file.person && file.person.circumstances) || []).map((c) => named(t, "circumstance", c)).join(", ") }),
      el("p", { text: `${t("file.housing")}: ${named(t, "housing", s.housing)}` }),
      el("p", { text: `${t("file.risks")}: ${(s.protection_risks || []).map((r) => named(t, "risk", r)).join(", ") || "—"}` }),
    );
  } else {
    situation.replaceChildren(el("p", { class: "empty", text: t("file.not_assessed") }));
  }

  const score = document.getElementById("file-score");
  if (assessment && assessment.contributions) {
    score.replaceChildren(
      el("p", { class: "score", text: `${assessment.need_score} · ${named(t, "need", assessment.need_level)}` }),
      table(
        [t("file.factor"), t("file.points")],
        assessment.contributions.map((c) => [factorName(c, t), c.points > 0 ? `+${c.points}` : c.points]),
      ),
    );
  } else {
    score.replaceChildren(el("p", { class: "empty", text: t("file.not_assessed") }));
  }

  const open = (file.conflicts || []).filter((c) => !(file.settled || []).includes(c.conflict_id));
  document.getElementById("file-conflicts-card").hidden = !open.length;
  document.getElementById("file-conflicts").replaceChildren(...conflicts(open, t, actions.resolve));
  if (actions.redrawPlan) {
    document.getElementById("file-plan").replaceChildren(...planCard(file, t, actions).filter(Boolean));
  }

  const referrals = document.getElementById("file-referrals");
  const known = file.referrals || [];
  referrals.replaceChildren(
    known.length
      ? table(
          [t("file.service"), t("file.status"), t("file.outcome")],
          known.map((r) => [
            `${named(t, "service", r.service_code)} (${r.referral.referral_code})`,
            named(t, "referral", r.referral.status),
            r.outcome || r.reason || r.referral.rejection_code,
          ]),
        )
      : el("p", { class: "empty", text: t("file.referrals_none") }),
  );

  const attention = document.getElementById("file-attention");
  const flagged = file.attention || [];
  attention.replaceChildren(
    flagged.length
      ? table(
          [t("file.service"), t("file.status"), t("file.outcome")],
          flagged.map((a) => [named(t, "service", a.service_code), named(t, "attention", a.attention), a.reason || ""]),
        )
      : el("p", { class: "empty", text: t("file.attention_none") }),
  );
}
