//! Yearly/monthly resources: query, renew (a renewal order, paid at once with `is_auto_pay`),
//! automatic renewal on/off, unsubscription (refund of the unused days), renewal settings, and the
//! partner's view of a customer's pay-per-use resources.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::customers::time_filter;
use super::{orders, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{catalog, Order, OrderLine, Resource};
use crate::util::{money, utc};

const DAY: i64 = 86_400;

fn no_resource(id: &str) -> ApiError {
    ApiError::new(
        400,
        "CBC.99003012",
        format!("The resource {id} does not exist."),
    )
}

fn fail(code: &str, msg: &str, id: &str) -> Value {
    json!({"error_code": code, "error_msg": msg, "resource_id": id})
}

fn instance_json(r: &Resource) -> Value {
    json!({
        "id": format!("INST-{}", r.resource_id),
        "resource_id": r.resource_id,
        "resource_name": r.resource_name,
        "region_code": r.region_code,
        "service_type_code": r.service_type_code,
        "resource_type_code": r.resource_type_code,
        "resource_type_name": catalog::resource_name(&r.resource_type_code),
        "service_type_name": catalog::service_name(&r.service_type_code),
        "resource_spec_code": r.resource_spec_code,
        "project_id": "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
        "product_id": r.product_id,
        "parent_resource_id": if r.is_main { None } else { Some(format!("{}-parent", r.resource_id)) },
        "is_main_resource": i64::from(r.is_main),
        "status": r.status,
        "effective_time": utc(r.effective_time),
        "expire_time": utc(r.expire_time),
        "expire_policy": r.expire_policy,
        "product_spec_desc": r.spec_desc,
        "spec_size": money(Decimal::from(r.size)),
        "spec_size_measure_id": if r.size > 1 { 17 } else { 0 },
        "update_time": utc(r.effective_time),
        "enterprise_project": {"id": "0", "name": "default"},
    })
}

pub fn list(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let customers = match ctx.customer_filter()? {
        Some(id) => vec![id],
        None => ctx.visible_customer_ids(),
    };
    let ids = p.str_list("resource_ids")?;
    let order = p.str("order_id")?;
    let only_main = p.int("only_main_resource")? == Some(1);
    let statuses: Option<Vec<i64>> = match p.get("status_list") {
        None => None,
        Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_i64).collect()),
        Some(_) => return Err(ApiError::param("status_list", "must be a list of integers")),
    };
    let service = p.str("service_type_code")?;
    let begin = time_filter(ctx, "expire_time_begin")?;
    let end = time_filter(ctx, "expire_time_end")?;
    let items: Vec<Value> = ctx
        .st
        .resources
        .iter()
        .filter(|r| !r.deleted && r.charging == "period" && customers.contains(&r.customer_id))
        .filter(|r| {
            ids.as_ref().is_none_or(|ids| ids.contains(&r.resource_id))
                && order.as_ref().is_none_or(|o| &r.order_id == o)
        })
        .filter(|r| !only_main || r.is_main)
        .filter(|r| {
            statuses.as_ref().is_none_or(|s| s.contains(&r.status))
                && service.as_ref().is_none_or(|s| &r.service_type_code == s)
        })
        .filter(|r| {
            begin.is_none_or(|b| r.expire_time >= b) && end.is_none_or(|e| r.expire_time <= e)
        })
        .map(instance_json)
        .collect();
    Ok(json!({"data": items}))
}

fn own_period_resource<'a>(ctx: &'a mut Ctx<'_>, id: &str) -> ApiResult<&'a mut Resource> {
    let me = ctx.me()?;
    ctx.st
        .resources
        .iter_mut()
        .find(|r| {
            r.resource_id == id && r.customer_id == me && !r.deleted && r.charging == "period"
        })
        .ok_or_else(|| no_resource(id))
}

pub fn renew(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let p = ctx.p;
    let ids = p.req_str_list("resource_ids")?;
    let period_type = p
        .int("period_type")?
        .ok_or_else(|| ApiError::param("period_type", "is required"))?;
    let period_num = p
        .int("period_num")?
        .ok_or_else(|| ApiError::param("period_num", "is required"))?;
    let valid = match period_type {
        2 => (1..=11).contains(&period_num),
        3 => (1..=3).contains(&period_num),
        _ => {
            return Err(ApiError::param(
                "period_type",
                "must be 2 (month) or 3 (year)",
            ))
        }
    };
    if !valid {
        return Err(ApiError::new(
            400,
            "CBC.30010069",
            "The renewal period does not exist.",
        ));
    }
    let auto_pay = p.int("is_auto_pay")? == Some(1);
    let months = period_num * if period_type == 3 { 12 } else { 1 };
    let (mut lines, mut fails) = (Vec::new(), Vec::new());
    let order_id = ctx.st.next_id("CS-RENEW-");
    for id in &ids {
        match ctx.st.resources.iter().find(|r| {
            &r.resource_id == id && r.customer_id == me && !r.deleted && r.charging == "period"
        }) {
            None => fails.push(fail("CBC.99003012", "The resource does not exist.", id)),
            Some(r) if !r.is_main => fails.push(fail(
                "CBC.30010036",
                "The resource is not a primary resource.",
                id,
            )),
            Some(r) => {
                let amount = if period_type == 3 {
                    r.monthly_price * Decimal::from(10 * period_num)
                } else {
                    r.monthly_price * Decimal::from(months)
                };
                lines.push(OrderLine {
                    line_id: format!("{order_id}-{}", lines.len() + 1),
                    product_id: r.product_id.clone(),
                    spec_desc: r.spec_desc.clone(),
                    resource_id: r.resource_id.clone(),
                    period_type,
                    period_num,
                    subscription_num: 1,
                    official_amount: amount,
                    amount,
                });
            }
        }
    }
    let mut order_ids = Vec::new();
    if !lines.is_empty() {
        let total: Decimal = lines.iter().map(|l| l.amount).sum();
        let service = ctx
            .st
            .resources
            .iter()
            .find(|r| r.resource_id == lines[0].resource_id)
            .map(|r| r.service_type_code.clone())
            .unwrap_or_default();
        ctx.st.orders.push(Order {
            order_id: order_id.clone(),
            customer_id: me,
            service_type_code: service,
            status: 6,
            order_type: 2,
            official_amount: total,
            amount_after_discount: total,
            coupon_amount: Decimal::ZERO,
            create_time: ctx.now,
            payment_time: None,
            lines,
            base_order_id: None,
        });
        ctx.changed = true;
        if auto_pay {
            let idx = ctx.st.orders.len() - 1;
            // A failed automatic payment leaves the order pending payment, as the service does.
            let _ = orders::settle(ctx, idx, &[]);
        }
        order_ids.push(order_id);
    }
    Ok(json!({"order_ids": order_ids, "fail_resource_infos": fails}))
}

pub fn auto_renew(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("resource_id")?;
    if let Some(n) = ctx.p.int("auto_renew_times")? {
        if n < 1 {
            return Err(ApiError::param("auto_renew_times", "must be at least 1"));
        }
    }
    let now = ctx.now;
    let r = own_period_resource(ctx, &id)?;
    if !r.is_main {
        return Err(ApiError::new(
            400,
            "CBC.30010036",
            "The resource is not a primary resource.",
        ));
    }
    if r.expire_time < now || r.status == 4 {
        return Err(ApiError::new(
            400,
            "CBC.99003602",
            "The resource has expired or is frozen; automatic renewal is not allowed.",
        ));
    }
    r.expire_policy = 3;
    ctx.changed = true;
    Ok(json!({}))
}

pub fn cancel_auto_renew(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("resource_id")?;
    let r = own_period_resource(ctx, &id)?;
    if r.expire_policy != 3 {
        return Err(ApiError::new(
            400,
            "CBC.99003605",
            "Automatic renewal is already cancelled.",
        ));
    }
    r.expire_policy = 0;
    ctx.changed = true;
    Ok(json!({}))
}

pub fn unsubscribe(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let ids = ctx.p.req_str_list("resource_ids")?;
    match ctx.p.int("unsubscribe_type")? {
        Some(1) | Some(3) => {}
        Some(2) => {
            return Err(ApiError::param(
                "unsubscribe_type",
                "2 (renewal periods only) is not modelled by the emulator; use 1",
            ))
        }
        _ => return Err(ApiError::param("unsubscribe_type", "must be 1, 2 or 3")),
    }
    let (mut order_ids, mut fails) = (Vec::new(), Vec::new());
    for id in &ids {
        let Some(idx) = ctx.st.resources.iter().position(|r| {
            &r.resource_id == id && r.customer_id == me && !r.deleted && r.charging == "period"
        }) else {
            fails.push(fail("CBC.99003012", "The resource does not exist.", id));
            continue;
        };
        let r = ctx.st.resources[idx].clone();
        if r.status == 1 {
            fails.push(fail(
                "CBC.99003651",
                "A transaction on this resource is in progress.",
                id,
            ));
            continue;
        }
        ctx.st.resources[idx].deleted = true;
        let order_id = refund_unused(ctx, idx, &me);
        ctx.changed = true;
        order_ids.push(order_id);
    }
    Ok(json!({"order_ids": order_ids, "fail_resource_infos": fails}))
}

/// Gives the unused days of period resource `idx` back to the customer's balance, as a completed
/// unsubscription order (order type 4) naming the resource's order; returns the order id.
fn refund_unused(ctx: &mut Ctx<'_>, idx: usize, me: &str) -> String {
    let now = ctx.now;
    let r = ctx.st.resources[idx].clone();
    let remaining_days = ((r.expire_time - now).max(0)) / DAY;
    let refund = (r.monthly_price * Decimal::from(remaining_days) / Decimal::from(30)).round_dp(2);
    let order_id = ctx.st.next_id("CS-UNSUB-");
    if let Some(c) = ctx.st.customers.iter_mut().find(|c| c.id == me) {
        c.balance += refund;
    }
    ctx.st.orders.push(Order {
        order_id: order_id.clone(),
        customer_id: me.to_owned(),
        service_type_code: r.service_type_code.clone(),
        status: 5,
        order_type: 4,
        official_amount: refund,
        amount_after_discount: refund,
        coupon_amount: Decimal::ZERO,
        create_time: now,
        payment_time: Some(now),
        lines: vec![OrderLine {
            line_id: format!("{order_id}-1"),
            product_id: r.product_id.clone(),
            spec_desc: r.spec_desc.clone(),
            resource_id: r.resource_id.clone(),
            period_type: 2,
            period_num: 0,
            subscription_num: 1,
            official_amount: refund,
            amount: refund,
        }],
        base_order_id: Some(r.order_id.clone()),
    });
    order_id
}

/// The index of the caller's active, paid yearly/monthly main resource `id`.
fn active_period(ctx: &Ctx<'_>, me: &str, id: &str) -> Option<usize> {
    ctx.st.resources.iter().position(|r| {
        r.resource_id == id
            && r.customer_id == me
            && !r.deleted
            && r.charging == "period"
            && r.is_main
            && r.status == 2
    })
}

fn frozen(ctx: &Ctx<'_>, me: &str) -> ApiResult<()> {
    if ctx
        .st
        .customers
        .iter()
        .any(|c| c.id == me && c.is_frozen == 1)
    {
        return Err(ApiError::new(
            400,
            "CBC.99003626",
            "The account is frozen: its resources cannot change to pay-per-use.",
        ));
    }
    Ok(())
}

/// update_period_to_on_demand: `SET_UP` makes a yearly/monthly resource (with its attached ones)
/// continue pay-per-use when it expires (expire policy 1), `CANCEL` undoes that.
pub fn to_on_demand(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    use hcpartner::generated::models::{
        ErrorDetail, UpdatePeriodToOnDemandRequest, UpdatePeriodToOnDemandResponse,
    };
    let me = ctx.me()?;
    frozen(ctx, &me)?;
    let req: UpdatePeriodToOnDemandRequest = ctx.p.req()?;
    let policy = match req.operation.as_str() {
        "SET_UP" => 1,
        "CANCEL" => 0,
        _ => return Err(ApiError::param("operation", "must be SET_UP or CANCEL")),
    };
    let mut errors = Vec::new();
    for id in &req.resource_ids {
        let Some(idx) = active_period(ctx, &me, id) else {
            errors.push(ErrorDetail {
                error_code: Some("CBC.99003012".to_owned()),
                error_msg: Some(
                    "The resource does not exist or is not an active main resource.".to_owned(),
                ),
                id: Some(id.clone()),
                ..Default::default()
            });
            continue;
        };
        let order = ctx.st.resources[idx].order_id.clone();
        for r in ctx
            .st
            .resources
            .iter_mut()
            .filter(|r| r.order_id == order && r.customer_id == me && !r.deleted)
        {
            r.expire_policy = policy;
        }
        ctx.changed = true;
    }
    super::json(&UpdatePeriodToOnDemandResponse {
        error_details: Some(errors),
        ..Default::default()
    })
}

/// update_period_to_on_demand_instantly: the resource becomes pay-per-use now; its unused days
/// are refunded to the balance through an unsubscription order, whose id is returned.
pub fn to_on_demand_instantly(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    use hcpartner::generated::models::{
        ToOndemandServiceResult, UpdatePeriodToOnDemandInstantlyRequest,
        UpdatePeriodToOnDemandInstantlyResponse,
    };
    let me = ctx.me()?;
    frozen(ctx, &me)?;
    let req: UpdatePeriodToOnDemandInstantlyRequest = ctx.p.req()?;
    let mut results = Vec::new();
    for id in &req.resource_ids {
        let Some(idx) = active_period(ctx, &me, id) else {
            results.push(ToOndemandServiceResult {
                resource_id: Some(id.clone()),
                result: Some("FAIL".to_owned()),
                error_code: Some("CBC.99003012".to_owned()),
                error_msg: Some(
                    "The resource does not exist or is not an active main resource.".to_owned(),
                ),
                ..Default::default()
            });
            continue;
        };
        let order_id = refund_unused(ctx, idx, &me);
        let now = ctx.now;
        let r = &mut ctx.st.resources[idx];
        r.charging = "on_demand".to_owned();
        r.expire_policy = 0;
        r.effective_time = now;
        r.expire_time = now + 3650 * DAY;
        ctx.changed = true;
        results.push(ToOndemandServiceResult {
            resource_id: Some(id.clone()),
            result: Some("SUCCESS".to_owned()),
            order_id: Some(order_id),
            ..Default::default()
        });
    }
    super::json(&UpdatePeriodToOnDemandInstantlyResponse {
        to_ondemand_service_results: Some(results),
        ..Default::default()
    })
}

pub fn renew_config(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let name = ctx.p.req_str("config_name")?;
    let value = ctx.p.req_str("config_value")?;
    ctx.st
        .renew_config
        .entry(me)
        .or_default()
        .insert(name, value);
    ctx.changed = true;
    Ok(json!({}))
}

pub fn on_demand(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let id = p.req_str("customer_id")?;
    ctx.resale_customer(&id)?;
    let region = p.str("region_code")?;
    let service = p.str("service_type_code")?;
    let ids = p.str_list("resource_ids")?;
    let status = p.int("status")?;
    let items: Vec<Value> = ctx
        .st
        .resources
        .iter()
        .filter(|r| !r.deleted && r.charging == "on_demand" && r.customer_id == id)
        .filter(|r| {
            region.as_ref().is_none_or(|x| &r.region_code == x)
                && service.as_ref().is_none_or(|s| &r.service_type_code == s)
        })
        .filter(|r| {
            ids.as_ref().is_none_or(|ids| ids.contains(&r.resource_id))
                && status.is_none_or(|s| r.status == s)
        })
        .map(|r| {
            json!({
                "customer_id": r.customer_id,
                "region_code": r.region_code,
                "availability_zone_code": format!("{}a", r.region_code),
                "service_type_code": r.service_type_code,
                "resource_type_code": r.resource_type_code,
                "service_type_name": catalog::service_name(&r.service_type_code),
                "resource_type_name": catalog::resource_name(&r.resource_type_code),
                "resource_id": r.resource_id,
                "resource_name": r.resource_name,
                "effective_time": utc(r.effective_time),
                "expire_time": utc(r.expire_time),
                "status": r.status,
                "resource_spec_code": r.resource_spec_code,
                "resource_info": format!("{{\"size\":{}}}", r.size),
                "product_spec_desc": r.spec_desc,
            })
        })
        .collect();
    Ok(json!({"resources": items}))
}
