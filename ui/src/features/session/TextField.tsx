import { forwardRef, useState } from "react";
import type { InputHTMLAttributes } from "react";
import { EyeInvisibleOutlined, EyeOutlined } from "@ant-design/icons";
import { useMessages } from "../../shared/i18n";
import { messages } from "./messages";

/**
 * A labelled text box with its hint and its error under it, drawn as antd's vertical form
 * item draws one; a password box has antd's eye to show what was typed. The hint and the
 * error are read with the box. Not antd's: the sign-in page is drawn without antd (see
 * `App.tsx`).
 */
const TextField = forwardRef<
  HTMLInputElement,
  Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & {
    id: string;
    label: string;
    hint?: string;
    /** Shown under the box, which is then marked invalid. */
    error?: string | null;
    password?: boolean;
    "data-testid"?: string;
  }
>(function TextField({ id, label, hint, error, password, ...input }, ref) {
  const t = useMessages(messages);
  const [shown, setShown] = useState(false);
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    // With an error under it, the box's margin is the error's place (as antd does it).
    <div className={error ? "field field-with-error" : "field"}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <span className={error ? "field-box field-box-error" : "field-box"}>
        <input
          {...input}
          ref={ref}
          id={id}
          type={password && !shown ? "password" : "text"}
          className="field-input"
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
        />
        {password && (
          <button
            type="button"
            className="field-eye"
            aria-label={t(shown ? "hidePassword" : "showPassword")}
            onClick={() => {
              setShown(!shown);
            }}
          >
            {shown ? <EyeOutlined /> : <EyeInvisibleOutlined />}
          </button>
        )}
      </span>
      {error && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
});

export default TextField;
