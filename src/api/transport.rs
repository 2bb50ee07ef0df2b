//! The browser side of an HTTP call: `fetch` with a timeout. Everything it returns is interpreted
//! by the pure code in `response.rs`.

use super::error::ApiError;
use super::response::RawResponse;
use super::secret::Secret;
use futures_channel::oneshot;
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::set_timeout_with_handle;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One request as the API layer describes it.
pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub token: Option<&'a Secret>,
    /// Keystone's `X-Subject-Token`, for validating or revoking a token.
    pub subject_token: Option<&'a Secret>,
    /// A JSON body and its content type.
    pub body: Option<(String, &'static str)>,
    pub timeout_seconds: u32,
    /// Ends the request early when cancelled (the page that asked was left).
    pub cancel: Option<&'a Cancel>,
}

/// Requests that end together: a page cancels its reads when it is left, so a list nobody will
/// see no longer holds a connection and the server's time.
#[derive(Clone, Default)]
pub struct Cancel(Rc<RefCell<Cancelling>>);

#[derive(Default)]
struct Cancelling {
    cancelled: bool,
    running: Vec<web_sys::AbortController>,
    /// Requests sent before these joined them (an early read taken by a page).
    joined: Vec<Cancel>,
}

impl Cancel {
    /// Aborts every request running under it, and any sent later.
    pub fn cancel(&self) {
        let (running, joined) = {
            let mut state = self.0.borrow_mut();
            state.cancelled = true;
            (
                std::mem::take(&mut state.running),
                std::mem::take(&mut state.joined),
            )
        };
        for controller in running {
            controller.abort();
        }
        for other in joined {
            other.cancel();
        }
    }

    /// Makes `other` end with these requests (at once, if they already have).
    fn join(&self, other: Cancel) {
        let cancelled = self.0.borrow().cancelled;
        match cancelled {
            true => other.cancel(),
            false => self.0.borrow_mut().joined.push(other),
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.borrow().cancelled
    }

    fn enlist(&self, controller: &web_sys::AbortController) {
        let cancelled = self.0.borrow().cancelled;
        match cancelled {
            true => controller.abort(),
            false => self.0.borrow_mut().running.push(controller.clone()),
        }
    }

    fn release(&self, controller: &web_sys::AbortController) {
        let mut state = self.0.borrow_mut();
        state.running.retain(|c| !js_sys::Object::is(c, controller));
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// What a request that needs no CORS permission finds at a URL a call could not reach.
enum Probe {
    /// Nothing answered: the server is down or the address is wrong.
    Silent,
    /// An answer arrived, so the browser withheld the call's answer: a CORS refusal.
    Answers,
    /// The server answers with a redirect, which token-bearing calls refuse to follow.
    Redirects,
}

/// Sends a plain GET (no headers, no token, nothing cached) to a URL a call could not reach:
/// first as CORS without following a redirect, which tells a redirect apart (a browser refuses
/// that mode across origins without CORS); then, if that failed too, without asking CORS
/// permission. That answer is opaque, but its arrival tells a CORS refusal from a server that is down.
async fn probe(url: &str) -> Option<Probe> {
    let window = web_sys::window()?;
    let attempt = |mode, redirect| {
        let init = web_sys::RequestInit::new();
        init.set_mode(mode);
        init.set_redirect(redirect);
        init.set_cache(web_sys::RequestCache::NoStore);
        JsFuture::from(window.fetch_with_str_and_init(url, &init))
    };
    let cors = attempt(web_sys::RequestMode::Cors, web_sys::RequestRedirect::Manual).await;
    if let Ok(answer) = cors {
        let redirected = answer
            .dyn_into::<web_sys::Response>()
            .is_ok_and(|r| r.type_() == web_sys::ResponseType::Opaqueredirect);
        // A plain request passed CORS: it is the call's token header that was not allowed.
        return Some(if redirected {
            Probe::Redirects
        } else {
            Probe::Answers
        });
    }
    let opaque = attempt(
        web_sys::RequestMode::NoCors,
        web_sys::RequestRedirect::Follow,
    )
    .await;
    Some(if opaque.is_ok() {
        Probe::Answers
    } else {
        Probe::Silent
    })
}

/// Where `src/early_read.js` leaves the function that hands over the read it sent.
const LOADER_READ: &str = "keyrackTakeEarlyRead";

/// The GET of `url` the page's loader sent before the wasm started (`src/early_read.js`), now
/// ended by `signal`; `None` if it sent none or another (which it then aborts). Asked once: a
/// later call finds nothing.
fn loader_read(url: &str, signal: Option<&web_sys::AbortSignal>) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let take = js_sys::Reflect::get(&window, &LOADER_READ.into()).ok()?;
    let take = take.dyn_ref::<js_sys::Function>()?;
    let read = take.call2(&window, &url.into(), &signal.into()).ok()?;
    read.dyn_into::<js_sys::Promise>().ok()
}

/// Reads sent before the code that asks for them has arrived: while a page's chunk is fetched,
/// the shell sends the page's first read, and the page takes its answer instead of asking again.
/// Each is taken once, by a GET of the same URL with the same token; one still untaken when the
/// page that started it is gone is aborted and dropped (a later visit asks afresh).
#[derive(Clone, Default)]
pub struct EarlyReads(Rc<RefCell<Vec<EarlyRead>>>);

struct EarlyRead {
    url: String,
    token: Secret,
    answer: oneshot::Receiver<Result<RawResponse, ApiError>>,
    cancel: Cancel,
}

impl EarlyReads {
    /// Sends a GET of `url` with `token` now, or takes the same GET the page's loader sent if
    /// `from_loader` (the token is the one stored), and keeps its answer for
    /// [`EarlyReads::take`].
    pub fn start(&self, url: String, token: Secret, timeout_seconds: u32, from_loader: bool) {
        let (sender, receiver) = oneshot::channel();
        let cancel = Cancel::default();
        let (sent_url, sent_token, sent_cancel) = (url.clone(), token.clone(), cancel.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let call = Call {
                method: Method::GET,
                url: &sent_url,
                token: Some(&sent_token),
                subject_token: None,
                body: None,
                timeout_seconds,
                cancel: Some(&sent_cancel),
            };
            let controller = web_sys::AbortController::new().ok();
            let signal = controller.as_ref().map(web_sys::AbortController::signal);
            // Asked even when not to be taken: the loader then aborts what it sent.
            let response: FetchedResponse =
                match loader_read(if from_loader { &sent_url } else { "" }, signal.as_ref()) {
                    Some(sent) => Box::pin(async move {
                        let response = JsFuture::from(sent).await.map_err(|_| None)?;
                        let response = response.dyn_into::<web_sys::Response>();
                        response.map(Response::from).map_err(|_| None)
                    }),
                    None => fetch(&call, signal.as_ref()),
                };
            let reply = answer(call, controller, response).await;
            // Nobody waits when it was dropped meanwhile.
            let _ = sender.send(reply);
        });
        self.0.borrow_mut().push(EarlyRead {
            url,
            token,
            answer: receiver,
            cancel,
        });
    }

    /// Aborts the read the page's loader sent, if nobody took it (see [`EarlyReads::start`]).
    pub fn drop_loader_read() {
        loader_read("", None);
    }

    /// Aborts and drops the read of `url` if nobody took it.
    pub fn drop_untaken(&self, url: &str) {
        let mut reads = self.0.borrow_mut();
        reads.retain(|read| {
            let keep = read.url != url;
            if !keep {
                read.cancel.cancel();
            }
            keep
        });
    }

    /// The answer to the early read of `url` with `token`, if there is one; it then ends with
    /// `cancel` (the reads of the page that took it).
    async fn take(
        &self,
        url: &str,
        token: &Secret,
        cancel: Option<&Cancel>,
    ) -> Option<Result<RawResponse, ApiError>> {
        let read = {
            let mut reads = self.0.borrow_mut();
            let at = reads
                .iter()
                .position(|read| read.url == url && read.token == *token)?;
            reads.swap_remove(at)
        };
        if let Some(cancel) = cancel {
            cancel.join(read.cancel);
        }
        // `None` if its task was dropped before answering: then the call is sent as usual.
        read.answer.await.ok()
    }
}

/// Sends the call, or takes the answer to the same GET sent early (see [`EarlyReads`]).
pub async fn send_or_take(
    call: Call<'_>,
    early: Option<&EarlyReads>,
) -> Result<RawResponse, ApiError> {
    if let (Some(early), Some(token), &Method::GET) = (early, call.token, &call.method) {
        if let Some(answer) = early.take(call.url, token, call.cancel).await {
            return answer;
        }
    }
    send(call).await
}

/// Resolves after `millis` milliseconds.
pub async fn sleep(millis: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let delay = i32::try_from(millis).unwrap_or(i32::MAX);
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay)
                .is_ok()
            {
                return;
            }
        }
        let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
}

/// The browser's clock, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

pub async fn send(call: Call<'_>) -> Result<RawResponse, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let response = fetch(&call, controller.as_ref().map(|c| c.signal()).as_ref());
    answer(call, controller, response).await
}

/// Sends `call` (when first polled), ended by `signal`.
fn fetch(call: &Call<'_>, signal: Option<&web_sys::AbortSignal>) -> FetchedResponse<'static> {
    // Never follow a redirect: fetch would send `X-Auth-Token` on to wherever it points. Never
    // keep an answer in the HTTP cache either: lists and shows carry secrets.
    let mut builder = RequestBuilder::new(call.url)
        .method(call.method.clone())
        .redirect(web_sys::RequestRedirect::Error)
        .cache(web_sys::RequestCache::NoStore)
        .abort_signal(signal);
    if let Some(token) = call.token {
        builder = builder.header("X-Auth-Token", token.expose());
    }
    if let Some(subject) = call.subject_token {
        builder = builder.header("X-Subject-Token", subject.expose());
    }
    let request = match &call.body {
        Some((body, content_type)) => builder
            .header("Content-Type", content_type)
            .body(body.as_str()),
        None => builder.build(),
    };
    Box::pin(async move {
        let request = request.map_err(|e| {
            Some(ApiError::Unexpected {
                status: 0,
                detail: format!("the request could not be built: {e}"),
                request_id: None,
            })
        })?;
        request.send().await.map_err(|_| None)
    })
}

/// A response on its way: [`fetch`]'s, or the loader's (see [`EarlyReads::start`]); boxed, so
/// that [`answer`] is built once for both.
type FetchedResponse<'a> = Pin<Box<dyn Future<Output = Result<Response, Option<ApiError>>> + 'a>>;

/// The answer to a request already sent (or sent when `response` is first polled) with
/// `controller`'s signal: aborted after the call's timeout or when its `cancel` is; a request that
/// got no answer is probed to tell the user why. `response` fails with `None` when fetch did.
async fn answer(
    call: Call<'_>,
    controller: Option<web_sys::AbortController>,
    response: FetchedResponse<'_>,
) -> Result<RawResponse, ApiError> {
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.clone().and_then(|controller| {
        let timed_out = Rc::clone(&timed_out);
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            Duration::from_secs(u64::from(call.timeout_seconds)),
        )
        .ok()
    });
    if let (Some(cancel), Some(controller)) = (call.cancel, &controller) {
        cancel.enlist(controller);
    }

    let outcome = async {
        let response = response.await?;
        let headers = response.headers();
        let mut raw = RawResponse {
            status: response.status(),
            request_id: headers
                .get("x-openstack-request-id")
                .or_else(|| headers.get("x-request-id")),
            subject_token: headers.get("x-subject-token"),
            auth_receipt: headers.get("openstack-auth-receipt").is_some(),
            retry_after: headers.get("retry-after"),
            body: String::new(),
        };
        raw.body = response.text().await.map_err(|_| None)?;
        Ok::<_, Option<ApiError>>(raw)
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    if let (Some(cancel), Some(controller)) = (call.cancel, &controller) {
        cancel.release(controller);
    }

    match outcome {
        Ok(raw) => Ok(raw),
        Err(Some(error)) => Err(error),
        // Nobody waits for the answer any more: no probe, and nothing to tell.
        Err(None) if call.cancel.is_some_and(Cancel::is_cancelled) => Err(ApiError::Unexpected {
            status: 0,
            detail: "cancelled: the page that asked was left".to_string(),
            request_id: None,
        }),
        Err(None) if timed_out.get() => Err(ApiError::Timeout {
            url: call.url.to_string(),
            seconds: call.timeout_seconds,
        }),
        Err(None) => {
            let url = call.url.to_string();
            Err(match probe(call.url).await {
                Some(Probe::Redirects) => ApiError::Redirected { url },
                found => ApiError::Unreachable {
                    url,
                    origin: page_origin(),
                    answers_without_cors: found.map(|p| matches!(p, Probe::Answers)),
                },
            })
        }
    }
}
