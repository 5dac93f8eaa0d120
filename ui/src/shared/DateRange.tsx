import { SwapRightOutlined } from "@ant-design/icons";

/** The range the right way round: a start typed after the end (the boxes' min and max bound
 *  their calendars, not what is typed) would find nothing. The boxes themselves keep what was
 *  typed: while a year is typed digit by digit a box holds 0002-…, 0020-…, and swapping then
 *  would move the date being typed to the other box. */
export function inOrder([from, to]: [string, string]): [string, string] {
  return from && to && from > to ? [to, from] : [from, to];
}

/**
 * From one day to another, either end left open, in the browser's own date boxes, framed as
 * antd's range picker frames them. A date box takes its day, month and year in the order the
 * officer's system writes dates, from the keyboard or its calendar; its value is always
 * YYYY-MM-DD. An empty box shows its name, as antd's placeholder does, until it has the
 * focus: WebKit would show today's date in it, which reads as a date chosen.
 */
export default function DateRange({
  value,
  onChange,
  fromLabel,
  toLabel,
  "data-testid": testId,
}: {
  /** YYYY-MM-DD at each end, "" for an open end. */
  value: [string, string];
  onChange: (value: [string, string]) => void;
  fromLabel: string;
  toLabel: string;
  "data-testid"?: string;
}) {
  const [from, to] = value;
  return (
    <span className="field-box date-range" data-testid={testId}>
      <DateBox
        label={fromLabel}
        value={from}
        max={to}
        onChange={(v) => {
          onChange([v, to]);
        }}
      />
      <SwapRightOutlined className="date-range-arrow" aria-hidden />
      <DateBox
        label={toLabel}
        value={to}
        min={from}
        onChange={(v) => {
          onChange([from, v]);
        }}
      />
    </span>
  );
}

function DateBox({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: string;
  min?: string;
  max?: string;
  onChange: (value: string) => void;
}) {
  return (
    <span className="date-box">
      <input
        type="date"
        className={value ? "field-input" : "field-input date-empty"}
        aria-label={label}
        title={label}
        value={value}
        min={min || undefined}
        max={max || undefined}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      {!value && (
        <span className="date-placeholder" aria-hidden>
          {label}
        </span>
      )}
    </span>
  );
}
