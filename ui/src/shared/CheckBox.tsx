import type { ReactNode } from "react";

/**
 * A checkbox and its label, the browser's own box in the app's colour: what antd's Checkbox
 * draws, without antd's code (the library is drawn without it). The label is the box's name.
 */
export default function CheckBox({
  checked,
  onChange,
  children,
  "data-testid": testId,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          onChange(e.target.checked);
        }}
        data-testid={testId}
      />
      <span>{children}</span>
    </label>
  );
}
