//! Business logic per operation. Each handler runs with the state locked and its params already
//! checked against the operation table, validates what is left before it changes anything, sets
//! `ctx.changed` when it does, and returns the JSON response. A paginated read returns every
//! matching item; the shared list helper (`crate::params::paginate`) cuts the page and sets the
//! total or the next marker. Newer handlers read the generated request struct
//! (`ctx.p.req::<XRequest>()`) and build the generated response struct ([`json`]).
//!
//! [`HANDLERS`] registers every BSS operation with what the dispatcher does for it before the
//! handler runs (see [`Resellers`]).

mod accounts;
mod benefits;
mod bills;
mod coupons;
mod customers;
mod enterprise;
mod intl;
mod orders;
mod pricing;
mod realname;
mod resellers;
mod resources;
mod specs;
mod usage;

use serde::Serialize;
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::state::{Customer, State, CONSULTING};
use crate::Options;

/// What a handler sees.
pub(crate) struct Ctx<'a> {
    pub st: &'a mut State,
    pub p: &'a Params,
    pub who: &'a Principal,
    /// The emulator's clock, epoch seconds.
    pub now: i64,
    pub opts: &'a Options,
    /// The `Host` the request came to (for URLs the emulator hands out).
    pub host: String,
    /// Set by handlers that changed the state (persisted afterwards).
    pub changed: bool,
}

impl Ctx<'_> {
    /// The customer a customer token acts for; `None` for the partner.
    pub fn acting_customer(&self) -> Option<&str> {
        match self.who {
            Principal::Customer(id) => Some(id),
            Principal::Partner => None,
        }
    }

    /// The customer of a customer-only operation.
    pub fn me(&self) -> ApiResult<String> {
        self.acting_customer().map(str::to_owned).ok_or_else(|| {
            ApiError::denied("Only the customer's own credentials may call this API.")
        })
    }

    /// The partner's accounts' currency (CNY on the China site, USD on the international one).
    pub fn currency(&self) -> String {
        self.st.partner.currency.clone()
    }

    /// A resale (代售) customer of this partner, for funding and coupon APIs.
    pub fn resale_customer(&self, id: &str) -> ApiResult<&Customer> {
        let c = self.st.own_customer(id)?;
        if c.association_type == CONSULTING {
            return Err(consulting_refused(id));
        }
        Ok(c)
    }

    /// Customers visible to the caller: all own customers for the partner, itself for a customer.
    pub fn visible_customer_ids(&self) -> Vec<String> {
        match self.who {
            Principal::Customer(id) => vec![id.clone()],
            Principal::Partner => {
                let own = &self.st.partner.domain_id;
                self.st
                    .customers
                    .iter()
                    .filter(|c| &c.owner == own)
                    .map(|c| c.id.clone())
                    .collect()
            }
        }
    }

    /// The `customer_id` filter of a read: checked to be visible; `None` means every visible customer.
    pub fn customer_filter(&self) -> ApiResult<Option<String>> {
        let Some(id) = self.p.str("customer_id")? else {
            return Ok(match self.who {
                Principal::Customer(id) => Some(id.clone()),
                Principal::Partner => None,
            });
        };
        match self.who {
            Principal::Customer(me) if *me != id => {
                Err(ApiError::denied("A customer can only see its own data."))
            }
            Principal::Customer(_) => Ok(Some(id)),
            Principal::Partner => self.st.own_customer(&id).map(|c| Some(c.id.clone())),
        }
    }
}

/// CBC.5024: the API cannot be used for a consulting-sales (顾问销售) customer.
pub(crate) fn consulting_refused(id: &str) -> ApiError {
    ApiError::new(
        400,
        "CBC.5024",
        format!("Customer {id} is associated in consulting-sales mode (association_type 1): the partner cannot fund it, reclaim from it or issue coupons to it."),
    )
}

/// Whether an optional filter of a read lets `have` through (no filter lets everything through).
pub(crate) fn wanted(want: &Option<String>, have: &str) -> bool {
    want.as_deref().is_none_or(|w| w == have)
}

/// A typed response (a generated model) as the JSON answer.
pub(crate) fn json<T: Serialize>(v: &T) -> ApiResult<Value> {
    serde_json::to_value(v).map_err(|e| {
        ApiError::new(
            500,
            "EMULATOR.0500",
            format!("could not encode the answer: {e}"),
        )
    })
}

/// Keeps the fields of `model` (from the client's model table) of an object, for a projection
/// shared by two response models that differ in a few fields (a partner's and a customer's view
/// of the same coupon).
pub(crate) fn fit(model: &str, v: Value) -> Value {
    match (hcpartner::generated::find_model(model), v) {
        (Some(m), Value::Object(mut obj)) => {
            obj.retain(|k, _| m.fields.iter().any(|f| f.name == k));
            Value::Object(obj)
        }
        (_, other) => other,
    }
}

pub(crate) type Handler = fn(&mut Ctx<'_>) -> ApiResult<Value>;

/// What an operation does with `indirect_partner_id`, checked before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resellers {
    /// It takes none, or its handler reads it.
    Own,
    /// It would act on a reseller's customers, which the emulator does not model: the id of the
    /// partner's reseller answers 501 EMULATOR.0501, any other id CBC.99000037.
    Unmodelled,
}

/// One registered BSS operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reg {
    pub op: &'static str,
    pub run: Handler,
    pub resellers: Resellers,
}

const fn reg(op: &'static str, run: Handler) -> Reg {
    Reg {
        op,
        run,
        resellers: Resellers::Own,
    }
}

/// An operation that may name a reseller whose customers it would act on.
const fn reg_r(op: &'static str, run: Handler) -> Reg {
    Reg {
        op,
        run,
        resellers: Resellers::Unmodelled,
    }
}

/// Refuses an `indirect_partner_id` the operation cannot serve.
pub(crate) fn check_resellers(reg: &Reg, p: &Params, st: &State) -> ApiResult<()> {
    if reg.resellers == Resellers::Own {
        return Ok(());
    }
    match p.str("indirect_partner_id")? {
        None => Ok(()),
        Some(id) if st.resellers.iter().any(|r| r.id == id) => Err(ApiError::new(
            501,
            "EMULATOR.0501",
            format!(
                "{}: the emulator does not model the customers of reseller {id}.",
                reg.op
            ),
        )),
        Some(id) => Err(ApiError::new(
            400,
            "CBC.99000037",
            format!("You have no permission on reseller {id}."),
        )),
    }
}

/// Every modelled BSS operation (IAM operations live in `crate::iam`).
pub(crate) static HANDLERS: &[Reg] = &[
    // customers
    reg_r("create_sub_customer", customers::create_sub_customer),
    reg_r("list_sub_customers", customers::list_sub_customers),
    reg("check_user_identity", customers::check_user_identity),
    reg(
        "send_verification_message_code",
        customers::send_verification_message_code,
    ),
    reg_r(
        "list_sub_customer_new_tag",
        customers::list_sub_customer_new_tag,
    ),
    // realname
    reg("create_personal_realname_auth", realname::create_personal),
    reg(
        "create_enterprise_realname_authentication",
        realname::create_enterprise,
    ),
    reg(
        "change_enterprise_realname_authentication",
        realname::change_enterprise,
    ),
    reg(
        "show_realname_authentication_review_result",
        realname::review_result,
    ),
    reg("show_real_name_auth_status", realname::status),
    reg("show_real_name_auth_qr_code", realname::qr_code),
    // accounts
    reg_r("update_customer_account_amount", accounts::adjust),
    reg_r("reclaim_to_partner_account", accounts::reclaim),
    reg_r("list_customers_balances_detail", accounts::balances_detail),
    reg_r("list_partner_balances", accounts::partner_balances),
    reg_r(
        "list_partner_account_change_records",
        accounts::partner_change_records,
    ),
    reg_r("list_partner_adjust_records", accounts::adjust_records),
    reg(
        "show_customer_account_balances",
        accounts::customer_balances,
    ),
    reg(
        "list_customer_account_change_records",
        benefits::account_change_records,
    ),
    reg("list_stored_value_cards", benefits::stored_value_cards),
    // coupons
    reg_r("create_partner_coupons", coupons::create),
    reg_r("reclaim_partner_coupons", coupons::reclaim),
    reg_r("list_issued_partner_coupons", coupons::list_issued),
    reg_r("list_partner_coupons_record", coupons::records),
    reg_r("list_quota_coupons", coupons::quotas),
    reg_r("list_sub_customer_coupons", coupons::customer_coupons),
    reg("list_order_coupons_by_order_id", coupons::order_coupons),
    reg(
        "list_customer_coupon_change_records",
        benefits::coupon_change_records,
    ),
    // bills
    reg_r(
        "list_sub_customer_bill_detail",
        bills::sub_customer_bill_detail,
    ),
    reg_r(
        "list_subcustomer_monthly_bills",
        bills::subcustomer_monthly_bills,
    ),
    reg("list_consume_sub_customers", bills::consume_sub_customers),
    reg("show_customer_monthly_sum", bills::customer_monthly_sum),
    reg(
        "list_customer_bills_fee_records",
        bills::customer_fee_records,
    ),
    reg(
        "list_customerself_resource_records",
        usage::resource_records,
    ),
    reg(
        "list_customerself_resource_record_details",
        usage::resource_record_details,
    ),
    reg("list_resource_usage", usage::resource_usage),
    reg("list_resource_usage_summary", usage::resource_usage_summary),
    // costs
    reg("list_costs", usage::costs),
    reg(
        "list_customer_bills_monthly_break_down",
        usage::monthly_break_down,
    ),
    // free resources
    reg("list_free_resource_infos", usage::free_resource_infos),
    reg("list_free_resource_usages", usage::free_resource_usages),
    reg(
        "list_free_resources_usage_records",
        usage::free_resources_usage_records,
    ),
    // orders
    reg_r("list_customer_orders", orders::list),
    reg_r("show_customer_order_details", orders::details),
    reg("pay_orders", orders::pay),
    reg("cancel_customer_order", orders::cancel),
    reg_r("show_refund_order_details", orders::refund_details),
    reg("list_order_discounts", orders::discounts),
    // resources
    reg("list_pay_per_use_customer_resources", resources::list),
    reg("renewal_resources", resources::renew),
    reg("auto_renewal_resources", resources::auto_renew),
    reg(
        "cancel_auto_renewal_resources",
        resources::cancel_auto_renew,
    ),
    reg("cancel_resources_subscription", resources::unsubscribe),
    reg("set_resources_renew_config", resources::renew_config),
    reg_r("list_customer_on_demand_resources", resources::on_demand),
    reg("update_period_to_on_demand", resources::to_on_demand),
    reg(
        "update_period_to_on_demand_instantly",
        resources::to_on_demand_instantly,
    ),
    // products and pricing
    reg("list_service_types", pricing::service_types),
    reg("list_resource_types", pricing::resource_types),
    reg("list_service_resources", pricing::service_resources),
    reg("list_usage_types", pricing::usage_types),
    reg("list_measure_units", pricing::measure_units),
    reg("list_conversions", pricing::conversions),
    reg("list_resource_specs", specs::resource_specs),
    reg("list_resource_specs_price", specs::resource_specs_price),
    reg(
        "list_on_demand_resource_ratings",
        pricing::on_demand_ratings,
    ),
    reg("list_rate_on_period_detail", pricing::period_rating),
    reg("list_renew_rate_on_period", pricing::renew_rating),
    reg(
        "list_business_discount_info",
        benefits::business_discount_info,
    ),
    reg(
        "list_incentive_discount_policies",
        benefits::incentive_discount_policies,
    ),
    // system
    reg("list_provinces", pricing::provinces),
    reg("list_cities", pricing::cities),
    reg("list_counties", pricing::counties),
    // indirect partners (resellers)
    reg("list_indirect_partners", resellers::list),
    reg("update_indirect_partner_account", resellers::fund),
    reg("reclaim_indirect_partner_account", resellers::reclaim),
    reg("update_coupon_quotas", resellers::allocate_quota),
    reg("reclaim_coupon_quotas", resellers::reclaim_quotas),
    reg("list_issued_coupon_quotas", resellers::issued_quotas),
    reg("list_coupon_quotas_records", resellers::quota_records),
    // enterprise multi-account
    reg("list_enterprise_organizations", enterprise::organizations),
    reg("list_enterprise_sub_customers", enterprise::sub_customers),
    reg(
        "create_sub_enterprise_account",
        enterprise::create_sub_account,
    ),
    reg("send_sms_verification_code", enterprise::send_sms_code),
    reg("create_enterprise_project_auth", enterprise::project_auth),
    reg(
        "show_multi_account_transfer_amount",
        enterprise::transfer_amount,
    ),
    reg("list_enterprise_multi_account", enterprise::retrieve_amount),
    reg("update_sub_enterprise_amount", enterprise::fund_sub_account),
    reg(
        "reclaim_sub_enterprise_amount",
        enterprise::reclaim_from_sub_account,
    ),
    reg(
        "list_multi_account_transfer_coupons",
        enterprise::transfer_coupons,
    ),
    reg(
        "list_multi_account_retrieve_coupons",
        enterprise::retrieve_coupons,
    ),
    reg(
        "claim_enterprise_multi_account_coupon",
        enterprise::transfer_coupon,
    ),
    reg(
        "reclaim_enterprise_multi_account_coupon",
        enterprise::retrieve_coupon,
    ),
    // the international site only
    reg_r("freeze_sub_customers", intl::freeze),
    reg_r("unfreeze_sub_customers", intl::unfreeze),
    reg_r("show_sub_customer_budget", intl::show_budget),
    reg_r("list_sub_customer_budget", intl::list_budgets),
    reg_r("update_sub_customer_budget", intl::update_budget),
    reg_r("list_sub_customer_budget_records", intl::budget_records),
    reg("show_partner_consumption_quota", intl::consumption_quota),
    reg("show_customer_expenditure_quota", intl::expenditure_quota),
    reg("list_postpaid_bill_sum", intl::postpaid_bill_sum),
    reg("list_invoices", intl::invoices),
];

/// The registration of a BSS operation.
pub(crate) fn registered(op: &str) -> Option<&'static Reg> {
    HANDLERS.iter().find(|r| r.op == op)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_handler_is_an_operation_of_the_table() {
        for name in super::HANDLERS.iter().map(|r| r.op) {
            let op = hcpartner::generated::find_operation(name)
                .unwrap_or_else(|| panic!("{name} is not in the operation table"));
            assert_eq!(op.service, hcpartner::operation::Service::Bss, "{name}");
            // Only an operation that takes `indirect_partner_id` can be refused for it.
            if super::registered(name).is_some_and(|r| r.resellers == super::Resellers::Unmodelled)
            {
                assert!(
                    op.params
                        .iter()
                        .any(|p| p.field.name == "indirect_partner_id"),
                    "{name}"
                );
            }
        }
        let mut names: Vec<_> = super::HANDLERS.iter().map(|r| r.op).collect();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            super::HANDLERS.len(),
            "a handler is registered twice"
        );
    }
}
