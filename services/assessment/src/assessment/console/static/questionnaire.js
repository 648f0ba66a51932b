// The home-visit questionnaire: drawn from a saved draft (or from who the case
// is about), read back into the situation the API takes (HouseholdSituation),
// its fields carrying the API's pointers (fields.js places the problems). Labels
// carry data-i18n, so a language switch re-labels a half-filled form without
// touching what is typed.
import { field, select } from "./fields.js";
import { el } from "./views.js";

const MEMBERS = "/body/situation/members";
const INCOMES = "/body/situation/income_sources";

// The code lists the form offers, as the server rendered them from contracts.
let CODES = null;
export function codes(kind) {
  if (!CODES) CODES = JSON.parse(document.getElementById("q-codes").textContent);
  return CODES[kind] || [];
}

function labelled(t, key, attrs = {}) {
  return el("span", { "data-i18n": key, text: t(key), ...attrs });
}

function check(t, name, value, key, checked) {
  const box = el("input", { type: "checkbox", name, value });
  box.checked = Boolean(checked);
  return el("label", { class: "check" }, box, " ", labelled(t, key));
}

// A whole number typed on the numeric keypad. Not <input type=number>: it
// drops what it cannot parse without a word (the API would say "required"
// instead of what is wrong), and in Chromium committing it on blur scrolled
// the page, so the tap on "Complete" that caused the blur landed elsewhere.
function number(name, value, attrs) {
  const node = el("input", { type: "text", name, inputmode: "numeric", autocomplete: "off", ...attrs });
  if (value !== undefined && value !== null) node.value = String(value);
  return node;
}

// "950 000" is 950000; anything else not a whole number goes as typed, for the
// API to say what is wrong with it at its field.
function whole(text) {
  const compact = text.replace(/[\s\u00a0]/g, "");
  return /^\d{1,15}$/.test(compact) ? Number(compact) : text;
}

function memberBlock(t, member, index, onRemove) {
  const at = (name) => `${MEMBERS}/${index}/${name}`;
  const limits = new Set(member.functional_limitations || []);
  return el(
    "div",
    { class: "member", "data-ref": member.member_ref, "data-pointer": `${MEMBERS}/${index}` },
    el(
      "div",
      { class: "member-head" },
      el("strong", {}, labelled(t, "q.member"), ` ${index + 1}`, index === 0 ? " · " : "", index === 0 ? labelled(t, "q.applicant") : null),
      index === 0 ? null : el("button", { type: "button", class: "ghost", "data-i18n": "q.remove", text: t("q.remove"), onclick: onRemove }),
    ),
    el(
      "div",
      { class: "member-grid" },
      index === 0 ? null : field(t, at("relation"), "q.relation", select(t, "relation", "relation", codes("relation"), member.relation)),
      field(t, at("age"), "q.age", number("age", member.age, { maxlength: "3" })),
      field(t, at("sex"), "q.sex", select(t, "sex", "apply", ["female", "male"], member.sex)),
      field(t, at("employment"), "q.employment", select(t, "employment", "employment", codes("employment"), member.employment)),
      field(t, at("schooling"), "q.schooling", select(t, "schooling", "schooling", codes("schooling"), member.schooling)),
      field(t, at("disability_group"), "q.disability_group", select(t, "disability_group", "disability", codes("disability"), member.disability_group, "q.none")),
    ),
    el(
      "div",
      { class: "field checks", "data-pointer": at("needs_help_with_daily_living") },
      check(t, "needs_help_with_daily_living", "true", "q.daily_help", member.needs_help_with_daily_living),
      check(t, "chronic_illness", "true", "q.chronic_illness", member.chronic_illness),
      el("p", { class: "field-error", hidden: "" }),
    ),
    el(
      "fieldset",
      { class: "field checks", "data-pointer": at("functional_limitations") },
      el("legend", { "data-i18n": "q.limitations", text: t("q.limitations") }),
      ...codes("limitation").map((code) => check(t, "functional_limitations", code, `limitation.${code}`, limits.has(code))),
      el("p", { class: "field-error", hidden: "" }),
    ),
  );
}

function incomeRow(t, income, index, onRemove) {
  const at = (name) => `${INCOMES}/${index}/${name}`;
  return el(
    "div",
    { class: "income", "data-pointer": `${INCOMES}/${index}` },
    field(t, at("kind"), "q.income_kind", select(t, "kind", "income", codes("income"), income.kind)),
    field(t, at("monthly_amount_uzs"), "q.amount", number("monthly_amount_uzs", income.monthly_amount_uzs, { maxlength: "20" })),
    el("button", { type: "button", class: "ghost", "data-i18n": "q.remove", text: t("q.remove"), onclick: onRemove }),
  );
}

// Age on the day in Tashkent, from an ISO birth date.
function ageOf(birthDate, now = new Date()) {
  const [y, m, d] = birthDate.split("-").map(Number);
  const there = new Date(now.getTime() + 5 * 3_600_000);
  let age = there.getUTCFullYear() - y;
  if (there.getUTCMonth() + 1 < m || (there.getUTCMonth() + 1 === m && there.getUTCDate() < d)) age -= 1;
  return age;
}

// Before anything is saved, the applicant's age from the birth date intake
// holds (intake's case shows no sex: the worker chooses it).
export function startingDraft(person) {
  const a = person && person.applicant;
  if (!a || !a.birth_date) return {};
  return { members: [{ member_ref: "m1", age: ageOf(a.birth_date) }] };
}

// Draws the form from a draft; ``changed`` is called when rows come or go.
export function fill(form, draft, t, changed) {
  const members = draft.members && draft.members.length ? draft.members : [{ member_ref: "m1" }];
  const redraw = (next) => { fill(form, next, t, changed); changed(); };
  form.querySelector("#q-members").replaceChildren(
    ...members.map((m, i) => memberBlock(t, m, i, () => {
      const now = read(form, { keepEmpty: true });
      now.members.splice(i, 1);
      redraw(now);
    })),
  );
  const incomes = draft.income_sources || [];
  form.querySelector("#q-incomes").replaceChildren(
    ...(incomes.length
      ? incomes.map((s, i) => incomeRow(t, s, i, () => {
          const now = read(form, { keepEmpty: true });
          now.income_sources.splice(i, 1);
          redraw(now);
        }))
      : [el("p", { class: "empty", "data-i18n": "q.no_income", text: t("q.no_income") })]),
  );
  form.querySelector("#q-add-member").onclick = () => {
    const now = read(form, { keepEmpty: true });
    const used = new Set(now.members.map((m) => m.member_ref));
    let n = now.members.length + 1;
    while (used.has(`m${n}`)) n += 1;
    now.members.push({ member_ref: `m${n}` });
    redraw(now);
  };
  form.querySelector("#q-add-income").onclick = () => {
    const now = read(form, { keepEmpty: true });
    now.income_sources.push({});
    redraw(now);
  };
  form.querySelector("#draft-housing").value = draft.housing || "";
  const risks = new Set(draft.protection_risks || []);
  for (const box of form.querySelectorAll("input[name=risk]")) box.checked = risks.has(box.value);
  const resources = draft.resources || {};
  for (const box of form.querySelectorAll("input[name=resource]")) box.checked = Boolean(resources[box.value]);
  form.querySelector("#q-skills").value = (resources.skills || []).join(", ");
  form.querySelector("#draft-observations").value = draft.observations || "";
}

function readMember(block) {
  const value = (name) => {
    const node = block.querySelector(`[name=${name}]`);
    return node && node.value !== "" ? node.value : undefined;
  };
  const member = { member_ref: block.dataset.ref };
  for (const name of ["relation", "sex", "employment", "schooling", "disability_group"]) {
    if (value(name) !== undefined) member[name] = value(name);
  }
  if (value("age") !== undefined) member.age = whole(value("age"));
  for (const name of ["needs_help_with_daily_living", "chronic_illness"]) {
    if (block.querySelector(`[name=${name}]`).checked) member[name] = true;
  }
  const limits = [...block.querySelectorAll("input[name=functional_limitations]:checked")].map((b) => b.value);
  if (limits.length) member.functional_limitations = limits;
  return member;
}

// The situation as typed. With keepEmpty (a completion, a redraw) every row
// keeps its place, so a problem's pointer names the row the worker sees; a
// draft leaves out what is empty, so an untouched form saves only what was chosen.
export function read(form, { keepEmpty = false } = {}) {
  const members = [...form.querySelectorAll("#q-members .member")].map(readMember);
  const incomes = [...form.querySelectorAll("#q-incomes .income")].map((row) => {
    const kind = row.querySelector("[name=kind]").value;
    const amount = row.querySelector("[name=monthly_amount_uzs]").value;
    const income = {};
    if (kind) income.kind = kind;
    if (amount.trim() !== "") income.monthly_amount_uzs = whole(amount);
    return income;
  });
  const situation = {};
  const filled = members.some((m) => Object.keys(m).length > 1);
  if (keepEmpty || filled) situation.members = members;
  const incomesFilled = incomes.filter((i) => Object.keys(i).length);
  if (keepEmpty) situation.income_sources = incomes;
  else if (incomesFilled.length) situation.income_sources = incomesFilled;
  const housing = form.querySelector("#draft-housing").value;
  if (housing) situation.housing = housing;
  const risks = [...form.querySelectorAll("input[name=risk]:checked")].map((b) => b.value);
  if (risks.length) situation.protection_risks = risks;
  const resources = {};
  for (const box of form.querySelectorAll("input[name=resource]:checked")) resources[box.value] = true;
  const skills = form.querySelector("#q-skills").value.split(",").map((s) => s.trim()).filter(Boolean);
  if (skills.length) resources.skills = skills;
  if (Object.keys(resources).length) situation.resources = resources;
  const observations = form.querySelector("#draft-observations").value.trim();
  if (observations) situation.observations = observations;
  return situation;
}

