import type { Rule } from "antd/es/form";
import type { MessageKey } from "./i18n";

type T = (key: MessageKey) => string;

/** A field that must hold more than spaces. */
export const requiredText = (t: T): Rule[] => [{ required: true, whitespace: true, message: t("fieldRequired") }];

/** A field that must hold a value (numbers, dates, choices). */
export const requiredValue = (t: T): Rule[] => [{ required: true, message: t("fieldRequired") }];

/** A phone number as the service accepts it: 5 to 20 digits, spaces, + and -. */
export const phoneRules = (t: T): Rule[] => [
  { required: true, message: t("fieldRequired") },
  { pattern: /^[0-9+\- ]{5,20}$/, message: t("phoneInvalid") },
];
