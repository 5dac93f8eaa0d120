import { LeftOutlined, RightOutlined } from "@ant-design/icons";

/** The pages to show a button for: the first, the last, and two either side of the current
 *  one; null where two pages or more are left out (a gap of one would take the place of the
 *  page it hides). */
export function pageButtons(current: number, pages: number): (number | null)[] {
  const near = (p: number) => p === 1 || p === pages || Math.abs(p - current) <= 2;
  const shown: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (near(p) || (near(p - 1) && near(p + 1))) {
      shown.push(p);
    } else if (shown[shown.length - 1] !== null) {
      shown.push(null);
    }
  }
  return shown;
}

/**
 * The pages of a list, drawn as antd's Pagination draws them: previous, the pages near the
 * current one and both ends, next. Each is a button; the current page says so to a screen
 * reader.
 */
export default function Pager({
  current,
  pageSize,
  total,
  onChange,
  labels,
  "data-testid": testId,
}: {
  current: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  labels: { nav: string; previous: string; next: string; page: (n: number) => string };
  "data-testid"?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={labels.nav} data-testid={testId}>
      <button
        type="button"
        className="pager-item"
        disabled={current <= 1}
        aria-label={labels.previous}
        title={labels.previous}
        onClick={() => {
          onChange(current - 1);
        }}
      >
        <LeftOutlined aria-hidden />
      </button>
      {pageButtons(current, pages).map((p, i) =>
        p === null ? (
          <span key={`gap-${String(i)}`} className="pager-gap" aria-hidden>
            •••
          </span>
        ) : (
          <button
            key={p}
            type="button"
            className={p === current ? "pager-item pager-current" : "pager-item"}
            aria-current={p === current ? "page" : undefined}
            aria-label={labels.page(p)}
            onClick={() => {
              onChange(p);
            }}
          >
            {p}
          </button>
        ),
      )}
      <button
        type="button"
        className="pager-item"
        disabled={current >= pages}
        aria-label={labels.next}
        title={labels.next}
        onClick={() => {
          onChange(current + 1);
        }}
      >
        <RightOutlined aria-hidden />
      </button>
    </nav>
  );
}
