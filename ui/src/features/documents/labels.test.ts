import { describe, expect, it } from "vitest";
import { paragraphs } from "./labels";

describe("paragraphs", () => {
  it("splits on blank lines and drops empty ones", () => {
    expect(paragraphs("一、总则\n\n二、适用范围\n \n\n三、附则")).toEqual(["一、总则", "二、适用范围", "三、附则"]);
    expect(paragraphs("")).toEqual([]);
  });
});
