import type { ComponentType } from "react";
import type { Text } from "./i18n";

/**
 * How a feature lets the officer correct one kind of parked request: the form's fields,
 * their starting values from what was written, and the command that sends the correction.
 * Each feature declares its own; the layout hands them to the parked list.
 */
export interface ReviseForm {
  Fields: ComponentType<{ draft: unknown }>;
  initialValues: (draft: unknown) => Record<string, unknown>;
  send: (enterprise: string, id: string, draft: unknown, values: Record<string, unknown>) => Promise<void>;
}

/** What a feature tells the shared parts about its kinds of queued request. */
export interface OpInfo {
  label: Text;
  /** Loads the form that corrects one (a chunk of its own, with antd's forms): a refused
   *  request is rare, and the main page's start should not parse its forms. */
  revise?: () => Promise<ReviseForm>;
}
