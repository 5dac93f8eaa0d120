import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { App } from "antd";
import SetupPage from "./SetupPage";

describe("SetupPage", () => {
  afterEach(() => {
    cleanup();
  });

  it("greets a first start, and says what a change of service means later", () => {
    const first = render(
      <App>
        <SetupPage current={null} onDone={() => undefined} />
      </App>,
    );
    expect(document.body.textContent).toContain("首次使用");
    first.unmount();
    render(
      <App>
        <SetupPage current={{ kind: "demo" }} onDone={() => undefined} onCancel={() => undefined} />
      </App>,
    );
    const text = screen.getByText(/更换后需重新登录/).textContent;
    expect(text).not.toContain("首次使用");
    expect(text).toContain("按服务分别保留");
  });
});
