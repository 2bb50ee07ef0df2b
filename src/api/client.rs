//! The one HTTP client every view uses: adds the token, sends JSON, applies the timeout, and turns
//! each answer into typed data or an [`ApiError`].

use super::error::ApiError;
use super::response::RawResponse;
use super::retry::delay_before_retry;
use super::secret::Secret;
use super::transport::{now_ms, send, send_or_take, sleep, Call, Cancel, EarlyReads};
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::rc::Rc;

pub const DEFAULT_TIMEOUT_SECONDS: u32 = 20;
pub const JSON: &str = "application/json";

/// Told about every 401 of a call made with a token: the session has ended.
pub type UnauthorizedObserver = Rc<dyn Fn(&ApiError)>;

/// A read the server answered busy or unavailable, about to be asked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    pub url: String,
    pub status: u16,
    pub wait_ms: u32,
    /// 1 for the first retry.
    pub retry: u32,
}

/// Told before each retry (`Some`) and when the retried read is over (`None`).
pub type RetryObserver = Rc<dyn Fn(Option<RetryNotice>)>;

#[derive(Clone)]
pub struct Client {
    token: Option<Secret>,
    timeout_seconds: u32,
    /// The content type of request bodies (IAM asks for `application/json;charset=utf8`).
    content_type: &'static str,
    on_unauthorized: Option<UnauthorizedObserver>,
    on_retry: Option<RetryObserver>,
    cancel: Option<Cancel>,
    /// Answers to reads sent before this client's caller had arrived (see [`EarlyReads`]).
    early: Option<EarlyReads>,
}

impl Default for Client {
    fn default() -> Self {
        Client {
            token: None,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            content_type: JSON,
            on_unauthorized: None,
            on_retry: None,
            cancel: None,
            early: None,
        }
    }
}

impl Client {
    pub fn with_token(token: Secret) -> Self {
        Client {
            token: Some(token),
            ..Client::default()
        }
    }

    pub fn on_unauthorized(mut self, observer: impl Fn(&ApiError) + 'static) -> Self {
        self.on_unauthorized = Some(Rc::new(observer));
        self
    }

    pub fn on_retry(mut self, observer: impl Fn(Option<RetryNotice>) + 'static) -> Self {
        self.on_retry = Some(Rc::new(observer));
        self
    }

    pub fn with_timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = seconds;
        self
    }

    /// A client whose requests end when `cancel` is cancelled (for a page's reads, never for
    /// writes, which belong to the app).
    pub fn cancelled_by(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// A client whose first try of a GET takes the answer to the same read sent early, if any.
    pub fn with_early_reads(mut self, early: EarlyReads) -> Self {
        self.early = Some(early);
        self
    }

    pub fn with_content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }

    /// Sends one request and returns the raw answer, error statuses included (the caller
    /// interprets them); only a missing answer is an error here. A read answered 429 or 503 is
    /// asked again as [`retry`](super::retry) says; a write never is.
    pub async fn exchange(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
        subject_token: Option<&Secret>,
    ) -> Result<RawResponse, ApiError> {
        let body = body.map(|b| (b, self.content_type));
        let is_read = matches!(method, Method::GET | Method::HEAD);
        let mut retries_done = 0;
        let raw = loop {
            let call = Call {
                method: method.clone(),
                url,
                token: self.token.as_ref(),
                subject_token,
                body: body.clone(),
                timeout_seconds: self.timeout_seconds,
                cancel: self.cancel.as_ref(),
            };
            // A retry is always sent anew.
            let raw = match retries_done {
                0 => send_or_take(call, self.early.as_ref()).await?,
                _ => send(call).await?,
            };
            let delay = match is_read {
                true => delay_before_retry(
                    retries_done,
                    raw.status,
                    raw.retry_after.as_deref(),
                    now_ms(),
                ),
                false => None,
            };
            match delay {
                Some(delay) => {
                    retries_done += 1;
                    if let Some(observer) = &self.on_retry {
                        observer(Some(RetryNotice {
                            url: url.to_string(),
                            status: raw.status,
                            wait_ms: delay,
                            retry: retries_done,
                        }));
                    }
                    sleep(delay).await;
                }
                None => break raw,
            }
        };
        if retries_done > 0 {
            if let Some(observer) = &self.on_retry {
                observer(None);
            }
        }
        if raw.status == 401 && self.token.is_some() {
            if let (Some(observer), Some(error)) = (&self.on_unauthorized, raw.failure()) {
                observer(&error);
            }
        }
        Ok(raw)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        self.exchange(method, url, body, None).await?.json()
    }

    pub async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        self.call(Method::GET, url, None).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::POST, url, Some(to_json(body)?)).await
    }

    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::PUT, url, Some(to_json(body)?)).await
    }

    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::PATCH, url, Some(to_json(body)?)).await
    }

    pub async fn delete(&self, url: &str) -> Result<(), ApiError> {
        self.exchange(Method::DELETE, url, None, None)
            .await?
            .empty()
    }
}

pub fn to_json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Unexpected {
        status: 0,
        detail: format!("the request body could not be written: {e}"),
        request_id: None,
    })
}
