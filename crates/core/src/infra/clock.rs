//! The dates officers see: the service's workflow runs on China time, whatever the
//! computer's own time zone is.

/// Today in China (UTC+8), `YYYY-MM-DD`.
pub fn today_in_china() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let f = time::macros::format_description!("[year]-[month]-[day]");
    now.format(&f).unwrap_or_default()
}
