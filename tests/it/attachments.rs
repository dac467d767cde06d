//! Files kept with deals, contacts, organizations and leads: streamed in and out, bounded in size
//! and per workspace, offered only as downloads, seen by whoever sees what they are kept with.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{BOUNDARY, Engine, Session, TestApp, form, id, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    a_file_goes_in_and_comes_back_byte_for_byte,
    oversized_and_over_quota_files_are_refused_and_leave_nothing,
    uploads_need_one_visible_link_and_a_named_non_empty_file,
    files_follow_what_they_are_kept_with,
);

async fn upload(app: &TestApp, session: &Session, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> crate::helpers::Reply {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    app.post("/api/v1/attachments").token(&session.token).raw(&content_type, form(fields, file)).send().await
}

fn bytes_of(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.scalar(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await
}

async fn a_file_goes_in_and_comes_back_byte_for_byte(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    // Three chunks and a bit: the content is written and read back in pieces.
    let content = bytes_of(3 * 256 * 1024 + 17);
    let name = "پیش‌فاکتور ۱۴۰۵.pdf";
    let reply = upload(&app, &admin, &[("deal_id", &id(&deal))], Some((name, "application/pdf", &content))).await;
    let kept = reply.ok(201).clone();
    assert_eq!(kept["file_name"], name);
    assert_eq!(kept["media_type"], "application/pdf");
    assert_eq!(kept["size_bytes"], content.len() as i64);
    assert_eq!(kept["sha256"], format!("{:x}", Sha256::digest(&content)));
    assert_eq!(kept["deal_id"], deal["id"]);
    assert_eq!(reply.headers.get("location").unwrap(), &format!("/api/v1/attachments/{}", id(&kept)));

    let listed = app.get(&format!("/api/v1/attachments?deal_id={}", id(&deal))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().iter().map(id).collect::<Vec<_>>(), [id(&kept)]);

    let (status, headers, body) = app.get(&format!("/api/v1/attachments/{}/content", id(&kept))).token(&admin.token).send_for_bytes().await;
    assert_eq!(status, 200);
    assert!(body == content, "the same bytes come back");
    let disposition = headers.get("content-disposition").unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(headers.get("content-security-policy").unwrap().to_str().unwrap().contains("sandbox"));
    assert_eq!(headers.get("content-length").unwrap().to_str().unwrap(), content.len().to_string());

    let event = app.event_payload(&id(&kept), "attachment.created").await;
    assert_eq!(event["attachment"], kept);
    let audited = app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'attachment.created'", vec![]).await;
    assert_eq!(audited, 1);

    // A member may delete their own files only; the uploader (an admin here) may.
    let member = app.add_member(&admin, "member@acme.test", "member").await;
    let path = format!("/api/v1/attachments/{}", id(&kept));
    app.delete(&path).token(&member.token).send().await.problem_code(403, "forbidden");
    app.delete(&path).token(&admin.token).send().await.ok(204);
    app.get(&path).token(&admin.token).send().await.problem_code(404, "not_found");
    assert_eq!(app.event_count(&id(&kept), "attachment.deleted").await, 1);
    assert_eq!((count(&app, "attachments").await, count(&app, "attachment_chunks").await), (0, 0));
}

async fn oversized_and_over_quota_files_are_refused_and_leave_nothing(engine: Engine) {
    let app = spawn_app_with(engine, |settings| {
        settings.attachment_limits = kariz_domain::UploadLimits { max_file_bytes: 300_000, workspace_quota_bytes: 500_000 };
    })
    .await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let contact = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201).clone();
    let link = [("contact_id", id(&contact))];
    let link: Vec<(&str, &str)> = link.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let too_big = bytes_of(300_001);
    upload(&app, &admin, &link, Some(("big.bin", "application/octet-stream", &too_big))).await.problem_code(413, "payload_too_large");
    assert_eq!((count(&app, "attachments").await, count(&app, "attachment_chunks").await), (0, 0), "nothing of it is kept");

    upload(&app, &admin, &link, Some(("a.bin", "application/octet-stream", &bytes_of(300_000)))).await.ok(201);
    let over = upload(&app, &admin, &link, Some(("b.bin", "application/octet-stream", &bytes_of(200_001)))).await;
    over.problem_code(413, "storage_quota_exceeded");
    assert_eq!((count(&app, "attachments").await, count(&app, "attachment_chunks").await), (1, 2), "only the first file");
    upload(&app, &admin, &link, Some(("c.bin", "application/octet-stream", &bytes_of(200_000)))).await.ok(201);
    // The quota is the workspace's: another workspace starts empty.
    let rival = app.signup("Rival", "owner@rival.test").await;
    let theirs = app.post("/api/v1/contacts").token(&rival.token).json(json!({"name": "Ali"})).send().await.ok(201).clone();
    upload_ok(&rival, &app, &theirs, 300_000).await;
}

/// Uploads a file of `size` bytes to `contact` as `session`, expecting it kept.
async fn upload_ok(session: &Session, app: &TestApp, contact: &Value, size: usize) {
    upload(app, session, &[("contact_id", &id(contact))], Some(("x.bin", "application/octet-stream", &bytes_of(size)))).await.ok(201);
}

async fn uploads_need_one_visible_link_and_a_named_non_empty_file(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rival = app.signup("Rival", "owner@rival.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let theirs = app.post("/api/v1/contacts").token(&rival.token).json(json!({"name": "Ali"})).send().await.ok(201).clone();
    let file = Some(("a.txt", "text/plain", b"hello".as_slice()));
    let fields = |reply: crate::helpers::Reply| reply.error_fields();

    assert_eq!(fields(upload(&app, &admin, &[], file).await), ["deal_id"], "no link");
    let two = [("deal_id", id(&deal)), ("contact_id", id(&theirs))];
    let two: Vec<(&str, &str)> = two.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(fields(upload(&app, &admin, &two, file).await), ["deal_id"], "two links");
    let foreign = upload(&app, &admin, &[("contact_id", &id(&theirs))], file).await;
    let missing = upload(&app, &admin, &[("contact_id", &uuid::Uuid::now_v7().to_string())], file).await;
    assert_eq!(foreign.body["errors"], missing.body["errors"], "another workspace's contact reads like a missing one");
    assert_eq!(fields(foreign), ["contact_id"]);
    assert_eq!(fields(upload(&app, &admin, &[("deal_id", "not-a-uuid")], file).await), ["deal_id"]);
    let link = [("deal_id", id(&deal))];
    let link: Vec<(&str, &str)> = link.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(fields(upload(&app, &admin, &link, Some(("a.txt", "text/plain", b""))).await), ["file"], "empty");
    assert_eq!(fields(upload(&app, &admin, &link, None).await), ["file"], "no file part");
    assert_eq!(fields(upload(&app, &admin, &link, Some(("dir/", "text/plain", b"x"))).await), ["file"], "no name");
    let garbled = app.post("/api/v1/attachments").token(&admin.token).raw("multipart/form-data; boundary=x", "not a form").send().await;
    assert_eq!(garbled.status / 100, 4, "{}", garbled.text);
    assert_eq!(count(&app, "attachments").await, 0);

    // Whatever it claims to be, a page is served as a download.
    let page = upload(&app, &admin, &link, Some(("x.html", "text/html", b"<script>alert(1)</script>"))).await.ok(201).clone();
    let (_, headers, _) = app.get(&format!("/api/v1/attachments/{}/content", id(&page))).token(&admin.token).send_for_bytes().await;
    assert!(headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment"));
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
}

async fn files_follow_what_they_are_kept_with(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = app.add_member(&admin, "member@acme.test", "member").await;
    let rival = app.signup("Rival", "owner@rival.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let link = [("deal_id", id(&deal))];
    let link: Vec<(&str, &str)> = link.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let kept = upload(&app, &admin, &link, Some(("a.txt", "text/plain", b"hello"))).await.ok(201).clone();
    let content = format!("/api/v1/attachments/{}/content", id(&kept));

    // Another workspace: as if it did not exist.
    app.get(&content).token(&rival.token).send().await.problem_code(404, "not_found");
    app.delete(&format!("/api/v1/attachments/{}", id(&kept))).token(&rival.token).send().await.problem_code(404, "not_found");
    // A member sees the admin's deal while deals are visible to all, and not once they are not.
    assert_eq!(app.get(&content).token(&member.token).send_for_bytes().await.0, 200);
    let settings = json!({"deal_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(settings).send().await.ok(200);
    app.get(&content).token(&member.token).send().await.problem_code(404, "not_found");
    let listed = app.get(&format!("/api/v1/attachments?deal_id={}", id(&deal))).token(&member.token).send().await;
    assert_ne!(listed.status, 200, "the hidden deal's files are not listed");

    // A deal's files go with it.
    app.delete(&format!("/api/v1/deals/{}", id(&deal))).token(&admin.token).send().await.ok(204);
    assert_eq!((count(&app, "attachments").await, count(&app, "attachment_chunks").await), (0, 0));
}
