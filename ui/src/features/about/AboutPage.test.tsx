import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import AboutPage from "./AboutPage";
import { resetPage, signedInStatus } from "../../test/fixtures";

const about = {
  app_version: "0.1.0",
  core_version: "0.1.0",
  service: { version: "0.1.0", demo: true },
  data_dir: "/home/wang/.local/share/cn.yiqifu.desktop",
  log_dir: "/home/wang/.local/share/cn.yiqifu.desktop/logs",
  platform: "linux x86_64",
};

function mock(service: typeof about.service | null, opened: unknown[]) {
  mockIPC((cmd, args) => {
    if (cmd === "about") return { ...about, service };
    if (cmd === "automatic_backups") return [];
    if (cmd === "open_folder") {
      opened.push((args as { folder: string }).folder);
      return null;
    }
    return null;
  }, { shouldMockEvents: true });
}

describe("AboutPage", () => {
  afterEach(resetPage);

  it("shows the versions and opens the log folder", async () => {
    const opened: unknown[] = [];
    mock(about.service, opened);
    render(
      <App>
        <AboutPage status={signedInStatus} />
      </App>,
    );
    expect((await screen.findByTestId("about-app-version")).textContent).toBe("0.1.0");
    expect(screen.getByTestId("about-service-version").textContent).toBe("0.1.0");
    expect(screen.getByTestId("about-logs-dir").textContent).toContain("/logs");
    fireEvent.click(screen.getByTestId("open-logs-dir"));
    await waitFor(() => {
      expect(opened).toEqual(["logs"]);
    });
  });

  it("says when the service cannot be reached", async () => {
    mock(null, []);
    render(
      <App>
        <AboutPage status={signedInStatus} />
      </App>,
    );
    expect((await screen.findByTestId("about-service-unreachable")).textContent).toContain("无法连接");
  });
});
