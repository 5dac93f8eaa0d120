import { DISTRICTS, INDUSTRY_SECTIONS } from "../bindings";
import type { Locale } from "./i18n";

type District = (typeof DISTRICTS)[number];

/** Shanghai's districts as English maps write them; a missing one fails to compile. */
const DISTRICT_EN: Record<District, string> = {
  黄浦区: "Huangpu",
  徐汇区: "Xuhui",
  长宁区: "Changning",
  静安区: "Jing'an",
  普陀区: "Putuo",
  虹口区: "Hongkou",
  杨浦区: "Yangpu",
  闵行区: "Minhang",
  宝山区: "Baoshan",
  嘉定区: "Jiading",
  浦东新区: "Pudong New Area",
  金山区: "Jinshan",
  松江区: "Songjiang",
  青浦区: "Qingpu",
  奉贤区: "Fengxian",
  崇明区: "Chongming",
};

/** Documents that apply whatever the trade say so with this word. */
const ALL_INDUSTRIES = "全行业";

/**
 * A district as the catalog and the profile write it (in Chinese), in the officer's
 * language; one the list does not know stays as written.
 */
export function districtLabel(zh: string, locale: Locale): string {
  if (locale === "zh-CN") return zh;
  return (DISTRICT_EN as Record<string, string | undefined>)[zh] ?? zh;
}

/**
 * An industry as documents and accounts name it: a section of GB/T 4754-2017 (the English
 * comes with the classification), or "all industries".
 */
export function industryLabel(zh: string, locale: Locale): string {
  if (locale === "zh-CN") return zh;
  if (zh === ALL_INDUSTRIES) return "All industries";
  return INDUSTRY_SECTIONS.find((s) => s[1] === zh)?.[2] ?? zh;
}
