//! The seed: a partner with a balance, two customers of its own with a history (bills for the
//! last three months, orders, resources, a coupon), one customer of another partner, and two
//! coupon quotas. Everything is placed relative to the emulator's clock at seeding time.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::catalog;
use super::*;
use crate::util::bill_cycle;

pub const PARTNER_DOMAIN_ID: &str = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";
pub const PARTNER_DOMAIN_NAME: &str = "hcp_demo_partner";
pub const PARTNER_XACCOUNT_TYPE: &str = "hcp_demo_IDP";
pub const SEED_RESALE_ID: &str = "5d9e1f0a7b3c4e2d8f6a1b0c9d8e7f01";
pub const SEED_RESALE_NAME: &str = "hcp_seed_resale";
pub const SEED_RESALE_PASSWORD: &str = "Seed-Passw0rd!";
pub const SEED_CONSULTING_ID: &str = "5d9e1f0a7b3c4e2d8f6a1b0c9d8e7f02";
pub const SEED_CONSULTING_NAME: &str = "hcp_seed_referral";
/// The referral customer signs in with its own password (it has no agency for the partner).
pub const SEED_CONSULTING_PASSWORD: &str = "Seed-Referral1!";
pub const SEED_FOREIGN_ID: &str = "9f8e7d6c5b4a49382716a5b4c3d2e1f0";
pub const QUOTA_ID: &str = "QUOTA-CASH-0001";
pub const QUOTA_EXPIRED_ID: &str = "QUOTA-CASH-0002";
pub const PENDING_ORDER_ID: &str = "CS2401010000SEED2";
pub const PAID_ORDER_ID: &str = "CS2401010000SEED1";
pub const SEED_SERVER_ID: &str = "ecs-seed-web01";
/// The seeded resale customer is also an enterprise master account with this sub-account.
pub const SEED_SUB_ACCOUNT_ID: &str = "5d9e1f0a7b3c4e2d8f6a1b0c9d8e7f03";
pub const SEED_ORG_ROOT_ID: &str = "ORG-SEED-ROOT";
pub const SEED_ORG_ID: &str = "ORG-SEED-RND";
/// The partner's one reseller (indirect partner).
pub const SEED_RESELLER_ID: &str = "7a6b5c4d3e2f41f0a9b8c7d6e5f4a301";
pub const SEED_CARD_ID: &str = "SVC-SEED-0001";
pub const SEED_FREE_RESOURCE_ID: &str = "FR-SEED-0001";

const DAY: i64 = 86_400;

/// (service, resource type, charging mode, resource id, spec, official, discount, usage, usage unit)
type BillRow = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    Decimal,
    Decimal,
    Decimal,
    i64,
);

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn customer(
    id: &str,
    name: &str,
    owner: &str,
    assoc: &str,
    xid: &str,
    level: &str,
    balance: &str,
    since: i64,
) -> Customer {
    Customer {
        id: id.to_owned(),
        name: name.to_owned(),
        owner: owner.to_owned(),
        association_type: assoc.to_owned(),
        xaccount_id: xid.to_owned(),
        xaccount_type: PARTNER_XACCOUNT_TYPE.to_owned(),
        customer_level: level.to_owned(),
        label: None,
        mobile: None,
        email: None,
        password: None,
        is_frozen: 0,
        freeze_type: None,
        associated_on: since,
        balance: d(balance),
        debt: Decimal::ZERO,
        agency: assoc == RESALE,
        realname: None,
        realname_attempts: 0,
    }
}

fn verified(kind: i64, name: &str, at: i64) -> Option<RealName> {
    Some(RealName {
        verified_type: kind,
        name: name.to_owned(),
        verified_number: "91110000MA00SEED1X".to_owned(),
        applied_at: at,
        decided_at: at,
        decision: 2,
        opinion: None,
    })
}

fn bills(customer_id: &str, now: i64, scale: Decimal, out: &mut Vec<BillItem>) {
    for back in 1..=3u32 {
        let cycle = bill_cycle(now, back);
        let month = Decimal::from(4 - back as i64); // grows towards the present
        let trade_time = now - i64::from(back) * 30 * DAY;
        let rows: [BillRow; 3] = [
            (
                "hws.service.type.ec2",
                "hws.resource.type.vm",
                1,
                SEED_SERVER_ID,
                "s6.large.2.linux",
                d("144.00") * scale,
                d("14.40") * scale,
                Decimal::ONE,
                11,
            ),
            (
                "hws.service.type.ebs",
                "hws.resource.type.volume",
                3,
                "evs-seed-data01",
                "SSD 100 GB",
                d("72.00") * scale,
                Decimal::ZERO,
                d("720"),
                4,
            ),
            (
                "hws.service.type.vpc",
                "hws.resource.type.bandwidth",
                3,
                "bw-seed-01",
                "19_bgp 5 Mbit/s",
                (d("30.50") + month * d("2.25")) * scale,
                Decimal::ZERO,
                d("484"),
                4,
            ),
        ];
        for (i, (svc, res, mode, rid, desc, official, discount, usage, unit)) in
            rows.into_iter().enumerate()
        {
            let pay = official - discount;
            let coupon = if i == 0 && back == 1 {
                d("40.00").min(pay)
            } else {
                Decimal::ZERO
            };
            out.push(BillItem {
                id: format!("BILL-{customer_id:.8}-{cycle}-{i}"),
                bill_cycle: cycle.clone(),
                customer_id: customer_id.to_owned(),
                service_type_code: svc.to_owned(),
                resource_type_code: res.to_owned(),
                region_code: "cn-north-4".to_owned(),
                charging_mode: mode,
                bill_type: 1,
                resource_id: rid.to_owned(),
                resource_name: rid.to_owned(),
                product_spec_desc: desc.to_owned(),
                trade_time,
                official_amount: official.round_dp(2),
                discount_amount: discount.round_dp(2),
                cash_amount: (pay - coupon).round_dp(2),
                coupon_amount: coupon,
                debt_amount: Decimal::ZERO,
                usage,
                usage_measure_id: unit,
            });
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn resource(
    id: &str,
    customer: &str,
    spec: &catalog::Spec,
    size: i64,
    main: bool,
    charging: &str,
    order: &str,
    from: i64,
    to: i64,
) -> Resource {
    let monthly = if spec.sized {
        spec.monthly() * Decimal::from(size)
    } else {
        spec.monthly()
    };
    Resource {
        resource_id: id.to_owned(),
        resource_name: id.to_owned(),
        customer_id: customer.to_owned(),
        region_code: "cn-north-4".to_owned(),
        service_type_code: spec.service_type.to_owned(),
        resource_type_code: spec.resource_type.to_owned(),
        resource_spec_code: spec.spec_code.to_owned(),
        product_id: spec.product_id.to_owned(),
        spec_desc: spec.desc.to_owned(),
        size,
        is_main: main,
        status: 2,
        effective_time: from,
        expire_time: to,
        expire_policy: 0,
        charging: charging.to_owned(),
        monthly_price: monthly,
        order_id: order.to_owned(),
        deleted: false,
    }
}

fn line(order: &str, n: usize, r: &Resource, months: i64) -> OrderLine {
    let amount = r.monthly_price * Decimal::from(months);
    OrderLine {
        line_id: format!("{order}-{n}"),
        product_id: r.product_id.clone(),
        spec_desc: r.spec_desc.clone(),
        resource_id: r.resource_id.clone(),
        period_type: 2,
        period_num: months,
        subscription_num: 1,
        official_amount: amount,
        amount,
    }
}

/// The seeded world of the China site at time `now` (epoch seconds).
pub fn seed(now: i64) -> State {
    seed_for(now, hcpartner::Site::Cn)
}

/// The seeded world of `site`: the same customers and history; the international partner keeps
/// its accounts in USD.
pub fn seed_for(now: i64, site: hcpartner::Site) -> State {
    let mut st = base(now);
    extras(now, &mut st);
    if site == hcpartner::Site::Intl {
        st.partner.currency = "USD".to_owned();
    }
    st
}

/// Enterprise multi-account, the reseller, a stored-value card, a resource package with its
/// usage, a budget and invoices.
fn extras(now: i64, st: &mut State) {
    st.orgs = vec![
        Org {
            id: SEED_ORG_ROOT_ID.to_owned(),
            name: "Seed Trading".to_owned(),
            master: SEED_RESALE_ID.to_owned(),
            parent: None,
        },
        Org {
            id: SEED_ORG_ID.to_owned(),
            name: "R&D".to_owned(),
            master: SEED_RESALE_ID.to_owned(),
            parent: Some(SEED_ORG_ROOT_ID.to_owned()),
        },
    ];
    st.sub_accounts = vec![SubAccount {
        id: SEED_SUB_ACCOUNT_ID.to_owned(),
        name: "hcp_seed_sub01".to_owned(),
        display_name: "R&D account".to_owned(),
        master: SEED_RESALE_ID.to_owned(),
        org_id: SEED_ORG_ID.to_owned(),
        balance: d("100.00"),
        status: 1,
        financial_custody: 1,
    }];
    st.resellers = vec![Reseller {
        id: SEED_RESELLER_ID.to_owned(),
        account_name: "hcp_seed_reseller".to_owned(),
        name: "Seed Reseller Ltd.".to_owned(),
        mobile: "13800000009".to_owned(),
        email: "reseller@example.com".to_owned(),
        associated_on: now - 300 * DAY,
        balance: d("500.00"),
    }];
    st.stored_value_cards = vec![StoredValueCard {
        card_id: SEED_CARD_ID.to_owned(),
        customer_id: SEED_RESALE_ID.to_owned(),
        card_name: "Seed stored-value card".to_owned(),
        status: 1,
        face_value: d("200.00"),
        balance: d("150.00"),
        effective_time: now - 20 * DAY,
        expire_time: now + 345 * DAY,
    }];
    st.free_packages = vec![FreePackage {
        order_instance_id: "FRP-SEED-0001".to_owned(),
        order_id: PAID_ORDER_ID.to_owned(),
        customer_id: SEED_RESALE_ID.to_owned(),
        product_id: "00301-04001-0--0".to_owned(),
        product_name: "OBS standard storage package 100 GB".to_owned(),
        service_type_code: "hws.service.type.obs".to_owned(),
        region_code: "cn-north-4".to_owned(),
        effective_time: now - 40 * DAY,
        expire_time: now + 325 * DAY,
        status: 1,
        resources: vec![FreeResource {
            free_resource_id: SEED_FREE_RESOURCE_ID.to_owned(),
            usage_type_name: "Storage".to_owned(),
            original_amount: d("100"),
            remaining: d("62.5"),
            measure_id: 17,
        }],
    }];
    st.free_usages = [
        (now - 20 * DAY, "20", "80"),
        (now - 5 * DAY, "17.5", "62.5"),
    ]
    .into_iter()
    .map(|(at, used, left)| FreeUsage {
        free_resource_id: SEED_FREE_RESOURCE_ID.to_owned(),
        resource_id: "obs-seed-bucket".to_owned(),
        resource_type_code: "hws.resource.type.obs".to_owned(),
        product_id: "00301-04001-0--0".to_owned(),
        deduct_time: at,
        used: d(used),
        remaining: d(left),
        measure_id: 17,
    })
    .collect();
    st.partner.consumption_quota = d("10000.00");
    st.budgets = vec![Budget {
        customer_id: SEED_RESALE_ID.to_owned(),
        amount: d("1000.00"),
        used: d("120.50"),
        budget_type: "MONTHLY".to_owned(),
    }];
    st.budget_records = vec![BudgetRecord {
        customer_id: SEED_RESALE_ID.to_owned(),
        amount: d("1000.00"),
        operation_type: "SETTING".to_owned(),
        budget_type: "MONTHLY".to_owned(),
        time: now - 60 * DAY,
    }];
    st.invoices = (1..=2u32)
        .map(|back| Invoice {
            request_id: format!("INV-SEED-{back:04}"),
            amount: d("216.00") * Decimal::from(back),
            tax: d("12.96") * Decimal::from(back),
            bill_cycle: bill_cycle(now, back),
            apply_time: now - i64::from(back) * 25 * DAY,
            state: if back == 1 { 1 } else { 2 },
            invoice_no: if back == 1 {
                String::new()
            } else {
                format!("NO-SEED-{back:04}")
            },
        })
        .collect();
}

/// The customers, balances, coupons, bills, orders and resources.
fn base(now: i64) -> State {
    let own = PARTNER_DOMAIN_ID;
    let mut resale = customer(
        SEED_RESALE_ID,
        SEED_RESALE_NAME,
        own,
        RESALE,
        "seed-0001",
        "V2",
        "2000.00",
        now - 200 * DAY,
    );
    resale.realname = verified(1, "Seed Trading Co., Ltd.", now - 190 * DAY);
    resale.password = Some(SEED_RESALE_PASSWORD.to_owned());
    resale.mobile = Some("13800000001".to_owned());
    resale.label = Some("seed".to_owned());
    let mut consulting = customer(
        SEED_CONSULTING_ID,
        SEED_CONSULTING_NAME,
        own,
        CONSULTING,
        "seed-0002",
        "V1",
        "0",
        now - 150 * DAY,
    );
    consulting.realname = verified(0, "Seed Person", now - 149 * DAY);
    consulting.password = Some(SEED_CONSULTING_PASSWORD.to_owned());
    let foreign = customer(
        SEED_FOREIGN_ID,
        "hcp_other_partners_customer",
        "ffffffffffffffffffffffffffffffff",
        RESALE,
        "other-0001",
        "V0",
        "500.00",
        now - 90 * DAY,
    );

    let mut bill_items = Vec::new();
    bills(SEED_RESALE_ID, now, Decimal::ONE, &mut bill_items);
    bills(SEED_CONSULTING_ID, now, d("0.5"), &mut bill_items);

    let spec = |code: &str| {
        catalog::SPECS
            .iter()
            .find(|s| s.spec_code == code)
            .expect("seed specs exist")
    };
    let server = resource(
        SEED_SERVER_ID,
        SEED_RESALE_ID,
        spec("s6.large.2.linux"),
        1,
        true,
        "period",
        PAID_ORDER_ID,
        now - 60 * DAY,
        now + 30 * DAY,
    );
    let disk = resource(
        "evs-seed-data01",
        SEED_RESALE_ID,
        spec("SSD"),
        100,
        false,
        "period",
        PAID_ORDER_ID,
        now - 60 * DAY,
        now + 30 * DAY,
    );
    let mut pending = resource(
        "ecs-seed-pending",
        SEED_RESALE_ID,
        spec("s6.small.1.linux"),
        1,
        true,
        "period",
        PENDING_ORDER_ID,
        now,
        now + 30 * DAY,
    );
    pending.status = 1;
    let on_demand = resource(
        "bw-seed-01",
        SEED_RESALE_ID,
        spec("19_bgp"),
        5,
        true,
        "on_demand",
        "",
        now - 100 * DAY,
        now + 3650 * DAY,
    );

    let paid_lines = vec![
        line(PAID_ORDER_ID, 1, &server, 3),
        line(PAID_ORDER_ID, 2, &disk, 3),
    ];
    let paid_total: Decimal = paid_lines.iter().map(|l| l.amount).sum();
    let pending_lines = vec![line(PENDING_ORDER_ID, 1, &pending, 1)];
    let pending_total: Decimal = pending_lines.iter().map(|l| l.amount).sum();
    let orders = vec![
        Order {
            order_id: PAID_ORDER_ID.to_owned(),
            customer_id: SEED_RESALE_ID.to_owned(),
            service_type_code: "hws.service.type.ec2".to_owned(),
            status: 5,
            order_type: 1,
            official_amount: paid_total,
            amount_after_discount: paid_total,
            coupon_amount: Decimal::ZERO,
            create_time: now - 60 * DAY,
            payment_time: Some(now - 60 * DAY + 120),
            lines: paid_lines,
            base_order_id: None,
        },
        Order {
            order_id: PENDING_ORDER_ID.to_owned(),
            customer_id: SEED_RESALE_ID.to_owned(),
            service_type_code: "hws.service.type.ec2".to_owned(),
            status: 6,
            order_type: 1,
            official_amount: pending_total,
            amount_after_discount: pending_total,
            coupon_amount: Decimal::ZERO,
            create_time: now - 3600,
            payment_time: None,
            lines: pending_lines,
            base_order_id: None,
        },
    ];

    let quota = |id: &str, value: &str, from: i64, to: i64| Quota {
        quota_id: id.to_owned(),
        quota_type: 0,
        quota_value: d(value),
        balance: d(value),
        quota_status: 0,
        create_time: from,
        last_update_time: from,
        effective_time: from,
        expire_time: to,
        min_face_value: d("1"),
        max_face_value: d("10000"),
    };
    let mut quotas = vec![
        quota(QUOTA_ID, "50000.00", now - 30 * DAY, now + 335 * DAY),
        quota(QUOTA_EXPIRED_ID, "1000.00", now - 400 * DAY, now - 35 * DAY),
    ];
    quotas[0].balance -= d("100.00");
    let coupons = vec![Coupon {
        coupon_id: "CP-SEED-0001".to_owned(),
        customer_id: SEED_RESALE_ID.to_owned(),
        quota_id: QUOTA_ID.to_owned(),
        coupon_type: 1,
        face_value: d("100.00"),
        balance: d("60.00"),
        status: 2,
        create_time: now - 10 * DAY,
        effective_time: now - 10 * DAY,
        expire_time: now + 80 * DAY,
        cloud_service_types: Vec::new(),
        memo: Some("welcome coupon".to_owned()),
        last_used_time: Some(now - 5 * DAY),
        used_by_order_id: None,
    }];
    let coupon_records = vec![CouponRecord {
        id: "REC-SEED-0001".to_owned(),
        operation_type: "1".to_owned(),
        quota_id: QUOTA_ID.to_owned(),
        quota_type: 0,
        coupon_id: "CP-SEED-0001".to_owned(),
        customer_id: SEED_RESALE_ID.to_owned(),
        operation_amount: d("100.00"),
        operation_time: now - 10 * DAY,
        result: "SUCCESS".to_owned(),
        remark: "welcome coupon".to_owned(),
    }];

    State {
        partner: Partner {
            domain_id: PARTNER_DOMAIN_ID.to_owned(),
            domain_name: PARTNER_DOMAIN_NAME.to_owned(),
            account_id: "ACC-hcp-demo-partner-0001".to_owned(),
            xaccount_type: PARTNER_XACCOUNT_TYPE.to_owned(),
            balance: d("100000.00"),
            currency: "CNY".to_owned(),
            consumption_quota: Decimal::ZERO,
        },
        customers: vec![resale, consulting, foreign],
        quotas,
        coupons,
        coupon_records,
        account_records: Vec::new(),
        bills: bill_items,
        orders,
        resources: vec![server, disk, pending, on_demand],
        verification_codes: Vec::new(),
        renew_config: BTreeMap::new(),
        seq: 0,
        sub_accounts: Vec::new(),
        orgs: Vec::new(),
        sub_coupons: Vec::new(),
        sub_transfers: Vec::new(),
        project_auth: Vec::new(),
        resellers: Vec::new(),
        issued_quotas: Vec::new(),
        quota_records: Vec::new(),
        reseller_transfers: Vec::new(),
        stored_value_cards: Vec::new(),
        free_packages: Vec::new(),
        free_usages: Vec::new(),
        budgets: Vec::new(),
        budget_records: Vec::new(),
        invoices: Vec::new(),
    }
}
