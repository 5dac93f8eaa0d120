import { Button } from "antd";
import { GlobalOutlined } from "@ant-design/icons";
import { useI18n } from "./i18n";

export default function LanguageSwitch({ light }: { light?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Button
      type="text"
      size="small"
      icon={<GlobalOutlined />}
      style={light ? { color: "#fff" } : undefined}
      data-testid="language-switch"
      onClick={() => {
        setLocale(locale === "zh-CN" ? "en-US" : "zh-CN");
      }}
    >
      {t("language")}
    </Button>
  );
}
