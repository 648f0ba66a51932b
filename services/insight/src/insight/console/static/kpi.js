// The KPI page: keeps the token in sessionStorage and puts the server-rendered
// report (/kpi/report, HTML with SVG charts) in place. It draws nothing itself.
"use strict";

const TOKEN_KEY = "inson.kpi.token";

function query() {
  const params = new URLSearchParams({
    lang: document.documentElement.lang,
    level: document.getElementById("level").value,
    period: document.getElementById("period").value,
  });
  const district = document.getElementById("district").value.trim();
  if (district) params.set("district", district);
  return params;
}

async function show() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const status = document.getElementById("status");
  if (!token) return;
  status.textContent = status.dataset.loading;
  const answer = await fetch(`/kpi/report?${query()}`, {
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": document.documentElement.lang },
  });
  if (!answer.ok) {
    let detail = "";
    try { detail = (await answer.json()).detail || ""; } catch (_) { detail = ""; }
    status.textContent = `${status.dataset.failed} (${answer.status}) ${detail}`;
    return;
  }
  // Same-origin HTML the service rendered, escaped there; the CSP runs no inline script.
  document.getElementById("report").innerHTML = await answer.text();
  status.textContent = "";
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem(TOKEN_KEY) || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    show();
  });
  // A language link keeps the filters: the report is asked for again in the new language.
  for (const link of document.querySelectorAll("a.lang")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const params = query();
      params.set("lang", link.dataset.lang);
      sessionStorage.setItem("inson.kpi.filters", params.toString());
      window.location.assign(`/kpi?lang=${encodeURIComponent(link.dataset.lang)}`);
    });
  }
  const kept = new URLSearchParams(sessionStorage.getItem("inson.kpi.filters") || "");
  for (const name of ["level", "period", "district"]) {
    if (kept.get(name)) document.getElementById(name).value = kept.get(name);
  }
  document.body.dataset.ready = "true";
  show();
});
