import type { ThemeConfig } from "antd";

/**
 * The brand colour, and text colours dark enough for WCAG AA (4.5:1) on white and on the
 * grey of the page: antd's secondary text (45% black), placeholders (25%), link blue and
 * lightened hover colours fall short.
 *
 * The build also reads it: antd's styles for this theme are made once there
 * (build/antdStyles.ts) rather than at every start. The pages drawn without antd take the
 * same colours from styles.css's variables, which a test keeps alike.
 */
/**
 * A field the officer is typing in is outlined in blue, not in the brand red: a red outline
 * around a field is how a form says that what is in it is wrong (antd's own error state).
 */
const FIELD_FOCUS = "#0958d9";
const fieldFocus = {
  hoverBorderColor: FIELD_FOCUS,
  activeBorderColor: FIELD_FOCUS,
  activeShadow: "0 0 0 2px rgba(9, 88, 217, 0.1)",
};

export const theme: ThemeConfig = {
  token: {
    // The desktop's own fonts (styles.css): antd's list names a dozen, most of them missing
    // on any one desktop, which slows the first layout.
    fontFamily: "var(--app-font)",
    colorPrimary: "#c0392b",
    // Hovered, text and outlines darken rather than lighten, so they stay readable.
    colorPrimaryHover: "#a5281c",
    colorPrimaryTextHover: "#a5281c",
    colorLink: "#0958d9",
    colorLinkHover: "#003eb3",
    colorTextDescription: "rgba(0, 0, 0, 0.62)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.58)",
    colorSuccessText: "#237804",
    colorWarningText: "#874d00",
  },
  components: {
    Input: fieldFocus,
    InputNumber: fieldFocus,
    DatePicker: fieldFocus,
    Select: {
      hoverBorderColor: FIELD_FOCUS,
      activeBorderColor: FIELD_FOCUS,
      activeOutlineColor: "rgba(9, 88, 217, 0.1)",
    },
  },
};
