import { createContext, useContext, useEffect, useLayoutEffect } from "react";

/**
 * Whether the page on screen is complete. A page that fetches what it shows (the library's
 * results) holds the main page's completion until that is in the document, so the start-up
 * mark (`page_complete`, App.tsx) is the page the officer came for, not its controls beside a
 * spinner. A page that does not hold it is complete as it is drawn.
 */
export interface ContentGate {
  /** A page said, as it was first put in the document, that it will say when it is shown. */
  held: boolean;
  /** It has said so. */
  shown: boolean;
  /** Called once it has, if the completion waits for it. */
  onShown: (() => void) | null;
}

export function newContentGate(): ContentGate {
  return { held: false, shown: false, onShown: null };
}

export const ContentGateContext = createContext<ContentGate | null>(null);

/** Holds the page's completion until `shown` (its first content, or the error or empty state
 *  in its place, is in the document). A page's layout effects run before the completion's
 *  effect (it is rendered after the page), so the hold is in place when that effect looks. */
export function useContentShown(shown: boolean): void {
  const gate = useContext(ContentGateContext);
  useLayoutEffect(() => {
    if (!gate || gate.shown) return;
    gate.held = true;
    // A page left before it showed anything (the officer chose another) holds nothing: the
    // completion is then the page that took its place.
    return () => {
      if (gate.shown) return;
      gate.held = false;
      release(gate);
    };
  }, [gate]);
  useEffect(() => {
    if (!gate || !shown || gate.shown) return;
    gate.shown = true;
    release(gate);
  }, [gate, shown]);
}

/** Calls what waits for the page, once. */
function release(gate: ContentGate): void {
  const then = gate.onShown;
  gate.onShown = null;
  then?.();
}

/** Runs `then` once the page is complete: at once unless a page holds it, else once it says
 *  it is shown. */
export function whenContentShown(gate: ContentGate | null, then: () => void): void {
  if (!gate || !gate.held || gate.shown) then();
  else gate.onShown = then;
}
