//! Keystone's `/v3/credentials`: list (filters in the URL, search, sort, bulk delete), create per
//! type, show with masked secrets, blob update, delete.

use crate::api::credentials::{
    self, base32, blob_fields, check_blob, ec2_access, otpauth_uri, searchable_blob, secret_fields,
    Created, Credential, RecreateFailure,
};
use crate::api::ec2::encode_segment;
use crate::api::export::{Cell, ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::api::users::{all_projects, all_users, projects_of};
use crate::api::ApiError;
use crate::browser::{random_bytes, random_hex};
use crate::components::{
    use_operations, use_toasts, ConfirmDialog, ErrorNotice, OneTimeSecret, OwnProjects, PageLife,
    ProjectField, RowWindow, SecretField, SecretFile, SecretSnippet,
};
use crate::routing::use_page_href;
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use std::collections::{BTreeSet, HashMap};

const MASK: &str = "••••••••••••";

/// Ids to names, looked up once per page: users and projects.
#[derive(Debug, Clone, Default, PartialEq)]
struct Names {
    users: HashMap<String, String>,
    projects: HashMap<String, String>,
}

impl Names {
    fn user(&self, id: &str) -> String {
        self.users
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn project(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => self
                .projects
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => "—".to_string(),
        }
    }
}

fn use_names() -> LocalResource<Names> {
    let store = use_session();
    LocalResource::new(move || {
        let client = store.client();
        let url = store.identity_url();
        let session = store.active();
        let admin = store.is_admin();
        async move {
            let mut names = Names::default();
            if let Some(session) = &session {
                names
                    .users
                    .insert(session.info.user.id.clone(), session.info.user.name.clone());
            }
            if admin {
                if let Ok(users) = all_users(&client, &url).await {
                    names
                        .users
                        .extend(users.into_iter().map(|u| (u.id, u.name)));
                }
                if let Ok(projects) = all_projects(&client, &url).await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            } else if let Some(session) = &session {
                if let Ok(projects) = projects_of(&client, &url, &session.info.user.id).await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            }
            names
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Type,
    User,
    Project,
    Id,
}

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let query = use_query_map();
    let navigate = use_navigate();
    let page_href = use_page_href();
    let url = store.identity_url();
    let filter_user =
        Memo::new(move |_| query.with(|q| q.get("user_id")).filter(|u| !u.is_empty()));
    let filter_type = Memo::new(move |_| query.with(|q| q.get("type")).filter(|t| !t.is_empty()));
    let operations = use_operations();
    let page = PageLife::new();
    let names = use_names();

    let list_url = url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let listing = LocalResource::new(move || {
        let (user, kind, _) = (filter_user.get(), filter_type.get(), operations.changed());
        let (client, url) = (store.client(), list_url.clone());
        async move { credentials::list(&client, &url, user.as_deref(), kind.as_deref()).await }
    });

    let set_filter = {
        let navigate = navigate.clone();
        move |user: Option<String>, kind: Option<String>| {
            let mut parts = Vec::new();
            if let Some(user) = user.filter(|u| !u.is_empty()) {
                parts.push(format!("user_id={}", js_sys::encode_uri_component(&user)));
            }
            if let Some(kind) = kind.filter(|k| !k.is_empty()) {
                parts.push(format!("type={}", js_sys::encode_uri_component(&kind)));
            }
            let target = if parts.is_empty() {
                "/credentials".to_string()
            } else {
                format!("/credentials?{}", parts.join("&"))
            };
            navigate(&target, Default::default());
        }
    };
    let set_filter = StoredValue::new_local(set_filter);

    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Type, true));
    // Names and the lower-case text to search are worked out once per listing, and sorted once
    // per sort order, so a keystroke in the search box only filters.
    let prepared = Memo::new(move |_| {
        let Some(Ok(list)) = listing.get() else {
            return Vec::new();
        };
        let names = names.get().unwrap_or_default();
        let mut prepared: Vec<(Credential, String, String, String)> = list
            .credentials
            .into_iter()
            .map(|c| {
                let user = names.user(&c.user_id);
                let project = names.project(c.project_id.as_deref());
                let haystack = [
                    c.id.as_str(),
                    c.kind.as_str(),
                    &user,
                    &project,
                    &searchable_blob(&c.kind, &c.blob),
                ]
                .join(" ")
                .to_lowercase();
                (c, user, project, haystack)
            })
            .collect();
        let (by, ascending) = sort.get();
        prepared.sort_by(|a, b| {
            let key = |r: &(Credential, String, String, String)| match by {
                SortBy::Type => r.0.kind.clone(),
                SortBy::User => r.1.to_lowercase(),
                SortBy::Project => r.2.to_lowercase(),
                SortBy::Id => r.0.id.clone(),
            };
            let order = key(a).cmp(&key(b)).then_with(|| a.0.id.cmp(&b.0.id));
            if ascending {
                order
            } else {
                order.reverse()
            }
        });
        prepared
    });
    // The matches, as positions in `prepared` (ascending).
    let rows = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        prepared.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, (_, _, _, haystack))| needle.is_empty() || haystack.contains(&needle))
                .map(|(at, _)| at)
                .collect::<Vec<_>>()
        })
    });
    let window = RowWindow::new();
    let drawn = move || rows.with(|r| window.rows(r.len()));
    let has_rows = Memo::new(move |_| rows.with(|r| !r.is_empty()));
    Effect::new(move |_| {
        if has_rows.get() {
            window.measure_next_frame();
        }
    });
    let visible_rows = move || {
        let range = drawn();
        rows.with(|r| {
            prepared.with(|all| {
                r.get(range)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|at| {
                        all.get(*at).map(|(c, user, project, _)| {
                            (*at, c.clone(), user.clone(), project.clone())
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    let selected = RwSignal::new(BTreeSet::<String>::new());
    let bulk_results = RwSignal::new(Vec::<(String, Result<(), ApiError>)>::new());
    let confirming_bulk = RwSignal::new(false);
    let delete_url = url.clone();
    let bulk_delete = Action::new_local(move |ids: &Vec<String>| {
        let (ids, client, url) = (ids.clone(), store.client(), delete_url.clone());
        let what = format!("Deleting {} credentials", ids.len());
        let work = async move {
            let mut results = Vec::new();
            for id in ids {
                let outcome = credentials::delete(&client, &url, &id).await;
                results.push((id, outcome));
            }
            Ok::<_, ApiError>(results)
        };
        async move {
            let Ok(results) = operations.run(what, Some(page), work).await else {
                return;
            };
            let failed = results.iter().filter(|(_, r)| r.is_err()).count();
            if failed == 0 {
                toasts.success(format!("{} credentials deleted.", results.len()));
            } else {
                toasts.error(format!(
                    "{failed} of {} deletions failed; see the results.",
                    results.len()
                ));
            }
            // Shown only while the page is.
            bulk_results.try_set(results);
            selected.try_set(BTreeSet::new());
        }
    });

    let user_name_filter = RwSignal::new(String::new());
    let find_url = url.clone();
    let find_user = Action::new_local(move |name: &String| {
        let (name, client, url) = (name.trim().to_string(), store.client(), find_url.clone());
        async move {
            let users = crate::api::users::find_by_name(&client, &url, &name).await?;
            match users.first() {
                Some(user) => {
                    // Only on the page that asked: once it is gone, nothing navigates.
                    set_filter.try_with_value(|f| {
                        f(
                            Some(user.id.clone()),
                            filter_type.try_get_untracked().flatten(),
                        )
                    });
                    Ok(())
                }
                None => Err(format!("No user is named \"{name}\".")),
            }
            .map_err(|message| ApiError::Unexpected {
                status: 404,
                detail: message,
                request_id: None,
            })
        }
    });

    let header = move |label: &'static str, by: SortBy| {
        let arrow = move || match sort.get() {
            (current, true) if current == by => " ▲",
            (current, false) if current == by => " ▼",
            _ => "",
        };
        view! {
            <th scope="col" aria-sort=move || match sort.get() {
                (current, true) if current == by => "ascending",
                (current, false) if current == by => "descending",
                _ => "none",
            }>
                <button type="button" class="sort" on:click=move |_| sort.update(|(current, ascending)| {
                    if *current == by { *ascending = !*ascending } else { *current = by; *ascending = true }
                })>
                    {label}{arrow}
                </button>
            </th>
        }
    };

    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Credentials"</h1>
            <p class="page-intro">"Keystone's v3 credentials: EC2 key pairs, TOTP seeds, certificates and custom types."</p>
            <CreateCredential/>
            <section class="panel" aria-labelledby="list-title">
                <h2 id="list-title">"All credentials"</h2>
                <div class="filters">
                    <Show when=move || store.is_admin()>
                        <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let name = user_name_filter.get_untracked();
                            if name.trim().is_empty() {
                                set_filter.with_value(|f| f(None, filter_type.get_untracked()));
                            } else {
                                find_user.dispatch(name);
                            }
                        }>
                            <label class="field-inline">
                                <span>"User name"</span>
                                <input name="filter-user" placeholder="everyone" bind:value=user_name_filter/>
                            </label>
                            <button type="submit" class="button">"Filter"</button>
                        </form>
                    </Show>
                    <label class="field-inline">
                        <span>"Type"</span>
                        <select name="filter-type" on:change=move |ev| {
                            let kind = event_target_value(&ev);
                            set_filter.with_value(|f| f(filter_user.get_untracked(), Some(kind)));
                        }>
                            {["", "ec2", "totp", "cert"].into_iter().map(|k| view! {
                                <option value=k selected=move || filter_type.get().unwrap_or_default() == k>
                                    {if k.is_empty() { "all types" } else { k }}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field-inline">
                        <span>"Search"</span>
                        <input name="search" type="search" placeholder="id, type, user, project, blob"
                            prop:value=move || search.get()
                            on:input=move |ev| search.set(event_target_value(&ev))/>
                    </label>
                </div>
                {move || filter_user.get().map(|user| {
                    let shown = names.get().map(|n| n.user(&user)).unwrap_or(user);
                    view! {
                        <p data-test="active-filter">
                            "Showing the credentials of " <strong>{shown}</strong> " "
                            <button type="button" class="button button-small" on:click=move |_| {
                                set_filter.with_value(|f| f(None, filter_type.get_untracked()));
                            }>"Show everyone's"</button>
                        </p>
                    }
                })}
                {move || find_user.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error action="Filtering failed"/> })}
                {move || match listing.get() {
                    None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error action="Listing credentials failed"/> }.into_any(),
                    Some(Ok(list)) => view! {
                        {list.truncated.then(|| view! {
                            <p class="notice notice-warning" data-test="truncated">
                                "Keystone returned only part of the list (its list_limit). Filter by user or type to see the rest."
                            </p>
                        })}
                        // A live region: the count is read out as the search narrows the list.
                        <p class="count" role="status" data-test="count">{move || match rows.with(Vec::len) {
                            1 => "1 match".to_string(),
                            n => format!("{n} matches"),
                        }}</p>
                    }.into_any(),
                }}
                <div class="bulk-actions">
                    <button type="button" class="button button-danger-outline" data-test="bulk-delete"
                        disabled=move || selected.with(BTreeSet::is_empty) || bulk_delete.pending().get()
                        on:click=move |_| confirming_bulk.set(true)>
                        {move || format!("Delete selected ({})", selected.with(BTreeSet::len))}
                    </button>
                </div>
                <div class="table-scroll" node_ref=window.scroller on:scroll=move |_| window.measure()>
                    <table class="table table-rows" data-test="credentials-table" aria-rowcount=move || rows.with(Vec::len) + 1>
                        <thead>
                            <tr aria-rowindex="1">
                                <th scope="col" class="col-select"><span class="visually-hidden">"Select"</span></th>
                                {header("Type", SortBy::Type)}
                                {header("User", SortBy::User)}
                                {header("Project", SortBy::Project)}
                                {header("ID", SortBy::Id)}
                            </tr>
                        </thead>
                        <tbody>
                            <tr class="spacer" aria-hidden="true"><td colspan="5" style:height=move || window.height_of(drawn().start)></td></tr>
                            // Keyed by position too: a new sort order draws its rows anew, and the
                            // row numbers below follow the matches.
                            <For each=visible_rows key=|(at, c, user, project)| (*at, c.id.clone(), user.clone(), project.clone()) let:row>
                                {
                                    let (at, credential, user, project) = row;
                                    let id = credential.id.clone();
                                    // Encoded: an id is never read as more than one segment of the path.
                                    let href = page_href(&format!("/credentials/{}", encode_segment(&id)));
                                    let short_id = format!("{}…", id.chars().take(16).collect::<String>());
                                    let for_check = id.clone();
                                    let checked = {
                                        let id = id.clone();
                                        move || selected.with(|s| s.contains(&id))
                                    };
                                    // Its place among the matches, read out by screen readers (the table
                                    // says how many rows it has, though only some are drawn).
                                    let row_number = move || rows.with(|r| r.binary_search(&at).unwrap_or_default() + 2);
                                    view! {
                                        <tr data-test="credential-row" data-id=id.clone() data-type=credential.kind.clone() aria-rowindex=row_number>
                                            <td>
                                                <input type="checkbox" aria-label=format!("Select {}", id) prop:checked=checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected.update(|s| { if on { s.insert(for_check.clone()); } else { s.remove(&for_check); } });
                                                    }/>
                                            </td>
                                            <td>{credential.kind.clone()}</td>
                                            <td title=user.clone()>{user.clone()}</td>
                                            <td title=project.clone()>{project.clone()}</td>
                                            <td><a href=href><code>{short_id}</code></a></td>
                                        </tr>
                                    }
                                }
                            </For>
                            <tr class="spacer" aria-hidden="true"><td colspan="5" style:height=move || window.height_of(rows.with(Vec::len).saturating_sub(drawn().end))></td></tr>
                        </tbody>
                    </table>
                </div>
                <Show when=move || bulk_results.with(|r| !r.is_empty())>
                    <ul class="bulk-results" data-test="bulk-results">
                        {move || bulk_results.get().into_iter().map(|(id, outcome)| match outcome {
                            Ok(()) => view! { <li class="done">{format!("{id}: deleted")}</li> }.into_any(),
                            Err(error) => view! { <li class="failed">{format!("{id}: failed — {error}")}</li> }.into_any(),
                        }).collect_view()}
                    </ul>
                </Show>
            </section>
        </section>
        <ConfirmDialog
            open=confirming_bulk
            title="Delete the selected credentials?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming_bulk.set(false);
                bulk_delete.dispatch(selected.get_untracked().into_iter().collect());
            })
            on_cancel=Callback::new(move |_| confirming_bulk.set(false))
        >
            <p data-test="confirm-text">{move || format!("{} credentials will be deleted: {}", selected.with(BTreeSet::len), selected.get().into_iter().collect::<Vec<_>>().join(", "))}</p>
        </ConfirmDialog>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewKind {
    Ec2,
    Totp,
    Cert,
    Custom,
}

impl NewKind {
    /// The value of its option in the form.
    fn name(self) -> &'static str {
        match self {
            NewKind::Ec2 => "ec2",
            NewKind::Totp => "totp",
            NewKind::Cert => "cert",
            NewKind::Custom => "custom",
        }
    }

    fn named(name: &str) -> Self {
        match name {
            "totp" => NewKind::Totp,
            "cert" => NewKind::Cert,
            "custom" => NewKind::Custom,
            _ => NewKind::Ec2,
        }
    }
}

/// The create form: one form per type, blobs checked before sending.
#[component]
fn CreateCredential() -> impl IntoView {
    let store = use_session();
    let operations = use_operations();
    let toasts = use_toasts();
    let page = PageLife::new();
    let url = store.identity_url();
    let session = store.active();
    let own_id = session
        .as_ref()
        .map(|s| s.info.user.id.clone())
        .unwrap_or_default();
    let own_name = session
        .as_ref()
        .map(|s| s.info.user.name.clone())
        .unwrap_or_default();
    let token_project = session
        .as_ref()
        .and_then(|s| s.info.project.as_ref().map(|p| p.id.clone()))
        .unwrap_or_default();

    // Drafts: a session that ends before the form is sent comes back to it as it was.
    let kind = store.draft("new-credential/type", || NewKind::Ec2);
    let owner = store.draft("new-credential/owner", || own_id.clone());
    let project = store.draft("new-credential/project", || token_project);
    let own_projects = OwnProjects::read();
    // Cleared once the credential exists, also when that is after the page was left.
    let sent_access = store.draft_handle("new-credential/access", String::new);
    let sent_secret = store.draft_handle("new-credential/secret", String::new);
    let (access, secret) = (
        RwSignal::from(sent_access.clone()),
        RwSignal::from(sent_secret.clone()),
    );
    let pem = store.draft("new-credential/pem", String::new);
    let custom_type = store.draft("new-credential/custom-type", String::new);
    let custom_blob = store.draft("new-credential/custom-blob", || "{}".to_string());
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(
        move |(kind, owner, project, blob, secret): &(
            String,
            String,
            Option<String>,
            String,
            Option<OneTimeSecret>,
        )| {
            let (kind, owner, project, blob, secret) = (
                kind.clone(),
                owner.clone(),
                project.clone(),
                blob.clone(),
                secret.clone(),
            );
            let (client, url) = (store.client(), url.clone());
            let (sent_access, sent_secret) = (sent_access.clone(), sent_secret.clone());
            let what = format!("Creating a {kind} credential");
            let work = async move {
                let created = credentials::create_once(
                    &client,
                    &url,
                    &kind,
                    &owner,
                    project.as_deref(),
                    &blob,
                )
                .await?;
                // The secret now lives in its dialog only, shown once Keystone has the credential.
                sent_access.set(String::new());
                sent_secret.set(String::new());
                if let Some(secret) = secret {
                    operations.reveal(secret);
                }
                Ok(created)
            };
            async move {
                let outcome = operations.run(what, Some(page), work).await;
                if let Ok((created, _)) = &outcome {
                    if page.gone() {
                        toasts.success(format!(
                            "Created {} credential {}.",
                            created.kind, created.id
                        ));
                    }
                }
                outcome
            }
        },
    );

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        problem.set(None);
        let owner_id = owner.get_untracked();
        let (type_name, blob, project_id, secrets) = match kind.get_untracked() {
            NewKind::Ec2 => {
                let access_key = Some(access.get_untracked().trim().to_string())
                    .filter(|a| !a.is_empty())
                    .or_else(|| random_hex(16));
                let secret_key = Some(secret.get_untracked().trim().to_string())
                    .filter(|s| !s.is_empty())
                    .or_else(|| random_hex(16));
                let (Some(access_key), Some(secret_key)) = (access_key, secret_key) else {
                    problem.set(Some(
                        "The browser could not generate keys; type them.".into(),
                    ));
                    return;
                };
                // Keep what was sent, so a retry sends the same access key (and so the same id).
                access.set(access_key.clone());
                secret.set(secret_key.clone());
                let blob =
                    serde_json::json!({"access": access_key, "secret": secret_key}).to_string();
                // The AWS CLI names the profile after the user: the name when known.
                let user_name = if owner_id == own_id {
                    own_name.clone()
                } else {
                    owner_id.clone()
                };
                let files = vec![SecretFile::credentials_csv(
                    &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
                    &[vec![
                        Cell::Text(user_name),
                        Cell::Key(access_key.clone()),
                        Cell::Key(secret_key.clone()),
                    ]],
                )];
                let fields = vec![
                    SecretField {
                        label: "Access key".into(),
                        value: access_key,
                    },
                    SecretField {
                        label: "Secret key".into(),
                        value: secret_key,
                    },
                ];
                (
                    "ec2".to_string(),
                    blob,
                    // A project id of only spaces is no project (Keystone would store it).
                    Some(project.get_untracked().trim().to_string()),
                    (fields, files, Vec::new()),
                )
            }
            NewKind::Totp => {
                let Some(seed) = random_bytes(20).map(|b| base32(&b)) else {
                    problem.set(Some("The browser could not generate a seed.".into()));
                    return;
                };
                let account = if owner_id == own_id {
                    own_name.clone()
                } else {
                    owner_id.clone()
                };
                let uri = otpauth_uri("Keystone", &account, &seed);
                let fields = vec![SecretField {
                    label: "TOTP seed (base32)".into(),
                    value: seed.clone(),
                }];
                let snippets = vec![SecretSnippet {
                    title: "otpauth URI (paste into, or make a QR code for, an authenticator app)"
                        .into(),
                    text: uri,
                }];
                (
                    "totp".to_string(),
                    seed,
                    None,
                    (fields, Vec::new(), snippets),
                )
            }
            NewKind::Cert => (
                "cert".to_string(),
                pem.get_untracked(),
                None,
                (Vec::new(), Vec::new(), Vec::new()),
            ),
            NewKind::Custom => (
                custom_type.get_untracked().trim().to_string(),
                custom_blob.get_untracked(),
                None,
                (Vec::new(), Vec::new(), Vec::new()),
            ),
        };
        if type_name.is_empty() {
            problem.set(Some("Name the credential type.".into()));
            return;
        }
        if let Err(message) = check_blob(&type_name, &blob) {
            problem.set(Some(message));
            return;
        }
        if type_name == "ec2" {
            // Keystone itself refuses delegated tokens here, but only after the secret was made
            // and sent: say why before anything is sent.
            if let Some(why) = delegation_refusal(store.delegation()) {
                problem.set(Some(why.into()));
                return;
            }
            if project_id.as_deref().is_none_or(str::is_empty) {
                problem.set(Some("An ec2 credential needs a project.".into()));
                return;
            }
        }
        if let Some(why) = own_projects.refusal(project_id.as_deref().unwrap_or_default()) {
            problem.set(Some(why));
            return;
        }
        let secret = (!secrets.0.is_empty()).then(|| OneTimeSecret {
            fields: secrets.0,
            files: secrets.1,
            snippets: secrets.2,
            ..OneTimeSecret::new(format!("New {type_name} credential"), type_name.clone())
        });
        create.dispatch((type_name, owner_id, project_id, blob, secret));
    };

    let outcome = move || create.value().get();
    view! {
        <section class="panel" aria-labelledby="create-cred-title">
            <h2 id="create-cred-title">"New credential"</h2>
            <form class="form" on:submit=submit data-test="create-credential">
                <label class="field">
                    <span>"Type"</span>
                    <select name="new-type" on:change=move |ev| kind.set(NewKind::named(&event_target_value(&ev)))>
                        {[
                            (NewKind::Ec2, "ec2 (access and secret key)"),
                            (NewKind::Totp, "totp (one-time password seed)"),
                            (NewKind::Cert, "cert (PEM certificate)"),
                            (NewKind::Custom, "another type (JSON blob)"),
                        ]
                        .map(|(each, label)| view! { <option value=each.name() selected=move || kind.get() == each>{label}</option> })
                        .collect_view()}
                    </select>
                </label>
                <Show when=move || store.is_admin()>
                    <label class="field">
                        <span>"Owner (user ID)"</span>
                        <input name="new-owner" bind:value=owner/>
                    </label>
                </Show>
                <Show when=move || kind.get() == NewKind::Ec2>
                    <ProjectField
                        projects=own_projects
                        name="new-project"
                        label="Project ID (required; your token's project by default)"
                        value=project
                        on_change=move |id| project.set(id)
                    />
                    <label class="field">
                        <span>"Access key " <small>"(empty: generated in your browser)"</small></span>
                        <input name="new-access" autocomplete="off" bind:value=access/>
                    </label>
                    <label class="field">
                        <span>"Secret key " <small>"(empty: generated in your browser)"</small></span>
                        <input name="new-secret" type="password" autocomplete="new-password" bind:value=secret/>
                    </label>
                </Show>
                <Show when=move || kind.get() == NewKind::Totp>
                    <p>"A random seed is generated in your browser and shown once, with an otpauth:// URI for an authenticator app."</p>
                </Show>
                <Show when=move || kind.get() == NewKind::Cert>
                    <label class="field">
                        <span>"Certificate (PEM)"</span>
                        <textarea name="new-pem" rows="6" prop:value=move || pem.get() on:input=move |ev| pem.set(event_target_value(&ev))></textarea>
                    </label>
                </Show>
                <Show when=move || kind.get() == NewKind::Custom>
                    <label class="field">
                        <span>"Type name"</span>
                        <input name="new-custom-type" bind:value=custom_type/>
                    </label>
                    <label class="field">
                        <span>"Blob (JSON)"</span>
                        <textarea name="new-blob" rows="5" prop:value=move || custom_blob.get() on:input=move |ev| custom_blob.set(event_target_value(&ev))></textarea>
                    </label>
                </Show>
                <button type="submit" class="button button-primary" data-test="create-submit" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create credential" }}
                </button>
            </form>
            {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
            {move || match outcome() {
                Some(Err(error)) => Some(view! { <ErrorNotice error action="Creating the credential failed"/> }.into_any()),
                Some(Ok((created, Created::Earlier))) => Some(view! {
                    <p class="notice notice-info" role="status" data-test="already-created">
                        {format!("This ec2 credential already exists (id {}): an earlier attempt was created. Nothing was created twice.", created.id)}
                    </p>
                }.into_any()),
                Some(Ok((created, Created::Now))) => Some(view! {
                    <p class="notice notice-info" role="status" data-test="created">
                        {format!("Created {} credential {}.", created.kind, created.id)}
                    </p>
                }.into_any()),
                None => None,
            }}
        </section>
    }
}

/// One credential: all fields, the blob per type with its secrets masked, blob update, delete.
#[component]
pub fn CredentialPage() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let params = use_params_map();
    let navigate = use_navigate();
    let page_href = use_page_href();
    let url = store.identity_url();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let operations = use_operations();
    let page = PageLife::new();
    let names = use_names();
    let show_url = url.clone();
    // Read again whenever a write finished.
    let credential = LocalResource::new(move || {
        let (id, _) = (id.get(), operations.changed());
        let (client, url) = (store.client(), show_url.clone());
        async move { credentials::show(&client, &url, &id).await }
    });
    let revealed = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let delete_url = url.clone();
    let id_now = id;
    let delete = Action::new_local(move |id: &String| {
        let (id, client, url, navigate) = (
            id.clone(),
            store.client(),
            delete_url.clone(),
            navigate.clone(),
        );
        let page_showing =
            move |deleted: &String| id_now.try_get_untracked().as_ref() == Some(deleted);
        async move {
            let work = credentials::delete(&client, &url, &id);
            let what = format!("Deleting credential {id}");
            operations.run(what, Some(page), work).await?;
            toasts.success(format!("Credential {id} deleted."));
            // Back to the list only from the page that asked, still showing that credential.
            if page_showing(&id) {
                navigate("/credentials", Default::default());
            }
            Ok::<(), ApiError>(())
        }
    });

    // Blob update: the server's current blob is read again before the change is shown. The
    // draft survives the page (a session that ends mid-edit comes back to it after signing in).
    let draft = Memo::new(move |_| {
        store.draft(&format!("credential-blob/{}", id.get()), || None::<String>)
    });
    let review = RwSignal::new(None::<Result<(String, String), ApiError>>);
    let review_url = url.clone();
    let start_review = Action::new_local(move |(id, proposed): &(String, String)| {
        let (id, proposed, client, url) = (
            id.clone(),
            proposed.clone(),
            store.client(),
            review_url.clone(),
        );
        async move {
            let current = credentials::show(&client, &url, &id).await;
            review.try_set(Some(current.map(|current| (current.blob, proposed))));
        }
    });
    let save_url = url.clone();
    let save = Action::new_local(move |(id, blob): &(String, String)| {
        let (id, blob, client, url) = (id.clone(), blob.clone(), store.client(), save_url.clone());
        // The draft as the store keeps it: cleared also when the page was left meanwhile.
        let draft = store.draft_handle(&format!("credential-blob/{id}"), || None::<String>);
        async move {
            let work = credentials::update_blob(&client, &url, &id, &blob);
            operations
                .run(format!("Saving the blob of {id}"), Some(page), work)
                .await?;
            toasts.success("Blob saved.");
            draft.set(None);
            review.try_set(None);
            Ok::<(), ApiError>(())
        }
    });

    // Type and project cannot be PATCHed (Keystone 30 accepts only the blob): they change by
    // re-creating. An ec2 credential's id comes from its access key, so the old one must go first;
    // if the new one then fails, the old one is put back.
    let recreate_form = RwSignal::new(None::<(String, String)>);
    // Whether the form is open, apart from what is typed in it: typing must not rebuild the form.
    let recreate_open = Memo::new(move |_| recreate_form.with(Option::is_some));
    let recreate_steps = RwSignal::new(Vec::<String>::new());
    let recreate_url = url.clone();
    let recreate_navigate = use_navigate();
    let own_projects = OwnProjects::read();
    let recreate = Action::new_local(move |(old, kind, project): &(Credential, String, String)| {
        let (old, kind, project) = (
            old.clone(),
            kind.trim().to_string(),
            project.trim().to_string(),
        );
        let (client, url, navigate) = (
            store.client(),
            recreate_url.clone(),
            recreate_navigate.clone(),
        );
        let what = format!("Changing credential {}", old.id);
        // Refused before anything is deleted: an ec2 credential for a delegated token (Keystone
        // refuses it, after the old one would already be gone), or without a project.
        let refused = match kind == "ec2" {
            true => delegation_refusal(store.delegation())
                .map(str::to_string)
                .or_else(|| {
                    project.is_empty().then(|| {
                        "An ec2 credential needs a project: nothing was changed.".to_string()
                    })
                }),
            false => None,
        }
        .or_else(|| own_projects.refusal(&project));
        let work = async move {
            if let Some(why) = refused {
                return Err(RecreateFailure {
                    steps: vec![why],
                    lost_blob: None,
                });
            }
            let project = Some(project).filter(|p| !p.is_empty());
            let outcome =
                credentials::recreate(&client, &url, &old, &kind, project.as_deref()).await;
            if let Err(RecreateFailure {
                lost_blob: Some(blob),
                ..
            }) = &outcome
            {
                operations.reveal(OneTimeSecret {
                    fields: vec![SecretField {
                        label: "Blob".into(),
                        value: blob.clone(),
                    }],
                    ..OneTimeSecret::new(
                        format!("The blob of the deleted credential {}", old.id),
                        old.id.clone(),
                    )
                });
            }
            outcome.map(|(new, steps)| (old.id, new, steps))
        };
        async move {
            match operations.run(what, Some(page), work).await {
                Ok((old_id, new, steps)) => {
                    toasts.success(steps.join(" "));
                    recreate_steps.try_set(steps);
                    recreate_form.try_set(None);
                    // Only from the page that asked, still showing the old credential.
                    if id.try_get_untracked().as_ref() == Some(&old_id) {
                        navigate(&format!("/credentials/{}", new.id), Default::default());
                    }
                    Ok(())
                }
                Err(failure) => {
                    recreate_steps.try_set(failure.steps.clone());
                    Err(failure)
                }
            }
        }
    });

    view! {
        <section class="page" aria-labelledby="page-title">
            <p><A href=page_href("/credentials")>"← All credentials"</A></p>
            <h1 id="page-title">"Credential"</h1>
            {move || match credential.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Err(error)) => {
                    let action = if error.status() == Some(403) || error.status() == Some(404) {
                        "This credential was not found or you may not see it"
                    } else {
                        "Reading the credential failed"
                    };
                    view! { <ErrorNotice error action/> }.into_any()
                }
                Some(Ok(c)) => {
                    let names = names.get().unwrap_or_default();
                    let secrets = secret_fields(&c.kind);
                    let fields = blob_fields(&c.blob);
                    let (id_for_save, for_edit, for_review) = (c.id.clone(), c.clone(), c.id.clone());
                    let for_draft = c.blob.clone();
                    let for_recreate = (c.kind.clone(), c.project_id.clone().unwrap_or_default());
                    let for_recreate_action = c.clone();
                    let is_ec2 = c.kind == "ec2";
                    view! {
                        <dl class="facts" data-test="credential-facts">
                            <dt>"ID"</dt><dd><code>{c.id.clone()}</code></dd>
                            <dt>"Type"</dt><dd data-test="credential-type">{c.kind.clone()}</dd>
                            <dt>"User"</dt><dd>{names.user(&c.user_id)}" "<small><code>{c.user_id.clone()}</code></small></dd>
                            <dt>"Project"</dt><dd>{names.project(c.project_id.as_deref())}</dd>
                        </dl>
                        <h2>"Blob"</h2>
                        <dl class="facts" data-test="credential-blob">
                            {fields.into_iter().map(|(name, value)| {
                                let secret = secrets.contains(&name.as_str());
                                view! {
                                    <dt>{name}</dt>
                                    <dd><pre class="blob-value">{move || if secret && !revealed.get() { MASK.to_string() } else { value.clone() }}</pre></dd>
                                }
                            }).collect_view()}
                        </dl>
                        {(!secrets.is_empty()).then(|| view! {
                            <button type="button" class="button button-small" data-test="reveal" on:click=move |_| revealed.update(|r| *r = !*r)>
                                {move || if revealed.get() { "Hide secrets" } else { "Reveal secrets" }}
                            </button>
                        })}
                        <div class="actions">
                            <button type="button" class="button" data-test="edit-blob" on:click=move |_| {
                                draft.get_untracked().set(Some(for_draft.clone()));
                                review.set(None);
                            }>"Edit blob…"</button>
                            <button type="button" class="button" data-test="recreate" on:click=move |_| {
                                recreate_form.set(Some((for_recreate.0.clone(), for_recreate.1.clone())));
                            }>"Change type or project…"</button>
                            <button type="button" class="button button-danger-outline" data-test="delete" on:click=move |_| confirming.set(true)>"Delete"</button>
                        </div>
                        {move || recreate_open.get().then(|| {
                            let old = for_recreate_action.clone();
                            view! {
                                <section class="panel" data-test="recreate-form">
                                    <p>"Keystone cannot change a credential's type or project in place: the console creates a new credential with the same blob and deletes the old one, and reports each step."</p>
                                    <label class="field">
                                        <span>"Type"</span>
                                        <input name="recreate-type" prop:value=move || recreate_form.get().map(|f| f.0).unwrap_or_default()
                                            on:input=move |ev| { let v = event_target_value(&ev); recreate_form.update(|f| if let Some(f) = f { f.0 = v }); }/>
                                    </label>
                                    <ProjectField
                                        projects=own_projects
                                        name="recreate-project"
                                        label="Project ID"
                                        value=Signal::derive(move || recreate_form.get().map(|f| f.1).unwrap_or_default())
                                        on_change=move |v| recreate_form.update(|f| if let Some(f) = f { f.1 = v })
                                    />
                                    <button type="button" class="button button-primary" data-test="recreate-submit"
                                        disabled=move || recreate.pending().get()
                                        on:click=move |_| {
                                            if let Some((kind, project)) = recreate_form.get_untracked() {
                                                recreate.dispatch((old.clone(), kind, project));
                                            }
                                        }>"Re-create"</button>
                                    <button type="button" class="button" on:click=move |_| recreate_form.set(None)>"Cancel"</button>
                                </section>
                            }
                        })}
                        {move || (!recreate_steps.with(Vec::is_empty)).then(|| view! {
                            <ul class="bulk-results" data-test="recreate-steps">
                                {recreate_steps.get().into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
                            </ul>
                        })}
                        {move || draft.get().with(Option::is_some).then(|| {
                            let (id, kind, original_access) = (for_review.clone(), for_edit.kind.clone(), ec2_access(&for_edit.blob));
                            let id_for_save = id_for_save.clone();
                            view! {
                                <section class="panel" data-test="blob-editor">
                                    {is_ec2.then(|| view! {
                                        <p class="notice notice-info">"The access key of an ec2 blob cannot change: Keystone keeps the id made from the old one, which would break look-ups by access key. Only the secret may be edited; for a new access key, create a new credential."</p>
                                    })}
                                    <label class="field">
                                        <span>"New blob"</span>
                                        <textarea name="edit-blob" rows="5" prop:value=move || draft.get().get().unwrap_or_default()
                                            on:input=move |ev| draft.get_untracked().set(Some(event_target_value(&ev)))></textarea>
                                    </label>
                                    <button type="button" class="button" data-test="review-blob" on:click=move |_| {
                                        let proposed = draft.get_untracked().get_untracked().unwrap_or_default();
                                        if let Err(message) = check_blob(&kind, &proposed) {
                                            toasts.error(message);
                                            return;
                                        }
                                        if kind == "ec2" && ec2_access(&proposed) != original_access {
                                            toasts.error("The access key of an ec2 credential cannot be changed.");
                                            return;
                                        }
                                        start_review.dispatch((id.clone(), proposed));
                                    }>"Review change"</button>
                                    {move || review.get().map(|outcome| match outcome {
                                        Err(error) => view! { <ErrorNotice error action="Re-reading the credential failed"/> }.into_any(),
                                        Ok((current, proposed)) => {
                                            let id = id_for_save.clone();
                                            view! {
                                                <div class="diff" data-test="blob-diff">
                                                    <div><h3>"On the server now"</h3><pre>{current}</pre></div>
                                                    <div><h3>"After saving"</h3><pre>{proposed.clone()}</pre></div>
                                                </div>
                                                <button type="button" class="button button-primary" data-test="save-blob"
                                                    disabled=move || save.pending().get()
                                                    on:click=move |_| { save.dispatch((id.clone(), proposed.clone())); }>"Save"</button>
                                            }.into_any()
                                        }
                                    })}
                                    {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error action="Saving the blob failed"/> })}
                                </section>
                            }
                        })}
                    }.into_any()
                }
            }}
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error action="Deleting failed"/> })}
        </section>
        <ConfirmDialog
            open=confirming
            title="Delete credential?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming.set(false);
                delete.dispatch(id.get_untracked());
            })
            on_cancel=Callback::new(move |_| confirming.set(false))
        >
            <p data-test="confirm-text">{move || format!("Credential {} will be deleted.", id.get())}</p>
        </ConfirmDialog>
    }
}
