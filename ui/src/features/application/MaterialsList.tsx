import { useState } from "react";
import { App as AntApp, Alert, Button, List, Typography } from "antd";
import { commands, unwrap } from "../../shared/api";
import type { ApplicationDraft_Serialize as Draft, DraftFile, FormKind } from "../../bindings";
import { toErrorInfo } from "../../shared/errors";
import { fill, useMessages } from "../../shared/i18n";
import MaterialRow from "./MaterialRow";
import type { RowError } from "./MaterialRow";
import { messages } from "./messages";
import { useFileDrop } from "../../shared/useFileDrop";
import { said, saidError } from "../../shared/said";

/**
 * Every material of the application, each row taking files picked or dropped onto it. What
 * a row refuses stays in that row until its next success; nothing else on the page moves.
 */
export default function MaterialsList({
  enterprise,
  draft,
  active,
  onChanged,
}: {
  enterprise: string;
  draft: Draft;
  /** The tab is on screen: drops go to its rows. */
  active: boolean;
  onChanged: () => void;
}) {
  const t = useMessages(messages);
  const { message } = AntApp.useApp();
  const [errors, setErrors] = useState<Record<string, RowError[]>>({});
  const [busy, setBusy] = useState<Record<string, boolean>>({});

  const setRow = (type: string, list: RowError[]) => {
    setErrors((e) => ({ ...e, [type]: list }));
  };
  const run = <T,>(type: string, call: () => Promise<T>, then: (v: T) => void) => {
    setBusy((b) => ({ ...b, [type]: true }));
    call()
      .then((v) => {
        setRow(type, []);
        then(v);
        onChanged();
      })
      .catch((e: unknown) => {
        setRow(type, [{ name: null, error: toErrorInfo(e) }]);
      })
      .finally(() => {
        setBusy((b) => ({ ...b, [type]: false }));
      });
  };

  const over = useFileDrop(
    "data-material-type",
    active,
    (type, dropId) => {
      setBusy((b) => ({ ...b, [type]: true }));
      unwrap(commands.applicationAddDropped(enterprise, type, dropId))
        .then((outcomes) => {
          const refused: RowError[] = [];
          for (const o of outcomes) {
            if (o.file) void message.success(said(messages, "added", { name: o.file.filename }));
            if (o.error) refused.push({ name: o.name, error: o.error });
          }
          setRow(type, refused);
          onChanged();
        })
        .catch((e: unknown) => {
          setRow(type, [{ name: null, error: toErrorInfo(e) }]);
        })
        .finally(() => {
          setBusy((b) => ({ ...b, [type]: false }));
        });
    },
    () => {
      void message.warning(said(messages, "dropOnRow"));
    },
  );

  const pick = (type: string, name: string) => {
    run(type, () => unwrap(commands.applicationPickFile(enterprise, type, fill(t("pickTitle"), { name }))), (f) => {
      if (f) void message.success(said(messages, "added", { name: f.filename }));
    });
  };
  const remove = (type: string, file: DraftFile) => {
    run(type, () => unwrap(commands.applicationRemoveFile(enterprise, file.id)), () => undefined);
  };
  const attachRoster = (type: string) => {
    run(type, () => unwrap(commands.applicationAttachRoster(enterprise)), () => {
      void message.success(said(messages, "rosterAttached"));
    });
  };
  const generate = (type: string, kind: FormKind) => {
    run(type, () => unwrap(commands.applicationGenerateForm(enterprise, kind, t(`generateTitle_${kind}`))), (path) => {
      if (path) void message.success(said(messages, "generated", { path }), 8);
    });
  };
  const removeOrphan = (file: DraftFile) => {
    unwrap(commands.applicationRemoveFile(enterprise, file.id))
      .then(onChanged)
      .catch((e: unknown) => {
        void message.error(saidError(toErrorInfo(e)));
      });
  };

  const correcting = draft.record_id !== null;
  return (
    <div data-testid="materials">
      <Typography.Paragraph type="secondary">{t("materialsHint")}</Typography.Paragraph>
      {draft.slots.map((slot) => {
        const type = slot.rule.material_type;
        return (
          <MaterialRow
            key={type}
            slot={slot}
            correcting={correcting}
            over={over === type}
            errors={errors[type] ?? []}
            busy={busy[type] ?? false}
            form={draft.forms.find((f) => f.kind === type)}
            rosterCount={draft.roster_count}
            onPick={() => {
              pick(type, slot.rule.name);
            }}
            onRemove={(f) => {
              remove(type, f);
            }}
            onAttachRoster={() => {
              attachRoster(type);
            }}
            onGenerate={(kind) => {
              generate(type, kind);
            }}
          />
        );
      })}
      {draft.orphans.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="orphans"
          style={{ marginBottom: 12 }}
          message={t("orphansTitle")}
          description={
            <>
              <Typography.Text type="secondary">{t("orphansHint")}</Typography.Text>
              <List
                size="small"
                dataSource={draft.orphans}
                renderItem={(f) => (
                  <List.Item
                    data-testid="orphan-file"
                    actions={[
                      <Button
                        key="remove"
                        size="small"
                        danger
                        onClick={() => {
                          removeOrphan(f);
                        }}
                        data-testid="remove-orphan"
                      >
                        {t("removeFile")}
                      </Button>,
                    ]}
                  >
                    <Typography.Text style={{ overflowWrap: "anywhere" }}>
                      {f.filename} <Typography.Text type="secondary">· {f.material_type}</Typography.Text>
                    </Typography.Text>
                  </List.Item>
                )}
              />
            </>
          }
        />
      )}
    </div>
  );
}
