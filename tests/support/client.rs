//! A browser: a cookie jar of its own and the CSRF token of the last page.
use std::{
    collections::BTreeMap,
    sync::{Mutex, OnceLock},
};

use axum::http::Method;
use axum_test::{multipart::MultipartForm, TestRequest, TestResponse, TestServer};
use regex::Regex;

pub const SESSION_COOKIE: &str = "nightcoder_session";

pub struct Client {
    pub server: TestServer,
    jar: Mutex<BTreeMap<String, String>>,
    token: Mutex<Option<String>>,
    /// The client address this browser's requests come from, as the
    /// trusted proxy reports it (`X-Forwarded-For`).
    forwarded_for: Mutex<Option<String>>,
}

fn token_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"name="csrf_token" value="([^"]+)""#).unwrap())
}

/// The first CSRF token in a page, if any.
pub fn token_in(html: &str) -> Option<String> {
    token_re().captures(html).map(|c| c[1].to_string())
}

impl Client {
    pub fn new(server: TestServer) -> Self {
        Self {
            server,
            jar: Mutex::new(BTreeMap::new()),
            token: Mutex::new(None),
            forwarded_for: Mutex::new(None),
        }
    }

    /// Makes every later request come from `ip`.
    pub fn set_forwarded_for(&self, ip: &str) {
        *self.forwarded_for.lock().unwrap() = Some(ip.to_string());
    }

    /// A request carrying this browser's cookies.
    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        let mut req = self.server.method(method, path);
        if let Some(ip) = self.forwarded_for.lock().unwrap().clone() {
            req = req.add_header("x-forwarded-for", ip);
        }
        let cookies = self.cookie_header();
        if cookies.is_empty() {
            req
        } else {
            req.add_header("cookie", cookies)
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Applies the response's `Set-Cookie` headers and remembers its token.
    pub fn absorb(&self, res: &TestResponse) {
        let mut jar = self.jar.lock().unwrap();
        for value in res.iter_headers_by_name("set-cookie") {
            let raw = value.to_str().unwrap();
            let first = raw.split(';').next().unwrap();
            let (name, val) = first.split_once('=').unwrap();
            let expired = raw.to_ascii_lowercase().contains("max-age=0");
            if expired || val.is_empty() {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_string(), val.to_string());
            }
        }
        drop(jar);
        if let Some(tok) = token_in(&res.text()) {
            *self.token.lock().unwrap() = Some(tok);
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar
            .lock()
            .unwrap()
            .insert(name.to_string(), value.to_string());
    }

    pub fn session_id(&self) -> Option<String> {
        self.cookie(SESSION_COOKIE)
    }

    pub async fn send(&self, req: TestRequest) -> TestResponse {
        let res = req.await;
        self.absorb(&res);
        res
    }

    /// GET, keeping cookies and the page's token.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(self.request(Method::GET, path)).await
    }

    /// GET with an extra header.
    pub async fn get_with(&self, path: &str, header: (&str, &str)) -> TestResponse {
        let req = self
            .request(Method::GET, path)
            .add_header(header.0.to_string(), header.1.to_string());
        self.send(req).await
    }

    /// The current CSRF token, fetching a page that has one if needed.
    pub async fn token(&self) -> String {
        if let Some(tok) = self.token.lock().unwrap().clone() {
            return tok;
        }
        let path = if self.session_id().is_some() {
            "/settings/password"
        } else {
            "/login"
        };
        let res = self.get(path).await;
        token_in(&res.text())
            .or_else(|| self.token.lock().unwrap().clone())
            .expect("a page with a CSRF token")
    }

    /// Forgets the remembered token (it changes at login and logout).
    pub fn forget_token(&self) {
        *self.token.lock().unwrap() = None;
    }

    /// POSTs a form with the CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.send(self.request(Method::POST, path).form(&all)).await
    }

    /// POSTs a form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.send(self.request(Method::POST, path).form(&fields.to_vec()))
            .await
    }

    /// POSTs a multipart form; the token is added as the first part.
    pub async fn post_multipart(&self, path: &str, form: MultipartForm) -> TestResponse {
        self.send(self.request(Method::POST, path).multipart(form))
            .await
    }

    /// A multipart form that already holds the CSRF token.
    pub async fn multipart(&self) -> MultipartForm {
        MultipartForm::new().add_text("csrf_token", self.token().await)
    }

    /// Logs in through the form and checks it worked.
    pub async fn login(&self, login: &str, password: &str) {
        self.forget_token();
        self.get("/login").await;
        let res = self
            .post("/login", &[("login", login), ("password", password)])
            .await;
        assert_eq!(
            res.status_code(),
            303,
            "login of {login} failed: {}",
            res.text()
        );
        self.forget_token();
    }

    /// Logs out through the form.
    pub async fn logout(&self) -> TestResponse {
        let res = self.post("/logout", &[]).await;
        self.forget_token();
        res
    }
}

/// The `Location` of a redirect.
pub fn location(res: &TestResponse) -> String {
    match res.maybe_header("location") {
        Some(value) => value.to_str().unwrap().to_string(),
        None => panic!(
            "expected a redirect, got {}: {}",
            res.status_code(),
            res.text().chars().take(600).collect::<String>()
        ),
    }
}

/// The `x-query-count` of a response.
pub fn queries(res: &TestResponse) -> u32 {
    res.header("x-query-count")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}
