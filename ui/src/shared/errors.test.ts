import { describe, expect, it } from "vitest";
import { errorText, needsSignIn, toErrorInfo } from "./errors";

describe("errors", () => {
  const info = { code: "INVALID_CREDENTIALS", message_zh: "统一社会信用代码或密码不正确", message_en: "Wrong credit code or password" };

  it("passes a typed error through and picks the locale's message", () => {
    expect(toErrorInfo(info)).toBe(info);
    expect(errorText(info, "zh-CN")).toBe(info.message_zh);
    expect(errorText(info, "en-US")).toBe(info.message_en);
  });

  it("wraps framework failures with both languages", () => {
    const e = toErrorInfo("command sign_in not allowed by ACL");
    expect(e.code).toBe("UNEXPECTED");
    expect(e.message_zh).toContain("not allowed by ACL");
    expect(e.message_en).toContain("Unexpected error");
    expect(toErrorInfo(new Error("boom")).message_en).toContain("boom");
  });

  it("knows which codes need a new sign-in", () => {
    expect(needsSignIn({ ...info, code: "SESSION_EXPIRED" })).toBe(true);
    expect(needsSignIn(info)).toBe(false);
  });
});
