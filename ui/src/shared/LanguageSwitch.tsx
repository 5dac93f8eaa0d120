import { GlobalOutlined } from "@ant-design/icons";
import { useI18n } from "./i18n";
import PlainButton from "./PlainButton";

export default function LanguageSwitch({ light }: { light?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <PlainButton
      kind="text"
      small
      icon={<GlobalOutlined />}
      className={light ? "btn-on-dark" : undefined}
      data-testid="language-switch"
      onClick={() => {
        setLocale(locale === "zh-CN" ? "en-US" : "zh-CN");
      }}
    >
      {t("language")}
    </PlainButton>
  );
}
