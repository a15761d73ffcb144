//! Resellers (indirect partners, 云经销商) of a distributor partner: listing them, moving money to
//! and from their accounts, and allocating coupon quota to them out of the partner's own quotas
//! (and reclaiming what they have not used). Money moves between accounts, never appears: the
//! partner's and its resellers' balances add up to the same total, and so do a quota's balance
//! and the balances of the quotas allocated from it.

use hcpartner::generated::models::*;
use rust_decimal::Decimal;
use serde_json::Value;

use super::customers::time_filter;
use super::{json, wanted, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::{IssuedQuota, QuotaRecord, Reseller, ResellerTransfer};
use crate::util::utc;

fn no_reseller(id: &str) -> ApiError {
    ApiError::new(
        400,
        "CBC.99000037",
        format!("You have no permission on reseller {id}."),
    )
}

fn reseller<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a Reseller> {
    ctx.st
        .resellers
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| no_reseller(id))
}

fn insufficient(who: &str, have: Decimal, want: Decimal) -> ApiError {
    ApiError::new(
        400,
        "CBC.99005003",
        format!("The balance is insufficient: {who} has {have}, {want} was requested."),
    )
}

pub fn list(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListIndirectPartnersRequest = ctx.p.req()?;
    let begin = time_filter(ctx, "associated_on_begin")?;
    let end = time_filter(ctx, "associated_on_end")?;
    let items = ctx
        .st
        .resellers
        .iter()
        .filter(|r| wanted(&req.account_name, &r.account_name))
        .filter(|r| wanted(&req.indirect_partner_id, &r.id))
        .filter(|r| {
            begin.is_none_or(|b| r.associated_on >= b) && end.is_none_or(|e| r.associated_on <= e)
        })
        .map(|r| IndirectPartnerInfo {
            indirect_partner_id: Some(r.id.clone()),
            mobile_phone: Some(r.mobile.clone()),
            email: Some(r.email.clone()),
            account_name: Some(r.account_name.clone()),
            name: Some(r.name.clone()),
            associated_on: Some(utc(r.associated_on)),
            ..Default::default()
        })
        .collect();
    json(&ListIndirectPartnersResponse {
        indirect_partners: Some(items),
        ..Default::default()
    })
}

/// Moves `amount` between the partner (`to_reseller`) and a reseller, keeping the total.
fn transfer(ctx: &mut Ctx<'_>, id: &str, amount: Decimal, to_reseller: bool) -> ApiResult<String> {
    let have = reseller(ctx, id)?.balance;
    let before = ctx.st.funds_total();
    if to_reseller && ctx.st.partner.balance < amount {
        return Err(insufficient(
            "the partner account",
            ctx.st.partner.balance,
            amount,
        ));
    }
    if !to_reseller && have < amount {
        return Err(insufficient(&format!("reseller {id}"), have, amount));
    }
    let signed = if to_reseller { amount } else { -amount };
    ctx.st.partner.balance -= signed;
    if let Some(r) = ctx.st.resellers.iter_mut().find(|r| r.id == id) {
        r.balance += signed;
    }
    debug_assert_eq!(before, ctx.st.funds_total());
    let trans_id = ctx.st.next_id(if to_reseller {
        "TRANS-RS-ADJ-"
    } else {
        "TRANS-RS-RCL-"
    });
    ctx.st.reseller_transfers.push(ResellerTransfer {
        trans_id: trans_id.clone(),
        reseller_id: id.to_owned(),
        operation_type: if to_reseller { "1" } else { "2" }.to_owned(),
        amount,
        time: ctx.now,
    });
    ctx.changed = true;
    Ok(trans_id)
}

pub fn fund(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: UpdateIndirectPartnerAccountRequest = ctx.p.req()?;
    let id = transfer(ctx, &req.indirect_partner_id, req.amount, true)?;
    json(&UpdateIndirectPartnerAccountResponse {
        transfer_id: Some(id),
        ..Default::default()
    })
}

pub fn reclaim(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ReclaimIndirectPartnerAccountRequest = ctx.p.req()?;
    let id = transfer(ctx, &req.indirect_partner_id, req.amount, false)?;
    json(&ReclaimIndirectPartnerAccountResponse {
        trans_id: Some(id),
        ..Default::default()
    })
}

fn error_detail(code: &str, msg: String, id: &str) -> ErrorDetail {
    ErrorDetail {
        error_code: Some(code.to_owned()),
        error_msg: Some(msg),
        id: Some(id.to_owned()),
        ..Default::default()
    }
}

/// update_coupon_quotas: `quota_amount` of the partner's quota to each named reseller, each as a
/// new quota of its own; a reseller that cannot have it is reported in `error_details`.
pub fn allocate_quota(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: UpdateCouponQuotasRequest = ctx.p.req()?;
    let now = ctx.now;
    let parent = ctx
        .st
        .quotas
        .iter()
        .find(|q| q.quota_id == req.quota_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                400,
                "CBC.99000012",
                format!("The coupon quota {} does not exist.", req.quota_id),
            )
        })?;
    if now > parent.expire_time || parent.quota_status != 0 {
        return Err(ApiError::new(
            400,
            "CBC.99000017",
            format!(
                "The coupon quota {} is not effective or has expired.",
                req.quota_id
            ),
        ));
    }
    let (mut errors, mut infos) = (Vec::new(), Vec::new());
    for id in &req.indirect_partner_ids {
        if reseller(ctx, id).is_err() {
            errors.push(error_detail(
                "CBC.99000037",
                format!("You have no permission on reseller {id}."),
                id,
            ));
            continue;
        }
        let Some(q) = ctx
            .st
            .quotas
            .iter_mut()
            .find(|q| q.quota_id == req.quota_id)
        else {
            continue;
        };
        if q.balance < req.quota_amount {
            let msg = format!("The coupon quota balance {} is insufficient.", q.balance);
            errors.push(error_detail("CBC.99000013", msg, id));
            continue;
        }
        q.balance -= req.quota_amount;
        q.last_update_time = now;
        let quota_id = ctx.st.next_id("QUOTA-RS-");
        ctx.st.issued_quotas.push(IssuedQuota {
            quota_id: quota_id.clone(),
            parent_quota_id: req.quota_id.clone(),
            reseller_id: id.clone(),
            quota_value: req.quota_amount,
            balance: req.quota_amount,
            quota_status: 0,
            create_time: now,
            last_update_time: now,
            effective_time: parent.effective_time.max(now),
            expire_time: parent.expire_time,
        });
        let record_id = ctx.st.next_id("QREC-");
        ctx.st.quota_records.push(QuotaRecord {
            id: record_id,
            operation_type: "1".to_owned(),
            quota_id: quota_id.clone(),
            parent_quota_id: req.quota_id.clone(),
            reseller_id: id.clone(),
            amount: req.quota_amount,
            time: now,
            remark: String::new(),
        });
        infos.push(QuotaSimpleInfo {
            id: Some(id.clone()),
            quota_id: Some(quota_id),
            ..Default::default()
        });
        ctx.changed = true;
    }
    json(&UpdateCouponQuotasResponse {
        error_details: Some(errors),
        simple_quota_infos: Some(infos),
        ..Default::default()
    })
}

/// reclaim_coupon_quotas: what is left of each named reseller quota goes back to its parent.
pub fn reclaim_quotas(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ReclaimCouponQuotasRequest = ctx.p.req()?;
    let now = ctx.now;
    let (mut errors, mut infos) = (Vec::new(), Vec::new());
    for qid in &req.quota_ids {
        let Some(idx) = ctx
            .st
            .issued_quotas
            .iter()
            .position(|q| &q.quota_id == qid && q.quota_status == 0)
        else {
            let msg = format!("The coupon quota {qid} does not exist or was reclaimed.");
            errors.push(error_detail("CBC.99000012", msg, qid));
            continue;
        };
        let (amount, parent_id, reseller_id) = {
            let q = &mut ctx.st.issued_quotas[idx];
            let amount = q.balance;
            q.balance = Decimal::ZERO;
            q.quota_status = 2;
            q.last_update_time = now;
            (amount, q.parent_quota_id.clone(), q.reseller_id.clone())
        };
        if let Some(p) = ctx.st.quotas.iter_mut().find(|p| p.quota_id == parent_id) {
            p.balance += amount;
            p.last_update_time = now;
        }
        let record_id = ctx.st.next_id("QREC-");
        ctx.st.quota_records.push(QuotaRecord {
            id: record_id,
            operation_type: "2".to_owned(),
            quota_id: qid.clone(),
            parent_quota_id: parent_id,
            reseller_id,
            amount,
            time: now,
            remark: req.remark.clone().unwrap_or_default(),
        });
        infos.push(QuotaReclaim {
            quota_id: Some(qid.clone()),
            quota_balance: Some(amount),
            ..Default::default()
        });
        ctx.changed = true;
    }
    json(&ReclaimCouponQuotasResponse {
        error_details: Some(errors),
        simple_quota_infos: Some(infos),
        ..Default::default()
    })
}

fn reseller_names(ctx: &Ctx<'_>, id: &str) -> (Option<String>, Option<String>) {
    ctx.st
        .resellers
        .iter()
        .find(|r| r.id == id)
        .map_or((None, None), |r| {
            (Some(r.account_name.clone()), Some(r.name.clone()))
        })
}

pub fn issued_quotas(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListIssuedCouponQuotasRequest = ctx.p.req()?;
    let items = ctx
        .st
        .issued_quotas
        .iter()
        .filter(|q| wanted(&req.quota_id, &q.quota_id))
        .filter(|q| wanted(&req.indirect_partner_id, &q.reseller_id))
        .filter(|q| wanted(&req.parent_quota_id, &q.parent_quota_id))
        .map(|q| {
            let (account, name) = reseller_names(ctx, &q.reseller_id);
            IssuedCouponQuota {
                quota_id: Some(q.quota_id.clone()),
                quota_type: Some(0),
                create_time: Some(utc(q.create_time)),
                last_update_time: Some(utc(q.last_update_time)),
                quota_value: Some(q.quota_value),
                quota_status: Some(q.quota_status),
                balance: Some(q.balance),
                measure_id: Some(1),
                currency: Some(ctx.currency()),
                effective_time: Some(utc(q.effective_time)),
                expire_time: Some(utc(q.expire_time)),
                indirect_partner_id: Some(q.reseller_id.clone()),
                indirect_partner_account_name: account,
                indirect_partner_name: name,
                parent_quota_id: Some(q.parent_quota_id.clone()),
                ..Default::default()
            }
        })
        .collect();
    json(&ListIssuedCouponQuotasResponse {
        quotas: Some(items),
        ..Default::default()
    })
}

pub fn quota_records(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListCouponQuotasRecordsRequest = ctx.p.req()?;
    let begin = time_filter(ctx, "operation_time_begin")?;
    let end = time_filter(ctx, "operation_time_end")?;
    let items = ctx
        .st
        .quota_records
        .iter()
        .rev()
        .filter(|r| wanted(&req.indirect_partner_id, &r.reseller_id))
        .filter(|r| wanted(&req.quota_id, &r.quota_id))
        .filter(|r| wanted(&req.parent_quota_id, &r.parent_quota_id))
        .filter(|r| wanted(&req.operation_type, &r.operation_type))
        .filter(|r| begin.is_none_or(|b| r.time >= b) && end.is_none_or(|e| r.time <= e))
        .map(|r| {
            let (account, name) = reseller_names(ctx, &r.reseller_id);
            QuotaRecord_ {
                id: Some(r.id.clone()),
                operator: Some(ctx.st.partner.domain_name.clone()),
                operation_type: Some(r.operation_type.clone()),
                quota_id: Some(r.quota_id.clone()),
                parent_quota_id: Some(r.parent_quota_id.clone()),
                amount: Some(r.amount),
                operation_time: Some(utc(r.time)),
                result: Some("SUCCESS".to_owned()),
                indirect_partner_account_name: account,
                indirect_partner_id: Some(r.reseller_id.clone()),
                indirect_partner_name: name,
                remark: Some(r.remark.clone()),
                ..Default::default()
            }
        })
        .collect();
    json(&ListCouponQuotasRecordsResponse {
        records: Some(items),
        ..Default::default()
    })
}

/// The generated `QuotaRecord` model, named apart from the emulator's own state record.
type QuotaRecord_ = hcpartner::generated::models::QuotaRecord;
