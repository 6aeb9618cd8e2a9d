//! Reading the network's users through the Social+ API.

use crate::Error;
use types::{
    Page,
    users::{FileInfo, UserDetail, UserFilter, UserListQuery, UserRow, UserSort},
};
use upstream::{
    prelude::*,
    query::{UserQuery, UserQueryFilter, UserSortBy},
    wire::{User, UserEnvelope},
};

/// Rows per page of the Users table.
pub const PAGE_SIZE: u32 = 25;

/// One page of users matching `query`.
#[tracing::instrument(skip(upstream), fields(keyword = %query.keyword, filter = ?query.filter))]
pub async fn list_users(upstream: &dyn UpstreamApi, query: &UserListQuery) -> Result<Page<UserRow>, Error> {
    let envelope = upstream.query_users(&upstream_query(query)).await?;
    let paging = envelope.paging.unwrap_or_default();
    Ok(Page {
        items: envelope.users.iter().map(row_from).collect(),
        next: paging.next,
        previous: paging.previous,
    })
}

/// One user with everything the detail page shows; `None` if Social+ does not know them.
#[tracing::instrument(skip(upstream))]
pub async fn get_user(upstream: &dyn UpstreamApi, user_id: &str) -> Result<Option<UserDetail>, Error> {
    let envelope = match upstream.get_user(user_id).await {
        Ok(envelope) => envelope,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(envelope.users.first().map(|user| detail_from(user, &envelope)))
}

/// The upstream parameters for a console query. Deleted users are left out, as the
/// upstream does by default; the console asks explicitly so the intent is visible.
pub fn upstream_query(query: &UserListQuery) -> UserQuery {
    UserQuery {
        keyword: Some(query.keyword.clone()).filter(|k| !k.is_empty()),
        exact_match_keyword: false,
        filter: match query.filter {
            UserFilter::All => UserQueryFilter::All,
            UserFilter::Flagged => UserQueryFilter::Flagged,
        },
        sort_by: match query.sort {
            UserSort::Name => UserSortBy::DisplayName,
            UserSort::Newest => UserSortBy::LastCreated,
            UserSort::Oldest => UserSortBy::FirstCreated,
        },
        is_deleted: Some(false),
        limit: Some(PAGE_SIZE),
        token: query.cursor.clone(),
    }
}

fn row_from(user: &User) -> UserRow {
    UserRow {
        user_id: user.user_id.clone(),
        display_name: user.display_name.clone().unwrap_or_default(),
        roles: user.roles.clone(),
        flag_count: user.flag_count,
        is_global_ban: user.is_global_ban,
        is_deleted: user.is_deleted,
        created_at: user.created_at.clone(),
    }
}

fn detail_from(user: &User, envelope: &UserEnvelope) -> UserDetail {
    let avatar = user.avatar_file_id.as_deref().map(|file_id| {
        let file = envelope.file(file_id);
        let attributes = file.and_then(|f| f.attributes.as_ref());
        FileInfo {
            file_id: file_id.to_owned(),
            name: attributes.and_then(|a| a.name.clone()),
            mime_type: attributes.and_then(|a| a.mime_type.clone()),
            size: attributes.and_then(|a| a.size).map(|s| s.max(0.0) as u64),
        }
    });
    UserDetail {
        row: row_from(user),
        user_public_id: user.user_public_id.clone(),
        user_internal_id: user.user_internal_id.clone(),
        description: user.description.clone().unwrap_or_default(),
        permissions: user.permissions.clone(),
        metadata_json: serde_json::to_string_pretty(&user.metadata).unwrap_or_else(|_| "{}".into()),
        avatar,
        avatar_custom_url: user.avatar_custom_url.clone(),
        is_brand: user.is_brand,
        updated_at: user.updated_at.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_query_maps_to_upstream_parameters() {
        let query = UserListQuery {
            keyword: "ann".into(),
            filter: UserFilter::Flagged,
            sort: UserSort::Newest,
            cursor: Some("tok".into()),
        };
        let upstream = upstream_query(&query);
        assert_eq!(upstream.keyword.as_deref(), Some("ann"));
        assert_eq!(upstream.filter, UserQueryFilter::Flagged);
        assert_eq!(upstream.sort_by, UserSortBy::LastCreated);
        assert_eq!(upstream.is_deleted, Some(false));
        assert_eq!(upstream.limit, Some(PAGE_SIZE));
        assert_eq!(upstream.token.as_deref(), Some("tok"));
        assert_eq!(upstream_query(&UserListQuery::default()).keyword, None);
    }
}
