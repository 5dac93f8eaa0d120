import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "antd";
import MoveDataFolder from "./MoveDataFolder";
import { resetPage } from "../../test/fixtures";

const copyFailed = {
  code: "DATA_FOLDER_COPY_FAILED",
  message_zh: "复制到“/media/usb/yiqifu”时出错（设备上没有空间）：数据仍在原文件夹，没有任何改动，已复制的部分已删除。",
  message_en: "Copying to \"/media/usb/yiqifu\" failed (no space left on device): the data is still in its old folder, unchanged.",
};

describe("MoveDataFolder", () => {
  afterEach(resetPage);

  it("moves only once confirmed, shows the copy's progress, and after a failed copy offers to start again", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    let finishMove: (v: unknown) => void = () => undefined;
    mockIPC(
      (cmd, args) => {
        calls.push({ cmd, args });
        if (cmd === "data_folder_pick") return "/media/usb/yiqifu";
        if (cmd === "data_folder_move") return new Promise((r) => (finishMove = r));
        return null;
      },
      { shouldMockEvents: true },
    );
    render(
      <App>
        <MoveDataFolder current="/home/wang/.local/share/cn.yiqifu.desktop" />
      </App>,
    );
    fireEvent.click(screen.getByTestId("move-data-dir"));
    expect((await screen.findByTestId("move-target")).textContent).toBe("/media/usb/yiqifu");
    expect(calls.map((c) => c.cmd)).toEqual(["data_folder_pick"]);

    fireEvent.click(screen.getByTestId("move-confirm"));
    await screen.findByTestId("move-progress");
    expect(screen.getByText("正在备份并关闭所有工作…")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "data_folder_move")?.args).toEqual({ to: "/media/usb/yiqifu" });
    await emit("data-move-progressed", { done_bytes: 512 * 1024, total_bytes: 2 * 1024 * 1024, done_files: 3, total_files: 12 });
    await waitFor(() => {
      expect(screen.getByText("已复制 3 / 12 个文件（共 2.0 MB）")).toBeTruthy();
    });
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");

    finishMove(copyFailed);
    const failed = await screen.findByTestId("move-failed");
    expect(failed.textContent).toContain("设备上没有空间");
    expect(failed.textContent).toContain("请重新启动后继续使用");
    fireEvent.click(screen.getByTestId("restart-app"));
    await waitFor(() => {
      expect(calls.map((c) => c.cmd)).toContain("restart_app");
    });
  });

  it("shows why a folder is refused, and nothing moves", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "data_folder_pick") {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { code: "DATA_FOLDER_NOT_EMPTY", message_zh: "文件夹“/tmp/x”不是空的：请新建或选择一个空文件夹。", message_en: "not empty" };
      }
      return null;
    }, { shouldMockEvents: true });
    render(
      <App>
        <MoveDataFolder current="/data" />
      </App>,
    );
    fireEvent.click(screen.getByTestId("move-data-dir"));
    expect((await screen.findByTestId("move-refused")).textContent).toContain("不是空的");
    expect(screen.queryByTestId("move-confirm-dialog")).toBeNull();
    expect(calls).toEqual(["data_folder_pick"]);
  });
});
