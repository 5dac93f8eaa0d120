/// <reference types="node" />
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ComponentType, ReactElement } from "react";
import postcss from "postcss";
import type { Plugin } from "vite";
import { theme } from "../src/shared/theme";

// antd makes the CSS of each component in JavaScript the first time one renders: on this
// app's main page that is most of its first render (the same work done twice in Node takes
// 530 ms, then 50). The build makes it once instead, for the components the app imports and
// the app's theme, into a stylesheet with the map antd's style cache reads at start: a
// component whose styles are in the map renders without making them. One that is not (a new
// component, a sub-component with styles of its own) still makes them at run time, so a
// component missing here costs time, never looks.

const MODULE = "virtual:antd-styles.css";
// Ends in .css so Vite's CSS pipeline takes it (an id with a \0 prefix it would not).
/** The module id of antd's build-time stylesheet in the bundle. */
export const ANTD_STYLES_ID = "/__antd-styles.css";

const require = createRequire(import.meta.url);

/** The text of every source file of the app under `dir` (tests aside): read once a build,
 *  for each question the build asks of the sources. */
export function sources(dir: string): string[] {
  const texts: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        texts.push(readFileSync(path, "utf8"));
      }
    }
  };
  walk(dir);
  return texts;
}

/** The names imported from "antd" by the app's `texts`. */
export function antdImports(texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"antd"/g)) {
      for (const part of (m[1] ?? "").split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0]?.trim() ?? "";
        if (/^[A-Z]\w*$/.test(name)) names.add(name);
      }
    }
  }
  return [...names].sort();
}

/** The attributes of each `<name …>` element in `text`: up to the `>` that closes the tag,
 *  skipping those inside braces and strings (`onClick={() => …}`). */
export function elementAttributes(text: string, name: string): string[] {
  const found: string[] = [];
  const open = new RegExp(`<${name}(?![\\w.])`, "g");
  for (const m of text.matchAll(open)) {
    let depth = 0;
    let quote = "";
    let i = m.index + m[0].length;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'" || c === "`") {
        quote = c;
      } else if (c === "{") {
        depth++;
      } else if (c === "}") {
        depth--;
      } else if (c === ">" && depth === 0) {
        break;
      }
    }
    found.push(text.slice(m.index + m[0].length, i));
  }
  return found;
}

/**
 * Selectors of antd's styles for variants the app's `texts` never ask for. antd makes a
 * button's rules for each of its thirteen preset colours and a column's push and pull
 * offsets at every breakpoint (some 70 KB of this app's stylesheet together); the stylesheet
 * costs every start its parse before the first line of the app runs. A variant stays when
 * any source could use it: a button with that colour, or with a colour that is not a plain
 * string; any `push`/`pull` at all.
 */
export function unusedVariants(texts: string[]): RegExp[] {
  const { PresetColors } = require("antd/lib/theme/interface") as { PresetColors: readonly string[] };
  const colours = new Set<string>();
  let anyColour = false;
  for (const text of texts) {
    for (const attrs of elementAttributes(text, "Button")) {
      const m = /\bcolor\s*=\s*(?:"([^"]*)"|'([^']*)'|(\{))/.exec(attrs);
      if (m?.[3]) anyColour = true;
      const literal = m?.[1] ?? m?.[2];
      if (literal) colours.add(literal);
    }
    // A button antd makes for another component (a dialog's OK button) takes its colour
    // from an object: which one is not worth reading, so every colour stays.
    if (/ButtonProps[^}]*\bcolor\s*:/.test(text)) anyColour = true;
  }
  const unused: RegExp[] = [];
  const presets = PresetColors.filter((c) => !colours.has(c));
  if (!anyColour && presets.length > 0) {
    unused.push(new RegExp(`\\.ant-btn-color-(?:${presets.join("|")})(?![\\w-])`));
  }
  if (!texts.some((t) => /\b(?:push|pull)\s*[=:]/.test(t))) {
    unused.push(/\.ant-col-(?:[a-z]+-)?(?:push|pull)-\d+(?![\w-])/);
  }
  return unused;
}

/** `css` without the selectors `unused` matches: a rule left with none goes, and so does an
 *  at-rule (a breakpoint's block) left empty. */
export function withoutSelectors(css: string, unused: RegExp[]): string {
  if (unused.length === 0) return css;
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    // A keyframe's steps (0%, to) are rules too, and never match.
    const kept = rule.selectors.filter((s) => !unused.some((r) => r.test(s)));
    if (kept.length === 0) {
      rule.remove();
    } else if (kept.length < rule.selectors.length) {
      rule.selector = kept.join(",");
    }
  });
  root.walkAtRules((at) => {
    if (at.nodes?.length === 0) at.remove();
  });
  return root.toString();
}

/** antd's stylesheet for `names` under the app's theme, with the cache map; the names that
 *  rendered, and the sub-components that would not without props. */
export function extractAntdStyles(names: string[]): { css: string; rendered: string[]; skipped: string[] } {
  // cssinjs fixes its class prefix when it loads: "css-" in production, as the app's bundle
  // has it; anything else and no class name would match.
  if (process.env.NODE_ENV !== "production") {
    throw new Error(`antd's styles are made for production builds only (NODE_ENV is ${String(process.env.NODE_ENV)})`);
  }
  const React = require("react") as typeof import("react");
  const { renderToString } = require("react-dom/server") as typeof import("react-dom/server");
  const antd = require("antd") as Record<string, unknown> & typeof import("antd");
  const cssinjs = require("@ant-design/cssinjs") as typeof import("@ant-design/cssinjs");
  const cache = cssinjs.createCache();
  const h = React.createElement;
  const renderInto = (into: typeof cache, node: ReactElement) =>
    renderToString(h(cssinjs.StyleProvider, { cache: into }, h(antd.ConfigProvider, { theme }, node)));
  const render = (node: ReactElement) => renderInto(cache, node);
  // A sub-component rendered outside its parent can make its parent's styles under an empty
  // class prefix (Form.ErrorList outside a Form.Item: ".-item{…}"), which is not CSS: tried
  // on a cache of its own first, and left out when its map has a path with no prefix.
  const outOfContext = (node: ReactElement) => {
    const probe = cssinjs.createCache();
    renderInto(probe, node);
    return /\|\|/.test(cssinjs.extractStyle(probe, { plain: true, types: "style" }));
  };

  // A component, or a memo/forwardRef of one; not an element (Empty.PRESENTED_IMAGE_SIMPLE).
  const renders = (c: unknown): c is ComponentType<Record<string, unknown>> =>
    typeof c === "function" ||
    (typeof c === "object" && c !== null && "$$typeof" in c && !React.isValidElement(c));
  const rendered: string[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const component = antd[name];
    // ConfigProvider wraps them all already; Grid is a namespace of hooks, not a component.
    if (!renders(component) || name === "ConfigProvider") continue;
    render(h(component));
    // Sub-components with styles of their own: Layout.Sider, Form.Item, Input.TextArea…
    // Some will not render without props (Form.List wants a function for children) or
    // outside their parent: their styles, if any, are made at run time as before.
    for (const [member, sub] of Object.entries(component)) {
      if (!/^[A-Z]/.test(member) || !renders(sub)) continue;
      try {
        if (outOfContext(h(sub))) {
          skipped.push(`${name}.${member}`);
        } else {
          render(h(sub));
        }
      } catch {
        skipped.push(`${name}.${member}`);
      }
    }
    rendered.push(name);
  }
  // A tag's colours are styles of their own: the preset colours and the statuses.
  if (names.includes("Tag")) {
    render(h(antd.Tag, { color: "blue" }));
    render(h(antd.Tag, { color: "success" }));
  }
  // What the app opens through functions rather than elements: toasts, notices and the
  // confirmation dialogs (their panels are what antd's own extraction renders for them).
  const panel = (c: unknown) =>
    (c as { _InternalPanelDoNotUseOrYouWillBeFired: ComponentType<Record<string, unknown>> })
      ._InternalPanelDoNotUseOrYouWillBeFired;
  // Not Modal's panel: it renders under a theme of its own (antd's pure-render theme, no
  // motion), so its 80 KB of styles carried another hash than the app's and matched nothing
  // the app shows. A confirmation dialog makes its few rules the first time one opens.
  render(h(panel(antd.message)));
  render(h(panel(antd.notification)));
  return { css: cssinjs.extractStyle(cache, { plain: true }), rendered, skipped };
}

/** `import "virtual:antd-styles.css"`: antd's styles made at build time; empty in the dev
 *  server and the unit tests, where antd makes them as it renders. */
export function antdStyles(srcDir: string): Plugin {
  let build = false;
  return {
    name: "yiqifu-antd-styles",
    configResolved(config) {
      build = config.command === "build" && !config.build.ssr;
    },
    resolveId(id) {
      return id === MODULE ? ANTD_STYLES_ID : null;
    },
    load(id) {
      if (id !== ANTD_STYLES_ID) return null;
      if (!build) return "";
      const texts = sources(srcDir);
      const { css: all, rendered, skipped } = extractAntdStyles(antdImports(texts));
      const css = withoutSelectors(all, unusedVariants(texts));
      this.info(
        `antd's styles for ${String(rendered.length)} components made at build time (${String(css.length)} bytes, ` +
          `${String(all.length - css.length)} left out for variants the app does not use; ` +
          `left to run time: ${skipped.join(", ") || "none"})`,
      );
      return css;
    },
  };
}
