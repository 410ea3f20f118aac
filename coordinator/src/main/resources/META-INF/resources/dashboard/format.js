// Numbers and times as people read them.

const UNITS = ["B", "kB", "MB", "GB", "TB"];

export function bytes(n) {
  if (n === null || n === undefined) return "–";
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

export function rate(bytesPerSecond) {
  return bytesPerSecond === null || bytesPerSecond === undefined ? "–" : `${bytes(bytesPerSecond)}/s`;
}

/** How long ago {@code millis} (ms since the epoch) was: "12 s ago", "3 min ago"; "never" for 0 or none. */
export function age(millis, now = Date.now()) {
  if (!millis) return "never";
  const s = Math.max(0, Math.round((now - millis) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** An ISO-8601 instant as local date and time, or the fallback for none. */
export function when(iso, fallback = "–") {
  if (!iso) return fallback;
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

/** A small element helper: el("td", { class: "x" }, "text", child...). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
