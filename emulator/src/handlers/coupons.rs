//! Coupons issued from the partner's coupon quotas to resale customers, reclaimed back into the
//! quota, with an operation record for every issue and reclaim.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::customers::time_filter;
use super::{consulting_refused, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{catalog, Coupon, CouponRecord, Quota, CONSULTING};
use crate::util::{money2, utc};

fn coupon_status(c: &Coupon, now: i64) -> i64 {
    if c.status == 2 && c.expire_time < now {
        4
    } else {
        c.status
    }
}

fn time_arg(ctx: &Ctx<'_>, name: &str, default: i64) -> ApiResult<i64> {
    Ok(time_filter(ctx, name)?.unwrap_or(default))
}

pub fn create(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let quota_id = p.req_str("quota_id")?;
    let ids = p.req_str_list("customer_ids")?;
    let face = p.req_decimal("face_value")?;
    let now = ctx.now;
    let quota = ctx
        .st
        .quotas
        .iter()
        .find(|q| q.quota_id == quota_id)
        .ok_or_else(|| {
            ApiError::new(
                400,
                "CBC.99000012",
                format!("The coupon quota {quota_id} does not exist."),
            )
        })?
        .clone();
    if quota.quota_status != 0 {
        return Err(ApiError::new(
            400,
            "CBC.99000012",
            format!("The coupon quota {quota_id} is frozen."),
        ));
    }
    if now < quota.effective_time || now > quota.expire_time {
        return Err(ApiError::new(
            400,
            "CBC.99000017",
            format!("The coupon quota {quota_id} is not effective or has expired."),
        ));
    }
    if face < quota.min_face_value {
        return Err(ApiError::new(
            400,
            "CBC.99000018",
            format!(
                "The face value is below the minimum of {}.",
                quota.min_face_value
            ),
        ));
    }
    if face > quota.max_face_value {
        return Err(ApiError::new(
            400,
            "CBC.99000019",
            format!(
                "The face value is above the maximum of {}.",
                quota.max_face_value
            ),
        ));
    }
    let effective = time_arg(ctx, "valid_time", now)?;
    let expire = time_arg(ctx, "expire_time", quota.expire_time)?;
    if expire <= effective {
        return Err(ApiError::param("expire_time", "must be after valid_time"));
    }
    let services = p.str_list("cloud_service_types")?.unwrap_or_default();
    if let Some(bad) = services
        .iter()
        .find(|s| !catalog::SERVICE_TYPES.iter().any(|t| t.0 == s.as_str()))
    {
        return Err(ApiError::new(
            400,
            "CBC.50000055",
            format!("The cloud service type {bad} does not exist."),
        ));
    }
    if let Some(bad) = p
        .str_list("product_ids")?
        .unwrap_or_default()
        .iter()
        .find(|id| !catalog::SPECS.iter().any(|s| s.product_id == id.as_str()))
    {
        return Err(ApiError::new(
            400,
            "CBC.50000054",
            format!("The product {bad} does not exist."),
        ));
    }
    let memo = p.str("memo")?;
    let (mut errors, mut infos) = (Vec::new(), Vec::new());
    for id in ids {
        let failure = match ctx.st.own_customer(&id) {
            Err(e) => Some((e.code, e.msg)),
            Ok(c) if c.association_type == CONSULTING => {
                let e = consulting_refused(&id);
                Some(("CBC.99000014".to_owned(), e.msg))
            }
            Ok(_) => {
                let q = ctx
                    .st
                    .quotas
                    .iter()
                    .find(|q| q.quota_id == quota_id)
                    .map_or(Decimal::ZERO, |q| q.balance);
                (q < face).then(|| {
                    (
                        "CBC.99000013".to_owned(),
                        format!("The coupon quota balance {q} is insufficient."),
                    )
                })
            }
        };
        if let Some((code, msg)) = failure {
            errors.push(json!({"error_code": code, "error_msg": msg, "id": id}));
            continue;
        }
        let coupon_id = ctx.st.next_id("CP-");
        let record_id = ctx.st.next_id("REC-");
        if let Some(q) = ctx.st.quotas.iter_mut().find(|q| q.quota_id == quota_id) {
            q.balance -= face;
            q.last_update_time = now;
        }
        ctx.st.coupons.push(Coupon {
            coupon_id: coupon_id.clone(),
            customer_id: id.clone(),
            quota_id: quota_id.clone(),
            coupon_type: if quota.quota_type == 1 { 4 } else { 1 },
            face_value: face,
            balance: face,
            status: 2,
            create_time: now,
            effective_time: effective,
            expire_time: expire,
            cloud_service_types: services.clone(),
            memo: memo.clone(),
            last_used_time: None,
            used_by_order_id: None,
        });
        ctx.st.coupon_records.push(CouponRecord {
            id: record_id,
            operation_type: "1".to_owned(),
            quota_id: quota_id.clone(),
            quota_type: quota.quota_type,
            coupon_id: coupon_id.clone(),
            customer_id: id.clone(),
            operation_amount: face,
            operation_time: now,
            result: "SUCCESS".to_owned(),
            remark: memo.clone().unwrap_or_default(),
        });
        ctx.changed = true;
        infos.push(json!({"id": id, "coupon_id": coupon_id}));
    }
    Ok(json!({"error_details": errors, "coupon_infos": infos}))
}

pub fn reclaim(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let coupon_id = ctx.p.req_str("coupon_id")?;
    let now = ctx.now;
    let own = ctx.st.partner.domain_id.clone();
    let owners: Vec<String> = ctx
        .st
        .customers
        .iter()
        .filter(|c| c.owner == own)
        .map(|c| c.id.clone())
        .collect();
    let coupon = ctx
        .st
        .coupons
        .iter_mut()
        .find(|c| c.coupon_id == coupon_id && owners.contains(&c.customer_id))
        .ok_or_else(|| {
            ApiError::param(
                "coupon_id",
                format!("{coupon_id} is not a coupon this partner issued"),
            )
        })?;
    match coupon_status(coupon, now) {
        2 => {}
        5 => {
            return Err(ApiError::param(
                "coupon_id",
                format!("{coupon_id} has already been reclaimed"),
            ))
        }
        _ => {
            return Err(ApiError::param(
                "coupon_id",
                format!("{coupon_id} is used or expired and cannot be reclaimed"),
            ))
        }
    }
    let amount = coupon.balance;
    coupon.status = 5;
    coupon.balance = Decimal::ZERO;
    let (quota_id, customer_id) = (coupon.quota_id.clone(), coupon.customer_id.clone());
    let mut quota_type = 0;
    if let Some(q) = ctx.st.quotas.iter_mut().find(|q| q.quota_id == quota_id) {
        q.balance += amount;
        q.last_update_time = now;
        quota_type = q.quota_type;
    }
    let id = ctx.st.next_id("REC-");
    ctx.st.coupon_records.push(CouponRecord {
        id,
        operation_type: "2".to_owned(),
        quota_id,
        quota_type,
        coupon_id,
        customer_id,
        operation_amount: amount,
        operation_time: now,
        result: "SUCCESS".to_owned(),
        remark: String::new(),
    });
    ctx.changed = true;
    Ok(json!({}))
}

fn use_limits(c: &Coupon) -> Vec<Value> {
    c.cloud_service_types
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"use_limiti_info_id": format!("{}-L{i}", c.coupon_id), "limit_key": "cloudServiceType", "value1": s, "limit_type": "1"}))
        .collect()
}

fn coupon_json(c: &Coupon, now: i64) -> Value {
    json!({
        "coupon_id": c.coupon_id,
        "status": coupon_status(c, now),
        "customer_id": c.customer_id,
        "coupon_type": c.coupon_type,
        "measure_id": 1,
        "face_value": money2(c.face_value),
        "effective_time": utc(c.effective_time),
        "valid_time": utc(c.effective_time),
        "expire_time": utc(c.expire_time),
        "order_id": c.used_by_order_id,
        "promotion_plan_id": c.quota_id,
        "promotion_plan_name": c.memo,
        "plan_name": c.memo,
        "media_type": 1,
        "fetch_method": 1,
        "use_limits": use_limits(c),
        "active_time": utc(c.effective_time),
        "last_used_time": c.last_used_time.map(utc),
        "create_time": utc(c.create_time),
        "balance": money2(c.balance),
        "is_frozen": "0",
        "currency": "CNY",
        "source_id": c.quota_id,
    })
}

/// The coupons of `customers` that pass the filters, in the view of response model `model`.
fn filtered_coupons(ctx: &Ctx<'_>, customers: &[String], model: &str) -> ApiResult<Vec<Value>> {
    let p = ctx.p;
    let coupon_id = p.str("coupon_id")?;
    let status = p.int("status")?;
    let kind = p.int("coupon_type")?;
    let order = p.str("order_id")?;
    let begin = time_filter(ctx, "create_time_begin")?;
    let end = time_filter(ctx, "create_time_end")?;
    let mut list: Vec<&Coupon> = ctx
        .st
        .coupons
        .iter()
        .filter(|c| customers.contains(&c.customer_id))
        .filter(|c| coupon_id.as_ref().is_none_or(|id| &c.coupon_id == id))
        .filter(|c| status.is_none_or(|s| coupon_status(c, ctx.now) == s))
        .filter(|c| kind.is_none_or(|k| c.coupon_type == k))
        .filter(|c| {
            order
                .as_ref()
                .is_none_or(|o| c.used_by_order_id.as_ref() == Some(o))
        })
        .filter(|c| {
            begin.is_none_or(|b| c.create_time >= b) && end.is_none_or(|e| c.create_time <= e)
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.create_time));
    Ok(list
        .into_iter()
        .map(|c| super::fit(model, coupon_json(c, ctx.now)))
        .collect())
}

pub fn list_issued(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let customers = match ctx.customer_filter()? {
        Some(id) => vec![id],
        None => ctx.visible_customer_ids(),
    };
    let items = filtered_coupons(ctx, &customers, "IQueryUserPartnerCouponsResultV2")?;
    Ok(json!({"user_coupons": items}))
}

pub fn customer_coupons(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let customers = ctx.visible_customer_ids();
    let items = filtered_coupons(ctx, &customers, "IQueryUserCouponsResultV2")?;
    Ok(json!({"user_coupons": items}))
}

pub fn records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let kinds = p.str_list("operation_types")?;
    let quota_id = p.str("quota_id")?;
    let quota_type = p.int("quota_type")?;
    let coupon_ids = p.str_list("coupon_ids")?;
    let customer = p.str("customer_id")?;
    let result = p.str("result")?;
    let begin = time_filter(ctx, "operation_time_begin")?;
    let end = time_filter(ctx, "operation_time_end")?;
    let items: Vec<Value> = ctx
        .st
        .coupon_records
        .iter()
        .rev()
        .filter(|r| kinds.as_ref().is_none_or(|k| k.contains(&r.operation_type)))
        .filter(|r| {
            quota_id.as_ref().is_none_or(|q| &r.quota_id == q)
                && quota_type.is_none_or(|t| r.quota_type == t)
        })
        .filter(|r| {
            coupon_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&r.coupon_id))
        })
        .filter(|r| {
            customer.as_ref().is_none_or(|c| &r.customer_id == c)
                && result.as_ref().is_none_or(|x| &r.result == x)
        })
        .filter(|r| {
            begin.is_none_or(|b| r.operation_time >= b) && end.is_none_or(|e| r.operation_time <= e)
        })
        .map(|r| {
            json!({
                "id": r.id,
                "operation_type": r.operation_type,
                "quota_id": r.quota_id,
                "quota_type": r.quota_type,
                "coupon_id": r.coupon_id,
                "customer_id": r.customer_id,
                "operation_amount": money2(r.operation_amount),
                "operation_time": utc(r.operation_time),
                "result": r.result,
                "remark": r.remark,
            })
        })
        .collect();
    Ok(json!({"records": items}))
}

fn quota_json(q: &Quota) -> Value {
    json!({
        "quota_id": q.quota_id,
        "quota_type": q.quota_type,
        "create_time": utc(q.create_time),
        "last_update_time": utc(q.last_update_time),
        "quota_value": money2(q.quota_value),
        "quota_status": q.quota_status,
        "balance": money2(q.balance),
        "measure_id": 1,
        "currency": "CNY",
        "effective_time": utc(q.effective_time),
        "expire_time": utc(q.expire_time),
        "limit_infos": [],
    })
}

pub fn quotas(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let ids = p.str_list("quota_ids")?;
    let statuses: Option<Vec<i64>> = match p.get("quota_status_list") {
        None => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|v| {
                    v.as_i64().ok_or_else(|| {
                        ApiError::param("quota_status_list", "must be a list of integers")
                    })
                })
                .collect::<ApiResult<_>>()?,
        ),
        Some(_) => {
            return Err(ApiError::param(
                "quota_status_list",
                "must be a list of integers",
            ))
        }
    };
    let kind = p.int("quota_type")?;
    let items: Vec<Value> = ctx
        .st
        .quotas
        .iter()
        .filter(|q| ids.as_ref().is_none_or(|ids| ids.contains(&q.quota_id)))
        .filter(|q| {
            statuses
                .as_ref()
                .is_none_or(|s| s.contains(&q.quota_status))
                && kind.is_none_or(|k| q.quota_type == k)
        })
        .map(quota_json)
        .collect();
    Ok(json!({"quotas": items}))
}

/// list_order_coupons_by_order_id: the caller's coupons usable on a pending order.
pub fn order_coupons(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let order_id = ctx.p.req_str("order_id")?;
    let order = ctx
        .st
        .orders
        .iter()
        .find(|o| o.order_id == order_id && o.customer_id == me)
        .ok_or_else(|| {
            ApiError::new(
                400,
                "CBC.30000010",
                format!("The order {order_id} is invalid."),
            )
        })?;
    let now = ctx.now;
    let items: Vec<Value> = ctx
        .st
        .coupons
        .iter()
        .filter(|c| {
            c.customer_id == me
                && coupon_status(c, now) == 2
                && c.balance > Decimal::ZERO
                && c.effective_time <= now
        })
        .filter(|c| {
            c.cloud_service_types.is_empty()
                || c.cloud_service_types.contains(&order.service_type_code)
        })
        .map(|c| {
            let mut v = coupon_json(c, now);
            v["coupon_group"] = json!(0);
            v["coupon_version"] = json!(2);
            v["used_by_order_id"] = json!(c.used_by_order_id);
            super::fit("CouponInfoV2", v)
        })
        .collect();
    Ok(json!({
        "count": items.len(),
        "user_coupons": items,
        "coupon_max_use_quantity": [{"coupon_type": 1, "coupon_group": 0, "use_quantity_value": 1}],
    }))
}
