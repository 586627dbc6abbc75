//! `.ecsnet.hcl` snippets for fix hints, written in one place so that every hint shows
//! configuration that [`super::parse_str`] accepts (a test parses the hints of every
//! scenario's findings).
//!
//! HCL allows a block on one line only with a single attribute and no nested block, so a
//! hint shows either a one-line block meant for inside `assume` (`subnet "…" { … }`) or a
//! complete multi-line `assume` block.

/// A one-line `subnet` block with one attribute, to go inside `assume`:
/// `subnet "subnet-0abc" { cidr_block = "10.0.1.0/24" }`. `value` is HCL (quoted when a
/// string).
pub fn subnet(label: &str, attr: &str, value: &str) -> String {
    format!("subnet \"{}\" {{ {attr} = {value} }}", escape(label))
}

/// One-line wording for a cluster assumption, for texts printed on one line (the capacity
/// table): a `cluster "prod"` block inside `assume` with `instance_type = "c5.large"` and
/// `max_instances = 4`.
pub fn cluster_inline(label: &str) -> String {
    format!(
        "a `cluster \"{}\"` block inside `assume` in .ecsnet.hcl with `instance_type = \"c5.large\"` and `max_instances = 4` (the group's type and max size)",
        escape(label)
    )
}

/// A complete `assume` block describing a cluster's container instances, with example
/// values to replace.
pub fn cluster(label: &str, zones: bool) -> String {
    let zones = if zones {
        "\n    availability_zones = [\"<zone-a>\", \"<zone-b>\"]"
    } else {
        ""
    };
    format!(
        "assume {{\n  cluster \"{}\" {{\n    instance_type = \"c5.large\"\n    max_instances = 4{zones}\n  }}\n}}",
        escape(label)
    )
}

/// A label as an HCL string literal body.
fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(text: &str) {
        crate::config::parse_str(text, "hint").unwrap_or_else(|e| panic!("{text}\n{e}"));
    }

    #[test]
    fn every_snippet_parses() {
        parses(&cluster("prod", true));
        assert!(cluster_inline("prod").contains("`cluster \"prod\"`"));
        parses(&cluster("arn:aws:ecs:eu-west-1:1:cluster/a\"b${x}", false));
        for (attr, value) in [
            ("cidr_block", "\"10.0.1.0/24\""),
            ("free_addresses", "200"),
            ("availability_zone", "\"eu-west-1a\""),
        ] {
            parses(&format!(
                "assume {{\n{}\n}}\n",
                subnet("subnet-0abc", attr, value)
            ));
        }
    }
}
