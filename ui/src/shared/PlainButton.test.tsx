import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { GlobalOutlined } from "@ant-design/icons";
import PlainButton from "./PlainButton";
import { resetPage } from "../test/fixtures";

describe("PlainButton", () => {
  afterEach(resetPage);

  it("spaces two Chinese characters as antd does: on a bordered button without an icon only", () => {
    render(
      <>
        <PlainButton data-testid="open">打开</PlainButton>
        <PlainButton data-testid="sign-in" kind="primary">
          登录
        </PlainButton>
        <PlainButton data-testid="language" kind="text" icon={<GlobalOutlined />}>
          中文
        </PlainButton>
        <PlainButton data-testid="change" kind="link">
          更换
        </PlainButton>
        <PlainButton data-testid="three">更换服务</PlainButton>
      </>,
    );
    const text = (id: string) => screen.getByTestId(id).textContent;
    expect([text("open"), text("sign-in"), text("language"), text("change"), text("three")]).toEqual([
      "打 开",
      "登 录",
      "中文",
      "更换",
      "更换服务",
    ]);
  });
});
