import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  changeServer: { zh: "更换服务", en: "Change service" },
  setupTitle: { zh: "选择中央服务", en: "Choose the central service" },
  setupIntro: {
    zh: "首次使用请选择要连接的中央服务。内置演示服务在本机运行，附带演示数据，无需网络。",
    en: "Choose the central service to work with. The built-in demo runs on this computer with demo data and needs no network.",
  },
  changeIntro: {
    zh: "选择要连接的中央服务。更换后需重新登录；本机已保存的工作按服务分别保留，换回原服务即可继续。",
    en: "Choose the central service to work with. After a change you sign in again; the work saved on this computer is kept for each service, and is there again when you change back.",
  },
  serverDemo: { zh: "内置演示服务（推荐试用）", en: "Built-in demo service (to try the app)" },
  serverUrl: { zh: "服务地址", en: "Service URL" },
  serverUrlPlaceholder: { zh: "例如 https://fuwu.example.gov.cn", en: "e.g. https://fuwu.example.gov.cn" },
  connect: { zh: "连接", en: "Connect" },
  signInTitle: { zh: "企业登录", en: "Enterprise sign-in" },
  addEnterpriseTitle: { zh: "添加企业", en: "Add an enterprise" },
  creditCode: { zh: "统一社会信用代码", en: "Unified social credit code" },
  creditCodeHint: { zh: "18 位，见营业执照", en: "18 characters, on the business licence" },
  creditCodeRequired: { zh: "请填写统一社会信用代码", en: "Enter the credit code" },
  password: { zh: "密码", en: "Password" },
  passwordRequired: { zh: "请填写密码", en: "Enter the password" },
  showPassword: { zh: "显示密码", en: "Show the password" },
  hidePassword: { zh: "隐藏密码", en: "Hide the password" },
  signIn: { zh: "登录", en: "Sign in" },
  demoAccounts: { zh: "演示账号（点击填入）", en: "Demo accounts (click to fill in)" },
  offlineSignIn: {
    zh: "当前离线，无法登录；请检查网络后重试。",
    en: "Offline: signing in needs the central service. Check the network and retry.",
  },
  onThisComputer: { zh: "本机已有的企业", en: "Enterprises on this computer" },
  open: { zh: "打开", en: "Open" },
  signedOut: { zh: "已退出", en: "Signed out" },
  waiting: { zh: "项待发送", en: "waiting to be sent" },
});
