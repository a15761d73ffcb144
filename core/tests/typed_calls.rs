//! One operation per category through the typed client against a local server: the exact method,
//! path, query, headers and body on the wire, and a response with every field of its model filled
//! decoded without loss. Plus the generic `call()` entry: same placement, validation before send.

mod support;

use hcpartner::credentials::AkSk;
use hcpartner::generated::find_operation;
use hcpartner::generated::models::*;
use hcpartner::{Client, Config, ErrorKind};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};
use support::sample::sample_model;
use support::{Action, Server};

/// Answers every operation with its response model fully filled.
async fn server() -> Server {
    Server::start(|r, _| {
        let op = hcpartner::generated::OPERATIONS
            .iter()
            .find(|op| op.method.as_str() == r.method && path_matches(op.path, &r.path))
            .unwrap_or_else(|| panic!("no operation for {} {}", r.method, r.path));
        Action::Reply(
            200,
            vec![("X-Request-Id".into(), "rid-1".into())],
            sample_model(op.response_model, 0).to_string(),
        )
    })
    .await
}

fn path_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .endpoint(url)
            .credentials(AkSk::new("AK", "SK").with_domain_id("dom"))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// What must have been on the wire, and the response must round-trip.
fn check<R: Serialize>(
    server: &Server,
    op: &str,
    resp: R,
    method: &str,
    path: &str,
    query: &str,
    body: Option<Value>,
) {
    let reqs = server.requests(path);
    assert_eq!(reqs.len(), 1, "{op}: requests to {path}");
    let r = &reqs[0];
    assert_eq!(
        (r.method.as_str(), r.query.as_str()),
        (method, query),
        "{op}"
    );
    match body {
        Some(b) => assert_eq!(r.json(), b, "{op} body"),
        None => assert!(r.body.is_empty(), "{op} sent a body"),
    }
    assert!(support::verify_signature(r, "AK", "SK"), "{op}: signature");
    let model = find_operation(op).unwrap().response_model;
    assert_eq!(
        serde_json::to_value(resp).unwrap(),
        sample_model(model, 0),
        "{op}: response lost data"
    );
}

#[tokio::test]
async fn one_operation_per_category() {
    let s = server().await;
    let c = client(&s.url);

    // customers
    let req = CreateSubCustomerRequest {
        xaccount_id: "crm-42".into(),
        xaccount_type: "partner_platform".into(),
        domain_name: Some("acme-cloud".into()),
        password: Some("S3cret-pass".into()),
        ..Default::default()
    };
    let resp = c.create_sub_customer(req).await.unwrap();
    check(
        &s,
        "create_sub_customer",
        resp,
        "POST",
        "/v2/partners/sub-customers",
        "",
        Some(
            json!({"domain_name": "acme-cloud", "xaccount_id": "crm-42", "xaccount_type": "partner_platform", "password": "S3cret-pass"}),
        ),
    );

    // realname
    let resp = c
        .show_realname_authentication_review_result(ShowRealnameAuthenticationReviewResultRequest {
            customer_id: "c 1".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "show_realname_authentication_review_result",
        resp,
        "GET",
        "/v2/customers/realname-auths/result",
        "customer_id=c%201",
        None,
    );

    // products: X-Language goes in a header, paging in the query
    let resp = c
        .list_service_types(ListServiceTypesRequest {
            x_language: Some("en_US".into()),
            limit: Some(10),
            offset: Some(0),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "list_service_types",
        resp,
        "GET",
        "/v2/products/service-types",
        "limit=10&offset=0",
        None,
    );
    assert_eq!(
        s.requests("/v2/products/service-types")[0].header("X-Language"),
        Some("en_US")
    );

    // pricing: nested models in the body
    let req: ListOnDemandResourceRatingsRequest = serde_json::from_value(json!({
        "project_id": "p1", "inquiry_precision": 1,
        "product_infos": [{"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
                           "resource_spec": "s6.small.1.linux", "region": "cn-north-1", "usage_factor": "Duration",
                           "usage_value": 1, "usage_measure_id": 4, "subscription_num": 1}]})).unwrap();
    let body = serde_json::to_value(&req).unwrap();
    let resp = c.list_on_demand_resource_ratings(req).await.unwrap();
    check(
        &s,
        "list_on_demand_resource_ratings",
        resp,
        "POST",
        "/v2/bills/ratings/on-demand-resources",
        "",
        Some(body),
    );

    // accounts: the amount goes out with its exact digits
    let req = UpdateCustomerAccountAmountRequest {
        customer_id: "cust-1".into(),
        amount: Decimal::new(1234567890123456789, 2),
        ..Default::default()
    };
    let resp = c.update_customer_account_amount(req).await.unwrap();
    check(
        &s,
        "update_customer_account_amount",
        resp,
        "POST",
        "/v2/accounts/partner-accounts/adjust-amount",
        "",
        None.or(Some(
            serde_json::from_str(r#"{"customer_id":"cust-1","amount":12345678901234567.89}"#)
                .unwrap(),
        )),
    );
    let sent = String::from_utf8(
        s.requests("/v2/accounts/partner-accounts/adjust-amount")[0]
            .body
            .clone(),
    )
    .unwrap();
    assert!(sent.contains("12345678901234567.89"), "{sent}");

    // coupons: list params become repeated keys, sorted
    let req = ListPartnerCouponsRecordRequest {
        operation_types: Some(vec!["2".into(), "1".into()]),
        coupon_ids: Some(vec!["cp-b".into(), "cp-a".into()]),
        limit: Some(100),
        ..Default::default()
    };
    let resp = c.list_partner_coupons_record(req).await.unwrap();
    check(
        &s,
        "list_partner_coupons_record",
        resp,
        "GET",
        "/v2/promotions/benefits/partner-coupons/records/query",
        "coupon_ids=cp-a&coupon_ids=cp-b&limit=100&operation_types=1&operation_types=2",
        None,
    );

    // bills
    let resp = c
        .show_customer_monthly_sum(ShowCustomerMonthlySumRequest {
            bill_cycle: "2024-05".into(),
            offset: Some(0),
            limit: Some(50),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "show_customer_monthly_sum",
        resp,
        "GET",
        "/v2/bills/customer-bills/monthly-sum",
        "bill_cycle=2024-05&limit=50&offset=0",
        None,
    );

    // orders: a path parameter, encoded
    let resp = c
        .show_customer_order_details(ShowCustomerOrderDetailsRequest {
            order_id: "CS2405/061".into(),
            limit: Some(5),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "show_customer_order_details",
        resp,
        "GET",
        "/v2/orders/customer-orders/details/CS2405%2F061",
        "limit=5",
        None,
    );

    // resources: DELETE with a path parameter, empty response
    let resp = c
        .cancel_auto_renewal_resources(CancelAutoRenewalResourcesRequest {
            resource_id: "res-9".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "cancel_auto_renewal_resources",
        resp,
        "DELETE",
        "/v2/orders/subscriptions/resources/autorenew/res-9",
        "",
        None,
    );

    // indirect partners
    let resp = c
        .list_indirect_partners(ListIndirectPartnersRequest {
            account_name: Some("reseller".into()),
            limit: Some(20),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "list_indirect_partners",
        resp,
        "POST",
        "/v2/partners/indirect-partners/query",
        "",
        Some(json!({"account_name": "reseller", "limit": 20})),
    );

    // enterprise
    let resp = c
        .list_enterprise_organizations(ListEnterpriseOrganizationsRequest {
            recursive_query: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    check(
        &s,
        "list_enterprise_organizations",
        resp,
        "GET",
        "/v2/enterprises/multi-accounts/enterprise-organizations",
        "recursive_query=1",
        None,
    );

    // costs
    let req: ListCostsRequest = serde_json::from_value(json!({
        "X-Language": "zh_CN", "time_condition": {"time_measure_id": 2, "begin_time": "2024-01", "end_time": "2024-05"},
        "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}], "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT",
        "limit": 10})).unwrap();
    let resp = c.list_costs(req).await.unwrap();
    check(
        &s,
        "list_costs",
        resp,
        "POST",
        "/v4/costs/cost-analysed-bills/query",
        "",
        Some(
            json!({"time_condition": {"time_measure_id": 2, "begin_time": "2024-01", "end_time": "2024-05"},
                    "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}], "cost_type": "ORIGINAL_COST",
                    "amount_type": "PAYMENT_AMOUNT", "limit": 10}),
        ),
    );
    assert_eq!(
        s.requests("/v4/costs/cost-analysed-bills/query")[0].header("X-Language"),
        Some("zh_CN")
    );
}

#[tokio::test]
async fn generic_call_places_and_validates_like_the_typed_path() {
    let s = server().await;
    let c = client(&s.url);
    let out = c
        .call(
            "listPartnerCouponsRecord",
            json!({"coupon_ids": ["b", "a"], "limit": 3}),
        )
        .await
        .unwrap();
    assert_eq!(out, sample_model("ListPartnerCouponsRecordResponse", 0));
    assert_eq!(
        s.requests("/v2/promotions/benefits/partner-coupons/records/query")[0].query,
        "coupon_ids=a&coupon_ids=b&limit=3"
    );

    let bad = [
        (
            "update_customer_account_amount",
            json!({"customer_id": "c"}),
            "amount",
        ),
        (
            "update_customer_account_amount",
            json!({"customer_id": "c", "amount": "ten"}),
            "amount",
        ),
        (
            "update_customer_account_amount",
            json!({"customer_id": "c", "amount": 0}),
            "amount",
        ),
        ("list_sub_customers", json!({"limit": 1000}), "limit"),
        (
            "list_sub_customers",
            json!({"association_type": "3"}),
            "association_type",
        ),
        ("list_sub_customers", json!({"offset": "0"}), "offset"),
        (
            "list_sub_customers",
            json!({"no_such_param": 1}),
            "no_such_param",
        ),
        (
            "create_sub_customer",
            json!({"xaccount_id": "x".repeat(129), "xaccount_type": "t"}),
            "xaccount_id",
        ),
        ("show_customer_order_details", json!({}), "order_id"),
        ("no_such_operation", json!({}), "operation"),
    ];
    for (op, params, field) in bad {
        let e = c.call(op, params.clone()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{op} {params}");
        assert_eq!(
            e.field().map(|f| f.trim_start_matches("body.")),
            Some(field),
            "{op} {params}: {e}"
        );
        assert_eq!(e.dispatch(), hcpartner::Dispatch::NotSent);
    }
    // Nothing but the one good call reached the server.
    assert_eq!(s.hits.lock().unwrap().len(), 1);

    // A password never appears in a validation error.
    let e = c
        .call(
            "create_sub_customer",
            json!({"xaccount_id": "x", "xaccount_type": "t", "password": "short"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("password"));
    assert!(!format!("{e} {e:?}").contains("short\""), "{e}");
}

#[tokio::test]
async fn an_error_code_in_a_200_answer_is_an_error() {
    let s = Server::start(|_, _| {
        support::json(
            200,
            json!({"error_code": "CBC.5001", "error_msg": "caller is not a partner"}),
        )
    })
    .await;
    let e = client(&s.url)
        .call("list_indirect_partners", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status()),
        (ErrorKind::Api, Some("CBC.5001"), Some(200))
    );
    // check_user_identity's own model carries error_code: that is a result, not an error.
    let out = client(&s.url)
        .call(
            "check_user_identity",
            json!({"search_type": "email", "search_value": "a@b.c"}),
        )
        .await
        .unwrap();
    assert_eq!(out["error_code"], "CBC.5001");
}
