//! Business logic per operation. Each handler runs with the state locked, validates before it
//! changes anything, sets `ctx.changed` when it does, and returns the JSON response (list
//! handlers return every matching item; the dispatcher applies offset/limit and the total).

mod accounts;
mod bills;
mod coupons;
mod customers;
mod orders;
mod pricing;
mod realname;
mod resources;

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

    /// The emulator's partner has no resellers: any `indirect_partner_id` is refused.
    pub fn no_indirect_partner(&self) -> ApiResult<()> {
        match self.p.str("indirect_partner_id")? {
            Some(id) => Err(ApiError::new(
                400,
                "CBC.99000037",
                format!("You have no permission on reseller {id}."),
            )),
            None => Ok(()),
        }
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

pub(crate) type Handler = fn(&mut Ctx<'_>) -> ApiResult<Value>;

/// Every modelled BSS operation and its handler (IAM token operations live in `crate::iam`).
pub(crate) static HANDLERS: &[(&str, Handler)] = &[
    ("create_sub_customer", customers::create_sub_customer),
    ("list_sub_customers", customers::list_sub_customers),
    ("check_user_identity", customers::check_user_identity),
    (
        "send_verification_message_code",
        customers::send_verification_message_code,
    ),
    (
        "list_sub_customer_new_tag",
        customers::list_sub_customer_new_tag,
    ),
    ("create_personal_realname_auth", realname::create_personal),
    (
        "create_enterprise_realname_authentication",
        realname::create_enterprise,
    ),
    (
        "change_enterprise_realname_authentication",
        realname::change_enterprise,
    ),
    (
        "show_realname_authentication_review_result",
        realname::review_result,
    ),
    ("show_real_name_auth_status", realname::status),
    ("update_customer_account_amount", accounts::adjust),
    ("reclaim_to_partner_account", accounts::reclaim),
    ("list_customers_balances_detail", accounts::balances_detail),
    ("list_partner_balances", accounts::partner_balances),
    (
        "list_partner_account_change_records",
        accounts::partner_change_records,
    ),
    ("list_partner_adjust_records", accounts::adjust_records),
    (
        "show_customer_account_balances",
        accounts::customer_balances,
    ),
    ("create_partner_coupons", coupons::create),
    ("reclaim_partner_coupons", coupons::reclaim),
    ("list_issued_partner_coupons", coupons::list_issued),
    ("list_partner_coupons_record", coupons::records),
    ("list_quota_coupons", coupons::quotas),
    ("list_sub_customer_coupons", coupons::customer_coupons),
    ("list_order_coupons_by_order_id", coupons::order_coupons),
    (
        "list_sub_customer_bill_detail",
        bills::sub_customer_bill_detail,
    ),
    (
        "list_subcustomer_monthly_bills",
        bills::subcustomer_monthly_bills,
    ),
    ("list_consume_sub_customers", bills::consume_sub_customers),
    ("show_customer_monthly_sum", bills::customer_monthly_sum),
    (
        "list_customer_bills_fee_records",
        bills::customer_fee_records,
    ),
    ("list_customer_orders", orders::list),
    ("show_customer_order_details", orders::details),
    ("pay_orders", orders::pay),
    ("cancel_customer_order", orders::cancel),
    ("show_refund_order_details", orders::refund_details),
    ("list_order_discounts", orders::discounts),
    ("list_pay_per_use_customer_resources", resources::list),
    ("renewal_resources", resources::renew),
    ("auto_renewal_resources", resources::auto_renew),
    (
        "cancel_auto_renewal_resources",
        resources::cancel_auto_renew,
    ),
    ("cancel_resources_subscription", resources::unsubscribe),
    ("set_resources_renew_config", resources::renew_config),
    ("list_customer_on_demand_resources", resources::on_demand),
    ("list_service_types", pricing::service_types),
    ("list_resource_types", pricing::resource_types),
    ("list_service_resources", pricing::service_resources),
    ("list_usage_types", pricing::usage_types),
    ("list_measure_units", pricing::measure_units),
    ("list_conversions", pricing::conversions),
    (
        "list_on_demand_resource_ratings",
        pricing::on_demand_ratings,
    ),
    ("list_rate_on_period_detail", pricing::period_rating),
    ("list_renew_rate_on_period", pricing::renew_rating),
    ("list_provinces", pricing::provinces),
    ("list_cities", pricing::cities),
    ("list_counties", pricing::counties),
];

/// The handler of a BSS operation, when the emulator models it.
pub(crate) fn handler(op: &str) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, h)| *h)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_handler_is_an_operation_of_the_table() {
        for (name, _) in super::HANDLERS {
            let op = hcpartner::generated::find_operation(name)
                .unwrap_or_else(|| panic!("{name} is not in the operation table"));
            assert_eq!(op.service, hcpartner::operation::Service::Bss, "{name}");
        }
        let mut names: Vec<_> = super::HANDLERS.iter().map(|(n, _)| n).collect();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            super::HANDLERS.len(),
            "a handler is registered twice"
        );
    }
}
