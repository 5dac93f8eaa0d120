/// <reference types="vitest/config" />
/// <reference types="node" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { ANTD_STYLES_ID, antdStyles } from "./build/antdStyles";
import { keepOutOfFirstChunk, keepOutOfMainPage } from "./build/firstChunk";

export default defineConfig({
  plugins: [
    react(),
    antdStyles(fileURLToPath(new URL("./src", import.meta.url))),
    // The sign-in page is drawn without antd (src/App.tsx): the build fails if antd, or its
    // styles, come back into the first chunk.
    keepOutOfFirstChunk(["antd", "@ant-design/cssinjs", ANTD_STYLES_ID]),
    // Nor may what the library's first page does not draw (the document reader, the refused
    // items and the forms that correct them, antd's card with its tabs, antd's controls the
    // library draws plain) come back into the main page's.
    keepOutOfMainPage([
      "rc-drawer",
      "rc-tabs",
      "rc-select",
      "rc-segmented",
      "rc-checkbox",
      // antd's locales bring these packages' words, which are small, but not their controls.
      "/node_modules/rc-picker/es/PickerInput/",
      "/node_modules/rc-pagination/es/Pagination.js",
      "/node_modules/antd/es/form/Form.js",
      "/src/features/documents/DocumentDrawer.tsx",
      "/src/features/outbox/ParkedList.tsx",
      "/src/features/outbox/ReviseDialog.tsx",
    ]),
  ],
  // The app loads its pages from its own protocol; relative paths work under any base.
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    target: ["es2021", "safari15"],
    chunkSizeWarningLimit: 2500,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "build/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    // Ant Design forms render slowly in jsdom: on a cold 2-core machine one test took over
    // vitest's default 5 s, and with a Rust build beside it the revise dialog's tests took
    // 32 s. A test that hangs still fails, just later.
    testTimeout: 90_000,
  },
});
