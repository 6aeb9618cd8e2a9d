//! `/roles`: the network's Social+ roles with their permissions — create, edit (every role),
//! delete (custom roles, typed confirmation) — and forms to grant roles to a user or to a
//! community member. Every form is an `ActionForm`, so it posts without WASM too.

use super::api::{ChangeCommunityRoles, DeleteRole, SaveRole, SetUserRoles, list_roles};
use crate::{AppError, components::ErrorView};
use leptos::prelude::*;
use leptos_meta::Title;
use types::roles::{RoleRow, RolesOverview};

/// The Roles page.
#[component]
pub fn RolesPage() -> impl IntoView {
    let save = ServerAction::<SaveRole>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let overview = Resource::new(move || (save.version().get(), delete.version().get()), |_| list_roles());
    view! {
        <Title text="Roles" />
        <section class="page roles">
            <header class="page__header">
                <h1>"Roles"</h1>
                <p class="page__lede">"Social+ roles and the permissions they grant in the apps. Changes take effect in Social+ at once."</p>
            </header>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading roles…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <RolesAdmin overview save delete /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            <GrantForms />
        </section>
    }
}

/// The outcome line of a form: a success text or the error next to its field.
fn outcome<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    success: impl Fn(&T) -> String + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        value.get().map(|result| match result {
            Ok(done) => {
                view! { <p class="alert alert--success" role="status">{success(&done)}</p> }.into_any()
            }
            Err(AppError::InvalidInput { field, message }) => view! {
                <p class="field__error roles-error" role="alert" data-field=field>{message}</p>
            }
            .into_any(),
            Err(error) => view! { <ErrorView error /> }.into_any(),
        })
    }
}

#[component]
fn RolesAdmin(
    overview: RolesOverview,
    save: ServerAction<SaveRole>,
    delete: ServerAction<DeleteRole>,
) -> impl IntoView {
    let permissions = StoredValue::new(overview.permissions.clone());
    let count = overview.roles.len();
    view! {
        <section class="card" aria-labelledby="roles-create-title">
            <h2 id="roles-create-title">"Create a role"</h2>
            {outcome(save.value(), |role: &RoleRow| format!("Saved role “{}”.", role.role_id))}
            {outcome(delete.value(), |id: &String| format!("Deleted role “{id}”."))}
            <RoleFormFields action=save role=None permissions=permissions.get_value() />
        </section>
        <div class="table-wrap">
            <table class="table roles-table" data-testid="roles-table">
                <caption class="visually-hidden">{format!("{count} roles")}</caption>
                <thead>
                    <tr><th scope="col">"Role"</th><th scope="col">"Permissions"</th><th scope="col">"Change"</th></tr>
                </thead>
                <tbody>
                    {overview.roles.into_iter().map(|role| {
                        let id = role.role_id.clone();
                        let label = role.display_name.clone().unwrap_or_else(|| id.clone());
                        let granted = if role.permissions.is_empty() { "None".to_owned() } else { role.permissions.join(", ") };
                        view! {
                            <tr data-role=id.clone()>
                                <td>
                                    <strong>{label}</strong>" "<code>{id.clone()}</code>
                                    {role.system.then(|| view! { " " <span class="badge badge--role">"built-in"</span> })}
                                </td>
                                <td class="roles-permissions">{granted}</td>
                                <td>
                                    <details class="roles-edit">
                                        <summary>"Edit"</summary>
                                        <RoleFormFields action=save role=Some(role.clone()) permissions=permissions.get_value() />
                                    </details>
                                    {(!role.system).then(|| view! { <DeleteForm action=delete role_id=id.clone() /> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The create form (`role` = None) or the edit form of `role`.
#[component]
fn RoleFormFields(
    action: ServerAction<SaveRole>,
    role: Option<RoleRow>,
    permissions: Vec<String>,
) -> impl IntoView {
    let editing = role.is_some();
    let prefix = role.as_ref().map_or_else(|| "new".to_owned(), |r| format!("edit-{}", r.role_id));
    let granted = role.as_ref().map(|r| r.permissions.clone()).unwrap_or_default();
    let (role_id, display_name) = role
        .as_ref()
        .map(|r| (r.role_id.clone(), r.display_name.clone().unwrap_or_default()))
        .unwrap_or_default();
    view! {
        <ActionForm action attr:class="form roles-form">
            <input type="hidden" name="mode" value=if editing { "edit" } else { "create" } />
            <div class="field">
                <label for=format!("{prefix}-id")>"Role id"</label>
                {if editing {
                    view! {
                        <input id=format!("{prefix}-id") type="text" value=role_id.clone() disabled />
                        <input type="hidden" name="role_id" value=role_id.clone() />
                    }.into_any()
                } else {
                    view! { <input id=format!("{prefix}-id") name="role_id" type="text" required maxlength="100" pattern="[^\\s\\/]+" autocomplete="off" /> }.into_any()
                }}
            </div>
            <div class="field">
                <label for=format!("{prefix}-name")>"Display name"</label>
                <input id=format!("{prefix}-name") name="display_name" type="text" maxlength="100" value=display_name autocomplete="off" />
            </div>
            <fieldset class="roles-permission-list">
                <legend>"Permissions"</legend>
                {permissions.into_iter().map(|permission| {
                    let checked = granted.contains(&permission);
                    view! {
                        <label class="roles-permission">
                            <input type="checkbox" name="permissions[]" value=permission.clone() checked=checked />
                            " " {permission.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">{if editing { "Save role" } else { "Create role" }}</button>
        </ActionForm>
    }
}

#[component]
fn DeleteForm(action: ServerAction<DeleteRole>, role_id: String) -> impl IntoView {
    let field = format!("delete-{role_id}");
    view! {
        <details class="roles-delete">
            <summary>"Delete"</summary>
            <ActionForm action attr:class="form">
                <p>"Deleting a role takes it away from every user who holds it. This cannot be undone."</p>
                <input type="hidden" name="role_id" value=role_id.clone() />
                <div class="field">
                    <label for=field.clone()>{format!("Type “{role_id}” to confirm")}</label>
                    <input id=field name="confirmation" type="text" required autocomplete="off" />
                </div>
                <button type="submit" class="button button--danger">"Delete role"</button>
            </ActionForm>
        </details>
    }
}

/// Granting roles: a user's system roles, and a member's community roles.
#[component]
fn GrantForms() -> impl IntoView {
    let set_roles = ServerAction::<SetUserRoles>::new();
    let community = ServerAction::<ChangeCommunityRoles>::new();
    let list = |roles: &Vec<String>| if roles.is_empty() { "none".to_owned() } else { roles.join(", ") };
    view! {
        <section class="card" aria-labelledby="roles-user-title">
            <h2 id="roles-user-title">"A user's roles"</h2>
            {outcome(set_roles.value(), move |roles: &Vec<String>| format!("The user's roles are now: {}.", list(roles)))}
            <ActionForm action=set_roles attr:class="form">
                <div class="field">
                    <label for="roles-user-id">"User id"</label>
                    <input id="roles-user-id" name="user_id" type="text" required autocomplete="off" />
                </div>
                <div class="field">
                    <label for="roles-user-roles">"Roles (the complete list, separated by commas)"</label>
                    <input id="roles-user-roles" name="roles" type="text" autocomplete="off" />
                </div>
                <button type="submit" class="button">"Set roles"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="roles-community-title">
            <h2 id="roles-community-title">"Community roles of a member"</h2>
            {outcome(community.value(), move |roles: &Vec<String>| format!("The member's community roles are now: {}.", list(roles)))}
            <ActionForm action=community attr:class="form">
                <div class="field">
                    <label for="roles-community-id">"Community id"</label>
                    <input id="roles-community-id" name="community_id" type="text" required autocomplete="off" />
                </div>
                <div class="field">
                    <label for="roles-member-id">"Member's user id"</label>
                    <input id="roles-member-id" name="user_id" type="text" required autocomplete="off" />
                </div>
                <div class="field">
                    <label for="roles-community-roles">"Community roles (separated by commas)"</label>
                    <input id="roles-community-roles" name="roles" type="text" required autocomplete="off" />
                </div>
                <div class="field">
                    <label for="roles-community-change">"Change"</label>
                    <select id="roles-community-change" name="change">
                        <option value="grant">"Grant"</option>
                        <option value="revoke">"Take away"</option>
                    </select>
                </div>
                <button type="submit" class="button">"Apply"</button>
            </ActionForm>
        </section>
    }
}
