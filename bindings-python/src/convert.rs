//! Python values to the core's JSON params and back. Every decision about numbers is the
//! facade's: a result is built by its response model (money is always `Decimal`, an `int` field
//! always `int`, a `float` field `float`). Input of any kind the core cannot send is an
//! `InvalidArgument` naming the field; nesting deeper than `MAX_DEPTH` (or cyclic) too.
//!
//! numpy and pandas values are values (`np.int64`, `np.float32`, `np.bool_`, arrays, a `Series`,
//! `pd.NA`), recognised by their type's module: neither is ever imported here. Dates
//! (`datetime`, `date`, `pd.Timestamp`, `np.datetime64`) go to the facade marked as dates, which
//! writes them as their field takes them (`facade::place_dates`).

use std::collections::HashMap;
use std::sync::Mutex;

use hcpartner::facade::{date_value, Build, Key, NumberKind, Schema, MAX_DEPTH};
use hcpartner::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::tape::Tape;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `decimal.Decimal` once anything has imported it: no value can be a `Decimal` before, and
/// importing it for a client's options would add 0.4 MiB to a process that uses no money.
fn decimal_if_imported(py: Python<'_>) -> PyResult<Option<&Bound<'_, PyAny>>> {
    if let Some(d) = DECIMAL.get(py) {
        return Ok(Some(d.bind(py)));
    }
    if crate::imported(py, pyo3::intern!(py, "decimal"))
        || crate::imported(py, pyo3::intern!(py, "_decimal"))
    {
        return decimal_type(py).map(Some);
    }
    Ok(None)
}

/// Builds Python objects for the facade's walk over a result.
pub struct PyBuild<'py>(pub Python<'py>);

/// Python strings for the keys the models know, made once: a result's dicts then reuse interned
/// keys whose hash is already computed. Keyed by the address of the model's `&'static str`.
fn known_key<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    static KEYS: Mutex<Option<HashMap<usize, Py<PyString>, BuildIdentity>>> = Mutex::new(None);
    let mut keys = KEYS.lock().unwrap_or_else(|p| p.into_inner());
    let keys = keys.get_or_insert_with(Default::default);
    keys.entry(name.as_ptr() as usize)
        .or_insert_with(|| PyString::intern(py, name).unbind())
        .bind(py)
        .clone()
}

/// The identity hash for addresses (distinct already).
#[derive(Default)]
struct Identity(u64);
type BuildIdentity = std::hash::BuildHasherDefault<Identity>;
impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = n as u64;
    }
}

impl<'py> Build for PyBuild<'py> {
    type Out = Bound<'py, PyAny>;
    type Map = Bound<'py, PyDict>;
    type List = Vec<Bound<'py, PyAny>>;
    type Error = PyErr;
    fn null(&mut self) -> PyResult<Self::Out> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn boolean(&mut self, b: bool) -> PyResult<Self::Out> {
        Ok(PyBool::new(self.0, b).to_owned().into_any())
    }
    fn number(&mut self, n: &Number, kind: NumberKind) -> PyResult<Self::Out> {
        let py = self.0;
        let integral = n.is_i64() || n.is_u64();
        match kind {
            NumberKind::Float => Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()),
            NumberKind::Decimal => decimal_type(py)?.call1((n.to_string(),)),
            NumberKind::Int | NumberKind::Unknown if integral => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Ok(i.into_pyobject(py)?.into_any()),
                (_, Some(u)) => Ok(u.into_pyobject(py)?.into_any()),
                _ => unreachable!("integral numbers are i64 or u64"),
            },
            _ => {
                let text = n.to_string();
                // Integers too big for 64 bits stay integers.
                if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    py.get_type::<PyInt>().call1((text,))
                } else {
                    decimal_type(py)?.call1((text,))
                }
            }
        }
    }
    fn string(&mut self, s: &str) -> PyResult<Self::Out> {
        Ok(PyString::new(self.0, s).into_any())
    }
    fn list(&mut self, len_hint: usize) -> PyResult<Self::List> {
        Ok(Vec::with_capacity(len_hint))
    }
    fn push(&mut self, list: &mut Self::List, v: Self::Out) -> PyResult<()> {
        list.push(v);
        Ok(())
    }
    fn end_list(&mut self, list: Self::List) -> PyResult<Self::Out> {
        Ok(PyList::new(self.0, list)?.into_any())
    }
    fn map(&mut self) -> PyResult<Self::Map> {
        Ok(PyDict::new(self.0))
    }
    fn insert(&mut self, map: &mut Self::Map, key: Key<'_>, v: Self::Out) -> PyResult<()> {
        match key.known {
            Some(name) => map.set_item(known_key(self.0, name), v),
            None => map.set_item(key.text, v),
        }
    }
    fn end_map(&mut self, map: Self::Map) -> PyResult<Self::Out> {
        Ok(map.into_any())
    }
}

/// A result from its JSON text, parsed already ([`Tape`], without the GIL) or now by jiter
/// (strings of up to 64 bytes cached: keys and repeated values such as codes and statuses are
/// made once). Both make integers `int` and other numbers exact `Decimal`s; then only the fields
/// the model types otherwise are corrected: a `decimal` written as an integer becomes a
/// `Decimal`, a `float` a `float`. The values `PyBuild` makes, for a fraction of its cost.
pub fn from_json<'py>(
    py: Python<'py>,
    schema: Schema,
    json: &[u8],
    parsed: Option<Result<Tape, String>>,
    headers: &[(&'static str, String)],
) -> Result<Bound<'py, PyAny>, Result<PyErr, String>> {
    let value = match parsed {
        Some(tape) => tape.map_err(Err)?.to_py(py).map_err(Ok)?,
        None if json.iter().all(u8::is_ascii_whitespace) => PyDict::new(py).into_any(),
        None => {
            let parse = jiter::PythonParse {
                allow_inf_nan: false,
                cache_mode: jiter::StringCacheMode::All,
                partial_mode: jiter::PartialMode::Off,
                catch_duplicate_keys: false,
                float_mode: jiter::FloatMode::Decimal,
            };
            parse
                .python_parse(py, json)
                .map_err(|e| Err(e.description(json)))?
        }
    };
    let value = if schema.has_typed_numbers() {
        correct(py, schema, &value).map_err(Ok)?.unwrap_or(value)
    } else {
        value
    };
    if let Ok(d) = value.cast::<PyDict>() {
        for (k, v) in headers {
            d.set_item(known_key(py, k), v).map_err(Ok)?;
        }
    }
    Ok(value)
}

/// `v` corrected by `schema` (see [`from_json`]): its replacement, or `None` when it stays.
fn correct<'py>(
    py: Python<'py>,
    schema: Schema,
    v: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match schema.number_kind() {
        NumberKind::Decimal if v.is_exact_instance_of::<PyInt>() => {
            return Ok(Some(decimal_type(py)?.call1((v,))?))
        }
        NumberKind::Float if !v.is_none() && !v.is_exact_instance_of::<PyFloat>() => {
            return Ok(v
                .extract::<f64>()
                .ok()
                .map(|f| PyFloat::new(py, f).into_any()))
        }
        _ => {}
    }
    if !schema.has_typed_numbers() {
        return Ok(None);
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let (mut hint, mut changes) = (0, Vec::new());
        for (k, x) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                continue;
            };
            let (field, _, next) = schema.field_at(&key.to_cow()?, hint);
            hint = next;
            if let Some(new) = correct(py, field, &x)? {
                changes.push((k, new));
            }
        }
        for (k, new) in changes {
            d.set_item(k, new)?;
        }
    } else if let Ok(l) = v.cast::<PyList>() {
        let item = schema.element();
        for i in 0..l.len() {
            if let Some(new) = correct(py, item, &l.get_item(i)?)? {
                l.set_item(i, new)?;
            }
        }
    }
    Ok(None)
}

fn bad(path: &str, message: String) -> Error {
    let field = match path.char_indices().nth(80) {
        _ if path.is_empty() => "params".to_owned(),
        Some((cut, _)) => format!("{}…", &path[..cut]),
        None => path.to_owned(),
    };
    Error::invalid_argument(field, message)
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A number from the text Python gives for it (`repr(float)`, `str(Decimal)`, `str(int)`).
fn number(text: &str, path: &str) -> Result<Value, Error> {
    text.parse::<Number>()
        .map(Value::Number)
        .map_err(|_| bad(path, format!("expected a finite number, got {text}")))
}

/// Python to JSON; `path` names the position (`customer_infos[0].amount`).
pub fn from_py(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Error> {
    from_py_at(obj, path, 0)
}

fn from_py_at(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Error> {
    let text = |o: &Bound<'_, PyAny>| -> Result<String, Error> {
        o.str()
            .and_then(|s| s.to_cow().map(|c| c.into_owned()))
            .map_err(|e| bad(path, format!("cannot be read: {e}")))
    };
    if depth > MAX_DEPTH {
        return Err(bad(
            path,
            format!("is nested deeper than {MAX_DEPTH} levels (or contains itself)"),
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return number(&text(obj)?, path);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| bad(path, "is not valid Unicode (a lone surrogate)".to_owned()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        // repr() of a plain float is the shortest text that round-trips: 0.1 stays 0.1. (Not the
        // object's own repr: `np.float64`, a float subclass, says `np.float64(0.1)`.)
        let plain = PyFloat::new(obj.py(), f.value());
        let r = plain
            .repr()
            .map_err(|e| bad(path, e.to_string()))?
            .to_string();
        return number(&r, path);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>().map(|k| k.to_string()) else {
                return Err(bad(
                    path,
                    format!("keys must be strings, got {}", type_name(&k)),
                ));
            };
            let value = from_py_at(&v, &child(path, &key), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        let items = obj.try_iter().map_err(|e| bad(path, e.to_string()))?;
        for (i, item) in items.enumerate() {
            let item = item.map_err(|e| bad(path, e.to_string()))?;
            out.push(from_py_at(&item, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    let decimal = decimal_if_imported(obj.py()).map_err(|e| bad(path, e.to_string()))?;
    if decimal.is_some_and(|d| obj.is_instance(d).unwrap_or(false)) {
        return number(&text(obj)?, path);
    }
    if let Some(v) = foreign(obj, path, depth)? {
        return Ok(v);
    }
    let what = type_name(obj);
    let advice = match what.as_str() {
        "set" | "frozenset" => "; pass a list",
        "bytes" | "bytearray" => "; pass a str",
        "DataFrame" => {
            "; pass one value (df[\"amount\"].iloc[0]), or df.to_dict(\"records\") to map()"
        }
        _ => "",
    };
    Err(bad(
        path,
        format!(
            "cannot send a {what} (send str, int, float, Decimal, bool, None, list or dict){advice}"
        ),
    ))
}

fn datetime_types(py: Python<'_>) -> PyResult<(&Bound<'_, PyAny>, &Bound<'_, PyAny>)> {
    static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Ok((
        DATETIME.import(py, "datetime", "datetime")?,
        DATE.import(py, "datetime", "date")?,
    ))
}

fn int_attr(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    obj.getattr(name)?.extract()
}

/// A date value for the facade: `date`, a naive `datetime` as written, an aware one in UTC.
fn date_of(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    let (datetime, _) = datetime_types(py)?;
    let ymd = |o: &Bound<'_, PyAny>| -> PyResult<String> {
        Ok(format!(
            "{:04}-{:02}-{:02}",
            int_attr(o, "year")?,
            int_attr(o, "month")?,
            int_attr(o, "day")?
        ))
    };
    if !obj.is_instance(datetime)? {
        return Ok(date_value(&ymd(obj)?));
    }
    let aware = !obj.call_method0("utcoffset")?.is_none();
    let t = if aware {
        let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
        obj.call_method1("astimezone", (utc,))?
    } else {
        obj.clone()
    };
    let hms = format!(
        "T{:02}:{:02}:{:02}{}",
        int_attr(&t, "hour")?,
        int_attr(&t, "minute")?,
        int_attr(&t, "second")?,
        if aware { "Z" } else { "" }
    );
    Ok(date_value(&format!("{}{hms}", ymd(&t)?)))
}

/// numpy and pandas values, and dates; `None` for anything else.
fn foreign(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Option<Value>, Error> {
    let py = obj.py();
    let read = |e: PyErr| bad(path, format!("cannot be read: {e}"));
    let ty = obj.get_type();
    let module = ty
        .getattr("__module__")
        .and_then(|m| m.extract::<String>())
        .unwrap_or_default();
    let name = type_name(obj);
    if module.starts_with("pandas") {
        match name.as_str() {
            // Missing values: the field is left out.
            "NAType" | "NaTType" => return Ok(Some(Value::Null)),
            "Series" | "Index" => return list_of(obj, path, depth).map(Some),
            _ => {}
        }
    }
    if module == "numpy" {
        if obj.hasattr("ndim").map_err(read)? && int_attr(obj, "ndim").map_err(read)? > 0 {
            return list_of(obj, path, depth).map(Some);
        }
        let kind: String = obj
            .getattr("dtype")
            .and_then(|d| d.getattr("kind"))
            .and_then(|k| k.extract())
            .unwrap_or_default();
        return match kind.as_str() {
            // numpy's str() is the shortest text for the value's own precision (float32 0.1 is
            // "0.1", not the 0.10000000149011612 a float64 would make of it).
            "f" => {
                let text = obj.str().map_err(read)?.to_string();
                number(&text, path).map(Some)
            }
            "i" | "u" | "b" | "U" | "S" => {
                let item = obj.call_method0("item").map_err(read)?;
                from_py_at(&item, path, depth + 1).map(Some)
            }
            "M" => {
                let item = obj
                    .call_method1("astype", ("datetime64[s]",))
                    .and_then(|s| s.call_method0("item"))
                    .map_err(read)?;
                if item.is_none() {
                    return Ok(Some(Value::Null)); // NaT
                }
                date_of(&item).map(Some).map_err(read)
            }
            _ => Ok(None),
        };
    }
    let (_, date) = datetime_types(py).map_err(read)?;
    if obj.is_instance(date).unwrap_or(false) {
        return date_of(obj).map(Some).map_err(read);
    }
    Ok(None)
}

/// An array or a Series as a list, each element converted (numpy scalars stay exact).
fn list_of(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Error> {
    let mut out = Vec::new();
    let items = obj.try_iter().map_err(|e| bad(path, e.to_string()))?;
    for (i, item) in items.enumerate() {
        let item = item.map_err(|e| bad(path, e.to_string()))?;
        out.push(from_py_at(&item, &format!("{path}[{i}]"), depth + 1)?);
    }
    Ok(Value::Array(out))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "value".to_owned())
}
