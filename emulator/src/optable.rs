//! The operation table the emulator routes by: an embedded copy of the shared reference
//! `operations.tsv` (method, path template, parameters, audience, effect, pagination per operation)
//! and the request body models (`request-models.tsv`, derived from `models.json`).

use std::collections::HashMap;
use std::sync::OnceLock;

const OPERATIONS_TSV: &str = include_str!("../api/operations.tsv");
const MODELS_TSV: &str = include_str!("../api/request-models.tsv");

/// Who may call an operation (the tsv's `audience` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Partner,
    Customer,
    Both,
}

/// A declared parameter: `name:type[:required]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub ty: &'static str,
    pub required: bool,
}

/// Where offset and limit travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLocation {
    Query,
    Body,
}

/// Offset/limit (or marker/limit) pagination of a list operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSpec {
    pub marker: bool,
    pub location: PageLocation,
    pub items: Vec<&'static str>,
    pub total: Option<&'static str>,
    pub max_limit: Option<u32>,
}

/// One row of the operation table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpSpec {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub path_params: Vec<ParamSpec>,
    pub query_params: Vec<ParamSpec>,
    pub header_params: Vec<ParamSpec>,
    /// The body model, when the operation takes a JSON body.
    pub body: Option<&'static str>,
    /// `-` when the operation answers with an empty body.
    pub response: &'static str,
    pub audience: Audience,
    pub category: &'static str,
    /// `read`, `write`, `write-money` or `auth`.
    pub effect: &'static str,
    /// `bss` or `iam`.
    pub service: &'static str,
    pub pagination: Option<PageSpec>,
}

impl OpSpec {
    /// Whether the operation answers with no body (204).
    pub fn empty_response(&self) -> bool {
        self.response == "-"
    }
}

/// One field of a request model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelField {
    pub name: &'static str,
    pub ty: &'static str,
    pub required: bool,
}

fn params(col: &'static str) -> Vec<ParamSpec> {
    if col == "-" || col.is_empty() {
        return Vec::new();
    }
    col.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut parts = p.split(':');
            let name = parts.next().unwrap_or_default();
            let ty = parts.next().unwrap_or("string");
            let required = parts.next() == Some("required");
            ParamSpec { name, ty, required }
        })
        .collect()
}

fn pagination(col: &'static str) -> Option<PageSpec> {
    if col == "-" || col.is_empty() {
        return None;
    }
    let mut parts = col.split(';');
    let head = parts.next()?;
    let (style, loc) = head.split_once('@')?;
    let mut spec = PageSpec {
        marker: style.starts_with("marker"),
        location: if loc == "body" {
            PageLocation::Body
        } else {
            PageLocation::Query
        },
        items: Vec::new(),
        total: None,
        max_limit: None,
    };
    for kv in parts {
        match kv.split_once('=') {
            Some(("items", v)) => spec.items = v.split('|').collect(),
            Some(("total", v)) => spec.total = Some(v),
            Some(("max_limit", v)) => spec.max_limit = v.parse().ok(),
            _ => {}
        }
    }
    Some(spec)
}

/// Every operation of the reference table, in file order.
pub fn table() -> &'static [OpSpec] {
    static TABLE: OnceLock<Vec<OpSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut lines = OPERATIONS_TSV.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let col = |row: &[&'static str], name: &str| -> &'static str {
            header
                .iter()
                .position(|h| *h == name)
                .and_then(|i| row.get(i).copied())
                .unwrap_or("-")
        };
        lines
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let row: Vec<&'static str> = line.split('\t').collect();
                let audience = match col(&row, "audience") {
                    "partner" => Audience::Partner,
                    "customer" => Audience::Customer,
                    _ => Audience::Both,
                };
                let body = col(&row, "body");
                OpSpec {
                    name: col(&row, "op"),
                    method: col(&row, "method"),
                    path: col(&row, "path"),
                    path_params: params(col(&row, "path_params")),
                    query_params: params(col(&row, "query_params")),
                    header_params: params(col(&row, "header_params")),
                    body: (body != "-" && !body.is_empty()).then_some(body),
                    response: col(&row, "response"),
                    audience,
                    category: col(&row, "category"),
                    effect: col(&row, "effect"),
                    service: col(&row, "service"),
                    pagination: pagination(col(&row, "pagination")),
                }
            })
            .collect()
    })
}

/// The operation called `name`.
pub fn find(name: &str) -> Option<&'static OpSpec> {
    table().iter().find(|o| o.name == name)
}

/// Request model fields by model name.
pub fn model(name: &str) -> Option<&'static [ModelField]> {
    static MODELS: OnceLock<HashMap<&'static str, Vec<ModelField>>> = OnceLock::new();
    let map = MODELS.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<ModelField>> = HashMap::new();
        for line in MODELS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&'static str> = line.split('\t').collect();
            if let [m, f, ty, req] = cols[..] {
                map.entry(m).or_default().push(ModelField {
                    name: f,
                    ty,
                    required: req == "1",
                });
            }
        }
        map
    });
    map.get(name).map(Vec::as_slice)
}

/// What a request line resolves to.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Every operation with this method and path template (two share `POST /v3/auth/tokens`).
    pub ops: Vec<&'static OpSpec>,
    /// Decoded path parameters.
    pub path_params: Vec<(&'static str, String)>,
}

fn match_template(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let t: Vec<&'static str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut out = Vec::new();
    for (ts, ps) in t.iter().zip(p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if ps.is_empty() {
                return None;
            }
            out.push((
                name,
                percent_encoding::percent_decode_str(ps)
                    .decode_utf8_lossy()
                    .into_owned(),
            ));
        } else if *ts != ps {
            return None;
        }
    }
    Some(out)
}

/// Finds the operations served at `method path` (the raw, still-encoded path).
pub fn resolve(method: &str, path: &str) -> Option<Resolved> {
    let mut found: Option<Resolved> = None;
    for op in table()
        .iter()
        .filter(|o| o.method.eq_ignore_ascii_case(method))
    {
        if let Some(pp) = match_template(op.path, path) {
            match &mut found {
                Some(r) => r.ops.push(op),
                None => {
                    found = Some(Resolved {
                        ops: vec![op],
                        path_params: pp,
                    })
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads() {
        assert_eq!(table().len(), 97);
        let op = find("list_sub_customers").unwrap();
        assert_eq!(
            (op.method, op.audience, op.body),
            ("POST", Audience::Partner, Some("QuerySubCustomerListReq"))
        );
        let p = op.pagination.as_ref().unwrap();
        assert_eq!(
            (p.location, p.items.as_slice(), p.total, p.max_limit),
            (
                PageLocation::Body,
                &["customer_infos"][..],
                Some("count"),
                Some(100)
            )
        );
        let op = find("list_cities").unwrap();
        assert!(op
            .query_params
            .iter()
            .any(|q| q.name == "province_code" && q.required));
        assert!(model("CreateCustomerV2Req")
            .unwrap()
            .iter()
            .any(|f| f.name == "xaccount_id" && f.required));
    }

    #[test]
    fn resolves_templates() {
        let r = resolve(
            "DELETE",
            "/v2/orders/subscriptions/resources/autorenew/abc%20d",
        )
        .unwrap();
        assert_eq!(r.ops[0].name, "cancel_auto_renewal_resources");
        assert_eq!(r.path_params, vec![("resource_id", "abc d".to_owned())]);
        assert_eq!(resolve("POST", "/v3/auth/tokens").unwrap().ops.len(), 2);
        assert!(resolve("GET", "/v2/nothing").is_none());
        assert!(resolve("PATCH", "/v2/partners/sub-customers").is_none());
    }
}
