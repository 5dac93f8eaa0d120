import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App, { beforeFirstRender } from "./App";
import CrashScreen from "./shared/CrashScreen";
// The app's own styles; antd's load with antd, after the first page (AntdRoot.tsx).
import "./styles.css";
import { mark } from "./shared/timeline";
import { markOs } from "./shared/platform";

// Every module of the first chunk has run by now: imports are evaluated before this line.
mark("modules");

markOs();
const root = document.getElementById("root");
if (root) {
  void beforeFirstRender().then(() => {
    createRoot(root).render(
      <StrictMode>
        <CrashScreen>
          <App />
        </CrashScreen>
      </StrictMode>,
    );
  });
}
