import { Suspense, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { Alert, Button, Space, Spin } from "antd";
import { LogoutOutlined } from "@ant-design/icons";
import { App as AntApp } from "antd";
import type { Status_Serialize as Status } from "../bindings";
import LanguageSwitch from "../shared/LanguageSwitch";
import PlainButton from "../shared/PlainButton";
import StatusBar from "../shared/StatusBar";
import { errorText } from "../shared/errors";
import { useI18n } from "../shared/i18n";
import EnterpriseSwitcher from "../features/workspaces/EnterpriseSwitcher";
import { useParked } from "../features/outbox/useParked";
import ApplicationWatcher from "../features/application/ApplicationWatcher";
import InboxWatcher from "../features/inbox/InboxWatcher";
import { NavigationContext, rememberPage, requestFocus } from "../shared/navigation";
import type { Navigate } from "../shared/navigation";
import { useWindowTitle } from "./useWindowTitle";
import { ops, pages } from "./features";
import { openingPage } from "./nav";
import Sidebar from "./Sidebar";
import { leaveFirstResults } from "../features/documents/firstResults";
import { signOutOnScreen } from "./signOut";
import { saidError } from "../shared/said";
import { mark } from "../shared/timeline";

// The main page's chunk (this module and what it imports) has arrived and run.
mark("layout");

/** The window once an enterprise is on screen: the sidebar of pages, the header, the page. */
export default function MainLayout({
  status,
  onSignIn,
  shown,
}: {
  status: Status;
  /** Opens the sign-in page: to add an enterprise, or (with its code) to sign one in again. */
  onSignIn: (creditCode?: string) => void;
  /** Rendered with the page, once its code has loaded: what tells the shell the page is on
   *  screen (a spinner in its place is not). */
  shown?: ReactNode;
}) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  // Where the frame (MainFrame) left it, if the officer chose a page before this loaded.
  const [page, setPageState] = useState<string>(openingPage);
  const setPage = (key: string) => {
    rememberPage(key);
    setPageState(key);
  };
  const navigate: Navigate = (key, focus) => {
    if (focus) requestFocus(key, focus);
    setPage(key);
  };
  useWindowTitle(status);
  // Whatever page it opened on, the library's first results the frame asked for are for
  // that first page only (the library takes them as it renders, before this runs).
  useEffect(leaveFirstResults, []);
  const parked = useParked(status, ops);
  const current = pages.find((p) => p.key === page) ?? pages[0];

  const signOut = () => {
    void signOutOnScreen(status).then((error) => {
      if (error) void message.error(saidError(error));
    });
  };

  return (
    <NavigationContext.Provider value={navigate}>
    <div className="frame">
      {/* The sidebar MainFrame drew, at the same place: it does not move as the page comes. */}
      <Sidebar status={status} page={page} onChoose={setPage} />
      <div className="frame-main">
        <header className="frame-header">
          {/* At the window's minimum width the status line gives way, not the buttons. */}
          <div style={{ flex: "1 1 auto", minWidth: 0, overflow: "hidden", whiteSpace: "nowrap" }}>
            <StatusBar status={status} renderParked={parked.content} />
          </div>
          <Space size={4} style={{ flex: "none" }}>
            <EnterpriseSwitcher status={status} onSignIn={onSignIn} />
            <LanguageSwitch />
            {/* Down to the window's 960 px minimum, sign-out keeps its icon and tooltip only:
                decided by the stylesheet, as in the frame. antd's Grid.useBreakpoint decided
                it in a layout effect, which rendered the whole page again before its first
                paint. */}
            {status.signed_in && (
              <PlainButton
                small
                className="frame-signout"
                icon={<LogoutOutlined />}
                onClick={signOut}
                data-testid="sign-out"
                title={t("signOut")}
                aria-label={t("signOut")}
              >
                <span className="wide-only">{t("signOut")}</span>
              </PlainButton>
            )}
          </Space>
        </header>
        {/* The page scrolls here. Its own stacking context keeps what is positioned inside
            it (antd's selects, inputs, lists) in the scroller's one compositing layer: without
            it, once anything inside had a layer of its own (a segmented control's item does),
            WebKit gave every positioned element after it one too, to scroll them in step. */}
        <main className="frame-content" style={{ isolation: "isolate" }}>
          {status.notice && (
            <Alert
              type="error"
              showIcon
              closable
              data-testid="notice"
              message={errorText(status.notice, locale)}
              style={{ marginBottom: 16 }}
            />
          )}
          {!status.signed_in && (
            <Alert
              type="info"
              showIcon
              message={t("sessionGone")}
              action={
                <Button
                  size="small"
                  type="primary"
                  onClick={() => {
                    onSignIn(status.account?.credit_code);
                  }}
                  data-testid="sign-in-again"
                >
                  {t("signInAgain")}
                </Button>
              }
              style={{ marginBottom: 16 }}
            />
          )}
          {!status.online && (
            <Alert type="warning" showIcon message={t("offlineHint")} style={{ marginBottom: 16 }} data-testid="offline-banner" />
          )}
          {/* The page starts afresh when another enterprise comes on screen: no list or
              late answer of the previous one can act on this one. The page chosen stays. */}
          <div key={status.enterprise ?? ""}>
            {/* A page whose code is still loading shows a spinner in its place; the menu
                and the header stay usable. */}
            <Suspense
              fallback={
                <div className="centered-page" data-testid="page-loading">
                  <Spin />
                </div>
              }
            >
              {current?.render(status)}
              {shown}
            </Suspense>
          </div>
        </main>
      </div>
      {parked.dialog}
      {/* Application news reaches the officer on any page. */}
      <ApplicationWatcher enterprise={status.enterprise} />
      <InboxWatcher enterprise={status.enterprise} />
    </div>
    </NavigationContext.Provider>
  );
}
