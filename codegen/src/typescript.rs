//! The Node writer: the generated half of the npm package `hcpartner` (under [`OUT`]).
//!
//! - `lib/operations.js`: the `Operations` mixin of `Client`: one camelCase method per operation,
//!   each handing its flat params (wire names) to `this.call`; `OPERATIONS` maps the names.
//! - `types/<home>.d.ts`: an interface for every model (grouped like the Rust output: the
//!   category that alone uses it, or `shared`) and for every operation's flat params
//!   (`ListSubCustomersParams`); `types/base.d.ts` holds the number aliases.
//! - `index.d.ts`: the client (every method typed), pagers, call options, signing, and from
//!   `faces.json` the errors, the options and the credentials.
//!
//! Numbers: what a caller sends may be a number, a string (decimals) or a bigint (integers,
//! decimals). What comes back follows the client's `numbers` option: each response model that
//! holds a decimal takes `N` (`string` by default, `number` for `numbers: "numbers"`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::faces::Faces;
use crate::model::{Api, EnumValue, ModelKind, Operation, Side, TypeRef, SHARED};
use crate::names::{camel_case, category_title, pascal_case};
use crate::typescript_faces::{declarations, jsdoc, HEADER};

/// Where the Node output goes, relative to the workspace root.
pub const OUT: &str = "bindings-node";

/// The directory of the model declarations (its stale files are removed), relative to the root.
pub const TYPES_OUT: &str = "bindings-node/types";

/// The longest a generated Node file may get (lines).
pub const MAX_LINES: usize = 1500;

/// Members of `Client` that no operation method may shadow.
const CLIENT_MEMBERS: &[&str] = &[
    "call",
    "paginate",
    "pages",
    "forCustomer",
    "reconcile",
    "endpoint",
    "site",
    "constructor",
    "toString",
];

/// Names the declarations define themselves; a model may not take them.
const RESERVED: &[&str] = &[
    "Num",
    "DecimalInput",
    "IntInput",
    "Client",
    "ClientConstructor",
    "ClientOptions",
    "CallOptions",
    "Pager",
    "PaginatedOperations",
    "Credentials",
    "Logger",
    "Timeouts",
    "Retry",
    "SignRequest",
    "HcpError",
    "ErrorKind",
    "ReconcileTicket",
    "Reconciliation",
];

/// A generated file: path relative to [`OUT`], and its text.
pub type Files = Vec<(String, String)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    In,
    Out,
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
}

fn key(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

struct Ctx<'a> {
    api: &'a Api,
    request_side: BTreeSet<&'a str>,
    homes: BTreeMap<&'a str, &'a str>,
    /// Response-side models holding a decimal somewhere inside: they take `N`.
    generic: BTreeSet<&'a str>,
    users: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Ctx<'a> {
    fn new(api: &'a Api) -> Result<Ctx<'a>, String> {
        let mut errors = Vec::new();
        for name in api.models.keys() {
            if !is_identifier(name) || RESERVED.contains(&name.as_str()) {
                errors.push(format!("model `{name}`: not usable as a TypeScript name"));
            }
        }
        let mut methods = BTreeSet::new();
        for op in &api.operations {
            let m = camel_case(&op.name);
            if CLIENT_MEMBERS.contains(&m.as_str()) || !methods.insert(m.clone()) {
                errors.push(format!("operation {}: the method `{m}` is taken", op.name));
            }
            let params = params_name(op);
            if api.models.contains_key(&params) {
                errors.push(format!("operation {}: `{params}` is also a model", op.name));
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        let request_side = api.request_side();
        let mut generic: BTreeSet<&str> = BTreeSet::new();
        loop {
            let before = generic.len();
            for (name, m) in &api.models {
                if request_side.contains(name.as_str()) {
                    continue;
                }
                let holds = m.fields.iter().any(|f| {
                    *f.ty.leaf() == TypeRef::Decimal
                        || f.ty.model_refs().iter().any(|r| generic.contains(r))
                });
                if holds {
                    generic.insert(name.as_str());
                }
            }
            if generic.len() == before {
                break;
            }
        }
        let users = api.users();
        Ok(Ctx {
            api,
            request_side,
            homes: api.homes(),
            generic,
            users,
        })
    }

    fn model_ref(&self, name: &str, dir: Dir) -> String {
        if dir == Dir::Out && self.generic.contains(name) {
            format!("{name}<N>")
        } else {
            name.to_owned()
        }
    }

    fn ts_type(&self, ty: &TypeRef, dir: Dir, enums: &[EnumValue]) -> String {
        match ty {
            TypeRef::List(t) => format!("Array<{}>", self.ts_type(t, dir, enums)),
            TypeRef::Map(t) => format!("Record<string, {}>", self.ts_type(t, dir, enums)),
            TypeRef::Model(m) => self.model_ref(m, dir),
            _ if dir == Dir::In && !enums.is_empty() => {
                let values: Vec<String> = enums
                    .iter()
                    .map(|v| match v {
                        EnumValue::Str(s) => format!("{s:?}"),
                        EnumValue::Int(i) => i.to_string(),
                    })
                    .collect();
                values.join(" | ")
            }
            TypeRef::String => "string".into(),
            TypeRef::Bool => "boolean".into(),
            TypeRef::Object => "unknown".into(),
            TypeRef::Float => "number".into(),
            TypeRef::Int => match dir {
                Dir::In => "IntInput".into(),
                Dir::Out => "number".into(),
            },
            TypeRef::Decimal => match dir {
                Dir::In => "DecimalInput".into(),
                Dir::Out => "N".into(),
            },
        }
    }

    fn model_doc(&self, name: &str) -> String {
        let m = self.api.model(name);
        let users = self.users.get(name).map(Vec::as_slice).unwrap_or_default();
        let first = users.first().copied().unwrap_or("?");
        match m.kind {
            ModelKind::Response => format!("The response of `{first}`."),
            ModelKind::Body => format!("The body of `{first}` (its fields are in the params)."),
            ModelKind::Model => {
                let verb = if self.request_side.contains(name) {
                    "Sent by"
                } else {
                    "Returned by"
                };
                match users.len() {
                    0 | 1 => format!("{verb} `{first}`."),
                    n => format!("{verb} `{first}` and {} other operation(s).", n - 1),
                }
            }
        }
    }

    /// One field line (with its JSDoc when it says something).
    fn field(&self, f: &crate::model::Field, dir: Dir, required: bool) -> String {
        let mut notes = Vec::new();
        if dir == Dir::Out && !f.enum_values.is_empty() {
            let vals: Vec<String> = f.enum_values.iter().map(EnumValue::text).collect();
            notes.push(format!("One of {}.", vals.join(", ")));
        }
        if f.secret {
            notes.push("Secret.".to_owned());
        }
        if let Some(site) = crate::docs::site_phrase(f) {
            notes.push(format!("{}{}.", site[..1].to_ascii_uppercase(), &site[1..]));
        }
        let mut s = String::new();
        if !notes.is_empty() {
            s.push_str(&jsdoc("  ", &notes.join(" ")));
        }
        let _ = writeln!(
            s,
            "  {}{}: {};",
            key(&f.name),
            if required { "" } else { "?" },
            self.ts_type(&f.ty, dir, &f.enum_values)
        );
        s
    }

    fn model_decl(&self, name: &str) -> String {
        let m = self.api.model(name);
        let dir = if self.api.side(name) == Side::Request {
            Dir::In
        } else {
            Dir::Out
        };
        let generic = if self.generic.contains(name) {
            "<N extends Num = string>"
        } else {
            ""
        };
        let mut s = jsdoc("", &self.model_doc(name));
        let _ = writeln!(s, "export interface {name}{generic} {{");
        for f in &m.fields {
            s.push_str(&self.field(f, dir, dir == Dir::In && f.required));
        }
        s.push_str("}\n");
        s
    }

    fn params_decl(&self, op: &Operation) -> String {
        let mut s = jsdoc(
            "",
            &format!("The params of `{}`: path, query, header and body fields side by side, by wire name.", op.name),
        );
        let _ = writeln!(s, "export interface {} {{", params_name(op));
        for p in self.api.flat_params(op) {
            s.push_str(&self.field(&p.field, Dir::In, p.field.required));
        }
        s.push_str("}\n");
        s
    }

    /// The names a declaration text uses from elsewhere: models, params and the base aliases.
    fn used_names(&self, text: &str) -> BTreeSet<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| {
                self.api.models.contains_key(*w)
                    || matches!(*w, "Num" | "DecimalInput" | "IntInput")
            })
            .map(str::to_owned)
            .collect()
    }

    fn home_of(&self, name: &str) -> &str {
        match name {
            "Num" | "DecimalInput" | "IntInput" => "base",
            _ => self.homes.get(name).copied().unwrap_or(SHARED),
        }
    }

    fn types_files(&self) -> Files {
        let mut groups: Vec<String> = vec![SHARED.to_owned()];
        groups.extend(self.api.categories());
        let mut files = vec![(
            "types/base.d.ts".to_owned(),
            format!(
                "{HEADER}/** What a number that comes back is: decimals follow the client's `numbers` option. */\n\
                 export type Num = string | number;\n\n\
                 /** A decimal you send (money): exact as a string (`\"10.00\"`), or a number or a bigint. */\n\
                 export type DecimalInput = string | number | bigint;\n\n\
                 /** An integer you send: a number, or a bigint beyond 2^53. */\n\
                 export type IntInput = number | bigint;\n"
            ),
        )];
        let mut index = format!("{HEADER}export * from './base';\n");
        for g in &groups {
            let mut body = String::new();
            for (name, home) in &self.homes {
                if home == g {
                    body.push('\n');
                    body.push_str(&self.model_decl(name));
                }
            }
            for op in self.api.operations.iter().filter(|o| &o.category == g) {
                body.push('\n');
                body.push_str(&self.params_decl(op));
            }
            let defined: BTreeSet<String> = self
                .homes
                .iter()
                .filter(|(_, h)| *h == g)
                .map(|(n, _)| (*n).to_owned())
                .collect();
            let mut imports: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for n in self.used_names(&body) {
                if !defined.contains(&n) {
                    imports.entry(self.home_of(&n)).or_default().push(n);
                }
            }
            let title = if g == SHARED {
                "Models several categories use".to_owned()
            } else {
                category_title(g)
            };
            let mut s = format!("{HEADER}// {title}.\n");
            for (from, names) in &imports {
                let _ = writeln!(s, "import type {{ {} }} from './{from}';", names.join(", "));
            }
            s.push_str(&body);
            let _ = writeln!(index, "export * from './{g}';");
            files.push((format!("types/{g}.d.ts"), s));
        }
        files.push(("types/index.d.ts".to_owned(), index));
        files
    }

    fn operations_js(&self) -> String {
        let mut s = String::from(HEADER);
        s.push_str(
            "'use strict';\n// The operation methods of `Client`: one per Partner Center operation, named as \
             in the official\n// SDK but camelCase. Each hands its flat params (wire names: path, query, \
             header and body fields\n// side by side) to `this.call`, which validates, signs and sends them. \
             Types: index.d.ts.\n\nclass Operations {",
        );
        let mut first = true;
        for c in self.api.categories() {
            let _ = write!(s, "\n  // ---- {} ----\n", category_title(&c));
            for op in self.api.operations.iter().filter(|o| o.category == c) {
                if !first {
                    s.push('\n');
                }
                first = false;
                s.push_str(&jsdoc("  ", &crate::python::py_doc(self.api, op)));
                let _ = writeln!(
                    s,
                    "  {}(params, options) {{\n    return this.call('{}', params, options);\n  }}",
                    camel_case(&op.name),
                    op.name
                );
            }
        }
        s.push_str("}\n\n/** Every operation: camelCase method name -> snake_case operation name. */\nconst OPERATIONS = Object.freeze({\n");
        for op in &self.api.operations {
            let _ = writeln!(s, "  {}: '{}',", camel_case(&op.name), op.name);
        }
        s.push_str("});\n\nmodule.exports = { Operations, OPERATIONS };\n");
        s
    }

    fn response(&self, op: &Operation) -> String {
        self.model_ref(&op.response, Dir::Out)
    }

    fn params_arg(&self, op: &Operation) -> String {
        let required = self.api.flat_params(op).iter().any(|p| p.field.required);
        format!(
            "params{}: {}",
            if required { "" } else { "?" },
            params_name(op)
        )
    }

    fn index_d_ts(&self, faces: &Faces) -> String {
        let mut s = String::from(HEADER);
        s.push_str(
            "// hcpartner: the Huawei Cloud Partner Center API from Node.js (types of index.js).\n\n\
             import type * as T from './types/index';\nimport type { Num } from './types/index';\n\n\
             export * from './types/index';\n",
        );
        s.push_str(&declarations(faces));
        s.push_str(
            "\n// ---- Calls ----\n\n/** Per call: give up on an abort or after `timeoutMs` (a read stops at once; a state change\n\
             \x20* that may be on the wire runs to its end and the call rejects with OutcomeUnknownError), and\n\
             \x20* the core's call options (docs/options.md): `timeout` (seconds, the whole call), `retry` (over\n\
             \x20* the client's), `headers` (extra, sent and signed). */\n\
             export interface CallOptions {\n  signal?: AbortSignal;\n  timeoutMs?: number;\n  timeout?: number;\n\
             \x20 retry?: Retry;\n  headers?: Record<string, string>;\n}\n\n\
             /** What a successful call's answer said about itself (`meta(result)`, or `result.meta`). */\n\
             export interface ResponseMeta {\n  readonly operation: string;\n  readonly requestId: string | null;\n\
             \x20 readonly status: number;\n  readonly attempts: number;\n  /** Seconds. */\n  readonly elapsed: number;\n}\n\n\
             /** The metadata of a call's result (a non-enumerable `meta` property: JSON keeps the wire's shape). */\n\
             export declare function meta(result: object): ResponseMeta | undefined;\n\n\
             /** Every item (or page) of a paginated operation, fetched as iterated (`for await`). */\n\
             export declare class Pager<T> implements AsyncIterableIterator<T> {\n\
             \x20 private constructor();\n  readonly operation: string;\n\
             \x20 next(): Promise<IteratorResult<T, undefined>>;\n\
             \x20 return(): Promise<IteratorResult<T, undefined>>;\n\
             \x20 [Symbol.asyncIterator](): Pager<T>;\n  /** Every item (or page) in an array. */\n  toArray(): Promise<T[]>;\n}\n\n\
             /** The paginated operations: their params, the items `paginate` yields, the pages `pages` yields. */\n\
             export interface PaginatedOperations<N extends Num = string> {\n",
        );
        for op in self.api.operations.iter() {
            let Some(pg) = &op.pagination else { continue };
            let item = self
                .api
                .model(&op.response)
                .fields
                .iter()
                .find(|f| f.name == pg.items_field)
                .map(|f| match &f.ty {
                    TypeRef::List(t) => self.ts_type(t, Dir::Out, &[]),
                    t => self.ts_type(t, Dir::Out, &[]),
                })
                .unwrap_or_else(|| "unknown".into());
            let item = qualify(&item, self);
            let _ = writeln!(
                s,
                "  {}: {{ args: [{}]; item: {item}; page: T.{} }};",
                camel_case(&op.name),
                self.params_arg(op).replace(": ", ": T."),
                self.response(op)
            );
        }
        s.push_str(
            "}\n\n/** A client: every operation as a method returning a Promise of a plain object (wire names). */\n\
             export interface Client<N extends Num = string> {\n\
             \x20 /** Calls any operation by name (`listSubCustomers` or `list_sub_customers`) with flat params. */\n\
             \x20 call(operation: string, params?: Record<string, unknown>, options?: CallOptions): Promise<Record<string, unknown>>;\n\
             \x20 /** Every item across pages (`limit` sets the page size). */\n\
             \x20 paginate<K extends keyof PaginatedOperations>(operation: K, ...args: PaginatedOperations<N>[K][\"args\"]): Pager<PaginatedOperations<N>[K][\"item\"]>;\n\
             \x20 /** Every page (the whole answer of each call). */\n\
             \x20 pages<K extends keyof PaginatedOperations>(operation: K, ...args: PaginatedOperations<N>[K][\"args\"]): Pager<PaginatedOperations<N>[K][\"page\"]>;\n\
             \x20 /** A client acting for a resale customer through assume_role (shares the connection pool). */\n\
             \x20 forCustomer(agencyName: string, customer: { customerId: string } | { customerName: string }): Client<N>;\n\
             \x20 /**\n   * Settles an unknown outcome from the service's records: an OutcomeUnknownError of a funding,\n\
             \x20  * reclaim or coupon call (or its `ticket`). Money in `records` as the client's `numbers` say.\n   */\n\
             \x20 reconcile(error: HcpError | ReconcileTicket): Promise<Reconciliation>;\n\
             \x20 readonly endpoint: string;\n  readonly site: \"cn\" | \"intl\";\n",
        );
        for c in self.api.categories() {
            let _ = write!(s, "\n  // ---- {} ----\n", category_title(&c));
            for op in self.api.operations.iter().filter(|o| o.category == c) {
                s.push_str(&jsdoc("  ", &crate::python::py_doc(self.api, op)));
                let _ = writeln!(
                    s,
                    "  {}({}, options?: CallOptions): Promise<T.{}>;",
                    camel_case(&op.name),
                    self.params_arg(op).replace(": ", ": T."),
                    self.response(op)
                );
            }
        }
        s.push_str(
            "}\n\nexport interface ClientConstructor {\n\
             \x20 /** Numbers as JS numbers (decimals rounded past 15 digits). */\n\
             \x20 new (options: ClientOptions & { numbers: \"numbers\" }): Client<number>;\n\
             \x20 /** Decimals (money) as exact strings: the default. Never touches the network. */\n\
             \x20 new (options?: ClientOptions): Client<string>;\n  readonly prototype: Client<Num>;\n}\n\
             export declare const Client: ClientConstructor;\n\n\
             /** A request to sign with `signRequest`. */\nexport interface SignRequest {\n\
             \x20 method: string;\n  url: string;\n  headers?: Record<string, string> | Array<[string, string]>;\n\
             \x20 body?: string | Uint8Array;\n  ak: string;\n  sk: string;\n  securityToken?: string;\n  domainId?: string;\n}\n\n\
             /** Signs a request with AK/SK (SDK-HMAC-SHA256, byte-identical to the official SDK): the headers to add. */\n\
             export declare function signRequest(request: SignRequest): Record<string, string>;\n\n\
             /** The version of hcpartner. */\nexport declare const version: string;\n",
        );
        s
    }
}

/// `Foo<N>` -> `T.Foo<N>` for a model name (the index imports the models as `T`).
fn qualify(ty: &str, ctx: &Ctx<'_>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in ty.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if ctx.api.models.contains_key(&word) {
            out.push_str("T.");
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// `list_sub_customers` -> `ListSubCustomersParams`.
pub fn params_name(op: &Operation) -> String {
    format!("{}Params", pascal_case(&op.name))
}

/// Writes every file of the Node package's generated half.
pub fn generate(api: &Api, faces: &Faces) -> Result<Files, String> {
    let ctx = Ctx::new(api)?;
    let mut files = vec![
        ("lib/operations.js".to_owned(), ctx.operations_js()),
        (
            "lib/errors.js".to_owned(),
            crate::typescript_faces::errors_js(faces),
        ),
        (
            "lib/credentials.js".to_owned(),
            crate::typescript_faces::credentials_js(faces),
        ),
        ("index.d.ts".to_owned(), ctx.index_d_ts(faces)),
    ];
    files.extend(ctx.types_files());
    Ok(files)
}
