// Rendering of the lists and the case file. Data goes in as text only
// (textContent), never as markup.
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

export function when(iso, lang) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(lang === "uz-Cyrl" || lang === "uz-Latn" ? "uz" : lang, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
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

export function caseRow(c, t, lang, open) {
  return el(
    "li",
    { class: "row" },
    el(
      "button",
      { type: "button", class: "case", "data-case": c.case_id, onclick: () => open(c.case_id) },
      el("strong", { text: `${t("case.mahalla")} ${c.mahalla || ""}` }),
      el("span", { text: `${t("case.visit")}: ${when(c.visit_at, lang)}` }),
      el("span", { text: `${t("case.need")}: ${c.need_level || "—"}` }),
      el("span", { text: `${t("case.plan")}: ${c.plan_status || "—"}` }),
      c.conflicts_open ? el("span", { class: "badge", text: t("file.conflicts") }) : null,
    ),
  );
}

export function fillList(list, rows, emptyText) {
  list.replaceChildren(...(rows.length ? rows : [el("li", { class: "empty", text: emptyText })]));
}

function table(headers, rows) {
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((v) => el("td", { text: String(v ?? "—") }))))),
  );
}

export function caseFile(file, t, lang) {
  const view = file.view || {};
  const assessment = file.asOf && file.asOf.assessment;
  document.getElementById("file-title").textContent =
    `${t("case.mahalla")} ${view.mahalla || ""} · ${t("case.visit")}: ${when(view.visit_at, lang)}`;

  const situation = document.getElementById("file-situation");
  if (assessment && assessment.situation) {
    const s = assessment.situation;
    situation.replaceChildren(
      el("p", { text: `${t("file.members")}: ${(s.members || []).length}` }),
      el("p", { text: `${t("file.housing")}: ${t("housing." + s.housing)}` }),
      el("p", { text: `${t("file.risks")}: ${(s.protection_risks || []).join(", ") || "—"}` }),
    );
  } else {
    situation.replaceChildren(el("p", { class: "empty", text: t("file.not_assessed") }));
  }

  const score = document.getElementById("file-score");
  if (assessment && assessment.contributions) {
    score.replaceChildren(
      el("p", { class: "score", text: `${assessment.need_score} · ${assessment.need_level}` }),
      table(
        [t("file.factor"), t("file.points")],
        assessment.contributions.map((c) => [c.explanation || c.factor, c.points]),
      ),
    );
  } else {
    score.replaceChildren(el("p", { class: "empty", text: t("file.not_assessed") }));
  }

  const plan = document.getElementById("file-plan");
  const items = view.items || [];
  plan.replaceChildren(
    ...(items.length
      ? [
          el("p", { text: `${view.plan_status} · v${view.plan_version}` }),
          table(
            [t("file.service"), t("file.priority"), t("file.status")],
            items.map((i) => [i.service_code, i.priority, i.referral ? i.referral.status : "—"]),
          ),
        ]
      : [el("p", { class: "empty", text: t("file.plan_none") })]),
  );

  const referrals = document.getElementById("file-referrals");
  const known = file.referrals || [];
  referrals.replaceChildren(
    known.length
      ? table(
          [t("file.service"), t("file.status"), t("file.outcome")],
          known.map((r) => [
            `${r.service_code} (${r.referral.referral_code})`,
            r.referral.status,
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
          flagged.map((a) => [a.service_code, a.attention, a.reason || ""]),
        )
      : el("p", { class: "empty", text: t("file.attention_none") }),
  );
}
