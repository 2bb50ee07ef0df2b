//! A modal confirmation built on the native `<dialog>`: focus is trapped inside, Escape cancels,
//! and the rest of the page is inert while it is open.

use crate::components::focus::{opener, return_focus};
use leptos::html::Dialog;
use leptos::prelude::*;

#[component]
pub fn ConfirmDialog(
    #[prop(into)] open: Signal<bool>,
    #[prop(into)] title: Signal<String>,
    /// What will happen, naming the thing it happens to.
    children: Children,
    #[prop(into, default = "Confirm".into())] confirm_label: Signal<String>,
    /// Style the confirm button as destructive.
    #[prop(optional)]
    danger: bool,
    /// Keeps the confirm button disabled, e.g. until the user typed the name asked for.
    #[prop(optional, into)]
    confirm_disabled: MaybeProp<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let opened_by = StoredValue::new_local(None);
    // Opening and closing a native dialog is imperative DOM work, which is what effects are for.
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            if !dialog.open() {
                opened_by.set_value(opener());
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
            return_focus(opened_by.get_value());
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="confirm-dialog"
            aria-labelledby="confirm-dialog-title"
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_cancel.run(());
            }
        >
            <h2 id="confirm-dialog-title">{title}</h2>
            <div class="confirm-dialog-body">{children()}</div>
            <div class="dialog-actions">
                <button type="button" class="button" autofocus on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class=if danger { "button button-danger" } else { "button button-primary" }
                    disabled=move || confirm_disabled.get().unwrap_or(false)
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label}
                </button>
            </div>
        </dialog>
    }
}

/// The question before deleting one thing: `text` says what goes and what stops working.
#[component]
pub fn ConfirmDelete(
    #[prop(into)] open: Signal<bool>,
    title: &'static str,
    #[prop(into)] text: Signal<String>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <ConfirmDialog
            open
            title=title.to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm
            on_cancel
        >
            <p data-test="confirm-text">{text}</p>
        </ConfirmDialog>
    }
}
