//! The Python shells of the face-neutral layer, from `core/api/faces.json`:
//! - `errors.py`: the exception tree (one class per error kind, the report's fields as
//!   attributes, `_BY_KIND` for the native module);
//! - `credentials.py`: one class per explicit credential kind and one function per provider, each
//!   building the core's credentials spec;
//! - `_client_base.py`: the client constructor with every option typed, and the TypedDicts of
//!   the nested options.

use std::fmt::Write as _;

use crate::faces::{Credential, Faces, Item, PythonName};
use crate::python::HEADER;

/// `typing` costs more to import than all of hcpartner: the shells import it for type checkers
/// only (mypy reads any `TYPE_CHECKING` name as true).
const NO_TYPING: &str = "TYPE_CHECKING = False\n";

/// The Python spelling of a faces.json type.
fn py_type(item: &Item) -> String {
    if !item.values.is_empty() {
        let values: Vec<String> = item.values.iter().map(|v| format!("{v:?}")).collect();
        return format!("Literal[{}]", values.join(", "));
    }
    match item.ty.trim_end_matches('?') {
        "string" | "secret" => "str".into(),
        "int" | "integer" => "int".into(),
        "number" | "seconds" => "float".into(),
        "bool" => "bool".into(),
        "credentials" => "Credentials".into(),
        "map<number>" => "Mapping[str, float]".into(),
        "map<string>" => "Mapping[str, str]".into(),
        "map<any>" => "Dict[str, Any]".into(),
        "list<map<any>>" => "List[Dict[str, Any]]".into(),
        "ticket" => "ReconcileTicket".into(),
        "path" => "Union[str, os.PathLike[str]]".into(),
        "object" => class_name(&item.name),
        other => format!("Any  # {other}"),
    }
}

/// `timeouts` -> `Timeouts`, `max_attempts` -> `MaxAttempts`.
fn class_name(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn doc(indent: &str, text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let width = 99 - indent.len();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = write!(out, "{indent}{line}");
    }
    out
}

/// A `TypedDict` of `fields` (every key present), at `indent`, then the plain `dict` it is at
/// run time (a TypedDict needs `typing`, slow to import) one level up.
fn typed_dict(name: &str, doc: &str, fields: &[Item]) -> String {
    let mut s = format!(
        "\n    class {name}(TypedDict):\n{}\n",
        docstring("        ", doc)
    );
    for field in fields {
        let _ = writeln!(
            s,
            "{}\n        {}: {}",
            doc_comment("        ", &field.doc),
            field.name,
            py_type(field)
        );
    }
    s
}

/// `#:` comment lines of `text` at `indent`.
fn doc_comment(indent: &str, text: &str) -> String {
    doc(&format!("{indent}#: "), text)
}

fn docstring(indent: &str, text: &str) -> String {
    let body = doc(indent, text);
    let body = body.trim_start();
    if body.len() + indent.len() + 6 <= 99 && !body.contains('\n') {
        format!("{indent}\"\"\"{body}\"\"\"\n")
    } else {
        format!("{indent}\"\"\"{body}\n{indent}\"\"\"\n")
    }
}

pub fn errors_py(f: &Faces) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "\"\"\"Exceptions of hcpartner. Every one carries the same attributes (the core's error report);\n\
         none ever holds a secret. ``HcpError`` is the root; each subclass is one kind of failure, with\n\
         a stable ``code`` that is the same in every face:\n\n",
    );
    for k in &f.error_kinds {
        let _ = writeln!(s, "- ``{}`` ({}): {}", k.python, k.code, k.doc);
    }
    s.push_str(
        "\nGiving up on a state change that may be on the wire never cuts it off: it runs to its end in\n\
         the background and the caller gets one of:\n\n",
    );
    for k in &f.python_error_classes {
        let _ = writeln!(s, "- ``{}``: {}", k.python, k.doc);
    }
    s.push_str("\"\"\"\n\nfrom __future__ import annotations\n\nimport builtins\n\n");
    s.push_str(NO_TYPING);
    s.push_str("if TYPE_CHECKING:\n    from typing import Any, Dict, Optional, Type, TypedDict\n");
    s.push_str(&typed_dict(
        "ReconcileTicket",
        "What an unknown outcome was (``OutcomeUnknown.ticket``), for ``client.reconcile``.",
        &f.ticket_fields,
    ));
    s.push_str("else:\n    ReconcileTicket = dict  # a plain dict at run time\n\n");
    let names: Vec<String> = std::iter::once("HcpError".to_owned())
        .chain(f.error_kinds.iter().map(|k| k.python.clone()))
        .chain(f.python_error_classes.iter().map(|k| k.python.clone()))
        .map(|n| format!("    {n:?},"))
        .collect();
    let _ = write!(s, "__all__ = [\n{}\n]\n\n\n", names.join("\n"));
    s.push_str("class HcpError(Exception):\n    \"\"\"Root of every hcpartner error.\"\"\"\n\n");
    for r in &f.report_fields {
        let ty = py_type(r);
        let ty = if r.ty.ends_with('?')
            || r.name == "kind"
            || r.name == "code"
            || r.name == "dispatch"
        {
            format!("Optional[{ty}]")
        } else {
            ty
        };
        let _ = writeln!(s, "    #: {}\n    {}: {ty}", r.doc, r.name);
    }
    s.push_str("\n    def __init__(self, message: str, **report: Any) -> None:\n        super().__init__(message)\n");
    for r in &f.report_fields {
        let default = match r.ty.as_str() {
            "bool" => "False",
            "int" if r.name == "attempts" => "1",
            _ => "None",
        };
        let _ = writeln!(s, "        self.{0} = report.get({0:?}, {default})", r.name);
    }
    s.push_str(
        "\n    def __str__(self) -> str:\n        return str(self.args[0]) if self.args else \"\"\n\n\
         \x20   def __repr__(self) -> str:\n        parts = [repr(str(self))]\n\
         \x20       for name in (\"error_code\", \"status\", \"request_id\", \"field\"):\n\
         \x20           value = getattr(self, name, None)\n            if value is not None:\n\
         \x20               parts.append(f\"{name}={value!r}\")\n\
         \x20       return f\"{type(self).__name__}({', '.join(parts)})\"\n",
    );
    // Classes on an asyncio base are made on first use: importing asyncio costs more than all
    // of hcpartner, and only asyncio users (who have imported it) meet them.
    let lazy =
        |k: &&crate::faces::ErrorKind| k.python_bases.iter().any(|b| b.starts_with("asyncio."));
    for k in f
        .error_kinds
        .iter()
        .chain(&f.python_error_classes)
        .filter(|k| !lazy(k))
    {
        let _ = write!(
            s,
            "\n\nclass {}({}):\n{}",
            k.python,
            k.python_bases.join(", "),
            docstring("    ", &k.doc)
        );
    }
    let lazies: Vec<&crate::faces::ErrorKind> =
        f.python_error_classes.iter().filter(lazy).collect();
    if !lazies.is_empty() {
        s.push_str("\n\nif TYPE_CHECKING:\n    import asyncio\n");
        for k in &lazies {
            let _ = write!(
                s,
                "\n    class {}({}):\n{}",
                k.python,
                k.python_bases.join(", "),
                docstring("        ", &k.doc)
            );
        }
        s.push_str("\n\ndef __getattr__(name: str) -> Any:\n");
        for k in &lazies {
            let _ = write!(
                s,
                "    if name == {0:?}:\n        import asyncio\n\n        class {0}({1}):\n{2}\n        {0}.__module__ = __name__\n        globals()[name] = {0}\n        return {0}\n",
                k.python,
                k.python_bases.join(", "),
                docstring("            ", &k.doc)
            );
        }
        s.push_str(
            "    raise AttributeError(f\"module {__name__!r} has no attribute {name!r}\")\n",
        );
    }
    s.push_str("\n\n#: The class of each error kind (the native module raises through it).\n_BY_KIND: Dict[str, Type[HcpError]] = {\n");
    for k in &f.error_kinds {
        let _ = writeln!(s, "    {:?}: {},", k.kind, k.python);
    }
    s.push_str("}\n");
    s
}

/// `(params, spec entries)` of a credential's constructor.
fn signature(c: &Credential, keyword_only_optionals: bool) -> (Vec<String>, Vec<String>) {
    let mut params = Vec::new();
    let mut star = false;
    let mut entries = vec![format!("\"type\": {:?}", c.tag)];
    for field in &c.fields {
        let ty = py_type(field);
        if field.optional {
            if keyword_only_optionals && !star {
                params.push("*".into());
                star = true;
            }
            params.push(format!("{}: Optional[{ty}] = None", field.name));
        } else {
            params.push(format!("{}: {ty}", field.name));
        }
        let value = match field.ty.as_str() {
            "credentials" => format!("spec_of({})", field.name),
            _ => field.name.clone(),
        };
        entries.push(format!("{:?}: {value}", field.name));
    }
    (params, entries)
}

pub fn credentials_py(f: &Faces) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "\"\"\"Credentials for ``Client(credentials=...)``. Each is the core's credentials spec (the same\n\
         ``{\"type\": ...}`` shape the Node and C faces take); reprs never show a secret and none can be\n\
         pickled (a pickle would hold the secret).\"\"\"\n\nfrom __future__ import annotations\n\n\
         ",
    );
    s.push_str(NO_TYPING);
    s.push_str(
        "if TYPE_CHECKING:\n    from typing import Any, Dict, NoReturn, Optional, Union\n\n",
    );
    let mut public: Vec<String> = vec!["Provider".into(), "Credentials".into()];
    let mut secrets = Vec::new();
    let mut classes = Vec::new();
    for c in &f.credentials {
        match &c.python {
            PythonName::Class(n) => {
                public.push(n.clone());
                classes.push((c.tag.clone(), n.clone()));
            }
            PythonName::Function(n) => {
                public.push(n.clone());
                classes.push((c.tag.clone(), "Provider".into()));
            }
        }
        for field in c.fields.iter().filter(|x| x.ty == "secret") {
            secrets.push(format!("({:?}, {:?})", c.tag, field.name));
        }
    }
    public.sort();
    let quoted: Vec<String> = public.iter().map(|n| format!("{n:?}")).collect();
    let _ = write!(s, "__all__ = [\n    {},\n]\n\n", quoted.join(",\n    "));
    let _ = writeln!(
        s,
        "#: Fields never shown: (credential type, field).\n_SECRETS = {{{}}}",
        secrets.join(", ")
    );
    let names: Vec<String> = classes
        .iter()
        .map(|(t, n)| format!("{t:?}: {n:?}"))
        .collect();
    let _ = writeln!(s, "_NAMES = {{{}}}", names.join(", "));
    s.push_str(
        "\n\ndef _repr(spec: Dict[str, Any]) -> str:\n\
         \x20   shown = []\n\
         \x20   for key, value in spec.items():\n\
         \x20       if key == \"type\" or value is None:\n            continue\n\
         \x20       if (spec[\"type\"], key) in _SECRETS:\n            shown.append(f\"{key}='***'\")\n\
         \x20       elif isinstance(value, dict):\n            shown.append(f\"{key}={_repr(value)}\")\n\
         \x20       else:\n            shown.append(f\"{key}={value!r}\")\n\
         \x20   name = _NAMES[spec[\"type\"]]\n\
         \x20   head = f\"{spec['type']}, \" if name == \"Provider\" else \"\"\n\
         \x20   return f\"{name}({head}{', '.join(shown)})\".replace(\", )\", \")\")\n\n\n\
         class _Spec:\n    __slots__ = (\"_spec\",)\n    _spec: Dict[str, Any]\n\n\
         \x20   def __reduce__(self) -> NoReturn:\n\
         \x20       raise TypeError(f\"{type(self).__name__} holds a secret and cannot be pickled\")\n\n\
         \x20   def __repr__(self) -> str:\n        return _repr(self._spec)\n\n\n\
         class Provider(_Spec):\n\
         \x20   \"\"\"Credentials found when first needed (see the functions below).\"\"\"\n\n\
         \x20   __slots__ = ()\n\n\
         \x20   def __init__(self, spec: Dict[str, Any]) -> None:\n        self._spec = spec\n",
    );
    for c in &f.credentials {
        let PythonName::Class(name) = &c.python else {
            continue;
        };
        let (params, entries) = signature(c, true);
        let _ = write!(
            s,
            "\n\nclass {name}(_Spec):\n{}\n    __slots__ = ()\n\n    def __init__(\n        self, {}\n    ) -> None:\n        self._spec = {{{}}}\n",
            docstring("    ", &c.doc),
            params.join(", "),
            entries.join(", ")
        );
        for field in c
            .fields
            .iter()
            .filter(|x| !matches!(x.ty.as_str(), "secret" | "credentials"))
        {
            let ty = if field.optional {
                format!("Optional[{}]", py_type(field))
            } else {
                py_type(field)
            };
            let _ = write!(
                s,
                "\n    @property\n    def {0}(self) -> {ty}:\n        value: {ty} = self._spec[{0:?}]\n        return value\n",
                field.name
            );
        }
    }
    let classes: Vec<&str> = f
        .credentials
        .iter()
        .filter_map(|c| match &c.python {
            PythonName::Class(n) => Some(n.as_str()),
            PythonName::Function(_) => None,
        })
        .collect();
    let _ = write!(
        s,
        "\n\nif TYPE_CHECKING:\n    Credentials = Union[{}, Provider]\nelse:\n    Credentials = _Spec  # at run time, their common base\n",
        classes.join(", ")
    );
    for c in &f.credentials {
        let PythonName::Function(name) = &c.python else {
            continue;
        };
        let (params, entries) = signature(c, false);
        let _ = write!(
            s,
            "\n\ndef {name}({}) -> Provider:\n{}    return Provider({{{}}})\n",
            params.join(", "),
            docstring("    ", &c.doc),
            entries.join(", ")
        );
    }
    s.push_str(
        "\n\ndef spec_of(credentials: Any) -> Dict[str, Any]:\n\
         \x20   \"\"\"The core's spec of a credentials object.\"\"\"\n\
         \x20   if not isinstance(credentials, _Spec):\n\
         \x20       from .errors import InvalidArgument\n\n\
         \x20       raise InvalidArgument(\n\
         \x20           \"credentials: must be one of hcpartner's credentials (AkSk, Password, Token, AssumeRole, \"\n\
         \x20           f\"from_env(), ...), not {type(credentials).__name__}\",\n\
         \x20           kind=\"InvalidArgument\", code=100, field=\"credentials\", dispatch=\"not_sent\")\n\
         \x20   return credentials._spec\n",
    );
    s
}

pub fn client_base_py(f: &Faces) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "\"\"\"The client constructor, every option typed (docs/options.md: the same options in every face).\"\"\"\n\n\
         from __future__ import annotations\n\n",
    );
    s.push_str(NO_TYPING);
    s.push_str(
        "if TYPE_CHECKING:\n    import os\n    from typing import Any, Dict, List, Literal, Mapping, Optional, TypedDict, Union\n\n    \
         from .credentials import Credentials\n\nfrom os import fspath as _fspath\n\nfrom . import _native\nfrom .credentials import spec_of\n",
    );
    let objects: Vec<&Item> = f.options.iter().filter(|o| o.ty == "object").collect();
    s.push_str("\n\nif TYPE_CHECKING:\n");
    for o in &objects {
        let _ = write!(
            s,
            "\n    class {}(TypedDict, total=False):\n{}\n",
            class_name(&o.name),
            docstring("        ", &o.doc)
        );
        for field in &o.fields {
            let default = field.default.as_deref().unwrap_or("none");
            let _ = writeln!(
                s,
                "        #: {} Default {default}.\n        {}: {}",
                field.doc,
                field.name,
                py_type(field)
            );
        }
    }
    let _ = write!(
        s,
        "\n    class CallOptions(TypedDict, total=False):\n{}\n",
        docstring(
            "        ",
            "Options of one call (``_options=`` on every method, or ``client.with_options(...)``)."
        )
    );
    for field in &f.call_options {
        let default = field.default.as_deref().unwrap_or("none");
        let _ = writeln!(
            s,
            "        #: {} Default: {default}.\n        {}: {}",
            field.doc,
            field.name,
            py_type(field)
        );
    }
    s.push_str(&typed_dict(
        "Reconciliation",
        "What ``client.reconcile`` found in the service's records.",
        &f.reconciliation_fields,
    ));
    s.push_str(
        "\nelse:\n    # Plain dicts at run time (a TypedDict needs `typing`, slow to import).\n",
    );
    for o in &objects {
        let _ = writeln!(s, "    {} = dict", class_name(&o.name));
    }
    s.push_str("    CallOptions = dict\n    Reconciliation = dict\n");
    s.push_str(
        "\n\nclass ClientBase:\n    _native: Any\n\n    def __init__(\n        self,\n        *,\n",
    );
    for o in &f.options {
        let _ = writeln!(s, "        {}: Optional[{}] = None,", o.name, py_type(o));
    }
    s.push_str("        _native_client: Any = None,\n    ) -> None:\n");
    let mut text = String::from(
        "Options (never touches the network; unknown or bad values raise InvalidArgument naming them):",
    );
    let mut lines = vec![text.clone()];
    for o in &f.options {
        let default = o
            .default
            .as_deref()
            .map(|d| format!(" Default: {d}."))
            .unwrap_or_default();
        lines.push(format!("``{}``: {}{default}", o.name, o.doc));
    }
    text = String::new();
    for l in &lines {
        text.push_str(&doc("        ", l));
        text.push('\n');
    }
    let _ = write!(
        s,
        "        \"\"\"{}\n        \"\"\"\n",
        text.trim_start().trim_end()
    );
    s.push_str("        if _native_client is None:\n            options: Dict[str, Any] = {\n");
    for o in &f.options {
        let value = match o.ty.as_str() {
            "credentials" => format!("None if {0} is None else spec_of({0})", o.name),
            "path" => format!("None if {0} is None else _fspath({0})", o.name),
            _ => o.name.clone(),
        };
        let _ = writeln!(s, "                {:?}: {value},", o.name);
    }
    s.push_str(
        "            }\n            _native_client = _native.Client({k: v for k, v in options.items() if v is not None})\n\
         \x20       self._native = _native_client\n",
    );
    s
}
