import { Alert, Button, Space, Tag, Tooltip, Typography } from "antd";
import { DeleteOutlined, FilePdfOutlined, PaperClipOutlined, TeamOutlined, UploadOutlined } from "@ant-design/icons";
import type { DraftFile, ErrorInfo, FormKind, FormState_Serialize as FormState, MaterialSlot } from "../../bindings";
import { errorText } from "../../shared/errors";
import { fill, useI18n, useMessages } from "../../shared/i18n";
import { useNavigate } from "../../shared/navigation";
import { formatSize, limitsLine, shortHash } from "./format";
import { messages } from "./messages";

/** Why a file was not taken, with its name when several came at once (a drop). */
export interface RowError {
  name: string | null;
  error: ErrorInfo;
}

const STAFF_LIST = "staff_list";
const FORM_KINDS: readonly FormKind[] = ["application_form", "commitment_letter"];

function isFormKind(t: string): t is FormKind {
  return (FORM_KINDS as readonly string[]).includes(t);
}

/** One file of a material, with what changed about it since it was added. */
function FileLine({ type, file, onRemove }: { type: string; file: DraftFile; onRemove: () => void }) {
  const t = useMessages(messages);
  return (
    <Space wrap size={[6, 2]} data-testid={`file-${type}`} data-file-id={file.id} style={{ width: "100%" }}>
      <PaperClipOutlined />
      <Typography.Text style={{ overflowWrap: "anywhere" }}>{file.filename}</Typography.Text>
      <Typography.Text type="secondary" style={{ whiteSpace: "nowrap" }}>
        {formatSize(file.size)} · <span style={{ fontFamily: "monospace" }}>{shortHash(file.sha256)}</span>
      </Typography.Text>
      {file.carried && <Tag color="blue">{t("carried")}</Tag>}
      {file.source === "changed" && (
        <Tooltip title={t("sourceChangedHint")}>
          <Tag color="orange" data-testid="source-changed">{t("sourceChanged")}</Tag>
        </Tooltip>
      )}
      {file.source === "missing" && (
        <Tooltip title={t("sourceMissingHint")}>
          <Tag color="gold" data-testid="source-missing">{t("sourceMissing")}</Tag>
        </Tooltip>
      )}
      {!file.stored && (
        <Tooltip title={t("copyLostHint")}>
          <Tag color="red" data-testid="copy-lost">{t("copyLost")}</Tag>
        </Tooltip>
      )}
      <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid={`remove-file-${type}`}>
        {t("removeFile")}
      </Button>
    </Space>
  );
}

/**
 * A material of the application: what it is, its limits, what a correction asks of it, its
 * files, and the ways to add one. Dropping files onto the row adds them here; a refused file
 * says why right in the row.
 */
export default function MaterialRow({
  slot,
  correcting,
  over,
  errors,
  busy,
  form,
  rosterCount,
  onPick,
  onRemove,
  onAttachRoster,
  onGenerate,
}: {
  slot: MaterialSlot;
  correcting: boolean;
  /** Files are being dragged over this row. */
  over: boolean;
  errors: RowError[];
  busy: boolean;
  form: FormState | undefined;
  rosterCount: number;
  onPick: () => void;
  onRemove: (file: DraftFile) => void;
  onAttachRoster: () => void;
  onGenerate: (kind: FormKind) => void;
}) {
  const t = useMessages(messages);
  const { locale } = useI18n();
  const navigate = useNavigate();
  const { rule } = slot;
  const type = rule.material_type;
  const kind = isFormKind(type) ? type : null;
  return (
    <div
      data-testid={`material-${type}`}
      data-material-type={type}
      style={{
        border: over ? "2px dashed #c0392b" : "1px solid #f0f0f0",
        background: over ? "#fff7f5" : undefined,
        borderRadius: 8,
        // The dashed border is thicker: the padding gives it back, so nothing moves.
        padding: over ? 11 : 12,
        marginBottom: 12,
      }}
    >
      <Space direction="vertical" size={4} style={{ width: "100%" }}>
        <Space wrap size={[8, 4]}>
          <Typography.Text strong>{rule.name}</Typography.Text>
          <Tag color={rule.required ? "red" : undefined}>{rule.required ? t("required") : t("optional")}</Tag>
          {correcting && (
            <Tag color={slot.changed ? "green" : undefined} data-testid={`changed-${type}`}>
              {slot.changed ? t("replaced") : t("notReplaced")}
            </Tag>
          )}
          {kind && (
            <Tag
              color={form?.generated_at ? (form.current ? "green" : "orange") : undefined}
              data-testid={`form-state-${kind}`}
              data-state={form?.generated_at ? (form.current ? "current" : "stale") : "none"}
            >
              {form?.generated_at ? (form.current ? t("formGenerated") : t("formStale")) : t("formNone")}
            </Tag>
          )}
          {over && <Typography.Text type="danger">{fill(t("dropHere"), { name: rule.name })}</Typography.Text>}
        </Space>
        {rule.description && <Typography.Text type="secondary">{rule.description}</Typography.Text>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`limits-${type}`}>
          {limitsLine(rule, t, locale)}
        </Typography.Text>
        {slot.asked.length > 0 && (
          <div data-testid={`asked-${type}`}>
            {slot.asked.map((a, i) => (
              <div key={i}>
                <Typography.Text type="danger">{fill(t("askedLine"), { text: a })}</Typography.Text>
              </div>
            ))}
          </div>
        )}
        {slot.files.map((f) => (
          <FileLine
            key={f.id}
            type={type}
            file={f}
            onRemove={() => {
              onRemove(f);
            }}
          />
        ))}
        {errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid={`file-error-${type}`}
            data-code={errors.map((e) => e.error.code).join(" ")}
            message={
              <Space direction="vertical" size={0}>
                {errors.map((e, i) => (
                  <span key={i}>
                    {e.name ? fill(t("namedError"), { name: e.name, message: errorText(e.error, locale) }) : errorText(e.error, locale)}
                  </span>
                ))}
              </Space>
            }
          />
        )}
        <Space wrap size={[8, 4]} style={{ marginTop: 4 }}>
          <Button size="small" icon={<UploadOutlined />} loading={busy} onClick={onPick} data-testid={`pick-${type}`}>
            {t("pickFile")}
          </Button>
          {type === STAFF_LIST && (
            <>
              <Button size="small" icon={<TeamOutlined />} disabled={rosterCount === 0 || busy} onClick={onAttachRoster} data-testid="attach-roster">
                {fill(t("attachRoster"), { n: rosterCount })}
              </Button>
              {rosterCount === 0 && (
                <Typography.Link
                  onClick={() => {
                    navigate("roster");
                  }}
                  data-testid="attach-roster-to-roster"
                >
                  {t("toRoster")}
                </Typography.Link>
              )}
            </>
          )}
          {kind && (
            <Button
              size="small"
              icon={<FilePdfOutlined />}
              disabled={busy}
              onClick={() => {
                onGenerate(kind);
              }}
              data-testid={`generate-${kind}`}
            >
              {t(`generate_${kind}`)}
            </Button>
          )}
        </Space>
        {kind && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("formHint")}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
