//! Pagination streams: lazy pages, the total or an empty page ends them, marker paging follows
//! the next marker, and a server that repeats a page cannot make them loop.

mod support;

use futures::{StreamExt, TryStreamExt};
use hcpartner::credentials::AkSk;
use hcpartner::{Client, Config, ErrorKind};
use serde_json::{json, Value};
use support::{json as reply, Server};

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .endpoint(url)
            .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn customers(offset: u64, limit: u64, total: u64) -> Value {
    let items: Vec<Value> = (offset..(offset + limit).min(total))
        .map(|i| json!({"customer_id": format!("c{i:03}"), "account_name": format!("acct{i}"), "xaccount_id": format!("x{i}")}))
        .collect();
    json!({"customer_infos": items, "count": total})
}

#[tokio::test]
async fn items_across_pages_stop_at_the_total() {
    let s = Server::start(|r, _| {
        let b = r.json();
        reply(
            200,
            customers(
                b["offset"].as_u64().unwrap(),
                b["limit"].as_u64().unwrap(),
                250,
            ),
        )
    })
    .await;
    let c = client(&s.url);
    let items: Vec<Value> = c
        .paginate("list_sub_customers", json!({"limit": 100, "label": "vip"}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 250);
    assert_eq!(items[249]["customer_id"], "c249");
    let offsets: Vec<(u64, u64)> = s
        .requests("/v2/partners/sub-customers/query")
        .iter()
        .map(|r| {
            (
                r.json()["offset"].as_u64().unwrap(),
                r.json()["limit"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        offsets,
        vec![(0, 100), (100, 100), (200, 100)],
        "three pages, no extra request after the total"
    );
    assert_eq!(
        s.requests("/v2/partners/sub-customers/query")[0].json()["label"],
        "vip"
    );

    // Lazy: taking 5 items fetches one page.
    let first: Vec<Value> = c
        .paginate("list_sub_customers", json!({"limit": 10}))
        .unwrap()
        .take(5)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 5);
    assert_eq!(s.count("/v2/partners/sub-customers/query"), 4);

    // Default page size is the documented maximum (100 here); pages stream as whole responses too.
    let pages: Vec<Value> = c
        .paginate_pages("list_sub_customers", json!({}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p["customer_infos"].as_array().unwrap().len())
            .collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
}

#[tokio::test]
async fn without_a_total_an_empty_page_ends_it() {
    let s = Server::start(|r, _| {
        let off = r.json()["offset"].as_u64().unwrap();
        let tags: Vec<Value> = if off < 7 {
            (off..(off + 3).min(7))
                .map(|i| json!({"customer_id": i}))
                .collect()
        } else {
            vec![]
        };
        reply(200, json!({"new_customer_tags": tags}))
    })
    .await;
    let items: Vec<Value> = client(&s.url)
        .paginate("list_sub_customer_new_tag", json!({"limit": 3}))
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    assert_eq!(
        s.count("/v2/partners/sub-customers/new-customers-tags/batch-query"),
        4
    );
}

#[tokio::test]
async fn a_server_that_repeats_a_page_does_not_loop() {
    let s = Server::start(|_, _| reply(200, customers(0, 10, 1_000_000))).await;
    let got: Vec<Result<Value, hcpartner::Error>> = client(&s.url)
        .paginate("list_sub_customers", json!({"limit": 10}))
        .unwrap()
        .collect()
        .await;
    assert_eq!(got.iter().filter(|r| r.is_ok()).count(), 10);
    let e = got.last().unwrap().as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("same page twice"), "{e}");
    assert_eq!(s.count("/v2/partners/sub-customers/query"), 2);
}

#[tokio::test]
async fn marker_paging_follows_next_marker() {
    let s = Server::start(|r, _| {
        let marker = r.json()["marker"].as_str().map(str::to_owned);
        let (items, next) = match marker.as_deref() {
            None => (vec!["a", "b"], "m1"),
            Some("m1") => (vec!["c", "d"], "m2"),
            _ => (vec!["e"], ""),
        };
        let items: Vec<Value> = items.into_iter().map(|i| json!({"resource_spec_code": i})).collect();
        reply(200, json!({"cloud_service_basics": items, "page_info": {"next_marker": next, "current_count": 2}}))
    })
    .await;
    let params = json!({"cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
                        "region_code": "cn-north-1", "charge_mode": "onDemand", "limit": 2});
    let items: Vec<Value> = client(&s.url)
        .paginate("list_resource_specs", params)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i["resource_spec_code"].as_str().unwrap())
            .collect::<String>(),
        "abcde"
    );
    let markers: Vec<Value> = s
        .requests("/v2/products/resource-specs-query")
        .iter()
        .map(|r| r.json()["marker"].clone())
        .collect();
    assert_eq!(markers, vec![Value::Null, json!("m1"), json!("m2")]);
}

#[tokio::test]
async fn bad_paging_input_is_refused_before_sending() {
    let s = Server::start(|_, _| reply(200, json!({}))).await;
    let c = client(&s.url);
    assert_eq!(
        c.paginate("list_sub_customers", json!({"limit": 0}))
            .err()
            .unwrap()
            .field(),
        Some("limit")
    );
    assert_eq!(
        c.paginate("list_sub_customers", json!({"limit": 500}))
            .err()
            .unwrap()
            .field(),
        Some("limit")
    );
    assert_eq!(
        c.paginate("create_sub_customer", json!({}))
            .err()
            .unwrap()
            .field(),
        Some("operation")
    );
    assert_eq!(s.hits.lock().unwrap().len(), 0);
}
