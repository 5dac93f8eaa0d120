/**
 * A choice from a list, or none, in the browser's own select, drawn as antd's Select draws its
 * box: the keyboard, type-to-find and screen readers work as the officer's system has them.
 * The first entry is "none" and says what the box is for, as antd's placeholder does.
 */
export default function SelectBox({
  value,
  onChange,
  options,
  placeholder,
  label,
  width,
  "data-testid": testId,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  options: { value: string; label: string }[];
  /** Shown while nothing is chosen, and the entry that chooses nothing. */
  placeholder: string;
  label: string;
  width: number;
  "data-testid"?: string;
}) {
  return (
    <select
      className={value === null ? "select-box select-box-empty" : "select-box"}
      style={{ width }}
      aria-label={label}
      value={value ?? ""}
      onChange={(e) => {
        onChange(e.target.value === "" ? null : e.target.value);
      }}
      data-testid={testId}
    >
      <option value="">{placeholder}</option>
      {/* Chosen, but not (or not yet) among the options: shown as it is, not as "none",
          since it still narrows what is listed. */}
      {value !== null && !options.some((o) => o.value === value) && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
