//! Which site serves what. A partner account lives on one site (China or international), and the
//! two APIs differ: 48 operations exist on the China site only, 11 on the international site
//! only, and four shared operations take fields that only one site knows or requires.
//! [`check_site`] refuses such a call before anything is sent, naming the operation or the field
//! and the site, instead of letting the service answer with a 404 or a parameter error.

use serde_json::Value;

use crate::config::Site;
use crate::error::Error;
use crate::operation::{Operation, Sites};

fn site_name(site: Site) -> &'static str {
    match site {
        Site::Cn => "China (cn)",
        Site::Intl => "international (intl)",
    }
}

fn sites_name(sites: Sites) -> &'static str {
    match sites {
        Sites::Both => "both sites",
        Sites::Cn => "the China (cn) site",
        Sites::Intl => "the international (intl) site",
    }
}

/// Checks that `op` and the flat `params` fit `site`: the operation is served there, no
/// parameter belongs to the other site only, and every parameter this site requires is present.
/// Anything else is an `InvalidArgument` naming the operation or the field; nothing is sent.
///
/// Params that are not an object are left to [`crate::validate::validate`].
pub fn check_site(op: &Operation, params: &Value, site: Site) -> Result<(), Error> {
    if !op.sites.has(site) {
        return Err(Error::invalid_argument(
            "operation",
            format!(
                "{} exists only on {}; this client is configured for the {} site",
                op.name,
                sites_name(op.sites),
                site_name(site)
            ),
        )
        .with_hint(format!(
            "a partner account lives on one site: use a client for {} if your account is there",
            sites_name(op.sites)
        ))
        .with_operation(op.name));
    }
    let object = params.as_object();
    for f in op.site_fields {
        let present = object
            .and_then(|o| o.get(f.name))
            .is_some_and(|v| !v.is_null());
        if present && !f.sites.has(site) {
            return Err(Error::invalid_argument(
                f.name,
                format!(
                    "`{}` exists only on {}; the {} site does not take it",
                    f.name,
                    sites_name(f.sites),
                    site_name(site)
                ),
            )
            .with_operation(op.name));
        }
        if !present && f.required_on == Some(site) {
            return Err(Error::invalid_argument(
                f.name,
                format!(
                    "missing parameter `{}`, which the {} site requires",
                    f.name,
                    site_name(site)
                ),
            )
            .with_operation(op.name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::generated::find_operation;
    use crate::ErrorKind;

    fn op(name: &str) -> &'static Operation {
        find_operation(name).unwrap_or_else(|| panic!("no operation {name}"))
    }

    /// The refusal's field and message.
    fn refused(name: &str, params: Value, site: Site) -> (String, String) {
        let e = check_site(op(name), &params, site).expect_err("expected a site refusal");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(e.dispatch(), crate::Dispatch::NotSent);
        assert_eq!(e.operation(), Some(name));
        (
            e.field().unwrap_or_default().to_owned(),
            e.message().to_owned(),
        )
    }

    #[test]
    fn an_operation_of_the_other_site_is_refused_naming_it_and_the_site() {
        let (field, msg) = refused(
            "freeze_sub_customers",
            json!({"customer_ids": ["c"], "reason": "r"}),
            Site::Cn,
        );
        assert_eq!(field, "operation");
        assert!(msg.contains("freeze_sub_customers"), "{msg}");
        assert!(msg.contains("international (intl) site"), "{msg}");
        assert!(msg.contains("China (cn)"), "{msg}");
        let e = check_site(op("freeze_sub_customers"), &json!({}), Site::Cn).unwrap_err();
        assert!(e.hint().is_some_and(|h| h.contains("international")));

        let (field, msg) = refused(
            "update_customer_account_amount",
            json!({"customer_id": "c", "amount": 1}),
            Site::Intl,
        );
        assert_eq!(field, "operation");
        assert!(msg.contains("China (cn) site"), "{msg}");
    }

    #[test]
    fn operations_of_their_own_site_and_of_both_pass() {
        for (name, site) in [
            ("freeze_sub_customers", Site::Intl),
            ("update_customer_account_amount", Site::Cn),
            ("list_sub_customers", Site::Cn),
            ("list_sub_customers", Site::Intl),
            ("keystone_list_auth_domains", Site::Intl),
        ] {
            check_site(op(name), &json!({}), site).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn a_field_of_the_other_site_is_refused_naming_it() {
        for (name, params, site, field) in [
            (
                "create_sub_customer",
                json!({"xaccount_id": "x", "xaccount_type": "t", "domain_area": "SG", "mobile_phone": "13800000000"}),
                Site::Intl,
                "mobile_phone",
            ),
            (
                "create_sub_customer",
                json!({"xaccount_id": "x", "xaccount_type": "t", "email": "a@b.c"}),
                Site::Cn,
                "email",
            ),
            (
                "list_sub_customer_coupons",
                json!({"indirect_partner_id": "p"}),
                Site::Intl,
                "indirect_partner_id",
            ),
            (
                "create_personal_realname_auth",
                json!({"bank_card_info": {}}),
                Site::Intl,
                "bank_card_info",
            ),
        ] {
            let (f, msg) = refused(name, params, site);
            assert_eq!(f, field, "{name}");
            assert!(msg.contains(&format!("`{field}` exists only on")), "{msg}");
            assert!(msg.contains(site_name(site)), "{msg}");
        }
    }

    #[test]
    fn a_field_this_site_requires_must_be_there() {
        let (f, msg) = refused(
            "send_verification_message_code",
            json!({"receiver_type": 1}),
            Site::Intl,
        );
        assert_eq!(f, "email");
        assert!(msg.contains("international (intl) site requires"), "{msg}");
        let (f, _) = refused(
            "send_verification_message_code",
            json!({"receiver_type": 1, "mobile_phone": null}),
            Site::Cn,
        );
        assert_eq!(f, "mobile_phone");
        let (f, _) = refused("create_sub_customer", json!({}), Site::Intl);
        assert_eq!(f, "domain_area");
        // The other site's requirement does not apply.
        let ok = json!({"receiver_type": 1, "email": "a@b.c"});
        check_site(op("send_verification_message_code"), &ok, Site::Intl).unwrap();
        let ok = json!({"xaccount_id": "x", "xaccount_type": "t"});
        check_site(op("create_sub_customer"), &ok, Site::Cn).unwrap();
    }

    #[test]
    fn every_site_field_of_the_table_is_a_param_of_its_operation() {
        for o in crate::generated::OPERATIONS {
            for f in o.site_fields {
                assert!(
                    o.params.iter().any(|p| p.field.name == f.name),
                    "{}: {}",
                    o.name,
                    f.name
                );
                if let Some(on) = f.required_on {
                    assert!(f.sites.has(on), "{}: {}", o.name, f.name);
                }
            }
        }
    }
}
