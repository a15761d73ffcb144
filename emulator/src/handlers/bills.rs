//! Bills: the partner's view of its customers' monthly bills (detail, sums, who consumed), and a
//! customer's own monthly sum and fee records. Data comes from the seeded bill items.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::{catalog, BillItem};
use crate::util::{is_cycle, money2, utc};

fn cycle(ctx: &Ctx<'_>, name: &str) -> ApiResult<String> {
    let c = ctx.p.req_str(name)?;
    if !is_cycle(&c) {
        return Err(ApiError::param(name, "must be a month like 2024-01"));
    }
    Ok(c)
}

fn items<'a>(
    ctx: &'a Ctx<'_>,
    cycle: &str,
    customer: Option<&str>,
) -> ApiResult<Vec<&'a BillItem>> {
    let p = ctx.p;
    let service = p.str("service_type_code")?.or(p.str("cloud_service_type")?);
    let region = p.str("region_code")?;
    let mode = p.int("charging_mode")?;
    let resource = p.str("resource_id")?;
    let visible = ctx.visible_customer_ids();
    Ok(ctx
        .st
        .bills
        .iter()
        .filter(|b| b.bill_cycle == cycle && visible.contains(&b.customer_id))
        .filter(|b| customer.is_none_or(|c| b.customer_id == c))
        .filter(|b| {
            service.as_ref().is_none_or(|s| &b.service_type_code == s)
                && region.as_ref().is_none_or(|r| &b.region_code == r)
        })
        .filter(|b| {
            mode.is_none_or(|m| b.charging_mode == m)
                && resource.as_ref().is_none_or(|r| &b.resource_id == r)
        })
        .collect())
}

fn association_of(ctx: &Ctx<'_>, id: &str) -> String {
    ctx.st
        .customers
        .iter()
        .find(|c| c.id == id)
        .map_or_else(String::new, |c| c.association_type.clone())
}

pub fn sub_customer_bill_detail(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let cycle = cycle(ctx, "bill_cycle")?;
    let customer = ctx.p.req_str("customer_id")?;
    ctx.st.own_customer(&customer)?;
    let assoc = association_of(ctx, &customer);
    if ctx.p.str("association_type")?.is_some_and(|a| a != assoc) {
        return Ok(json!({"currency": ctx.currency(), "fee_records": []}));
    }
    let records: Vec<Value> = items(ctx, &cycle, Some(&customer))?
        .into_iter()
        .map(|b| {
            json!({
                "bill_cycle": b.bill_cycle,
                "customer_id": b.customer_id,
                "association_type": assoc,
                "service_type_code": b.service_type_code,
                "resource_type_code": b.resource_type_code,
                "service_type_name": catalog::service_name(&b.service_type_code),
                "resource_type_name": catalog::resource_name(&b.resource_type_code),
                "charging_mode": b.charging_mode,
                "trade_time": utc(b.trade_time),
                "trade_id": b.id,
                "id": b.id,
                "bill_detail_type": b.bill_type,
                "resource_id": b.resource_id,
                "resource_name": b.resource_name,
                "product_spec_desc": b.product_spec_desc,
                "region_code": b.region_code,
                "region_name": catalog::region_name(&b.region_code),
                "consume_time": utc(b.trade_time),
                "usage_type": if b.charging_mode == 3 { "duration" } else { "" },
                "usage_amount": crate::util::money(b.usage),
                "usage_measure_id": b.usage_measure_id,
                "official_amount": money2(b.official_amount),
                "official_discount_amount": money2(b.discount_amount),
                "payment_amount": money2(b.payment_amount()),
                "cash_amount": money2(b.cash_amount),
                "credit_amount": money2(Decimal::ZERO),
                "coupon_amount": money2(b.coupon_amount),
                "flexipurchase_coupon_amount": money2(Decimal::ZERO),
                "stored_value_card_amount": money2(Decimal::ZERO),
                "debt_amount": money2(b.debt_amount),
                "writeoff_amount": money2(Decimal::ZERO),
                "period_type": if b.charging_mode == 1 { Some(2) } else { None },
                "partner_id": ctx.st.partner.domain_id,
            })
        })
        .collect();
    Ok(json!({"currency": ctx.currency(), "fee_records": records}))
}

#[derive(Default)]
struct Sum {
    amount: Decimal,
    official: Decimal,
    discount: Decimal,
    debt: Decimal,
    cash: Decimal,
    coupon: Decimal,
}

impl Sum {
    fn add(&mut self, b: &BillItem) {
        self.amount += b.payment_amount();
        self.official += b.official_amount;
        self.discount += b.discount_amount;
        self.debt += b.debt_amount;
        self.cash += b.cash_amount;
        self.coupon += b.coupon_amount;
    }
}

pub fn subcustomer_monthly_bills(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let cycle = cycle(ctx, "cycle")?;
    let mode = ctx.p.req_str("charge_mode")?;
    let mode: i64 =
        match mode.as_str() {
            "1" | "3" | "10" => mode.parse().unwrap_or_default(),
            _ => return Err(ApiError::param(
                "charge_mode",
                "must be \"1\" (yearly/monthly), \"3\" (pay-per-use) or \"10\" (reserved instance)",
            )),
        };
    let customer = ctx.p.str("customer_id")?;
    if let Some(c) = &customer {
        ctx.st.own_customer(c)?;
    }
    let bill_type = ctx.p.str("bill_type")?;
    let mut sums: BTreeMap<(String, String, String, i64), Sum> = BTreeMap::new();
    for b in items(ctx, &cycle, customer.as_deref())? {
        if b.charging_mode != mode
            || bill_type
                .as_ref()
                .is_some_and(|t| *t != b.bill_type.to_string())
        {
            continue;
        }
        sums.entry((
            b.customer_id.clone(),
            b.service_type_code.clone(),
            b.resource_type_code.clone(),
            b.bill_type,
        ))
        .or_default()
        .add(b);
    }
    let rows: Vec<Value> = sums
        .into_iter()
        .map(|((customer, service, resource, bill_type), s)| {
            json!({
                "customer_id": customer,
                "cloud_service_type": service,
                "cloud_service_type_name": catalog::service_name(&service),
                "resource_type_code": resource,
                "resource_type_name": catalog::resource_name(&resource),
                "bill_type": bill_type.to_string(),
                "charge_mode": mode.to_string(),
                "amount": money2(s.amount),
                "debt_amount": money2(s.debt),
                "adjustment_amount": money2(Decimal::ZERO),
                "discount_amount": money2(s.discount),
                "measure_id": 1,
                "account_details": [
                    {"balance_type": "BALANCE_TYPE_DEBIT", "amount": money2(s.cash), "bill_type": bill_type.to_string()},
                    {"balance_type": "BALANCE_TYPE_COUPON", "amount": money2(s.coupon), "bill_type": bill_type.to_string()},
                ],
            })
        })
        .collect();
    Ok(json!({"bill_sums": rows, "currency": ctx.currency()}))
}

pub fn consume_sub_customers(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let cycle = cycle(ctx, "bill_cycle")?;
    let mut ids: Vec<String> = items(ctx, &cycle, None)?
        .into_iter()
        .map(|b| b.customer_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(
        json!({"sub_customers": ids.into_iter().map(|id| json!({"customer_id": id})).collect::<Vec<_>>()}),
    )
}

pub fn customer_monthly_sum(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let cycle = cycle(ctx, "bill_cycle")?;
    let name = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let mut groups: BTreeMap<(String, String, i64, i64), Sum> = BTreeMap::new();
    let mut total = Sum::default();
    for b in items(ctx, &cycle, Some(&me))? {
        groups
            .entry((
                b.service_type_code.clone(),
                b.resource_type_code.clone(),
                b.charging_mode,
                b.bill_type,
            ))
            .or_default()
            .add(b);
        total.add(b);
    }
    let rows: Vec<Value> = groups
        .into_iter()
        .map(|((service, resource, mode, bill_type), s)| {
            json!({
                "bill_cycle": cycle,
                "resource_type_code": resource,
                "service_type_code": service,
                "service_type_name": catalog::service_name(&service),
                "resource_type_name": catalog::resource_name(&resource),
                "charging_mode": mode,
                "official_amount": money2(s.official),
                "official_discount_amount": money2(s.discount),
                "truncated_amount": money2(Decimal::ZERO),
                "consume_amount": money2(s.amount),
                "coupon_amount": money2(s.coupon),
                "flexipurchase_coupon_amount": money2(Decimal::ZERO),
                "stored_value_card_amount": money2(Decimal::ZERO),
                "debt_amount": money2(s.debt),
                "writeoff_amount": money2(Decimal::ZERO),
                "cash_amount": money2(s.cash),
                "credit_amount": money2(Decimal::ZERO),
                "measure_id": 1,
                "bill_type": bill_type,
                "customer_id": me,
                "account_name": name,
            })
        })
        .collect();
    Ok(json!({
        "bill_sums": rows,
        "consume_amount": money2(total.amount),
        "debt_amount": money2(total.debt),
        "coupon_amount": money2(total.coupon),
        "flexipurchase_coupon_amount": money2(Decimal::ZERO),
        "stored_value_card_amount": money2(Decimal::ZERO),
        "cash_amount": money2(total.cash),
        "credit_amount": money2(Decimal::ZERO),
        "writeoff_amount": money2(Decimal::ZERO),
        "measure_id": 1,
        "currency": ctx.currency(),
    }))
}

pub fn customer_fee_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let cycle = cycle(ctx, "bill_cycle")?;
    let name = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let records: Vec<Value> = items(ctx, &cycle, Some(&me))?
        .into_iter()
        .map(|b| {
            json!({
                "bill_cycle": b.bill_cycle,
                "customer_id": b.customer_id,
                "service_type_code": b.service_type_code,
                "resource_type_code": b.resource_type_code,
                "service_type_name": catalog::service_name(&b.service_type_code),
                "resource_type_name": catalog::resource_name(&b.resource_type_code),
                "region_code": b.region_code,
                "region_name": catalog::region_name(&b.region_code),
                "charging_mode": b.charging_mode,
                "consume_time": utc(b.trade_time),
                "trade_time": utc(b.trade_time),
                "provider_type": 1,
                "trade_id": b.id,
                "id": b.id,
                "bill_type": b.bill_type,
                "status": 1,
                "official_amount": money2(b.official_amount),
                "official_discount_amount": money2(b.discount_amount),
                "erase_amount": money2(Decimal::ZERO),
                "consume_amount": money2(b.payment_amount()),
                "cash_amount": money2(b.cash_amount),
                "credit_amount": money2(Decimal::ZERO),
                "coupon_amount": money2(b.coupon_amount),
                "flexipurchase_coupon_amount": money2(Decimal::ZERO),
                "stored_value_card_amount": money2(Decimal::ZERO),
                "bonus_amount": money2(Decimal::ZERO),
                "debt_amount": money2(b.debt_amount),
                "writeoff_amount": money2(Decimal::ZERO),
                "account_name": name,
            })
        })
        .collect();
    Ok(json!({"records": records, "currency": ctx.currency()}))
}
