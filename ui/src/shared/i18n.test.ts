import { describe, expect, it } from "vitest";
import { defineMessages, pick, translate } from "./i18n";

describe("translate", () => {
  it("gives Chinese first and English on request", () => {
    expect(translate("zh-CN", "appName")).toBe("益企服桌面端");
    expect(translate("en-US", "appName")).toBe("Yiqifu Desktop");
  });

  it("reads a feature's own dictionary in the locale", () => {
    const m = defineMessages({ menuPolicies: { zh: "政策查询", en: "Policies" } });
    expect(pick("zh-CN", m.menuPolicies)).toBe("政策查询");
    expect(pick("en-US", m.menuPolicies)).toBe("Policies");
  });
});
