import { useEffect, useRef, useState } from "react";
import { Alert, Col, Form, Input, Row, Space, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import { errorText, toErrorInfo } from "../../shared/errors";
import type { ErrorInfo } from "../../bindings";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { messages } from "./messages";

/** How long typing may pause before the fields are saved anyway. */
export const SAVE_AFTER_MS = 600;

interface Fields {
  name: string;
  phone: string;
  note: string;
}

const same = (a: Fields, b: Fields) => a.name === b.name && a.phone === b.phone && a.note === b.note;

/**
 * The contact and the note, saved when typing pauses or a field is left, so a crash loses at
 * most the last keystrokes; leaving the page while typing still saves what was typed.
 */
export default function ContactFields({
  enterprise,
  initial,
  rosterCount,
}: {
  enterprise: string;
  initial: Fields;
  rosterCount: number;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const navigate = useNavigate();
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const committed = useRef(initial);
  const latest = useRef(initial);
  const timer = useRef<number | undefined>(undefined);
  // Once the officer typed here, the fields show what they typed: a reload (another field
  // saved, a sync) cannot flick them back. Until then a new draft replaces them.
  const typed = useRef(false);
  useEffect(() => {
    if (typed.current) return;
    const next = { name: initial.name, phone: initial.phone, note: initial.note };
    setValues(next);
    latest.current = next;
    committed.current = next;
  }, [initial.name, initial.phone, initial.note]);

  // The latest closure (the enterprise may not change, but the linter cannot know).
  const save = useRef<(v: Fields) => void>(() => undefined);
  save.current = (v: Fields) => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    if (same(v, committed.current)) return;
    committed.current = v;
    unwrap(commands.applicationSaveFields(enterprise, v.name, v.phone, v.note))
      .then(() => {
        setError(null);
      })
      .catch((e: unknown) => {
        setError(toErrorInfo(e));
      });
  };
  // Leaving while typing still saves what was typed.
  useEffect(
    () => () => {
      if (timer.current !== undefined) save.current(latest.current);
    },
    [],
  );

  const change = (field: keyof Fields, text: string) => {
    typed.current = true;
    const next = { ...latest.current, [field]: text };
    latest.current = next;
    setValues(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      save.current(latest.current);
    }, SAVE_AFTER_MS);
  };
  const blur = () => {
    save.current(latest.current);
  };

  return (
    <div id="application-contact">
      <Form layout="vertical" component="div">
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item label={t("fieldContactName")} required>
              <Input
                value={values.name}
                maxLength={50}
                onChange={(e) => {
                  change("name", e.target.value);
                }}
                onBlur={blur}
                data-testid="contact-name"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t("fieldContactPhone")} required>
              <Input
                value={values.phone}
                maxLength={20}
                onChange={(e) => {
                  change("phone", e.target.value);
                }}
                onBlur={blur}
                data-testid="contact-phone"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t("fieldNote")}>
          <Input.TextArea
            value={values.note}
            maxLength={2000}
            showCount
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={t("notePlaceholder")}
            onChange={(e) => {
              change("note", e.target.value);
            }}
            onBlur={blur}
            data-testid="application-note"
          />
        </Form.Item>
      </Form>
      {error && (
        <Alert type="error" showIcon message={t("saveFieldsFailed")} description={errorText(error, locale)} style={{ marginBottom: 12 }} data-testid="contact-error" />
      )}
      <Space wrap>
        <Typography.Text data-testid="returning-staff">{fill(t("returningStaff"), { n: rosterCount })}</Typography.Text>
        <Typography.Link
          onClick={() => {
            navigate("roster");
          }}
          data-testid="to-roster"
        >
          {t("manageRoster")}
        </Typography.Link>
      </Space>
    </div>
  );
}
