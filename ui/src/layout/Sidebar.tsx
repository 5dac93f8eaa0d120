import { pick, useI18n } from "../shared/i18n";
import type { Status_Serialize as Status } from "../bindings";
import { nav } from "./nav";
import type { PageKey } from "./nav";

/**
 * The sidebar of pages, drawn without antd: by the main page's frame (MainFrame) while antd
 * loads, and by the main page (MainLayout) after it, so the one that takes the other's place
 * draws the same sidebar at the same place. Each page is a button (Tab reaches it, Enter opens
 * it); the page on screen is marked for screen readers as the current one.
 */
export default function Sidebar({
  status,
  page,
  onChoose,
}: {
  status: Status;
  page: string;
  onChoose: (key: PageKey) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <nav className="frame-sider" aria-label={t("appName")}>
      <div className="brand">{t("appName")}</div>
      <ul className="frame-menu">
        {nav.map((p) => {
          const count = "badge" in p ? p.badge(status) : null;
          const selected = p.key === page;
          return (
            <li key={p.key}>
              {/* tabIndex: WebKit on macOS leaves plain buttons out of the Tab order unless
                  the officer turned on keyboard navigation; one given a tab index is in it. */}
              <button
                type="button"
                tabIndex={0}
                className={selected ? "frame-item frame-item-selected" : "frame-item"}
                aria-current={selected ? "page" : undefined}
                onClick={() => {
                  onChoose(p.key);
                }}
              >
                <span className="frame-item-icon" aria-hidden>
                  {p.icon}
                </span>
                <span data-testid={`menu-${p.key}`}>{pick(locale, p.label)}</span>
                {/* Kept when empty (hidden), so its count can be read at 0 too. */}
                {count !== null && (
                  <span className="frame-badge" data-testid={`menu-badge-${p.key}`} data-count={count} hidden={count === 0}>
                    {count > 99 ? "99+" : count}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
