import { describe, expect, it, vi } from "vitest";
import { afterPaint, mark, timeline } from "./timeline";

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

  it("waits for the next frame before it says the page is painted", async () => {
    let frames = 0;
    let framesWhenPainted = -1;
    const count = () => {
      frames += 1;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    afterPaint(() => {
      framesWhenPainted = frames;
    });
    // Neither at once nor with the tasks already waiting: only after a frame has come.
    expect(framesWhenPainted).toBe(-1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(framesWhenPainted).toBe(-1);
    await vi.waitFor(() => {
      expect(framesWhenPainted).toBeGreaterThanOrEqual(1);
    });
  });

  it("says nothing once cancelled", async () => {
    let painted = false;
    const cancel = afterPaint(() => {
      painted = true;
    });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    // Cancelled between the frame and the task after it.
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(painted).toBe(false);
  });
});
