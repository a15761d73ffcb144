//! Every operation of both sites, called through the Rust face (`Client::call`: validated and
//! site-checked first) against an emulator of its site, answers 2xx, and every answer fits the
//! operation's response model from core/api (no unknown field, every type right, required fields
//! present). The test fails on any operation of the table it did not call successfully.

use std::collections::BTreeSet;

use hcpartner::generated::{find_operation, OPERATIONS};
use hcpartner::{Client, Site};
use hcpartner_emulator::conformance;
use serde_json::{json, Value};

use crate::common::*;

#[derive(Default)]
struct Run {
    seen: BTreeSet<&'static str>,
}

impl Run {
    /// Calls `op`, which must succeed with an answer that fits its response model.
    async fn ok(&mut self, c: &Client, op: &'static str, params: Value) -> Value {
        let v = c
            .call(op, params)
            .await
            .unwrap_or_else(|e| panic!("{op}: {e:?}"));
        let spec = find_operation(op).expect("an operation of the table");
        let problems = conformance::check(spec, &v);
        assert!(
            problems.is_empty(),
            "{op} does not fit its model: {problems:?}"
        );
        self.seen.insert(op);
        v
    }
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a string"))
        .to_owned()
}

#[tokio::test]
async fn every_operation_of_both_sites_answers_within_its_model() {
    let mut r = Run::default();
    china(&mut r).await;
    international(&mut r).await;
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .map(|o| o.name)
        .filter(|n| !r.seen.contains(n))
        .collect();
    assert!(missing.is_empty(), "operations never called: {missing:?}");
}

async fn iam(r: &mut Run, emu: &hcpartner_emulator::Emulator, p: &Client) {
    let c = emu.credentials().clone();
    r.ok(p, "keystone_list_auth_domains", json!({})).await;
    let t = r
        .ok(p, "keystone_create_user_token_by_password", json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"domain": {"name": c.domain_name}, "name": c.user_name, "password": c.password}}},
            "scope": {"domain": {"name": c.domain_name}}}}))
        .await;
    r.ok(
        p,
        "keystone_validate_token",
        json!({"X-Subject-Token": s(&t["X-Subject-Token"])}),
    )
    .await;
    r.ok(p, "keystone_create_agency_token", json!({"auth": {
        "identity": {"methods": ["assume_role"], "assume_role": {"agency_name": c.agency_name, "domain_id": SEED_RESALE_ID}},
        "scope": {"domain": {"id": SEED_RESALE_ID}}}}))
        .await;
    r.ok(p, "create_temporary_access_key_by_agency", json!({"auth": {"identity": {
        "methods": ["assume_role"], "assume_role": {"agency_name": c.agency_name, "domain_id": SEED_RESALE_ID}}}}))
        .await;
    r.ok(p, "create_temporary_access_key_by_token", json!({"auth": {"identity": {"methods": ["token"], "token": {"id": s(&t["X-Subject-Token"])}}}}))
        .await;
}

async fn china(r: &mut Run) {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);
    iam(r, &emu, &p).await;
    let cycle = hcpartner_emulator::util::bill_cycle(
        hcpartner_emulator::util::epoch(std::time::SystemTime::now()),
        1,
    );

    // customers and real-name
    r.ok(
        &p,
        "check_user_identity",
        json!({"search_type": "name", "search_value": "nobody_here"}),
    )
    .await;
    r.ok(
        &p,
        "send_verification_message_code",
        json!({"receiver_type": 1, "mobile_phone": "13912345678"}),
    )
    .await;
    let made = r
        .ok(&p, "create_sub_customer", json!({"xaccount_id": "conf-1", "xaccount_type": "hcp_demo_IDP", "domain_name": "conf_customer_1", "mobile_phone": "13912345678", "verification_code": "123456"}))
        .await;
    let new_id = s(&made["domain_id"]);
    r.ok(&p, "list_sub_customers", json!({"limit": 100})).await;
    r.ok(
        &p,
        "list_sub_customer_new_tag",
        json!({"customer_ids": [new_id]}),
    )
    .await;
    r.ok(&p, "create_personal_realname_auth", json!({"customer_id": new_id, "identify_type": 0, "verified_file_url": ["a.jpg"], "name": "Zhang San", "verified_number": "110101199001011234", "xaccount_type": "hcp_demo_IDP"})).await;
    r.ok(
        &p,
        "show_realname_authentication_review_result",
        json!({"customer_id": new_id}),
    )
    .await;
    r.ok(&p, "change_enterprise_realname_authentication", json!({"customer_id": new_id, "identify_type": 1, "verified_file_url": ["lic.jpg"], "corp_name": "Zhang Co", "verified_number": "91110000MA0000002X", "change_type": 1, "xaccount_type": "hcp_demo_IDP"})).await;
    let ent = new_customer(&p, "conf-2", None).await;
    r.ok(&p, "create_enterprise_realname_authentication", json!({"customer_id": ent, "identify_type": 1, "verified_file_url": ["lic.jpg"], "corp_name": "Acme Ltd", "verified_number": "91110000MA0000001X", "xaccount_type": "hcp_demo_IDP"})).await;
    r.ok(&c, "show_real_name_auth_status", json!({})).await;
    // The QR code is for a customer not yet verified: one that signs in with its password.
    p.call("create_sub_customer", json!({"xaccount_id": "conf-3", "xaccount_type": "hcp_demo_IDP", "domain_name": "conf_referral_3", "password": "Conf-Passw0rd!", "cooperation_type": "1"}))
        .await
        .unwrap();
    let referral = password_client(&emu, "conf_referral_3", "Conf-Passw0rd!", Site::Cn);
    r.ok(&referral, "show_real_name_auth_qr_code", json!({}))
        .await;

    // accounts, coupons, benefits
    r.ok(
        &p,
        "update_customer_account_amount",
        json!({"customer_id": SEED_RESALE_ID, "amount": num("10.00")}),
    )
    .await;
    r.ok(
        &p,
        "reclaim_to_partner_account",
        json!({"customer_id": SEED_RESALE_ID, "amount": num("5.00")}),
    )
    .await;
    r.ok(
        &p,
        "list_customers_balances_detail",
        json!({"customer_infos": [{"customer_id": SEED_RESALE_ID}]}),
    )
    .await;
    r.ok(&p, "list_partner_balances", json!({})).await;
    r.ok(
        &p,
        "list_partner_account_change_records",
        json!({"balance_type": "BALANCE_TYPE_DEBIT"}),
    )
    .await;
    r.ok(&p, "list_partner_adjust_records", json!({})).await;
    r.ok(&c, "show_customer_account_balances", json!({})).await;
    let seeded_referral = password_client(
        &emu,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Cn,
    );
    let records = r
        .ok(
            &seeded_referral,
            "list_customer_account_change_records",
            json!({"balance_type": "BALANCE_TYPE_DEBIT"}),
        )
        .await;
    assert!(records["total_count"].as_u64() > Some(0), "{records}");
    r.ok(&c, "list_stored_value_cards", json!({"status": 1}))
        .await;
    let issued = r
        .ok(&p, "create_partner_coupons", json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": num("20.00")}))
        .await;
    r.ok(&p, "list_issued_partner_coupons", json!({})).await;
    r.ok(&p, "list_partner_coupons_record", json!({})).await;
    r.ok(&p, "list_quota_coupons", json!({})).await;
    r.ok(&p, "list_sub_customer_coupons", json!({})).await;
    r.ok(
        &c,
        "list_customer_coupon_change_records",
        json!({"balance_type": "BALANCE_TYPE_COUPON"}),
    )
    .await;
    let coupon = s(&issued["coupon_infos"][0]["coupon_id"]);
    r.ok(&p, "reclaim_partner_coupons", json!({"coupon_id": coupon}))
        .await;

    // bills, costs, usage, free resources
    r.ok(
        &p,
        "list_sub_customer_bill_detail",
        json!({"bill_cycle": cycle, "customer_id": SEED_RESALE_ID}),
    )
    .await;
    r.ok(
        &p,
        "list_subcustomer_monthly_bills",
        json!({"cycle": cycle, "charge_mode": "1"}),
    )
    .await;
    r.ok(
        &p,
        "list_consume_sub_customers",
        json!({"bill_cycle": cycle}),
    )
    .await;
    r.ok(
        &c,
        "show_customer_monthly_sum",
        json!({"bill_cycle": cycle}),
    )
    .await;
    r.ok(
        &c,
        "list_customer_bills_fee_records",
        json!({"bill_cycle": cycle}),
    )
    .await;
    r.ok(
        &c,
        "list_customerself_resource_records",
        json!({"cycle": cycle}),
    )
    .await;
    r.ok(
        &c,
        "list_customerself_resource_record_details",
        json!({"cycle": cycle}),
    )
    .await;
    let bw = json!({"bill_cycle": cycle, "service_type_code": "hws.service.type.vpc", "resource_type_code": "hws.resource.type.bandwidth", "usage_type": "upflow"});
    let mut one = bw.clone();
    one["resource_id"] = json!("bw-seed-01");
    r.ok(&c, "list_resource_usage", one).await;
    r.ok(&c, "list_resource_usage_summary", bw).await;
    r.ok(&c, "list_costs", json!({"time_condition": {"time_measure_id": 2, "begin_time": cycle, "end_time": cycle}, "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}], "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT"})).await;
    r.ok(
        &c,
        "list_customer_bills_monthly_break_down",
        json!({"shared_month": cycle}),
    )
    .await;
    r.ok(&c, "list_free_resource_infos", json!({})).await;
    r.ok(
        &c,
        "list_free_resource_usages",
        json!({"free_resource_ids": [SEED_FREE_RESOURCE_ID]}),
    )
    .await;
    r.ok(&c, "list_free_resources_usage_records", json!({"deduct_time_begin": "2000-01-01T00:00:00Z", "deduct_time_end": "2100-01-01T00:00:00Z"})).await;

    // orders and resources
    r.ok(&c, "list_customer_orders", json!({})).await;
    r.ok(
        &c,
        "show_customer_order_details",
        json!({"order_id": PAID_ORDER_ID}),
    )
    .await;
    r.ok(
        &c,
        "list_order_discounts",
        json!({"order_id": PENDING_ORDER_ID}),
    )
    .await;
    r.ok(
        &c,
        "list_order_coupons_by_order_id",
        json!({"order_id": PENDING_ORDER_ID}),
    )
    .await;
    r.ok(
        &c,
        "pay_orders",
        json!({"order_id": PENDING_ORDER_ID, "use_coupon": "NO", "use_discount": "NO"}),
    )
    .await;
    r.ok(&c, "list_pay_per_use_customer_resources", json!({}))
        .await;
    r.ok(
        &p,
        "list_customer_on_demand_resources",
        json!({"customer_id": SEED_RESALE_ID}),
    )
    .await;
    r.ok(
        &c,
        "list_renew_rate_on_period",
        json!({"resource_ids": [SEED_SERVER_ID], "period_type": 2, "period_num": 1}),
    )
    .await;
    let renewed = r
        .ok(
            &c,
            "renewal_resources",
            json!({"resource_ids": [SEED_SERVER_ID], "period_type": 2, "period_num": 1}),
        )
        .await;
    let renewal_order = s(&renewed["order_ids"][0]);
    r.ok(
        &c,
        "cancel_customer_order",
        json!({"order_id": renewal_order}),
    )
    .await;
    r.ok(
        &c,
        "auto_renewal_resources",
        json!({"resource_id": SEED_SERVER_ID}),
    )
    .await;
    r.ok(
        &c,
        "cancel_auto_renewal_resources",
        json!({"resource_id": SEED_SERVER_ID}),
    )
    .await;
    r.ok(
        &c,
        "set_resources_renew_config",
        json!({"config_name": "AUTO_RENEW_DEFAULT", "config_value": "1"}),
    )
    .await;
    r.ok(
        &c,
        "update_period_to_on_demand",
        json!({"operation": "SET_UP", "resource_ids": [SEED_SERVER_ID]}),
    )
    .await;
    r.ok(
        &c,
        "update_period_to_on_demand_instantly",
        json!({"resource_ids": ["ecs-seed-pending"]}),
    )
    .await;
    let unsub = r
        .ok(
            &c,
            "cancel_resources_subscription",
            json!({"resource_ids": [SEED_SERVER_ID], "unsubscribe_type": 1}),
        )
        .await;
    r.ok(
        &c,
        "show_refund_order_details",
        json!({"order_id": s(&unsub["order_ids"][0])}),
    )
    .await;

    // products, pricing, system
    r.ok(&p, "list_service_types", json!({})).await;
    r.ok(&p, "list_resource_types", json!({})).await;
    r.ok(
        &p,
        "list_service_resources",
        json!({"service_type_code": "hws.service.type.ec2"}),
    )
    .await;
    r.ok(&p, "list_usage_types", json!({})).await;
    r.ok(&p, "list_measure_units", json!({})).await;
    r.ok(&p, "list_conversions", json!({})).await;
    r.ok(&p, "list_resource_specs", json!({"cloud_service_type": "hws.service.type.ebs", "resource_type": "hws.resource.type.volume", "region_code": "cn-north-4", "charge_mode": "1", "limit": 1})).await;
    r.ok(&p, "list_on_demand_resource_ratings", json!({"project_id": "p1", "product_infos": [{"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm", "resource_spec": "s6.large.2.linux", "region": "cn-north-4", "usage_factor": "Duration", "usage_value": 10, "usage_measure_id": 4, "subscription_num": 1}]})).await;
    r.ok(&p, "list_rate_on_period_detail", json!({"project_id": "p1", "product_infos": [{"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux", "region": "cn-east-3", "period_type": 2, "period_num": 1, "subscription_num": 1}]})).await;
    r.ok(
        &c,
        "list_business_discount_info",
        json!({"quoting_item_type": "PRODUCT_ITEM"}),
    )
    .await;
    r.ok(
        &p,
        "list_incentive_discount_policies",
        json!({"time": cycle}),
    )
    .await;
    r.ok(&p, "list_provinces", json!({})).await;
    r.ok(&p, "list_cities", json!({"province_code": "440000"}))
        .await;
    r.ok(&p, "list_counties", json!({"city_code": "440300"}))
        .await;

    // resellers
    r.ok(&p, "list_indirect_partners", json!({})).await;
    r.ok(
        &p,
        "update_indirect_partner_account",
        json!({"indirect_partner_id": SEED_RESELLER_ID, "amount": num("30.00")}),
    )
    .await;
    r.ok(
        &p,
        "reclaim_indirect_partner_account",
        json!({"indirect_partner_id": SEED_RESELLER_ID, "amount": num("10.00")}),
    )
    .await;
    let quota = r
        .ok(&p, "update_coupon_quotas", json!({"quota_id": QUOTA_ID, "indirect_partner_ids": [SEED_RESELLER_ID], "quota_amount": num("100.00")}))
        .await;
    r.ok(&p, "list_issued_coupon_quotas", json!({})).await;
    r.ok(&p, "list_coupon_quotas_records", json!({})).await;
    let issued_quota = s(&quota["simple_quota_infos"][0]["quota_id"]);
    r.ok(
        &p,
        "reclaim_coupon_quotas",
        json!({"quota_ids": [issued_quota]}),
    )
    .await;

    // enterprise multi-account (the seeded resale customer is a master)
    r.ok(
        &c,
        "list_enterprise_organizations",
        json!({"recursive_query": 1}),
    )
    .await;
    r.ok(&c, "list_enterprise_sub_customers", json!({})).await;
    r.ok(
        &c,
        "send_sms_verification_code",
        json!({"mobile_phone": "13911112222", "sm_template_args": [{"key": "code", "value": "x"}]}),
    )
    .await;
    r.ok(&c, "create_sub_enterprise_account", json!({"party_id": SEED_ORG_ID, "sub_customer_association_type": 1, "new_sub_customer": {"customer_name": "conf_sub_account", "password": "Sub-Passw0rd!", "mobile_phone": "13911112222", "verification_code": "123456"}})).await;
    r.ok(&c, "create_enterprise_project_auth", json!({})).await;
    r.ok(
        &c,
        "show_multi_account_transfer_amount",
        json!({"balance_type": "BALANCE_TYPE_DEBIT"}),
    )
    .await;
    r.ok(
        &c,
        "update_sub_enterprise_amount",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "12.50"}),
    )
    .await;
    r.ok(
        &c,
        "list_enterprise_multi_account",
        json!({"sub_customer_id": SEED_SUB_ACCOUNT_ID, "balance_type": "BALANCE_TYPE_DEBIT"}),
    )
    .await;
    r.ok(
        &c,
        "reclaim_sub_enterprise_amount",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "2.50"}),
    )
    .await;
    let coupons = r
        .ok(&c, "list_multi_account_transfer_coupons", json!({}))
        .await;
    let master_coupon = s(&coupons["avail_transfer_coupons"][0]["coupon_id"]);
    let cut = r
        .ok(&c, "claim_enterprise_multi_account_coupon", json!({"customer_id": SEED_SUB_ACCOUNT_ID, "coupon_id": master_coupon, "amount": "5.00"}))
        .await;
    r.ok(
        &c,
        "list_multi_account_retrieve_coupons",
        json!({"sub_customer_id": SEED_SUB_ACCOUNT_ID}),
    )
    .await;
    r.ok(&c, "reclaim_enterprise_multi_account_coupon", json!({"customer_id": SEED_SUB_ACCOUNT_ID, "coupon_id": master_coupon, "sub_coupon_id": s(&cut["sub_coupon_id"])})).await;
}

async fn international(r: &mut Run) {
    let emu = start_intl();
    let p = intl_partner(&emu);
    let cycle = hcpartner_emulator::util::bill_cycle(
        hcpartner_emulator::util::epoch(std::time::SystemTime::now()),
        1,
    );
    r.ok(
        &p,
        "freeze_sub_customers",
        json!({"customer_ids": [SEED_RESALE_ID], "reason": "overdue"}),
    )
    .await;
    r.ok(
        &p,
        "unfreeze_sub_customers",
        json!({"customer_ids": [SEED_RESALE_ID], "reason": "paid"}),
    )
    .await;
    r.ok(
        &p,
        "update_sub_customer_budget",
        json!({"customer_id": SEED_RESALE_ID, "budget_amount": num("1500.00")}),
    )
    .await;
    r.ok(
        &p,
        "show_sub_customer_budget",
        json!({"customer_id": SEED_RESALE_ID}),
    )
    .await;
    r.ok(
        &p,
        "list_sub_customer_budget",
        json!({"customer_ids": [SEED_RESALE_ID]}),
    )
    .await;
    r.ok(
        &p,
        "list_sub_customer_budget_records",
        json!({"customer_id": SEED_RESALE_ID}),
    )
    .await;
    r.ok(&p, "show_partner_consumption_quota", json!({})).await;
    r.ok(&p, "list_postpaid_bill_sum", json!({"bill_cycle": cycle}))
        .await;
    r.ok(&p, "list_resource_specs_price", json!({"region_code": "ap-southeast-1", "need_price": true, "need_attributes": true, "limit": 2})).await;
    let domain = emu.credentials().domain_id.clone();
    r.ok(&p, "list_invoices", json!({"domain_id": domain, "start_time": "2000-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z", "offset": 1, "limit": 10})).await;
    // A resale customer has no expenditure quota ("no results"); the referral customer has one.
    let referral = password_client(
        &emu,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Intl,
    );
    let quota = r
        .ok(&referral, "show_customer_expenditure_quota", json!({}))
        .await;
    assert!(quota["granting_amount"].is_number(), "{quota}");
}
