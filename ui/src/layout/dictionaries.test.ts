import { describe, expect, it } from "vitest";
import { dictionaries } from "./features";

const cjk = /[\u4e00-\u9fff]/;
// Words that are the same in both, or the other language on purpose.
const exempt = new Set(["shared.items", "shared.language"]);

describe("every feature's dictionary", () => {
  it("has Chinese first and English for every key", () => {
    let keys = 0;
    for (const [feature, dict] of Object.entries(dictionaries)) {
      for (const [key, text] of Object.entries(dict)) {
        keys += 1;
        if (exempt.has(`${feature}.${key}`)) continue;
        expect(text.zh, `${feature}.${key}`).toMatch(cjk);
        expect(text.en, `${feature}.${key}`).not.toMatch(cjk);
        expect(text.en.trim().length, `${feature}.${key}`).toBeGreaterThan(0);
      }
    }
    expect(keys).toBeGreaterThan(100);
  });
});
