//! Pages of the lists that are not change feeds: an enterprise's own applications and
//! listings, the reviewers' queues. Each page starts after the last row of the one before
//! (its sort key and id, so rows with the same time neither repeat nor go missing), and no
//! answer holds more than [`MAX_PAGE`](crate::catalog::MAX_PAGE) records however many there are.

use crate::db::Db;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use yiqifu_protocol::{ErrorCode, ListPage};

use crate::error::{Error, Result};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// The `next` of the previous page; absent for the first page.
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
pub enum Order {
    NewestFirst,
    OldestFirst,
}

/// Which rows of which table, in which order.
pub struct Listed<'a> {
    pub table: &'static str,
    /// The integer column the list is sorted by (then by id).
    pub key: &'static str,
    pub owner: Option<&'a str>,
    pub state: Option<&'a str>,
    pub order: Order,
}

const PREFIX: &str = "p1.";

fn cursor(key: i64, id: &str) -> String {
    format!("{PREFIX}{key}.{id}")
}

fn cursor_invalid() -> Error {
    Error::api(
        StatusCode::BAD_REQUEST,
        ErrorCode::CursorInvalid,
        "分页游标无效，请从第一页重新读取 / this page cursor is not one this service issued: read again from the first page",
    )
}

fn parse(after: &str) -> Result<(i64, &str)> {
    let (key, id) = after
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('.'))
        .ok_or_else(cursor_invalid)?;
    let key = key.parse().map_err(|_| cursor_invalid())?;
    if id.is_empty() {
        return Err(cursor_invalid());
    }
    Ok((key, id))
}

/// One page of `(owner, body)` rows: up to `limit` (1 to 500, default 100), after the row
/// `after` names.
pub async fn read(
    db: &Db,
    list: &Listed<'_>,
    after: Option<&str>,
    limit: Option<u32>,
) -> Result<ListPage<(String, String)>> {
    let limit = crate::catalog::check_limit(limit)?;
    let after = after.filter(|a| !a.is_empty()).map(parse).transpose()?;
    let (cmp, dir) = match list.order {
        Order::NewestFirst => ("<", "DESC"),
        Order::OldestFirst => (">", "ASC"),
    };
    let (table, key) = (list.table, list.key);
    let sql = format!(
        "SELECT id, owner, {key}, body FROM {table}
          WHERE ($1 IS NULL OR owner = $1) AND ($2 IS NULL OR state = $2)
            AND ($3 IS NULL OR {key} {cmp} $3 OR ({key} = $3 AND id > $4))
          ORDER BY {key} {dir}, id LIMIT $5"
    );
    let mut rows: Vec<(String, String, i64, String)> = sqlx::query_as(&sql)
        .bind(list.owner)
        .bind(list.state)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(i64::from(limit) + 1)
        .fetch_all(db)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|(id, _, key, _)| cursor(*key, id))
    } else {
        None
    };
    Ok(ListPage {
        items: rows
            .into_iter()
            .map(|(_, owner, _, body)| (owner, body))
            .collect(),
        next,
    })
}

/// [`read`], each body read as a `T`.
pub async fn read_as<T: DeserializeOwned>(
    db: &Db,
    list: &Listed<'_>,
    after: Option<&str>,
    limit: Option<u32>,
) -> Result<ListPage<T>> {
    let page = read(db, list, after, limit).await?;
    Ok(ListPage {
        items: page
            .items
            .into_iter()
            .map(|(_, body)| serde_json::from_str(&body))
            .collect::<std::result::Result<_, _>>()?,
        next: page.next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_foreign_one_is_refused() {
        let c = cursor(1_796_000_000, "app_0a1b");
        assert_eq!(parse(&c).unwrap(), (1_796_000_000, "app_0a1b"));
        for bad in [
            "",
            "p1.",
            "p1.12",
            "p1.x.app_1",
            "p1.12.",
            "c1.12",
            "12.app_1",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was taken");
        }
    }
}
