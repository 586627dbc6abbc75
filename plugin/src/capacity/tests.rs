//! Tests of the whole analysis on models built with `model::testing`.

use super::testing::awsvpc_cluster as model;
use super::*;
use crate::model::testing as t;
use crate::model::{Field, Launch};

fn off() -> Assumptions {
    Assumptions {
        awsvpc_trunking: Some(false),
        ..Assumptions::default()
    }
}

#[test]
fn issue_example_arithmetic() {
    let m = model(&["c5.large"], 3, 6, "10.0.0.0/24");
    let a = analyze(&m, &off());
    let c = a.cluster_of(0).unwrap();
    assert_eq!(c.pools[0].slots, Bound::exact(6));
    let need = a.eni_need(c, 0, None);
    assert_eq!(need.total, Bound::exact(6));
    let peak = a.eni_need(c, 0, Some(&a.peak(0)));
    assert_eq!(peak.total, Bound::exact(12));
    assert_eq!(
        peak.why,
        "aws_ecs_service.api peak desired 6 × maximum_percent 200% = 12"
    );
    assert_eq!(compare(peak.total, c.pools[0].slots), Verdict::Exceeds);
    let words = c.pools[0].describe(&c.capacity, &a.trunking);
    assert!(
        words.starts_with(
            "3 × c5.large (aws_autoscaling_group.ecs max_size 3) at 2 awsvpc slots each"
        ),
        "{words}"
    );
    assert!(
        words.ends_with("without trunking; with awsvpcTrunking, c5.large takes 10"),
        "{words}"
    );
}

#[test]
fn trunking_not_enabled_anywhere_means_regular_enis() {
    let m = model(&["c5.large"], 3, 6, "10.0.0.0/24");
    let a = analyze(&m, &Assumptions::default());
    let c = a.cluster_of(0).unwrap();
    assert_eq!(c.pools[0].slots, Bound::exact(6));
    assert_eq!(c.pools[0].slots_with_trunking, Bound::exact(30));
}

#[test]
fn trunking_unknown_widens_the_slots() {
    let mut m = model(&["c5.large"], 3, 6, "10.0.0.0/24");
    m.account_settings.awsvpc_trunking = Field::unknown();
    let a = analyze(&m, &Assumptions::default());
    let c = a.cluster_of(0).unwrap();
    assert_eq!(c.pools[0].slots, Bound::range(6, 30));
    assert_eq!(c.pools[0].slots_without_trunking, Bound::exact(6));
    assert_eq!(c.pools[0].slots_with_trunking, Bound::exact(30));
}

#[test]
fn daemons_take_a_slot_per_instance_and_fargate_takes_none() {
    let mut m = model(&["c5.large"], 3, 2, "10.0.0.0/24");
    let mut daemon = t::service(
        "aws_ecs_service.agent",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    daemon.scheduling_strategy = Field::known("DAEMON".into());
    daemon.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
    m.services.push(daemon);
    let mut fg = t::service(
        "aws_ecs_service.fg",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    fg.launch = Field::known(Launch::Fargate);
    fg.desired_count = Field::known(50);
    fg.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
    m.services.push(fg);
    let a = analyze(&m, &off());
    let c = a.cluster_of(0).unwrap();
    assert_eq!(c.capacity.daemons.awsvpc, Bound::exact(1));
    assert_eq!(c.pools[0].slots, Bound::exact(3));
    // The Fargate service takes no ENI slot but does take addresses.
    assert_eq!(a.eni_need(c, 0, None).total, Bound::exact(2));
    let keys = vec![SubnetKey::Plan {
        plan: 0,
        address: "aws_subnet.a".into(),
    }];
    let need = a.subnet_need(&keys, SubnetPhase::AllDeploying);
    // api peak 4 + the daemon on each of 3 instances + fargate peak 100.
    assert_eq!(need.total, Bound::exact(4 + 3 + 100));
    let steady = a.subnet_need(&keys, SubnetPhase::Steady);
    assert_eq!(steady.total, Bound::exact(2 + 3 + 50));
}

#[test]
fn subnet_usable_and_instances() {
    let mut m = model(&["c5.large"], 3, 8, "10.0.1.0/28");
    m.autoscaling_groups[0].subnets = Field::known(vec![crate::model::Link::to_address(
        "aws_subnet.a",
        crate::model::Resolution::ConfigReference,
        true,
    )]);
    let a = analyze(&m, &off());
    let keys = vec![SubnetKey::Plan {
        plan: 0,
        address: "aws_subnet.a".into(),
    }];
    assert_eq!(a.subnet_usable(&keys).total, Bound::exact(11));
    let need = a.subnet_need(&keys, SubnetPhase::AllDeploying);
    assert_eq!(need.total, Bound::exact(16 + 3));
    assert!(
        need.why.contains("aws_autoscaling_group.ecs max_size 3"),
        "{}",
        need.why
    );
}

#[test]
fn static_ports_are_grouped_per_cluster() {
    let mut m = model(&["c5.large"], 2, 0, "10.0.0.0/24");
    let mut td = t::task_definition("aws_ecs_task_definition.web", NetworkMode::Host);
    td.containers = Field::known(vec![t::container("web", vec![t::port(80, None)])]);
    m.task_definitions.push(td);
    for (name, n) in [("aws_ecs_service.web", 2), ("aws_ecs_service.web2", 1)] {
        let mut s = t::service(name, "aws_ecs_task_definition.web", "aws_ecs_cluster.main");
        s.desired_count = Field::known(n);
        m.services.push(s);
    }
    let a = analyze(&m, &off());
    let c = a.cluster_of(1).unwrap();
    assert_eq!(c.ports.len(), 1);
    assert_eq!(c.ports[0].show(), "80/tcp");
    assert_eq!(c.ports[0].desired, Bound::exact(3));
    assert_eq!(c.pools[0].instances, Bound::exact(2));
}

#[test]
fn unknown_cluster_and_outside_cluster() {
    let mut m = model(&["c5.large"], 2, 1, "10.0.0.0/24");
    m.services[0].cluster = crate::model::Link::unresolved();
    let mut s2 = t::service("aws_ecs_service.b", "aws_ecs_task_definition.api", "x");
    s2.cluster = crate::model::Link::outside("arn:aws:ecs:eu-west-1:1:cluster/prod");
    m.services.push(s2);
    let mut assume = off();
    assume.clusters.insert(
        "prod".into(),
        crate::config::ClusterAssumption {
            instance_type: "m5.large".into(),
            max_instances: 2,
            availability_zones: vec![],
        },
    );
    let a = analyze(&m, &assume);
    assert!(a.service_cluster[0].is_err());
    let c = a.cluster_of(1).unwrap();
    assert_eq!(
        c.key,
        ClusterKey::Outside {
            name: "prod".into()
        }
    );
    assert_eq!(c.pools[0].slots, Bound::exact(4));
}

#[test]
fn unknown_mode_is_a_maybe() {
    let mut m = model(&["c5.large"], 1, 4, "10.0.0.0/24");
    m.task_definitions[0].network_mode = NetworkMode::Unknown;
    // Without a network_configuration block nothing says the tasks are awsvpc.
    m.services[0].network_configuration = Field::known(None);
    let a = analyze(&m, &off());
    let c = a.cluster_of(0).unwrap();
    let need = a.eni_need(c, 0, None);
    assert_eq!(need.total, Bound::range(0, 4));
    assert_eq!(compare(need.total, c.pools[0].slots), Verdict::Unverifiable);
    assert!(!need.missing.is_empty());
}

#[test]
fn network_configuration_implies_awsvpc_when_the_mode_is_unknown() {
    let mut m = model(&["c5.large"], 1, 4, "10.0.0.0/24");
    m.task_definitions[0].network_mode = NetworkMode::Unknown;
    let a = analyze(&m, &off());
    assert_eq!(a.services[0].eni_on_instances, Involved::Yes);
}

/// Two plans of one configuration (staging and prod) hold `aws_subnet.a` twice: two
/// subnets, each with its own plan's demand. A subnet id outside the plans is one AWS
/// subnet, so every plan's tasks count against it.
#[test]
fn subnets_are_per_plan_but_outside_ids_are_shared() {
    let mut m = model(&["c5.large"], 3, 4, "10.0.1.0/24");
    let mut second = model(&["c5.large"], 3, 4, "10.0.1.0/24");
    second.clusters[0].plan = 1;
    second.autoscaling_groups[0].plan = 1;
    second.task_definitions[0].plan = 1;
    second.services[0].plan = 1;
    second.subnets[0].plan = 1;
    m.clusters.append(&mut second.clusters);
    m.autoscaling_groups.append(&mut second.autoscaling_groups);
    m.task_definitions.append(&mut second.task_definitions);
    m.services.append(&mut second.services);
    m.subnets.append(&mut second.subnets);
    // Both services also use a subnet outside the plans, by id.
    for s in &mut m.services {
        let mut cfg = t::awsvpc(&["aws_subnet.a"]);
        if let crate::model::Val::Known(links) = &mut cfg.subnets.val {
            links.push(crate::model::Link::outside("subnet-0abc"));
        }
        s.network_configuration = Field::known(Some(cfg));
    }
    let a = analyze(&m, &off());
    let key = |plan| SubnetKey::Plan {
        plan,
        address: "aws_subnet.a".into(),
    };
    assert_eq!(a.subnets.len(), 3, "{:?}", a.subnets.keys());
    for plan in [0, 1] {
        // Each service: peak 8 spread over 2 subnets, 4 in its plan's aws_subnet.a.
        let need = a.subnet_need(&[key(plan)], SubnetPhase::AllDeploying);
        assert_eq!(need.total, Bound::exact(4), "plan {plan}: {}", need.why);
        assert_eq!(
            a.service_subnets[plan].as_ref().unwrap().as_ref().unwrap()[0],
            key(plan)
        );
    }
    let outside = a.subnet_need(
        &[SubnetKey::Outside("subnet-0abc".into())],
        SubnetPhase::AllDeploying,
    );
    assert_eq!(outside.total, Bound::exact(8), "{}", outside.why);
}

#[test]
fn cluster_capacity_comes_from_its_own_plan() {
    // staging (plan 0) and prod (plan 1) of one configuration: same addresses, different
    // max_size. Each cluster must be sized from the group of its own plan.
    let mut m = model(&["c5.large"], 1, 1, "10.0.1.0/24");
    let mut prod = model(&["c5.large"], 5, 1, "10.0.1.0/24");
    prod.clusters[0].plan = 1;
    prod.autoscaling_groups[0].plan = 1;
    prod.task_definitions[0].plan = 1;
    prod.services[0].plan = 1;
    prod.subnets[0].plan = 1;
    m.clusters.append(&mut prod.clusters);
    m.autoscaling_groups.append(&mut prod.autoscaling_groups);
    m.task_definitions.append(&mut prod.task_definitions);
    m.services.append(&mut prod.services);
    m.subnets.append(&mut prod.subnets);
    let a = analyze(&m, &off());
    assert_eq!(a.clusters.len(), 2);
    let slots: Vec<Bound> = a.clusters.iter().map(|c| c.pools[0].slots).collect();
    // c5.large: 2 awsvpc slots per instance without trunking.
    assert!(slots.contains(&Bound::exact(2)), "{slots:?}");
    assert!(slots.contains(&Bound::exact(10)), "{slots:?}");
}

/// `subnet_need` the plain way, for comparison: every user of the set visited in order,
/// its count added and its missing inputs pushed, the first users' words kept.
fn every_user_need(a: &Analysis, set: &[SubnetKey], phase: SubnetPhase) -> Need {
    let (set, candidates) = a.subnet_candidates(set);
    let (mut total, mut parts, mut users, mut missing) = (Bound::ZERO, Vec::new(), 0, Vec::new());
    for u in candidates.iter().map(|&i| &a.subnet_users[i]) {
        let shared = u.subnets.iter().filter(|s| set.contains(s)).count();
        if shared == 0 {
            continue;
        }
        let at_peak = phase.at_peak(u);
        let (count, _) = a.user_count(u, at_peak);
        total = total + count.scale(shared as u64, u.subnets.len() as u64);
        a.user_missing(u, at_peak, &mut missing);
        users += 1;
        if parts.len() < SHOWN_SUBNET_USERS {
            parts.push(a.user_words(u, shared, at_peak));
        }
    }
    Need {
        total,
        why: need_words(parts, users, total),
        missing,
    }
}

#[test]
fn subnet_need_total_is_the_total_of_subnet_need_in_every_phase() {
    // Services on a, b and both, a daemon, one with an unknown desired count, and one
    // that cannot tell whether it uses the subnets: every set, every phase, every service.
    let mut m = model(&["c5.large"], 3, 4, "10.0.1.0/24");
    m.subnets
        .push(t::subnet("aws_subnet.b", "10.0.2.0/25", "eu-west-1b"));
    let sets: [&[&str]; 3] = [
        &["aws_subnet.a"],
        &["aws_subnet.b"],
        &["aws_subnet.a", "aws_subnet.b"],
    ];
    for (n, subnets) in sets.iter().cycle().take(9).enumerate() {
        let mut s = t::service(
            &format!("aws_ecs_service.s{n}"),
            "aws_ecs_task_definition.api",
            "aws_ecs_cluster.main",
        );
        s.desired_count = match n {
            4 => Field::unknown(),
            _ => Field::known(n as i64 + 1),
        };
        if n == 5 {
            s.scheduling_strategy = Field::known("DAEMON".into());
        }
        s.network_configuration = if n == 7 {
            Field::unknown()
        } else {
            Field::known(Some(t::awsvpc(subnets)))
        };
        m.services.push(s);
    }
    let a = analyze(&m, &off());
    let key = |s: &&str| SubnetKey::Plan {
        plan: 0,
        address: s.to_string(),
    };
    let mut checked = 0;
    let (mut seen_more, mut seen_missing) = (false, false);
    for set in sets {
        let keys: Vec<SubnetKey> = set.iter().map(key).collect();
        let mut phases = vec![SubnetPhase::Steady, SubnetPhase::AllDeploying];
        // One past the last service: a service no user is.
        phases.extend((0..=a.services.len()).map(SubnetPhase::Deploying));
        for phase in phases {
            let need = a.subnet_need(&keys, phase);
            // The words and missing inputs as summing every user in order gives them.
            let every = every_user_need(&a, &keys, phase);
            seen_more |= every.why.contains(" more = ");
            seen_missing |= !every.missing.is_empty();
            assert_eq!(
                (need.total, &need.why, &need.missing),
                (every.total, &every.why, &every.missing),
                "{set:?} {phase:?}"
            );
            // Asked twice: the second answer comes from the memo.
            for _ in 0..2 {
                assert_eq!(
                    a.subnet_need_total(&keys, phase),
                    need.total,
                    "{set:?} {phase:?}: {}",
                    need.why
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * (2 + a.services.len() + 1));
    // The comparison saw users summarised as "N more" and missing inputs.
    assert!(seen_more && seen_missing);
    // Deploying one service differs from the steady state somewhere (the test would
    // notice a mix-up of phases).
    let both: Vec<SubnetKey> = sets[2].iter().map(key).collect();
    assert_ne!(
        a.subnet_need_total(&both, SubnetPhase::Deploying(1)),
        a.subnet_need_total(&both, SubnetPhase::Steady)
    );
}
