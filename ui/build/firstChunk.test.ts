// @vitest-environment node
import { describe, expect, it } from "vitest";
import { heldAtStart } from "./firstChunk";
import type { ChunkFacts } from "./firstChunk";

const chunk = (fileName: string, modules: string[], imports: string[] = [], isEntry = false): ChunkFacts => ({
  type: "chunk",
  fileName,
  isEntry,
  imports,
  modules: Object.fromEntries(modules.map((m) => [m, {}])),
});

describe("the first chunk's check", () => {
  it("finds antd in the entry and in what it imports statically, not in chunks loaded later", () => {
    const bundle = {
      "index.js": chunk("index.js", ["/ui/node_modules/react-dom/index.js", "/ui/src/App.tsx"], ["shared.js"], true),
      "shared.js": chunk("shared.js", ["/ui/node_modules/antd/es/button/index.js"]),
      "AntdRoot.js": chunk("AntdRoot.js", ["/ui/node_modules/antd/es/app/index.js", "/__antd-styles.css"]),
      "index.css": { type: "asset" as const, fileName: "index.css" },
    };
    expect(heldAtStart(bundle, ["antd", "/__antd-styles.css"])).toEqual(["antd"]);
    // Loaded later only: nothing held at start.
    bundle["index.js"].imports = [];
    expect(heldAtStart(bundle, ["antd", "/__antd-styles.css"])).toEqual([]);
    // A package's name is a folder of node_modules, not any id that contains it.
    bundle["index.js"].modules = { "/ui/node_modules/antd-mobile/x.js": {}, "/ui/src/antd-overrides.css": {} };
    expect(heldAtStart(bundle, ["antd"])).toEqual([]);
    bundle["index.js"].modules = { "/__antd-styles.css": {} };
    expect(heldAtStart(bundle, ["antd", "/__antd-styles.css"])).toEqual(["/__antd-styles.css"]);
  });
});
