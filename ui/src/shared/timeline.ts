import type { PageMark } from "../bindings";

// Moments of the page's own start, in performance.now() time (milliseconds since the webview
// began to load the page). The shell puts them on its own clock and logs them with the first
// page, so the start-up benchmark can say where a start's time goes inside the webview.
const marks: PageMark[] = [];

/** Notes a moment of the start, once per name. */
export function mark(name: string): void {
  if (!marks.some((m) => m.name === name)) {
    marks.push({ name, at: performance.now() });
  }
}

/** The start so far: the page's HTML and document from the navigation timing, the marks, and
 *  "sent", the moment of the call, which the shell uses to put the rest on its clock. */
export function timeline(): PageMark[] {
  const out: PageMark[] = [];
  const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  if (nav) {
    out.push({ name: "html", at: nav.responseEnd }, { name: "dom", at: nav.domInteractive });
  }
  out.push(...marks, { name: "sent", at: performance.now() });
  return out;
}

/** Runs `then` once the browser has laid out and painted what is in the document now, unless
 *  the returned function cancels it first. React runs a page's effects right after it
 *  commits, before the webview's next frame: on the main page that frame (its layout and
 *  paint) came 70–310 ms later (measured in this webview). A frame's callbacks run just before
 *  its layout and paint; a task queued from one runs after them. */
export function afterPaint(then: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(then, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
