export { default as SelfCheckPage } from "./SelfCheckPage";
