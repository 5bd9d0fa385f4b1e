//! Public profiles and the profile settings, including avatars.
use std::io::Cursor;

use axum_test::multipart::{MultipartForm, Part};
use nightcoder::users;

use crate::support::{
    client::location,
    html::{attr, main_for_snapshot, text},
    Client, TestApp,
};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

async fn profile_form(client: &Client, fields: &[(&str, &str)]) -> MultipartForm {
    let mut form = client.multipart().await;
    for (k, v) in fields {
        form = form.add_text(k.to_string(), v.to_string());
    }
    form
}

#[tokio::test]
async fn profiles_show_the_user_and_unknown_names_are_404() {
    let app = TestApp::new().await;
    let user = app.create_user("Tess").await;
    let client = app.client();
    let res = client.get("/users/tess").await;
    assert_eq!(res.status_code(), 200, "case-insensitive lookup");
    assert_eq!(text(&res.text(), "h1"), "Tess");
    insta::assert_snapshot!("profile_en", main_for_snapshot(&res.text()));
    assert_eq!(client.get("/users/nobody-here").await.status_code(), 404);
    assert_eq!(client.get("/users/%3Cscript%3E").await.status_code(), 404);
    let _ = user;
}

#[tokio::test]
async fn settings_need_a_login() {
    let app = TestApp::new().await;
    let res = app.client().get("/settings/profile").await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(location(&res), "/login?next=%2Fsettings%2Fprofile");
}

#[tokio::test]
async fn bio_website_and_birthday_are_saved_and_escaped() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("uma").await;
    client.get("/settings/profile").await;
    let form = profile_form(
        &client,
        &[
            ("bio", "<script>alert(1)</script>\nline two"),
            ("website", "https://uma.dev"),
            ("birthday", "1990-05-17"),
        ],
    )
    .await;
    let res = client.post_multipart("/settings/profile", form).await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    let page = client.get("/users/uma").await.text();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));
    assert_eq!(
        attr(&page, "a[rel~=nofollow]", "href").as_deref(),
        Some("https://uma.dev")
    );
    assert!(page.contains("1990-05-17"));
}

#[tokio::test]
async fn bad_profile_values_rerender_with_messages() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("vera").await;
    client.get("/settings/profile").await;
    for (field, value, message) in [
        (
            "website",
            "javascript:alert(1)",
            "Enter a full http:// or https:// address.",
        ),
        (
            "website",
            "//evil.example",
            "Enter a full http:// or https:// address.",
        ),
        (
            "website",
            "data:text/html,hi",
            "Enter a full http:// or https:// address.",
        ),
        ("birthday", "1850-01-01", "Enter a date between 1900"),
        ("birthday", "2999-01-01", "Enter a date between 1900"),
        ("birthday", "yesterday", "Enter a date between 1900"),
        ("bio", "bell\u{7}", "Control characters are not allowed."),
    ] {
        let form = profile_form(&client, &[(field, value)]).await;
        let res = client.post_multipart("/settings/profile", form).await;
        assert_eq!(res.status_code(), 422, "{field}={value}");
        assert!(
            text(&res.text(), &format!("#e-{field}")).starts_with(message),
            "{field}={value}: {}",
            text(&res.text(), &format!("#e-{field}"))
        );
        if field != "bio" {
            assert!(
                res.text()
                    .contains(&format!("value=\"{}\"", value.replace('&', "&amp;"))),
                "input kept for {field}"
            );
        }
    }
    let long = "y".repeat(2001);
    let res = client
        .post_multipart(
            "/settings/profile",
            profile_form(&client, &[("bio", &long)]).await,
        )
        .await;
    assert_eq!(res.status_code(), 422);
    let form = profile_form(&client, &[("role", "admin")]).await;
    assert_eq!(
        client
            .post_multipart("/settings/profile", form)
            .await
            .status_code(),
        400,
        "unknown field"
    );
    let form = profile_form(&client, &[("bio", "a"), ("bio", "b")]).await;
    assert_eq!(
        client
            .post_multipart("/settings/profile", form)
            .await
            .status_code(),
        400,
        "duplicate field"
    );
}

#[tokio::test]
async fn avatars_are_reencoded_served_safely_and_replaced() {
    let app = TestApp::new().await;
    let (user, client) = app.login_as("wes").await;
    client.get("/settings/profile").await;
    let form = client.multipart().await.add_part(
        "avatar",
        Part::bytes(png(512, 400))
            .file_name("me.png")
            .mime_type("image/png"),
    );
    let res = client.post_multipart("/settings/profile", form).await;
    assert_eq!(res.status_code(), 303, "{}", res.text());
    let first = users::Model::find_by_username(&app.ctx.db, "wes")
        .await
        .unwrap()
        .unwrap()
        .avatar
        .unwrap();
    let res = client.get(&format!("/avatars/{first}")).await;
    assert_eq!(res.status_code(), 200);
    assert_eq!(res.header("content-type"), "image/png");
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert!(res
        .header("content-security-policy")
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let img = image::load_from_memory(res.as_bytes()).unwrap();
    assert_eq!((img.width(), img.height()), (256, 200));

    // a new upload replaces the file; the old one is gone
    let form = client.multipart().await.add_part(
        "avatar",
        Part::bytes(png(64, 64))
            .file_name("x.jpg")
            .mime_type("image/jpeg"),
    );
    assert_eq!(
        client
            .post_multipart("/settings/profile", form)
            .await
            .status_code(),
        303
    );
    let second = users::Model::find_by_username(&app.ctx.db, "wes")
        .await
        .unwrap()
        .unwrap()
        .avatar
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(
        client.get(&format!("/avatars/{first}")).await.status_code(),
        404
    );
    assert_eq!(
        client
            .get(&format!("/avatars/{second}"))
            .await
            .status_code(),
        200
    );

    // removal
    let form = profile_form(&client, &[("remove_avatar", "1")]).await;
    assert_eq!(
        client
            .post_multipart("/settings/profile", form)
            .await
            .status_code(),
        303
    );
    assert_eq!(
        client
            .get(&format!("/avatars/{second}"))
            .await
            .status_code(),
        404
    );
    assert!(users::Model::find_by_username(&app.ctx.db, "wes")
        .await
        .unwrap()
        .unwrap()
        .avatar
        .is_none());
    let _ = user;
}

#[tokio::test]
async fn bad_avatars_get_a_message_not_a_500() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("xena").await;
    client.get("/settings/profile").await;
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (
            b"<html><script>alert(1)</script></html>".to_vec(),
            "evil.png",
            "Upload a PNG, JPEG or WebP image.",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
            "x.svg",
            "Upload a PNG, JPEG or WebP image.",
        ),
        (
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            "x.gif",
            "Upload a PNG, JPEG or WebP image.",
        ),
        (
            vec![0u8; 1024 * 1024 + 10],
            "big.png",
            "The image is larger than 1024 KB.",
        ),
    ];
    for (bytes, name, message) in cases {
        let form = client
            .multipart()
            .await
            .add_part("avatar", Part::bytes(bytes).file_name(name));
        let res = client.post_multipart("/settings/profile", form).await;
        assert_eq!(res.status_code(), 422, "{name}");
        assert_eq!(text(&res.text(), ".invalid-feedback"), message, "{name}");
    }
    assert!(users::Model::find_by_username(&app.ctx.db, "xena")
        .await
        .unwrap()
        .unwrap()
        .avatar
        .is_none());
}

/// A PNG of 65 KB whose header claims 4096×4096 RGBA: 64 MiB decoded.
fn crafted_png() -> Vec<u8> {
    use image::{
        codecs::png::{CompressionType, FilterType, PngEncoder},
        ImageEncoder,
    };
    let pixels = vec![0u8; 4096 * 4096 * 4];
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::NoFilter)
        .write_image(&pixels, 4096, 4096, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

#[tokio::test]
async fn a_small_file_that_decodes_to_a_huge_picture_is_refused_before_decoding() {
    let app = TestApp::new().await;
    let (_, client) = app.login_as("yuri").await;
    client.get("/settings/profile").await;
    let crafted = crafted_png();
    assert!(crafted.len() < 100 * 1024, "{} bytes", crafted.len());
    let form = client.multipart().await.add_part(
        "avatar",
        Part::bytes(crafted.clone())
            .file_name("bomb.png")
            .mime_type("image/png"),
    );
    let started = std::time::Instant::now();
    let res = client.post_multipart("/settings/profile", form).await;
    assert_eq!(res.status_code(), 422);
    assert_eq!(
        text(&res.text(), ".invalid-feedback"),
        "The picture is too large: at most 16 megapixels (for example 4000×4000)."
    );
    // refused from the header: no 64 MiB decode (which takes seconds in a
    // debug build)
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    client.set_cookie("lang", "ru");
    let form = client
        .multipart()
        .await
        .add_part("avatar", Part::bytes(crafted).file_name("bomb.png"));
    let res = client.post_multipart("/settings/profile", form).await;
    assert_eq!(res.status_code(), 422);
    assert!(text(&res.text(), ".invalid-feedback").starts_with("Слишком большое изображение"));
}

#[tokio::test]
async fn avatar_names_are_checked_before_storage() {
    let app = TestApp::new().await;
    let client = app.client();
    for name in [
        "..%2F..%2Fetc%2Fpasswd",
        "x.svg",
        "0123456789abcdef0123456789abcdef.html",
    ] {
        assert_eq!(
            client.get(&format!("/avatars/{name}")).await.status_code(),
            404,
            "{name}"
        );
    }
}

/// A profile's numbers of questions and answers are kept on the user's row
/// by every write that adds, deletes or restores one.
#[tokio::test]
async fn profile_counts_follow_posts_being_added_deleted_and_restored() {
    async fn shown(app: &TestApp) -> Vec<String> {
        let html = app.client().get("/users/writer").await.text();
        crate::support::html::texts(&html, "dd")
            .into_iter()
            .take(3)
            .collect()
    }
    let app = TestApp::new().await;
    let other = app.create_user("other").await;
    let (writer, own) = app.login_as("writer").await;
    let first = app
        .question(&writer, "The first question of the writer", "counts")
        .await;
    app.question(&writer, "The second question of the writer", "counts")
        .await;
    let theirs = app
        .question(&other, "A question by somebody else", "counts")
        .await;
    let answer = app
        .answer(&writer, &theirs, "An answer by the writer")
        .await;
    app.answer(&writer, &first, "The writer answers themselves")
        .await;
    assert_eq!(shown(&app).await[..2], ["2", "2"]);

    own.get("/").await;
    let res = own
        .post(&format!("/questions/{}/delete", first.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    let res = own
        .post(&format!("/answers/{}/delete", answer.id), &[])
        .await;
    assert_eq!(res.status_code(), 303);
    assert_eq!(shown(&app).await[..2], ["1", "1"]);

    app.create_user_with_role("mod", "moderator").await;
    let moderator = app.client();
    moderator.login("mod", crate::support::PASSWORD).await;
    for path in [
        format!("/admin/questions/{}/restore", first.id),
        format!("/admin/answers/{}/restore", answer.id),
    ] {
        let res = moderator.post(&path, &[("reason", "restored")]).await;
        assert_eq!(res.status_code(), 303, "{path}");
    }
    assert_eq!(shown(&app).await[..2], ["2", "2"]);
    let user = app.reload_user(writer.id).await;
    assert_eq!((user.question_count, user.answer_count), (2, 2));
}
