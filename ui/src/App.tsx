import { Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { commands, events } from "./bindings";
import type { Status_Serialize as Status } from "./bindings";
import { I18nContext, initialLocale, saveLocale, translate } from "./shared/i18n";
import type { I18n, Locale } from "./shared/i18n";
import SetupPage from "./features/session/SetupPage";
import SignInPage from "./features/session/SignInPage";
import { ShellContext } from "./shared/shell";
import type { ShellActions } from "./shared/shell";
import { afterPaint, mark, timeline } from "./shared/timeline";
import { theme } from "./shared/theme";

// The main page and every feature behind it load as a chunk of their own: the sign-in and
// setup pages, which a start may open on, stay in the first chunk, which the webview then
// parses in about half the time.
const LazyMainLayout = lazy(() => import("./layout/MainLayout"));
type MainLayoutType = typeof import("./layout/MainLayout").default;
let loadedMainLayout: MainLayoutType | null = null;

/**
 * What must be loaded before the first render: for a start that opens on the main page, its
 * chunk. The window then goes from blank to the page, without a frame of spinner that the
 * webview would lay out and paint first (and React would then replace). Any other start
 * renders at once; a chunk that fails to load is left to the lazy page, which reports it.
 */
export function beforeFirstRender(): Promise<void> {
  const status = statusAtLoad();
  if (!status || pageOf(status) !== "main") return Promise.resolve();
  return import("./layout/MainLayout").then(
    (m) => {
      loadedMainLayout = m.default;
    },
    () => undefined,
  );
}

/** Tells the shell, once, that the first page (not a spinner) is on screen, with the page's
 *  own moments of its start: the start-up benchmark's mark, and the moment the shell
 *  connects to the service. Rendered inside the page's Suspense boundary, so a page still
 *  loading its chunk has not rendered yet. */
function FirstRendered({ page, told }: { page: "setup" | "sign_in" | "main"; told: { current: boolean } }) {
  // In the DOM (before the webview has laid it out and painted it)…
  useLayoutEffect(() => {
    mark("commit");
  }, []);
  // …and on screen: React runs its effects before the webview's next frame, so the shell is
  // told once that frame has been laid out and painted. A page gone before its frame (the
  // cleanup cancels) was never on screen: the page that took its place tells instead.
  useEffect(() => {
    if (told.current) return;
    mark("effects");
    return afterPaint(() => {
      told.current = true;
      void commands.firstRendered(page, timeline());
    });
  }, [page, told]);
  return null;
}

const spinner = (
  <div className="centered-page">
    <Spin size="large" />
  </div>
);

function pageOf(status: Status): "setup" | "sign_in" | "main" {
  return !status.server ? "setup" : !status.account ? "sign_in" : "main";
}

/** The status the shell put in the page before it loaded (see `initial_status_script`). */
function statusAtLoad(): Status | null {
  return (window as { __YIQIFU_STATUS__?: Status }).__YIQIFU_STATUS__ ?? null;
}

export default function App() {
  // The first render begins (once; later renders leave the mark as it is).
  mark("app");
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [status, setStatus] = useState<Status | null>(statusAtLoad);
  // Once per load of the window, whichever page comes first (the main page marks it itself).
  const firstTold = useRef(false);
  const [changingServer, setChangingServer] = useState(false);
  // The sign-in page over an enterprise on screen: adding another, or signing in again
  // (with its credit code).
  const [signingIn, setSigningIn] = useState<{ creditCode?: string } | null>(null);

  const setLocale = useCallback((l: Locale) => {
    saveLocale(l);
    setLocaleState(l);
  }, []);

  useEffect(() => {
    dayjs.locale(locale === "zh-CN" ? "zh-cn" : "en");
    document.documentElement.lang = locale;
    // Desktop notifications are written by the shell: in the language the officer reads.
    void commands.desktopSettings().then((r) => {
      if (r.status === "ok" && r.data.language !== locale) void commands.setDesktopSettings({ ...r.data, language: locale });
    });
  }, [locale]);

  // A command's answer and an event travel apart and may arrive in either order: the
  // status computed last (the larger `seq`) wins, so an answer that was on its way while
  // the shell went online cannot leave the window showing it offline.
  const receive = useCallback((next: Status) => {
    setStatus((now) => (now && now.seq > next.seq ? now : next));
  }, []);

  const refresh = useCallback(async () => {
    const r = await commands.appStatus();
    if (r.status === "ok") receive(r.data);
  }, [receive]);

  useEffect(() => {
    const unlisten = events.statusChanged.listen((e) => {
      receive(e.payload);
    });
    void refresh();
    return () => {
      void unlisten.then((f) => {
        f();
      });
    };
  }, [refresh, receive]);


  const shell: ShellActions = useMemo(
    () => ({
      changeServer: () => {
        setChangingServer(true);
      },
    }),
    [],
  );

  const i18n: I18n = useMemo(
    () => ({ locale, t: (k) => translate(locale, k), setLocale }),
    [locale, setLocale],
  );

  let page;
  if (!status) {
    page = spinner;
  } else if (!status.server || changingServer) {
    page = (
      <SetupPage
        current={status.server}
        onDone={() => {
          setChangingServer(false);
          void refresh();
        }}
        onCancel={status.server ? () => { setChangingServer(false); } : undefined}
      />
    );
  } else if (!status.account || signingIn) {
    page = (
      <SignInPage
        status={status}
        creditCode={signingIn?.creditCode}
        onSignedIn={() => {
          setSigningIn(null);
          void refresh();
        }}
        onChangeServer={() => {
          setChangingServer(true);
        }}
        onCancel={status.account ? () => { setSigningIn(null); } : undefined}
      />
    );
  } else {
    // An enterprise on screen: its cached work stays readable without a session.
    const MainLayout = loadedMainLayout ?? LazyMainLayout;
    page = (
      <MainLayout
        status={status}
        onSignIn={(creditCode) => {
          setSigningIn(creditCode ? { creditCode } : {});
        }}
        shown={<FirstRendered page="main" told={firstTold} />}
      />
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider locale={locale === "zh-CN" ? zhCN : enUS} theme={theme}>
        {/* Toasts and notices open below the header, never over the status line, the
            enterprise switcher or the language switch: an inbox notice stays 12 s, and a
            start that brings several stacks them. */}
        <AntApp style={{ height: "100%" }} message={{ top: 72 }} notification={{ top: 72 }}>
          <ShellContext.Provider value={shell}>
            <Suspense fallback={spinner}>
              {page}
              {/* The main page tells it itself, once its page's code has loaded too. */}
              {status && pageOf(status) !== "main" && <FirstRendered page={pageOf(status)} told={firstTold} />}
            </Suspense>
          </ShellContext.Provider>
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}
