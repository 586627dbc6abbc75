//! NET045: Fargate tasks need a way to their image registry.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{
    is_private_ecr_image, show_value, Egress, Launch, Link, Model, Service, Subnet, TaskDefinition,
    Val,
};
use crate::plan::SeededHash;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Awsvpc, Missing, MissingKind};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` running on Fargate can reach its image registry from every subnet
    /// of its `network_configuration`: the subnet's route table sends `0.0.0.0/0` to a NAT
    /// gateway (or another forwarding target such as a transit gateway), or to an internet
    /// gateway with `assign_public_ip = true`; otherwise the VPC must hold the VPC endpoints
    /// the tasks need: `com.amazonaws.REGION.ecr.dkr`, `ecr.api` and `s3` for images in
    /// Amazon ECR, `logs` when a container uses the `awslogs` log driver, `secretsmanager` or
    /// `ssm` for `secrets`. An image from another registry (Docker Hub, `public.ecr.aws`...)
    /// cannot come through an endpoint at all.
    ///
    /// Which route table a subnet uses, and where its default route goes, comes from the
    /// plan's `aws_route_table`, `aws_route`, `aws_route_table_association`,
    /// `aws_default_route_table` and `aws_main_route_table_association` resources; a subnet
    /// without an association uses its VPC's main route table. When the subnets, their
    /// routes or the VPC live outside the plan the finding is unverifiable and says what is
    /// missing. The main route table of an `aws_vpc` of the plan is taken to hold only what
    /// the plan puts there (a new VPC's main table has just the local route). IPv6-only
    /// subnets are not judged (only IPv4 routes are read). EC2 and Managed Instances tasks
    /// are not judged either: the Managed Instances networking guide says "Container images
    /// are downloaded from Amazon ECR through the primary ENI" of the instance, and on EC2
    /// the agent pulls, fetches secrets and ships logs from the instance too (NET044 covers
    /// EC2 tasks in public subnets).
    ///
    /// ## Why it matters
    /// The Fargate task networking guide says: "For a task on Fargate to pull a container
    /// image, the task must have a route to the internet", through a public IP in a public
    /// subnet or a NAT gateway in a private one, or, for images in Amazon ECR, through
    /// interface VPC endpoints (with platform version 1.4.0 the `ecr.dkr` and `ecr.api`
    /// endpoints and the Amazon S3 gateway endpoint, per "Migrating to Linux platform version
    /// 1.4.0"). Without one the task stops with `CannotPullContainerError` or
    /// `ResourceInitializationError`; the deployment never becomes steady. Nothing fails at
    /// apply.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   vpc_id     = aws_vpc.main.id      # no NAT gateway, no endpoints
    ///   cidr_block = "10.0.1.0/24"
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "FARGATE"
    ///   network_configuration {
    ///     subnets = [aws_subnet.app.id]   # NET045
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Route the subnets' `0.0.0.0/0` through a NAT gateway; or use public subnets with
    /// `assign_public_ip = true`; or keep the images in Amazon ECR and add
    /// `aws_vpc_endpoint`s for `ecr.dkr` and `ecr.api` (interface, with
    /// `private_dns_enabled = true`), `s3` (gateway, on the subnets' route tables), and `logs`, `secretsmanager` or
    /// `ssm` as the tasks need. If the endpoints live in another configuration, ignore this
    /// finding for the service in `.ecsnet.hcl`:
    /// ```hcl
    /// ignore {
    ///   rule    = "NET045"
    ///   address = "aws_ecs_service.api"
    ///   reason  = "the VPC endpoints are managed by the network stack"
    /// }
    /// ```
    pub struct FargateRegistryRoute {
        id: "NET045",
        name: "fargate-registry-route",
        severity: Warning,
        summary: "Fargate tasks need a route to their registry: NAT, a public IP in a public subnet, or VPC endpoints",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
    }
}

const ATTR: &str = "network_configuration[0].subnets";

/// How a task in one subnet reaches the internet.
#[derive(Clone)]
enum Path {
    Internet,
    /// It cannot, with why.
    None(String),
    /// Cannot tell, with why, and why a plan reader cannot.
    Undetermined(Why, MissingKind),
}

/// Why the path out of a subnet cannot be told.
#[derive(Clone, PartialEq)]
enum Why {
    Outside,
    NoTable,
    RoutesUnknown(String),
    OtherNetworks(String),
    PublicIpUnknown,
    Ipv6Only,
}

impl Why {
    /// The reason for a group of subnets.
    fn text(&self, subnets: &[String]) -> String {
        let list = support::and_list(subnets);
        let many = subnets.len() > 1;
        match self {
            Why::Outside => format!("{list} {} outside the plan", if many { "are" } else { "is" }),
            Why::NoTable => format!("the plan does not show which route table {list} {}", if many { "use" } else { "uses" }),
            Why::RoutesUnknown(t) => format!("the routes of {t} (used by {list}) are known only after apply"),
            Why::OtherNetworks(t) => format!(
                "{t} (used by {list}) has no 0.0.0.0/0 route but routes to other networks (transit gateway, peering or VPN), which may provide endpoints or egress"
            ),
            Why::Ipv6Only => format!(
                "{list} {} IPv6-only, and ecsnet judges only IPv4 routes",
                if many { "are" } else { "is" }
            ),
            Why::PublicIpUnknown => format!(
                "{list} {} 0.0.0.0/0 to an internet gateway and assign_public_ip is known only after apply",
                if many { "route" } else { "routes" }
            ),
        }
    }
}

/// "A and B are outside the plan; the routes of T (used by C) are known only after apply".
fn undetermined_text(items: &[(String, Why)]) -> String {
    let mut groups: Vec<(&Why, Vec<String>)> = Vec::new();
    for (subnet, why) in items {
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, v)) => v.push(subnet.clone()),
            None => groups.push((why, vec![subnet.clone()])),
        }
    }
    groups
        .iter()
        .map(|(w, v)| w.text(v))
        .collect::<Vec<_>>()
        .join("; ")
}

fn path(model: &Model, link: &Link, plan: usize, public_ip: &Val<bool>) -> (String, Path) {
    let Some(s) = support::subnet(model, link, plan) else {
        return (
            support::subnet_label(link),
            Path::Undetermined(Why::Outside, MissingKind::of_link(link)),
        );
    };
    if s.ipv6_native.get() == Some(&true) {
        // ecsnet's limitation: it reads IPv4 routes only.
        return (
            s.address.clone(),
            Path::Undetermined(Why::Ipv6Only, MissingKind::Hidden),
        );
    }
    let table = s.route_table.as_deref().unwrap_or("its route table");
    let p = match (s.egress.get(), public_ip) {
        (Some(Egress::Forwarded), _) | (Some(Egress::InternetGateway), Val::Known(true)) => {
            Path::Internet
        }
        (Some(Egress::InternetGateway), Val::Unknown) => {
            Path::Undetermined(Why::PublicIpUnknown, MissingKind::AfterApply)
        }
        (Some(Egress::InternetGateway), _) => Path::None(format!(
            "{table} sends 0.0.0.0/0 to an internet gateway, but assign_public_ip is false, so the tasks get no public IP"
        )),
        (Some(Egress::Isolated), _) => Path::None(format!(
            "{table} has no route to the internet (no 0.0.0.0/0 route)"
        )),
        // What lies beyond a transit gateway, peering or VPN is outside the plan.
        (Some(Egress::OtherNetworks), _) => Path::Undetermined(
            Why::OtherNetworks(table.to_string()),
            MissingKind::OutsidePlan,
        ),
        (None, _) => Path::Undetermined(
            unknown_egress(s),
            s.egress_unknown.unwrap_or(MissingKind::Hidden),
        ),
    };
    (s.address.clone(), p)
}

fn unknown_egress(s: &Subnet) -> Why {
    match &s.route_table {
        Some(t) => Why::RoutesUnknown(t.clone()),
        None => Why::NoTable,
    }
}

/// A VPC endpoint the tasks need when they have no route to the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    EcrDkr,
    EcrApi,
    S3,
    Logs,
    SecretsManager,
    Ssm,
}

impl Need {
    /// The service part of the endpoint name, `com.amazonaws.REGION.<this>`.
    fn service(self) -> &'static str {
        match self {
            Need::EcrDkr => "ecr.dkr",
            Need::EcrApi => "ecr.api",
            Need::S3 => "s3",
            Need::Logs => "logs",
            Need::SecretsManager => "secretsmanager",
            Need::Ssm => "ssm",
        }
    }
}

/// What the task definition says about the registries and services the tasks reach.
struct Needs {
    needs: Vec<Need>,
    /// A container whose image is not in a private ECR repository: (container, image).
    public_image: Option<(String, String)>,
    /// False when the containers could not be read (the images might be anywhere).
    known: bool,
}

fn needs(td: Option<&TaskDefinition>) -> Needs {
    let mut out = Needs {
        needs: vec![Need::EcrDkr, Need::EcrApi, Need::S3],
        public_image: None,
        known: false,
    };
    let Some(td) = td else {
        return out;
    };
    let Some(containers) = td.containers.get() else {
        return out;
    };
    out.known = true;
    let sensitive = td.containers.sensitive;
    let add = |n: Need, v: &mut Vec<Need>| {
        if !v.contains(&n) {
            v.push(n)
        }
    };
    for c in containers {
        if let Some(image) = c.image().filter(|i| !is_private_ecr_image(i)) {
            if out.public_image.is_none() {
                out.public_image = Some((
                    show_value(&c.name, sensitive),
                    show_value(&image, sensitive),
                ));
            }
        }
        if c.log_driver() == Some("awslogs") {
            add(Need::Logs, &mut out.needs);
        }
        for s in c.secret_sources() {
            let n = if s.contains(":secretsmanager:") {
                Need::SecretsManager
            } else {
                Need::Ssm
            };
            add(n, &mut out.needs);
        }
    }
    out
}

/// Whether the plan shows an endpoint for `need` in the VPC.
enum Have {
    Yes,
    No,
    /// An endpoint whose VPC or service name is known only after apply might be it.
    Maybe(String),
}

fn have(model: &Model, vpc: &str, plan: usize, need: Need, notes: &mut Vec<String>) -> Have {
    let mut maybe = None;
    for ep in model.vpc_endpoints.iter().filter(|e| e.plan == plan) {
        let in_vpc = match &ep.vpc {
            Some(l) if l.address.as_deref() == Some(vpc) => true,
            Some(l) if l.address.is_some() || l.literal.is_some() => continue,
            _ => false,
        };
        let Some(service) = ep.service() else {
            if ep.service_name.is_unknown() {
                maybe = Some(ep.address.clone());
            }
            continue;
        };
        if service != need.service() {
            continue;
        }
        if !in_vpc {
            maybe = Some(ep.address.clone());
            continue;
        }
        let interface = ep
            .endpoint_type
            .get()
            .is_some_and(|t| t.eq_ignore_ascii_case("Interface"));
        if need != Need::S3 && interface && ep.private_dns_enabled.get() == Some(&false) {
            notes.push(format!(
                "{} has private_dns_enabled = false, so {}'s usual DNS name does not resolve to it",
                ep.address,
                need.service()
            ));
            continue;
        }
        return Have::Yes;
    }
    maybe.map_or(Have::No, Have::Maybe)
}

/// What the rule concludes for one service whose subnets have no way out.
enum Verdict<'b> {
    Pass,
    /// Tasks in these subnets cannot pull: (subnet, why).
    Fire(Finding<'b>),
    Unverifiable(Missing),
}

enum Finding<'b> {
    PublicImage {
        blocked: &'b [(String, String)],
        container: String,
        image: String,
    },
    MissingEndpoints {
        blocked: &'b [(String, String)],
        missing: Vec<Need>,
        notes: Vec<String>,
    },
}

impl Finding<'_> {
    fn blocked(&self) -> &[(String, String)] {
        match self {
            Finding::PublicImage { blocked, .. } | Finding::MissingEndpoints { blocked, .. } => {
                blocked
            }
        }
    }

    fn message(&self) -> String {
        let subnets: Vec<&str> = self.blocked().iter().map(|(s, _)| s.as_str()).collect();
        let head = format!(
            "this Fargate service's tasks in subnet(s) {} have no route to the internet",
            support::and_list(&subnets)
        );
        match self {
            Finding::PublicImage {
                container, image, ..
            } => format!(
                "{head}, and container {container} pulls {image} from a registry no VPC endpoint serves: the tasks cannot start (CannotPullContainerError)"
            ),
            Finding::MissingEndpoints { missing, .. } => {
                let names: Vec<&str> = missing.iter().map(|n| n.service()).collect();
                format!(
                    "{head}, and the VPC has no usable VPC endpoint for {}: the tasks cannot pull their images or start (CannotPullContainerError, ResourceInitializationError)",
                    support::and_list(&names)
                )
            }
        }
    }

    fn detail(&self) -> String {
        let mut lines: Vec<String> = self
            .blocked()
            .iter()
            .map(|(s, why)| format!("{s}: {why}"))
            .collect();
        if let Finding::MissingEndpoints { notes, .. } = self {
            lines.extend(notes.iter().cloned());
        }
        format!("Evidence:\n{}", lines.join("\n"))
    }
}

const HELP: &str = "Route 0.0.0.0/0 through a NAT gateway, or use public subnets with assign_public_ip = true, or keep the images in Amazon ECR and add aws_vpc_endpoint resources for ecr.dkr and ecr.api (Interface, private_dns_enabled = true), s3 (Gateway) and, as the tasks need, logs, secretsmanager and ssm. If the endpoints are managed elsewhere, ignore NET045 for this service.";

/// [`path`] by (plan, subnet address, assign_public_ip): the services of a module share
/// their subnets, so each subnet's way out is worked out once per run of the rule.
type Paths<'m> = HashMap<(usize, &'m str, Option<bool>), (String, Path), SeededHash>;

/// assign_public_ip as a memo key: the known value, or `None` when unknown (`verdict` reads
/// a null one as false, so only unknown is left).
fn ip_key(public_ip: &Val<bool>) -> Option<bool> {
    match public_ip {
        Val::Known(b) => Some(*b),
        _ => None,
    }
}

fn path_memo<'m>(
    paths: &mut Paths<'m>,
    model: &Model,
    link: &'m Link,
    plan: usize,
    public_ip: &Val<bool>,
) -> (String, Path) {
    let ip = ip_key(public_ip);
    match link.address.as_deref() {
        Some(a) => paths
            .entry((plan, a, ip))
            .or_insert_with(|| path(model, link, plan, public_ip))
            .clone(),
        None => path(model, link, plan, public_ip),
    }
}

/// What a service's subnets and assign_public_ip decide before its task definition is
/// read. It is the same for every service with the same subnets and assign_public_ip (the
/// services of a module share them), so [`Memo::stage`] works it out once for them.
enum Stage<'m> {
    Pass,
    Unverifiable(Missing),
    /// Subnets without a way out: (subnet, why), and their VPCs.
    Blocked {
        blocked: Vec<(String, String)>,
        vpcs: Vec<Option<&'m Link>>,
    },
}

fn stage<'m>(
    model: &'m Model,
    links: &'m [Link],
    plan: usize,
    public_ip: &Val<bool>,
    paths: &mut Paths<'m>,
) -> Stage<'m> {
    let mut blocked = Vec::new();
    let mut undetermined = Vec::new();
    let mut kind: Option<MissingKind> = None;
    let mut vpcs: Vec<Option<&Link>> = Vec::new();
    for l in links {
        match path_memo(paths, model, l, plan, public_ip) {
            (_, Path::Internet) => {}
            (s, Path::None(why)) => {
                vpcs.push(support::subnet(model, l, plan).and_then(|s| s.vpc.as_ref()));
                blocked.push((s, why));
            }
            (s, Path::Undetermined(why, k)) => {
                undetermined.push((s, why));
                MissingKind::add(&mut kind, k);
            }
        }
    }
    if !blocked.is_empty() {
        return Stage::Blocked { blocked, vpcs };
    }
    match undetermined.is_empty() {
        true => Stage::Pass,
        false => Stage::Unverifiable(Missing::new(
            undetermined_text(&undetermined),
            "Manage the subnets, their route table associations and routes in the plan (or pass the plan that does), or ignore NET045 for this service if its subnets reach the internet.",
            kind.unwrap_or(MissingKind::Hidden),
        )),
    }
}

/// A container pulling a public image: (container, image), as shown in findings.
type Image = (String, String);

/// The subnets' stages and the findings they make, shared by the services with the same
/// subnets: a finding is made once and copied for each service instead of worded again.
#[derive(Default)]
struct Memo<'m> {
    paths: Paths<'m>,
    /// (plan, subnets, assign_public_ip) to an index in `stages`.
    keys: HashMap<(usize, Vec<SubnetName<'m>>, Option<bool>), usize, SeededHash>,
    stages: Vec<Stage<'m>>,
    /// The finding made for a stage (and a public image), for the first service that made it.
    made: HashMap<(usize, Option<Image>), Diagnostic, SeededHash>,
}

impl<'m> Memo<'m> {
    /// The index in `stages` of the stage of these subnets, and whether other services
    /// can share it (not when a subnet is known only after apply).
    fn stage(
        &mut self,
        model: &'m Model,
        links: &'m [Link],
        plan: usize,
        public_ip: &Val<bool>,
    ) -> (usize, bool) {
        let ip = ip_key(public_ip);
        let key: Option<Vec<SubnetName>> = links.iter().map(SubnetName::of).collect();
        let Some(key) = key else {
            self.stages
                .push(stage(model, links, plan, public_ip, &mut self.paths));
            return (self.stages.len() - 1, false);
        };
        let key = (plan, key, ip);
        if let Some(&i) = self.keys.get(&key) {
            return (i, true);
        }
        let st = stage(model, links, plan, public_ip, &mut self.paths);
        self.stages.push(st);
        self.keys.insert(key, self.stages.len() - 1);
        (self.stages.len() - 1, true)
    }
}

/// What decides a subnet's [`path`]: its address in the plan, else its literal id.
#[derive(PartialEq, Eq, Hash)]
enum SubnetName<'m> {
    Address(&'m str),
    Literal(&'m str),
}

impl<'m> SubnetName<'m> {
    fn of(link: &'m Link) -> Option<Self> {
        match (&link.address, &link.literal) {
            (Some(a), _) => Some(SubnetName::Address(a)),
            (None, Some(l)) => Some(SubnetName::Literal(l)),
            (None, None) => None,
        }
    }
}

/// `made`, the finding another service made, for `svc`: only the address differs.
fn for_service(made: &Diagnostic, svc: &Service) -> Diagnostic {
    let mut d = made.clone();
    d.address.clear();
    d.address.push_str(&svc.address);
    d
}

/// The verdict for subnets without a way out, from the VPC endpoints of their VPCs.
fn endpoints<'b>(
    model: &Model,
    plan: usize,
    vpcs: &[Option<&Link>],
    n: &Needs,
    blocked: &'b [(String, String)],
) -> Verdict<'b> {
    let mut missing: Vec<Need> = Vec::new();
    let mut maybe: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for vpc in vpcs {
        let managed = vpc
            .and_then(|l| l.address.as_deref())
            .filter(|a| model.vpc_in(a, plan).is_some_and(|v| v.managed));
        let Some(vpc) = managed else {
            let name = vpc.map_or("(known after apply)".to_string(), |l| l.describe());
            return Verdict::Unverifiable(Missing::new(
                format!("the subnets have no route to the internet, and their VPC {name} is not managed in the plan, so its VPC endpoints cannot be seen"),
                "Pass the plan that manages the VPC and its endpoints to `ecsnet check`, or ignore NET045 for this service if the VPC has the endpoints the tasks need.",
                match vpc {
                    Some(l) if l.address.is_none() => MissingKind::of_link(l),
                    // An existing VPC (a data source) or one another plan manages.
                    Some(_) => MissingKind::OutsidePlan,
                    None => MissingKind::Hidden,
                },
            ));
        };
        for &need in &n.needs {
            match have(model, vpc, plan, need, &mut notes) {
                Have::Yes => {}
                Have::No if !missing.contains(&need) => missing.push(need),
                Have::No => {}
                Have::Maybe(ep) => maybe.push(ep),
            }
        }
    }
    if !maybe.is_empty() {
        maybe.dedup();
        return Verdict::Unverifiable(Missing::after_apply(
            format!("the subnets have no route to the internet, and the VPC or service name of {} is known only after apply", support::and_list(&maybe)),
            "Set service_name and vpc_id of the aws_vpc_endpoint resources from values known at plan time.",
        ));
    }
    if !missing.is_empty() {
        return Verdict::Fire(Finding::MissingEndpoints {
            blocked,
            missing,
            notes,
        });
    }
    if !n.known {
        // The images are in container definitions known only after apply.
        return Verdict::Unverifiable(Missing::after_apply(
            "the subnets have no route to the internet and the VPC has the Amazon ECR endpoints, but the containers' images are not known at plan time (only images in Amazon ECR come through endpoints)",
            "Build container_definitions from values known at plan time, or ignore NET045 for this service if its images are in Amazon ECR.",
        ));
    }
    Verdict::Pass
}

impl Rule for FargateRegistryRoute {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut memo = Memo::default();
        for svc in &cx.model.services {
            let launch = svc.launch.get();
            if matches!(launch, Some(l) if *l != Launch::Fargate) {
                continue;
            }
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            if !matches!(support::service_awsvpc(cx, svc), Awsvpc::Yes(_)) {
                continue;
            }
            let Some(links) = cfg.subnets.get() else {
                continue;
            };
            let public_ip = match &cfg.assign_public_ip.val {
                Val::Null => Val::Known(false),
                v => v.clone(),
            };
            let (at, shared) = memo.stage(cx.model, links, svc.plan, &public_ip);
            let (blocked, vpcs) = match (&memo.stages[at], launch) {
                (Stage::Pass, _) => continue,
                // Unknown launches are not worth a note unless they would fail on Fargate.
                (Stage::Unverifiable(_), None) => continue,
                (Stage::Unverifiable(m), Some(_)) if !shared => {
                    out.push(support::unverifiable(cx, &Self::META, svc, ATTR, CHECK, m));
                    continue;
                }
                (Stage::Unverifiable(m), Some(_)) => {
                    let made = memo.made.entry((at, None)).or_insert_with(|| {
                        support::unverifiable(cx, &Self::META, svc, ATTR, CHECK, m)
                    });
                    out.push(for_service(made, svc));
                    continue;
                }
                (Stage::Blocked { blocked, vpcs }, _) => (blocked, vpcs),
            };
            let td = support::service_task_definition(cx.model, svc).ok();
            let n = needs(td);
            let v = match n.public_image {
                Some(image) if launch.is_some() && shared => {
                    let made = memo.made.entry((at, Some(image))).or_insert_with_key(|k| {
                        let (container, image) = k.1.clone().unwrap_or_default();
                        let f = Finding::PublicImage {
                            blocked,
                            container,
                            image,
                        };
                        fire(cx, svc, &f)
                    });
                    out.push(for_service(made, svc));
                    continue;
                }
                Some((container, image)) => Verdict::Fire(Finding::PublicImage {
                    blocked,
                    container,
                    image,
                }),
                None => endpoints(cx.model, svc.plan, vpcs, &n, blocked),
            };
            match (v, launch) {
                (Verdict::Pass, _) => {}
                (Verdict::Fire(f), Some(_)) => out.push(fire(cx, svc, &f)),
                (Verdict::Fire(_), None) => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "whether this service runs on Fargate, where its tasks could not reach their image registry from its subnets",
                    &Missing::after_apply(
                        "where its tasks run (launch_type / capacity provider strategy) is known only after apply",
                        "Set launch_type or capacity_provider_strategy from values known at plan time.",
                    ),
                )),
                (Verdict::Unverifiable(_), None) => {}
                (Verdict::Unverifiable(m), Some(_)) => {
                    out.push(support::unverifiable(cx, &Self::META, svc, ATTR, CHECK, &m))
                }
            }
        }
    }
}

const CHECK: &str = "that this Fargate service's tasks can reach their image registry";

/// The warning for a service whose tasks cannot reach their registry.
fn fire(cx: &Context<'_>, svc: &Service, f: &Finding<'_>) -> Diagnostic {
    let mut d = cx
        .diag(&FargateRegistryRoute::META, &svc.address, f.message())
        .attribute(ATTR)
        .detail(f.detail())
        .help(HELP)
        .plan(svc.plan);
    // Services in the same blocked subnets share one problem.
    let mut subnets = Vec::new();
    for (s, _) in f.blocked() {
        d = d.related(s.clone());
        subnets.push(s.to_string());
    }
    d.group(subnets.join(" ")).build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, NetworkMode, Resolution, Vpc, VpcEndpoint};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn vpc_link() -> Link {
        Link::to_address("aws_vpc.main", Resolution::ConfigReference, true)
    }

    fn endpoint(service: &str) -> VpcEndpoint {
        VpcEndpoint {
            address: format!("aws_vpc_endpoint.{}", service.replace('.', "_")),
            plan: 0,
            service_name: Field::known(format!("com.amazonaws.eu-west-1.{service}")),
            endpoint_type: Field::known(
                if service == "s3" {
                    "Gateway"
                } else {
                    "Interface"
                }
                .into(),
            ),
            private_dns_enabled: Field::known(service != "s3"),
            vpc: Some(vpc_link()),
        }
    }

    fn model(egress: Option<Egress>, public_ip: bool, image: &str) -> Model {
        let mut m = Model::default();
        let mut td = t::task_definition("aws_ecs_task_definition.api", NetworkMode::Awsvpc);
        let mut c = t::container("api", vec![]);
        c.raw = serde_json::json!({ "name": "api", "image": image });
        td.containers = Field::known(vec![c]);
        m.task_definitions.push(td);
        m.vpcs.push(Vpc {
            address: "aws_vpc.main".into(),
            plan: 0,
            id: Field::unknown(),
            cidr_block: Field::known("10.0.0.0/16".into()),
            enable_dns_support: Field::known(true),
            managed: true,
        });
        let mut sn = t::subnet("aws_subnet.app", "10.0.1.0/24", "eu-west-1a");
        sn.egress = egress.map(Field::known).unwrap_or_else(Field::unknown);
        sn.route_table = Some("aws_route_table.app".into());
        sn.vpc = Some(vpc_link());
        m.subnets.push(sn);
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        let mut cfg = t::awsvpc(&["aws_subnet.app"]);
        cfg.assign_public_ip = Field::known(public_ip);
        s.network_configuration = Field::known(Some(cfg));
        s.launch = Field::known(Launch::Fargate);
        m.services.push(s);
        m
    }

    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1";

    #[test]
    fn routes_to_the_internet_pass() {
        for (e, ip) in [(Egress::Forwarded, false), (Egress::InternetGateway, true)] {
            assert!(run(&FargateRegistryRoute, &model(Some(e), ip, "nginx")).is_empty());
        }
    }

    #[test]
    fn isolated_or_private_ip_in_public_subnet_fire() {
        let d = run(
            &FargateRegistryRoute,
            &model(Some(Egress::Isolated), false, ECR),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(
            d[0].message.contains("ecr.dkr, ecr.api and s3"),
            "{}",
            d[0].message
        );
        let d = run(
            &FargateRegistryRoute,
            &model(Some(Egress::InternetGateway), false, "nginx:1"),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].message.contains("pulls nginx:1"), "{}", d[0].message);
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("assign_public_ip is false"));
    }

    #[test]
    fn endpoints_make_ecr_images_reachable() {
        let mut m = model(Some(Egress::Isolated), false, ECR);
        for s in ["ecr.dkr", "ecr.api", "s3"] {
            m.vpc_endpoints.push(endpoint(s));
        }
        assert!(run(&FargateRegistryRoute, &m).is_empty());
        // awslogs needs the logs endpoint too.
        m.task_definitions[0].containers.val = Val::Known(vec![{
            let mut c = t::container("api", vec![]);
            c.raw = serde_json::json!({ "name": "api", "image": ECR,
                "logConfiguration": { "logDriver": "awslogs" } });
            c
        }]);
        let d = run(&FargateRegistryRoute, &m);
        assert!(
            d[0].message.contains("endpoint for logs"),
            "{}",
            d[0].message
        );
        // An interface endpoint without private DNS does not count.
        m.vpc_endpoints.push(endpoint("logs"));
        m.vpc_endpoints[0].private_dns_enabled = Field::known(false);
        let d = run(&FargateRegistryRoute, &m);
        assert!(
            d[0].message.contains("endpoint for ecr.dkr"),
            "{}",
            d[0].message
        );
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("private_dns_enabled = false"));
    }

    #[test]
    fn unknowns_are_unverifiable() {
        let d = run(&FargateRegistryRoute, &model(None, false, ECR));
        assert_eq!(unverified(&d).len(), 1);
        assert!(
            d[0].message.contains("aws_route_table.app"),
            "{}",
            d[0].message
        );
        let mut m = model(Some(Egress::Isolated), false, ECR);
        m.vpcs[0].managed = false;
        assert_eq!(unverified(&run(&FargateRegistryRoute, &m)).len(), 1);
        // A public image fails whatever the VPC holds.
        let mut m = model(Some(Egress::Isolated), false, "nginx");
        m.vpcs[0].managed = false;
        assert_eq!(firm(&run(&FargateRegistryRoute, &m)).len(), 1);
        // IPv6-only subnets are not judged by their IPv4 routes.
        let mut m = model(Some(Egress::Isolated), false, "nginx");
        m.subnets[0].ipv6_native = Field::known(true);
        assert_eq!(unverified(&run(&FargateRegistryRoute, &m)).len(), 1);
        // On EC2 nothing is judged.
        let mut m = model(Some(Egress::Isolated), false, "nginx");
        m.services[0].launch = Field::known(Launch::Ec2);
        assert!(run(&FargateRegistryRoute, &m).is_empty());
    }

    #[test]
    fn ecr_image_names() {
        assert!(is_private_ecr_image(ECR));
        assert!(is_private_ecr_image(
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x@sha256:ab"
        ));
        assert!(!is_private_ecr_image("public.ecr.aws/nginx/nginx:1"));
        assert!(!is_private_ecr_image("nginx"));
        assert!(!is_private_ecr_image("ghcr.io/a/b"));
    }
}
