import { Fragment, createElement } from "react";
import type { ReactNode } from "react";
import dayjs from "dayjs";
import type { RowProblem, StaffEntry_Serialize as StaffEntry } from "../../bindings";
import type { Locale } from "../../shared/i18n";


/** Fills `{name}` slots with elements, so a number can carry its own test id. */
export function fillNodes(text: string, values: Record<string, ReactNode>): ReactNode {
  const parts = text.split(/(\{\w+\})/);
  return parts.map((p, i) => {
    const k = /^\{(\w+)\}$/.exec(p)?.[1];
    return createElement(Fragment, { key: i }, k !== undefined && k in values ? values[k] : p);
  });
}

/** How old a test may be and still count, as the application check counts it (72 hours). */
const TEST_MAX_AGE_DAYS = 3;

/** Whether a person has no test within the last three days. */
export function staleTest(e: StaffEntry, today: dayjs.Dayjs = dayjs()): boolean {
  if (!e.test_date) return true;
  const d = dayjs(e.test_date);
  return !d.isValid() || today.startOf("day").diff(d.startOf("day"), "day") > TEST_MAX_AGE_DAYS;
}

/** Whether a person matches what was typed into the search box. */
export function matches(e: StaffEntry, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === "") return true;
  return [e.name, e.id_number, e.phone, e.department].some((v) => v.toLowerCase().includes(q));
}

/** The editor's fields. */
export type Field = "name" | "id_number" | "phone" | "department" | "dormitory" | "test_result" | "test_date";

/** The core's problems of a row, by field, in the officer's language. */
export function problemsByField(problems: RowProblem[], locale: Locale): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  for (const p of problems) {
    (out[p.field as Field] ??= []).push(locale === "zh-CN" ? p.zh : p.en);
  }
  return out;
}

const ID_LIKE = /^\d{17}[\dXx]$/;
const ID_NEAR = /^\d{14,17}[\dXx]?$/;
const DATE_LIKE = /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/;

function phoneLike(cell: string): boolean {
  const digits = cell.replace(/[\s-]/g, "");
  return /^1\d{10}$/.test(digits);
}

/**
 * A person guessed from the cells of a refused row, in whatever order the file had its
 * columns: the ID-like cell, the phone-like cell, a test result and date when they read as
 * one, and the first remaining text as the name. The officer checks it before saving.
 */
export function guessEntry(cells: string[]): Partial<StaffEntry> {
  const c = cells.map((x) => x.trim());
  const used = new Set<number>();
  const take = (test: (v: string) => boolean): string | undefined => {
    const i = c.findIndex((v, n) => !used.has(n) && v !== "" && test(v));
    if (i < 0) return undefined;
    used.add(i);
    return c[i];
  };
  const id = take((v) => ID_LIKE.test(v)) ?? take((v) => ID_NEAR.test(v));
  const phone = take(phoneLike);
  const result = take((v) => v === "阴性" || v === "阳性" || /^(negative|positive)$/i.test(v));
  const date = take((v) => DATE_LIKE.test(v));
  const name = take((v) => /\p{L}/u.test(v) && !/\d/.test(v));
  const out: Partial<StaffEntry> = {};
  if (name !== undefined) out.name = name;
  if (id !== undefined) out.id_number = id.toUpperCase();
  if (phone !== undefined) out.phone = phone;
  if (result !== undefined) out.test_result = result === "阳性" || /^positive$/i.test(result) ? "positive" : "negative";
  if (date !== undefined) {
    const d = dayjs(date.replace(/[年月/.]/g, "-").replace("日", ""));
    if (d.isValid()) out.test_date = d.format("YYYY-MM-DD");
  }
  return out;
}
