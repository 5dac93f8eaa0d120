import { useEffect, useRef } from "react";
import { events } from "../bindings";
import type { Topic } from "../bindings";

/**
 * Calls `load` whenever the core says one of `topics` changed for `enterprise` (or for
 * the app as a whole): views reload what they read, and nothing else.
 */
export function useTopics(enterprise: string | null, topics: readonly Topic[], load: () => void): void {
  const latest = useRef(load);
  latest.current = load;
  const key = topics.join(",");
  useEffect(() => {
    const wanted = key.split(",");
    const unlisten = events.dataChanged.listen((e) => {
      const c = e.payload;
      const mine = c.enterprise === null || c.enterprise === enterprise;
      if (mine && c.topics.some((t) => wanted.includes(t))) latest.current();
    });
    return () => {
      void unlisten.then((f) => {
        f();
      });
    };
  }, [enterprise, key]);
}
