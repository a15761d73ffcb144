//! The generated operation table covers every row of the reference operations.tsv, with the same
//! method, path, parameters, effect and pagination.
//!
//! The reference is read from `shared/reference/operations.tsv` beside the repository when it is
//! there (and must then equal the copy in `core/api/reference-operations.tsv`), else from the copy.

use std::collections::BTreeMap;
use std::path::Path;

use hcpartner::generated::{find_operation, OPERATIONS};
use hcpartner::operation::{Audience, Effect, Location, Service, Sites};

fn reference_tsv() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = std::fs::read_to_string(dir.join("api/reference-operations.tsv"))
        .expect("core/api/reference-operations.tsv");
    let shared = dir.join("../../shared/reference/operations.tsv");
    match std::fs::read_to_string(&shared) {
        Ok(text) => {
            assert!(
                text == copy,
                "{} differs from core/api/reference-operations.tsv: the reference changed; rerun \
                 `python3 codegen/import_reference.py`, review core/api, then `cargo run -p codegen`",
                shared.display()
            );
            text
        }
        Err(_) => copy,
    }
}

fn rows() -> Vec<BTreeMap<String, String>> {
    let text = reference_tsv();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `name:type[:required],...` -> (name, required)
fn params(spec: &str) -> Vec<(String, bool)> {
    if spec == "-" || spec.is_empty() {
        return Vec::new();
    }
    spec.split(',')
        .map(|p| {
            let bits: Vec<&str> = p.split(':').collect();
            (bits[0].to_owned(), bits.get(2) == Some(&"required"))
        })
        .collect()
}

/// Operations the table has beyond the reference's rows, each with its own sources in core/api:
/// the domain lookup, and the 11 operations only the international SDK (huaweicloudsdkbssintl)
/// has.
const BEYOND_REFERENCE: &[&str] = &[
    "keystone_list_auth_domains",
    "freeze_sub_customers",
    "unfreeze_sub_customers",
    "list_sub_customer_budget",
    "list_sub_customer_budget_records",
    "show_sub_customer_budget",
    "update_sub_customer_budget",
    "show_partner_consumption_quota",
    "show_customer_expenditure_quota",
    "list_postpaid_bill_sum",
    "list_resource_specs_price",
    "list_invoices",
];

#[test]
fn every_reference_row_is_in_the_table_with_the_same_method_and_path() {
    let rows = rows();
    assert_eq!(rows.len(), 97, "the reference has 97 operations");
    assert_eq!(
        OPERATIONS.len(),
        rows.len() + BEYOND_REFERENCE.len(),
        "the table has an operation the reference lacks, or misses one"
    );
    for name in BEYOND_REFERENCE {
        assert!(
            find_operation(name).is_some(),
            "{name} is missing from the table"
        );
        assert!(
            !rows.iter().any(|r| r["op"] == *name),
            "{name} is in the reference now"
        );
    }
    for r in &rows {
        let name = &r["op"];
        let op = find_operation(name).unwrap_or_else(|| panic!("{name} is missing from the table"));
        assert_eq!(op.method.as_str(), r["method"], "{name}: method");
        assert_eq!(op.path, r["path"], "{name}: path");
        assert_eq!(op.category, r["category"], "{name}: category");
        let service = match r["service"].as_str() {
            "bss" => Service::Bss,
            "iam" => Service::Iam,
            s => panic!("{name}: service {s}"),
        };
        assert_eq!(op.service, service, "{name}: service");
        let effect = match r["effect"].as_str() {
            "read" => Effect::Read,
            "write" => Effect::Write,
            "write-money" => Effect::WriteMoney,
            "auth" => Effect::Auth,
            e => panic!("{name}: effect {e}"),
        };
        assert_eq!(op.effect, effect, "{name}: effect");
        let audience = match r["audience"].as_str() {
            "partner" => Audience::Partner,
            "customer" => Audience::Customer,
            "both" => Audience::Both,
            a => panic!("{name}: audience {a}"),
        };
        assert_eq!(op.audience, audience, "{name}: audience");
        assert_eq!(
            op.response_model, r["sdk_response"],
            "{name}: response model"
        );
        let body = (r["body"] != "-").then_some(r["body"].as_str());
        assert_eq!(op.body_model, body, "{name}: body model");

        for (col, location) in [
            ("path_params", Location::Path),
            ("query_params", Location::Query),
            ("header_params", Location::Header),
        ] {
            let expected = params(&r[col]);
            let actual: Vec<(String, bool)> = op
                .params
                .iter()
                .filter(|p| p.location == location)
                .map(|p| (p.field.name.to_owned(), p.field.required))
                .collect();
            let mut sorted_expected = expected.clone();
            sorted_expected.sort();
            let mut sorted_actual = actual.clone();
            sorted_actual.sort();
            assert_eq!(sorted_actual, sorted_expected, "{name}: {col}");
        }

        let pagination = r["pagination"].as_str();
        match op.pagination {
            None => assert_eq!(pagination, "-", "{name}: pagination"),
            Some(p) => {
                let (head, rest) = pagination
                    .split_once(';')
                    .unwrap_or_else(|| panic!("{name}: pagination"));
                let location = if p.location == Location::Body {
                    "body"
                } else {
                    "query"
                };
                assert_eq!(
                    head,
                    format!("{}/{}@{location}", p.offset_param, p.limit_param),
                    "{name}: pagination"
                );
                assert!(
                    rest.starts_with(&format!("items={}", p.items_field)),
                    "{name}: items field"
                );
                match p.total_field {
                    Some(t) => assert!(
                        rest.contains(&format!(";total={t};")),
                        "{name}: total field"
                    ),
                    None => assert!(!rest.contains("total="), "{name}: total field"),
                }
                if let Some(max) = rest
                    .split("max_limit=")
                    .nth(1)
                    .and_then(|m| m.parse::<u32>().ok())
                {
                    assert_eq!(p.max_limit, Some(max), "{name}: max_limit");
                }
                assert_eq!(
                    p.next_marker_field.is_some(),
                    head.starts_with("marker/"),
                    "{name}: marker paging"
                );
                for param in [p.offset_param, p.limit_param] {
                    let found = op.params.iter().find(|x| x.field.name == param);
                    assert_eq!(
                        found.map(|x| x.location),
                        Some(p.location),
                        "{name}: pagination param {param}"
                    );
                }
            }
        }

        let headers: Vec<&str> = r["notes"]
            .split("response headers: ")
            .nth(1)
            .map(|h| {
                h.split([';', ' '])
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            op.response_headers,
            headers.as_slice(),
            "{name}: response headers"
        );
    }
}

#[test]
fn operations_are_found_by_snake_and_camel_case_names() {
    for op in OPERATIONS {
        let camel: String = op
            .name
            .split('_')
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    w.to_owned()
                } else {
                    w[..1].to_ascii_uppercase() + &w[1..]
                }
            })
            .collect();
        assert!(std::ptr::eq(find_operation(op.name).unwrap(), *op));
        assert!(
            std::ptr::eq(find_operation(&camel).unwrap(), *op),
            "{camel}"
        );
    }
}

#[test]
fn money_moving_operations_are_never_idempotent() {
    for name in [
        "update_customer_account_amount",
        "create_partner_coupons",
        "pay_orders",
        "reclaim_to_partner_account",
    ] {
        let op = find_operation(name).unwrap();
        assert_eq!(op.effect, Effect::WriteMoney, "{name}");
        assert!(!op.effect.is_idempotent(), "{name}");
    }
}

/// `cn-only:req.body.a|req.body.b.c;intl-only:req.x` -> the top-level names with their site
/// (nested paths belong to a top-level field listed too).
fn intl_diff(spec: &str) -> Vec<(String, Sites)> {
    let mut out = Vec::new();
    for part in spec.split(';').filter(|p| !p.is_empty()) {
        let (side, paths) = part.split_once(':').expect("side:paths");
        let sites = match side {
            "cn-only" => Sites::Cn,
            "intl-only" => Sites::Intl,
            s => panic!("intl_diff side {s}"),
        };
        for path in paths.split('|') {
            let rest = path.strip_prefix("req.").expect("a request path");
            let rest = rest.strip_prefix("body.").unwrap_or(rest);
            if !rest.contains('.') {
                out.push((rest.to_owned(), sites));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn sites_follow_the_reference() {
    for r in rows() {
        let name = &r["op"];
        let op = find_operation(name).unwrap();
        let want = if r["in_bssintl"] == "no" {
            Sites::Cn
        } else {
            Sites::Both
        };
        assert_eq!(
            op.sites, want,
            "{name}: sites (in_bssintl {})",
            r["in_bssintl"]
        );
        let mut actual: Vec<(String, Sites)> = op
            .site_fields
            .iter()
            .filter(|f| f.sites != Sites::Both)
            .map(|f| (f.name.to_owned(), f.sites))
            .collect();
        actual.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(actual, intl_diff(&r["intl_diff"]), "{name}: site fields");
    }
    for name in &BEYOND_REFERENCE[1..] {
        assert_eq!(find_operation(name).unwrap().sites, Sites::Intl, "{name}");
    }
}

/// docs/scope.md lists every operation under the site(s) the table gives it.
#[test]
fn the_scope_page_lists_every_operation_under_its_sites() {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scope.md"))
            .expect("docs/scope.md");
    let mut listed: BTreeMap<String, Sites> = BTreeMap::new();
    let mut current = None;
    for line in page.lines() {
        if let Some(head) = line.strip_prefix("### ") {
            current = Some(if head.starts_with("Both") {
                Sites::Both
            } else if head.starts_with("China") {
                Sites::Cn
            } else {
                Sites::Intl
            });
        } else if let (Some(sites), Some(list)) = (current, line.strip_prefix("- **")) {
            let names = list.split_once(": ").map_or("", |(_, n)| n);
            for name in names.split(", ") {
                let name = name.trim_matches('`');
                assert!(
                    listed.insert(name.to_owned(), sites).is_none(),
                    "{name} twice"
                );
            }
        }
    }
    for op in OPERATIONS {
        assert_eq!(listed.remove(op.name), Some(op.sites), "{}", op.name);
    }
    assert!(listed.is_empty(), "not operations: {listed:?}");
}
