//! The generated models keep every byte of what the service sends: known fields, unknown fields
//! (in `extra`) and numbers with their exact digits, through text and through `serde_json::Value`.

mod support;

use std::str::FromStr;

use hcpartner::generated::models::*;
use hcpartner::generated::{find_model, find_operation, MODELS, OPERATIONS};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `text` as `T` (from text and from a `Value`) and checks both re-serialize to the same
/// JSON, byte for byte and as a `Value`.
fn assert_lossless<T: Serialize + DeserializeOwned>(text: &str) -> T {
    let typed: T = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("decode {}: {e}", std::any::type_name::<T>()));
    assert_eq!(
        serde_json::to_string(&typed).unwrap(),
        text,
        "text round trip of {}",
        std::any::type_name::<T>()
    );
    let value: Value = serde_json::from_str(text).unwrap();
    let from_value: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&from_value).unwrap(),
        value,
        "value round trip"
    );
    typed
}

#[test]
fn numbers_nested_models_and_unknown_fields_round_trip_exactly() {
    let text = concat!(
        r#"{"account_balances":[{"account_id":"acc-1","account_type":1,"amount":0.10,"currency":"CNY","#,
        r#""designated_amount":12345678901234567.89,"credit_amount":0,"measure_id":1,"since":"2024-05-06","#,
        r#""weight":1.50}],"debt_amount":12345678901234567.89,"measure_id":1,"currency":"CNY","#,
        r#""future":{"n":1.000,"big":123456789012345678901234567890}}"#
    );
    let r: ShowCustomerAccountBalancesResponse = assert_lossless(text);
    assert_eq!(r.measure_id, Some(1));
    assert_eq!(
        r.debt_amount,
        Some(Decimal::from_str("12345678901234567.89").unwrap())
    );
    let b = &r.account_balances.as_ref().unwrap()[0];
    assert_eq!(b.amount.unwrap().to_string(), "0.10", "the scale is kept");
    assert_eq!(b.account_type, Some(1));
    assert_eq!(b.extra.get("since"), Some(&json!("2024-05-06")));
    assert_eq!(b.extra["weight"].to_string(), "1.50");
    assert_eq!(
        r.extra["future"].to_string(),
        r#"{"n":1.000,"big":123456789012345678901234567890}"#
    );
}

#[test]
fn decimals_accept_numeric_strings_and_send_numbers() {
    let r: ShowCustomerAccountBalancesResponse =
        serde_json::from_str(r#"{"debt_amount":"-3.50"}"#).unwrap();
    assert_eq!(r.debt_amount.unwrap().to_string(), "-3.50");
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"debt_amount":-3.50}"#
    );
    assert!(serde_json::from_str::<ShowCustomerAccountBalancesResponse>(
        r#"{"debt_amount":"abc"}"#
    )
    .is_err());
}

#[test]
fn null_and_absent_optional_fields_are_none() {
    let r: ListSubCustomersResponse = serde_json::from_str(r#"{"customer_infos":null}"#).unwrap();
    assert_eq!(r, ListSubCustomersResponse::default());
    assert_eq!(serde_json::to_string(&r).unwrap(), "{}");
}

#[test]
fn requests_are_flat_and_required_fields_are_plain() {
    let req = UpdateCustomerAccountAmountRequest {
        customer_id: "cust-1".into(),
        amount: Decimal::from_str("100.00").unwrap(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"customer_id":"cust-1","amount":100.00}"#
    );
    let err =
        serde_json::from_str::<UpdateCustomerAccountAmountRequest>(r#"{"amount":1}"#).unwrap_err();
    assert!(
        err.to_string().contains("missing field `customer_id`"),
        "{err}"
    );

    let req = ShowCustomerOrderDetailsRequest {
        order_id: "CS2024".into(),
        x_language: Some("en_US".into()),
        limit: Some(10),
        ..Default::default()
    };
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({"order_id": "CS2024", "limit": 10, "X-Language": "en_US"})
    );
    hcpartner::validate::validate(find_operation("show_customer_order_details").unwrap(), &v)
        .unwrap();
}

#[test]
fn odd_wire_names_and_keywords_map_to_rust_names() {
    let r: ListCustomerselfResourceRecordDetailsResponse = serde_json::from_str(
        r#"{"monthly_records":[{"resource_Type_code":"hws.resource.type.vm"}]}"#,
    )
    .unwrap();
    assert_eq!(
        r.monthly_records.unwrap()[0].resource_type_code.as_deref(),
        Some("hws.resource.type.vm")
    );
    let g = GroupBy {
        r#type: "tag".into(),
        key: "k".into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&g).unwrap(),
        r#"{"type":"tag","key":"k"}"#
    );
    let p = ServicePolicy {
        version: "1.1".into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"Version": "1.1", "Statement": []})
    );
}

#[test]
fn debug_never_prints_secrets() {
    let req = CreateSubCustomerRequest {
        xaccount_id: "x-1".into(),
        xaccount_type: "partner_platform".into(),
        password: Some("Sup3r-secret!".into()),
        verification_code: Some("246810".into()),
        ..Default::default()
    };
    let debug = format!("{req:?}");
    assert!(
        !debug.contains("Sup3r-secret!") && !debug.contains("246810"),
        "{debug}"
    );
    assert!(debug.contains("password: Some(***)"), "{debug}");
    assert!(debug.contains("x-1"), "{debug}");
    let pretty = format!("{req:#?}");
    assert!(!pretty.contains("Sup3r-secret!"), "{pretty}");

    let user = PwdPasswordUser {
        name: "u".into(),
        password: "hunter22".into(),
        ..Default::default()
    };
    assert!(!format!("{user:?}").contains("hunter22"));
    let resp: KeystoneCreateUserTokenByPasswordResponse =
        serde_json::from_str(r#"{"X-Subject-Token":"MIIPAgYJKoZIhvcNAQcC"}"#).unwrap();
    assert_eq!(
        resp.x_subject_token.as_deref(),
        Some("MIIPAgYJKoZIhvcNAQcC")
    );
    assert!(!format!("{resp:?}").contains("MIIPAgYJ"));
    let cred: Credential =
        serde_json::from_str(r#"{"access":"AK1","secret":"SK-very-secret","securitytoken":"ST"}"#)
            .unwrap();
    assert!(!format!("{cred:?}").contains("SK-very-secret"));
}

// ---- every field of a response model filled, for one operation per category ----

use support::sample::sample_model;

fn full_response<T: Serialize + DeserializeOwned>(op: &str) -> T {
    let op = find_operation(op).unwrap();
    let text = serde_json::to_string(&sample_model(op.response_model, 0)).unwrap();
    assert_lossless::<T>(&text)
}

#[test]
fn full_responses_decode_without_loss() {
    let customers: ListSubCustomersResponse = full_response("list_sub_customers");
    let info = &customers.customer_infos.as_ref().unwrap()[0];
    assert_eq!(info.account_managers.as_ref().unwrap().len(), 1);
    assert!(info.xaccount_id.is_some() && info.customer_level.is_some());

    let _: ShowRealnameAuthenticationReviewResultResponse =
        full_response("show_realname_authentication_review_result");
    let _: ListResourceSpecsResponse = full_response("list_resource_specs");
    let rating: ListOnDemandResourceRatingsResponse =
        full_response("list_on_demand_resource_ratings");
    assert!(rating.amount.is_some() && rating.product_rating_results.is_some());
    let balances: ShowCustomerAccountBalancesResponse =
        full_response("show_customer_account_balances");
    assert!(balances.account_balances.unwrap()[0].amount.is_some());
    let coupons: ListIssuedPartnerCouponsResponse = full_response("list_issued_partner_coupons");
    assert!(coupons.user_coupons.unwrap()[0]
        .extra
        .contains_key("field_added_later"));
    let bills: ListCustomerselfResourceRecordDetailsResponse =
        full_response("list_customerself_resource_record_details");
    assert!(bills.monthly_records.unwrap()[0]
        .resource_type_code
        .is_some());
    let orders: ShowCustomerOrderDetailsResponse = full_response("show_customer_order_details");
    assert!(
        orders.order_info.unwrap().amount_after_discount.is_some(),
        "float-typed money decodes as Decimal"
    );
    let _: ListPayPerUseCustomerResourcesResponse =
        full_response("list_pay_per_use_customer_resources");
    let _: ListIndirectPartnersResponse = full_response("list_indirect_partners");
    let enterprise: ListEnterpriseOrganizationsResponse =
        full_response("list_enterprise_organizations");
    assert!(
        enterprise.child_nodes.unwrap()[0].child_nodes.is_some(),
        "recursive model"
    );
    let _: ListCostsResponse = full_response("list_costs");
    let _: ListProvincesResponse = full_response("list_provinces");
    let _: ListFreeResourceUsagesResponse = full_response("list_free_resource_usages");
    let token: KeystoneCreateUserTokenByPasswordResponse =
        full_response("keystone_create_user_token_by_password");
    assert!(token.token.unwrap().catalog.is_some());
}

#[test]
fn representative_operations_cover_every_category() {
    let covered = [
        "list_sub_customers",
        "show_realname_authentication_review_result",
        "list_resource_specs",
        "list_on_demand_resource_ratings",
        "show_customer_account_balances",
        "list_issued_partner_coupons",
        "list_customerself_resource_record_details",
        "show_customer_order_details",
        "list_pay_per_use_customer_resources",
        "list_indirect_partners",
        "list_enterprise_organizations",
        "list_costs",
        "list_provinces",
        "list_free_resource_usages",
        "keystone_create_user_token_by_password",
    ];
    let mut categories: Vec<&str> = OPERATIONS.iter().map(|o| o.category).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut seen: Vec<&str> = covered
        .iter()
        .map(|n| find_operation(n).unwrap().category)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen, categories,
        "add an operation of the new category to full_responses_decode_without_loss"
    );
}

#[test]
fn model_table_is_sorted_and_complete() {
    assert!(MODELS.windows(2).all(|w| w[0].name < w[1].name));
    assert!(OPERATIONS.windows(2).all(|w| w[0].name < w[1].name));
    for op in OPERATIONS {
        assert!(find_model(op.response_model).is_some(), "{}", op.name);
        if let Some(body) = op.body_model {
            assert!(find_model(body).is_some(), "{}", op.name);
        }
    }
}
