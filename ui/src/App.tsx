import { useCallback, useEffect, useMemo, useState } from "react";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { commands, events } from "./bindings";
import type { Status_Serialize as Status } from "./bindings";
import { I18nContext, initialLocale, saveLocale, translate } from "./i18n";
import type { I18n, Locale } from "./i18n";
import SetupPage from "./pages/SetupPage";
import SignInPage from "./pages/SignInPage";
import MainLayout from "./pages/MainLayout";

export default function App() {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [status, setStatus] = useState<Status | null>(null);
  const [changingServer, setChangingServer] = useState(false);
  const [signingIn, setSigningIn] = useState(false);

  const setLocale = useCallback((l: Locale) => {
    saveLocale(l);
    setLocaleState(l);
  }, []);

  useEffect(() => {
    dayjs.locale(locale === "zh-CN" ? "zh-cn" : "en");
    document.documentElement.lang = locale;
  }, [locale]);

  const refresh = useCallback(async () => {
    const r = await commands.appStatus();
    if (r.status === "ok") setStatus(r.data);
  }, []);

  useEffect(() => {
    const unlisten = events.statusChanged.listen((e) => {
      setStatus(e.payload);
    });
    void refresh();
    return () => {
      void unlisten.then((f) => {
        f();
      });
    };
  }, [refresh]);

  const i18n: I18n = useMemo(
    () => ({ locale, t: (k) => translate(locale, k), setLocale }),
    [locale, setLocale],
  );

  let page;
  if (!status) {
    page = (
      <div className="centered-page">
        <Spin size="large" />
      </div>
    );
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
        onSignedIn={() => {
          setSigningIn(false);
          void refresh();
        }}
        onChangeServer={() => {
          setChangingServer(true);
        }}
        onCancel={status.account ? () => { setSigningIn(false); } : undefined}
      />
    );
  } else {
    // Signed in once on this computer: the cached work stays readable without a session.
    page = <MainLayout status={status} onSignIn={() => { setSigningIn(true); }} />;
  }

  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider locale={locale === "zh-CN" ? zhCN : enUS} theme={{ token: { colorPrimary: "#c0392b" } }}>
        <AntApp style={{ height: "100%" }}>{page}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}
