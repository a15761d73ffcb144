//! Yearly/monthly orders: list, details, pay (coupons first, then the customer's balance),
//! cancel, and the refund side of unsubscription orders.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::customers::time_filter;
use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::{catalog, Order, OrderLine};
use crate::util::{money2, utc};

const MONTH: i64 = 30 * 86_400;

fn invalid_order(id: &str) -> ApiError {
    ApiError::new(
        400,
        "CBC.30000010",
        format!("The order {id} is invalid or does not exist."),
    )
}

fn amount_info(o: &Order) -> Value {
    json!({
        "discounts": [],
        "flexipurchase_coupon_amount": money2(Decimal::ZERO),
        "coupon_amount": money2(o.coupon_amount),
        "stored_card_amount": money2(Decimal::ZERO),
        "commission_amount": money2(Decimal::ZERO),
        "consumed_amount": money2(o.amount_after_discount - o.coupon_amount),
    })
}

pub(crate) fn order_json(o: &Order, user_name: &str) -> Value {
    json!({
        "order_id": o.order_id,
        "customer_id": o.customer_id,
        "service_type_code": o.service_type_code,
        "service_type_name": catalog::service_name(&o.service_type_code),
        "source_type": 1,
        "status": o.status,
        "order_type": o.order_type,
        "amount_after_discount": money2(o.amount_after_discount),
        "official_amount": money2(o.official_amount),
        "measure_id": 1,
        "create_time": utc(o.create_time),
        "payment_time": o.payment_time.map(utc),
        "currency": "CNY",
        "amount_info": amount_info(o),
        "user_name": user_name,
        "pending_payment_end_time": (o.status == 6).then(|| utc(o.create_time + 15 * 86_400)),
    })
}

fn line_json(o: &Order, l: &OrderLine, now: i64) -> Value {
    json!({
        "order_line_item_id": l.line_id,
        "service_type_code": o.service_type_code,
        "service_type_name": catalog::service_name(&o.service_type_code),
        "product_id": l.product_id,
        "product_spec_desc": l.spec_desc,
        "period_type": l.period_type,
        "period_num": l.period_num,
        "effective_time": utc(o.payment_time.unwrap_or(now)),
        "expire_time": utc(o.payment_time.unwrap_or(now) + l.period_num * if l.period_type == 3 { 12 * MONTH } else { MONTH }),
        "subscription_num": l.subscription_num,
        "amount_after_discount": money2(l.amount),
        "official_amount": money2(l.official_amount),
        "currency": "CNY",
        "order_id": o.order_id,
        "base_product_info": {"product_id": l.product_id, "product_spec_desc": l.spec_desc},
    })
}

fn name_of(ctx: &Ctx<'_>, id: &str) -> String {
    ctx.st
        .customers
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

pub fn list(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let customers = match ctx.customer_filter()? {
        Some(id) => vec![id],
        None => ctx.visible_customer_ids(),
    };
    let order_id = p.str("order_id")?;
    let status = p.int("status")?;
    let kind = p.str("order_type")?;
    let service = p.str("service_type_code")?;
    let begin = time_filter(ctx, "create_time_begin")?;
    let end = time_filter(ctx, "create_time_end")?;
    let mut list: Vec<&Order> = ctx
        .st
        .orders
        .iter()
        .filter(|o| customers.contains(&o.customer_id))
        .filter(|o| {
            order_id.as_ref().is_none_or(|id| &o.order_id == id)
                && status.is_none_or(|s| o.status == s)
        })
        .filter(|o| {
            kind.as_ref().is_none_or(|k| *k == o.order_type.to_string())
                && service.as_ref().is_none_or(|s| &o.service_type_code == s)
        })
        .filter(|o| {
            begin.is_none_or(|b| o.create_time >= b) && end.is_none_or(|e| o.create_time <= e)
        })
        .collect();
    list.sort_by_key(|o| std::cmp::Reverse(o.create_time));
    let items: Vec<Value> = list
        .into_iter()
        .map(|o| {
            super::fit(
                "CustomerOrderV2",
                order_json(o, &name_of(ctx, &o.customer_id)),
            )
        })
        .collect();
    Ok(json!({"order_infos": items}))
}

fn visible_order<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a Order> {
    let visible = ctx.visible_customer_ids();
    ctx.st
        .orders
        .iter()
        .find(|o| o.order_id == id && visible.contains(&o.customer_id))
        .ok_or_else(|| invalid_order(id))
}

pub fn details(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("order_id")?;
    let o = visible_order(ctx, &id)?;
    let lines: Vec<Value> = o.lines.iter().map(|l| line_json(o, l, ctx.now)).collect();
    Ok(
        json!({"order_info": order_json(o, &name_of(ctx, &o.customer_id)), "order_line_items": lines}),
    )
}

fn yes_no(ctx: &Ctx<'_>, name: &str) -> ApiResult<bool> {
    match ctx.p.req_str(name)?.as_str() {
        "YES" => Ok(true),
        "NO" => Ok(false),
        _ => Err(ApiError::param(name, "must be \"YES\" or \"NO\"")),
    }
}

/// Applies a paid order to its resources: activates new ones, extends renewed ones.
fn fulfil(ctx: &mut Ctx<'_>, idx: usize) {
    let now = ctx.now;
    let order = ctx.st.orders[idx].clone();
    for l in &order.lines {
        let months = l.period_num * if l.period_type == 3 { 12 } else { 1 };
        if let Some(r) = ctx
            .st
            .resources
            .iter_mut()
            .find(|r| r.resource_id == l.resource_id && r.customer_id == order.customer_id)
        {
            if order.order_type == 2 {
                r.expire_time = r.expire_time.max(now) + months * MONTH;
                if r.status == 5 || r.status == 3 {
                    r.status = 2;
                }
            } else if r.status == 1 {
                r.status = 2;
                r.effective_time = now;
                r.expire_time = now + months * MONTH;
            }
        }
    }
}

/// Pays order `idx` from the customer's coupons (`coupon_ids`) and then its balance.
pub(crate) fn settle(ctx: &mut Ctx<'_>, idx: usize, coupon_ids: &[String]) -> ApiResult<()> {
    let now = ctx.now;
    let (customer, due, service) = {
        let o = &ctx.st.orders[idx];
        (
            o.customer_id.clone(),
            o.amount_after_discount,
            o.service_type_code.clone(),
        )
    };
    let mut from_coupons = Decimal::ZERO;
    for id in coupon_ids {
        let c = ctx
            .st
            .coupons
            .iter()
            .find(|c| &c.coupon_id == id && c.customer_id == customer)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "CBC.99003112",
                    format!("The coupon {id} cannot be used."),
                )
            })?;
        let usable = c.status == 2
            && c.expire_time >= now
            && c.effective_time <= now
            && c.balance > Decimal::ZERO;
        if !usable
            || !(c.cloud_service_types.is_empty() || c.cloud_service_types.contains(&service))
        {
            return Err(ApiError::new(
                400,
                "CBC.99003112",
                format!("The coupon {id} is already used or not applicable."),
            ));
        }
        from_coupons += c.balance;
    }
    let from_coupons = from_coupons.min(due);
    let cash = due - from_coupons;
    let balance = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == customer)
        .map_or(Decimal::ZERO, |c| c.balance);
    if balance < cash {
        return Err(ApiError::new(
            400,
            "CBC.99005003",
            format!(
                "The balance is insufficient: the customer has {balance}, the order needs {cash}."
            ),
        ));
    }
    let order_id = ctx.st.orders[idx].order_id.clone();
    let mut left = from_coupons;
    for id in coupon_ids {
        if let Some(c) = ctx.st.coupons.iter_mut().find(|c| &c.coupon_id == id) {
            let take = c.balance.min(left);
            c.balance -= take;
            left -= take;
            c.last_used_time = Some(now);
            c.used_by_order_id = Some(order_id.clone());
            if c.balance.is_zero() {
                c.status = 3;
            }
        }
    }
    if let Some(c) = ctx.st.customers.iter_mut().find(|c| c.id == customer) {
        c.balance -= cash;
    }
    let o = &mut ctx.st.orders[idx];
    o.status = 5;
    o.payment_time = Some(now);
    o.coupon_amount = from_coupons;
    fulfil(ctx, idx);
    ctx.changed = true;
    Ok(())
}

pub fn pay(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let id = ctx.p.req_str("order_id")?;
    let use_coupon = yes_no(ctx, "use_coupon")?;
    yes_no(ctx, "use_discount")?;
    let coupons: Vec<String> = if use_coupon {
        ctx.p
            .objects("coupon_infos")?
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::param(&format!("coupon_infos[{i}].id"), "is required"))
            })
            .collect::<ApiResult<_>>()?
    } else {
        Vec::new()
    };
    let idx = ctx
        .st
        .orders
        .iter()
        .position(|o| o.order_id == id && o.customer_id == me)
        .ok_or_else(|| invalid_order(&id))?;
    if ctx.st.orders[idx].status != 6 {
        return Err(ApiError::new(
            400,
            "CBC.99003106",
            format!("The status of order {id} has changed; it cannot be paid."),
        ));
    }
    settle(ctx, idx, &coupons)?;
    Ok(json!({}))
}

pub fn cancel(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let id = ctx.p.req_str("order_id")?;
    let idx = ctx
        .st
        .orders
        .iter()
        .position(|o| o.order_id == id && o.customer_id == me)
        .ok_or_else(|| invalid_order(&id))?;
    if ctx.st.orders[idx].status != 6 {
        return Err(ApiError::new(
            400,
            "CBC.99005010",
            format!("The status of order {id} does not allow cancellation."),
        ));
    }
    let order = &mut ctx.st.orders[idx];
    order.status = 4;
    let (resources, new_purchase): (Vec<String>, bool) = (
        order.lines.iter().map(|l| l.resource_id.clone()).collect(),
        order.order_type == 1,
    );
    if new_purchase {
        for r in ctx
            .st
            .resources
            .iter_mut()
            .filter(|r| resources.contains(&r.resource_id) && r.status == 1)
        {
            r.deleted = true;
        }
    }
    ctx.changed = true;
    Ok(json!({}))
}

pub fn refund_details(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("order_id")?;
    let o = visible_order(ctx, &id)?;
    if o.order_type != 4 {
        return Err(ApiError::new(
            400,
            "CBC.99005026",
            format!("The order {id} is not an unsubscription order."),
        ));
    }
    let infos: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            let r = ctx
                .st
                .resources
                .iter()
                .find(|r| r.resource_id == l.resource_id);
            let rtype = r.map_or("", |r| r.resource_type_code.as_str());
            json!({
                "id": l.line_id,
                "amount": money2(l.amount),
                "measure_id": "1",
                "customer_id": o.customer_id,
                "resource_type_code": rtype,
                "service_type_code": o.service_type_code,
                "resource_type_name": catalog::resource_name(rtype),
                "service_type_name": catalog::service_name(&o.service_type_code),
                "region_code": r.map_or("cn-north-4", |r| r.region_code.as_str()),
                "base_order_id": o.base_order_id,
            })
        })
        .collect();
    Ok(json!({"total_count": infos.len(), "refund_infos": infos}))
}

pub fn discounts(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let id = ctx.p.req_str("order_id")?;
    ctx.st
        .orders
        .iter()
        .find(|o| o.order_id == id && o.customer_id == me)
        .ok_or_else(|| invalid_order(&id))?;
    Ok(json!({"discounts": []}))
}
