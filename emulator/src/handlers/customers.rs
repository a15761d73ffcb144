//! Customer management: create_sub_customer, list_sub_customers, check_user_identity,
//! send_verification_message_code, list_sub_customer_new_tag.

use serde_json::{json, Value};

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::state::{Customer, VerificationCode, CONSULTING, RESALE};
use crate::util::{hex_id, utc};

/// The code every emulated SMS carries.
pub const VERIFICATION_CODE: &str = "123456";
const CODE_VALIDITY_S: i64 = 10 * 60;

pub(crate) fn valid_domain_name(s: &str) -> bool {
    (6..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn valid_mobile(s: &str) -> bool {
    s.len() == 11 && s.starts_with('1') && s.chars().all(|c| c.is_ascii_digit())
}

pub fn create_sub_customer(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let xaccount_id = p.req_str("xaccount_id")?;
    let xaccount_type = p.req_str("xaccount_type")?;
    if xaccount_type != ctx.st.partner.xaccount_type {
        return Err(ApiError::param(
            "xaccount_type",
            format!(
                "is not the platform id Huawei assigned to this partner ({})",
                ctx.st.partner.xaccount_type
            ),
        ));
    }
    let association = match p.str("cooperation_type")?.as_deref() {
        None | Some("0") | Some("2") => RESALE,
        Some("1") => CONSULTING,
        Some(_) => {
            return Err(ApiError::param(
                "cooperation_type",
                "must be \"1\" (consulting sale) or omitted (resale)",
            ))
        }
    };
    let own = ctx.st.partner.domain_id.clone();
    if ctx
        .st
        .customers
        .iter()
        .any(|c| c.owner == own && c.xaccount_type == xaccount_type && c.xaccount_id == xaccount_id)
    {
        return Err(ApiError::new(
            400,
            "CBC.99000039",
            format!("The xaccount_id {xaccount_id} is already used on platform {xaccount_type}."),
        ));
    }
    let name = match p.str("domain_name")? {
        Some(n) => {
            if !valid_domain_name(&n) {
                return Err(ApiError::new(
                    400,
                    "CBC.99000031",
                    "The account name must be 6-32 letters, digits, '_' or '-', and must not start with a digit.",
                ));
            }
            if ctx
                .st
                .customers
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&n))
            {
                return Err(ApiError::new(
                    400,
                    "CBC.99000038",
                    format!("The account name {n} already exists."),
                ));
            }
            n
        }
        None => format!("hcp_{}", hex_id(6)),
    };
    if let Some(pw) = p.str("password")? {
        crate::issued::record(&pw);
        if pw.chars().count() < 8 {
            return Err(ApiError::new(
                400,
                "CBC.99000036",
                "The password must have at least 8 characters.",
            ));
        }
    }
    let mobile = p.str("mobile_phone")?;
    if let Some(m) = &mobile {
        if !valid_mobile(m) {
            return Err(ApiError::new(
                400,
                "CBC.5017",
                "The mobile number format is invalid.",
            ));
        }
        if ctx
            .st
            .customers
            .iter()
            .any(|c| c.mobile.as_deref() == Some(m.as_str()))
        {
            return Err(ApiError::new(
                400,
                "CBC.99000029",
                "The mobile number is already registered.",
            ));
        }
        let code = p
            .str("verification_code")?
            .ok_or_else(|| ApiError::param("verification_code", "is required with mobile_phone"))?;
        let sent = ctx
            .st
            .verification_codes
            .iter()
            .rev()
            .find(|v| &v.target == m);
        match sent {
            None => {
                return Err(ApiError::new(
                    400,
                    "CBC.99004010",
                    "The verification code is wrong.",
                ))
            }
            Some(v) if ctx.now - v.sent_at > CODE_VALIDITY_S => {
                return Err(ApiError::new(
                    400,
                    "CBC.99004008",
                    "The verification code has expired.",
                ))
            }
            Some(v) if v.code != code => {
                return Err(ApiError::new(
                    400,
                    "CBC.99004010",
                    "The verification code is wrong.",
                ))
            }
            Some(_) => {}
        }
    }
    let id = hex_id(16);
    ctx.st.customers.push(Customer {
        id: id.clone(),
        name: name.clone(),
        owner: own,
        association_type: association.to_owned(),
        xaccount_id,
        xaccount_type,
        customer_level: "V0".to_owned(),
        label: None,
        mobile,
        email: p.str("email")?,
        password: p.str("password")?,
        is_frozen: 0,
        freeze_type: None,
        associated_on: ctx.now,
        balance: Default::default(),
        debt: Default::default(),
        agency: association == RESALE,
        realname: None,
        realname_attempts: 0,
    });
    ctx.changed = true;
    Ok(json!({"domain_id": id, "domain_name": name}))
}

fn info(c: &Customer, now: i64) -> Value {
    json!({
        "customer": c.realname.as_ref().filter(|r| r.review_result(now) == 2).map_or(c.name.as_str(), |r| r.name.as_str()),
        "account_name": c.name,
        "customer_id": c.id,
        "associated_on": utc(c.associated_on),
        "association_type": c.association_type,
        "label": c.label,
        "telephone": c.mobile,
        "verified_status": c.verified_status(now).to_string(),
        "country_code": "CN",
        "customer_type": c.customer_type(now),
        "is_frozen": c.is_frozen,
        "account_managers": [],
        "xaccount_id": c.xaccount_id,
        "xaccount_type": c.xaccount_type,
        "customer_level": c.customer_level,
        "email": c.email,
    })
}

pub fn list_sub_customers(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let p = ctx.p;
    let account_name = p.str("account_name")?;
    let fuzzy = p.str("customer")?.map(|s| s.to_lowercase());
    let label = p.str("label")?;
    let assoc = p.str("association_type")?;
    if assoc
        .as_deref()
        .is_some_and(|a| a != RESALE && a != CONSULTING)
    {
        return Err(ApiError::param(
            "association_type",
            "must be \"1\" or \"2\"",
        ));
    }
    let begin = time_filter(ctx, "associated_on_begin")?;
    let end = time_filter(ctx, "associated_on_end")?;
    let customer_id = p.str("customer_id")?;
    let own = &ctx.st.partner.domain_id;
    let mut list: Vec<&Customer> = ctx
        .st
        .customers
        .iter()
        .filter(|c| &c.owner == own)
        .filter(|c| account_name.as_ref().is_none_or(|n| &c.name == n))
        .filter(|c| {
            fuzzy
                .as_ref()
                .is_none_or(|f| c.name.to_lowercase().contains(f))
        })
        .filter(|c| label.as_ref().is_none_or(|l| c.label.as_ref() == Some(l)))
        .filter(|c| assoc.as_ref().is_none_or(|a| &c.association_type == a))
        .filter(|c| {
            begin.is_none_or(|b| c.associated_on >= b) && end.is_none_or(|e| c.associated_on <= e)
        })
        .filter(|c| customer_id.as_ref().is_none_or(|id| &c.id == id))
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.associated_on));
    let items: Vec<Value> = list.into_iter().map(|c| info(c, ctx.now)).collect();
    Ok(json!({"customer_infos": items}))
}

/// An optional UTC timestamp filter.
pub(crate) fn time_filter(ctx: &Ctx<'_>, name: &str) -> ApiResult<Option<i64>> {
    match ctx.p.str(name)? {
        None => Ok(None),
        Some(s) => crate::util::parse_utc(&s)
            .map(Some)
            .ok_or_else(|| ApiError::param(name, "must be a UTC time like 2019-05-06T08:05:01Z")),
    }
}

pub fn check_user_identity(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let kind = ctx.p.req_str("search_type")?;
    let value = ctx.p.req_str("search_value")?;
    let used = match kind.as_str() {
        "email" => ctx.st.customers.iter().any(|c| {
            c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&value))
        }),
        "mobile" => ctx
            .st
            .customers
            .iter()
            .any(|c| c.mobile.as_deref() == Some(value.as_str())),
        "name" => ctx
            .st
            .customers
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(&value)),
        _ => {
            return Err(ApiError::param(
                "search_type",
                "must be \"email\", \"mobile\" or \"name\"",
            ))
        }
    };
    let mut out = json!({"check_result": if used { "used_by_user" } else { "available" }});
    if kind == "mobile" {
        let n = ctx
            .st
            .customers
            .iter()
            .filter(|c| c.mobile.as_deref() == Some(value.as_str()))
            .count() as i64;
        out["mobile_remain_available_num"] = json!((5 - n).max(0));
    }
    Ok(out)
}

pub fn send_verification_message_code(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let receiver = ctx
        .p
        .int("receiver_type")?
        .ok_or_else(|| ApiError::param("receiver_type", "is required"))?;
    let target = match receiver {
        1 => {
            let m = ctx.p.req_str("mobile_phone")?;
            if !valid_mobile(&m) {
                return Err(ApiError::new(
                    400,
                    "CBC.5017",
                    "The mobile number format is invalid.",
                ));
            }
            m
        }
        2 => ctx
            .p
            .str("email")?
            .or(ctx.p.str("mobile_phone")?)
            .ok_or_else(|| ApiError::param("email", "is required"))?,
        _ => {
            return Err(ApiError::param(
                "receiver_type",
                "must be 1 (mobile) or 2 (email)",
            ))
        }
    };
    let now = ctx.now;
    let sent_last_hour = ctx
        .st
        .verification_codes
        .iter()
        .filter(|v| v.target == target && now - v.sent_at < 3600)
        .count();
    if sent_last_hour >= 15 {
        return Err(ApiError::new(
            400,
            "CBC.99004015",
            "Verification codes are limited to 15 per hour and 60 per day.",
        ));
    }
    ctx.st
        .verification_codes
        .retain(|v| now - v.sent_at < 86_400);
    ctx.st.verification_codes.push(VerificationCode {
        target,
        code: VERIFICATION_CODE.to_owned(),
        sent_at: now,
    });
    ctx.changed = true;
    Ok(json!({}))
}

pub fn list_sub_customer_new_tag(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let ids = ctx.p.str_list("customer_ids")?;
    let own = &ctx.st.partner.domain_id;
    let tags: Vec<Value> = ctx
        .st
        .customers
        .iter()
        .filter(|c| &c.owner == own && ids.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .map(|c| {
            let new = ctx.now - c.associated_on < 90 * 86_400;
            json!({
                "customer_id": c.id,
                "customer_tag_type": "1",
                "new_customer_tag": if new { "1" } else { "0" },
                "effective_time": utc(c.associated_on),
                "expire_time": utc(c.associated_on + 90 * 86_400),
            })
        })
        .collect();
    Ok(json!({"new_customer_tags": tags}))
}
