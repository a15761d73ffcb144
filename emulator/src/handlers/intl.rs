//! The operations only the international site serves. There the partner does not fund its
//! resale customers' accounts: it sets each one a budget (a spending cap it pays for), can freeze
//! and unfreeze them, and owes Huawei within a consumption quota (a credit line). Also the
//! partner's post-paid monthly bill, a customer's expenditure quota, and the invoice list.
//!
//! Emulator rules: the partner's bill of a month is what its resale customers consumed that
//! month; the consumption used is that bill minus the partner's balance; a resale customer has no
//! expenditure quota (the docs: "no results"), any other has 5000.00 a month.

use hcpartner::generated::models::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::customers::time_filter;
use super::{consulting_refused, json, wanted, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{Budget, BudgetRecord, CONSULTING};
use crate::util::{bill_cycle, is_cycle, utc};

/// A customer the batch operations cannot act on, as an `error_details` entry.
fn refusal(ctx: &Ctx<'_>, id: &str) -> Option<CustomerErrorDetail> {
    let e = match ctx.st.own_customer(id) {
        Err(e) => e,
        Ok(c) if c.association_type == CONSULTING => consulting_refused(id),
        Ok(_) => return None,
    };
    Some(CustomerErrorDetail {
        error_code: Some(e.code),
        error_msg: Some(e.msg),
        id: Some(id.to_owned()),
        ..Default::default()
    })
}

/// Freezes (`freeze` = true) or unfreezes the named resale customers; `kind` is the freeze type.
fn set_frozen(
    ctx: &mut Ctx<'_>,
    ids: &[String],
    kind: &str,
    freeze: bool,
) -> Vec<CustomerErrorDetail> {
    let mut errors = Vec::new();
    for id in ids {
        if let Some(e) = refusal(ctx, id) {
            errors.push(e);
            continue;
        }
        let Ok(c) = ctx.st.own_customer_mut(id) else {
            continue;
        };
        if !freeze && c.freeze_type.as_deref().is_some_and(|t| t != kind) {
            errors.push(CustomerErrorDetail {
                error_code: Some("CBC.0100".to_owned()),
                error_msg: Some(format!(
                    "Parameter error: `unfreeze_type` must be the freeze type ({}).",
                    c.freeze_type.as_deref().unwrap_or_default()
                )),
                id: Some(id.clone()),
                ..Default::default()
            });
            continue;
        }
        c.is_frozen = i64::from(freeze);
        c.freeze_type = freeze.then(|| kind.to_owned());
        let with_resources = kind == "ACCOUNT_AND_RESOURCE";
        for r in ctx
            .st
            .resources
            .iter_mut()
            .filter(|r| &r.customer_id == id && !r.deleted)
        {
            if freeze && with_resources && r.status == 2 {
                r.status = 4;
            } else if !freeze && r.status == 4 {
                r.status = 2;
            }
        }
        ctx.changed = true;
    }
    errors
}

pub fn freeze(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: FreezeSubCustomersRequest = ctx.p.req()?;
    let kind = req.freeze_type.as_deref().unwrap_or("ACCOUNT");
    let errors = set_frozen(ctx, &req.customer_ids, kind, true);
    json(&FreezeSubCustomersResponse {
        error_details: Some(errors),
        ..Default::default()
    })
}

pub fn unfreeze(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: UnfreezeSubCustomersRequest = ctx.p.req()?;
    let kind = req.unfreeze_type.as_deref().unwrap_or("ACCOUNT");
    let errors = set_frozen(ctx, &req.customer_ids, kind, false);
    json(&UnfreezeSubCustomersResponse {
        error_details: Some(errors),
        ..Default::default()
    })
}

/// A resale customer of this partner whose budget the partner manages.
fn budget_customer(ctx: &Ctx<'_>, id: &str) -> ApiResult<()> {
    ctx.resale_customer(id).map(|_| ())
}

fn budget_of<'a>(ctx: &'a Ctx<'_>, id: &str) -> Option<&'a Budget> {
    ctx.st.budgets.iter().find(|b| b.customer_id == id)
}

pub fn show_budget(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ShowSubCustomerBudgetRequest = ctx.p.req()?;
    budget_customer(ctx, &req.customer_id)?;
    let b = budget_of(ctx, &req.customer_id);
    json(&ShowSubCustomerBudgetResponse {
        budget_amount: Some(b.map_or(Decimal::ZERO, |b| b.amount)),
        used_amount: Some(b.map_or(Decimal::ZERO, |b| b.used)),
        measure_id: Some(1),
        currency: Some(ctx.currency()),
        budget_type: Some(b.map_or("MONTHLY", |b| b.budget_type.as_str()).to_owned()),
        ..Default::default()
    })
}

pub fn list_budgets(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListSubCustomerBudgetRequest = ctx.p.req()?;
    // Customers that are not this partner's resale customers are left out, as the docs say.
    let items = req
        .customer_ids
        .iter()
        .filter(|id| budget_customer(ctx, id).is_ok())
        .filter_map(|id| budget_of(ctx, id))
        .map(|b| BudgetInfo {
            customer_id: Some(b.customer_id.clone()),
            budget_amount: Some(b.amount),
            used_amount: Some(b.used),
            budget_type: Some(b.budget_type.clone()),
            ..Default::default()
        })
        .collect();
    json(&ListSubCustomerBudgetResponse {
        measure_id: Some(1),
        currency: Some(ctx.currency()),
        budget_infos: Some(items),
        ..Default::default()
    })
}

/// update_sub_customer_budget: sets the budget to the target amount (not a transfer: repeating it
/// leaves the same budget), optionally unfreezing the customer.
pub fn update_budget(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: UpdateSubCustomerBudgetRequest = ctx.p.req()?;
    budget_customer(ctx, &req.customer_id)?;
    let kind = req
        .budget_type
        .clone()
        .unwrap_or_else(|| "MONTHLY".to_owned());
    match ctx
        .st
        .budgets
        .iter_mut()
        .find(|b| b.customer_id == req.customer_id)
    {
        Some(b) => {
            b.amount = req.budget_amount;
            b.budget_type = kind.clone();
        }
        None => ctx.st.budgets.push(Budget {
            customer_id: req.customer_id.clone(),
            amount: req.budget_amount,
            used: Decimal::ZERO,
            budget_type: kind.clone(),
        }),
    }
    ctx.st.budget_records.push(BudgetRecord {
        customer_id: req.customer_id.clone(),
        amount: req.budget_amount,
        operation_type: "SETTING".to_owned(),
        budget_type: kind,
        time: ctx.now,
    });
    if req.cancel_partner_frozen.as_deref() == Some("1") {
        let kind = ctx
            .st
            .own_customer(&req.customer_id)?
            .freeze_type
            .clone()
            .unwrap_or_else(|| "ACCOUNT".to_owned());
        set_frozen(ctx, std::slice::from_ref(&req.customer_id), &kind, false);
    }
    ctx.changed = true;
    Ok(Value::Null)
}

pub fn budget_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListSubCustomerBudgetRecordsRequest = ctx.p.req()?;
    budget_customer(ctx, &req.customer_id)?;
    let p = &ctx.st.partner;
    let items = ctx
        .st
        .budget_records
        .iter()
        .rev()
        .filter(|r| r.customer_id == req.customer_id)
        .filter(|r| wanted(&req.operation_type, &r.operation_type))
        .filter(|r| wanted(&req.budget_type, &r.budget_type))
        .map(|r| BudgetRecordInfo {
            budget_amount: Some(r.amount),
            operation_type: Some(r.operation_type.clone()),
            operation_time: Some(utc(r.time)),
            operator: Some(p.domain_name.clone()),
            budget_type: Some(r.budget_type.clone()),
            partner_corp_name: Some(p.domain_name.clone()),
            partner_account_name: Some(p.domain_name.clone()),
            ..Default::default()
        })
        .collect();
    json(&ListSubCustomerBudgetRecordsResponse {
        measure_id: Some(1),
        currency: Some(ctx.currency()),
        record_list: Some(items),
        ..Default::default()
    })
}

/// What the partner's resale customers consumed in `cycle` (the partner's post-paid bill).
fn partner_bill(ctx: &Ctx<'_>, cycle: &str) -> Decimal {
    ctx.st
        .bills
        .iter()
        .filter(|b| b.bill_cycle == cycle)
        .filter(|b| {
            ctx.st
                .own_customer(&b.customer_id)
                .is_ok_and(|c| c.is_resale())
        })
        .map(|b| b.payment_amount())
        .sum()
}

pub fn consumption_quota(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let due = partner_bill(ctx, &bill_cycle(ctx.now, 1));
    let unbilled = partner_bill(ctx, &bill_cycle(ctx.now, 0));
    let p = &ctx.st.partner;
    let used = due + unbilled - p.balance;
    json(&ShowPartnerConsumptionQuotaResponse {
        consumption_quota: Some(p.consumption_quota.to_string()),
        amount: Some(p.balance.to_string()),
        coupon_amount: Some("0".to_owned()),
        due_amount: Some(due.to_string()),
        unbilled_amount: Some(unbilled.to_string()),
        used_consumption_quota: Some(used.to_string()),
        measure_id: Some(1),
        currency: Some(ctx.currency()),
        ..Default::default()
    })
}

pub fn expenditure_quota(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let resale = ctx.st.customers.iter().any(|c| c.id == me && c.is_resale());
    if resale {
        return json(&ShowCustomerExpenditureQuotaResponse::default());
    }
    let granted = Decimal::from(5000);
    let cycle = bill_cycle(ctx.now, 0);
    let used: Decimal = ctx
        .st
        .bills
        .iter()
        .filter(|b| b.customer_id == me && b.bill_cycle == cycle)
        .map(|b| b.payment_amount())
        .sum();
    json(&ShowCustomerExpenditureQuotaResponse {
        granting_amount: Some(granted),
        granting_amount_used: Some(used),
        percentage_granting_amount_used: Some((used / granted * Decimal::from(100)).round_dp(2)),
        measure_id: Some(1),
        currency: Some(ctx.currency()),
        ..Default::default()
    })
}

pub fn postpaid_bill_sum(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListPostpaidBillSumRequest = ctx.p.req()?;
    if !is_cycle(&req.bill_cycle) {
        return Err(ApiError::param(
            "bill_cycle",
            "must be a month like 2024-01",
        ));
    }
    let consumed = partner_bill(ctx, &req.bill_cycle);
    json(&ListPostpaidBillSumResponse {
        bill_cycle: Some(req.bill_cycle.clone()),
        initial_amount_due: Some(consumed),
        consume_amount: Some(consumed),
        refunds: Some(Decimal::ZERO),
        adjustments: Some(Decimal::ZERO),
        tax_amount: Some(Decimal::ZERO),
        currency: Some(ctx.currency()),
        ..Default::default()
    })
}

/// list_invoices: the caller's invoice requests applied for in a time window. `offset` is a page
/// number from 1 (docs miv_01005), so this handler cuts the page itself.
pub fn invoices(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListInvoicesRequest = ctx.p.req()?;
    let me = match ctx.acting_customer() {
        Some(c) => c.to_owned(),
        None => ctx.st.partner.domain_id.clone(),
    };
    if req.domain_id != me {
        return Err(ApiError::denied(
            "The domain_id in the path is not the caller's account.",
        ));
    }
    let begin = time_filter(ctx, "start_time")?.unwrap_or(i64::MIN);
    let end = time_filter(ctx, "end_time")?.unwrap_or(i64::MAX);
    let mine = ctx.acting_customer().is_none();
    let mut own: Vec<_> = ctx.st.invoices.iter().filter(|_| mine).collect();
    own.sort_by_key(|i| std::cmp::Reverse(i.apply_time));
    let all: Vec<InvoiceRequestInfoIntl> = own
        .into_iter()
        .filter(|i| i.apply_time >= begin && i.apply_time <= end)
        .map(|i| InvoiceRequestInfoIntl {
            requestid: Some(i.request_id.clone()),
            titletype: Some(1),
            invoicetype: Some(1),
            invoicetitle: Some(ctx.st.partner.domain_name.clone()),
            invoiceamount: Some(i.amount),
            invoicestate: Some(i.state),
            applytime: Some(utc(i.apply_time)),
            invoiceno: (!i.invoice_no.is_empty()).then(|| i.invoice_no.clone()),
            billcycle: Some(i.bill_cycle.clone()),
            taxlist: Some(vec![TaxInfo {
                taxclass: Some("VAT".to_owned()),
                taxrate: Some("0.06".to_owned()),
                taxamount: Some(i.tax),
                ..Default::default()
            }]),
            ..Default::default()
        })
        .collect();
    let count = all.len() as i64;
    let page: Vec<_> = all
        .into_iter()
        .skip(((req.offset - 1) * req.limit) as usize)
        .take(req.limit as usize)
        .collect();
    json(&ListInvoicesResponse {
        count: Some(count),
        invoices: Some(page),
        ..Default::default()
    })
}
