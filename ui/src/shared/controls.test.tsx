import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import Pager, { pageButtons } from "./Pager";
import SearchBox from "./SearchBox";
import Segments from "./Segments";
import SelectBox from "./SelectBox";
import DateRange, { inOrder } from "./DateRange";
import { resetPage } from "../test/fixtures";

// The library's controls, drawn without antd (DocumentsPage).
describe("the plain controls", () => {
  afterEach(resetPage);

  it("pages: both ends, two either side of the current one, gaps of two pages or more between", () => {
    expect(pageButtons(1, 1)).toEqual([1]);
    expect(pageButtons(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageButtons(1, 20)).toEqual([1, 2, 3, null, 20]);
    expect(pageButtons(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pageButtons(20, 20)).toEqual([1, null, 18, 19, 20]);
    // A page alone between two shown is shown, not left out.
    expect(pageButtons(5, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pageButtons(5, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, null, 10]);
  });

  it("pager: says which page is current, goes to the page clicked, and not past either end", () => {
    const onChange = vi.fn();
    const labels = { nav: "结果分页", previous: "上一页", next: "下一页", page: (n: number) => `第 ${String(n)} 页` };
    const { rerender } = render(<Pager current={1} pageSize={20} total={95} onChange={onChange} labels={labels} />);
    expect(screen.getByRole("navigation", { name: "结果分页" })).toBeTruthy();
    expect(screen.getByLabelText("第 1 页").getAttribute("aria-current")).toBe("page");
    expect(screen.getByLabelText("第 2 页").getAttribute("aria-current")).toBeNull();
    // 95 results of 20 a page: five pages.
    expect(screen.getByLabelText("第 5 页")).toBeTruthy();
    expect(screen.queryByLabelText("第 6 页")).toBeNull();
    expect(screen.getByLabelText<HTMLButtonElement>("上一页").disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("第 3 页"));
    fireEvent.click(screen.getByLabelText("下一页"));
    expect(onChange.mock.calls).toEqual([[3], [2]]);
    rerender(<Pager current={5} pageSize={20} total={95} onChange={onChange} labels={labels} />);
    expect(screen.getByLabelText<HTMLButtonElement>("下一页").disabled).toBe(true);
    expect(screen.getByLabelText<HTMLButtonElement>("上一页").disabled).toBe(false);
  });

  it("segments: one group of radio buttons, named, the chosen one checked", () => {
    function Choice() {
      const [v, setV] = useState<"a" | "b">("a");
      return (
        <Segments
          value={v}
          onChange={setV}
          label="排序"
          data-testid="order"
          options={[
            { value: "a", label: "按相关度" },
            { value: "b", label: "按发布日期" },
          ]}
        />
      );
    }
    render(<Choice />);
    const group = screen.getByRole("radiogroup", { name: "排序" });
    const radios = [...group.querySelectorAll<HTMLInputElement>("input[type=radio]")];
    expect(radios.map((r) => r.checked)).toEqual([true, false]);
    // One name: the keyboard moves between them with the arrows, one Tab stop for all.
    expect(new Set(radios.map((r) => r.name)).size).toBe(1);
    expect(radios[0]?.name).not.toBe("");
    fireEvent.click(screen.getByLabelText("按发布日期"));
    expect(radios.map((r) => r.checked)).toEqual([false, true]);
    expect(group.querySelector(".segment-chosen")?.textContent).toBe("按发布日期");
  });

  it("search box: Enter searches now, but not while pinyin is composed; the clear button empties it", () => {
    const onEnter = vi.fn();
    function Box() {
      const [v, setV] = useState("");
      return <SearchBox value={v} onChange={setV} onEnter={onEnter} clearLabel="清空搜索" aria-label="搜索" data-testid="search" />;
    }
    render(<Box />);
    const input = screen.getByTestId<HTMLInputElement>("search");
    // Nothing to clear yet.
    expect(screen.queryByLabelText("清空搜索")).toBeNull();
    fireEvent.change(input, { target: { value: "复工" } });
    fireEvent.keyDown(input, { key: "Enter", isComposing: true });
    expect(onEnter).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onEnter).toHaveBeenCalledWith("复工");
    fireEvent.click(screen.getByLabelText("清空搜索"));
    expect(input.value).toBe("");
    expect(document.activeElement).toBe(input);
    expect(screen.queryByLabelText("清空搜索")).toBeNull();
  });

  it("select: its first entry is none, chosen again it gives null", () => {
    const onChange = vi.fn();
    render(
      <SelectBox
        value="310115"
        onChange={onChange}
        placeholder="区"
        label="按区筛选"
        width={130}
        options={[
          { value: "310101", label: "黄浦区" },
          { value: "310115", label: "浦东新区" },
        ]}
      />,
    );
    const select = screen.getByLabelText<HTMLSelectElement>("按区筛选");
    expect(select.value).toBe("310115");
    expect([...select.options].map((o) => o.text)).toEqual(["区", "黄浦区", "浦东新区"]);
    fireEvent.change(select, { target: { value: "310101" } });
    fireEvent.change(select, { target: { value: "" } });
    expect(onChange.mock.calls).toEqual([["310101"], [null]]);
  });

  it("select: a value chosen but not among the options is shown, not the none entry", () => {
    render(<SelectBox value="310115" onChange={vi.fn()} placeholder="全部区" label="按区筛选" width={130} options={[]} />);
    const select = screen.getByLabelText<HTMLSelectElement>("按区筛选");
    expect(select.value).toBe("310115");
    expect([...select.options].map((o) => o.text)).toEqual(["全部区", "310115"]);
  });

  it("date range: either end alone, and neither end before the other", () => {
    const onChange = vi.fn();
    render(<DateRange value={["2022-05-01", ""]} onChange={onChange} fromLabel="自" toLabel="至" />);
    const from = screen.getByLabelText<HTMLInputElement>("自");
    const to = screen.getByLabelText<HTMLInputElement>("至");
    expect(from.type).toBe("date");
    // The end must not come before the start the box holds.
    expect(to.min).toBe("2022-05-01");
    expect(from.max).toBe("");
    fireEvent.change(to, { target: { value: "2022-05-31" } });
    fireEvent.change(from, { target: { value: "" } });
    // An end typed before the start stays as typed in its box (a year typed digit by digit
    // passes through 0002-…); the search takes the range the right way round.
    fireEvent.change(to, { target: { value: "0002-04-15" } });
    expect(onChange.mock.calls).toEqual([[["2022-05-01", "2022-05-31"]], [["", ""]], [["2022-05-01", "0002-04-15"]]]);
    expect(inOrder(["2022-05-01", "2022-04-15"])).toEqual(["2022-04-15", "2022-05-01"]);
    expect(inOrder(["2022-05-01", ""])).toEqual(["2022-05-01", ""]);
    expect(inOrder(["", "2022-04-15"])).toEqual(["", "2022-04-15"]);
  });
});
