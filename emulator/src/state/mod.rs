//! The emulator's world: one partner, its customers, balances, coupons, bills, orders and
//! resources. Money is `rust_decimal::Decimal` throughout; times are epoch seconds.

pub mod catalog;
pub mod seed;

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

pub use seed::seed;

/// Association type 1: consulting sale (顾问销售); the customer pays Huawei directly.
pub const CONSULTING: &str = "1";
/// Association type 2: resale (代售); the partner funds the account.
pub const RESALE: &str = "2";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partner {
    pub domain_id: String,
    pub domain_name: String,
    pub account_id: String,
    pub xaccount_type: String,
    pub balance: Decimal,
    pub currency: String,
    /// International site: the credit Huawei allows the partner (consumption quota).
    #[serde(default)]
    pub consumption_quota: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RealName {
    /// 0 individual, 1 enterprise.
    pub verified_type: i64,
    pub name: String,
    pub verified_number: String,
    pub applied_at: i64,
    /// When the review completes.
    pub decided_at: i64,
    /// 1 rejected, 2 approved (effective from `decided_at`).
    pub decision: i64,
    pub opinion: Option<String>,
}

impl RealName {
    /// 0 under review, 1 rejected, 2 approved.
    pub fn review_result(&self, now: i64) -> i64 {
        if now >= self.decided_at {
            self.decision
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// The owning partner's domain id (seeded customers of other partners exist to be refused).
    pub owner: String,
    pub association_type: String,
    pub xaccount_id: String,
    pub xaccount_type: String,
    pub customer_level: String,
    pub label: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub is_frozen: i64,
    /// How it was frozen (international site: `ACCOUNT` or `ACCOUNT_AND_RESOURCE`).
    #[serde(default)]
    pub freeze_type: Option<String>,
    pub associated_on: i64,
    pub balance: Decimal,
    pub debt: Decimal,
    /// Whether the customer created the partner's agency (resale customers do).
    pub agency: bool,
    pub realname: Option<RealName>,
    /// Real-name applications made so far.
    #[serde(default)]
    pub realname_attempts: usize,
}

impl Customer {
    /// -1 none, 0 under review, 1 rejected, 2 verified.
    pub fn verified_status(&self, now: i64) -> i64 {
        match &self.realname {
            None => -1,
            Some(r) => r.review_result(now),
        }
    }
    /// -1 none, 0 individual, 1 enterprise (only once verified).
    pub fn customer_type(&self, now: i64) -> i64 {
        match &self.realname {
            Some(r) if r.review_result(now) == 2 => r.verified_type,
            _ => -1,
        }
    }
    pub fn is_resale(&self) -> bool {
        self.association_type == RESALE
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quota {
    pub quota_id: String,
    /// 0 cash-coupon (代金券) quota, 1 cash-voucher (现金券) quota.
    pub quota_type: i64,
    pub quota_value: Decimal,
    pub balance: Decimal,
    /// 0 normal, 1 frozen.
    pub quota_status: i64,
    pub create_time: i64,
    pub last_update_time: i64,
    pub effective_time: i64,
    pub expire_time: i64,
    pub min_face_value: Decimal,
    pub max_face_value: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coupon {
    pub coupon_id: String,
    pub customer_id: String,
    pub quota_id: String,
    /// 1 cash coupon (代金券), 2 discount coupon, 4 cash voucher (现金券).
    pub coupon_type: i64,
    pub face_value: Decimal,
    pub balance: Decimal,
    /// 2 unused, 3 used, 4 expired, 5 reclaimed.
    pub status: i64,
    pub create_time: i64,
    pub effective_time: i64,
    pub expire_time: i64,
    pub cloud_service_types: Vec<String>,
    pub memo: Option<String>,
    pub last_used_time: Option<i64>,
    pub used_by_order_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CouponRecord {
    pub id: String,
    /// 1 issued, 2 reclaimed by hand.
    pub operation_type: String,
    pub quota_id: String,
    pub quota_type: i64,
    pub coupon_id: String,
    pub customer_id: String,
    pub operation_amount: Decimal,
    pub operation_time: i64,
    pub result: String,
    pub remark: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    pub trans_id: String,
    pub customer_id: String,
    pub customer_name: String,
    /// 1 allocation to the customer, 2 reclaim from the customer.
    pub operation_type: String,
    pub amount: Decimal,
    pub time: i64,
    pub partner_balance_after: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BillItem {
    pub id: String,
    pub bill_cycle: String,
    pub customer_id: String,
    pub service_type_code: String,
    pub resource_type_code: String,
    pub region_code: String,
    /// 1 yearly/monthly, 3 pay-per-use.
    pub charging_mode: i64,
    /// 1 consumption, 2 refund, 3 adjustment.
    pub bill_type: i64,
    pub resource_id: String,
    pub resource_name: String,
    pub product_spec_desc: String,
    pub trade_time: i64,
    pub official_amount: Decimal,
    pub discount_amount: Decimal,
    pub cash_amount: Decimal,
    pub coupon_amount: Decimal,
    pub debt_amount: Decimal,
    pub usage: Decimal,
    pub usage_measure_id: i64,
}

impl BillItem {
    /// What the customer owes after discounts.
    pub fn payment_amount(&self) -> Decimal {
        self.official_amount - self.discount_amount
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderLine {
    pub line_id: String,
    pub product_id: String,
    pub spec_desc: String,
    pub resource_id: String,
    /// 2 month, 3 year.
    pub period_type: i64,
    pub period_num: i64,
    pub subscription_num: i64,
    pub official_amount: Decimal,
    pub amount: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String,
    pub customer_id: String,
    pub service_type_code: String,
    /// 1 pending review, 3 processing, 4 cancelled, 5 completed, 6 pending payment.
    pub status: i64,
    /// 1 new purchase, 2 renewal, 3 change, 4 unsubscription.
    pub order_type: i64,
    pub official_amount: Decimal,
    pub amount_after_discount: Decimal,
    pub coupon_amount: Decimal,
    pub create_time: i64,
    pub payment_time: Option<i64>,
    pub lines: Vec<OrderLine>,
    /// For unsubscription orders: the order whose resources were given back.
    pub base_order_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    pub resource_id: String,
    pub resource_name: String,
    pub customer_id: String,
    pub region_code: String,
    pub service_type_code: String,
    pub resource_type_code: String,
    pub resource_spec_code: String,
    pub product_id: String,
    pub spec_desc: String,
    pub size: i64,
    pub is_main: bool,
    /// 1 initialising, 2 active, 3 expired, 4 frozen, 5 grace period.
    pub status: i64,
    pub effective_time: i64,
    pub expire_time: i64,
    /// 0 grace period at expiry, 3 renew automatically.
    pub expire_policy: i64,
    /// `period` or `on_demand`.
    pub charging: String,
    pub monthly_price: Decimal,
    pub order_id: String,
    pub deleted: bool,
}

/// An enterprise sub-account under a master customer (enterprise multi-account).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubAccount {
    pub id: String,
    pub name: String,
    pub display_name: String,
    /// The master account (a customer id).
    pub master: String,
    /// The organization unit it sits in.
    pub org_id: String,
    /// Funds the master transferred to it and has not taken back.
    pub balance: Decimal,
    /// 1 normal.
    pub status: i64,
    /// 1: the master manages its finances.
    pub financial_custody: i64,
}

/// Money between an enterprise master and a sub-account: `1` to the sub-account, `2` back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubTransfer {
    pub trans_id: String,
    pub sub_account_id: String,
    pub operation_type: String,
    pub amount: Decimal,
    pub time: i64,
}

/// A unit of a master customer's enterprise organization tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub master: String,
    pub parent: Option<String>,
}

/// Part of a master's coupon transferred to a sub-account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubCoupon {
    pub sub_coupon_id: String,
    /// The master's coupon it was cut from.
    pub coupon_id: String,
    pub sub_customer_id: String,
    pub balance: Decimal,
    pub effective_time: i64,
    pub expire_time: i64,
}

/// A reseller (indirect partner, 云经销商) of the partner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reseller {
    pub id: String,
    pub account_name: String,
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub associated_on: i64,
    pub balance: Decimal,
}

/// A coupon quota the partner allocated to a reseller out of one of its own quotas.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssuedQuota {
    pub quota_id: String,
    pub parent_quota_id: String,
    pub reseller_id: String,
    pub quota_value: Decimal,
    pub balance: Decimal,
    /// 0 normal, 2 reclaimed.
    pub quota_status: i64,
    pub create_time: i64,
    pub last_update_time: i64,
    pub effective_time: i64,
    pub expire_time: i64,
}

/// An allocation (`1`) or reclaim (`2`) of a reseller's coupon quota.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotaRecord {
    pub id: String,
    pub operation_type: String,
    pub quota_id: String,
    pub parent_quota_id: String,
    pub reseller_id: String,
    pub amount: Decimal,
    pub time: i64,
    pub remark: String,
}

/// A money transfer between the partner and a reseller: `1` to the reseller, `2` back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResellerTransfer {
    pub trans_id: String,
    pub reseller_id: String,
    pub operation_type: String,
    pub amount: Decimal,
    pub time: i64,
}

/// A stored-value card of a customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredValueCard {
    pub card_id: String,
    pub customer_id: String,
    pub card_name: String,
    /// 1 usable, 2 used up/expired.
    pub status: i64,
    pub face_value: Decimal,
    pub balance: Decimal,
    pub effective_time: i64,
    pub expire_time: i64,
}

/// A resource package (free resources) a customer bought.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FreePackage {
    pub order_instance_id: String,
    pub order_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub product_name: String,
    pub service_type_code: String,
    pub region_code: String,
    pub effective_time: i64,
    pub expire_time: i64,
    /// 1 effective.
    pub status: i64,
    pub resources: Vec<FreeResource>,
}

/// One quota of a resource package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FreeResource {
    pub free_resource_id: String,
    pub usage_type_name: String,
    pub original_amount: Decimal,
    pub remaining: Decimal,
    pub measure_id: i64,
}

/// A deduction from a resource package by a resource's usage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FreeUsage {
    pub free_resource_id: String,
    pub resource_id: String,
    pub resource_type_code: String,
    pub product_id: String,
    pub deduct_time: i64,
    pub used: Decimal,
    /// What remained after this deduction.
    pub remaining: Decimal,
    pub measure_id: i64,
}

/// A customer's budget on the international site (the partner pays; the budget caps spending).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Budget {
    pub customer_id: String,
    pub amount: Decimal,
    pub used: Decimal,
    /// MONTHLY or PACKAGE.
    pub budget_type: String,
}

/// A change of a budget (`SETTING`), kept for the records API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BudgetRecord {
    pub customer_id: String,
    pub amount: Decimal,
    pub operation_type: String,
    pub budget_type: String,
    pub time: i64,
}

/// An invoice request of the partner (international site).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice {
    pub request_id: String,
    pub amount: Decimal,
    pub tax: Decimal,
    pub bill_cycle: String,
    pub apply_time: i64,
    /// 1 applied, 2 issued.
    pub state: i64,
    pub invoice_no: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerificationCode {
    pub target: String,
    pub code: String,
    pub sent_at: i64,
}

/// Everything the emulator remembers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub partner: Partner,
    pub customers: Vec<Customer>,
    pub quotas: Vec<Quota>,
    pub coupons: Vec<Coupon>,
    pub coupon_records: Vec<CouponRecord>,
    pub account_records: Vec<AccountRecord>,
    pub bills: Vec<BillItem>,
    pub orders: Vec<Order>,
    pub resources: Vec<Resource>,
    pub verification_codes: Vec<VerificationCode>,
    pub renew_config: BTreeMap<String, BTreeMap<String, String>>,
    pub seq: u64,
    // Enterprise multi-account, resellers, benefits, usage and the international site. A state
    // file written before they existed loads with them empty.
    #[serde(default)]
    pub sub_accounts: Vec<SubAccount>,
    #[serde(default)]
    pub orgs: Vec<Org>,
    #[serde(default)]
    pub sub_coupons: Vec<SubCoupon>,
    #[serde(default)]
    pub sub_transfers: Vec<SubTransfer>,
    /// Customers that authorized enterprise-project management.
    #[serde(default)]
    pub project_auth: Vec<String>,
    #[serde(default)]
    pub resellers: Vec<Reseller>,
    #[serde(default)]
    pub issued_quotas: Vec<IssuedQuota>,
    #[serde(default)]
    pub quota_records: Vec<QuotaRecord>,
    #[serde(default)]
    pub reseller_transfers: Vec<ResellerTransfer>,
    #[serde(default)]
    pub stored_value_cards: Vec<StoredValueCard>,
    #[serde(default)]
    pub free_packages: Vec<FreePackage>,
    #[serde(default)]
    pub free_usages: Vec<FreeUsage>,
    #[serde(default)]
    pub budgets: Vec<Budget>,
    #[serde(default)]
    pub budget_records: Vec<BudgetRecord>,
    #[serde(default)]
    pub invoices: Vec<Invoice>,
}

impl State {
    /// A new id: `prefix` + a counter, unique within this state.
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}{:08}", self.seq)
    }

    /// The total of the partner's, its resellers', its own customers' and their sub-accounts'
    /// balances: every transfer between them keeps it.
    pub fn funds_total(&self) -> Decimal {
        let own = &self.partner.domain_id;
        self.partner.balance
            + self
                .customers
                .iter()
                .filter(|c| &c.owner == own)
                .map(|c| c.balance)
                .sum::<Decimal>()
            + self.resellers.iter().map(|r| r.balance).sum::<Decimal>()
            + self.sub_accounts.iter().map(|s| s.balance).sum::<Decimal>()
    }

    /// One of this partner's customers, or CBC.99000000.
    pub fn own_customer(&self, id: &str) -> ApiResult<&Customer> {
        self.customers
            .iter()
            .find(|c| c.id == id && c.owner == self.partner.domain_id)
            .ok_or_else(|| ApiError::not_your_customer(id))
    }

    pub fn own_customer_mut(&mut self, id: &str) -> ApiResult<&mut Customer> {
        let own = self.partner.domain_id.clone();
        self.customers
            .iter_mut()
            .find(|c| c.id == id && c.owner == own)
            .ok_or_else(|| ApiError::not_your_customer(id))
    }

    /// Loads a state file written by [`State::save`].
    pub fn load(path: &Path) -> std::io::Result<State> {
        let text = std::fs::read(path)?;
        serde_json::from_slice(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Writes the state atomically: a temporary file beside `path`, then a rename.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}
