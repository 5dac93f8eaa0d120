import { afterEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";

// waitFor and findBy give up after 1 s by default; an antd form's re-render in jsdom took
// longer than that on a 2-core machine busy with another test run (ProfilePage's problem
// marks, 2026-12-07). What never comes still fails, after 10 s instead.
configure({ asyncUtilTimeout: 10_000 });

// The build's own tests run in Node, without a window: the rest is for the pages' tests.
if (typeof window !== "undefined") {
  // jsdom lacks matchMedia, which antd's responsive components query.
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });

  // jsdom implements getComputedStyle without pseudo-elements, which antd's scroll locker asks
  // for; the element's own style is what it needs.
  const ownStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (elt: Element) => ownStyle(elt);

  // jsdom lays nothing out, so it has no scrolling; the pages scroll items into view.
  Element.prototype.scrollIntoView = () => undefined;
}


// Without vitest globals, Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
});
