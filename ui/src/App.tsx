import { Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ComponentType, ReactNode } from "react";
import { commands, events } from "./bindings";
import type { Status_Serialize as Status } from "./bindings";
import { I18nContext, initialLocale, saveLocale, translate } from "./shared/i18n";
import type { I18n, Locale } from "./shared/i18n";
import SignInPage from "./features/session/SignInPage";
import MainFrame from "./layout/MainFrame";
import { ShellContext } from "./shared/shell";
import type { ShellActions } from "./shared/shell";
import { afterPaint, mark, timeline } from "./shared/timeline";
import { ContentGateContext, newContentGate, whenContentShown } from "./shared/contentShown";
import { firstResultsCome } from "./features/documents/firstResults";
import type { ContentGate } from "./shared/contentShown";

// The first chunk holds React, this file and the sign-in page, which is drawn without antd:
// antd (its components and its 630 KB stylesheet) and every page that uses it load as chunks
// of their own. A start on the sign-in page, the most common one, then parses and runs a
// quarter of the code and none of antd's styles: the webview paints it 157 ms after it starts
// loading the page instead of 279, and the app's start went from 1.60x hello world's to 1.41x
// (docs/benchmarks.md). A start on the main page draws its frame the same way (MainFrame:
// the sidebar and the header), then loads antd and the page's code, and the page takes the
// frame's place.

/** A page's chunk: loaded once, then rendered directly rather than through `lazy`, so a page
 *  whose chunk loaded before the first render renders in it (no frame of spinner). */
function chunk<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded: ComponentType<P> | null = null;
  const loadOnce = () =>
    load().then((m) => {
      loaded = m.default;
      return m;
    });
  const Lazy = lazy(loadOnce);
  return {
    load: loadOnce,
    loaded: () => loaded !== null,
    component: () => loaded ?? Lazy,
  };
}

const antdRoot = chunk<{ children: ReactNode }>(() => import("./AntdRoot"));
const mainLayout = chunk(() => import("./layout/MainLayout"));
const setupPage = chunk(() => import("./features/session/SetupPage"));

/**
 * What must be loaded before the first render: for a start that opens on the setup page,
 * antd and the page's chunk. The window then goes from blank to the page, without a frame of
 * spinner that the webview would lay out and paint first (and React would then replace). A
 * chunk that fails to load is left to the lazy page, which reports it.
 */
export function beforeFirstRender(): Promise<void> {
  const status = statusAtLoad();
  // The sign-in page renders at once, and so does the main page's frame (MainFrame), which
  // loads the page's code as it is drawn.
  if (!status || pageOf(status) !== "setup") return Promise.resolve();
  return Promise.all([antdRoot.load(), setupPage.load()]).then(
    () => undefined,
    () => undefined,
  );
}

/** How long the main page, its code loaded, waits for the library's first results before it
 *  takes the frame's place all the same (and asks for them itself). In 9 starts on 20,000
 *  policies they came at most 26 ms after the code; a slow disk should not keep the page's
 *  controls away for long. An object so that a test can wait longer on a loaded machine. */
export const firstResultsWait = { ms: 400 };

let mainPage: Promise<unknown> | null = null;

/** The main page's code and antd's, loaded once; settled also when a chunk failed to load,
 *  which the lazy page then reports. */
function loadMainPage(): Promise<unknown> {
  mainPage ??= Promise.all([antdRoot.load(), mainLayout.load()]).catch(() => undefined);
  return mainPage;
}

/** Whether the main page's code, and antd's, has loaded. */
export function mainPageLoaded(): boolean {
  return antdRoot.loaded() && mainLayout.loaded();
}

/** What the officer opens from the sign-in page (the main page; the setup page, to change
 *  the service), loaded once they start to sign in (a key, a click): not at start, which it
 *  would slow, nor while the page sits idle, which would hold its memory for nothing. Loaded
 *  twice, a chunk is the same module. */
function loadTheRest() {
  void loadMainPage();
  void setupPage.load().catch(() => undefined);
}

/** Tells the shell, once, that the first page (not a spinner) is on screen, with the page's
 *  own moments of its start: the start-up benchmark's mark, and the moment the shell
 *  connects to the service. Rendered inside the page's Suspense boundary, so a page still
 *  loading its chunk has not rendered yet. */
function FirstRendered({
  page,
  told,
}: {
  /** "main_frame": the main page's frame, which the page itself follows (MainComplete). */
  page: "setup" | "sign_in" | "main" | "main_frame";
  told: { current: boolean };
}) {
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
      mark("painted");
      void commands.firstRendered(page, timeline());
    });
  }, [page, told]);
  return null;
}

/** Tells the shell, once, that the main page has taken the place of its frame (MainFrame) and
 *  is on screen with what it shows (the library's results: `useContentShown`): how long the
 *  whole page takes, beside the frame's first page. */
function MainComplete({
  afterFrame,
  told,
  gate,
}: {
  afterFrame: boolean;
  told: { current: boolean };
  gate: ContentGate;
}) {
  useLayoutEffect(() => {
    mark("content");
  }, []);
  useEffect(() => {
    if (!afterFrame || told.current) return;
    let live = true;
    let cancel: () => void = () => undefined;
    whenContentShown(gate, () => {
      if (!live) return;
      cancel = afterPaint(() => {
        if (told.current) return;
        told.current = true;
        void commands.pageComplete(timeline());
      });
    });
    return () => {
      live = false;
      gate.onShown = null;
      cancel();
    };
  }, [afterFrame, told, gate]);
  return null;
}

const spinner = (
  <div className="centered-page">
    <div className="spinner" aria-live="polite" aria-busy="true" />
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
  // The main page's frame (MainFrame): "none" until it is shown, which it is only when the
  // page's code is not loaded yet (a sign-in loads it); once shown, it stays until it has been
  // on screen, that code has loaded and the library's first results have come (or their wait
  // is over), and then the page takes its place for good ("page").
  const [framePhase, setFramePhase] = useState<"none" | "frame" | "page">("none");
  // The page tells the shell once that it has taken the frame's place, with what it shows.
  const completeTold = useRef(false);
  const [contentGate] = useState(newContentGate);
  const onFramePainted = useCallback(() => {
    void loadMainPage()
      .then(() => firstResultsCome(firstResultsWait.ms))
      .then(() => {
        setFramePhase("page");
      });
  }, []);
  // The sign-in page over an enterprise on screen: adding another, or signing in again
  // (with its credit code).
  const [signingIn, setSigningIn] = useState<{ creditCode?: string } | null>(null);

  const setLocale = useCallback((l: Locale) => {
    saveLocale(l);
    setLocaleState(l);
  }, []);

  useEffect(() => {
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


  const signingInShown = !!status?.server && !changingServer && (!status.account || signingIn !== null);
  useEffect(() => {
    if (!signingInShown) return;
    const once = { capture: true, once: true } as const;
    document.addEventListener("keydown", loadTheRest, once);
    document.addEventListener("pointerdown", loadTheRest, once);
    return () => {
      document.removeEventListener("keydown", loadTheRest, once);
      document.removeEventListener("pointerdown", loadTheRest, once);
    };
  }, [signingInShown]);

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

  const SetupPage = setupPage.component();
  const MainLayout = mainLayout.component();
  let page;
  // Drawn without antd: the sign-in page, the main page's frame (and the spinner before any
  // status).
  let plain = true;
  let frame = false;
  if (!status) {
    page = spinner;
  } else if (!status.server || changingServer) {
    plain = false;
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
  } else if (framePhase === "frame" || (framePhase === "none" && !mainPageLoaded())) {
    // Kept from render to render (React's way of storing what an earlier render decided), so
    // the code arriving before the frame is on screen does not take the frame away unseen.
    if (framePhase === "none") setFramePhase("frame");
    frame = true;
    page = <MainFrame status={status} onDrawing={loadMainPage} onPainted={onFramePainted} />;
  } else {
    // An enterprise on screen: its cached work stays readable without a session.
    plain = false;
    page = (
      <ContentGateContext.Provider value={contentGate}>
      <MainLayout
        status={status}
        onSignIn={(creditCode) => {
          setSigningIn(creditCode ? { creditCode } : {});
        }}
        shown={
          <>
            <FirstRendered page="main" told={firstTold} />
            <MainComplete afterFrame={framePhase === "page"} told={completeTold} gate={contentGate} />
          </>
        }
      />
      </ContentGateContext.Provider>
    );
  }

  // MainLayout tells it itself, once its page's code has loaded too.
  const firstPage = status && (frame ? "main_frame" : pageOf(status));
  const first = firstPage && (plain || firstPage !== "main") && <FirstRendered page={firstPage} told={firstTold} />;
  const Antd = antdRoot.component();
  return (
    <I18nContext.Provider value={i18n}>
      <ShellContext.Provider value={shell}>
        {plain ? (
          <>
            {page}
            {first}
          </>
        ) : (
          <Suspense fallback={spinner}>
            <Antd>
              {page}
              {first}
            </Antd>
          </Suspense>
        )}
      </ShellContext.Provider>
    </I18nContext.Provider>
  );
}
