// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { antdImports, extractAntdStyles } from "./antdStyles";

const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

describe("antd's styles made at build time", () => {
  it("finds the components the sources import, renamed or not, and skips tests and types", () => {
    const dir = mkdtempSync(join(tmpdir(), "antd-imports-"));
    onTestFinished(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    mkdirSync(join(dir, "feature"));
    writeFileSync(join(dir, "App.tsx"), 'import { App as AntApp, ConfigProvider } from "antd";\n');
    writeFileSync(
      join(dir, "feature", "Page.tsx"),
      'import {\n  Button,\n  Table,\n} from "antd";\nimport type { MenuProps } from "antd";\nimport { Tag } from "other";\n',
    );
    writeFileSync(join(dir, "feature", "Page.test.tsx"), 'import { Drawer } from "antd";\n');
    expect(antdImports(dir)).toEqual(["App", "Button", "ConfigProvider", "Table"]);
  });

  it("makes each component's CSS and the map that lets antd skip making it again", () => {
    process.env.NODE_ENV = "production";
    const { css, rendered } = extractAntdStyles(["Button", "ConfigProvider", "Grid", "Menu"]);
    expect(rendered).toEqual(["Button", "Menu"]);
    expect(css).toContain(".ant-btn");
    expect(css).toContain(".ant-menu");
    // The production class prefix, as the app's bundle has it.
    expect(css).toMatch(/:where\(\.css-[a-z0-9]+\)/);
    expect(css).not.toContain("dev-only");
    const map = /\.data-ant-cssinjs-cache-path\{content:"([^"]*)"/.exec(css)?.[1] ?? "";
    expect(map).toMatch(/\|Button-Button\|/);
    expect(map).toMatch(/\|Menu-Menu\|/);
    expect(map).not.toMatch(/Table-Table/);
  });

  it("refuses a build that is not for production, whose class names would not match", () => {
    process.env.NODE_ENV = "development";
    expect(() => extractAntdStyles(["Button"])).toThrow(/production builds only/);
  });
});
