import { Space, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import type { Deadline, ResponseClock as Clock } from "../../bindings";
import { fill, useMessages } from "../../shared/i18n";
import { messages } from "./messages";

const TIME = "MM-DD HH:mm";

function DeadlineTag({ which, d }: { which: "contact" | "reply"; d: Deadline }) {
  const t = useMessages(messages);
  const left = d.working_minutes_left ?? 0;
  const label = t(which === "contact" ? "clockContact" : "clockReply");
  let state: string;
  if (d.met && d.met_at) {
    state = fill(t(d.overdue ? "clockMetLate" : "clockMet"), { at: dayjs(d.met_at).format(TIME) });
  } else if (d.overdue) {
    state = fill(t("clockOverdue"), { n: Math.max(1, Math.round(-left / 60)) });
  } else if (left < 120) {
    state = fill(t("clockLeft"), { n: left });
  } else {
    state = fill(t("clockLeftHours"), { n: Math.round(left / 60) });
  }
  const color = d.overdue ? "red" : d.met ? "green" : "gold";
  return (
    <Tag
      color={color}
      data-testid={`appeal-clock-${which}`}
      data-met={String(d.met)}
      data-overdue={String(d.overdue)}
      style={{ whiteSpace: "normal" }}
    >
      {label} {dayjs(d.due_at).format(TIME)} · {state}
    </Tag>
  );
}

/** The two promises of an appeal (contact, first reply), in working time, red when broken. */
export default function ResponseClock({ clock, compact }: { clock: Clock; compact?: boolean }) {
  const t = useMessages(messages);
  const tags = (
    <Space size={4} wrap data-testid="appeal-clock">
      <DeadlineTag which="contact" d={clock.contact} />
      <DeadlineTag which="reply" d={clock.reply} />
    </Space>
  );
  if (!clock.estimated) return tags;
  return compact ? (
    <Tooltip title={t("clockEstimated")}>{tags}</Tooltip>
  ) : (
    <Space direction="vertical" size={2}>
      {tags}
      <Typography.Text type="secondary" data-testid="appeal-clock-estimated">
        {t("clockEstimated")}
      </Typography.Text>
    </Space>
  );
}
