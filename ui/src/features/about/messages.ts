import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  menuAbout: { zh: "设置与关于", en: "Settings & about" },
  settingsTitle: { zh: "设置", en: "Settings" },
  language: { zh: "界面语言", en: "Language" },
  notifications: { zh: "桌面通知", en: "Desktop notifications" },
  notificationsHint: {
    zh: "收到审核意见、诉求答复或供需匹配时，在桌面右下角提示。",
    en: "A notice on the desktop when a review opinion, an appeal reply or a match arrives.",
  },
  serviceDemoName: { zh: "内置演示服务", en: "The built-in demo service" },
  serviceHint: {
    zh: "更换后需重新登录；本机已保存的工作按服务分别保留，换回原服务即可继续。",
    en: "After a change you sign in again; the work on this computer is kept for each service, and is there again when you change back.",
  },
  changeService: { zh: "更换服务…", en: "Change service…" },
  proxy: { zh: "网络代理", en: "Network proxy" },
  proxyHint: {
    zh: "单位网络需要经代理上网时，可在这里设置；不清楚时保持“使用系统代理”。",
    en: "When your organisation's network goes out through a proxy, set it here; if unsure, keep the system proxy.",
  },
  proxySystem: { zh: "使用系统代理（默认）", en: "Use the system proxy (default)" },
  proxyDirect: { zh: "不使用代理，直接连接", en: "No proxy: connect directly" },
  proxyManual: { zh: "手动设置代理地址", en: "Set a proxy address" },
  proxyUrl: { zh: "代理地址", en: "Proxy address" },
  proxyDemo: {
    zh: "内置演示服务在本机运行，始终直接连接，不经过代理。",
    en: "The built-in demo service runs on this computer and is always reached directly, never through a proxy.",
  },
  proxySavedOnline: { zh: "已保存，中央服务可以连接。", en: "Saved; the service answers." },
  proxySavedOffline: {
    zh: "已保存，但目前连不上中央服务：请检查代理地址或网络。",
    en: "Saved, but the service cannot be reached now: check the proxy address or the network.",
  },
  save: { zh: "保存", en: "Save" },
  title: { zh: "关于益企服桌面端", en: "About Yiqifu Desktop" },
  appVersion: { zh: "应用版本", en: "App version" },
  coreVersion: { zh: "核心版本", en: "Core version" },
  service: { zh: "中央服务", en: "Central service" },
  serviceDemo: { zh: "内置演示服务", en: "Built-in demo service" },
  serviceUnreachable: { zh: "当前无法连接，联网后显示其版本", en: "Not reachable now; its version shows once online" },
  platform: { zh: "系统", en: "System" },
  dataDir: { zh: "数据文件夹", en: "Data folder" },
  dataHint: {
    zh: "各企业的数据库和已添加的材料保存在这里；登录凭证保存在系统钥匙串中，不在此文件夹。",
    en: "Each company's databases and the files added are kept here; sign-in tokens are in the system keychain, not in this folder.",
  },
  logDir: { zh: "日志文件夹", en: "Log folder" },
  logHint: {
    zh: "每天一个日志文件，保留最近 14 天；日志不含密码和登录凭证。向技术支持反映问题时可附上。",
    en: "One log file a day, the last 14 days kept; it never holds a password or a sign-in token. Attach it when asking for support.",
  },
  open: { zh: "打开", en: "Open" },
  copied: { zh: "已复制", en: "Copied" },
});
