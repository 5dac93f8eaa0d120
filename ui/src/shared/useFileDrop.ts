import { useEffect, useRef, useState } from "react";
import { events } from "../bindings";

/** The value of `attribute` on the element under a point of the window (CSS pixels), if any. */
export function dropTargetAt(attribute: string, x: number | null, y: number | null): string | null {
  if (x === null || y === null) return null;
  return document.elementFromPoint(x, y)?.closest(`[${attribute}]`)?.getAttribute(attribute) ?? null;
}

/**
 * Files dragged from the desktop onto an element carrying `attribute` (a material's row, an
 * appeal's attachment area). The webview sees no HTML5 drag events for them: the shell reports
 * the drag and the drop with the point, and keeps the paths, which the core claims by the
 * drop's id. Returns the attribute's value under the drag, to show where the files would go.
 */
export function useFileDrop(
  attribute: string,
  active: boolean,
  onDrop: (target: string, dropId: number, names: string[]) => void,
  onMiss: () => void,
): string | null {
  const [over, setOver] = useState<string | null>(null);
  const latest = useRef({ active, onDrop, onMiss });
  latest.current = { active, onDrop, onMiss };
  useEffect(() => {
    const dragged = events.filesDragged.listen((e) => {
      const { phase, x, y } = e.payload;
      setOver(phase === "over" && latest.current.active ? dropTargetAt(attribute, x, y) : null);
    });
    const dropped = events.filesDropped.listen((e) => {
      setOver(null);
      const { active: on, onDrop: drop, onMiss: miss } = latest.current;
      if (!on) return;
      const { drop_id, names, x, y } = e.payload;
      const target = dropTargetAt(attribute, x, y);
      if (target !== null) drop(target, drop_id, names);
      else miss();
    });
    return () => {
      for (const u of [dragged, dropped]) {
        void u.then((f) => {
          f();
        });
      }
    };
  }, [attribute]);
  return over;
}
