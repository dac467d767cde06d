//! Deadlines for request bodies. actix-web times out reading a request's head, but once a
//! handler waits for the body nothing does: a client that announces a body and sends it slowly,
//! or not at all, would hold the connection (and whatever was read so far) for ever. So every
//! body is read through [`DeadlinePayload`]: no more than `idle` without a byte, and no more
//! than `total` in all (longer for CSV imports and file uploads, which may be large). Past either, reading the
//! body fails with a timeout, which the readers answer 408 (see [`body_error`]); the connection
//! is then closed, since its body was not read to the end.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpMessage};
use futures_util::Stream;
use tokio::time::{Instant, Sleep, sleep_until};

use crate::error::ApiError;
use crate::state::AppState;

/// The error a body stream ends with when its client took too long.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyTimedOut;

/// A request body with an idle timeout and an overall deadline.
struct DeadlinePayload {
    inner: Payload,
    idle: Duration,
    idle_timer: Pin<Box<Sleep>>,
    deadline: Pin<Box<Sleep>>,
    ended: bool,
}

impl Stream for DeadlinePayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let next = Instant::now() + this.idle;
                this.idle_timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => {
                this.ended = true;
                Poll::Ready(other)
            }
            Poll::Pending => {
                let idle = this.idle_timer.as_mut().poll(cx).is_ready();
                let late = this.deadline.as_mut().poll(cx).is_ready();
                if idle || late {
                    this.ended = true;
                    let timed_out = std::io::Error::new(std::io::ErrorKind::TimedOut, BodyTimedOut);
                    return Poll::Ready(Some(Err(PayloadError::Io(timed_out))));
                }
                Poll::Pending
            }
        }
    }
}

fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() != "0")
}

/// A CSV import or a file upload, which may be large.
fn is_upload(req: &ServiceRequest) -> bool {
    let essence = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).unwrap_or("");
    ["text/csv", "multipart/form-data"].iter().any(|kind| essence.trim().eq_ignore_ascii_case(kind))
}

/// The middleware: puts the deadlines on the body of every request that has one.
pub async fn body_deadline(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    if has_body(&req)
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        let timeouts = state.settings.body_timeouts;
        let total = if is_upload(&req) { timeouts.upload } else { timeouts.body };
        let now = Instant::now();
        let bounded = DeadlinePayload {
            inner: req.take_payload(),
            idle: timeouts.idle,
            idle_timer: Box::pin(sleep_until(now + timeouts.idle)),
            deadline: Box::pin(sleep_until(now + total)),
            ended: false,
        };
        let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(bounded);
        req.set_payload(Payload::from(stream));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// What a failure to read a body means for the client: too large (413), too slow (408), or
/// broken (400).
pub fn body_error(err: &PayloadError, limit: usize) -> ApiError {
    match err {
        PayloadError::Overflow => ApiError::PayloadTooLarge { limit },
        PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => ApiError::RequestTimeout,
        other => ApiError::MalformedBody(format!("the body could not be read: {other}")),
    }
}

/// Like [`body_error`] for an extractor's error, which wraps the payload's.
pub fn extractor_body_error(err: &actix_web::Error, limit: usize) -> ApiError {
    match err.as_error::<PayloadError>() {
        Some(payload) => body_error(payload, limit),
        None if err.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge { limit }
        }
        None => ApiError::MalformedBody(format!("the body could not be read: {err}")),
    }
}
