import { afterEach, describe, expect, it } from "vitest";
import { useLayoutEffect } from "react";
import { render } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Status_Serialize as Status } from "../bindings";
import { resetPage, signedInAccount, signedInStatus } from "../test/fixtures";
import { useWindowTitle } from "./useWindowTitle";

function Titled({ status }: { status: Status }) {
  useWindowTitle(status);
  return null;
}

/** What the document's title is as the page is put in the document (its layout effects run
 *  after those of what comes before it). */
function Looks({ seen }: { seen: string[] }) {
  useLayoutEffect(() => {
    seen.push(document.title);
  });
  return null;
}

describe("useWindowTitle", () => {
  afterEach(resetPage);

  it("changes the title as the page that counts the unread is put in the document, not later", () => {
    mockIPC(() => null);
    const seen: string[] = [];
    const s: Status = { ...signedInStatus, account: signedInAccount, inbox_unread: 0 };
    const view = render(
      <>
        <Titled status={s} />
        <Looks seen={seen} />
      </>,
    );
    view.rerender(
      <>
        <Titled status={{ ...s, inbox_unread: 1 }} />
        <Looks seen={seen} />
      </>,
    );
    expect(seen).toEqual(["益企服桌面端 — 上海浦江精密机械有限公司", "(1) 益企服桌面端 — 上海浦江精密机械有限公司"]);
  });
});
