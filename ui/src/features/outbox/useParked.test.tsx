import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "antd";
import type { ParkedItem, Status_Serialize as Status } from "../../bindings";
import type { OpInfo, ReviseForm } from "../../shared/revise";
import { resetPage, signedInStatus } from "../../test/fixtures";
import { useParked } from "./useParked";

const refused: ParkedItem = {
  id: "outbox:3",
  kind: "create_listing",
  record_id: "listing-3",
  reason_zh: "有效期已过",
  reason_en: "valid_until is past",
  attempts: 1,
  draft: { item: "口罩" },
  holding: 0,
};

/** The status line's popover and the dialog, as the layout places them. */
function Parked({ status, ops }: { status: Status; ops: Partial<Record<string, OpInfo>> }) {
  const parked = useParked(status, ops);
  return (
    <>
      <div data-testid="popover">{parked.content(() => undefined)}</div>
      {parked.dialog}
    </>
  );
}

function show(ops: Partial<Record<string, OpInfo>>) {
  mockIPC((cmd) => (cmd === "parked_items" ? [refused] : null));
  const status: Status = { ...signedInStatus, outbox_parked: 1 };
  const view = render(
    <App>
      <Parked status={status} ops={ops} />
    </App>,
  );
  /** The header's switch: another enterprise on screen. */
  return (enterprise: string) => {
    view.rerender(
      <App>
        <Parked status={{ ...status, enterprise }} ops={ops} />
      </App>,
    );
  };
}

const fields: ReviseForm = {
  Fields: () => <p data-testid="listing-fields">物资名称</p>,
  initialValues: () => ({}),
  send: () => Promise.resolve(),
};

describe("useParked", () => {
  afterEach(resetPage);

  it("loads the feature's correction form when the officer chooses to edit, and opens it", async () => {
    let loads = 0;
    show({
      create_listing: {
        label: { zh: "发布供需", en: "Post a listing" },
        revise: () => {
          loads += 1;
          return Promise.resolve(fields);
        },
      },
    });
    // The list itself loads when the popover opens.
    fireEvent.click(await screen.findByTestId("parked-revise"));
    expect(loads).toBe(1);
    expect(await screen.findByTestId("listing-fields")).toBeTruthy();
    // Why it was refused: in the list, and again in the dialog.
    expect(screen.getAllByText("有效期已过")).toHaveLength(2);
  });

  it("says so when the form cannot be loaded, and keeps the item", async () => {
    show({
      create_listing: {
        label: { zh: "发布供需", en: "Post a listing" },
        revise: () => Promise.reject(new Error("chunk missing")),
      },
    });
    fireEvent.click(await screen.findByTestId("parked-revise"));
    await waitFor(() => {
      expect(document.body.textContent).toContain("修改表单未能打开，请重启应用后再试");
    });
    expect(screen.queryByTestId("revise-dialog")).toBeNull();
    expect(screen.getByTestId("parked-revise")).toBeTruthy();
  });

  it("does not open the form over another enterprise, nor later, when the officer switched while it loaded", async () => {
    let arrive: (form: ReviseForm) => void = () => undefined;
    const switchTo = show({
      create_listing: {
        label: { zh: "发布供需", en: "Post a listing" },
        revise: () =>
          new Promise<ReviseForm>((resolve) => {
            arrive = resolve;
          }),
      },
    });
    fireEvent.click(await screen.findByTestId("parked-revise"));
    switchTo("ent-b");
    arrive(fields);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("listing-fields")).toBeNull();
    // Back on the first enterprise: nothing opens by itself.
    switchTo(signedInStatus.enterprise ?? "");
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("listing-fields")).toBeNull();
  });
});
