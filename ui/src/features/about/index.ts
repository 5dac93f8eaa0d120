export { default as AboutPage } from "./AboutPage";
