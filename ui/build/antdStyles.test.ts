// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import {
  antdImports,
  elementAttributes,
  extractAntdStyles,
  sources,
  unusedVariants,
  withoutSelectors,
} from "./antdStyles";

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
    expect(antdImports(sources(dir))).toEqual(["App", "Button", "ConfigProvider", "Table"]);
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
    // One theme, the app's: a panel rendered under a theme of its own would add styles
    // under another hash that nothing in the app matches.
    const hashes = new Set([...css.matchAll(/\.css-([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...hashes]).toHaveLength(1);
  });

  it("reads an element's attributes past arrows and strings, up to the tag's end", () => {
    const text = '<Button onClick={() => go(">")} color="cyan">Go</Button> <ButtonGroup color="red" /> <Button/>';
    expect(elementAttributes(text, "Button")).toEqual([' onClick={() => go(">")} color="cyan"', "/"]);
  });

  it("leaves out the button colours and column offsets the sources never use, and keeps those they do", () => {
    const dir = mkdtempSync(join(tmpdir(), "antd-variants-"));
    onTestFinished(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const page = (text: string) => {
      writeFileSync(join(dir, "Page.tsx"), text);
    };
    const css =
      ".ant-btn-color-cyan.ant-btn-variant-solid,.ant-btn-color-primary{color:red}" +
      ".ant-btn-color-lime{color:green}.ant-btn-color-geekblue-x{color:blue}" +
      "@media(min-width:576px){.ant-col-sm-push-3{left:12.5%}.ant-col-sm-pull-3{right:12.5%}}" +
      "@media(min-width:768px){.ant-col-md-8{flex:0 0 33%}.ant-col-md-push-2{left:8%}}" +
      ".ant-col-pull-10{right:40%}@keyframes spin{to{transform:rotate(1turn)}}";
    const kept = (text: string) => {
      page(text);
      return withoutSelectors(css, unusedVariants(sources(dir)));
    };

    // Nothing asks for a colour or an offset: only the rules the app can match stay.
    const plain = kept('<Button type="primary" onClick={() => a > b}>Go</Button><Tag color="cyan" />');
    expect(plain).toBe(
      ".ant-btn-color-primary{color:red}.ant-btn-color-geekblue-x{color:blue}" +
        "@media(min-width:768px){.ant-col-md-8{flex:0 0 33%}}@keyframes spin{to{transform:rotate(1turn)}}",
    );
    // A button in cyan keeps cyan's rules, and only those.
    const cyan = kept('<Button\n  onClick={() => a > b}\n  color="cyan"\n>Go</Button>');
    expect(cyan).toContain(".ant-btn-color-cyan.ant-btn-variant-solid,.ant-btn-color-primary{color:red}");
    expect(cyan).not.toContain("lime");
    // A colour from a variable, or in a dialog's button: every colour stays.
    expect(kept("<Button color={tone}>Go</Button>")).toContain(".ant-btn-color-lime");
    expect(kept("modal.confirm({ okButtonProps: { color: tone } })")).toContain(".ant-btn-color-lime");
    // Any push or pull keeps every offset.
    const offsets = kept("<Col xs={{ span: 24, push: 2 }} />");
    expect(offsets).toContain(".ant-col-sm-push-3");
    expect(offsets).toContain(".ant-col-pull-10");
  });

  it("refuses a build that is not for production, whose class names would not match", () => {
    process.env.NODE_ENV = "development";
    expect(() => extractAntdStyles(["Button"])).toThrow(/production builds only/);
  });
});
