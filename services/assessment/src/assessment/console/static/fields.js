// Form fields that carry their API pointer, and the API's problems placed at
// them (a field is any element with data-pointer and a .field-error of its
// own), in the worker's script as the API wrote them.
import { el } from "./views.js";

// A labelled control at ``pointer`` (its id drawn from the pointer, so unique).
export function field(t, pointer, labelKey, control) {
  control.id = `f${pointer.replace(/[^a-z0-9]+/gi, "-")}`;
  return el(
    "div",
    { class: "field", "data-pointer": pointer },
    el("label", { for: control.id, "data-i18n": labelKey, text: t(labelKey) }),
    control,
    el("p", { class: "field-error", hidden: "" }),
  );
}

// A choice among codes, each by its label (``prefix.code``); blank first,
// named by ``blankKey`` when blank means something ("none").
export function select(t, name, prefix, values, chosen, blankKey) {
  const node = el("select", { name });
  node.append(blankKey ? el("option", { value: "", "data-i18n": blankKey, text: t(blankKey) }) : el("option", { value: "" }));
  for (const code of values) node.append(el("option", { value: code, "data-i18n": `${prefix}.${code}`, text: t(`${prefix}.${code}`) }));
  node.value = chosen ?? "";
  return node;
}

// Each problem at the field its pointer names, or the nearest enclosing one.
// Returns the problems no field took, for the form's status line.
export function showProblems(form, errors) {
  const fields = [...form.querySelectorAll("[data-pointer]")].filter((f) => f.querySelector(":scope > .field-error"));
  const placed = new Map();
  const unplaced = [];
  for (const error of errors) {
    let pointer = error.pointer || "";
    let found = null;
    while (pointer && !(found = fields.find((f) => f.dataset.pointer === pointer))) {
      pointer = pointer.slice(0, pointer.lastIndexOf("/"));
    }
    if (found) placed.set(found, [...(placed.get(found) || []), error.detail]);
    else unplaced.push(error);
  }
  for (const f of fields) {
    const message = f.querySelector(":scope > .field-error");
    const found = placed.get(f) || [];
    message.textContent = found.join(" ");
    message.hidden = !found.length;
    f.classList.toggle("invalid", found.length > 0);
  }
  return unplaced;
}

// A field the worker corrects no longer shows the problem it had.
export function clearProblem(control) {
  const found = control.closest("[data-pointer].invalid");
  if (!found) return;
  found.classList.remove("invalid");
  const message = found.querySelector(":scope > .field-error");
  if (message) message.hidden = true;
}
