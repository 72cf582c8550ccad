// A day picker with a slider beside it (a month a step, five years back to a year ahead), so a
// planner can watch accountability move.
import { today } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";

const MONTHS_BACK = 60;
const MONTHS_AHEAD = 12;

function monthsFrom(base, day) {
  const [by, bm] = base.split("-").map(Number);
  const [y, m] = day.split("-").map(Number);
  return (y - by) * 12 + (m - bm);
}

function addMonths(day, months) {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

export function dateControls(asOf, onChange) {
  const now = today();
  const picker = h("input", { type: "date", name: "asOf", value: asOf, "aria-label": t("asOf") });
  const offset = Math.max(-MONTHS_BACK, Math.min(MONTHS_AHEAD, monthsFrom(now, asOf)));
  const slider = h("input", {
    type: "range",
    name: "asOfSlider",
    min: String(-MONTHS_BACK),
    max: String(MONTHS_AHEAD),
    step: "1",
    value: String(offset),
    "aria-label": t("asOf"),
  });
  const shown = h("output", {}, asOf);
  slider.addEventListener("input", () => (shown.value = addMonths(now, Number(slider.value))));
  slider.addEventListener("change", () => onChange(addMonths(now, Number(slider.value))));
  picker.addEventListener("change", () => picker.value && onChange(picker.value));
  return h(
    "div",
    { class: "dates" },
    h("label", {}, t("asOf"), " ", picker),
    slider,
    shown,
    h("button", { type: "button", onclick: () => onChange(now) }, t("today")),
  );
}
