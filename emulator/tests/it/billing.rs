//! Bills, pricing and the product catalog.

use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

fn last_month() -> String {
    hcpartner_emulator::util::bill_cycle(
        hcpartner_emulator::util::epoch(std::time::SystemTime::now()),
        1,
    )
}

#[tokio::test]
async fn partner_reads_monthly_bills() {
    let emu = start();
    let p = partner(&emu);
    let cycle = last_month();
    let detail = p
        .call(
            "list_sub_customer_bill_detail",
            json!({"bill_cycle": cycle, "customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(
        (detail["total_count"].as_i64(), detail["currency"].as_str()),
        (Some(3), Some("CNY"))
    );
    let rows = detail["fee_records"].as_array().unwrap();
    let paid: Decimal = rows.iter().map(|r| dec(&r["payment_amount"])).sum();
    let official: Decimal = rows.iter().map(|r| dec(&r["official_amount"])).sum();
    let discount: Decimal = rows
        .iter()
        .map(|r| dec(&r["official_discount_amount"]))
        .sum();
    assert_eq!(paid, official - discount);
    assert!(rows
        .iter()
        .all(|r| r["association_type"] == "2" && r["bill_cycle"] == cycle.as_str()));

    let page = p
        .call(
            "list_sub_customer_bill_detail",
            json!({"bill_cycle": cycle, "customer_id": SEED_RESALE_ID, "limit": 1, "offset": 2}),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            page["total_count"].as_i64(),
            page["fee_records"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );

    let sums = p
        .call(
            "list_subcustomer_monthly_bills",
            json!({"cycle": cycle, "charge_mode": "3"}),
        )
        .await
        .unwrap();
    assert_eq!(
        sums["count"], 4,
        "two on-demand services for each of two customers: {sums}"
    );
    let periodic = p
        .call(
            "list_subcustomer_monthly_bills",
            json!({"cycle": cycle, "charge_mode": "1", "customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(periodic["count"], 1);
    assert_eq!(
        dec(&periodic["bill_sums"][0]["amount"]),
        "129.60".parse::<Decimal>().unwrap()
    );

    let who = p
        .call("list_consume_sub_customers", json!({"bill_cycle": cycle}))
        .await
        .unwrap();
    assert_eq!(who["total_count"], 2);

    let e = raw(
        &p,
        "list_sub_customer_bill_detail",
        json!({"bill_cycle": "2024-13", "customer_id": SEED_RESALE_ID}),
    )
    .await
    .unwrap_err();
    assert!(e.message().contains("`bill_cycle`"), "{e}");
    let e = raw(
        &p,
        "list_sub_customer_bill_detail",
        json!({"bill_cycle": cycle, "customer_id": SEED_FOREIGN_ID}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000000");
    let e = raw(
        &p,
        "list_sub_customer_bill_detail",
        json!({"bill_cycle": cycle}),
    )
    .await
    .unwrap_err();
    assert!(e.message().contains("`customer_id`"), "{e}");
}

#[tokio::test]
async fn customer_reads_its_own_bills() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let cycle = last_month();
    let sum = c
        .call("show_customer_monthly_sum", json!({"bill_cycle": cycle}))
        .await
        .unwrap();
    assert_eq!(sum["total_count"], 3);
    let consumed: Decimal = sum["bill_sums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| dec(&r["consume_amount"]))
        .sum();
    assert_eq!(dec(&sum["consume_amount"]), consumed);
    let fees = c
        .call(
            "list_customer_bills_fee_records",
            json!({"bill_cycle": cycle}),
        )
        .await
        .unwrap();
    assert_eq!(fees["total_count"], 3);
    // The partner may not call the customer's own bill API.
    let e = raw(
        &p,
        "show_customer_monthly_sum",
        json!({"bill_cycle": cycle}),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("CBC.0151"), Some(403)));
}

#[tokio::test]
async fn pricing_and_catalog() {
    let emu = start();
    let p = partner(&emu);
    let st = p.call("list_service_types", json!({})).await.unwrap();
    assert_eq!(st["total_count"], 4);
    let rt = p
        .call("list_resource_types", json!({"limit": 2}))
        .await
        .unwrap();
    assert_eq!(
        (
            rt["total_count"].as_i64(),
            rt["resource_types"].as_array().unwrap().len()
        ),
        (Some(5), 2)
    );
    let sr = p
        .call(
            "list_service_resources",
            json!({"service_type_code": "hws.service.type.vpc"}),
        )
        .await
        .unwrap();
    assert_eq!(sr["total_count"], 2);
    let ut = p
        .call(
            "list_usage_types",
            json!({"resource_type_code": "hws.resource.type.vm"}),
        )
        .await
        .unwrap();
    assert_eq!(ut["total_count"], 1);
    assert!(
        !p.call("list_measure_units", json!({})).await.unwrap()["measure_units"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(!p
        .call("list_conversions", json!({"measure_type": 2}))
        .await
        .unwrap()["conversions"]
        .as_array()
        .unwrap()
        .is_empty());

    let od = p
        .call("list_on_demand_resource_ratings", json!({"project_id": "p1", "product_infos": [
            {"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm", "resource_spec": "s6.large.2.linux", "region": "cn-north-4", "usage_factor": "Duration", "usage_value": 10, "usage_measure_id": 4, "subscription_num": 2},
            {"id": "2", "cloud_service_type": "hws.service.type.ebs", "resource_type": "hws.resource.type.volume", "resource_spec": "SATA", "region": "cn-north-4", "resource_size": 100, "size_measure_id": 17, "usage_factor": "Duration", "usage_value": 1, "usage_measure_id": 10, "subscription_num": 1}
        ]}))
        .await
        .unwrap();
    // 0.40 × 10 h × 2 = 8; 0.0007 × 24 h × 100 GB = 1.68
    assert_eq!(dec(&od["amount"]), "9.68".parse::<Decimal>().unwrap());
    assert_eq!(
        od["product_rating_results"][1]["amount"].to_string(),
        "1.68"
    );

    let period = p
        .call("list_rate_on_period_detail", json!({"project_id": "p1", "product_infos": [
            {"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm", "resource_spec": "s6.small.1.linux", "region": "cn-east-3", "period_type": 3, "period_num": 1, "subscription_num": 1}
        ]}))
        .await
        .unwrap();
    assert_eq!(
        dec(&period["official_website_rating_result"]["official_website_amount"]),
        "360".parse::<Decimal>().unwrap()
    );

    let e = raw(&p, "list_on_demand_resource_ratings", json!({"project_id": "p1", "product_infos": [
        {"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm", "resource_spec": "nope", "region": "cn-north-4", "usage_factor": "Duration", "usage_value": 1, "usage_measure_id": 4, "subscription_num": 1}
    ]}))
    .await;
    assert_eq!(code(e), "CBC.99006006");

    let prov = p.call("list_provinces", json!({})).await.unwrap();
    assert_eq!(prov["count"], 3);
    let cities = p
        .call("list_cities", json!({"province_code": "440000"}))
        .await
        .unwrap();
    assert_eq!(cities["count"], 2);
    let counties = p
        .call("list_counties", json!({"city_code": "440300"}))
        .await
        .unwrap();
    assert_eq!(counties["count"], 2);
}
