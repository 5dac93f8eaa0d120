import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { commands, unwrap } from "../../shared/api";
import type { DemoAccount, ErrorInfo, Status_Serialize as Status } from "../../bindings";
import ErrorAlert from "../../shared/ErrorAlert";
import LanguageSwitch from "../../shared/LanguageSwitch";
import Notice from "../../shared/Notice";
import PlainButton from "../../shared/PlainButton";
import { toErrorInfo } from "../../shared/errors";
import { useI18n, useMessages } from "../../shared/i18n";
import { districtLabel, industryLabel } from "../../shared/places";
import { messages } from "./messages";
import Panel from "../../shared/Panel";
import PickList from "./PickList";
import TextField from "./TextField";

interface Props {
  status: Status;
  onSignedIn: () => void;
  onChangeServer: () => void;
  /** Back to the enterprise on screen (when adding another, or signing in again). */
  onCancel?: (() => void) | undefined;
  /** Fill in this enterprise's credit code (signing in again). */
  creditCode?: string | undefined;
}

/**
 * The page most starts open on, so it is drawn without antd: its first chunk then holds
 * React and this page, not antd's components and stylesheet, and the window shows it in
 * about a third of the time (see `App.tsx`). Its controls are drawn as antd's are.
 */
export default function SignInPage({ status, onSignedIn, onChangeServer, onCancel, creditCode }: Props) {
  const t = useMessages(messages);
  const { t: shared, locale } = useI18n();
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  // Each box's error shows once the form was sent with it empty, until it is filled.
  const [tried, setTried] = useState(false);
  const codeBox = useRef<HTMLInputElement>(null);
  const passwordBox = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [demo, setDemo] = useState<DemoAccount[]>([]);
  const isDemo = status.server?.kind === "demo";
  const known = status.enterprises;

  useEffect(() => {
    if (isDemo) {
      void commands.demoAccounts().then(setDemo);
    }
  }, [isDemo]);

  // Filled once, with the enterprise signing in again (or the one on screen when there is
  // no other way in); never while the officer types another's code to add it.
  const adding = onCancel !== undefined && creditCode === undefined;
  const onScreen = status.account?.credit_code;
  useEffect(() => {
    const filled = creditCode ?? (adding ? undefined : onScreen);
    if (filled) setCode(filled);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [creditCode]);

  const codeError = tried && !code.trim() ? t("creditCodeRequired") : null;
  const passwordError = tried && !password ? t("passwordRequired") : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Enter in a box while a sign-in is on its way sends nothing more.
    if (busy) return;
    setTried(true);
    if (!code.trim() || !password) {
      // The officer is taken to the first box to fill.
      (code.trim() ? passwordBox : codeBox).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await unwrap(commands.signIn(code.trim(), password));
      setPassword("");
      onSignedIn();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  const open = async (enterprise: string) => {
    setError(null);
    try {
      await unwrap(commands.switchEnterprise(enterprise));
      onSignedIn();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  return (
    <div className="centered-page">
      <div className="stack-large" style={{ width: 520 }}>
        <Panel
          title={
            <>
              <div>{onCancel ? t("addEnterpriseTitle") : t("signInTitle")}</div>
              <div>
                <span className="secondary-text small-text">
                  {status.server?.kind === "url" ? status.server.url : t("serverDemo")}
                </span>
              </div>
            </>
          }
          extra={<LanguageSwitch />}
          data-testid="sign-in-page"
        >
          {!status.online && <Notice type="warning" message={t("offlineSignIn")} style={{ marginBottom: 16 }} />}
          <ErrorAlert error={error} />
          <form onSubmit={(e) => void submit(e)} noValidate>
            <TextField
              id="sign-in-credit-code"
              ref={codeBox}
              label={t("creditCode")}
              hint={t("creditCodeHint")}
              error={codeError}
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
              }}
              data-testid="credit-code"
              maxLength={18}
              autoComplete="username"
              aria-required
            />
            <TextField
              id="sign-in-password"
              ref={passwordBox}
              password
              label={t("password")}
              error={passwordError}
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
              }}
              data-testid="password"
              autoComplete="current-password"
              aria-required
            />
            <div className="row-small">
              <PlainButton kind="primary" type="submit" busy={busy} data-testid="sign-in">
                {t("signIn")}
              </PlainButton>
              {onCancel ? (
                <PlainButton onClick={onCancel} data-testid="sign-in-back">
                  {shared("back")}
                </PlainButton>
              ) : (
                <PlainButton kind="link" onClick={onChangeServer} data-testid="change-server">
                  {t("changeServer")}
                </PlainButton>
              )}
            </div>
          </form>
        </Panel>
        {!onCancel && known.length > 0 && (
          <Panel small title={t("onThisComputer")} data-testid="known-enterprises">
            <PickList
              items={known.map((e) => ({
                key: e.id,
                testId: "known-enterprise",
                title: (
                  <span className="row-tiny">
                    <span
                      style={{ cursor: "pointer" }}
                      onClick={() => {
                        setCode(e.profile.credit_code);
                      }}
                    >
                      {e.profile.name}
                    </span>
                    {!e.signed_in && <span className="plain-tag">{t("signedOut")}</span>}
                  </span>
                ),
                description: (
                  <span className="row-tiny">
                    <span>{e.profile.credit_code}</span>
                    {e.queued + e.parked > 0 && (
                      <>
                        <span className="count-badge">{e.queued + e.parked}</span>
                        <span>{t("waiting")}</span>
                      </>
                    )}
                  </span>
                ),
                action: (
                  <PlainButton small onClick={() => void open(e.id)}>
                    {t("open")}
                  </PlainButton>
                ),
              }))}
            />
          </Panel>
        )}
        {isDemo && demo.length > 0 && (
          <Panel small title={t("demoAccounts")}>
            <PickList
              items={demo.map((a) => ({
                key: a.credit_code,
                testId: "demo-account",
                title: a.name,
                description: `${a.credit_code} · ${districtLabel(a.district, locale)} · ${industryLabel(a.industry, locale)}`,
                onPick: () => {
                  setCode(a.credit_code);
                  setPassword(a.password);
                },
              }))}
            />
          </Panel>
        )}
      </div>
    </div>
  );
}
