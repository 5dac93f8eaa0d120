// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { theme } from "../src/shared/theme";
import { TAG_COLOURS } from "../src/features/documents/labels";

describe("the theme's colours in the app's stylesheet", () => {
  it("are the ones antd is given, so the pages drawn without antd look like the rest", () => {
    const css = readFileSync(new URL("../src/styles.css", import.meta.url), "utf8");
    const variable = (name: string) => new RegExp(`--${name}:\\s*([^;]+);`).exec(css)?.[1]?.trim();
    const token = theme.token ?? {};
    expect({
      primary: variable("primary"),
      "primary-hover": variable("primary-hover"),
      link: variable("link"),
      "link-hover": variable("link-hover"),
      "text-secondary": variable("text-secondary"),
      "field-focus": variable("field-focus"),
    }).toEqual({
      primary: token.colorPrimary,
      "primary-hover": token.colorPrimaryHover,
      link: token.colorLink,
      "link-hover": token.colorLinkHover,
      "text-secondary": token.colorTextDescription,
      "field-focus": theme.components?.Input?.activeBorderColor,
    });
  });
});

describe("the results list's tags", () => {
  it("have a colour in the stylesheet for every colour a document's tag is given", () => {
    const css = readFileSync(new URL("../src/styles.css", import.meta.url), "utf8");
    // "default" is the plain tag itself.
    const missing = TAG_COLOURS.filter((c) => c !== "default" && !new RegExp(`\\.plain-tag\\.tag-${c}\\b`).test(css));
    expect(missing).toEqual([]);
  });
});
