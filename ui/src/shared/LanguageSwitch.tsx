import { GlobalOutlined } from "@ant-design/icons";
import { useI18n } from "./i18n";
import PlainButton from "./PlainButton";

export default function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <PlainButton
      kind="text"
      small
      icon={<GlobalOutlined />}
      data-testid="language-switch"
      onClick={() => {
        setLocale(locale === "zh-CN" ? "en-US" : "zh-CN");
      }}
    >
      {t("language")}
    </PlainButton>
  );
}
