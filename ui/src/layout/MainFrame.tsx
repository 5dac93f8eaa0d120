import { useEffect, useState } from "react";
import { DownOutlined, LogoutOutlined } from "@ant-design/icons";
import type { ErrorInfo, Status_Serialize as Status } from "../bindings";
import { errorText } from "../shared/errors";
import { useI18n } from "../shared/i18n";
import LanguageSwitch from "../shared/LanguageSwitch";
import Notice from "../shared/Notice";
import PlainButton from "../shared/PlainButton";
import { rememberPage } from "../shared/navigation";
import { afterPaint } from "../shared/timeline";
import { openingPage } from "./nav";
import { askFirstResults, chosenInFrame } from "../features/documents/firstResults";
import Sidebar from "./Sidebar";
import { signOutOnScreen } from "./signOut";
import { useWindowTitle } from "./useWindowTitle";

/** How long the page may take before the frame shows that it is coming. */
const SLOW_MS = 1000;

/**
 * The main page's frame, drawn without antd: the sidebar, the header's enterprise, language
 * and sign-out, and the page's place. A start on the main page shows it while antd and the
 * page's code load (App.tsx), so the window goes from blank to the app's frame in about the
 * time the sign-in page takes, rather than waiting ~300 ms more for antd; MainLayout then
 * takes its place, drawn at the same places (styles.css, `.frame`). The sidebar works already:
 * a page chosen here is the page MainLayout opens. The status line and the page itself come
 * with MainLayout.
 */
export default function MainFrame({
  status,
  onDrawing,
  onPainted,
}: {
  status: Status;
  /** Called as the frame's first frame begins to be drawn (before its layout and paint). */
  onDrawing: () => unknown;
  /** Called once the frame is on screen. */
  onPainted: () => void;
}) {
  const { t, locale } = useI18n();
  useWindowTitle(status);
  const [page, setPage] = useState<string>(openingPage);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A spinner only if the page is slow to come: one that turns for the usual few hundred
  // milliseconds is noise, and its frames (it is drawn 60 times a second) put the page off by
  // ~200 ms here (measured in a plain WebKitGTK window).
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSlow(true);
    }, SLOW_MS);
    return () => {
      clearTimeout(timer);
    };
  }, []);
  // The page's code loads while the frame is drawn, not before: run ahead of the frame's first
  // layout (it did when asked for at start), antd's ~150 ms of code put the frame off by as
  // much. Its code arrives, at the soonest, after the frame's layout and paint, whose turn has
  // begun. The page takes the frame's place once the frame has been on screen (and the library's
  // first results, asked for below, have come: App.tsx).
  useEffect(() => {
    const drawing = requestAnimationFrame(() => {
      void onDrawing();
    });
    const cancel = afterPaint(onPainted);
    return () => {
      cancelAnimationFrame(drawing);
      cancel();
    };
  }, [onDrawing, onPainted]);

  // The library's first results are asked for as the frame is drawn: the page is then drawn
  // with them when its code has loaded, rather than asking only then.
  useEffect(() => {
    if (page === "policy" || page === "guidance") askFirstResults(status.enterprise, page, status.document_count);
  }, [page, status.enterprise, status.document_count]);

  const signOut = () => {
    setError(null);
    void signOutOnScreen(status).then(setError);
  };

  return (
    <div className="frame" data-testid="main-frame">
      <Sidebar
        status={status}
        page={page}
        onChoose={(key) => {
          rememberPage(key);
          setPage(key);
          chosenInFrame(key);
        }}
      />
      <div className="frame-main">
        <header className="frame-header">
          <div />
          <div className="frame-actions">
            {/* Where the enterprise menu opens once the page has loaded. */}
            <span className="btn btn-text frame-enterprise" title={status.account?.name}>
              <strong>{status.account?.name}</strong>
              <DownOutlined aria-hidden />
            </span>
            <LanguageSwitch />
            {status.signed_in && (
              <PlainButton small className="frame-signout" icon={<LogoutOutlined />} onClick={signOut} title={t("signOut")} aria-label={t("signOut")}>
                <span className="wide-only">{t("signOut")}</span>
              </PlainButton>
            )}
          </div>
        </header>
        <main className="frame-content" aria-busy="true">
          {error && <Notice type="error" message={errorText(error, locale)} style={{ marginBottom: 16 }} />}
          {slow && (
            <div className="frame-wait" role="status">
              <div className="spinner" aria-hidden />
              <span>{t("pageOpening")}</span>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
