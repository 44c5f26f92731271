//! A YAML tree that remembers where every node came from.
//!
//! serde-based YAML loading stops at the first problem and forgets positions; a declarations
//! file deserves every problem reported at once with its line and column. So the loader parses
//! into this small position-carrying tree (with `yaml-rust2`'s marked events) and walks it.

use super::model::Pos;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A scalar as written; `quoted` scalars are always strings.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Keys keep their own positions so "unknown key" errors point at the key.
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) pos: Pos,
}

/// The YAML 1.2 core-schema type of a node, for "expected X, found Y" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Null,
    Bool,
    Number,
    String,
    List,
    Mapping,
}

impl Type {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Type::Null => "nothing (null)",
            Type::Bool => "a boolean",
            Type::Number => "a number",
            Type::String => "a string",
            Type::List => "a list",
            Type::Mapping => "a mapping",
        }
    }
}

impl Node {
    pub(crate) fn type_of(&self) -> Type {
        match &self.value {
            Value::Seq(_) => Type::List,
            Value::Map(_) => Type::Mapping,
            Value::Scalar { quoted: true, .. } => Type::String,
            Value::Scalar { text, .. } => match text.as_str() {
                "" | "~" | "null" | "Null" | "NULL" => Type::Null,
                "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Type::Bool,
                t if t.parse::<f64>().is_ok()
                    && !t.eq_ignore_ascii_case("nan")
                    && !t.contains("inf") =>
                {
                    Type::Number
                }
                _ => Type::String,
            },
        }
    }

    /// The scalar's text, whatever its resolved type (ids like `2024` are fine as text).
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        self.type_of() == Type::Null
    }
}

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) pos: Pos,
    pub(crate) message: String,
}

/// Parses one YAML document. An empty document is an empty mapping's absence: `Ok(None)`.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        pos: pos_of(e.marker()),
        message: e.info().to_owned(),
    })?;
    if let Some(message) = builder.error {
        return Err(message);
    }
    Ok(builder.root)
}

fn pos_of(mark: &Marker) -> Pos {
    // yaml-rust2 columns are 0-based; editors and users count from 1.
    Pos {
        line: mark.line(),
        col: mark.col() + 1,
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    /// For mappings under construction: a key waiting for its value.
    pending_keys: Vec<Option<Node>>,
    anchors: std::collections::HashMap<usize, Node>,
    /// Anchor ids of the open collections, to register them when they close.
    open_anchors: Vec<usize>,
    root: Option<Node>,
    error: Option<SyntaxError>,
    /// Nodes created through aliases, to bound "billion laughs" expansion.
    expanded: usize,
    /// Documents started: a declarations file is exactly one.
    documents: usize,
}

const MAX_ALIAS_EXPANSION: usize = 10_000;

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.push(node),
            Some(Node {
                value: Value::Map(entries),
                ..
            }) => {
                let slot = self
                    .pending_keys
                    .last_mut()
                    .expect("a key slot per open mapping");
                match slot.take() {
                    None => *slot = Some(node),
                    Some(key) => entries.push((key, node)),
                }
            }
            Some(_) => unreachable!("scalars are never open"),
        }
    }

    fn open(&mut self, value: Value, anchor: usize, mark: Marker) {
        let is_map = matches!(value, Value::Map(_));
        self.stack.push(Node {
            value,
            pos: pos_of(&mark),
        });
        self.open_anchors.push(anchor);
        if is_map {
            self.pending_keys.push(None);
        }
    }

    fn close(&mut self) {
        let Some(node) = self.stack.pop() else { return };
        if matches!(node.value, Value::Map(_)) {
            self.pending_keys.pop();
        }
        let anchor = self.open_anchors.pop().unwrap_or(0);
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.push_value(node);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                // `!!str true` is the string "true", like a quoted scalar.
                let string_tag = tag.is_some_and(|t| t.suffix == "str");
                let node = Node {
                    value: Value::Scalar {
                        text,
                        quoted: style != TScalarStyle::Plain || string_tag,
                    },
                    pos: pos_of(&mark),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_value(node);
            }
            Event::SequenceStart(anchor, _) => self.open(Value::Seq(Vec::new()), anchor, mark),
            Event::MappingStart(anchor, _) => self.open(Value::Map(Vec::new()), anchor, mark),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(mut node) => {
                    self.expanded += count_nodes(&node);
                    if self.expanded > MAX_ALIAS_EXPANSION {
                        self.error = Some(SyntaxError {
                            pos: pos_of(&mark),
                            message: "aliases expand to too many nodes".into(),
                        });
                        return;
                    }
                    node.pos = pos_of(&mark);
                    self.push_value(node);
                }
                None => {
                    self.error = Some(SyntaxError {
                        pos: pos_of(&mark),
                        message: "unknown alias".into(),
                    });
                }
            },
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.error = Some(SyntaxError {
                        pos: pos_of(&mark),
                        message: "a second YAML document starts here; expected exactly one".into(),
                    });
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Scalar { .. } => 1,
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_point_at_keys_and_values() {
        let root = parse("a: 1\nlist:\n  - x: \"q\"\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("mapping expected")
        };
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.pos, Pos { line: 1, col: 4 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("list expected")
        };
        let Value::Map(inner) = &items[0].value else {
            panic!("mapping expected")
        };
        assert_eq!(inner[0].0.pos, Pos { line: 3, col: 5 });
        assert_eq!(inner[0].1.type_of(), Type::String);
    }

    #[test]
    fn resolves_core_schema_types() {
        let root = parse("[1, 0.8, true, ~, '', plain, '1']").unwrap().unwrap();
        let Value::Seq(items) = &root.value else {
            panic!()
        };
        let types: Vec<_> = items.iter().map(Node::type_of).collect();
        use Type::*;
        assert_eq!(types, [Number, Number, Bool, Null, String, String, String]);
    }

    #[test]
    fn one_document_only_and_string_tags_make_strings() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err:?}");
        let root = parse("a: !!str true\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[0].1.type_of(), Type::String);
    }

    #[test]
    fn syntax_errors_carry_positions() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
    }

    #[test]
    fn aliases_are_expanded_but_bounded() {
        let root = parse("a: &x {k: v}\nb: *x\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[1].1.type_of(), Type::Mapping);
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..6 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(parse(&bomb).is_err());
    }
}
