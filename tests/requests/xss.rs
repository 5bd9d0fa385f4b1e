//! The XSS payload list of the security checklist (§3.3): nothing
//! executable survives markdown rendering, checked on the parsed DOM.
use scraper::{Html, Selector};

use crate::support::TestApp;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    r#"<iframe src="javascript:alert(1)"></iframe>"#,
    r#"<a href="javascript:alert(1)">x</a>"#,
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](javascript://%0aalert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    r#"![x](https://example.com/a.png"onerror="alert(1))"#,
    r#"![x"onerror="alert(1)](https://example.com/a.png)"#,
    "[ref]: javascript:alert(1)\n\n[x][ref]",
    "<javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    r#"<a href="https://ok.example" onclick="alert(1)">x</a>"#,
    r#"<div style="background:url(javascript:alert(1))">x</div>"#,
    r#"<form action="https://evil.example"><input name=password></form>"#,
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    r#"<noscript><p title="</noscript><img src=x onerror=alert(1)>">"#,
    r#"<object data="data:text/html,<script>alert(1)</script>"></object>"#,
    r#"<base href="https://evil.example/">"#,
    r#"<meta http-equiv="refresh" content="0;url=javascript:alert(1)">"#,
    "`<script>alert(1)</script>`\n\n```html\n<script>alert(1)</script>\n```",
    "<!-- <img src=x onerror=alert(1)> -->",
    r#"<a href="&#106;avascript:alert(1)">a</a> <a href="java&#x09;script:alert(1)">b</a> <a href="javascript&colon;alert(1)">c</a>"#,
    r#"<a href="https://ok" target="_blank">x</a>"#,
    r#"<a class="btn btn-danger" id="login-form">x</a>"#,
    "[x](//evil.example/path)",
    "![x](/logout) <img src=\"/admin/users/1/ban\">",
    r#"<img src="https://tracker.example/p.gif" width=1 height=1>"#,
    r#"{{ get_env(name="HOME") }} {% raw %}{% for %}{% endraw %}"#,
    "<sCrIpT>alert(1)</sCrIpT> <scr<script>ipt>alert(1)</script>",
    "<scr\u{0}ipt>alert(1)</script>",
    r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
    r#"<a href="data:text/html,<script>alert(1)</script>">d</a>"#,
    "<style>body{display:none}</style><textarea><script>alert(1)</script></textarea>",
    "<embed src=\"javascript:alert(1)\"><input autofocus onfocus=alert(1)>",
];

const FORBIDDEN: &[&str] = &[
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "base", "meta",
    "textarea", "noscript", "link", "set",
];

/// Asserts the §3.3 DOM rules on rendered HTML.
pub fn assert_inert(html: &str, payload: &str) {
    let doc = Html::parse_fragment(html);
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(
            !FORBIDDEN.contains(&name),
            "<{name}> survived {payload:?}: {html}"
        );
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "{attr} survived {payload:?}: {html}"
            );
            assert!(
                attr != "style" && attr != "srcdoc" && attr != "id",
                "{attr} survived {payload:?}"
            );
            if attr == "class" {
                // fenced code's language, and the highlighter's token spans
                const TOKENS: [&str; 7] = ["hl-k", "hl-s", "hl-c", "hl-n", "hl-l", "hl-a", "hl-m"];
                assert!(
                    (name == "code" && value.starts_with("language-"))
                        || (name == "span" && TOKENS.contains(&value)),
                    "class {value} on <{name}> survived {payload:?}"
                );
            }
            if attr == "href" || attr == "src" {
                let v = value.trim().to_ascii_lowercase();
                let ok = v.starts_with("http://")
                    || v.starts_with("https://")
                    || v.starts_with("mailto:")
                    || v.starts_with('/')
                    || v.starts_with('#')
                    || !v.contains(':');
                assert!(ok, "{attr}={value} survived {payload:?}");
            }
        }
    }
}

#[test]
fn no_payload_survives_rendering() {
    for payload in PAYLOADS {
        match nightcoder::markdown::render(payload) {
            Ok(html) => assert_inert(&html, payload),
            Err(e) => panic!("{payload:?} refused: {e:?}"),
        }
    }
}

#[test]
fn template_syntax_in_posts_is_plain_text() {
    let html = nightcoder::markdown::render(r#"{{ get_env(name="HOME") }}"#).unwrap();
    assert!(html.contains("{{ get_env"), "{html}");
}

#[tokio::test]
async fn payloads_posted_through_the_forum_render_inert_pages() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("attacker").await;
    client.get("/questions/new").await;
    let title = r#"<script>alert(1)</script>"'><img src=x onerror=alert(1)>"#;
    let res = client
        .post(
            "/questions",
            &[
                ("title", title),
                ("body", "A question whose answers carry every payload."),
                ("tags", "xss"),
            ],
        )
        .await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    let url = crate::support::client::location(&res);
    let id = url.split('/').nth(2).unwrap().to_string();
    for payload in PAYLOADS {
        let body = format!("{payload}\n\n(padding so the answer is long enough)");
        let res = client
            .post(&format!("/questions/{id}/answers"), &[("body", &body)])
            .await;
        // control characters are refused outright (422), everything else is stored
        let expected = if payload.contains('\0') { 422 } else { 303 };
        assert_eq!(res.status_code(), expected, "{payload:?}");
    }
    let page = client.get(&url).await.text();
    assert_eq!(
        crate::support::html::count(&page, "article.answer"),
        PAYLOADS.len() - 1
    );
    let doc = Html::parse_document(&page);
    let body_sel = Selector::parse(".md-body").unwrap();
    for el in doc.select(&body_sel) {
        assert_inert(&el.inner_html(), "the whole list");
    }
    // the title is escaped in <title>, <h1> and lists
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;"), "escaped title");
    let scripts = Selector::parse("script").unwrap();
    for s in doc.select(&scripts) {
        let src = s.value().attr("src").unwrap_or_default();
        assert!(src.starts_with("/static/"), "only our own scripts: {src}");
    }
    let list = client.get("/questions").await.text();
    assert!(!list.contains("<img src=x"));
}
