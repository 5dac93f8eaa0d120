import { useEffect, useRef, useState } from "react";
import { events } from "../../bindings";

/** Whether a point of the window (CSS pixels) is on the composer's attachment area. */
function onDropArea(x: number | null, y: number | null): boolean {
  if (x === null || y === null) return false;
  return document.elementFromPoint(x, y)?.closest("[data-appeal-drop]") != null;
}

/**
 * Files dragged from the desktop onto the attachment area. The webview sees no HTML5 drag
 * events for them: the shell reports the drag and drop with the point and keeps the paths,
 * which the core claims by the drop's id. Returns whether a drag is over the area.
 */
export function useFileDrop(active: boolean, onDrop: (dropId: number) => void, onMiss: () => void): boolean {
  const [over, setOver] = useState(false);
  const latest = useRef({ active, onDrop, onMiss });
  latest.current = { active, onDrop, onMiss };
  useEffect(() => {
    const dragged = events.filesDragged.listen((e) => {
      const { phase, x, y } = e.payload;
      setOver(phase === "over" && latest.current.active && onDropArea(x, y));
    });
    const dropped = events.filesDropped.listen((e) => {
      setOver(false);
      const { active: on, onDrop: drop, onMiss: miss } = latest.current;
      if (!on) return;
      if (onDropArea(e.payload.x, e.payload.y)) drop(e.payload.drop_id);
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
