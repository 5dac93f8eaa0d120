import { useCallback, useEffect, useRef, useState } from "react";
import { App as AntApp, Alert, Button, Card, List, Progress, Result, Space, Steps, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { AnswerValue, DraftView_Serialize as DraftView, ErrorInfo, RunSummary } from "../../bindings";
import { errorText, toErrorInfo } from "../../shared/errors";
import { fill, labelled, useI18n, useMessages } from "../../shared/i18n";
import { useTopics } from "../../shared/useTopics";
import { DocumentDrawer } from "../documents/DocumentDrawer";
import ItemCard from "./ItemCard";
import { messages } from "./messages";
import { said, saidError } from "../../shared/said";

/** The wizard: one step per section, then the verdict. Every answer is saved as it is given. */
export default function Wizard({
  enterprise,
  initial,
  focus,
  onBack,
  onFinished,
}: {
  enterprise: string;
  initial: DraftView;
  /** An item to show: its section opens and it is scrolled to and marked. */
  focus?: { item: string; n: number };
  onBack: () => void;
  onFinished: (run: RunSummary) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const { message } = AntApp.useApp();
  const [view, setView] = useState(initial);
  const [step, setStep] = useState(initial.step);
  // Kept as the core said them and put in words as they are shown, so a language switch
  // changes them too.
  const [errors, setErrors] = useState<Record<string, ErrorInfo | null>>({});
  const [cite, setCite] = useState<{ id: string; clause: string } | null>(null);
  const [finishing, setFinishing] = useState(false);
  // Answers on their way to the database: the header says "saving" until they land.
  const [pending, setPending] = useState(0);
  const templateId = view.template.id;
  const sections = view.template.sections;
  const top = useRef<HTMLDivElement | null>(null);
  // A newer version synced while the wizard is open: offered, not forced mid-answer.
  const [newer, setNewer] = useState<number | null>(null);
  const checkVersion = useCallback(() => {
    unwrap(commands.selfcheckOverview(enterprise))
      .then((o) => {
        const current = o.templates.find((e) => e.template.id === templateId)?.template.version;
        setNewer(current !== undefined && current !== view.template.version ? current : null);
      })
      .catch(() => undefined);
  }, [enterprise, templateId, view.template.version]);
  useTopics(enterprise, ["catalog"], checkVersion);
  const reopen = () => {
    unwrap(commands.openSelfcheck(enterprise, templateId))
      .then((v) => {
        setView(v);
        setStep(v.step);
        setNewer(null);
      })
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      });
  };

  // Answers go one after another, in the order given: a later answer never lands first.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const send = useCallback(
    (itemId: string, call: () => Promise<DraftView | null>) => {
      setPending((n) => n + 1);
      queue.current = queue.current.then(() =>
        call()
          .then((v) => {
            if (v) setView(v);
            setErrors((e) => ({ ...e, [itemId]: null }));
          })
          .catch((e: unknown) => {
            const info = toErrorInfo(e);
            setErrors((old) => ({ ...old, [itemId]: info }));
          })
          .finally(() => {
            setPending((n) => n - 1);
          }),
      );
    },
    [],
  );
  const answer = useCallback(
    (itemId: string, value: AnswerValue | null) => {
      send(itemId, () => unwrap(commands.answerSelfcheckItem(enterprise, templateId, itemId, value)));
    },
    [send, enterprise, templateId],
  );
  // In the same queue as answers: a view computed before the file came never lands after it.
  const pick = (itemId: string) => {
    send(itemId, () => unwrap(commands.pickSelfcheckEvidence(enterprise, templateId, itemId, t("pickTitle"))));
  };

  const go = (next: number) => {
    setStep(next);
    top.current?.scrollIntoView({ block: "start" });
    unwrap(commands.setSelfcheckStep(enterprise, templateId, next)).catch(() => undefined);
  };
  useEffect(() => {
    top.current?.scrollIntoView({ block: "start" });
  }, []);

  // The item a link asked for: its section, then the item itself once that section shows.
  const [flash, setFlash] = useState<string | null>(null);
  const focusItem = focus?.item;
  const focusN = focus?.n;
  useEffect(() => {
    if (focusItem === undefined) return;
    const index = sections.findIndex((s) => s.items.some((i) => i.id === focusItem));
    if (index < 0) {
      void message.info(said(messages, "focusMissing"));
      return;
    }
    setStep(index);
    unwrap(commands.setSelfcheckStep(enterprise, templateId, index)).catch(() => undefined);
    if (view.items.find((i) => i.item_id === focusItem)?.status === "hidden") {
      void message.info(said(messages, "focusHidden"));
      return;
    }
    setFlash(focusItem);
    // Only a new request moves the wizard: answers arriving later leave it where it is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusItem, focusN]);
  useEffect(() => {
    if (flash === null) return;
    document.querySelector(`[data-testid="item-${flash}"]`)?.scrollIntoView({ block: "center" });
  }, [flash, step]);

  const finish = () => {
    setFinishing(true);
    queue.current = queue.current.then(() =>
      unwrap(commands.finishSelfcheck(enterprise, templateId))
        .then((run) => {
          void message.success(said(messages, "finished"));
          onFinished(run);
        })
        .catch((e: unknown) => {
          void message.error(saidError(toErrorInfo(e)));
        })
        .finally(() => {
          setFinishing(false);
        }),
    );
  };

  const dismiss = () => {
    unwrap(commands.dismissTemplateChanges(enterprise, templateId))
      .then(() => {
        setView((v) => ({ ...v, changes: null }));
      })
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      });
  };

  const stateOf = (id: string) => view.items.find((i) => i.item_id === id);
  const onVerdict = step >= sections.length;
  const section = sections[Math.min(step, sections.length - 1)];
  const shownIn = (sectionId: string) => view.items.filter((i) => i.section_id === sectionId && i.status !== "hidden");
  const percent = view.shown === 0 ? 0 : Math.round((view.answered / view.shown) * 100);

  return (
    <div ref={top}>
      <Card
        title={
          <Space direction="vertical" size={0}>
            <span data-testid="wizard-title">{view.template.title}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
              {fill(t("version"), { n: view.template.version })} · {fill(t("progress"), { a: view.answered, b: view.shown })} ·{" "}
              <span data-testid="save-state">{pending > 0 ? t("saving") : t("savedLocally")}</span>
            </Typography.Text>
          </Space>
        }
        extra={
          <Button onClick={onBack} data-testid="wizard-back">
            {t("back")}
          </Button>
        }
        data-testid="wizard"
      >
        <Progress percent={percent} size="small" style={{ marginBottom: 12 }} data-testid="wizard-progress" />
        {newer !== null && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="template-newer"
            message={fill(t("newerTemplate"), { n: newer })}
            action={
              <Button size="small" type="primary" onClick={reopen} data-testid="load-newer">
                {t("loadNewer")}
              </Button>
            }
          />
        )}
        {view.changes && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="template-changes"
            message={fill(t("changesTitle"), { a: view.changes.from_version, b: view.changes.to_version })}
            description={
              <Space direction="vertical" size={4} style={{ width: "100%" }}>
                <span>{t("changesBody")}</span>
                {(
                  [
                    ["changesAdded", view.changes.added],
                    ["changesChanged", view.changes.changed],
                    ["changesRemoved", view.changes.removed],
                  ] as const
                ).map(([label, list]) =>
                  list.length === 0 ? null : (
                    <details key={label} data-testid={`changes-${label}`}>
                      <summary>
                        {labelled(locale, t(label))}
                        {list.length}
                      </summary>
                      <ul style={{ margin: "4px 0" }}>
                        {list.map((i) => (
                          <li key={i.id}>{i.prompt || i.id}</li>
                        ))}
                      </ul>
                    </details>
                  ),
                )}
              </Space>
            }
            action={
              <Button size="small" onClick={dismiss} data-testid="dismiss-changes">
                {t("dismiss")}
              </Button>
            }
          />
        )}
        <Steps
          size="small"
          current={step}
          onChange={go}
          direction="horizontal"
          responsive={false}
          className="selfcheck-steps"
          items={[
            ...sections.map((s, index) => {
              const shown = shownIn(s.id);
              const failing = shown.some((i) => i.status === "fail");
              const open = shown.some((i) => i.status === "open" || i.recheck);
              return {
                title: (
                  <span data-testid={`step-${s.id}`} title={s.title}>
                    {s.title}
                  </span>
                ),
                status: failing ? ("error" as const) : open || index === step ? undefined : ("finish" as const),
              };
            }),
            { title: <span data-testid="step-verdict">{t("verdictStep")}</span> },
          ]}
        />
      </Card>

      {!onVerdict && section && (
        <Card title={section.title} style={{ marginTop: 16 }} data-testid={`section-${section.id}`}>
          {shownIn(section.id).length === 0 && <Alert type="info" showIcon message={t("sectionEmpty")} data-testid="section-empty" />}
          {section.items.map((item) => {
            const st = stateOf(item.id);
            if (!st || st.status === "hidden") return null;
            const err = errors[item.id];
            return (
              <ItemCard
                key={item.id}
                item={item}
                state={st}
                sourceTitle={view.sources.find((x) => x.document_id === item.cites.document_id)?.title}
                highlighted={flash === item.id}
                error={err ? errorText(err, locale) : null}
                onAnswer={(v) => {
                  answer(item.id, v);
                }}
                onPick={() => {
                  pick(item.id);
                }}
                onCite={(id, clause) => {
                  setCite({ id, clause });
                }}
              />
            );
          })}
          <Space style={{ marginTop: 8 }}>
            <Button
              disabled={step === 0}
              onClick={() => {
                go(step - 1);
              }}
              data-testid="wizard-prev"
            >
              {t("prev")}
            </Button>
            <Button
              type="primary"
              onClick={() => {
                go(step + 1);
              }}
              data-testid="wizard-next"
            >
              {t("next")}
            </Button>
          </Space>
        </Card>
      )}

      {onVerdict && (
        <Card style={{ marginTop: 16 }} data-testid="verdict">
          <Result
            status={view.verdict.passed ? "success" : "warning"}
            title={<span data-testid="verdict-title">{view.verdict.passed ? t("verdictPass") : t("verdictFail")}</span>}
            subTitle={view.verdict.passed ? t("verdictPassSub") : fill(t("verdictFailSub"), { n: view.verdict.failures.length })}
            extra={
              <Space direction="vertical">
                {view.recheck > 0 && <Alert type="warning" showIcon message={fill(t("recheckPending"), { n: view.recheck })} />}
                <Space>
                  <Button
                    onClick={() => {
                      go(sections.length - 1);
                    }}
                  >
                    {t("prev")}
                  </Button>
                  <Button type="primary" onClick={finish} loading={finishing} disabled={view.recheck > 0} data-testid="finish-selfcheck">
                    {t("finish")}
                  </Button>
                </Space>
              </Space>
            }
          />
          {view.verdict.failures.length > 0 && (
            <List
              bordered
              dataSource={view.verdict.failures}
              data-testid="failures"
              renderItem={(f) => {
                const index = sections.findIndex((s) => s.id === f.section_id);
                return (
                  <List.Item
                    data-testid={`failure-${f.item_id}`}
                    actions={
                      index >= 0
                        ? [
                            <Button
                              key="go"
                              size="small"
                              onClick={() => {
                                go(index);
                              }}
                            >
                              {t("goTo")}
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <List.Item.Meta
                      title={f.prompt || f.item_id}
                      description={<span data-testid={`reason-${f.item_id}`}>{locale === "zh-CN" ? f.reason_zh : f.reason_en}</span>}
                    />
                  </List.Item>
                );
              }}
            />
          )}
        </Card>
      )}
      <DocumentDrawer
        id={cite?.id ?? null}
        enterprise={enterprise}
        clause={cite?.clause}
        onClose={() => {
          setCite(null);
        }}
      />
    </div>
  );
}
