//! ARN → name: the one place that reads the resource part of an ARN. Links (task
//! definitions, clusters, autoscaling groups, services), cluster keys and `assume cluster`
//! lookups all ask here, so a cluster named by ARN in one place and by name in another is
//! the same cluster everywhere.

/// The part of an ARN after `marker` (`":cluster/"`, `"task-definition/"`), or `None` when
/// `value` is not an ARN or has no such part.
pub fn resource_after<'v>(value: &'v str, marker: &str) -> Option<&'v str> {
    if !value.starts_with("arn:") {
        return None;
    }
    value.find(marker).map(|i| &value[i + marker.len()..])
}

/// A cluster name from a name or a cluster ARN (`arn:aws:ecs:eu-west-1:1:cluster/prod` →
/// `prod`); anything else is returned as given.
pub fn cluster_name(value: &str) -> &str {
    resource_after(value, ":cluster/").unwrap_or(value)
}

/// A service name from a name or a service ARN (`.../service/<cluster>/<name>`, or the old
/// `.../service/<name>`).
pub fn service_name(value: &str) -> &str {
    resource_after(value, ":service/")
        .map(|r| r.rsplit('/').next().unwrap_or(r))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns() {
        assert_eq!(cluster_name("arn:aws:ecs:eu-west-1:1:cluster/prod"), "prod");
        assert_eq!(cluster_name("prod"), "prod");
        assert_eq!(cluster_name("aws_ecs_cluster.prod"), "aws_ecs_cluster.prod");
        assert_eq!(
            resource_after("arn:aws:ecs:r:1:task-definition/web:3", "task-definition/"),
            Some("web:3")
        );
        assert_eq!(resource_after("web:3", "task-definition/"), None);
        assert_eq!(
            service_name("arn:aws:ecs:eu-west-1:1:service/prod/api"),
            "api"
        );
        assert_eq!(service_name("arn:aws:ecs:eu-west-1:1:service/api"), "api");
    }
}
