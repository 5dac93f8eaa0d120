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
 *  with a slash) in the entry chunk and every chunk it imports statically: all the window
 *  parses before its first page. */
export function heldAtStart(bundle: Record<string, ChunkFacts>, packages: string[]): string[] {
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
    if (c.type === "chunk" && c.isEntry) visit(name);
  }
  return [...found].sort();
}

/**
 * Fails the build when the first chunk (or a chunk it imports statically) holds any of
 * `packages`: the sign-in page is drawn without antd so that a start shows it in a third of
 * the time, and one import of antd into it, or into anything it imports, would undo that
 * without a word.
 */
export function keepOutOfFirstChunk(packages: string[]): Plugin {
  return {
    name: "yiqifu-first-chunk",
    apply: "build",
    generateBundle(_options, bundle) {
      const found = heldAtStart(bundle, packages);
      if (found.length > 0) {
        this.error(
          `the first chunk holds ${found.join(", ")}: the sign-in page and what it imports are drawn ` +
            "without antd, so that the window shows it at once (see src/App.tsx). Use the plain " +
            "controls there (shared/PlainButton, shared/Notice, session/TextField), or move the code " +
            "to a page behind AntdRoot.",
        );
      }
    },
  };
}
