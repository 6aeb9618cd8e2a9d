//! Roles (`spec: v3/role/api.yaml`).

use crate::{
    Client, Error,
    endpoints::roles::{self, RoleQuery},
    wire::{RoleEnvelope, RoleInput},
};
use async_trait::async_trait;

/// Role operations. Every answer is `{status, data: [role…]}`.
#[async_trait]
pub trait RolesApi: Send + Sync {
    /// `GET /api/v3/roles`.
    async fn query_roles(&self, query: &RoleQuery) -> Result<RoleEnvelope, Error>;
    /// `POST /api/v3/roles`.
    async fn create_role(&self, role: &RoleInput) -> Result<RoleEnvelope, Error>;
    /// `GET /api/v3/roles/{roleId}`.
    async fn get_role(&self, role_id: &str) -> Result<RoleEnvelope, Error>;
    /// `PUT /api/v3/roles/{roleId}`.
    async fn update_role(&self, role: &RoleInput) -> Result<RoleEnvelope, Error>;
    /// `DELETE /api/v3/roles/{roleId}`: answers the deleted role (`isDeleted: true`).
    async fn delete_role(&self, role_id: &str) -> Result<RoleEnvelope, Error>;
}

#[async_trait]
impl RolesApi for Client {
    async fn query_roles(&self, query: &RoleQuery) -> Result<RoleEnvelope, Error> {
        self.send(&roles::QueryRoles(query)).await
    }

    async fn create_role(&self, role: &RoleInput) -> Result<RoleEnvelope, Error> {
        self.send(&roles::CreateRole(role)).await
    }

    async fn get_role(&self, role_id: &str) -> Result<RoleEnvelope, Error> {
        self.send(&roles::GetRole { role_id }).await
    }

    async fn update_role(&self, role: &RoleInput) -> Result<RoleEnvelope, Error> {
        self.send(&roles::UpdateRole(role)).await
    }

    async fn delete_role(&self, role_id: &str) -> Result<RoleEnvelope, Error> {
        self.send(&roles::DeleteRole { role_id }).await
    }
}
