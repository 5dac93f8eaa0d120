import { Radio, Select } from "antd";
import type { RadioGroupProps, SelectProps } from "antd";

/*
 * A required Form.Item hands its control `aria-required`. On a Select or a radio group antd
 * puts it on an outer <div> with no role, where ARIA does not allow it (axe-core: critical)
 * and screen readers ignore it. These two put it where it means something, or leave it off
 * where no element can carry it; the label's mark and the field's message still say it.
 */

type Aria = { "aria-required"?: unknown; "aria-invalid"?: unknown; "aria-describedby"?: string };

/** A Select for a Form.Item; `aria-required` is dropped (its outer div cannot carry it). */
export function FormSelect<T>(props: SelectProps<T> & Aria) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <Select<T> {...rest} />;
}

/** A radio group for a Form.Item: the group's role carries required, invalid and help. */
export function FormRadioGroup(props: RadioGroupProps & Aria & { "aria-label"?: string }) {
  const { "aria-required": required, "aria-invalid": invalid, "aria-describedby": describedBy, "aria-label": label, ...rest } = props;
  return (
    <div
      role="radiogroup"
      aria-required={required === "true" || required === true ? true : undefined}
      aria-invalid={invalid === "true" || invalid === true ? true : undefined}
      aria-describedby={describedBy}
      aria-label={label}
    >
      <Radio.Group {...rest} />
    </div>
  );
}
