import { describe, expect, it } from "vitest";
import { mark, timeline } from "./timeline";

describe("the page's start timeline", () => {
  it("keeps each moment once, in order, and ends with the moment it is sent", async () => {
    mark("modules");
    await new Promise((resolve) => setTimeout(resolve, 5));
    mark("app");
    mark("modules");
    const got = timeline();
    const names = got.map((m) => m.name).filter((n) => n !== "html" && n !== "dom");
    expect(names).toEqual(["modules", "app", "sent"]);
    const at = (name: string) => got.find((m) => m.name === name)?.at ?? NaN;
    expect(at("app")).toBeGreaterThan(at("modules"));
    expect(at("sent")).toBeGreaterThanOrEqual(at("app"));
  });
});
