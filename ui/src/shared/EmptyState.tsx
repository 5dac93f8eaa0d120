import type { ReactNode } from "react";
import { InboxOutlined } from "@ant-design/icons";

/** Nothing to show, and why: drawn as antd's Empty draws it, without antd's code. */
export default function EmptyState({ description, "data-testid": testId }: { description: ReactNode; "data-testid"?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <InboxOutlined className="empty-state-icon" aria-hidden />
      <div className="empty-state-text">{description}</div>
    </div>
  );
}
