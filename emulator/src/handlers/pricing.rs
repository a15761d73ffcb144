//! Products and prices from the fixed catalog (`state::catalog`), plus administrative regions.
//!
//! Pricing rules: pay-per-use = hourly price × hours × size × quantity; yearly/monthly = monthly
//! price × months × size × quantity, one year costs ten months. No discounts apply.

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::catalog::{self, Spec};
use crate::util::money;

pub fn service_types(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let name = ctx.p.str("service_type_name")?.map(|s| s.to_lowercase());
    let items: Vec<Value> = catalog::SERVICE_TYPES
        .iter()
        .filter(|(_, n, _)| name.as_ref().is_none_or(|f| n.to_lowercase().contains(f)))
        .map(|(code, n, abbr)| json!({"service_type_name": n, "service_type_code": code, "abbreviation": abbr}))
        .collect();
    Ok(json!({"service_types": items}))
}

pub fn resource_types(_ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let items: Vec<Value> = catalog::RESOURCE_TYPES
        .iter()
        .map(|(code, n, desc, svc)| json!({"resource_type_code": code, "resource_type_name": n, "resource_type_desc": desc, "service_type_code": svc}))
        .collect();
    Ok(json!({"resource_types": items}))
}

pub fn service_resources(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let svc = ctx.p.req_str("service_type_code")?;
    let items: Vec<Value> = catalog::RESOURCE_TYPES
        .iter()
        .filter(|r| r.3 == svc)
        .map(|(code, n, desc, _)| json!({"basic_info": {"resource_type_code": code, "product_owner_service": svc, "name": n, "description": desc}}))
        .collect();
    Ok(json!({"infos": items}))
}

pub fn usage_types(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let rt = ctx.p.str("resource_type_code")?;
    let items: Vec<Value> = catalog::USAGE_TYPES
        .iter()
        .filter(|u| rt.as_ref().is_none_or(|r| u.2 == r))
        .map(|(code, n, res)| {
            let svc = catalog::RESOURCE_TYPES.iter().find(|r| r.0 == *res).map_or("", |r| r.3);
            json!({"code": code, "name": n, "resource_type_code": res, "service_type_code": svc,
                   "resource_type_name": catalog::resource_name(res), "service_type_name": catalog::service_name(svc)})
        })
        .collect();
    Ok(json!({"usage_types": items}))
}

pub fn measure_units(_ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let items: Vec<Value> = catalog::MEASURE_UNITS
        .iter()
        .map(|(id, n, abbr, t)| json!({"measure_id": id, "measure_name": n, "abbreviation": abbr, "measure_type": t}))
        .collect();
    Ok(json!({"measure_units": items}))
}

pub fn conversions(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let t = ctx.p.int("measure_type")?;
    let items: Vec<Value> = catalog::CONVERSIONS
        .iter()
        .filter(|c| t.is_none_or(|t| c.3 == t))
        .map(|(m, r, ratio, t)| json!({"measure_id": m, "ref_measure_id": r, "conversion_ratio": ratio, "measure_type": t}))
        .collect();
    Ok(json!({"conversions": items}))
}

fn field<'a>(o: &'a Map<String, Value>, path: &str, name: &str) -> ApiResult<&'a Value> {
    o.get(name)
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::param(&format!("{path}.{name}"), "is required"))
}

fn text(o: &Map<String, Value>, path: &str, name: &str) -> ApiResult<String> {
    match field(o, path, name)? {
        Value::String(s) => Ok(s.clone()),
        _ => Err(ApiError::param(
            &format!("{path}.{name}"),
            "must be a string",
        )),
    }
}

fn int(o: &Map<String, Value>, path: &str, name: &str, default: Option<i64>) -> ApiResult<i64> {
    match (o.get(name).filter(|v| !v.is_null()), default) {
        (None, Some(d)) => Ok(d),
        (None, None) => Err(ApiError::param(&format!("{path}.{name}"), "is required")),
        (Some(v), _) => v
            .as_i64()
            .ok_or_else(|| ApiError::param(&format!("{path}.{name}"), "must be an integer")),
    }
}

/// The product an inquiry names, with its size and quantity.
fn product(o: &Map<String, Value>, path: &str) -> ApiResult<(&'static Spec, Decimal)> {
    let svc = text(o, path, "cloud_service_type")?;
    let rt = text(o, path, "resource_type")?;
    let spec_code = text(o, path, "resource_spec")?;
    let region = text(o, path, "region")?;
    let spec = catalog::find_spec(&svc, &rt, &spec_code, &region).ok_or_else(|| {
        ApiError::new(
            400,
            "CBC.99006006",
            format!("No product matches {svc} / {rt} / {spec_code} in {region}."),
        )
    })?;
    let size = if spec.sized {
        int(o, path, "resource_size", None)?
    } else {
        1
    };
    let qty = int(o, path, "subscription_num", None)?;
    if size < 1 || qty < 1 {
        return Err(ApiError::param(
            &format!("{path}.subscription_num"),
            "and resource_size must be at least 1",
        ));
    }
    Ok((spec, Decimal::from(size * qty)))
}

fn precision(ctx: &Ctx<'_>) -> ApiResult<u32> {
    match ctx.p.int("inquiry_precision")? {
        None | Some(0) => Ok(6),
        Some(1) => Ok(10),
        Some(_) => Err(ApiError::param("inquiry_precision", "must be 0 or 1")),
    }
}

pub fn on_demand_ratings(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    ctx.p.req_str("project_id")?;
    let dp = precision(ctx)?;
    let infos = ctx.p.objects("product_infos")?;
    if infos.is_empty() {
        return Err(ApiError::param(
            "product_infos",
            "must list at least one product",
        ));
    }
    let (mut total, mut results) = (Decimal::ZERO, Vec::new());
    for (i, o) in infos.iter().enumerate() {
        let path = format!("product_infos[{i}]");
        let (spec, units) = product(o, &path)?;
        let usage = match field(o, &path, "usage_value")? {
            Value::Number(n) => n.to_string().parse::<Decimal>().ok(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| ApiError::param(&format!("{path}.usage_value"), "must be a number"))?;
        let hours = catalog::hours_per(int(o, &path, "usage_measure_id", None)?)
            .ok_or_else(|| ApiError::new(400, "CBC.99006050", format!("{path}.usage_measure_id is not a duration unit (4 hour, 10 day, 11 month).")))?;
        let amount = (spec.hourly() * usage * hours * units)
            .round_dp(dp)
            .normalize();
        total += amount;
        results.push(json!({
            "id": text(o, &path, "id")?,
            "product_id": spec.product_id,
            "amount": money(amount),
            "discount_amount": money(Decimal::ZERO),
            "official_website_amount": money(amount),
            "measure_id": 1,
            "discount_rating_results": [],
        }));
    }
    Ok(json!({
        "amount": money(total),
        "discount_amount": money(Decimal::ZERO),
        "official_website_amount": money(total),
        "measure_id": 1,
        "currency": ctx.currency(),
        "product_rating_results": results,
    }))
}

fn period_months(o: &Map<String, Value>, path: &str) -> ApiResult<Decimal> {
    let n = int(o, path, "period_num", None)?;
    match int(o, path, "period_type", None)? {
        2 if (1..=11).contains(&n) => Ok(Decimal::from(n)),
        3 if (1..=3).contains(&n) => Ok(Decimal::from(10 * n)),
        2 | 3 => Err(ApiError::param(
            &format!("{path}.period_num"),
            "is out of range (1-11 months, 1-3 years)",
        )),
        _ => Err(ApiError::param(
            &format!("{path}.period_type"),
            "must be 2 (month) or 3 (year)",
        )),
    }
}

pub fn period_rating(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    ctx.p.req_str("project_id")?;
    let infos = ctx.p.objects("product_infos")?;
    if infos.is_empty() {
        return Err(ApiError::param(
            "product_infos",
            "must list at least one product",
        ));
    }
    let (mut total, mut results) = (Decimal::ZERO, Vec::new());
    for (i, o) in infos.iter().enumerate() {
        let path = format!("product_infos[{i}]");
        let (spec, units) = product(o, &path)?;
        let amount = (spec.monthly() * period_months(o, &path)? * units).round_dp(2);
        total += amount;
        results.push(json!({"id": text(o, &path, "id")?, "product_id": spec.product_id, "official_website_amount": money(amount), "measure_id": 1}));
    }
    Ok(json!({
        "official_website_rating_result": {"official_website_amount": money(total), "measure_id": 1, "product_rating_results": results},
        "optional_discount_rating_results": [],
        "currency": ctx.currency(),
    }))
}

pub fn renew_rating(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let ids = ctx.p.req_str_list("resource_ids")?;
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = ids.iter().find(|id| !seen.insert(id.as_str())) {
        return Err(ApiError::new(
            400,
            "CBC.30050012",
            format!("The resource {dup} is listed twice."),
        ));
    }
    let mut spec = Map::new();
    spec.insert("period_type".into(), json!(ctx.p.int("period_type")?));
    spec.insert("period_num".into(), json!(ctx.p.int("period_num")?));
    let months = period_months(&spec, "body").map_err(|mut e| {
        e.msg = e.msg.replace("body.", "");
        e
    })?;
    let (mut total, mut results, mut fails) = (Decimal::ZERO, Vec::new(), Vec::new());
    for id in &ids {
        match ctx.st.resources.iter().find(|r| &r.resource_id == id && r.customer_id == me && !r.deleted && r.charging == "period") {
            None => fails.push(json!({"error_code": "CBC.99003012", "error_msg": "The resource does not exist.", "resource_id": id})),
            Some(r) if !r.is_main => fails.push(json!({"error_code": "CBC.30050007", "error_msg": "Not a primary resource.", "resource_id": id})),
            Some(r) => {
                let amount = (r.monthly_price * months).round_dp(2);
                total += amount;
                results.push(json!({"resource_id": id, "amount": amount.to_string()}));
            }
        }
    }
    Ok(json!({
        "currency": ctx.currency(),
        "renew_inquiry_results": results,
        "official_website_rating_result": {"official_website_amount": total.to_string()},
        "optional_discount_rating_results": [],
        "fail_resource_infos": fails,
    }))
}

pub fn provinces(_ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let items: Vec<Value> = catalog::PROVINCES
        .iter()
        .map(|(c, n)| json!({"code": c, "name": n}))
        .collect();
    Ok(json!({"provinces": items}))
}

pub fn cities(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p.req_str("province_code")?;
    let items: Vec<Value> = catalog::CITIES
        .iter()
        .filter(|c| c.0 == p)
        .map(|(_, c, n)| json!({"code": c, "name": n}))
        .collect();
    Ok(json!({"cities": items}))
}

pub fn counties(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let city = ctx.p.req_str("city_code")?;
    let items: Vec<Value> = catalog::COUNTIES
        .iter()
        .filter(|c| c.0 == city)
        .map(|(_, c, n)| json!({"code": c, "name": n}))
        .collect();
    Ok(json!({"counties": items}))
}
