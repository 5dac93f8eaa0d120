// @vitest-environment node
import { describe, expect, it } from "vitest";
import { heldAtStart, heldByMainPage } from "./firstChunk";
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

  it("finds what the main page's chunk and its static imports hold, not what it loads later", () => {
    const bundle = {
      "index.js": chunk("index.js", ["/ui/src/App.tsx"], [], true),
      "MainLayout.js": chunk("MainLayout.js", ["/ui/src/layout/MainLayout.tsx", "/ui/src/features/documents/DocumentsPage.tsx"], ["shared.js"]),
      "shared.js": chunk("shared.js", ["/ui/node_modules/antd/es/select/index.js"]),
      "DocumentDrawer.js": chunk("DocumentDrawer.js", ["/ui/src/features/documents/DocumentDrawer.tsx", "/ui/node_modules/rc-drawer/es/index.js"]),
    };
    const reader = ["rc-drawer", "/src/features/documents/DocumentDrawer.tsx"];
    expect(heldByMainPage(bundle, reader)).toEqual([]);
    // The reader imported by the page again: it comes with the main page.
    bundle["shared.js"].imports = ["DocumentDrawer.js"];
    expect(heldByMainPage(bundle, reader)).toEqual(["/src/features/documents/DocumentDrawer.tsx", "rc-drawer"]);
    // The first chunk is not the main page's.
    expect(heldAtStart(bundle, reader)).toEqual([]);
    // antd's root loads with the layout: what it imports is held too.
    bundle["shared.js"].imports = [];
    expect(heldByMainPage(bundle, reader)).toEqual([]);
    Object.assign(bundle, { "AntdRoot.js": chunk("AntdRoot.js", ["/ui/src/AntdRoot.tsx"], ["DocumentDrawer.js"]) });
    expect(heldByMainPage(bundle, reader)).toEqual(["/src/features/documents/DocumentDrawer.tsx", "rc-drawer"]);
  });
});
