import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  menuAbout: { zh: "关于", en: "About" },
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
