//! The parsed `.tf` files: blocks and attributes with their lines, expressions as hcl-rs
//! values for the evaluator. Parsed by [`crate::fast`], or by hcl-edit (which keeps byte
//! spans) where that one gives up.

use hcl::edit::structure as es;
use hcl::edit::Span;

/// An attribute (`name = expr`) and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub name: String,
    pub line: u32,
    pub expr: hcl::Expression,
}

/// A block (`kind "label" { ... }`) and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub line: u32,
    pub body: Body,
}

/// A block body, in source order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Nested blocks of one kind, static ones only.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    /// `dynamic "kind"` blocks.
    pub fn dynamic_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| {
            b.kind == "dynamic" && b.labels.first().map(String::as_str) == Some(kind)
        })
    }
}

/// Byte offset → line number.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        // `match_indices` of a single byte searches with `memchr`.
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&s| s <= offset)) as u32
    }
}

/// Parse one file's text. The error is hcl-edit's message (which names line and column).
///
/// Most files are read by [`crate::fast`], which gives what it does not handle to hcl-edit;
/// the rest, and every file with a syntax error, hcl-edit parses whole.
pub fn parse(text: &str) -> Result<Body, String> {
    match crate::fast::parse(text) {
        Some(body) => Ok(body),
        None => parse_with_hcl_edit(text, &Lines::new(text)),
    }
}

/// The whole file through hcl-edit's parser.
pub(crate) fn parse_with_hcl_edit(text: &str, lines: &Lines) -> Result<Body, String> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        format!("{}:{}: {}", loc.line(), loc.column(), e.message())
    })?;
    Ok(convert_body(body, lines))
}

fn line_of(span: Option<std::ops::Range<usize>>, lines: &Lines) -> u32 {
    span.map(|r| lines.line(r.start)).unwrap_or(0)
}

/// Takes the hcl-edit tree apart (no copy of its expressions): each structure's line is read
/// from its span before its expression is moved out.
fn convert_body(body: es::Body, lines: &Lines) -> Body {
    let mut out = Body::default();
    for s in body {
        match s {
            es::Structure::Attribute(a) => {
                let line = line_of(a.key.span().or_else(|| a.span()), lines);
                out.attrs.push(Attr {
                    name: a.key.as_str().to_string(),
                    line,
                    expr: a.value.into(),
                })
            }
            es::Structure::Block(b) => {
                let line = line_of(b.ident.span().or_else(|| b.span()), lines);
                out.blocks.push(Block {
                    kind: b.ident.as_str().to_string(),
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    line,
                    body: convert_body(b.body, lines),
                })
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_lines_of_blocks_and_attributes() {
        let text =
            "# c\nresource \"aws_x\" \"y\" {\n  a = 1\n\n  nested {\n    b = \"x\"\n  }\n}\n";
        let body = parse(text).unwrap();
        let r = &body.blocks[0];
        assert_eq!((r.kind.as_str(), r.line), ("resource", 2));
        assert_eq!(r.labels, vec!["aws_x", "y"]);
        assert_eq!(r.body.attr("a").unwrap().line, 3);
        let n = r.body.blocks_of("nested").next().unwrap();
        assert_eq!(n.line, 5);
        assert_eq!(n.body.attr("b").unwrap().line, 6);
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let e = parse("resource \"x\" {\n  a = \n}\n").unwrap_err();
        assert!(e.starts_with("3:") || e.starts_with("2:"), "{e}");
    }
}
