//! Communities (`spec: v3/community/api.yaml`, `v4/community/api.yaml`).

use crate::{
    Client, Error,
    content_query::{CommunityMemberQuery, CommunityQuery},
    endpoints::communities::{self, CommunityUpdate},
    wire::{CommunityEnvelope, SuccessFlag},
};
use async_trait::async_trait;

/// The community operations.
#[async_trait]
pub trait CommunitiesApi: Send + Sync {
    /// `GET /api/v3/communities`.
    async fn query_communities(&self, query: &CommunityQuery) -> Result<CommunityEnvelope, Error>;
    /// `GET /api/v3/communities/{communityId}`.
    async fn get_community(&self, community_id: &str) -> Result<CommunityEnvelope, Error>;
    /// `PUT /api/v3/communities/{communityId}`.
    async fn update_community(
        &self,
        community_id: &str,
        update: &CommunityUpdate,
    ) -> Result<CommunityEnvelope, Error>;
    /// `DELETE /api/v3/communities/{communityId}`.
    async fn delete_community(&self, community_id: &str) -> Result<SuccessFlag, Error>;
    /// `GET /api/v3/communities/{communityId}/users`.
    async fn query_community_members(
        &self,
        community_id: &str,
        query: &CommunityMemberQuery,
    ) -> Result<CommunityEnvelope, Error>;
    /// `PUT /api/v3/communities/{communityId}/users/ban`.
    async fn ban_community_members(
        &self,
        community_id: &str,
        user_ids: &[String],
    ) -> Result<CommunityEnvelope, Error>;
    /// `PUT /api/v3/communities/{communityId}/users/unban`.
    async fn unban_community_members(
        &self,
        community_id: &str,
        user_ids: &[String],
    ) -> Result<CommunityEnvelope, Error>;
    /// `POST /api/v4/communities/{communityId}/users/roles`.
    async fn add_community_roles(
        &self,
        community_id: &str,
        user_ids: &[String],
        roles: &[String],
    ) -> Result<CommunityEnvelope, Error>;
    /// `DELETE /api/v4/communities/{communityId}/users/roles`.
    async fn remove_community_roles(
        &self,
        community_id: &str,
        user_ids: &[String],
        roles: &[String],
    ) -> Result<CommunityEnvelope, Error>;
}

#[async_trait]
impl CommunitiesApi for Client {
    async fn query_communities(&self, query: &CommunityQuery) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::QueryCommunities(query)).await
    }
    async fn get_community(&self, community_id: &str) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::GetCommunity { community_id }).await
    }
    async fn update_community(
        &self,
        community_id: &str,
        update: &CommunityUpdate,
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::UpdateCommunity { community_id, update }).await
    }
    async fn delete_community(&self, community_id: &str) -> Result<SuccessFlag, Error> {
        self.send(&communities::DeleteCommunity { community_id }).await
    }
    async fn query_community_members(
        &self,
        community_id: &str,
        query: &CommunityMemberQuery,
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::QueryCommunityMembers { community_id, query }).await
    }
    async fn ban_community_members(
        &self,
        community_id: &str,
        user_ids: &[String],
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::BanCommunityMembers { community_id, user_ids }).await
    }
    async fn unban_community_members(
        &self,
        community_id: &str,
        user_ids: &[String],
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::UnbanCommunityMembers { community_id, user_ids }).await
    }
    async fn add_community_roles(
        &self,
        community_id: &str,
        user_ids: &[String],
        roles: &[String],
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::AddCommunityRoles { community_id, user_ids, roles }).await
    }
    async fn remove_community_roles(
        &self,
        community_id: &str,
        user_ids: &[String],
        roles: &[String],
    ) -> Result<CommunityEnvelope, Error> {
        self.send(&communities::RemoveCommunityRoles { community_id, user_ids, roles }).await
    }
}
