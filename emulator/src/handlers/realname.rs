//! Real-name authentication of customers: individual and enterprise applications, the change
//! from individual to enterprise, the review result, and the customer's own status.
//!
//! Emulator rule: the review completes `review_delay` after the application (immediately by
//! default); a `verified_number` ending in `0000` is rejected, anything else is approved.

use serde_json::{json, Value};

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::RealName;

const MAX_ATTEMPTS: usize = 3;

fn apply(
    ctx: &mut Ctx<'_>,
    verified_type: i64,
    name_field: &str,
    identify_types: &[i64],
    change: bool,
) -> ApiResult<Value> {
    let p = ctx.p;
    let customer_id = p.req_str("customer_id")?;
    let xaccount_type = p.req_str("xaccount_type")?;
    if xaccount_type != ctx.st.partner.xaccount_type {
        return Err(ApiError::param(
            "xaccount_type",
            format!(
                "is not this partner's platform id ({})",
                ctx.st.partner.xaccount_type
            ),
        ));
    }
    let identify = p
        .int("identify_type")?
        .ok_or_else(|| ApiError::param("identify_type", "is required"))?;
    if !identify_types.contains(&identify) {
        return Err(ApiError::param(
            "identify_type",
            format!("must be one of {identify_types:?}"),
        ));
    }
    let name = p.req_str(name_field)?;
    let number = p.req_str("verified_number")?;
    if change && p.int("change_type")? != Some(1) {
        return Err(ApiError::param(
            "change_type",
            "must be 1 (individual to enterprise)",
        ));
    }
    let now = ctx.now;
    let delay = ctx.opts.review_delay.as_secs() as i64;
    let c = ctx.st.own_customer_mut(&customer_id)?;
    let attempts = c.realname_attempts;
    match (&c.realname, change) {
        (Some(r), false) if r.review_result(now) != 1 => {
            return Err(ApiError::new(
                400,
                "CBC.99007188",
                "The customer is already verified or its verification is under review.",
            ))
        }
        (Some(r), true) if !(r.review_result(now) == 2 && r.verified_type == 0) => {
            return Err(ApiError::new(
                400,
                "CBC.99007004",
                "Only a customer verified as an individual can change to enterprise verification.",
            ))
        }
        (None, true) => {
            return Err(ApiError::new(
                400,
                "CBC.99007004",
                "The customer has no real-name verification to change.",
            ))
        }
        _ => {}
    }
    if attempts >= MAX_ATTEMPTS {
        return Err(ApiError::new(
            400,
            "CBC.99007191",
            "The customer has used up its real-name authentication attempts.",
        ));
    }
    let rejected = number.ends_with("0000");
    c.realname = Some(RealName {
        verified_type,
        name,
        verified_number: number,
        applied_at: now,
        decided_at: now + delay,
        decision: if rejected { 1 } else { 2 },
        opinion: rejected.then(|| "The certificate number could not be verified.".to_owned()),
    });
    c.realname_attempts += 1;
    ctx.changed = true;
    Ok(json!({"is_review": i64::from(delay > 0)}))
}

pub fn create_personal(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    apply(ctx, 0, "name", &[0, 4], false)
}

pub fn create_enterprise(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    apply(ctx, 1, "corp_name", &[1], false)
}

pub fn change_enterprise(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    apply(ctx, 1, "corp_name", &[1], true)
}

pub fn review_result(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let id = ctx.p.req_str("customer_id")?;
    let c = ctx.st.own_customer(&id)?;
    Ok(match &c.realname {
        None => json!({}),
        Some(r) => {
            let result = r.review_result(ctx.now);
            let mut v = json!({"review_result": result});
            if result == 1 {
                v["opinion"] = json!(r.opinion);
            }
            v
        }
    })
}

pub fn status(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let c = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .ok_or_else(|| ApiError::new(400, "CBC.99007000", "Customer not found."))?;
    let status = c.verified_status(ctx.now);
    Ok(match &c.realname {
        None => json!({"verified_status": status}),
        Some(r) => json!({"verified_status": status, "verified_type": r.verified_type}),
    })
}

/// show_real_name_auth_qr_code: the customer's own QR code for individual real-name
/// authentication. Here the code leads to `/_emulator/realname-qrcode/{customer_id}`, which tells
/// where the customer's review stands. A customer verified or under review has none.
pub fn qr_code(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let me = ctx.me()?;
    let status = ctx
        .st
        .customers
        .iter()
        .find(|c| c.id == me)
        .map_or(-1, |c| c.verified_status(ctx.now));
    if status == 0 || status == 2 {
        return Err(ApiError::new(
            400,
            "CBC.99007188",
            "The customer is already verified or its verification is under review.",
        ));
    }
    super::json(
        &hcpartner::generated::models::ShowRealNameAuthQrCodeResponse {
            qr_code_url: Some(format!(
                "http://{}/_emulator/realname-qrcode/{me}",
                ctx.host
            )),
            ..Default::default()
        },
    )
}
