//! The partner tour: starts a local Partner Center emulator and walks through a partner's day
//! with the hcpartner client — create customers, verify one, fund and reclaim, coupons, the
//! customer list, a monthly bill, what a failed call looks like, and one day on the international
//! site (a second emulator, started for it): a customer's budget.
//!
//! Run: `cargo run -p hcpartner-emulator --example partner_tour`

use hcpartner::credentials::AkSk;
use hcpartner::{Client, Config, Error, Site};
use hcpartner_emulator::state::seed::{QUOTA_ID, SEED_RESALE_ID};
use hcpartner_emulator::{util, Emulator, Options};
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Money as the API takes it: a JSON number with exactly these digits.
fn money(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Prints rows as a plain-text table.
fn table(title: &str, headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("  {}", padded.join("  ").trim_end());
    };
    println!("\n{title}");
    line(headers.iter().map(|h| h.to_string()).collect());
    line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for row in rows {
        line(row.clone());
    }
    if rows.is_empty() {
        println!("  (none)");
    }
}

/// A JSON value as table text (strings without quotes, null as empty).
fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn show_error(what: &str, e: &Error) {
    let rows = vec![
        vec!["kind".to_owned(), e.kind().as_str().to_owned()],
        vec!["code".to_owned(), e.code().unwrap_or("-").to_owned()],
        vec![
            "HTTP status".to_owned(),
            e.status().map_or("-".to_owned(), |s| s.to_string()),
        ],
        vec!["field".to_owned(), e.field().unwrap_or("-").to_owned()],
        vec!["sent?".to_owned(), e.dispatch().as_str().to_owned()],
        vec!["message".to_owned(), e.message().to_owned()],
        vec![
            "request id".to_owned(),
            e.request_id().unwrap_or("-").to_owned(),
        ],
    ];
    table(what, &["property", "value"], &rows);
}

async fn balances(client: &Client, customer: &str) -> Result<(String, String)> {
    let partner = client.call("list_partner_balances", json!({})).await?;
    let cust = client
        .call(
            "list_customers_balances_detail",
            json!({"customer_infos": [{"customer_id": customer}]}),
        )
        .await?;
    Ok((
        s(&partner["account_balances"][0]["amount"]),
        s(&cust["customer_balances"][0]["amount"]),
    ))
}

#[tokio::main]
async fn main() -> Result<()> {
    // RUST_LOG=hcpartner=debug shows what the client does (make test-secrets runs the tour so).
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .init();
    }
    let emu = Emulator::start(Options::default())?;
    let creds = emu.credentials().clone();
    println!(
        "Partner Center emulator on {} (partner account {}, AK {})",
        emu.url(),
        creds.domain_name,
        creds.ak
    );
    let config = Config::builder()
        .endpoint(emu.url())
        .credentials(AkSk::new(&creds.ak, creds.sk.as_str()).with_domain_id(&creds.domain_id))
        .build()?;
    let client = Client::new(config)?;

    // 1. Two new customers: a resale one (the default) and a consulting-sales one.
    let resale = client
        .call("create_sub_customer", json!({"domain_name": "tour_resale_shop", "xaccount_id": "shop-1001", "xaccount_type": creds.xaccount_type}))
        .await?;
    let referral = client
        .call(
            "create_sub_customer",
            json!({"domain_name": "tour_referral_lab", "xaccount_id": "lab-2002", "xaccount_type": creds.xaccount_type, "cooperation_type": "1"}),
        )
        .await?;
    let resale_id = s(&resale["domain_id"]);
    let referral_id = s(&referral["domain_id"]);
    table(
        "1. Created two customers",
        &["account name", "customer id", "association"],
        &[
            vec![
                s(&resale["domain_name"]),
                resale_id.clone(),
                "2 resale (代售)".to_owned(),
            ],
            vec![
                s(&referral["domain_name"]),
                referral_id.clone(),
                "1 consulting sale (顾问销售)".to_owned(),
            ],
        ],
    );

    // 2. Real-name authentication of the resale customer as an enterprise.
    let applied = client
        .call(
            "create_enterprise_realname_authentication",
            json!({"customer_id": resale_id, "identify_type": 1, "verified_file_url": ["license.jpg"], "corp_name": "Tour Shop Ltd.",
                   "verified_number": "91110000MA01TOUR1X", "xaccount_type": creds.xaccount_type}),
        )
        .await?;
    let review = client
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": resale_id}),
        )
        .await?;
    table(
        "2. Enterprise real-name authentication",
        &["customer id", "manual review", "review result"],
        &[vec![
            resale_id.clone(),
            s(&applied["is_review"]),
            format!("{} (2 = approved)", s(&review["review_result"])),
        ]],
    );

    // 3. Fund the resale customer, then reclaim part of it.
    let (p0, c0) = balances(&client, &resale_id).await?;
    let adj = client
        .call(
            "update_customer_account_amount",
            json!({"customer_id": resale_id, "amount": money("500.00")}),
        )
        .await?;
    let (p1, c1) = balances(&client, &resale_id).await?;
    let rec = client
        .call(
            "reclaim_to_partner_account",
            json!({"customer_id": resale_id, "amount": money("120.50")}),
        )
        .await?;
    let (p2, c2) = balances(&client, &resale_id).await?;
    table(
        "3. Fund 500.00 and reclaim 120.50 (partner + customer stays the same)",
        &["step", "transaction", "partner balance", "customer balance"],
        &[
            vec!["start".to_owned(), String::new(), p0, c0],
            vec!["fund".to_owned(), s(&adj["transfer_id"]), p1, c1],
            vec!["reclaim".to_owned(), s(&rec["trans_id"]), p2, c2],
        ],
    );

    // 4. Coupons from the partner's quota: the consulting-sales customer cannot get one.
    let issued = client
        .call("create_partner_coupons", json!({"quota_id": QUOTA_ID, "customer_ids": [resale_id, referral_id], "face_value": money("88.00"), "memo": "welcome"}))
        .await?;
    let mut rows: Vec<Vec<String>> = issued["coupon_infos"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| vec![s(&c["id"]), "issued".to_owned(), s(&c["coupon_id"])])
        .collect();
    rows.extend(
        issued["error_details"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| vec![s(&e["id"]), "refused".to_owned(), s(&e["error_code"])]),
    );
    table(
        "4a. Issue an 88.00 coupon to both customers",
        &["customer id", "result", "coupon id / code"],
        &rows,
    );
    let list = client
        .call("list_issued_partner_coupons", json!({"limit": 10}))
        .await?;
    let rows: Vec<Vec<String>> = list["user_coupons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                s(&c["coupon_id"]),
                s(&c["customer_id"]),
                s(&c["face_value"]),
                s(&c["balance"]),
                s(&c["status"]),
                s(&c["expire_time"]),
            ]
        })
        .collect();
    table(
        &format!("4b. Issued coupons ({} in total)", s(&list["total_count"])),
        &[
            "coupon id",
            "customer id",
            "face value",
            "balance",
            "status",
            "expires",
        ],
        &rows,
    );

    // 5. The customer list.
    let customers = client
        .call("list_sub_customers", json!({"limit": 100}))
        .await?;
    let rows: Vec<Vec<String>> = customers["customer_infos"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                s(&c["account_name"]),
                s(&c["xaccount_id"]),
                s(&c["customer_level"]),
                s(&c["association_type"]),
                s(&c["verified_status"]),
                s(&c["associated_on"]),
            ]
        })
        .collect();
    table(
        &format!("5. Customers ({} in total)", s(&customers["count"])),
        &[
            "account name",
            "xaccount_id",
            "level",
            "association",
            "verified",
            "associated on",
        ],
        &rows,
    );

    // 6. Last month's bill of a long-standing resale customer.
    let cycle = util::bill_cycle(util::epoch(std::time::SystemTime::now()), 1);
    let bill = client
        .call(
            "list_sub_customer_bill_detail",
            json!({"bill_cycle": cycle, "customer_id": SEED_RESALE_ID}),
        )
        .await?;
    let rows: Vec<Vec<String>> = bill["fee_records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let mode = if r["charging_mode"] == 1 {
                "yearly/monthly"
            } else {
                "pay-per-use"
            };
            vec![
                s(&r["service_type_name"]),
                s(&r["resource_name"]),
                mode.to_owned(),
                s(&r["official_amount"]),
                s(&r["official_discount_amount"]),
                s(&r["payment_amount"]),
            ]
        })
        .collect();
    table(
        &format!(
            "6. Monthly bill {cycle} of customer {SEED_RESALE_ID} ({} records, {})",
            s(&bill["total_count"]),
            s(&bill["currency"])
        ),
        &[
            "service",
            "resource",
            "billing",
            "list price",
            "discount",
            "paid",
        ],
        &rows,
    );

    // 7. Failed calls come back as one typed error.
    let e = client
        .call(
            "update_customer_account_amount",
            json!({"customer_id": resale_id, "amount": money("99999999.00")}),
        )
        .await
        .unwrap_err();
    show_error("7a. Funding more than the partner has", &e);
    let e = client
        .call(
            "create_sub_customer",
            json!({"xaccount_type": creds.xaccount_type}),
        )
        .await
        .unwrap_err();
    show_error("7b. A required field missing (caught before sending)", &e);

    let stats = emu.stats();
    println!(
        "\nThe emulator answered {} requests and applied {}.",
        stats["totals"]["received"], stats["totals"]["applied"]
    );
    international().await
}

/// Step 8, the international site: a partner there sets its resale customers a budget instead
/// of funding their accounts. One emulator process serves one site, as the real endpoints do.
async fn international() -> Result<()> {
    let emu = Emulator::start(Options {
        site: Site::Intl,
        ..Options::default()
    })?;
    let creds = emu.credentials();
    let client = Client::new(
        Config::builder()
            .site(Site::Intl)
            .endpoint(emu.url())
            .credentials(
                AkSk::new(creds.ak.clone(), creds.sk.clone())
                    .with_domain_id(creds.domain_id.clone()),
            )
            .build()?,
    )?;
    println!("\n=== the international site ({}) ===", emu.url());
    let before = client
        .call(
            "show_sub_customer_budget",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await?;
    client
        .call(
            "update_sub_customer_budget",
            json!({"customer_id": SEED_RESALE_ID, "budget_amount": money("1500.00"), "budget_type": "MONTHLY"}),
        )
        .await?;
    let after = client
        .call(
            "show_sub_customer_budget",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await?;
    table(
        &format!("8. Monthly budget of customer {SEED_RESALE_ID} (update_sub_customer_budget)"),
        &["", "budget", "used", "currency"],
        &[before, after]
            .iter()
            .zip(["before", "after"])
            .map(|(b, when)| {
                vec![
                    when.to_owned(),
                    s(&b["budget_amount"]),
                    s(&b["used_amount"]),
                    s(&b["currency"]),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let e = client
        .call(
            "update_customer_account_amount",
            json!({"customer_id": SEED_RESALE_ID, "amount": money("1.00")}),
        )
        .await
        .unwrap_err();
    show_error(
        "8b. A China-site operation on an international client (caught before sending)",
        &e,
    );
    Ok(())
}
