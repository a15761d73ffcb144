//! An answer's JSON read in two steps: parsed without the GIL (jiter's iterator) into a flat tape
//! of text ranges, numbers and cache slots, then made into Python objects with the GIL held. Only
//! the second step is serialized across threads: with 16 threads calling, the parse (about 40% of
//! the work) runs beside another thread's building instead of queueing for the GIL. In all it is
//! about 6% more instructions than jiter's one pass, which a thread calling alone keeps
//! (`client::InProgress`).
//!
//! The values are jiter's: integers `int` (beyond i64 too), other numbers exact `Decimal`s,
//! strings of up to 64 bytes taken from a cache (keys and codes repeat in every answer).

use std::sync::Mutex;

use hcpartner::facade::MAX_DEPTH;
use jiter::{Jiter, Peek};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString};

/// One value; an object's or array's members follow it (for an object, key then value).
enum Node {
    /// Members, the index after the last of its nodes, and whether its keys are those of the
    /// object before it in the same array, in the same order (its dict is then a copy of that
    /// one's, values replaced: no inserts, no growing).
    Object(u32, u32, bool),
    /// Members, the index after the last of its nodes.
    Array(u32, u32),
    /// Text range, and its cache slot (worked out here, off the GIL).
    Str(u32, u32, u32),
    Int(i64),
    /// An integer beyond i64, as its text.
    BigInt(u32, u32),
    /// A number with a fraction or an exponent, as its text: a `Decimal`.
    Fraction(u32, u32),
    Bool(bool),
    Null,
}

/// A parsed answer, ready to become Python objects.
pub struct Tape {
    nodes: Vec<Node>,
    /// The JSON text (checked UTF-8 once, so that each string is a slice of it), then the
    /// strings that had escapes, decoded: every text range is one of this.
    text: String,
}

impl Tape {
    /// Parses `json` (no GIL needed); the error says what is wrong and where.
    pub fn parse(json: &[u8]) -> Result<Tape, String> {
        let text = std::str::from_utf8(json).map_err(|e| not_utf8(json, e))?;
        // Ranges are u32, and the decoded strings after the JSON are at most as long as it.
        if text.len() > (u32::MAX / 2) as usize {
            return Err(format!("an answer of {} bytes is too large", json.len()));
        }
        let mut tape = Tape {
            nodes: Vec::with_capacity(json.len() / 16),
            text: text.to_owned(),
        };
        if text.bytes().all(|b| b.is_ascii_whitespace()) {
            // An empty answer (some operations send none): an empty result.
            tape.nodes.push(Node::Object(0, 1, false));
            return Ok(tape);
        }
        let mut jiter = Jiter::new(json);
        let read = (|| {
            let peek = jiter.peek()?;
            tape.value(&mut jiter, json, peek, 0)?;
            Ok(jiter.finish()?)
        })();
        match read {
            Ok(()) => Ok(tape),
            Err(Step::Json(e)) => Err(e.description(&jiter)),
            Err(Step::Deep) => Err(format!("nested deeper than {MAX_DEPTH} levels")),
        }
    }

    fn value(
        &mut self,
        jiter: &mut Jiter<'_>,
        json: &[u8],
        peek: Peek,
        depth: usize,
    ) -> Result<(), Step> {
        if peek == Peek::String {
            let s = jiter.known_str()?;
            let node = self.str_node(s, json);
            self.nodes.push(node);
        } else if peek == Peek::Object || peek == Peek::Array {
            if depth >= MAX_DEPTH {
                return Err(Step::Deep);
            }
            let at = self.nodes.len();
            self.nodes.push(Node::Null);
            let mut members = 0u32;
            if peek == Peek::Object {
                let mut key = jiter.known_object()?.map(|k| self.str_node(k, json));
                while let Some(k) = key {
                    self.nodes.push(k);
                    let next = jiter.peek()?;
                    self.value(jiter, json, next, depth + 1)?;
                    members += 1;
                    key = jiter.next_key()?.map(|k| self.str_node(k, json));
                }
                self.nodes[at] = Node::Object(members, self.nodes.len() as u32, false);
            } else {
                let mut item = jiter.known_array()?;
                let mut previous = None;
                while let Some(next) = item {
                    let child = self.nodes.len();
                    self.value(jiter, json, next, depth + 1)?;
                    if let Node::Object(n, end, _) = self.nodes[child] {
                        let same = previous.is_some_and(|p| self.same_keys(p, child));
                        self.nodes[child] = Node::Object(n, end, same);
                        previous = Some(child);
                    }
                    members += 1;
                    item = jiter.array_step()?;
                }
                self.nodes[at] = Node::Array(members, self.nodes.len() as u32);
            }
        } else if peek == Peek::Null {
            jiter.known_null()?;
            self.nodes.push(Node::Null);
        } else if peek == Peek::True || peek == Peek::False {
            let b = jiter.known_bool(peek)?;
            self.nodes.push(Node::Bool(b));
        } else {
            // A number (or an error jiter names): its text as written.
            let bytes = jiter.known_number_bytes(peek)?;
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            let node = if bytes.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
                let (start, len) = self.span(text, json);
                Node::Fraction(start, len)
            } else if let Ok(i) = text.parse::<i64>() {
                Node::Int(i)
            } else {
                let (start, len) = self.span(text, json);
                Node::BigInt(start, len)
            };
            self.nodes.push(node);
        }
        Ok(())
    }

    /// Whether the objects at `a` and `b` have the same keys in the same order.
    fn same_keys(&self, a: usize, b: usize) -> bool {
        let (Node::Object(n, ..), Node::Object(m, ..)) = (&self.nodes[a], &self.nodes[b]) else {
            return false;
        };
        if n != m {
            return false;
        }
        let (mut i, mut j) = (a + 1, b + 1);
        for _ in 0..*n {
            let (Node::Str(s1, l1, _), Node::Str(s2, l2, _)) = (&self.nodes[i], &self.nodes[j])
            else {
                return false;
            };
            if self.str_at(*s1, *l1) != self.str_at(*s2, *l2) {
                return false;
            }
            (i, j) = (self.after(i + 1), self.after(j + 1));
        }
        true
    }

    /// The index after the value at `i` and all its members.
    fn after(&self, i: usize) -> usize {
        match self.nodes[i] {
            Node::Object(_, end, _) | Node::Array(_, end) => end as usize,
            _ => i + 1,
        }
    }

    fn str_node(&mut self, s: &str, json: &[u8]) -> Node {
        let slot = if s.len() <= CACHED_LEN {
            (hash(s.as_bytes()) as usize % SLOTS) as u32
        } else {
            NO_SLOT
        };
        let (start, len) = self.span(s, json);
        Node::Str(start, len, slot)
    }

    /// Where a text jiter read lies in `self.text`: in the JSON when it is a slice of it (a
    /// string without escapes, a number), else in a copy after it.
    fn span(&mut self, s: &str, json: &[u8]) -> (u32, u32) {
        let offset = (s.as_ptr() as usize).wrapping_sub(json.as_ptr() as usize);
        if offset <= json.len() && s.len() <= json.len() - offset {
            return (offset as u32, s.len() as u32);
        }
        let start = self.text.len();
        self.text.push_str(s);
        (start as u32, s.len() as u32)
    }

    fn str_at(&self, start: u32, len: u32) -> &str {
        &self.text[start as usize..(start + len) as usize]
    }

    /// An object's dict, its members from `at`: a copy of `template` (the same keys) with the
    /// values replaced, or a new one.
    fn object<'py>(
        &self,
        py: Python<'py>,
        at: &mut usize,
        members: u32,
        template: Option<&Bound<'py, PyDict>>,
        mut cache: Option<&mut Cache>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = match template {
            Some(t) => t.copy()?,
            None => PyDict::new(py),
        };
        for _ in 0..members {
            let Node::Str(start, len, slot) = self.nodes[*at] else {
                unreachable!("an object's member starts with its key")
            };
            *at += 1;
            let key = string(py, self.str_at(start, len), slot, cache.as_deref_mut());
            let value = self.build(py, at, cache.as_deref_mut())?;
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }

    /// The Python value (the GIL held).
    pub fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // try_lock: a Decimal built meanwhile may run Python code that lets another thread in.
        let mut cache = CACHE.try_lock().ok();
        let mut at = 0;
        self.build(py, &mut at, cache.as_deref_mut())
    }

    fn build<'py>(
        &self,
        py: Python<'py>,
        at: &mut usize,
        mut cache: Option<&mut Cache>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let node = &self.nodes[*at];
        *at += 1;
        Ok(match *node {
            // Values too: making a string costs more than a cache miss (abi3 decodes UTF-8).
            Node::Str(start, len, slot) => {
                string(py, self.str_at(start, len), slot, cache).into_any()
            }
            Node::Object(members, _, _) => self.object(py, at, members, None, cache)?.into_any(),
            Node::Array(members, _) => {
                let mut items = Vec::with_capacity(members as usize);
                let mut previous: Option<Bound<'py, PyDict>> = None;
                for _ in 0..members {
                    if let Node::Object(n, _, same) = self.nodes[*at] {
                        *at += 1;
                        let template = previous.as_ref().filter(|_| same);
                        let dict = self.object(py, at, n, template, cache.as_deref_mut())?;
                        previous = Some(dict.clone());
                        items.push(dict.into_any());
                    } else {
                        items.push(self.build(py, at, cache.as_deref_mut())?);
                    }
                }
                PyList::new(py, items)?.into_any()
            }
            Node::Int(i) => i.into_pyobject(py)?.into_any(),
            Node::BigInt(start, len) => py.get_type::<PyInt>().call1((self.str_at(start, len),))?,
            Node::Fraction(start, len) => {
                crate::convert::decimal_type(py)?.call1((self.str_at(start, len),))?
            }
            Node::Bool(b) => pyo3::types::PyBool::new(py, b).to_owned().into_any(),
            Node::Null => py.None().into_bound(py),
        })
    }
}

/// Why `json` is not UTF-8: where jiter finds the bad bytes (they can only be in a string), or
/// else `e`'s byte offset.
fn not_utf8(json: &[u8], e: std::str::Utf8Error) -> String {
    let mut jiter = Jiter::new(json);
    match jiter.next_value().and_then(|_| jiter.finish()) {
        Err(found) => found.description(&jiter),
        Ok(()) => format!("the answer is not UTF-8: {e}"),
    }
}

enum Step {
    Json(jiter::JiterError),
    Deep,
}

impl From<jiter::JiterError> for Step {
    fn from(e: jiter::JiterError) -> Self {
        Step::Json(e)
    }
}

/// Strings seen before, by a hash of their bytes: one slot each, the newest wins.
struct Cache {
    slots: Vec<Option<(Box<str>, Py<PyString>)>>,
}

const SLOTS: usize = 4096;
const CACHED_LEN: usize = 64;
static CACHE: Mutex<Cache> = Mutex::new(Cache { slots: Vec::new() });

const NO_SLOT: u32 = u32::MAX;

fn string<'py>(
    py: Python<'py>,
    s: &str,
    slot: u32,
    cache: Option<&mut Cache>,
) -> Bound<'py, PyString> {
    let Some(cache) = cache.filter(|_| slot != NO_SLOT) else {
        return PyString::new(py, s);
    };
    if cache.slots.is_empty() {
        cache.slots.resize_with(SLOTS, || None);
    }
    let slot = &mut cache.slots[slot as usize];
    match slot {
        Some((text, value)) if &**text == s => value.bind(py).clone(),
        _ => {
            let value = PyString::new(py, s);
            *slot = Some((s.into(), value.clone().unbind()));
            value
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// Test hook: `json` made into Python values by both paths, jiter's one pass under the GIL and
/// the tape; each a value, or a `ValueError` (not raised) saying why the text is not JSON.
#[pyfunction]
#[pyo3(name = "_parse_both_ways")]
pub fn parse_both_ways(py: Python<'_>, json: &[u8]) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let schema = hcpartner::facade::Schema::Any;
    let one = |tape: Option<Result<Tape, String>>| -> PyResult<Py<PyAny>> {
        Ok(
            match crate::convert::from_json(py, schema, json, tape, &[]) {
                Ok(v) => v.unbind(),
                Err(Ok(e)) => return Err(e),
                Err(Err(why)) => pyo3::exceptions::PyValueError::new_err(why)
                    .into_value(py)
                    .into_any(),
            },
        )
    };
    let direct = one(None)?;
    let taped = one(Some(py.detach(|| Tape::parse(json))))?;
    Ok((direct, taped))
}
