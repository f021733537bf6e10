//! Cross-site request refusal and security headers.
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

/// Is a state-changing request from our own site? Browsers send `Sec-Fetch-Site`
/// (which page scripts cannot forge) and, older ones, at least `Origin` with every
/// POST; when `Sec-Fetch-Site` is there it decides. Requests with neither (curl,
/// integrations) carry no ambient browser credentials to abuse.
pub fn is_same_origin(method: &Method, headers: &axum::http::HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Behind a proxy that rewrites Host, the browser's host is in X-Forwarded-Host.
        let host = headers
            .get("x-forwarded-host")
            .or_else(|| headers.get(header::HOST))
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        return !host.is_empty() && origin_host == host;
    }
    true
}

pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if !is_same_origin(req.method(), req.headers()) {
        tracing::warn!(path = %req.uri().path(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

type H = SetResponseHeaderLayer<HeaderValue>;
type Headers = ServiceBuilder<Stack<H, Stack<H, Stack<H, Stack<H, Identity>>>>>;

/// Headers on every response. Pages set a stricter CSP with a nonce themselves;
/// this one applies to everything else.
pub fn headers() -> Headers {
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn origin_rules() {
        assert!(is_same_origin(&Method::GET, &h(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&Method::POST, &h(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&Method::POST, &h(&[("sec-fetch-site", "same-site")])));
        assert!(is_same_origin(&Method::POST, &h(&[("sec-fetch-site", "same-origin"), ("origin", "http://a:3000"), ("host", "a:3000")])));
        assert!(!is_same_origin(&Method::POST, &h(&[("origin", "https://evil.example"), ("host", "a:3000")])));
        assert!(is_same_origin(&Method::POST, &h(&[("origin", "https://erp.example.cn"), ("host", "10.0.0.5:3000"), ("x-forwarded-host", "erp.example.cn")])));
        assert!(is_same_origin(&Method::POST, &h(&[("origin", "http://a:3000"), ("host", "a:3000")])));
        assert!(!is_same_origin(&Method::POST, &h(&[("origin", "null"), ("host", "a:3000")])));
        assert!(is_same_origin(&Method::POST, &h(&[])));
    }
}
