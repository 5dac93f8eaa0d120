import { useEffect, useRef, useState } from "react";
import { events } from "../../bindings";

/** The material row under a point of the window (CSS pixels), by its `data-material-type`. */
export function materialAt(x: number | null, y: number | null): string | null {
  if (x === null || y === null) return null;
  const row = document.elementFromPoint(x, y)?.closest("[data-material-type]");
  return row?.getAttribute("data-material-type") ?? null;
}

/**
 * Files dragged from the desktop onto a material's row. The webview sees no HTML5 drag
 * events for them: the shell reports the drag and the drop with the point, and keeps the
 * paths, which the core claims by the drop's id. Returns the row under the drag, to show it.
 */
export function useFileDrop(
  active: boolean,
  onDrop: (materialType: string, dropId: number, names: string[]) => void,
  onMiss: () => void,
): string | null {
  const [over, setOver] = useState<string | null>(null);
  const latest = useRef({ active, onDrop, onMiss });
  latest.current = { active, onDrop, onMiss };
  useEffect(() => {
    const dragged = events.filesDragged.listen((e) => {
      const { phase, x, y } = e.payload;
      setOver(phase === "over" && latest.current.active ? materialAt(x, y) : null);
    });
    const dropped = events.filesDropped.listen((e) => {
      setOver(null);
      const { active: on, onDrop: drop, onMiss: miss } = latest.current;
      if (!on) return;
      const { drop_id, names, x, y } = e.payload;
      const type = materialAt(x, y);
      if (type) drop(type, drop_id, names);
      else miss();
    });
    return () => {
      for (const u of [dragged, dropped]) {
        void u.then((f) => {
          f();
        });
      }
    };
  }, []);
  return over;
}
