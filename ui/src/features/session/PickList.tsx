import type { KeyboardEvent, ReactNode } from "react";

export interface PickItem {
  key: string;
  testId: string;
  title: ReactNode;
  description: ReactNode;
  /** A button at the row's end. */
  action?: ReactNode;
  /** The whole row picks: by click, or by Enter or Space when it has the focus. */
  onPick?: () => void;
}

/**
 * The short lists of the first pages (demo accounts, enterprises on this computer), drawn
 * as antd's small List draws them. antd's List brings its pagination, and with it the
 * select box and its virtual list, into the first chunk the window parses at start.
 */
export default function PickList({ items }: { items: PickItem[] }) {
  return (
    <ul className="pick-list">
      {items.map((i) => (
        // The row that picks is a button inside the list item: a list holds list items only.
        <li key={i.key} className="pick-row">
          <div
            data-testid={i.testId}
            className={i.onPick ? "pick-item pickable" : "pick-item"}
            {...(i.onPick
              ? {
                  role: "button",
                  tabIndex: 0,
                  onClick: i.onPick,
                  onKeyDown: (e: KeyboardEvent) => {
                    if (e.key === "Enter" || e.key === " ") {
                      e.preventDefault();
                      i.onPick?.();
                    }
                  },
                }
              : {})}
          >
            <div className="pick-text">
              <div className="pick-title">{i.title}</div>
              <div className="pick-description">{i.description}</div>
            </div>
            {i.action}
          </div>
        </li>
      ))}
    </ul>
  );
}
