import { describe, expect, it } from "vitest";
import { aside, defineMessages, labelled, listed, pick, translate } from "./i18n";

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

describe("punctuation", () => {
  it("is each language's own: lists, asides and labels", () => {
    expect(listed("zh-CN", ["甲", "乙"])).toBe("甲、乙");
    expect(listed("en-US", ["a", "b"])).toBe("a, b");
    expect(aside("zh-CN", "已保存", "2 MB")).toBe("已保存（2 MB）");
    expect(aside("en-US", "Saved", "2 MB")).toBe("Saved (2 MB)");
    expect(labelled("zh-CN", "附件") + "x").toBe("附件：x");
    expect(labelled("en-US", "Files") + "x").toBe("Files: x");
  });
});
