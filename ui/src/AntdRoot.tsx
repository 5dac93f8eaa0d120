import { useEffect } from "react";
import type { ReactNode } from "react";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
// antd's styles, made at build time (build/antdStyles.ts), then the app's changes to them,
// which must come after: both load with this chunk, not with the first one.
import "virtual:antd-styles.css";
import "./antd-overrides.css";
import { useI18n } from "./shared/i18n";
import { theme } from "./shared/theme";

/**
 * antd, and what it needs around the pages that use it (every page but sign-in): its
 * language, the app's theme, and the toasts and notices. A chunk of its own, so a start on
 * the sign-in page neither parses nor runs it (see `App.tsx`).
 */
export default function AntdRoot({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  useEffect(() => {
    dayjs.locale(locale === "zh-CN" ? "zh-cn" : "en");
  }, [locale]);
  return (
    <ConfigProvider locale={locale === "zh-CN" ? zhCN : enUS} theme={theme}>
      {/* Toasts and notices open below the header, never over the status line, the
          enterprise switcher or the language switch: an inbox notice stays 12 s, and a
          start that brings several stacks them. */}
      <AntApp style={{ height: "100%" }} message={{ top: 72 }} notification={{ top: 72 }}>
        {children}
      </AntApp>
    </ConfigProvider>
  );
}
