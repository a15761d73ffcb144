//! A customer's own consumption: resource fee records (per record and per resource and month),
//! the bandwidth usage of its pay-per-use bandwidth, cost analysis (costs grouped by a
//! dimension, the monthly amortized breakdown), and its resource packages (free resources) with
//! their deductions. Everything is derived from the seeded bill items and packages, so the views
//! agree with each other and with the partner's bill APIs.

use std::collections::BTreeMap;

use hcpartner::generated::models::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::customers::time_filter;
use super::{json, wanted, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{catalog, BillItem, FreePackage};
use crate::util::{cn_day, is_cycle, utc};

fn cycle_arg(name: &str, c: &str) -> ApiResult<()> {
    if is_cycle(c) {
        Ok(())
    } else {
        Err(ApiError::param(name, "must be a month like 2024-01"))
    }
}

/// The caller's own bill items of `cycle`.
fn my_bills<'a>(ctx: &'a Ctx<'_>, me: &str, cycle: &str) -> Vec<&'a BillItem> {
    ctx.st
        .bills
        .iter()
        .filter(|b| b.customer_id == me && b.bill_cycle == cycle)
        .collect()
}

pub fn resource_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCustomerselfResourceRecordsRequest = ctx.p.req()?;
    cycle_arg("cycle", &req.cycle)?;
    let items = my_bills(ctx, &me, &req.cycle)
        .into_iter()
        .filter(|b| wanted(&req.cloud_service_type, &b.service_type_code))
        .filter(|b| wanted(&req.region, &b.region_code))
        .filter(|b| {
            req.charge_mode
                .as_ref()
                .is_none_or(|m| m == &b.charging_mode.to_string())
        })
        .filter(|b| req.bill_type.is_none_or(|t| t == b.bill_type))
        .filter(|b| wanted(&req.resource_id, &b.resource_id))
        .filter(|b| wanted(&req.trade_id, &b.id))
        .map(|b| ResFeeRecordV2 {
            bill_date: Some(cn_day(b.trade_time)),
            bill_type: Some(b.bill_type),
            customer_id: Some(b.customer_id.clone()),
            region: Some(b.region_code.clone()),
            region_name: Some(catalog::region_name(&b.region_code).to_owned()),
            cloud_service_type: Some(b.service_type_code.clone()),
            resource_type: Some(b.resource_type_code.clone()),
            cloud_service_type_name: Some(catalog::service_name(&b.service_type_code).to_owned()),
            resource_type_name: Some(catalog::resource_name(&b.resource_type_code).to_owned()),
            resource_id: Some(b.resource_id.clone()),
            resource_name: Some(b.resource_name.clone()),
            product_spec_desc: Some(b.product_spec_desc.clone()),
            trade_id: Some(b.id.clone()),
            id: Some(b.id.clone()),
            trade_time: Some(utc(b.trade_time)),
            charge_mode: Some(b.charging_mode.to_string()),
            usage: Some(b.usage),
            usage_measure_id: Some(b.usage_measure_id),
            official_amount: Some(b.official_amount),
            discount_amount: Some(b.discount_amount),
            amount: Some(b.payment_amount()),
            cash_amount: Some(b.cash_amount),
            coupon_amount: Some(b.coupon_amount),
            debt_amount: Some(b.debt_amount),
            measure_id: Some(1),
            ..Default::default()
        })
        .collect();
    json(&ListCustomerselfResourceRecordsResponse {
        fee_records: Some(items),
        currency: Some(ctx.currency()),
        ..Default::default()
    })
}

pub fn resource_record_details(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCustomerselfResourceRecordDetailsRequest = ctx.p.req()?;
    cycle_arg("cycle", &req.cycle)?;
    let items = my_bills(ctx, &me, &req.cycle)
        .into_iter()
        .filter(|b| wanted(&req.cloud_service_type, &b.service_type_code))
        .filter(|b| wanted(&req.resource_type, &b.resource_type_code))
        .filter(|b| wanted(&req.region, &b.region_code))
        .filter(|b| wanted(&req.res_instance_id, &b.resource_id))
        .filter(|b| req.charge_mode.is_none_or(|m| m == b.charging_mode))
        .filter(|b| req.bill_type.is_none_or(|t| t == b.bill_type))
        .map(|b| MonthlyBillRes {
            cycle: Some(b.bill_cycle.clone()),
            bill_date: Some(cn_day(b.trade_time)),
            bill_type: Some(b.bill_type),
            customer_id: Some(b.customer_id.clone()),
            region: Some(b.region_code.clone()),
            region_name: Some(catalog::region_name(&b.region_code).to_owned()),
            cloud_service_type: Some(b.service_type_code.clone()),
            resource_type_code: Some(b.resource_type_code.clone()),
            cloud_service_type_name: Some(catalog::service_name(&b.service_type_code).to_owned()),
            resource_type_name: Some(catalog::resource_name(&b.resource_type_code).to_owned()),
            res_instance_id: Some(b.resource_id.clone()),
            resource_name: Some(b.resource_name.clone()),
            charge_mode: Some(b.charging_mode),
            consume_amount: Some(b.payment_amount()),
            cash_amount: Some(b.cash_amount),
            coupon_amount: Some(b.coupon_amount),
            debt_amount: Some(b.debt_amount),
            official_amount: Some(b.official_amount),
            discount_amount: Some(b.discount_amount),
            measure_id: Some(1),
            trade_id: Some(b.id.clone()),
            id: Some(b.id.clone()),
            product_spec_desc: Some(b.product_spec_desc.clone()),
            ..Default::default()
        })
        .collect();
    json(&ListCustomerselfResourceRecordDetailsResponse {
        monthly_records: Some(items),
        currency: Some(ctx.currency()),
        ..Default::default()
    })
}

/// The caller's bandwidth items of a cycle, by resource: (resource, usage hours, Mbit/s).
fn bandwidth(ctx: &Ctx<'_>, me: &str, cycle: &str) -> Vec<(String, Decimal, i64)> {
    my_bills(ctx, me, cycle)
        .into_iter()
        .filter(|b| b.resource_type_code == "hws.resource.type.bandwidth")
        .map(|b| {
            let size = ctx
                .st
                .resources
                .iter()
                .find(|r| r.resource_id == b.resource_id)
                .map_or(1, |r| r.size);
            (b.resource_id.clone(), b.usage, size)
        })
        .collect()
}

fn usage_filters(ctx: &Ctx<'_>) -> ApiResult<String> {
    let cycle = ctx.p.req_str("bill_cycle")?;
    cycle_arg("bill_cycle", &cycle)?;
    if ctx.p.req_str("resource_type_code")? != "hws.resource.type.bandwidth" {
        return Err(ApiError::param(
            "resource_type_code",
            "must be a bandwidth type (hws.resource.type.bandwidth): usage details are kept for bandwidth",
        ));
    }
    Ok(cycle)
}

pub fn resource_usage(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let cycle = usage_filters(ctx)?;
    let req: ListResourceUsageRequest = ctx.p.req()?;
    let Some((_, hours, mbits)) = bandwidth(ctx, &me, &cycle)
        .into_iter()
        .find(|(id, _, _)| *id == req.resource_id)
    else {
        return json(&ListResourceUsageResponse {
            usage_info_list: Some(Vec::new()),
            ..Default::default()
        });
    };
    let days = (hours / Decimal::from(24)).floor();
    let per_day = if days > Decimal::ZERO {
        hours / days
    } else {
        hours
    };
    let items = (1..=days.to_string().parse::<i64>().unwrap_or(0))
        .map(|d| StatUsageInfo {
            stat_time: Some(format!("{cycle}-{d:02}")),
            guaranteed_band_width: Some(mbits.to_string()),
            usage: Some(per_day.round_dp(4).to_string()),
            measure_id: Some(4),
            ..Default::default()
        })
        .collect();
    json(&ListResourceUsageResponse {
        actual_days: Some(days.to_string()),
        band_width: Some(mbits.to_string()),
        monthly_guaranteed_band_width: Some(mbits.to_string()),
        monthly_peak_band_width: Some(mbits.to_string()),
        band_width_measure_id: Some(26),
        usage_info_list: Some(items),
        ..Default::default()
    })
}

pub fn resource_usage_summary(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let cycle = usage_filters(ctx)?;
    let items = bandwidth(ctx, &me, &cycle)
        .into_iter()
        .map(|(id, hours, mbits)| StatUsageSummaryInfo {
            resource_id: Some(id),
            actual_days: Some((hours / Decimal::from(24)).floor().to_string()),
            band_width: Some(mbits.to_string()),
            monthly_guaranteed_band_width: Some(mbits.to_string()),
            monthly_peak_band_width: Some(mbits.to_string()),
            band_width_measure_id: Some(26),
            ..Default::default()
        })
        .collect();
    json(&ListResourceUsageSummaryResponse {
        summary_usage_info_list: Some(items),
        ..Default::default()
    })
}

/// The value of a cost dimension for a bill item.
fn dimension(b: &BillItem, key: &str) -> ApiResult<String> {
    Ok(match key {
        "CLOUD_SERVICE_TYPE" => b.service_type_code.clone(),
        "RESOURCE_TYPE" => b.resource_type_code.clone(),
        "REGION_CODE" => b.region_code.clone(),
        "CHARGING_MODE" => b.charging_mode.to_string(),
        "RESOURCE_ID" => b.resource_id.clone(),
        "BILL_TYPE" => b.bill_type.to_string(),
        _ => {
            return Err(ApiError::param(
                "groupby.key",
                "must be CLOUD_SERVICE_TYPE, RESOURCE_TYPE, REGION_CODE, CHARGING_MODE, RESOURCE_ID or BILL_TYPE here",
            ))
        }
    })
}

/// (key, value) of each dimension a cost is grouped by.
type Dimensions = Vec<(String, String)>;
/// (amount, official amount).
type Amounts = (Decimal, Decimal);

/// list_costs: the caller's costs between two months (or days), grouped by the dimensions asked
/// for, one cost per month (or day). Original and amortized cost are the same here (the seed has
/// no prepaid amortization across months); NET_AMOUNT is what was paid after coupons.
pub fn costs(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCostsRequest = ctx.p.req()?;
    let daily = req.time_condition.time_measure_id == 1;
    if !daily && req.time_condition.time_measure_id != 2 {
        return Err(ApiError::param(
            "time_condition.time_measure_id",
            "must be 1 (day) or 2 (month)",
        ));
    }
    if !["ORIGINAL_COST", "AMORTIZED_COST"].contains(&req.cost_type.as_str()) {
        return Err(ApiError::param(
            "cost_type",
            "must be ORIGINAL_COST or AMORTIZED_COST",
        ));
    }
    let net = match req.amount_type.as_str() {
        "PAYMENT_AMOUNT" => false,
        "NET_AMOUNT" => true,
        _ => {
            return Err(ApiError::param(
                "amount_type",
                "must be PAYMENT_AMOUNT or NET_AMOUNT",
            ))
        }
    };
    let (begin, end) = (&req.time_condition.begin_time, &req.time_condition.end_time);
    let mut groups: BTreeMap<Dimensions, BTreeMap<String, Amounts>> = BTreeMap::new();
    for b in ctx.st.bills.iter().filter(|b| b.customer_id == me) {
        let when = if daily {
            cn_day(b.trade_time)
        } else {
            b.bill_cycle.clone()
        };
        if &when < begin || &when > end {
            continue;
        }
        let mut dims = Vec::new();
        for g in &req.groupby {
            dims.push((g.key.clone(), dimension(b, &g.key)?));
        }
        let amount = if net {
            b.payment_amount() - b.coupon_amount
        } else {
            b.payment_amount()
        };
        let slot = groups.entry(dims).or_default().entry(when).or_default();
        slot.0 += amount;
        slot.1 += b.official_amount;
    }
    let items = groups
        .into_iter()
        .map(|(dims, by_time)| {
            let total: Decimal = by_time.values().map(|v| v.0).sum();
            let official: Decimal = by_time.values().map(|v| v.1).sum();
            CostDataByDimension {
                dimensions: Some(
                    dims.into_iter()
                        .map(|(key, value)| DimensionGroup {
                            key: Some(key),
                            value: Some(value),
                            ..Default::default()
                        })
                        .collect(),
                ),
                costs: Some(
                    by_time
                        .into_iter()
                        .map(|(t, (a, o))| Cost {
                            time_dimension_value: Some(t),
                            time_measure_id: Some(req.time_condition.time_measure_id),
                            amount: Some(a.to_string()),
                            official_amount: Some(o.to_string()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                amount_by_costs: Some(total.to_string()),
                official_amount_by_costs: Some(official.to_string()),
                ..Default::default()
            }
        })
        .collect();
    json(&ListCostsResponse {
        currency: Some(ctx.currency()),
        cost_data: Some(items),
        ..Default::default()
    })
}

pub fn monthly_break_down(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCustomerBillsMonthlyBreakDownRequest = ctx.p.req()?;
    cycle_arg("shared_month", &req.shared_month)?;
    let items = my_bills(ctx, &me, &req.shared_month)
        .into_iter()
        .filter(|b| wanted(&req.service_type_code, &b.service_type_code))
        .filter(|b| wanted(&req.resource_type_code, &b.resource_type_code))
        .filter(|b| wanted(&req.region_code, &b.region_code))
        .filter(|b| req.charging_mode.is_none_or(|m| m == b.charging_mode))
        .filter(|b| req.bill_type.is_none_or(|t| t == b.bill_type))
        .filter(|b| wanted(&req.resource_id, &b.resource_id))
        .map(|b| NvlCostAnalysedBillDetail {
            shared_month: Some(b.bill_cycle.clone()),
            bill_cycle: Some(b.bill_cycle.clone()),
            bill_type: Some(b.bill_type),
            customer_id: Some(b.customer_id.clone()),
            region_code: Some(b.region_code.clone()),
            region_name: Some(catalog::region_name(&b.region_code).to_owned()),
            service_type_code: Some(b.service_type_code.clone()),
            resource_type_code: Some(b.resource_type_code.clone()),
            service_type_name: Some(catalog::service_name(&b.service_type_code).to_owned()),
            resource_type_name: Some(catalog::resource_name(&b.resource_type_code).to_owned()),
            resource_id: Some(b.resource_id.clone()),
            resource_name: Some(b.resource_name.clone()),
            product_spec_desc: Some(b.product_spec_desc.clone()),
            charging_mode: Some(b.charging_mode),
            usage: Some(b.usage),
            usage_measure_id: Some(b.usage_measure_id),
            consume_amount: Some(b.payment_amount()),
            past_months_amortized_amount: Some(Decimal::ZERO),
            current_month_amortized_amount: Some(b.payment_amount()),
            future_months_amortized_amount: Some(Decimal::ZERO),
            amortized_cash_amount: Some(b.cash_amount),
            amortized_coupon_amount: Some(b.coupon_amount),
            ..Default::default()
        })
        .collect();
    json(&ListCustomerBillsMonthlyBreakDownResponse {
        currency: Some(ctx.currency()),
        details: Some(items),
        ..Default::default()
    })
}

fn my_packages<'a>(ctx: &'a Ctx<'_>, me: &'a str) -> impl Iterator<Item = &'a FreePackage> {
    ctx.st
        .free_packages
        .iter()
        .filter(move |p| p.customer_id == me)
}

pub fn free_resource_infos(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListFreeResourceInfosRequest = ctx.p.req()?;
    let items = my_packages(ctx, &me)
        .filter(|p| wanted(&req.region_code, &p.region_code))
        .filter(|p| wanted(&req.order_id, &p.order_id))
        .filter(|p| wanted(&req.product_id, &p.product_id))
        .filter(|p| {
            req.product_name
                .as_ref()
                .is_none_or(|n| p.product_name.contains(n.as_str()))
        })
        .filter(|p| req.status.is_none_or(|s| s == p.status))
        .filter(|p| {
            req.service_type_code_list
                .as_ref()
                .is_none_or(|l| l.is_empty() || l.contains(&p.service_type_code))
        })
        .map(|p| FreeResourcePackageV3 {
            order_instance_id: Some(p.order_instance_id.clone()),
            order_id: Some(p.order_id.clone()),
            product_id: Some(p.product_id.clone()),
            product_name: Some(p.product_name.clone()),
            effective_time: Some(utc(p.effective_time)),
            expire_time: Some(utc(p.expire_time)),
            status: Some(p.status),
            service_type_code: Some(p.service_type_code.clone()),
            service_type_name: Some(catalog::service_name(&p.service_type_code).to_owned()),
            region_code: Some(p.region_code.clone()),
            free_resources: Some(
                p.resources
                    .iter()
                    .map(|r| FreeResourceV3 {
                        free_resource_id: Some(r.free_resource_id.clone()),
                        usage_type_name: Some(r.usage_type_name.clone()),
                        amount: Some(r.remaining.to_string()),
                        original_amount: Some(r.original_amount.to_string()),
                        measure_id: Some(r.measure_id),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        })
        .collect();
    json(&ListFreeResourceInfosResponse {
        free_resource_packages: Some(items),
        ..Default::default()
    })
}

pub fn free_resource_usages(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListFreeResourceUsagesRequest = ctx.p.req()?;
    let items = my_packages(ctx, &me)
        .flat_map(|p| p.resources.iter().map(move |r| (p, r)))
        .filter(|(_, r)| req.free_resource_ids.contains(&r.free_resource_id))
        .map(|(p, r)| FreeResourceDetail {
            free_resource_id: Some(r.free_resource_id.clone()),
            free_resource_type_name: Some(p.product_name.clone()),
            usage_type_name: Some(r.usage_type_name.clone()),
            start_time: Some(utc(p.effective_time)),
            end_time: Some(utc(p.expire_time)),
            amount: Some(r.remaining),
            original_amount: Some(r.original_amount),
            measure_id: Some(r.measure_id),
            ..Default::default()
        })
        .collect();
    json(&ListFreeResourceUsagesResponse {
        free_resources: Some(items),
        ..Default::default()
    })
}

pub fn free_resources_usage_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListFreeResourcesUsageRecordsRequest = ctx.p.req()?;
    let begin = time_filter(ctx, "deduct_time_begin")?.unwrap_or(i64::MIN);
    let end = time_filter(ctx, "deduct_time_end")?.unwrap_or(i64::MAX);
    let mine: Vec<&str> = my_packages(ctx, &me)
        .flat_map(|p| p.resources.iter().map(|r| r.free_resource_id.as_str()))
        .collect();
    let items = ctx
        .st
        .free_usages
        .iter()
        .rev()
        .filter(|u| mine.contains(&u.free_resource_id.as_str()))
        .filter(|u| u.deduct_time >= begin && u.deduct_time <= end)
        .filter(|u| wanted(&req.free_resource_id, &u.free_resource_id))
        .filter(|u| wanted(&req.product_id, &u.product_id))
        .filter(|u| wanted(&req.resource_type_code, &u.resource_type_code))
        .map(|u| FreeResourceRecord {
            deduct_time: Some(utc(u.deduct_time)),
            free_resource_id: Some(u.free_resource_id.clone()),
            resource_id: Some(u.resource_id.clone()),
            resource_type_code: Some(u.resource_type_code.clone()),
            resource_type_name: Some(catalog::resource_name(&u.resource_type_code).to_owned()),
            product_id: Some(u.product_id.clone()),
            available_amount: Some((u.remaining + u.used).to_string()),
            remaining_amount: Some(u.remaining.to_string()),
            used_amount: Some(u.used.to_string()),
            measure_id: Some(u.measure_id),
            ..Default::default()
        })
        .collect();
    json(&ListFreeResourcesUsageRecordsResponse {
        free_resource_records: Some(items),
        ..Default::default()
    })
}
