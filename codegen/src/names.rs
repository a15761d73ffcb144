//! Name conversions shared by the writers.

/// A heading for a category (`indirect-partners` -> `Indirect partners`).
pub fn category_title(category: &str) -> String {
    match category {
        "iam" => "IAM: tokens and temporary keys".to_owned(),
        "freeresources" => "Free resources".to_owned(),
        "realname" => "Real-name authentication".to_owned(),
        c => {
            let words = c.replace('-', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    }
}

/// `list_sub_customers` -> `ListSubCustomers`.
pub fn pascal_case(snake: &str) -> String {
    snake
        .split(['_', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `list_sub_customers` -> `listSubCustomers`.
pub fn camel_case(snake: &str) -> String {
    let p = pascal_case(snake);
    let mut c = p.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A wire name as a snake_case identifier: `X-Subject-Token` -> `x_subject_token`,
/// `resource_Type_code` -> `resource_type_code`, `Version` -> `version`.
pub fn snake_ident(wire: &str) -> String {
    wire.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `CustomerInformation` -> `CUSTOMER_INFORMATION`, `IQueryUserCouponsResultV2` ->
/// `I_QUERY_USER_COUPONS_RESULT_V2`.
pub fn screaming_snake(pascal: &str) -> String {
    let chars: Vec<char> = pascal.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal_case("list_sub_customers"), "ListSubCustomers");
        assert_eq!(camel_case("list_sub_customers"), "listSubCustomers");
        assert_eq!(snake_ident("X-Subject-Token"), "x_subject_token");
        assert_eq!(snake_ident("resource_Type_code"), "resource_type_code");
        assert_eq!(
            screaming_snake("IQueryUserCouponsResultV2"),
            "I_QUERY_USER_COUPONS_RESULT_V2"
        );
        assert_eq!(screaming_snake("AccountBalanceV2"), "ACCOUNT_BALANCE_V2");
        assert_eq!(category_title("indirect-partners"), "Indirect partners");
    }
}
