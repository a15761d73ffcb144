//! A customer's own money views (account and coupon change records, stored-value cards) and the
//! partner's and customers' discount views (business discounts, incentive policies).
//!
//! Emulator rules: a resale customer's cash account is the partner's business, so its account
//! change records are refused (CBC.99000084, as the service does); other customers see their bill
//! payments as expenses, with the balance after each. Business discounts: the emulator's catalog
//! sells at list price, so a customer has none.

use hcpartner::generated::models::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::customers::time_filter;
use super::{json, wanted, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::catalog;
use crate::util::utc;

fn in_window(ctx: &Ctx<'_>, t: i64) -> ApiResult<bool> {
    let begin = time_filter(ctx, "trade_time_begin")?;
    let end = time_filter(ctx, "trade_time_end")?;
    Ok(begin.is_none_or(|b| t >= b) && end.is_none_or(|e| t <= e))
}

pub fn account_change_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCustomerAccountChangeRecordsRequest = ctx.p.req()?;
    let customer = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .ok_or_else(|| ApiError::new(400, "CBC.99007000", "Customer not found."))?;
    if customer.is_resale() {
        return Err(ApiError::new(
            400,
            "CBC.99000084",
            "Account change records are not available for a partner's resale customer.",
        ));
    }
    let mut payments: Vec<_> = ctx
        .st
        .bills
        .iter()
        .filter(|b| b.customer_id == me && b.cash_amount > Decimal::ZERO)
        .collect();
    payments.sort_by_key(|b| std::cmp::Reverse(b.trade_time));
    // Newest first: the balance after the newest payment is today's.
    let mut after = customer.balance;
    let mut items = Vec::new();
    for b in payments {
        let keep = req.balance_type == "BALANCE_TYPE_DEBIT"
            && req
                .revenue_expense_type
                .as_deref()
                .is_none_or(|t| t == "EXPENSE")
            && req.trade_type.as_deref().is_none_or(|t| t == "DEDEUCT")
            && wanted(&req.trade_id, &b.id)
            && in_window(ctx, b.trade_time)?;
        if keep {
            items.push(CustomerAccountChangeRecord {
                account_change_id: Some(format!("CHG-{}", b.id)),
                trade_detail_type: Some("DEDEUCT".to_owned()),
                trade_time: Some(utc(b.trade_time)),
                trade_id: Some(b.id.clone()),
                change_amount: Some((-b.cash_amount).to_string()),
                balance_after_change: Some(after.to_string()),
                revenue_expense_type: Some("EXPENSE".to_owned()),
                bill_cycle: Some(b.bill_cycle.clone()),
                consume_time: Some(utc(b.trade_time)),
                account_name: Some(customer.name.clone()),
                cloud_service_type_name: Some(
                    catalog::service_name(&b.service_type_code).to_owned(),
                ),
                resource_type_name: Some(catalog::resource_name(&b.resource_type_code).to_owned()),
                ..Default::default()
            });
        }
        after += b.cash_amount;
    }
    json(&ListCustomerAccountChangeRecordsResponse {
        currency: Some(ctx.currency()),
        records: Some(items),
        ..Default::default()
    })
}

pub fn coupon_change_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListCustomerCouponChangeRecordsRequest = ctx.p.req()?;
    let name = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .map(|c| c.name.clone());
    let mut items = Vec::new();
    for r in ctx
        .st
        .coupon_records
        .iter()
        .rev()
        .filter(|r| r.customer_id == me)
    {
        let (kind, io, change) = if r.operation_type == "1" {
            ("COUPONADJUST", "REVENUE", r.operation_amount)
        } else {
            ("COUPONCANCEL", "EXPENSE", -r.operation_amount)
        };
        let balance = ctx
            .st
            .coupons
            .iter()
            .find(|c| c.coupon_id == r.coupon_id)
            .map_or(Decimal::ZERO, |c| c.balance);
        let keep = req.balance_type == "BALANCE_TYPE_COUPON"
            && req.revenue_expense_type.as_deref().is_none_or(|t| t == io)
            && req.trade_type.as_deref().is_none_or(|t| t == kind)
            && wanted(&req.trade_id, &r.id)
            && wanted(&req.coupon_id, &r.coupon_id)
            && in_window(ctx, r.operation_time)?;
        if keep {
            items.push(CustomerCouponChangeRecord {
                coupon_id: Some(r.coupon_id.clone()),
                trade_detail_type: Some(kind.to_owned()),
                trade_time: Some(utc(r.operation_time)),
                trade_id: Some(r.id.clone()),
                change_amount: Some(change.to_string()),
                balance_after_change: Some(balance.to_string()),
                revenue_expense_type: Some(io.to_owned()),
                account_name: name.clone(),
                ..Default::default()
            });
        }
    }
    json(&ListCustomerCouponChangeRecordsResponse {
        currency: Some(ctx.currency()),
        records: Some(items),
        ..Default::default()
    })
}

pub fn stored_value_cards(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let req: ListStoredValueCardsRequest = ctx.p.req()?;
    let now = ctx.now;
    let items = ctx
        .st
        .stored_value_cards
        .iter()
        .filter(|c| c.customer_id == me)
        .filter(|c| {
            let usable = c.balance > Decimal::ZERO && c.expire_time > now;
            (req.status == 1) == usable
        })
        .filter(|c| wanted(&req.card_id, &c.card_id))
        .map(|c| UserStoredValueCard {
            card_id: Some(c.card_id.clone()),
            card_name: Some(c.card_name.clone()),
            status: Some(c.status),
            face_value: Some(c.face_value.to_string()),
            balance: Some(c.balance.to_string()),
            effective_time: Some(utc(c.effective_time)),
            expire_time: Some(utc(c.expire_time)),
            ..Default::default()
        })
        .collect();
    json(&ListStoredValueCardsResponse {
        stored_value_cards: Some(items),
        ..Default::default()
    })
}

pub fn business_discount_info(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    ctx.me()?;
    let req: ListBusinessDiscountInfoRequest = ctx.p.req()?;
    if !["PRODUCT_ITEM", "CATEGORY_ITEM"].contains(&req.quoting_item_type.as_str()) {
        return Err(ApiError::param(
            "quoting_item_type",
            "must be PRODUCT_ITEM or CATEGORY_ITEM",
        ));
    }
    json(&ListBusinessDiscountInfoResponse {
        product_quoting_items: Some(Vec::new()),
        category_quoting_items: Some(Vec::new()),
        ..Default::default()
    })
}

pub fn incentive_discount_policies(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListIncentiveDiscountPoliciesRequest = ctx.p.req()?;
    if !crate::util::is_cycle(&req.time) {
        return Err(ApiError::param("time", "must be a month like 2024-01"));
    }
    let items = catalog::SERVICE_TYPES
        .iter()
        .filter(|s| req.service_type_code.as_ref().is_none_or(|c| c == s.0))
        .map(|(code, name, _)| IncentiveAndDiscountPolicy {
            service_type_code: Some((*code).to_owned()),
            service_type_name: Some((*name).to_owned()),
            // Compute and storage count towards the partner's performance; the network does not.
            incentive_policy: Some(if code.ends_with("vpc") { "13" } else { "0" }.to_owned()),
            allow_discount: Some("YES".to_owned()),
            ..Default::default()
        })
        .collect();
    json(&ListIncentiveDiscountPoliciesResponse {
        policies: Some(items),
        ..Default::default()
    })
}
