// The API's problems at the fields their pointers name (a field is any
// element with data-pointer and a .field-error of its own), in the worker's
// script as the API wrote them.

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
