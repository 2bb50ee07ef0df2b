//! Short notices in a corner: successes fade after a few seconds, errors stay until dismissed.

use leptos::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub text: String,
}

#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

const FADE_AFTER: Duration = Duration::from_secs(6);

impl Toasts {
    pub fn provide() -> Self {
        let toasts = Toasts {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    pub fn push(&self, kind: ToastKind, text: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                text: text.into(),
            })
        });
        if kind != ToastKind::Error {
            let toasts = *self;
            set_timeout(move || toasts.dismiss(id), FADE_AFTER);
        }
    }

    pub fn success(&self, text: impl Into<String>) {
        self.push(ToastKind::Success, text)
    }

    pub fn info(&self, text: impl Into<String>) {
        self.push(ToastKind::Info, text)
    }

    pub fn error(&self, text: impl Into<String>) {
        self.push(ToastKind::Error, text)
    }

    pub fn dismiss(&self, id: u64) {
        // The app may have been torn down (e.g. in a test) before a fade timer fires.
        let _ = self.items.try_update(|items| items.retain(|t| t.id != id));
    }

    pub fn items(&self) -> Vec<Toast> {
        self.items.get()
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// The live region every toast appears in; screen readers announce each one. The region is there
/// from the start (a live region must exist before what it announces); the list inside is a chunk
/// fetched with the first toast, since only signed-in pages raise toasts: `children` (that list)
/// are built once there is a toast.
#[component]
pub fn ToastRegion(children: ChildrenFn) -> impl IntoView {
    let toasts = use_toasts();
    let any = Memo::new(move |_| toasts.items.with(|items| !items.is_empty()));
    view! {
        <div class="toasts" role="status" aria-live="polite">
            {move || any.get().then(|| children())}
        </div>
    }
}

#[component]
pub fn ToastList() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <For each=move || toasts.items() key=|t| t.id let:toast>
            <div class=match toast.kind {
                ToastKind::Success => "toast toast-success",
                ToastKind::Info => "toast toast-info",
                ToastKind::Error => "toast toast-error",
            }>
                <span>{toast.text}</span>
                <button
                    type="button"
                    class="toast-close"
                    aria-label="Dismiss"
                    on:click=move |_| toasts.dismiss(toast.id)
                >
                    "×"
                </button>
            </div>
        </For>
    }
}
