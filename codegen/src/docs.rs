//! Sentences about an operation that every writer's documentation shares, so the Rust docs, the
//! Python docstrings and the TypeScript comments say the same thing in the same words.

use std::fmt::Write as _;

use crate::model::{Audience, Effect, Field, Operation, PageStyle, Param, Sites};

/// What a call does to state and money, and what that means for retries.
pub fn effect(effect: Effect) -> &'static str {
    match effect {
        Effect::Read => "Reads only: retried on transient failures.",
        Effect::Write => {
            "Changes state (not money): not retried once it may have reached the server."
        }
        Effect::WriteMoney => "Moves money: never retried once sent.",
        Effect::Auth => "Issues a token or key: retried on transient failures.",
    }
}

/// Whose credentials the call takes, with the reference's caller note: `Partner credentials (…).`
pub fn audience(op: &Operation) -> String {
    let who = match op.audience {
        Audience::Partner => "Partner credentials",
        Audience::Customer => {
            "Customer credentials (a partner uses the customer's assumed-role token)"
        }
        Audience::Both => "Partner or customer credentials",
    };
    if op.caller.is_empty() {
        format!("{who}.")
    } else {
        format!("{who} ({}).", op.caller)
    }
}

/// How the operation pages (`None` when it does not): params, items, total, page size.
pub fn pagination(op: &Operation) -> Option<String> {
    let pg = op.pagination.as_ref()?;
    let mut p = match pg.style {
        PageStyle::Offset => format!("Paginated: `{}`/`{}`", pg.offset_param, pg.limit_param),
        PageStyle::Marker => format!(
            "Paginated by marker: `{}`/`{}`, next marker in `{}`",
            pg.offset_param,
            pg.limit_param,
            pg.next_marker_field.as_deref().unwrap_or("?")
        ),
    };
    let _ = write!(p, ", items in `{}`", pg.items_field);
    if let Some(t) = &pg.total_field {
        let _ = write!(p, ", total in `{t}`");
    }
    if let Some(m) = pg.max_limit {
        let _ = write!(p, ", at most {m} per page");
    }
    p.push('.');
    Some(p)
}

/// The reference's note on the operation as a sentence.
pub fn note(op: &Operation) -> Option<String> {
    op.notes
        .as_ref()
        .map(|n| format!("Note: {}.", n.trim_end_matches('.')))
}

/// Where the operation and its site-specific parameters exist (`None` on both sites with none).
pub fn sites(op: &Operation, site_fields: &[Param]) -> Option<String> {
    let mut parts = Vec::new();
    match op.sites {
        Sites::Both => {}
        Sites::Cn => parts.push("China site only (`bss.myhuaweicloud.com`).".to_owned()),
        Sites::Intl => {
            parts.push("International site only (`bss-intl.myhuaweicloud.com`).".to_owned())
        }
    }
    let fields: Vec<String> = site_fields
        .iter()
        .filter_map(|p| site_phrase(&p.field).map(|s| format!("`{}` ({s})", p.field.name)))
        .collect();
    if !fields.is_empty() {
        parts.push(format!("Site-specific: {}.", fields.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A site-specific field in words: `China site only, required there`.
pub fn site_phrase(f: &Field) -> Option<&'static str> {
    Some(match (f.sites, f.required_on) {
        (Sites::Both, None) => return None,
        (Sites::Cn, Some(Sites::Cn)) => "China site only, required there",
        (Sites::Intl, Some(Sites::Intl)) => "international site only, required there",
        (Sites::Cn, _) => "China site only",
        (Sites::Intl, _) => "international site only",
        (Sites::Both, Some(Sites::Cn)) => "required on the China site",
        (Sites::Both, Some(_)) => "required on the international site",
    })
}

/// [`site_phrase`] as a sentence: `China site only, required there.`
pub fn field_site(f: &Field) -> Option<String> {
    let p = site_phrase(f)?;
    let mut chars = p.chars();
    let first = chars.next()?.to_ascii_uppercase();
    Some(format!("{first}{}.", chars.as_str()))
}

/// A number as the docs write it: `100`, `0.01`.
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// `one of "a", "b"` (or `1, 2`) for a field with allowed values.
pub fn one_of(f: &Field) -> Option<String> {
    if f.enum_values.is_empty() {
        return None;
    }
    let values: Vec<String> = f
        .enum_values
        .iter()
        .map(|v| match v {
            crate::model::EnumValue::Str(s) => format!("{s:?}"),
            crate::model::EnumValue::Int(i) => i.to_string(),
        })
        .collect();
    Some(format!("one of {}", values.join(", ")))
}

/// What a field takes besides its type, each a short phrase: allowed values, bounds, lengths,
/// decimal places, the date form, the site.
pub fn field_facts(f: &Field) -> Vec<String> {
    let mut facts: Vec<String> = one_of(f).into_iter().collect();
    let l = &f.limits;
    match (l.min, l.max) {
        (Some(a), Some(b)) => facts.push(format!("{} to {}", num(a), num(b))),
        (Some(a), None) => facts.push(format!("at least {}", num(a))),
        (None, Some(b)) => facts.push(format!("at most {}", num(b))),
        (None, None) => {}
    }
    let unit = if matches!(f.ty, crate::model::TypeRef::List(_)) {
        "items"
    } else {
        "characters"
    };
    match (l.min_len, l.max_len) {
        (Some(a), Some(b)) => facts.push(format!("{a} to {b} {unit}")),
        (Some(a), None) => facts.push(format!("at least {a} {unit}")),
        (None, Some(b)) => facts.push(format!("at most {b} {unit}")),
        (None, None) => {}
    }
    if let Some(s) = l.scale {
        facts.push(format!("at most {s} decimal places"));
    }
    if let Some(fmt) = &f.format {
        facts.push(
            match fmt.as_str() {
                "month" => "a month, YYYY-MM (UTC+8)",
                "date" => "a day, YYYY-MM-DD (UTC+8)",
                _ => "a UTC time, YYYY-MM-DDTHH:MM:SSZ",
            }
            .to_owned(),
        );
    }
    if f.secret {
        facts.push("secret: never shown".to_owned());
    }
    if let Some(s) = site_phrase(f) {
        facts.push(s.to_owned());
    }
    facts
}
