import { describe, expect, it } from "vitest";
import { DISTRICTS } from "../bindings";
import { districtLabel, industryLabel } from "./places";

describe("places and trades in English", () => {
  it("names every district of the protocol's list without Chinese", () => {
    for (const d of DISTRICTS) {
      expect(districtLabel(d, "zh-CN")).toBe(d);
      expect(districtLabel(d, "en-US"), d).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(districtLabel("浦东新区", "en-US")).toBe("Pudong New Area");
    // One the list does not know stays as written rather than vanish.
    expect(districtLabel("雄安新区", "en-US")).toBe("雄安新区");
  });

  it("names the classification's sections and 全行业", () => {
    expect(industryLabel("制造业", "en-US")).toBe("Manufacturing");
    expect(industryLabel("全行业", "en-US")).toBe("All industries");
    expect(industryLabel("交通运输、仓储和邮政业", "en-US")).not.toMatch(/[\u4e00-\u9fff]/);
    expect(industryLabel("制造业", "zh-CN")).toBe("制造业");
  });
});
