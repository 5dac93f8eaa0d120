import type { CSSProperties, ReactNode } from "react";
import { CloseCircleFilled, ExclamationCircleFilled } from "@ant-design/icons";

const ICONS = {
  error: <CloseCircleFilled />,
  warning: <ExclamationCircleFilled />,
};

/**
 * A notice in a coloured box, drawn as antd's Alert draws one. Not antd's: the sign-in page
 * shows its errors with it, and that page is drawn without antd (see `App.tsx`).
 */
export default function Notice({
  type,
  message,
  description,
  style,
  ...data
}: {
  type: "error" | "warning";
  message: ReactNode;
  description?: ReactNode;
  style?: CSSProperties;
  "data-testid"?: string;
  "data-code"?: string;
}) {
  return (
    <div
      className={`notice notice-${type}${description ? " notice-with-description" : ""}`}
      // An error is said at once; a warning when the reader comes to it.
      role={type === "error" ? "alert" : "status"}
      style={style}
      {...data}
    >
      <span className="notice-icon" aria-hidden>
        {ICONS[type]}
      </span>
      <div className="notice-content">
        <div className="notice-message">{message}</div>
        {description && <div className="notice-description">{description}</div>}
      </div>
    </div>
  );
}
