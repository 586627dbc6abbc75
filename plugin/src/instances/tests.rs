use super::*;

fn status(t: &str) -> &'static str {
    lookup(t).unwrap_or_else(|| panic!("{t}")).trunking.status()
}

fn over(name: &str, max_enis: Option<u32>, trunked: Option<u32>) -> InstanceOverride {
    InstanceOverride {
        name: name.into(),
        max_enis,
        awsvpc_tasks_trunked: trunked,
        source: Some("measured 2026-12-01".into()),
        location: ".ecsnet.hcl:3".into(),
    }
}

#[test]
fn every_row_is_loaded() {
    assert_eq!(table::eni_limits().len(), 1447);
    assert_eq!(table::trunking().len(), 435);
    assert_eq!(table::unsupported().len(), 30);
    assert_eq!(table::network_cards().len(), 71);
    assert_eq!(table::types_2023().len(), 648);
    assert_eq!(table::task_limits().len(), 1);
    assert_eq!(editions().len(), 4);
    assert_eq!(count(), 1447);
}

#[test]
fn refreshed_data_adds_new_types_and_keeps_dropped_ones() {
    for t in ["r9g.large", "r9gd.metal-48xl", "t8i.nano", "trn2u.48xlarge"] {
        let f = lookup(t).unwrap_or_else(|| panic!("{t}"));
        assert!(f.eni_source.contains("moto 5.2.6"), "{t}: {}", f.eni_source);
    }
    // moto 5.2.6 no longer lists g4ad: the rows keep their earlier source.
    let g = lookup("g4ad.xlarge").unwrap();
    assert!(g.eni_source.ends_with("@34d6cad5"), "{}", g.eni_source);
    // New network-card layouts.
    let t = lookup("trn2u.48xlarge").unwrap();
    let cards = t.network_cards.as_ref().unwrap();
    assert_eq!((cards.count, t.max_enis), (16, 32));
    let i = lookup("i7ie.48xlarge").unwrap();
    assert_eq!(i.network_cards.as_ref().unwrap().per_card_max_enis, [8, 7]);
}

#[test]
fn c5_large_has_two_slots_and_ten_with_trunking() {
    let f = lookup("c5.large").expect("c5.large");
    assert_eq!(f.max_enis, 3);
    assert_eq!(f.ipv4_per_eni, Some(10));
    assert_eq!(f.awsvpc_slots_without_trunking(), 2);
    assert_eq!(f.untrunked_arithmetic(), "3 ENIs − 1 primary");
    assert_eq!(f.trunking.tasks_with(), Some(10));
    assert!(f.eni_source.starts_with("getmoto/moto"));
    assert_eq!(f.network_cards.as_ref().map(|c| c.count), Some(1));
}

#[test]
fn lookup_is_case_insensitive() {
    assert_eq!(lookup(" C5.Large ").map(|f| f.max_enis), Some(3));
    assert!(lookup("c5.huge").is_none());
}

#[test]
fn i4i_large_alone_is_doubtful() {
    match &lookup("i4i.large").unwrap().trunking {
        Trunking::Unknown { reason } => assert!(reason.contains("impossible"), "{reason}"),
        other => panic!("{other:?}"),
    }
    for (t, with) in [("i4i.xlarge", 8), ("i4i.32xlarge", 498)] {
        assert_eq!(lookup(t).unwrap().trunking.tasks_with(), Some(with), "{t}");
    }
}

#[test]
fn burstable_families_are_not_supported() {
    for t in ["t2.micro", "t3.medium", "t3a.large", "t4g.small"] {
        match &lookup(t).unwrap().trunking {
            Trunking::Unsupported { reason, .. } => assert!(reason.contains("burstable"), "{t}"),
            other => panic!("{t}: {other:?}"),
        }
    }
    // t8i is newer than the table: unknown, not an error.
    assert_eq!(status("t8i.nano"), "unknown");
}

#[test]
fn types_of_2023_without_a_row_are_not_supported() {
    for t in [
        "c4.large",
        "m4.xlarge",
        "i4g.large",
        "x1.16xlarge",
        "h1.2xlarge",
    ] {
        match &lookup(t).unwrap().trunking {
            Trunking::Unsupported { reason, source } => {
                assert!(reason.contains("existed"), "{t}: {reason}");
                assert!(source.contains("amazon-ec2-user-guide"), "{t}: {source}");
            }
            other => panic!("{t}: {other:?}"),
        }
    }
}

#[test]
fn types_newer_than_the_table_are_unknown() {
    for t in [
        "c7i.large",
        "m7i.xlarge",
        "r8g.large",
        "r9g.large",
        "p5e.48xlarge",
    ] {
        match &lookup(t).unwrap().trunking {
            Trunking::Unknown { reason } => assert!(reason.contains("newer"), "{t}: {reason}"),
            other => panic!("{t}: {other:?}"),
        }
    }
}

#[test]
fn trunked_below_untrunked_is_not_supported() {
    for t in ["u-18tb1.metal", "u-24tb1.metal"] {
        match &lookup(t).unwrap().trunking {
            Trunking::Unsupported { reason, .. } => assert!(reason.contains("fewer"), "{t}"),
            other => panic!("{t}: {other:?}"),
        }
    }
}

#[test]
fn excluded_family_without_row_is_unsupported() {
    let f = lookup("c5n.large").expect("c5n.large");
    match &f.trunking {
        Trunking::Unsupported { reason, .. } => assert!(reason.contains("c5n"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(status("c5.metal"), "unsupported");
}

#[test]
fn row_contradicting_the_exclusion_list_is_unknown() {
    for t in ["m5n.large", "c5a.8xlarge", "u-6tb1.56xlarge"] {
        assert_eq!(status(t), "unknown", "{t}");
    }
}

#[test]
fn p5_48xlarge_runs_one_awsvpc_task() {
    let f = lookup("p5.48xlarge").unwrap();
    assert_eq!(f.max_enis, 64);
    assert_eq!(f.awsvpc_slots_without_trunking(), 1);
    assert!(
        f.untrunked_arithmetic().contains("at most 1 awsvpc task"),
        "{}",
        f.untrunked_arithmetic()
    );
    assert_eq!(f.trunking.status(), "unsupported");
    // p5e and p5en are not named by the ECS guide: their ENIs count.
    assert_eq!(
        lookup("p5e.48xlarge")
            .unwrap()
            .awsvpc_slots_without_trunking(),
        63
    );
    assert_eq!(
        lookup("p5en.48xlarge")
            .unwrap()
            .awsvpc_slots_without_trunking(),
        63
    );
}

#[test]
fn multi_card_types_count_every_card() {
    let f = lookup("p4d.24xlarge").expect("p4d.24xlarge");
    assert_eq!(f.max_enis, 60);
    assert_eq!(f.awsvpc_slots_without_trunking(), 59);
    let cards = f.network_cards.as_ref().unwrap();
    assert_eq!(cards.count, 4);
    assert_eq!(cards.per_card_max_enis.iter().sum::<u32>(), 60);
    // Current EC2 data (16 ENIs) wins over the 2023 table's 13 tasks.
    let c = lookup("c6in.32xlarge").unwrap();
    assert_eq!(c.awsvpc_slots_without_trunking(), 15);
    assert!(matches!(
        c.trunking,
        Trunking::Supported {
            tasks_without: 13,
            ..
        }
    ));
}

#[test]
fn suggestions_are_close_names() {
    let s = suggest("c5.larg", 3);
    assert_eq!(s.first(), Some(&"c5.large"), "{s:?}");
    assert!(suggest("zzzzzzzzzzzz", 3).is_empty());
}

#[test]
fn an_absurd_instance_type_is_rejected_before_any_comparison() {
    // A 100,000-character instance_type took 8 s: compared character by character with
    // every known name, for each suggestion.
    let rows = || super::EDIT_ROWS.with(|c| c.get());
    let before = rows();
    let absurd = "c5.large".repeat(12_500);
    assert!(suggest(&absurd, 3).is_empty());
    let catalog = Catalog::default();
    assert!(catalog.suggest(&absurd, 3).is_empty());
    assert!(catalog.lookup(&absurd).is_none());
    assert_eq!(rows() - before, 0, "compared with known names");
    // Near the limit, only names of about the same length are compared, each briefly.
    let before = rows();
    let long = "x".repeat(super::MAX_NAME_LEN);
    assert!(suggest(&long, 3).is_empty());
    assert_eq!(
        rows() - before,
        0,
        "no known name is within 4 of 64 characters"
    );
    let before = rows();
    assert_eq!(suggest("c5.larg", 3).first(), Some(&"c5.large"));
    let compared = rows() - before;
    assert!(compared > 0 && compared < 7 * count() as u64, "{compared}");
}

#[test]
fn family_splits_at_the_first_dot() {
    assert_eq!(family("u-6tb1.56xlarge"), "u-6tb1");
    assert_eq!(family("c5"), "c5");
}

#[test]
fn editions_name_every_table_with_a_date() {
    let text = editions_text("  ");
    for want in ["moto 5.2.6", "2023-04-18", "2023-05-11"] {
        assert!(text.contains(want), "{text}");
    }
}

#[test]
fn catalog_without_overrides_is_the_embedded_data() {
    let c = Catalog::default();
    assert_eq!(c.count(), count());
    assert_eq!(c.lookup("C5.LARGE").map(|f| f.max_enis), Some(3));
    assert!(c.lookup("x9.mega").is_none());
}

#[test]
fn override_adds_a_type() {
    let mut c = Catalog::default();
    c.apply(&over("X9.Mega", Some(5), Some(40))).unwrap();
    let f = c.lookup("x9.mega").unwrap();
    assert_eq!((f.max_enis, f.awsvpc_slots_without_trunking()), (5, 4));
    assert_eq!(f.trunking.tasks_with(), Some(40));
    assert_eq!(f.eni_source, "measured 2026-12-01 (.ecsnet.hcl:3)");
    assert_eq!(f.overridden_at.as_deref(), Some(".ecsnet.hcl:3"));
    assert_eq!(c.count(), count() + 1);
    assert_eq!(
        c.suggest("x9.meg", 3).first().map(String::as_str),
        Some("x9.mega")
    );
    // Without a trunked limit an added type's trunking is unknown.
    c.apply(&over("x9.small", Some(3), None)).unwrap();
    assert_eq!(c.lookup("x9.small").unwrap().trunking.status(), "unknown");
}

#[test]
fn override_changes_an_embedded_type() {
    let mut c = Catalog::default();
    c.apply(&over("c7i.large", None, Some(10))).unwrap();
    let f = c.lookup("c7i.large").unwrap();
    assert_eq!(f.max_enis, 3, "ENIs stay embedded");
    assert!(f.eni_source.contains("moto"));
    assert_eq!(f.trunking.tasks_with(), Some(10));
    // Only the catalog sees it.
    assert_eq!(lookup("c7i.large").unwrap().trunking.status(), "unknown");
    // More ENIs than the trunked limit: trunking no longer raises the limit.
    c.apply(&over("c5.large", Some(20), None)).unwrap();
    let f = c.lookup("c5.large").unwrap();
    assert_eq!(f.awsvpc_slots_without_trunking(), 19);
    assert_eq!(f.trunking.status(), "unsupported");
    // A block for p5.48xlarge replaces the documented limit.
    c.apply(&over("p5.48xlarge", Some(64), None)).unwrap();
    assert_eq!(
        c.lookup("p5.48xlarge")
            .unwrap()
            .awsvpc_slots_without_trunking(),
        63
    );
}

#[test]
fn impossible_overrides_are_refused() {
    let mut c = Catalog::default();
    let e = c.apply(&over("x9.mega", None, Some(10))).unwrap_err();
    assert!(e.contains("needs max_enis"), "{e}");
    let e = c.apply(&over("c5.large", None, Some(1))).unwrap_err();
    assert!(e.contains("below the 2 awsvpc tasks"), "{e}");
    let e = c.apply(&over("c5large", Some(3), None)).unwrap_err();
    assert!(e.contains("not an EC2 instance type name"), "{e}");
    let e = c.apply(&over("c5.large", None, None)).unwrap_err();
    assert!(e.contains("sets neither"), "{e}");
    assert!(!c.has_override("c5.large"));
}
