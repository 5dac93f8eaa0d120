import { describe, expect, it } from "vitest";
import { translate } from "./i18n";
import type { MessageKey } from "./i18n";

describe("translate", () => {
  it("gives Chinese first and English on request", () => {
    expect(translate("zh-CN", "menuPolicies")).toBe("政策查询");
    expect(translate("en-US", "menuPolicies")).toBe("Policies");
  });

  it("has Chinese text for every key", () => {
    const keys: MessageKey[] = ["appName", "offline", "syncNow", "creditCode", "emptyNoData", "keyConditions"];
    for (const k of keys) {
      expect(translate("zh-CN", k)).toMatch(/[\u4e00-\u9fff]/);
      expect(translate("en-US", k)).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
