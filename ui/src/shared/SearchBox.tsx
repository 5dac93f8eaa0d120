import type { CompositionEvent, InputHTMLAttributes, KeyboardEvent } from "react";
import { CloseCircleFilled, SearchOutlined } from "@ant-design/icons";

/**
 * A search box drawn as antd's Input with a search icon and a clear button draws one, for the
 * library, which is drawn without antd: the page a start opens on should not wait for antd's
 * code. The clear button shows once there is something to clear.
 */
export default function SearchBox({
  value,
  onChange,
  onEnter,
  onCompositionStart,
  onCompositionEnd,
  clearLabel,
  style,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "type" | "onCompositionEnd" | "onCompositionStart"> & {
  value: string;
  onChange: (value: string) => void;
  /** Enter in the box: search now, without waiting for the pause. */
  onEnter?: (value: string) => void;
  onCompositionStart?: () => void;
  onCompositionEnd?: (value: string) => void;
  clearLabel: string;
  "data-testid"?: string;
}) {
  return (
    <span className="field-box search-box" style={style}>
      <SearchOutlined className="search-box-icon" aria-hidden />
      {/* A text box, not a search box: WebKit would add its own clear button beside this one. */}
      <input
        {...input}
        type="text"
        className="field-input"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          // Not while an input method composes: its Enter takes the pinyin's characters.
          if (e.key === "Enter" && !e.nativeEvent.isComposing) onEnter?.(e.currentTarget.value);
        }}
        onCompositionStart={() => onCompositionStart?.()}
        onCompositionEnd={(e: CompositionEvent<HTMLInputElement>) => onCompositionEnd?.(e.currentTarget.value)}
      />
      {value !== "" && (
        <button
          type="button"
          className="search-box-clear"
          aria-label={clearLabel}
          title={clearLabel}
          onClick={(e) => {
            onChange("");
            // The officer goes on typing where they cleared.
            (e.currentTarget.parentElement?.querySelector("input") as HTMLInputElement | null)?.focus();
          }}
        >
          <CloseCircleFilled aria-hidden />
        </button>
      )}
    </span>
  );
}
