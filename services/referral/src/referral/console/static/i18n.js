// Labels, names in the chosen language, times, and the one way the console
// puts text into the page: textContent, so nothing from the API is ever
// parsed as HTML.

const NAME_FIELD = { "uz-Latn": "uz_latn", "uz-Cyrl": "uz_cyrl", ru: "ru" };
const KNOWN = {
  priority: ["routine", "urgent", "emergency"],
  status: ["issued", "delivered", "accepted", "started", "completed", "rejected", "cancelled", "expired"],
};

export const i18n = { labels: null, lang: document.documentElement.lang };

export const isLanguage = (tag) => Object.hasOwn(NAME_FIELD, tag);

export async function loadLabels() {
  const res = await fetch("/console/labels.json");
  i18n.labels = await res.json();
}

export function t(key) {
  const table = i18n.labels && i18n.labels[i18n.lang];
  return (table && table[key]) || key;
}

// A LocalizedName from the API ({uz_latn, uz_cyrl, ru}) in the chosen language.
export const localName = (n) => (n ? n[NAME_FIELD[i18n.lang]] || n.uz_latn : "");

// Operators work in Uzbekistan: Tashkent time, dd.mm.yyyy hh:mm in every language
// (the browser's own Uzbek date formats are incomplete).
const clock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Tashkent", day: "2-digit", month: "2-digit", year: "numeric",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

export function when(iso, timeOnly) {
  if (!iso) return "";
  const p = Object.fromEntries(clock.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return timeOnly ? `${p.hour}:${p.minute}:${p.second}` : `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

// A calendar date (a birth date: no time, no zone) as dd.mm.yyyy.
export function day(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}.${m[2]}.${m[1]}` : "";
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A priority or status badge; only known values become a class name.
export function badge(kind, value) {
  const b = el("span", "badge", t(`${kind}.${value}`));
  if (KNOWN[kind].includes(value)) b.classList.add(`${kind}-${value}`);
  return b;
}

// Re-label every [data-i18n] element of the server-rendered page.
export function relabel() {
  document.documentElement.lang = i18n.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const b of document.querySelectorAll("button[data-lang]")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === i18n.lang));
  }
}
