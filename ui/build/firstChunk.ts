import type { Plugin } from "vite";

/** What a chunk of the bundle tells about itself here: a slice of Rollup's output chunk. */
export interface ChunkFacts {
  type: "chunk" | "asset";
  fileName: string;
  isEntry?: boolean;
  /** The chunks it imports statically: they load with it. */
  imports?: string[];
  /** Its modules, by id. */
  modules?: Record<string, unknown>;
}

/** The modules under `packages` (`node_modules/<name>/`, or ids containing a name that starts
 *  with a slash) in the chunks `root` picks and every chunk they import statically: all that
 *  is parsed and run before what those chunks hold can be drawn. */
export function heldWith(
  bundle: Record<string, ChunkFacts>,
  root: (c: ChunkFacts) => boolean,
  packages: string[],
): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    const c = bundle[name];
    if (!c || c.type !== "chunk" || seen.has(name)) return;
    seen.add(name);
    for (const id of Object.keys(c.modules ?? {})) {
      for (const p of packages) {
        if (p.startsWith("/") ? id.includes(p) : id.includes(`/node_modules/${p}/`)) found.add(p);
      }
    }
    for (const i of c.imports ?? []) visit(i);
  };
  for (const [name, c] of Object.entries(bundle)) {
    if (c.type === "chunk" && root(c)) visit(name);
  }
  return [...found].sort();
}

/** What of `packages` the window parses before its first page: the entry chunk and what it
 *  imports statically. */
export function heldAtStart(bundle: Record<string, ChunkFacts>, packages: string[]): string[] {
  return heldWith(bundle, (c) => c.isEntry === true, packages);
}

/** A build step that fails the build, saying `why`, when `held` finds any of `packages` in
 *  the bundle. */
function keepOut(
  name: string,
  held: (bundle: Record<string, ChunkFacts>, packages: string[]) => string[],
  packages: string[],
  why: (found: string) => string,
): Plugin {
  return {
    name,
    apply: "build",
    generateBundle(_options, bundle) {
      const found = held(bundle, packages);
      if (found.length > 0) this.error(why(found.join(", ")));
    },
  };
}

/**
 * Fails the build when the first chunk (or a chunk it imports statically) holds any of
 * `packages`: the sign-in page is drawn without antd so that a start shows it in a third of
 * the time, and one import of antd into it, or into anything it imports, would undo that
 * without a word.
 */
export function keepOutOfFirstChunk(packages: string[]): Plugin {
  return keepOut(
    "yiqifu-first-chunk",
    heldAtStart,
    packages,
    (found) =>
      `the first chunk holds ${found}: the sign-in page and what it imports are drawn ` +
      "without antd, so that the window shows it at once (see src/App.tsx). Use the plain " +
      "controls there (shared/PlainButton, shared/Notice, session/TextField), or move the code " +
      "to a page behind AntdRoot.",
  );
}

/** What a start on the main page loads (App.tsx, `loadMainPage`): the layout's chunk and
 *  antd's root (its theme, toasts and stylesheet). */
const MAIN_PAGE = ["/src/layout/MainLayout.tsx", "/src/AntdRoot.tsx"];

/** What of `packages` a start on the main page parses and runs before its first page: the
 *  chunks with the layout and antd's root (Rollup names no facade for them) and what they
 *  import statically. */
export function heldByMainPage(bundle: Record<string, ChunkFacts>, packages: string[]): string[] {
  return heldWith(
    bundle,
    (c) => Object.keys(c.modules ?? {}).some((id) => MAIN_PAGE.some((m) => id.endsWith(m))),
    packages,
  );
}

/**
 * Fails the build when the main page's chunk (or a chunk it imports statically) holds any of
 * `packages`: code the library's first page does not draw, which its start would parse and run
 * all the same (the document reader, loaded once a document is opened).
 */
export function keepOutOfMainPage(packages: string[]): Plugin {
  return keepOut(
    "yiqifu-main-page-chunk",
    heldByMainPage,
    packages,
    (found) =>
      `the main page's chunk holds ${found}: a start on the main page would parse and ` +
      "run it before the library's first page is drawn (see src/layout/features.tsx). Load it " +
      "where it is first used, with a dynamic import.",
  );
}
