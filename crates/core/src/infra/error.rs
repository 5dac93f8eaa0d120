use serde::Serialize;
use specta::Type;
use yiqifu_protocol::{CreditCodeError, ErrorCode};

/// What makes a file not a usable backup, in words an officer reads in either language; the
/// technical detail (which entry, what the parser said) goes to the log, not to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFault {
    NotZip,
    NoManifest,
    BadManifest,
    BadIndex,
    MemberMissing,
    MemberDamaged,
    OddEnterprise,
    OddEntry,
    NoDatabase,
    DamagedDatabase,
}

impl BackupFault {
    pub fn zh(self) -> &'static str {
        match self {
            Self::NotZip => "不是有效的压缩文件，或文件不完整",
            Self::NoManifest => "缺少清单文件",
            Self::BadManifest => "清单无法读取",
            Self::BadIndex => "文件目录已损坏",
            Self::MemberMissing => "备份中缺少部分文件",
            Self::MemberDamaged => "备份中有文件已损坏",
            Self::OddEnterprise => "其中的企业编号不符合规则",
            Self::OddEntry => "其中的文件名指向企业文件夹之外",
            Self::NoDatabase => "其中的企业缺少数据库",
            Self::DamagedDatabase => "其中的数据库已损坏",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::NotZip => "it is not a zip file, or is cut short",
            Self::NoManifest => "it has no manifest",
            Self::BadManifest => "its manifest cannot be read",
            Self::BadIndex => "its list of files is damaged",
            Self::MemberMissing => "a file in it is missing",
            Self::MemberDamaged => "a file in it is damaged",
            Self::OddEnterprise => "an enterprise in it has an unexpected id",
            Self::OddEntry => "a file in it points outside its enterprise's folder",
            Self::NoDatabase => "an enterprise in it has no database",
            Self::DamagedDatabase => "a database in it is damaged",
        }
    }
}

impl std::fmt::Display for BackupFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

/// The one error type of the core. The UI branches on [`Error::code`] and shows
/// [`Error::message_zh`] or [`Error::message_en`]; neither ever carries a token or password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no central service chosen yet")]
    NotConfigured,
    #[error("invalid server URL: {0}")]
    InvalidServerUrl(String),
    #[error("plain http to a non-loopback host: {0}")]
    InsecureServerUrl(String),
    #[error("cannot reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} is not a Yiqifu central service")]
    NotYiqifu { url: String },
    #[error("the service speaks API version {0}")]
    IncompatibleApi(u32),
    #[error("malformed answer from the server: {0}")]
    MalformedResponse(String),
    #[error("{0}")]
    InvalidCreditCode(#[from] CreditCodeError),
    #[error("wrong credit code or password")]
    InvalidCredentials,
    #[error("not signed in")]
    NotSignedIn,
    #[error("the session has expired")]
    SessionExpired,
    #[error("keychain: {0}")]
    Keychain(String),
    #[error("server refused ({status}): {message}")]
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    #[error("no such document: {0}")]
    NotFound(String),
    #[error("a parked {0} has nothing the officer can change")]
    NotEditable(String),
    #[error("waiting for its uploads to finish")]
    NotReady,
    #[error("no enterprise {0} on this computer")]
    NoSuchEnterprise(String),
    #[error("a queued request cannot be read: {0}")]
    UnreadablePayload(String),
    #[error("a queued {kind} (format {version}) is from another version of the app")]
    UnknownRequest { kind: String, version: u32 },
    #[error("cannot read the file {0}")]
    InvalidFile(String),
    #[error("{url} does not verify uploaded bytes (no tus checksum extension with sha256)")]
    UploadsUnverified { url: String },
    #[error("the upload {0} it needs was discarded")]
    UploadDiscarded(String),
    #[error("the local database was damaged and has been set aside: {0}")]
    DatabaseRecovered(String),
    /// The backup an update takes before it changes the databases failed; the update went on
    /// (refusing to start would lock the officer out of their work), and says so.
    #[error("the backup before the update failed: {0}")]
    UpdateBackupFailed(Box<Error>),
    #[error("the local database {path} cannot be opened now: {detail}")]
    DatabaseUnavailable { path: String, detail: String },
    #[error("the built-in demo server failed: {0}")]
    DemoServer(String),
    #[error("the company profile has bad fields")]
    InvalidProfile(Vec<yiqifu_protocol::FieldProblem>),
    #[error("no company profile yet")]
    ProfileRequired,
    /// What the officer wrote breaks a limit or a rule of the form (appeals, messages,
    /// ratings, listings); every field is named.
    #[error("fields to correct: {0:?}")]
    InvalidInput(Vec<yiqifu_protocol::FieldProblem>),
    #[error("the appeal has no reply to rate yet")]
    RatingNotOpen,
    /// A follow-up on an appeal the authority closed.
    #[error("the appeal is closed")]
    AppealClosed,
    #[error("the appeal was rated already")]
    AlreadyRated,
    #[error("no template {0} synced")]
    TemplateMissing(String),
    #[error("not a possible answer: {en}")]
    InvalidAnswer { zh: String, en: String },
    #[error("the template is now at version {0}")]
    TemplateUpdated(u32),
    #[error("{0} changed items to look at again")]
    RecheckPending(u32),
    #[error("no passing self-check: {0:?}")]
    SelfCheckRequired(crate::selfcheck::GateLock),
    /// `full`: the disk had no room, which the officer can fix differently.
    #[error("cannot save {path}: {detail}")]
    SaveFailed {
        path: String,
        detail: String,
        full: bool,
    },
    #[error("report {code}: {detail}")]
    Report { code: &'static str, detail: String },
    /// A file the checks refused (yiqifu-files' codes: FILE_WRONG_TYPE, PDF_ENCRYPTED…), or
    /// one the application cannot take (FILE_DUPLICATE, FILE_TOO_MANY, MATERIAL_UNKNOWN).
    #[error("file refused ({code}): {en}")]
    FileRefused {
        code: &'static str,
        zh: String,
        en: String,
    },
    /// A roster file that cannot be read at all (yiqifu-roster's codes: MISSING_COLUMNS…).
    #[error("roster file ({code}): {en}")]
    RosterFile {
        code: &'static str,
        zh: String,
        en: String,
    },
    #[error("the roster row has bad fields")]
    InvalidRosterRow(Vec<crate::roster::RowProblem>),
    #[error("the roster is empty")]
    RosterEmpty,
    #[error("the application is not ready: {0:?}")]
    ApplicationNotReady(Vec<crate::application::Finding>),
    #[error("packaging ({code}): {en}")]
    PackageFailed {
        code: &'static str,
        zh: String,
        en: String,
    },
    #[error("the application {0} has not been returned for corrections")]
    NotReturned(String),
    #[error("another application is being prepared")]
    DraftInProgress,
    #[error("proxy address not usable: {0}")]
    InvalidProxy(String),
    #[error(
        "the application {0} reached the service or is on its way, so it cannot be taken back"
    )]
    NotReopenable(String),
    /// Not a backup this app wrote, or one damaged since: the reason says which.
    #[error("{path} is not a usable backup: {fault}")]
    BackupInvalid { path: String, fault: BackupFault },
    /// Written by a newer version of the app, whose databases this one cannot read.
    #[error("the backup was made by version {0}, newer than this app")]
    BackupTooNew(String),
    /// A restore would replace work newer on this computer than in the backup, and the
    /// officer has not said to.
    #[error("this computer has work the backup does not have for {0:?}")]
    RestoreWouldOverwrite(Vec<String>),
    /// A restore that stopped at one enterprise after others were put back: which are back,
    /// which stayed as they were, where the replaced work went, and why it stopped.
    /// `placed`: the data of the one it stopped at went in, but it could not be recorded or
    /// opened (the next start opens it).
    #[error(
        "the restore stopped at {stopped_at} (placed: {placed}; {cause}); restored {restored:?}"
    )]
    RestoreStopped {
        restored: Vec<String>,
        stopped_at: String,
        placed: bool,
        not_restored: Vec<String>,
        safety_backup: Option<String>,
        cause: Box<Error>,
    },
    /// Where the data lives: a folder it cannot move to, a copy that failed, a data folder
    /// that is not there (codes DATA_FOLDER_*, see `data_folder`).
    #[error("data folder ({code}): {en}")]
    DataFolder {
        code: &'static str,
        zh: String,
        en: String,
    },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether the disk had no room: a database's or file's write, or a file saved.
    fn no_room(&self) -> bool {
        self.disk_full() || matches!(self, Self::SaveFailed { full: true, .. })
    }

    /// A file written where the officer did not choose (an automatic backup, a file kept
    /// inside the data folder) is not theirs to save elsewhere: a full disk is said as one,
    /// anything else as the system's error.
    pub fn inside(self) -> Self {
        match self {
            Self::SaveFailed { full: true, .. } => {
                Self::Io(std::io::Error::from(std::io::ErrorKind::StorageFull))
            }
            Self::SaveFailed { detail, .. } => Self::Io(std::io::Error::other(detail)),
            other => other,
        }
    }

    /// A file the officer asked for could not be written to `path`.
    pub fn save_failed(path: &std::path::Path, e: &std::io::Error) -> Self {
        Self::SaveFailed {
            path: path.display().to_string(),
            detail: e.to_string(),
            full: io_disk_full(e),
        }
    }

    /// A stable code, never renamed once released: the UI matches on it.
    pub fn code(&self) -> &'static str {
        match self {
            _ if self.disk_full() => "DISK_FULL",
            Self::NotConfigured => "NOT_CONFIGURED",
            Self::InvalidServerUrl(_) => "INVALID_SERVER_URL",
            Self::InsecureServerUrl(_) => "INSECURE_SERVER_URL",
            Self::Unreachable { .. } => "SERVER_UNREACHABLE",
            Self::NotYiqifu { .. } => "NOT_A_YIQIFU_SERVICE",
            Self::IncompatibleApi(_) => "INCOMPATIBLE_API",
            Self::MalformedResponse(_) => "MALFORMED_RESPONSE",
            Self::InvalidCreditCode(_) => "INVALID_CREDIT_CODE",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::NotSignedIn => "NOT_SIGNED_IN",
            Self::SessionExpired => "SESSION_EXPIRED",
            Self::Keychain(_) => "KEYCHAIN_UNAVAILABLE",
            Self::Server { .. } => "SERVER_REFUSED",
            Self::NotFound(_) => "NOT_FOUND",
            Self::NotEditable(_) => "NOT_EDITABLE",
            Self::NotReady => "WAITING_FOR_UPLOADS",
            Self::NoSuchEnterprise(_) => "NO_SUCH_ENTERPRISE",
            Self::UnreadablePayload(_) => "QUEUED_REQUEST_UNREADABLE",
            Self::UnknownRequest { .. } => "QUEUED_REQUEST_UNKNOWN",
            Self::InvalidFile(_) => "INVALID_FILE",
            Self::UploadDiscarded(_) => "UPLOAD_DISCARDED",
            Self::UploadsUnverified { .. } => "UPLOADS_UNVERIFIED",
            Self::DatabaseRecovered(_) => "DATABASE_RECOVERED",
            Self::UpdateBackupFailed(_) => "UPDATE_BACKUP_FAILED",
            Self::DatabaseUnavailable { .. } => "DATABASE_UNAVAILABLE",
            Self::DemoServer(_) => "DEMO_SERVER_FAILED",
            Self::InvalidProfile(_) => "INVALID_PROFILE",
            Self::ProfileRequired => "PROFILE_REQUIRED",
            Self::InvalidInput(_) => "INVALID_INPUT",
            Self::RatingNotOpen => "RATING_NOT_OPEN",
            Self::AppealClosed => "APPEAL_CLOSED",
            Self::AlreadyRated => "ALREADY_RATED",
            Self::TemplateMissing(_) => "TEMPLATE_MISSING",
            Self::InvalidAnswer { .. } => "INVALID_ANSWER",
            Self::TemplateUpdated(_) => "TEMPLATE_UPDATED",
            Self::RecheckPending(_) => "RECHECK_PENDING",
            Self::SelfCheckRequired(_) => "SELFCHECK_REQUIRED",
            Self::Report { .. } => "REPORT_FAILED",
            Self::SaveFailed { .. } => "SAVE_FAILED",
            Self::FileRefused { code, .. }
            | Self::RosterFile { code, .. }
            | Self::PackageFailed { code, .. }
            | Self::DataFolder { code, .. } => code,
            Self::InvalidRosterRow(_) => "INVALID_ROSTER_ROW",
            Self::RosterEmpty => "ROSTER_EMPTY",
            Self::ApplicationNotReady(_) => "APPLICATION_NOT_READY",
            Self::NotReturned(_) => "NOT_RETURNED",
            Self::DraftInProgress => "DRAFT_IN_PROGRESS",
            Self::InvalidProxy(_) => "INVALID_PROXY",
            Self::NotReopenable(_) => "NOT_REOPENABLE",
            Self::BackupInvalid { .. } => "BACKUP_INVALID",
            Self::BackupTooNew(_) => "BACKUP_TOO_NEW",
            Self::RestoreWouldOverwrite(_) => "RESTORE_WOULD_OVERWRITE",
            Self::RestoreStopped { .. } => "RESTORE_STOPPED",
            Self::Database(_) | Self::Migration(_) => "DATABASE_ERROR",
            Self::Io(_) => "IO_ERROR",
            Self::Json(_) => "STORED_DATA_INVALID",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            _ if self.disk_full() => "磁盘已满，刚才的修改没有保存：请删除不需要的文件或清空回收站后重试。之前保存的内容不受影响。".into(),
            Self::NotConfigured => "尚未选择中央服务，请先选择内置演示服务或填写服务地址。".into(),
            Self::InvalidServerUrl(u) => format!("服务地址“{u}”无法识别，请填写完整地址，例如 https://fuwu.example.gov.cn"),
            Self::InsecureServerUrl(u) => format!("服务地址“{u}”未加密：除本机地址外只能使用 https://"),
            Self::Unreachable { url, .. } => format!("无法连接到 {url}，请检查网络或服务地址；已缓存的数据不受影响。"),
            Self::NotYiqifu { url } => format!("{url} 不是益企服中央服务，请核对服务地址。"),
            Self::IncompatibleApi(v) => format!("中央服务的接口版本为 {v}，与本客户端不兼容，请升级客户端。"),
            Self::MalformedResponse(_) => "服务器返回的数据格式有误，本次操作未生效，已缓存的数据不受影响。".into(),
            Self::InvalidCreditCode(e) => e.to_string().split(" / ").next().unwrap_or_default().to_string(),
            Self::InvalidCredentials => "统一社会信用代码或密码不正确，请重新输入。".into(),
            Self::NotSignedIn => "尚未登录，请先登录。".into(),
            Self::SessionExpired => "登录已过期，请重新登录；未同步的内容会保留。".into(),
            Self::Keychain(_) => "无法访问系统钥匙串，登录凭据无法安全保存。Windows 请检查凭据管理器；macOS 请检查钥匙串访问；Linux 请安装并解锁 gnome-keyring 或 KWallet。".into(),
            Self::Server { message, .. } => format!("服务器拒绝了请求：{}", message.split(" / ").next().unwrap_or(message)),
            Self::NotFound(id) => format!("找不到 {id}，可能已被撤回或删除。"),
            Self::UploadsUnverified { url } => format!("中央服务 {url} 不校验上传文件的内容（不支持 tus 的 sha256 校验扩展），传输中损坏的材料无人发现，因此暂不上传：请联系服务方升级，或改用支持校验的服务地址；材料保留在本机，之后可点“重试”。"),
            Self::UploadDiscarded(_) => "它要用的材料已被放弃上传，无法发送：请放弃此项，重新添加材料后再提交。".into(),
            Self::NotEditable(_) => "这一项没有可修改的内容，只能重试或放弃。".into(),
            Self::NotReady => "等待附件上传完成（或企业信息同步）后发送。".into(),
            Self::NoSuchEnterprise(_) => "本机没有这家企业，请在切换企业菜单中重新选择或登录。".into(),
            Self::UnreadablePayload(_) => "这条待发送内容已无法读取，请放弃后重新填写。".into(),
            Self::UnknownRequest { .. } => "这条待发送内容由其他版本的客户端创建，本版本无法发送；请升级客户端，或放弃后重新填写。".into(),
            Self::InvalidFile(p) => format!("无法读取文件“{p}”，请确认文件存在且未被其他程序占用后重新选择。"),
            Self::DatabaseRecovered(p) => format!("本地数据库已损坏，原文件已另存为 {p}；已从最近的备份恢复（如无备份则重新开始），请核对后重新同步。"),
            Self::UpdateBackupFailed(cause) => if cause.no_room() { "本次更新前的自动备份没有完成（磁盘空间不足）。更新已照常进行，工作内容都在；请先腾出磁盘空间，再到“设置与关于 → 备份与恢复”导出一份备份。".into() } else { "本次更新前的自动备份没有完成（原因已写入日志，日志文件夹见“设置与关于”）。更新已照常进行，工作内容都在；建议现在到“设置与关于 → 备份与恢复”导出一份备份。".into() },
            Self::DatabaseUnavailable { path, .. } => format!("暂时无法打开本地数据库 {path}：可能另一个益企服窗口或其他程序正在使用它，或当前账户无权读取。请关闭其他益企服窗口后重试；数据未被改动。"),
            Self::DemoServer(_) => "内置演示服务启动失败，请重启应用或改用服务地址。".into(),
            Self::InvalidProfile(p) => format!("企业信息有误，未保存：{}", p.iter().map(|f| f.zh.as_str()).collect::<Vec<_>>().join("；")),
            Self::InvalidInput(p) => format!("请修改后再提交：{}", p.iter().map(|f| f.zh.as_str()).collect::<Vec<_>>().join("；")),
            Self::RatingNotOpen => "有关部门回复后才能评价，请等待回复。".into(),
            Self::AppealClosed => "该诉求已办结，不能再追加留言；如有新问题，请另提诉求。".into(),
            Self::AlreadyRated => "这条诉求已经评价过，每条诉求只能评价一次。".into(),
            Self::ProfileRequired => "请先填写并保存企业信息：自查的部分条目取决于风险区域、在岗人数和住宿情况。".into(),
            Self::TemplateMissing(_) => "自查表尚未同步到本机，请联网同步后再试。".into(),
            Self::InvalidAnswer { zh, .. } => zh.clone(),
            Self::TemplateUpdated(v) => format!("自查表已更新至第 {v} 版，请重新打开自查，核对变更后再完成。"),
            Self::RecheckPending(n) => format!("还有 {n} 项因自查表更新需要重新确认，请逐项核对后再完成自查。"),
            Self::SelfCheckRequired(lock) => lock.message_zh().into(),
            Self::SaveFailed { path, full: true, .. } => format!("无法保存到“{path}”：磁盘空间不足。请删除不需要的文件，或换一个空间足够的位置，然后重新保存。"),
            Self::SaveFailed { path, .. } => format!("无法保存到“{path}”：请确认文件夹可写、文件未被其他程序打开，然后重新保存。"),
            Self::Report { .. } => "生成自查报告失败，自查结果不受影响；请重试，如仍失败请联系技术支持。".into(),
            Self::FileRefused { zh, .. } | Self::RosterFile { zh, .. } | Self::PackageFailed { zh, .. } | Self::DataFolder { zh, .. } => zh.clone(),
            Self::InvalidRosterRow(p) => format!("该行有误，未保存：{}", p.iter().map(|f| f.zh.as_str()).collect::<Vec<_>>().join("；")),
            Self::RosterEmpty => "返岗人员名单为空：请先导入或录入返岗人员。".into(),
            Self::ApplicationNotReady(f) => format!("申请尚不能提交：{}", f.iter().filter(|f| f.severity == crate::application::Severity::Error).map(|f| f.zh.as_str()).collect::<Vec<_>>().join("；")),
            Self::NotReturned(_) => "该申请未被退回补正，不能修改后重新提交。".into(),
            Self::DraftInProgress => "另一份申请正在准备中：请先提交或移除其中的材料，再修改这一份。".into(),
            Self::InvalidProxy(url) => format!("代理地址“{url}”无法使用：请填写以 http:// 或 https:// 开头、带主机名的地址，如 http://proxy.example.com:8080，或选择系统代理。"),
            Self::NotReopenable(_) => "这份申请已送达中央服务或正在发送，不能再取回修改材料。".into(),
            Self::BackupInvalid { path, fault } => format!("“{path}”不是可用的益企服备份（{}）：请选择本应用导出的 .yqfbak 文件；若文件是从别处拷来的，请重新拷贝一次。", fault.zh()),
            Self::BackupTooNew(v) => format!("这份备份由较新的 {v} 版制作，本版本无法读取：请先把本应用更新到 {v} 或更高版本，再恢复。"),
            Self::RestoreWouldOverwrite(names) => format!("本机上“{}”有备份里没有的工作，未恢复：如确要用备份替换，请勾选确认后再恢复（本机当前的工作会先自动备份）。", names.join("”“")),
            Self::RestoreStopped { restored, stopped_at, placed, not_restored, safety_backup, cause } => {
                // A database's own words say nothing was changed, which is not so here.
                let why = if cause.no_room() { "磁盘空间不足。".into() } else if cause.is_database() { "本地数据库出错。".into() } else { cause.message_zh() };
                let mut m = if *placed {
                    format!("恢复没有全部完成：“{stopped_at}”的数据已放回本机，但没能打开。{why}")
                } else {
                    format!("恢复没有全部完成：“{stopped_at}”未能恢复。{why}")
                };
                if !restored.is_empty() {
                    m += &format!("已恢复“{}”。", restored.join("”“"));
                }
                if !not_restored.is_empty() {
                    m += &format!("“{}”未动，保持恢复前的状态。", not_restored.join("”“"));
                }
                if let Some(p) = safety_backup {
                    m += &format!("恢复开始前，本机上将被替换的工作已备份到“{p}”，需要时可以从它恢复。");
                }
                if *placed && not_restored.is_empty() {
                    m + "解决上述问题后重新打开本应用即可。"
                } else {
                    m + "解决上述问题后，再恢复一次这份备份即可补上未恢复的企业。"
                }
            }
            Self::Database(_) | Self::Migration(_) => "本地数据库出错，数据未被修改；请重启应用，如仍出错请联系技术支持。".into(),
            Self::Io(e) => match yiqifu_files::io_cause(e) {
                Some((why, _)) => format!("读写本地文件出错（{why}），请检查磁盘空间和权限。"),
                None => "读写本地文件出错，请检查磁盘空间和权限。".into(),
            },
            Self::Json(_) => "本地保存的数据无法读取，请重新同步。".into(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            _ if self.disk_full() => "The disk is full, so the change was not saved: delete files you no longer need or empty the Recycle Bin, then try again. What was saved before is unaffected.".into(),
            Self::NotConfigured => "No central service chosen yet: pick the built-in demo or enter a server URL.".into(),
            Self::InvalidServerUrl(u) => format!("\"{u}\" is not a server URL: enter a full address such as https://fuwu.example.gov.cn"),
            Self::InsecureServerUrl(u) => format!("\"{u}\" is not encrypted: only https:// is allowed, except on this computer."),
            Self::Unreachable { url, .. } => format!("Cannot connect to {url}: check the network or the address. Cached data is unaffected."),
            Self::NotYiqifu { url } => format!("{url} is not a Yiqifu central service: check the address."),
            Self::IncompatibleApi(v) => format!("The central service speaks API version {v}, which this client does not: update the client."),
            Self::MalformedResponse(_) => "The server sent a malformed answer; nothing was changed and cached data is unaffected.".into(),
            Self::InvalidCreditCode(e) => e.to_string().split(" / ").nth(1).unwrap_or_default().to_string(),
            Self::InvalidCredentials => "Wrong credit code or password: please try again.".into(),
            Self::NotSignedIn => "Not signed in: please sign in first.".into(),
            Self::SessionExpired => "Your session has expired: sign in again. Unsynced work is kept.".into(),
            Self::Keychain(_) => "The system keychain cannot be used, so the sign-in cannot be stored safely. On Windows check Credential Manager; on macOS Keychain Access; on Linux install and unlock gnome-keyring or KWallet.".into(),
            Self::Server { message, .. } => format!("The server refused the request: {}", message.split(" / ").nth(1).unwrap_or(message)),
            Self::NotFound(id) => format!("{id} was not found; it may have been withdrawn or deleted."),
            Self::UploadsUnverified { url } => format!("The central service {url} does not verify uploaded files (it lacks tus's checksum extension with sha256), so a file damaged on the way would go unnoticed; nothing is uploaded to it. Ask its operator to upgrade it, or use a service that verifies uploads; the files stay on this computer, and Retry tries again."),
            Self::UploadDiscarded(_) => "A file it needs was discarded before it was uploaded, so it cannot be sent: discard it, add the file again and send anew.".into(),
            Self::NotEditable(_) => "This item has nothing to change: retry or discard it.".into(),
            Self::NotReady => "Waiting for its files to finish uploading (or the company profile to be sent).".into(),
            Self::NoSuchEnterprise(_) => "That enterprise is not on this computer: pick it again from the switcher, or sign in.".into(),
            Self::UnreadablePayload(_) => "This queued item can no longer be read: discard it and enter it again.".into(),
            Self::UnknownRequest { .. } => "This queued item was made by another version of the app and cannot be sent by this one: update the app, or discard it and enter it again.".into(),
            Self::InvalidFile(p) => format!("Cannot read the file \"{p}\": check it exists and no other program holds it, then pick it again."),
            Self::DatabaseRecovered(p) => format!("The local database was damaged and was set aside as {p}; the last backup was restored (or the app started fresh). Check your work and sync again."),
            Self::UpdateBackupFailed(cause) => if cause.no_room() { "The automatic backup before this update did not complete (the disk is full). The update went ahead and your work is all there: make room on the disk, then export a backup under Settings & about → Backup and restore.".into() } else { "The automatic backup before this update did not complete (the log says why; its folder is under Settings & about). The update went ahead and your work is all there: export a backup now under Settings & about → Backup and restore.".into() },
            Self::DatabaseUnavailable { path, .. } => format!("The local database {path} cannot be opened now: another Yiqifu window or another program may be using it, or this account may not read it. Close other Yiqifu windows and try again; nothing was changed."),
            Self::DemoServer(_) => "The built-in demo server failed to start: restart the app or use a server URL.".into(),
            Self::InvalidProfile(p) => format!("The company profile has errors and was not saved: {}", p.iter().map(|f| f.en.as_str()).collect::<Vec<_>>().join("; ")),
            Self::InvalidInput(p) => format!("Correct these, then send again: {}", p.iter().map(|f| f.en.as_str()).collect::<Vec<_>>().join("; ")),
            Self::RatingNotOpen => "An appeal can be rated once the authority has replied: wait for the reply.".into(),
            Self::AppealClosed => "This appeal is closed and takes no more messages: file a new appeal for a new problem.".into(),
            Self::AlreadyRated => "This appeal was rated already: each appeal is rated once.".into(),
            Self::ProfileRequired => "Fill in and save the company profile first: some self-check items depend on the risk area, the staff on site and the dormitories.".into(),
            Self::TemplateMissing(_) => "The self-check template is not on this computer yet: go online and sync, then try again.".into(),
            Self::InvalidAnswer { en, .. } => en.clone(),
            Self::TemplateUpdated(v) => format!("The template is now at version {v}: open the self-check again, review the changes, then finish."),
            Self::RecheckPending(n) => format!("{n} items changed with the template update and must be confirmed again before finishing."),
            Self::SelfCheckRequired(lock) => lock.message_en().into(),
            Self::SaveFailed { path, full: true, .. } => format!("Cannot save to \"{path}\": the disk is full. Delete files you do not need, or choose a place with enough room, then save again."),
            Self::SaveFailed { path, .. } => format!("Cannot save to \"{path}\": check the folder is writable and no other program has the file open, then save again."),
            Self::Report { .. } => "The report could not be made; the self-check result is unaffected. Try again, and contact support if it persists.".into(),
            Self::FileRefused { en, .. } | Self::RosterFile { en, .. } | Self::PackageFailed { en, .. } | Self::DataFolder { en, .. } => en.clone(),
            Self::InvalidRosterRow(p) => format!("The row has errors and was not saved: {}", p.iter().map(|f| f.en.as_str()).collect::<Vec<_>>().join("; ")),
            Self::RosterEmpty => "The roster is empty: import or enter the returning staff first.".into(),
            Self::ApplicationNotReady(f) => format!("The application cannot be submitted yet: {}", f.iter().filter(|f| f.severity == crate::application::Severity::Error).map(|f| f.en.as_str()).collect::<Vec<_>>().join("; ")),
            Self::NotReturned(_) => "This application was not returned for corrections, so it cannot be corrected and sent again.".into(),
            Self::DraftInProgress => "Another application is being prepared: submit it or remove its files before changing this one.".into(),
            Self::InvalidProxy(url) => format!("The proxy address \"{url}\" cannot be used: write one that starts with http:// or https:// and names a host, like http://proxy.example.com:8080, or choose the system proxy."),
            Self::NotReopenable(_) => "This application has reached the service or is being sent, so it can no longer be taken back to change its files.".into(),
            Self::BackupInvalid { path, fault } => format!("\"{path}\" is not a usable Yiqifu backup ({fault}): choose a .yqfbak file this app exported; if it was copied from elsewhere, copy it again."),
            Self::BackupTooNew(v) => format!("This backup was made by version {v}, newer than this app, which cannot read it: update the app to {v} or later first, then restore."),
            Self::RestoreWouldOverwrite(names) => format!("This computer has work for {} that the backup does not have, so nothing was restored: to replace it with the backup anyway, confirm and restore again (the work here is backed up first).", names.join(", ")),
            Self::RestoreStopped { restored, stopped_at, placed, not_restored, safety_backup, cause } => {
                let why = if cause.no_room() { "The disk is full.".into() } else if cause.is_database() { "The local database failed.".into() } else { cause.message_en() };
                let mut m = if *placed {
                    format!("The restore did not finish: {stopped_at}'s data is back on this computer but could not be opened. {why}")
                } else {
                    format!("The restore did not finish: {stopped_at} could not be restored. {why}")
                };
                if !restored.is_empty() {
                    m += &format!(" Restored: {}.", restored.join(", "));
                }
                if !not_restored.is_empty() {
                    m += &format!(" Left as they were: {}.", not_restored.join(", "));
                }
                if let Some(p) = safety_backup {
                    m += &format!(" Before the restore began, the work here it was to replace was backed up to \"{p}\": restore from that file if you need it.");
                }
                if *placed && not_restored.is_empty() {
                    m + " Once the problem is fixed, start the app again."
                } else {
                    m + " Once the problem is fixed, restore this backup again to bring back the rest."
                }
            }
            Self::Database(_) | Self::Migration(_) => "The local database failed and nothing was changed: restart the app, and contact support if it persists.".into(),
            Self::Io(e) => match yiqifu_files::io_cause(e) {
                Some((_, why)) => format!("Reading or writing a local file failed ({why}): check disk space and permissions."),
                None => "Reading or writing a local file failed: check disk space and permissions.".into(),
            },
            Self::Json(_) => "Locally stored data could not be read: sync again.".into(),
        }
    }

    /// Whether the local database or a local file could not be written because the disk is
    /// full: the officer can fix that, where "the database failed" would send them to support.
    fn disk_full(&self) -> bool {
        let db = match self {
            Self::Database(e)
            | Self::Migration(
                sqlx::migrate::MigrateError::Execute(e)
                | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => e,
            Self::Io(e) => return io_disk_full(e),
            _ => return false,
        };
        match db {
            // SQLITE_FULL: a write found no room (SQLite's VFS turns ENOSPC into it).
            sqlx::Error::Database(d) => d.code().as_deref() == Some("13"),
            sqlx::Error::Io(e) => io_disk_full(e),
            _ => false,
        }
    }

    fn is_database(&self) -> bool {
        matches!(self, Self::Database(_) | Self::Migration(_))
    }

    /// Whether the error means the server could not be reached (the app is offline).
    pub fn is_offline(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }
}

fn io_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ErrorInfo {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        Self {
            code: e.code().into(),
            message_zh: e.message_zh(),
            message_en: e.message_en(),
        }
    }
}

impl From<Error> for ErrorInfo {
    fn from(e: Error) -> Self {
        // The technical detail goes to the log, never to the webview.
        tracing::warn!(code = e.code(), error = %e, "command failed");
        Self::from(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Executor};

    /// A database that may not grow past a few pages fails a write as a full disk does
    /// (SQLITE_FULL): the officer is told the disk is full, not that the database failed.
    #[tokio::test]
    async fn a_full_disk_is_said_as_such() {
        let mut db = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        db.execute("CREATE TABLE answers (text TEXT NOT NULL); PRAGMA max_page_count = 8;")
            .await
            .expect("the table");
        let mut failed = None;
        for _ in 0..200 {
            if let Err(e) = sqlx::query("INSERT INTO answers (text) VALUES (?)")
                .bind("答".repeat(500))
                .execute(&mut db)
                .await
            {
                failed = Some(Error::from(e));
                break;
            }
        }
        let e = failed.expect("a database of 8 pages fills up within 200 answers of 1.5 KB");
        assert_eq!(e.code(), "DISK_FULL", "{e}");
        assert!(e.message_zh().contains("磁盘已满"), "{}", e.message_zh());
        assert!(
            e.message_en().contains("disk is full"),
            "{}",
            e.message_en()
        );

        // The same refusal while a migration runs at start.
        let in_migration = Error::from(sqlx::migrate::MigrateError::ExecuteMigration(
            sqlx::query("INSERT INTO answers (text) VALUES (?)")
                .bind("答".repeat(500))
                .execute(&mut db)
                .await
                .expect_err("still full"),
            3,
        ));
        assert_eq!(in_migration.code(), "DISK_FULL", "{in_migration}");

        let other = Error::from(
            sqlx::query("INSERT INTO missing VALUES (1)")
                .execute(&mut db)
                .await
                .expect_err("no such table"),
        );
        assert_eq!(other.code(), "DATABASE_ERROR");

        // A file saved where the officer chose: why it failed tells them what to do.
        let full = Error::save_failed(
            std::path::Path::new("备份.yqfbak"),
            &std::io::Error::from(std::io::ErrorKind::StorageFull),
        );
        assert_eq!(full.code(), "SAVE_FAILED");
        assert!(
            full.message_zh().contains("磁盘空间不足"),
            "{}",
            full.message_zh()
        );
        assert!(
            full.message_en().contains("disk is full"),
            "{}",
            full.message_en()
        );
        let held = Error::save_failed(
            std::path::Path::new("备份.yqfbak"),
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(
            held.message_en().contains("writable"),
            "{}",
            held.message_en()
        );
        // Written inside the data folder (an automatic backup before a restore): not a place
        // the officer chose, so not one to choose again.
        let inside = full.inside();
        assert_eq!(inside.code(), "DISK_FULL");
        assert!(
            !inside.message_zh().contains("备份.yqfbak"),
            "{}",
            inside.message_zh()
        );

        let io = Error::from(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(io.code(), "DISK_FULL");
        assert_eq!(
            Error::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied)).code(),
            "IO_ERROR"
        );
    }
}
