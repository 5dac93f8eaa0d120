import { useId } from "react";

/**
 * A choice of a few, one at a time, drawn as antd's Segmented draws it: radio buttons of one
 * group, so the keyboard reaches it with one Tab and moves between its choices with the
 * arrows, and a screen reader says which is chosen of how many.
 */
export default function Segments<V extends string>({
  value,
  onChange,
  options,
  label,
  "data-testid": testId,
}: {
  value: V;
  onChange: (value: V) => void;
  options: { value: V; label: string }[];
  /** The group's name, read before its choices. */
  label: string;
  "data-testid"?: string;
}) {
  const name = useId();
  return (
    <div role="radiogroup" aria-label={label} className="segments" data-testid={testId}>
      {options.map((o) => (
        <label key={o.value} className={o.value === value ? "segment segment-chosen" : "segment"}>
          <input
            type="radio"
            className="segment-input"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => {
              onChange(o.value);
            }}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}
