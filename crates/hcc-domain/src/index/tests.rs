use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn groups_add_up_to_one_hundred_points() {
    assert!(close(Group::ALL.iter().map(|g| g.points()).sum::<f64>(), 100.0));
    let w = IndexWeights::default();
    for g in Group::ALL {
        let sum: f64 = Indicator::ALL.iter().filter(|i| i.group() == g).map(|i| w.points(*i)).sum();
        assert!(close(sum, g.points()), "{g:?}: {sum}");
    }
    // Every indicator is in exactly one group, has a label, a formula and a distinct id.
    let mut ids: Vec<_> = Indicator::ALL.iter().map(|i| i.id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), Indicator::ALL.len());
    assert!(Indicator::ALL.iter().all(|i| !i.label_vi().is_empty() && i.formula_vi().contains('%')));
}

#[test]
fn weights_are_configurable_and_stay_within_the_group() {
    let w = IndexWeights::default().with(Indicator::OnlineProcedures, 2.0).with(Indicator::OnlinePayment, 0.0);
    assert!(close(w.points(Indicator::OnlineProcedures), 22.0 * 2.0 / 3.0));
    assert!(close(w.points(Indicator::OnlineDossiers), 22.0 / 3.0));
    assert!(close(w.points(Indicator::OnlinePayment), 0.0));
    // Nonsense weights count as zero; a group with no weight gives no points.
    let w = IndexWeights::default().with(Indicator::OnTime, f64::NAN);
    assert!(close(w.points(Indicator::OnTime), 0.0));
    let w = IndexWeights::default().with(Indicator::OnTime, -3.0);
    assert!(close(w.points(Indicator::OnTime), 0.0));
}

#[test]
fn proportional_below_the_threshold_full_at_or_above() {
    assert!(close(proportional(40.0, 80.0, 8.0), 4.0));
    assert!(close(proportional(80.0, 80.0, 8.0), 8.0));
    assert!(close(proportional(95.0, 80.0, 8.0), 8.0));
    assert!(close(proportional(0.0, 80.0, 8.0), 0.0));
    assert!(close(proportional(-5.0, 80.0, 8.0), 0.0));
    assert!(close(proportional(25.0, 50.0, 22.0 / 3.0), 11.0 / 3.0));
    assert!(close(proportional(10.0, 0.0, 5.0), 5.0));
    // Exhaustively over whole rates: monotone, never above the points.
    let mut last = 0.0;
    for r in 0..=100 {
        let s = proportional(f64::from(r), 90.0, 6.0);
        assert!(s >= last && s <= 6.0 + 1e-12, "{r}: {s}");
        last = s;
    }
}

#[test]
fn share_rates() {
    assert_eq!(Share::new(0, 0).rate(), None);
    assert_eq!(Share::new(1, 4).rate(), Some(25.0));
    assert_eq!(Share::new(5, 4).rate(), Some(100.0));
    assert_eq!(Share::new(-1, 4).rate(), Some(0.0));
}

#[test]
fn satisfaction_with_handling_waits_for_ratings() {
    let on_time = Some(Share::new(95, 100));
    assert_eq!(handling_satisfaction(on_time, None), None);
    assert_eq!(handling_satisfaction(None, Some(Ratings::default())), None);
    let r = Ratings { very_satisfied: 60, satisfied: 38, dissatisfied: 2 };
    // 100 − (5 + 2) = 93.
    assert!(close(handling_satisfaction(on_time, Some(r)).unwrap(), 93.0));
    // No ratings given in the period: only lateness counts.
    assert!(close(handling_satisfaction(on_time, Some(Ratings::default())).unwrap(), 95.0));
    // Never below zero.
    let bad = Ratings { very_satisfied: 0, satisfied: 0, dissatisfied: 10 };
    assert!(close(handling_satisfaction(Some(Share::new(0, 10)), Some(bad)).unwrap(), 0.0));
}

#[test]
fn compute_scores_what_is_counted_and_says_what_is_not() {
    let counts = IndexCounts {
        on_time: Some(Share::new(90, 100)),
        online_dossiers: Some(Share::new(30, 100)),
        digitized_dossiers: Some(Share::new(100, 100)),
        ..Default::default()
    };
    let s = compute(&counts, &IndexWeights::default());
    let group = |g: Group| s.groups.iter().find(|x| x.group == g).unwrap();
    let ind = |i: Indicator| s.groups.iter().flat_map(|g| &g.indicators).find(|x| x.indicator == i).unwrap();
    // Progress: 90% of 20 points (threshold 100%).
    assert!(close(ind(Indicator::OnTime).score.unwrap(), 18.0));
    assert!(close(group(Group::Progress).score, 18.0));
    assert!(close(group(Group::Progress).judged_points, 20.0));
    // Online dossiers: 30% of a 50% threshold, of 22/3 points.
    assert!(close(ind(Indicator::OnlineDossiers).score.unwrap(), 0.6 * 22.0 / 3.0));
    assert_eq!(ind(Indicator::OnlinePayment).score, None);
    assert!(close(group(Group::Online).judged_points, 22.0 / 3.0));
    // Digitization full points for the one indicator counted.
    assert!(close(ind(Indicator::DigitizedDossiers).score.unwrap(), 22.0 / 3.0));
    // Nothing of disclosure or satisfaction is counted yet.
    assert_eq!(group(Group::Disclosure).score, 0.0);
    assert_eq!(group(Group::Disclosure).judged_points, 0.0);
    assert_eq!(ind(Indicator::HandlingSatisfaction).rate, None);
    assert!(close(s.total, 18.0 + 0.6 * 22.0 / 3.0 + 22.0 / 3.0));
    assert!(close(s.judged_points, 20.0 + 2.0 * 22.0 / 3.0));

    // Wiring the ratings in later scores the satisfaction with handling: 100 − (10 + 0) = 90 ≥ 90.
    let rated = IndexCounts { ratings: Some(Ratings { very_satisfied: 3, satisfied: 7, dissatisfied: 0 }), ..counts };
    let s = compute(&rated, &IndexWeights::default());
    let h =
        s.groups.iter().flat_map(|g| &g.indicators).find(|x| x.indicator == Indicator::HandlingSatisfaction).unwrap();
    assert!(close(h.rate.unwrap(), 90.0));
    assert!(close(h.score.unwrap(), 6.0));
}

#[test]
fn everything_counted_in_full_is_one_hundred() {
    let full = Some(Share::new(10, 10));
    let counts = IndexCounts {
        published_procedures: full,
        synced_dossiers: full,
        on_time: full,
        online_procedures: full,
        online_dossiers: full,
        online_payment: full,
        digitized_dossiers: full,
        reused_data: full,
        electronic_results: full,
        feedback_on_time: full,
        feedback_satisfaction: full,
        ratings: Some(Ratings { very_satisfied: 1, satisfied: 0, dissatisfied: 0 }),
    };
    let s = compute(&counts, &IndexWeights::default());
    assert!(close(s.total, 100.0));
    assert!(close(s.judged_points, 100.0));
    let none = compute(&IndexCounts::default(), &IndexWeights::default());
    assert!(close(none.total, 0.0) && close(none.judged_points, 0.0));
    assert!(none.groups.iter().flat_map(|g| &g.indicators).all(|i| i.score.is_none()));
}
