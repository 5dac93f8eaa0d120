import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import CrashScreen from "./shared/CrashScreen";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <CrashScreen>
        <App />
      </CrashScreen>
    </StrictMode>,
  );
}
