import type { CSSProperties, ReactNode } from "react";

/**
 * A card of the first pages (sign-in, setup, the library), drawn as antd's Card draws one.
 * antd's Card brings its tabs, and with them the dropdown menu and the skeleton, into the
 * code the window parses before those pages; they use none of them.
 */
export default function Panel({
  title,
  extra,
  small,
  style,
  children,
  "data-testid": testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  small?: boolean;
  style?: CSSProperties;
  children: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <section className={small ? "panel panel-small" : "panel"} style={style} data-testid={testId}>
      <div className="panel-head">
        <div className="panel-title">{title}</div>
        {extra}
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}
