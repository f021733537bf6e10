//! Progressive enhancement for forms posted without JavaScript. Leptos answers a
//! refused form post with a redirect back to the form and the error in the URL,
//! but what the person typed would be lost. This layer keeps a copy of such a
//! post's fields (never passwords) in a short-lived cookie when the answer
//! carries an error; the next page render reads it once (`RequestInfo::echo`)
//! and the form shows the values again.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

pub const COOKIE: &str = "charter_echo";
/// Browsers keep cookies up to about 4 KB; a larger form is simply not echoed.
const MAX_COOKIE: usize = 3000;
const MAX_BODY: usize = 64 * 1024;

/// Field names whose values are never written back to the browser.
fn secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("password") || matches!(n.as_str(), "current" | "new" | "confirm")
}

fn is_plain_form_post(req: &Request) -> bool {
    let header = |h| req.headers().get(h).and_then(|v: &HeaderValue| v.to_str().ok()).unwrap_or("");
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
}

pub async fn keep_refused_forms(req: Request, next: Next) -> Response {
    if !is_plain_form_post(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return Response::builder().status(413).body(Body::from("form too large")).unwrap_or_default();
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !secret(k))
        .collect();
    let mut res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let refused = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.contains("__err="));
    if refused && !fields.is_empty() {
        let value = app::core::ui::url_encode(&serde_urlencoded::to_string(&fields).unwrap_or_default());
        if value.len() <= MAX_COOKIE {
            let c = format!("{COOKIE}={value}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax");
            if let Ok(v) = HeaderValue::from_str(&c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    res
}

/// The echoed fields of the request, if it carries them.
pub fn take(req: &Request) -> Vec<(String, String)> {
    crate::cookie(req, COOKIE)
        .and_then(|v| {
            let decoded = percent_decode(v)?;
            serde_urlencoded::from_str::<Vec<(String, String)>>(&decoded).ok()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !secret(k))
        .collect()
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("charter_echo=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_echoed_and_values_round_trip() {
        assert!(secret("input[password]") && secret("password") && secret("confirm"));
        assert!(!secret("input[username]"));
        let fields = vec![("input[display_name]".to_string(), "王 芳&1".to_string())];
        let v = app::core::ui::url_encode(&serde_urlencoded::to_string(&fields).unwrap_or_default());
        let decoded = percent_decode(&v).unwrap_or_default();
        assert_eq!(serde_urlencoded::from_str::<Vec<(String, String)>>(&decoded).unwrap_or_default(), fields);
    }
}
