// The application form beyond its fixed fields: the household members living
// with the applicant, each with relation, name, birth date and sex, as intake
// takes them (`household`), rows coming and going, each field carrying its API
// pointer; and the form as typed, kept on the tablet until it is sent. The
// members' controls are named member_*: the form reads the applicant's by name.
import { field, select } from "./fields.js";
import { el } from "./views.js";

const HOUSEHOLD = "/body/household";

function input(name, type, value) {
  const node = el("input", { name, type });
  if (value) node.value = value;
  return node;
}

function row(t, member, index, relations, onRemove) {
  const at = (name) => `${HOUSEHOLD}/${index}/${name}`;
  return el(
    "div",
    { class: "household-member", "data-pointer": `${HOUSEHOLD}/${index}` },
    field(t, at("relation"), "q.relation", select(t, "member_relation", "relation", relations, member.relation)),
    field(t, at("name/last_name"), "apply.last_name", input("member_last_name", "text", member.last_name)),
    field(t, at("name/first_name"), "apply.first_name", input("member_first_name", "text", member.first_name)),
    field(t, at("birth_date"), "apply.birth_date", input("member_birth_date", "date", member.birth_date)),
    field(t, at("sex"), "apply.sex", select(t, "member_sex", "apply", ["female", "male"], member.sex)),
    el("button", { type: "button", class: "ghost", "data-i18n": "q.remove", text: t("q.remove"), onclick: onRemove }),
  );
}

// What the rows hold, for redrawing them.
function typed(container) {
  return [...container.querySelectorAll(".household-member")].map((r) => {
    const value = (name) => r.querySelector(`[name=member_${name}]`).value.trim();
    return { relation: value("relation"), last_name: value("last_name"), first_name: value("first_name"), birth_date: value("birth_date"), sex: value("sex") };
  });
}

export function fillHousehold(container, members, t, relations) {
  const list = container.querySelector(".household-rows");
  list.replaceChildren(
    ...members.map((m, i) => row(t, m, i, relations, () => {
      const now = typed(container);
      now.splice(i, 1);
      fillHousehold(container, now, t, relations);
    })),
  );
  container.querySelector("#h-add").onclick = () => fillHousehold(container, [...typed(container), {}], t, relations);
}

// The rows as the API takes them. A row left blank is no member: it is taken
// off the form first, so each problem's index names the row the worker sees.
export function readHousehold(container, t, relations) {
  const members = typed(container).filter((m) => Object.values(m).some(Boolean));
  fillHousehold(container, members, t, relations);
  return members.map((m) => ({
    relation: m.relation || undefined,
    name: { last_name: m.last_name || undefined, first_name: m.first_name || undefined },
    birth_date: m.birth_date || undefined,
    sex: m.sex || undefined,
  }));
}

// The form as typed: every named control's value (checkboxes: the values
// checked), and the household rows.
export function state(form, container) {
  const fields = {};
  for (const control of form.elements) {
    if (!control.name || control.name.startsWith("member_")) continue;
    if (control.type === "checkbox") {
      fields[control.name] = [...(fields[control.name] || []), ...(control.checked ? [control.value] : [])];
    } else {
      fields[control.name] = control.value;
    }
  }
  return { fields, household: typed(container) };
}

export function restore(form, container, kept, t, relations) {
  for (const control of form.elements) {
    if (!control.name || !(control.name in kept.fields)) continue;
    const value = kept.fields[control.name];
    if (control.type === "checkbox") control.checked = value.includes(control.value);
    else control.value = value;
  }
  fillHousehold(container, kept.household || [], t, relations);
}
