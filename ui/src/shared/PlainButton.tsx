import type { ButtonHTMLAttributes, ReactNode } from "react";
import { LoadingOutlined } from "@ant-design/icons";

/**
 * A button drawn as antd's Button draws one, for the pages drawn without antd (the sign-in
 * page, see `App.tsx`) and what they share with the rest (the language switch). Busy, it
 * shows antd's spinning icon and takes no clicks.
 */
export default function PlainButton({
  kind = "default",
  small,
  busy,
  icon,
  className,
  children,
  type = "button",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  kind?: "primary" | "default" | "link" | "text";
  small?: boolean;
  busy?: boolean;
  icon?: ReactNode;
  "data-testid"?: string;
}) {
  // As antd writes a label of two Chinese characters on a bordered button without an icon:
  // 登 录, 打 开 (but 🌐 中文).
  const spaced = !icon && (kind === "default" || kind === "primary");
  const label =
    spaced && typeof children === "string" && /^[\u4e00-\u9fa5]{2}$/.test(children) ? children.split("").join(" ") : children;
  const classes = ["btn", `btn-${kind}`, small ? "btn-sm" : "", busy ? "btn-busy" : "", className ?? ""];
  return (
    // "button" unless asked: a button that submits its form says so.
    <button
      {...rest}
      type={type}
      className={classes.filter(Boolean).join(" ")}
      aria-busy={busy || undefined}
      onClick={(e) => {
        // Busy, a click does nothing, not even send its form again.
        if (busy) {
          e.preventDefault();
          return;
        }
        rest.onClick?.(e);
      }}
    >
      {(busy || icon) && (
        <span className="btn-icon" aria-hidden>
          {busy ? <LoadingOutlined /> : icon}
        </span>
      )}
      {label !== undefined && <span>{label}</span>}
    </button>
  );
}
