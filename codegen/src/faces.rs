//! `core/api/faces.json`: what every face shows of the face-neutral layer — the error report's
//! fields, the reconcile ticket and answer, the error kinds with their stable codes, the client
//! options and the credential kinds.
//! Each face's writer turns it into that face's shells (Python: `errors.py`, `credentials.py`,
//! `_client_base.py`; Node: `lib/errors.js`, `lib/credentials.js` and their declarations), so no face spells an option, a credential or an error class on its own.

use std::path::Path;

use serde_json::Value;

/// A named, typed, documented entry (a report field, an option, a credential field).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: String,
    /// `string`, `secret`, `int`, `integer`, `number`, `seconds`, `bool`, `object`,
    /// `credentials`, `map<number>`, `map<any>`, `list<map<any>>`, `ticket` (an unknown
    /// outcome's reconcile ticket); a trailing `?` (report fields) means it may be absent.
    pub ty: String,
    pub doc: String,
    pub optional: bool,
    pub values: Vec<String>,
    pub default: Option<String>,
    /// The fields of an `object` option.
    pub fields: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorKind {
    pub kind: String,
    pub code: u32,
    pub python: String,
    pub python_bases: Vec<String>,
    /// The Node class and its base (an error kind; absent for Python-only classes).
    pub node: Option<(String, String)>,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    /// The spec's `type` tag.
    pub tag: String,
    /// A Python class (explicit credentials) or a Python function (a provider).
    pub python: PythonName,
    /// The Node helper function that builds it (`akSk`, `fromEnv`).
    pub node: String,
    pub fields: Vec<Item>,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonName {
    Class(String),
    Function(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Faces {
    pub report_fields: Vec<Item>,
    /// An unknown outcome's reconcile ticket (`facade::reconcile::Ticket`), the report's `ticket`.
    pub ticket_fields: Vec<Item>,
    /// What `client.reconcile` answers (`facade::reconcile::Reconciliation`).
    pub reconciliation_fields: Vec<Item>,
    pub error_kinds: Vec<ErrorKind>,
    /// Python-only error classes (interrupted and cancelled outcomes).
    pub python_error_classes: Vec<ErrorKind>,
    pub options: Vec<Item>,
    /// What one call may set for itself (`facade::CallOptions`).
    pub call_options: Vec<Item>,
    /// Options of the Node face alone (how numbers come back, the logger), not the facade's.
    pub node_options: Vec<Item>,
    pub credentials: Vec<Credential>,
}

fn text(v: &Value, key: &str, ctx: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("faces.json {ctx}: `{key}` must be a string"))
}

fn list<'v>(v: &'v Value, key: &str, ctx: &str) -> Result<&'v [Value], String> {
    match v.get(key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("faces.json {ctx}: `{key}` must be a list")),
    }
}

fn strings(v: &Value, key: &str, ctx: &str) -> Result<Vec<String>, String> {
    list(v, key, ctx)?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("faces.json {ctx}: `{key}` holds strings"))
        })
        .collect()
}

fn item(v: &Value, ctx: &str) -> Result<Item, String> {
    let name = text(v, "name", ctx)?;
    let ctx = format!("{ctx}.{name}");
    Ok(Item {
        ty: text(v, "type", &ctx)?,
        doc: v
            .get("doc")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        optional: v.get("optional").and_then(Value::as_bool).unwrap_or(false),
        values: strings(v, "values", &ctx)?,
        default: v.get("default").and_then(Value::as_str).map(str::to_owned),
        fields: list(v, "fields", &ctx)?
            .iter()
            .map(|f| item(f, &ctx))
            .collect::<Result<_, _>>()?,
        name,
    })
}

fn kind(v: &Value, ctx: &str) -> Result<ErrorKind, String> {
    let python = text(v, "python", ctx)?;
    Ok(ErrorKind {
        kind: v
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or(&python)
            .to_owned(),
        code: v.get("code").and_then(Value::as_u64).unwrap_or(0) as u32,
        python_bases: strings(v, "python_bases", ctx)?,
        node: match (v.get("node"), v.get("node_base")) {
            (None, None) => None,
            (Some(_), Some(_)) => Some((text(v, "node", ctx)?, text(v, "node_base", ctx)?)),
            _ => {
                return Err(format!(
                    "faces.json {ctx}: `node` and `node_base` go together"
                ))
            }
        },
        doc: text(v, "doc", ctx)?,
        python,
    })
}

impl Faces {
    pub fn load(api_dir: &Path) -> Result<Faces, String> {
        let path = api_dir.join("faces.json");
        let raw = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v: Value = serde_json::from_str(&raw).map_err(|e| format!("faces.json: {e}"))?;
        let items = |key: &str| -> Result<Vec<Item>, String> {
            list(&v, key, key)?.iter().map(|x| item(x, key)).collect()
        };
        let kinds = |key: &str| -> Result<Vec<ErrorKind>, String> {
            list(&v, key, key)?.iter().map(|x| kind(x, key)).collect()
        };
        let credentials = list(&v, "credentials", "credentials")?
            .iter()
            .map(|c| {
                let tag = text(c, "type", "credentials")?;
                let ctx = format!("credentials.{tag}");
                let python = match (c.get("python"), c.get("python_function")) {
                    (Some(Value::String(n)), None) => PythonName::Class(n.clone()),
                    (None, Some(Value::String(n))) => PythonName::Function(n.clone()),
                    _ => {
                        return Err(format!(
                            "faces.json {ctx}: one of `python`, `python_function`"
                        ))
                    }
                };
                Ok(Credential {
                    fields: list(c, "fields", &ctx)?
                        .iter()
                        .map(|f| item(f, &ctx))
                        .collect::<Result<_, _>>()?,
                    doc: text(c, "doc", &ctx)?,
                    node: text(c, "node", &ctx)?,
                    python,
                    tag,
                })
            })
            .collect::<Result<_, String>>()?;
        let faces = Faces {
            report_fields: items("report_fields")?,
            ticket_fields: items("ticket_fields")?,
            reconciliation_fields: items("reconciliation_fields")?,
            error_kinds: kinds("error_kinds")?,
            python_error_classes: kinds("python_error_classes")?,
            options: items("options")?,
            call_options: items("call_options")?,
            node_options: items("node_options")?,
            credentials,
        };
        let mut codes: Vec<u32> = faces.error_kinds.iter().map(|k| k.code).collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() != faces.error_kinds.len() || codes.contains(&0) {
            return Err("faces.json: error codes must be distinct and non-zero".into());
        }
        if let Some(k) = faces.error_kinds.iter().find(|k| k.node.is_none()) {
            return Err(format!(
                "faces.json error_kinds.{}: no `node` class",
                k.kind
            ));
        }
        Ok(faces)
    }
}
