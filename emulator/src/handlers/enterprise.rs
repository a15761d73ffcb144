//! Enterprise multi-account: a master customer (the seeded resale customer) with an organization
//! tree and sub-accounts. The master creates sub-accounts, moves money to them and takes it back,
//! and cuts parts of its coupons for them and retrieves what they left. Every call is the
//! master's own (a customer token). Money only moves between the master and its sub-accounts:
//! their balances add up to the same total before and after, and a coupon's balance plus the
//! balances cut from it stays the same.

use hcpartner::generated::models::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::{json, wanted, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{Org, SubAccount, SubCoupon, SubTransfer, VerificationCode};
use crate::util::{hex_id, utc};

/// How long an SMS code stays valid.
const CODE_VALIDITY_S: i64 = 300;

fn no_relation() -> ApiError {
    ApiError::new(
        400,
        "CBC.99000086",
        "There is no valid enterprise master/sub-account relation for this account.",
    )
}

fn no_account(id: &str) -> ApiError {
    ApiError::new(
        400,
        "CBC.99000047",
        format!("The account {id} does not exist."),
    )
}

/// The caller, which must be an enterprise master (it has an organization).
fn master(ctx: &Ctx<'_>) -> ApiResult<String> {
    let me = ctx.me()?;
    if ctx.st.orgs.iter().any(|o| o.master == me) {
        Ok(me)
    } else {
        Err(no_relation())
    }
}

fn sub_of<'a>(ctx: &'a Ctx<'_>, master: &str, id: &str) -> ApiResult<&'a SubAccount> {
    ctx.st
        .sub_accounts
        .iter()
        .find(|s| s.id == id && s.master == master)
        .ok_or_else(|| no_account(id))
}

/// A money amount the API sends as text: > 0 with at most 2 decimals.
fn amount_text(ctx: &Ctx<'_>, name: &str) -> ApiResult<Decimal> {
    ctx.p.amount(name)
}

fn node(ctx: &Ctx<'_>, org: &Org, recursive: bool) -> EmChildNodeV2 {
    EmChildNodeV2 {
        relation_id: Some(format!("REL-{}", org.id)),
        id: Some(org.id.clone()),
        name: Some(org.name.clone()),
        child_nodes: recursive.then(|| children(ctx, &org.id, true)),
        ..Default::default()
    }
}

fn children(ctx: &Ctx<'_>, parent: &str, recursive: bool) -> Vec<EmChildNodeV2> {
    ctx.st
        .orgs
        .iter()
        .filter(|o| o.parent.as_deref() == Some(parent))
        .map(|o| node(ctx, o, recursive))
        .collect()
}

pub fn organizations(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ListEnterpriseOrganizationsRequest = ctx.p.req()?;
    let root = ctx
        .st
        .orgs
        .iter()
        .find(|o| o.master == me && o.parent.is_none())
        .ok_or_else(no_relation)?;
    let start = match &req.parent_id {
        Some(id) => ctx
            .st
            .orgs
            .iter()
            .find(|o| &o.id == id && o.master == me)
            .ok_or_else(|| no_account(id))?,
        None => root,
    };
    json(&ListEnterpriseOrganizationsResponse {
        root_id: Some(root.id.clone()),
        root_name: Some(root.name.clone()),
        child_nodes: Some(children(ctx, &start.id, req.recursive_query == Some(1))),
        ..Default::default()
    })
}

pub fn sub_customers(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ListEnterpriseSubCustomersRequest = ctx.p.req()?;
    let fuzzy = req.fuzzy_query == Some(1);
    let matches = |have: &str, want: &Option<String>| {
        want.as_ref().is_none_or(|w| {
            if fuzzy {
                have.to_lowercase().contains(&w.to_lowercase())
            } else {
                have == w
            }
        })
    };
    let items = ctx
        .st
        .sub_accounts
        .iter()
        .filter(|s| s.master == me)
        .filter(|s| matches(&s.name, &req.sub_customer_account_name))
        .filter(|s| matches(&s.display_name, &req.sub_customer_display_name))
        .filter(|s| wanted(&req.org_id, &s.org_id))
        .map(|s| SubCustomerInfoV2 {
            id: Some(s.id.clone()),
            name: Some(s.name.clone()),
            display_name: Some(s.display_name.clone()),
            status: Some(s.status),
            org_id: Some(s.org_id.clone()),
            org_name: ctx
                .st
                .orgs
                .iter()
                .find(|o| o.id == s.org_id)
                .map(|o| o.name.clone()),
            ..Default::default()
        })
        .collect();
    json(&ListEnterpriseSubCustomersResponse {
        sub_customer_infos: Some(items),
        ..Default::default()
    })
}

pub fn send_sms_code(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    if master(ctx).is_err() {
        return Err(ApiError::new(
            400,
            "CBC.70300008",
            "Only an enterprise master account may send this verification code.",
        ));
    }
    let req: SendSmsVerificationCodeRequest = ctx.p.req()?;
    ctx.st.verification_codes.push(VerificationCode {
        target: req.mobile_phone,
        code: super::customers::VERIFICATION_CODE.to_owned(),
        sent_at: ctx.now,
    });
    ctx.changed = true;
    Ok(Value::Null)
}

pub fn create_sub_account(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: CreateSubEnterpriseAccountRequest = ctx.p.req()?;
    if !ctx
        .st
        .orgs
        .iter()
        .any(|o| o.id == req.party_id && o.master == me)
    {
        return Err(no_account(&req.party_id));
    }
    let new = &req.new_sub_customer;
    if !super::customers::valid_domain_name(&new.customer_name) {
        return Err(ApiError::new(
            400,
            "CBC.99000031",
            "The account name must be 6-32 letters, digits, '_' or '-', and must not start with a digit.",
        ));
    }
    let taken = ctx
        .st
        .customers
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(&new.customer_name))
        || ctx
            .st
            .sub_accounts
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(&new.customer_name));
    if taken {
        return Err(ApiError::new(
            400,
            "CBC.99000038",
            format!("The account name {} already exists.", new.customer_name),
        ));
    }
    if new.password.chars().count() < 8 {
        return Err(ApiError::new(
            400,
            "CBC.99000036",
            "The password must have at least 8 characters.",
        ));
    }
    if let Some(mobile) = &new.mobile_phone {
        let code = new.verification_code.as_deref().unwrap_or_default();
        let sent = ctx
            .st
            .verification_codes
            .iter()
            .rev()
            .find(|v| &v.target == mobile);
        match sent {
            Some(v) if ctx.now - v.sent_at > CODE_VALIDITY_S => {
                return Err(ApiError::new(
                    400,
                    "CBC.99000027",
                    "The verification code has expired.",
                ))
            }
            Some(v) if v.code == code => {}
            _ => {
                return Err(ApiError::new(
                    400,
                    "CBC.99000026",
                    "The verification code is wrong.",
                ))
            }
        }
    }
    ctx.st.sub_accounts.push(SubAccount {
        id: hex_id(16),
        name: new.customer_name.clone(),
        display_name: req
            .display_name
            .clone()
            .unwrap_or_else(|| new.customer_name.clone()),
        master: me,
        org_id: req.party_id.clone(),
        balance: Decimal::ZERO,
        status: 1,
        financial_custody: req.financial_custody.unwrap_or(0),
    });
    ctx.changed = true;
    Ok(Value::Null)
}

pub fn project_auth(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    if !ctx.st.project_auth.contains(&me) {
        ctx.st.project_auth.push(me);
        ctx.changed = true;
    }
    Ok(Value::Null)
}

/// Only the debit (cash) account can be moved; a credit account has nothing here.
fn debit_only(ctx: &Ctx<'_>) -> ApiResult<bool> {
    Ok(ctx
        .p
        .str("balance_type")?
        .is_none_or(|t| t == "BALANCE_TYPE_DEBIT"))
}

pub fn transfer_amount(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let balance = ctx
        .st
        .own_customer(&me)
        .map_or(Decimal::ZERO, |c| c.balance);
    let items = if debit_only(ctx)? {
        vec![TransferAmountInfoV2 {
            avail_transfer_amount: Some(balance),
            measure_id: Some(1),
            currency: Some(ctx.currency()),
            amount: Some(balance),
            credit_amount: Some(Decimal::ZERO),
            ..Default::default()
        }]
    } else {
        Vec::new()
    };
    json(&ShowMultiAccountTransferAmountResponse {
        amount_infos: Some(items),
        ..Default::default()
    })
}

pub fn retrieve_amount(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ListEnterpriseMultiAccountRequest = ctx.p.req()?;
    let balance = sub_of(ctx, &me, &req.sub_customer_id)?.balance;
    let items = if debit_only(ctx)? {
        vec![RetrieveAmountInfoV2 {
            avail_retrieve_amount: Some(balance),
            measure_id: Some(1),
            currency: Some(ctx.currency()),
            amount: Some(balance),
            credit_amount: Some(Decimal::ZERO),
            ..Default::default()
        }]
    } else {
        Vec::new()
    };
    json(&ListEnterpriseMultiAccountResponse {
        amount_infos: Some(items),
        ..Default::default()
    })
}

/// Moves `amount` between the master and a sub-account, once per `trans_id`: a request repeated
/// with the same transaction id (the API's guard against double submission) moves nothing.
fn move_money(ctx: &mut Ctx<'_>, to_sub: bool) -> ApiResult<Value> {
    let me = master(ctx)?;
    let sub_id = ctx.p.req_str("customer_id")?;
    let amount = amount_text(ctx, "amount")?;
    sub_of(ctx, &me, &sub_id)?;
    if !debit_only(ctx)? {
        return Err(ApiError::new(
            400,
            "CBC.99000043",
            "The credit account has no funds to move.",
        ));
    }
    let trans_id = ctx.p.str("trans_id")?;
    if let Some(t) = &trans_id {
        if ctx.st.sub_transfers.iter().any(|x| &x.trans_id == t) {
            return Ok(Value::Null);
        }
    }
    let master_balance = ctx.st.own_customer(&me)?.balance;
    let sub_balance = sub_of(ctx, &me, &sub_id)?.balance;
    let (have, who) = if to_sub {
        (master_balance, "the master account")
    } else {
        (sub_balance, "the sub-account")
    };
    if have < amount {
        return Err(ApiError::new(
            400,
            "CBC.99000043",
            format!("The transfer failed: {who} has {have}, {amount} was requested."),
        ));
    }
    let before = ctx.st.funds_total();
    let signed = if to_sub { amount } else { -amount };
    ctx.st.own_customer_mut(&me)?.balance -= signed;
    if let Some(s) = ctx.st.sub_accounts.iter_mut().find(|s| s.id == sub_id) {
        s.balance += signed;
    }
    debug_assert_eq!(before, ctx.st.funds_total());
    let trans_id = match trans_id {
        Some(t) => t,
        None => ctx.st.next_id("TRANS-SUB-"),
    };
    ctx.st.sub_transfers.push(SubTransfer {
        trans_id,
        sub_account_id: sub_id,
        operation_type: if to_sub { "1" } else { "2" }.to_owned(),
        amount,
        time: ctx.now,
    });
    ctx.changed = true;
    Ok(Value::Null)
}

pub fn fund_sub_account(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    move_money(ctx, true)
}

pub fn reclaim_from_sub_account(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    move_money(ctx, false)
}

pub fn transfer_coupons(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let now = ctx.now;
    let items = ctx
        .st
        .coupons
        .iter()
        .filter(|c| c.customer_id == me && c.status == 2 && c.expire_time > now)
        .filter(|c| c.balance > Decimal::ZERO)
        .map(|c| AvailTransferCoupon {
            coupon_id: Some(c.coupon_id.clone()),
            plan_name: c.memo.clone(),
            balance: Some(c.balance.to_string()),
            effective_time: Some(utc(c.effective_time)),
            expire_time: Some(utc(c.expire_time)),
            use_limits: Some(Vec::new()),
            ..Default::default()
        })
        .collect();
    json(&ListMultiAccountTransferCouponsResponse {
        avail_transfer_coupons: Some(items),
        ..Default::default()
    })
}

pub fn retrieve_coupons(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ListMultiAccountRetrieveCouponsRequest = ctx.p.req()?;
    sub_of(ctx, &me, &req.sub_customer_id)?;
    let items = ctx
        .st
        .sub_coupons
        .iter()
        .filter(|s| s.sub_customer_id == req.sub_customer_id && s.balance > Decimal::ZERO)
        .map(|s| AvailRetrieveCoupons {
            coupon_id: Some(s.coupon_id.clone()),
            plan_name: ctx
                .st
                .coupons
                .iter()
                .find(|c| c.coupon_id == s.coupon_id)
                .and_then(|c| c.memo.clone()),
            sub_coupon_id: Some(s.sub_coupon_id.clone()),
            balance: Some(s.balance.to_string()),
            effective_time: Some(utc(s.effective_time)),
            expire_time: Some(utc(s.expire_time)),
            use_limits: Some(Vec::new()),
            ..Default::default()
        })
        .collect();
    json(&ListMultiAccountRetrieveCouponsResponse {
        avail_retrieve_coupons: Some(items),
        ..Default::default()
    })
}

/// claim_enterprise_multi_account_coupon: cuts `amount` of one of the master's coupons for a
/// sub-account.
pub fn transfer_coupon(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ClaimEnterpriseMultiAccountCouponRequest = ctx.p.req()?;
    let amount = amount_text(ctx, "amount")?;
    sub_of(ctx, &me, &req.customer_id)?;
    let now = ctx.now;
    let coupon = ctx
        .st
        .coupons
        .iter_mut()
        .find(|c| {
            c.coupon_id == req.coupon_id
                && c.customer_id == me
                && c.status == 2
                && c.expire_time > now
        })
        .ok_or_else(|| no_account(&req.coupon_id))?;
    if coupon.balance < amount {
        return Err(ApiError::new(
            400,
            "CBC.99000043",
            format!(
                "The coupon balance {} is less than {amount}.",
                coupon.balance
            ),
        ));
    }
    coupon.balance -= amount;
    let (effective, expire) = (coupon.effective_time, coupon.expire_time);
    let sub_coupon_id = ctx.st.next_id("SUBCP-");
    ctx.st.sub_coupons.push(SubCoupon {
        sub_coupon_id: sub_coupon_id.clone(),
        coupon_id: req.coupon_id.clone(),
        sub_customer_id: req.customer_id.clone(),
        balance: amount,
        effective_time: effective,
        expire_time: expire,
    });
    ctx.changed = true;
    json(&ClaimEnterpriseMultiAccountCouponResponse {
        sub_coupon_id: Some(sub_coupon_id),
        ..Default::default()
    })
}

/// reclaim_enterprise_multi_account_coupon: what is left of a sub-account's coupon goes back to
/// the master's coupon it was cut from.
pub fn retrieve_coupon(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = master(ctx)?;
    let req: ReclaimEnterpriseMultiAccountCouponRequest = ctx.p.req()?;
    sub_of(ctx, &me, &req.customer_id)?;
    let sub = ctx
        .st
        .sub_coupons
        .iter_mut()
        .find(|s| {
            s.sub_coupon_id == req.sub_coupon_id
                && s.coupon_id == req.coupon_id
                && s.sub_customer_id == req.customer_id
        })
        .ok_or_else(|| no_account(&req.sub_coupon_id))?;
    let amount = sub.balance;
    sub.balance = Decimal::ZERO;
    if let Some(c) = ctx
        .st
        .coupons
        .iter_mut()
        .find(|c| c.coupon_id == req.coupon_id)
    {
        c.balance += amount;
    }
    ctx.changed = true;
    json(&ReclaimEnterpriseMultiAccountCouponResponse {
        real_retrieve_amout: Some(amount.to_string()),
        ..Default::default()
    })
}
