//! The docstring of each Python operation method, what `help(client.list_sub_customers)` shows:
//! the route, what the call does to money and state, who may call it, then every parameter with
//! its type, whether it is required, its meaning and what it takes (allowed values, bounds, the
//! date form, the site), and what comes back.

use std::fmt::Write as _;

use crate::docs;
use crate::model::{Api, Operation};
use crate::python::Kwarg;

/// Target line width of the generated code.
const WIDTH: usize = 99;

/// Greedy word wrap of `text` into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `head: text` wrapped at `indent`, continuation lines four further in.
fn hanging(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let mut first = true;
    for line in wrap(text, WIDTH - indent - 4) {
        let extra = if first { "" } else { "    " };
        let _ = writeln!(out, "{pad}{extra}{line}");
        first = false;
    }
}

/// One `Args:` entry: `name (type, required): meaning; facts.`
fn arg_line(k: &Kwarg, ty: &str) -> String {
    let f = &k.param.field;
    let mut head = ty.to_owned();
    if f.required {
        head.push_str(", required");
    }
    let mut parts: Vec<String> = Vec::new();
    if k.name != f.name {
        parts.push(format!("sent as `{}`", f.name));
    }
    if let Some(d) = &f.doc {
        parts.push(d.clone());
    }
    parts.extend(docs::field_facts(f));
    let text = if parts.is_empty() {
        String::new()
    } else {
        let mut t = parts.join("; ");
        t.push('.');
        t
    };
    format!("{} ({head}): {text}", k.name).trim_end().to_owned()
}

/// The docstring's text (no quotes), lines indented by `indent`; `ty` spells a parameter's type.
pub(crate) fn method_doc(
    api: &Api,
    op: &Operation,
    kwargs: &[Kwarg],
    indent: usize,
    ty: &dyn Fn(&Kwarg) -> String,
) -> String {
    let pad = " ".repeat(indent);
    let mut s = String::new();
    let summary = crate::python::py_doc(api, op);
    for (i, line) in wrap(&summary, WIDTH - indent).into_iter().enumerate() {
        // The first line follows the opening quotes.
        let _ = writeln!(s, "{}{line}", if i == 0 { "" } else { pad.as_str() });
    }
    let _ = writeln!(s, "\n{pad}Args:");
    for k in kwargs {
        hanging(&mut s, indent + 4, &arg_line(k, &ty(k)));
    }
    hanging(
        &mut s,
        indent + 4,
        "_options (CallOptions): this call's own `timeout`, `retry` and `headers`.",
    );
    let _ = writeln!(s, "\n{pad}Returns:");
    hanging(
        &mut s,
        indent + 4,
        &format!(
            "{}: the answer as a dict (wire names; money as Decimal), with `.meta`: request id, \
             status, attempts, elapsed.",
            op.response
        ),
    );
    s
}
