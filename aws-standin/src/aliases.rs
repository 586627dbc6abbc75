//! Resource types that are other names of one implementation.

/// The type whose behaviour `type_name` shares: `aws_alb`, `aws_alb_listener` and
/// `aws_alb_target_group` are the provider's older names of `aws_lb`, `aws_lb_listener` and
/// `aws_lb_target_group` (one implementation registered under both names; both names are
/// still in the 5.100.0 and 6.47.0 schemas). Defaults, replacement rules and the values made
/// on apply follow the canonical type; the schema served is the alias's own.
pub fn canonical(type_name: &str) -> &str {
    match type_name {
        "aws_alb" => "aws_lb",
        "aws_alb_listener" => "aws_lb_listener",
        "aws_alb_target_group" => "aws_lb_target_group",
        other => other,
    }
}
