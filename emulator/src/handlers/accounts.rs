//! Money between the partner and its resale customers. The invariant: the partner's balance plus
//! its customers' balances is the same before and after every adjust and reclaim.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::customers::time_filter;
use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::AccountRecord;
use crate::util::{money2, utc};

fn insufficient(what: &str, have: Decimal, want: Decimal) -> ApiError {
    ApiError::new(
        400,
        "CBC.99005003",
        format!("The balance is insufficient: {what} has {have}, {want} was requested."),
    )
}

/// update_customer_account_amount: partner → resale customer.
pub fn adjust(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("customer_id")?;
    let amount = ctx.p.req_decimal("amount")?;
    let name = ctx.resale_customer(&id)?.name.clone();
    if ctx.st.partner.balance < amount {
        return Err(insufficient(
            "the partner account",
            ctx.st.partner.balance,
            amount,
        ));
    }
    let before = ctx.st.funds_total();
    ctx.st.partner.balance -= amount;
    ctx.st.own_customer_mut(&id)?.balance += amount;
    debug_assert_eq!(before, ctx.st.funds_total());
    let trans_id = ctx.st.next_id("TRANS-ADJ-");
    let after = ctx.st.partner.balance;
    ctx.st.account_records.push(AccountRecord {
        trans_id: trans_id.clone(),
        customer_id: id,
        customer_name: name,
        operation_type: "1".to_owned(),
        amount,
        time: ctx.now,
        partner_balance_after: after,
    });
    ctx.changed = true;
    Ok(json!({"transfer_id": trans_id}))
}

/// reclaim_to_partner_account: resale customer → partner.
pub fn reclaim(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("customer_id")?;
    let amount = ctx.p.req_decimal("amount")?;
    let c = ctx.resale_customer(&id)?;
    let (name, balance) = (c.name.clone(), c.balance);
    if balance < amount {
        return Err(insufficient(&format!("customer {id}"), balance, amount));
    }
    ctx.st.own_customer_mut(&id)?.balance -= amount;
    ctx.st.partner.balance += amount;
    let trans_id = ctx.st.next_id("TRANS-RCL-");
    let after = ctx.st.partner.balance;
    ctx.st.account_records.push(AccountRecord {
        trans_id: trans_id.clone(),
        customer_id: id,
        customer_name: name,
        operation_type: "2".to_owned(),
        amount,
        time: ctx.now,
        partner_balance_after: after,
    });
    ctx.changed = true;
    Ok(json!({"trans_id": trans_id}))
}

pub fn balances_detail(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let infos = ctx.p.objects("customer_infos")?;
    let mut out = Vec::new();
    for (i, info) in infos.iter().enumerate() {
        let id = info
            .get("customer_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::param(&format!("customer_infos[{i}].customer_id"), "is required")
            })?;
        let c = ctx.resale_customer(id)?;
        out.push(json!({"customer_id": c.id, "amount": money2(c.balance), "debt_amount": money2(c.debt), "measure_id": 1, "currency": ctx.currency()}));
    }
    Ok(json!({"customer_balances": out}))
}

pub fn partner_balances(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = &ctx.st.partner;
    Ok(json!({"account_balances": [{
        "account_id": p.account_id,
        "account_type": 1,
        "amount": money2(p.balance),
        "currency": p.currency,
        "designated_amount": money2(Decimal::ZERO),
        "credit_amount": money2(Decimal::ZERO),
        "measure_id": 1,
        "memo": "",
    }]}))
}

fn records<'a>(ctx: &'a Ctx<'_>) -> ApiResult<Vec<&'a AccountRecord>> {
    let begin = time_filter(ctx, "operation_time_begin")?.or(time_filter(ctx, "trade_time_begin")?);
    let end = time_filter(ctx, "operation_time_end")?.or(time_filter(ctx, "trade_time_end")?);
    let customer = ctx.p.str("customer_id")?;
    let kind = ctx.p.str("operation_type")?;
    let trans = ctx.p.str("trans_id")?;
    let mut list: Vec<&AccountRecord> = ctx
        .st
        .account_records
        .iter()
        .filter(|r| begin.is_none_or(|b| r.time >= b) && end.is_none_or(|e| r.time <= e))
        .filter(|r| customer.as_ref().is_none_or(|c| &r.customer_id == c))
        .filter(|r| kind.as_ref().is_none_or(|k| &r.operation_type == k))
        .filter(|r| trans.as_ref().is_none_or(|t| &r.trans_id == t))
        .collect();
    list.reverse();
    Ok(list)
}

pub fn partner_change_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    ctx.p.req_str("balance_type")?;
    let items: Vec<Value> = records(ctx)?
        .into_iter()
        .map(|r| {
            let change = if r.operation_type == "1" { -r.amount } else { r.amount };
            json!({
                "account_change_id": format!("CHG-{}", r.trans_id),
                "trade_detail_type": if r.operation_type == "1" { "partner_adjust_to_customer" } else { "partner_reclaim_from_customer" },
                "trade_time": utc(r.time),
                "trade_id": r.trans_id,
                "change_amount": money2(change).to_string(),
                "balance_after_change": money2(r.partner_balance_after).to_string(),
                "type": if r.operation_type == "1" { "2" } else { "1" },
                "customer_id": r.customer_id,
                "account_name": r.customer_name,
            })
        })
        .collect();
    Ok(json!({"currency": ctx.currency(), "records": items}))
}

pub fn adjust_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let items: Vec<Value> = records(ctx)?
        .into_iter()
        .map(|r| {
            json!({
                "customer_id": r.customer_id,
                "customer_name": r.customer_name,
                "operation_type": r.operation_type,
                "amount": money2(r.amount).to_string(),
                "currency": ctx.currency(),
                "apply_scene": "api",
                "operation_time": utc(r.time),
                "measure_id": 1,
                "trans_id": r.trans_id,
                "memo": "",
            })
        })
        .collect();
    Ok(json!({"records": items}))
}

pub fn customer_balances(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .ok_or_else(|| ApiError::new(400, "CBC.99007000", "Customer not found."))?;
    Ok(json!({
        "account_balances": [{
            "account_id": format!("ACC-{}", c.id),
            "account_type": 1,
            "amount": money2(c.balance),
            "currency": ctx.currency(),
            "designated_amount": money2(Decimal::ZERO),
            "credit_amount": money2(Decimal::ZERO),
            "measure_id": 1,
        }],
        "debt_amount": money2(c.debt),
        "measure_id": 1,
        "currency": ctx.currency(),
    }))
}
