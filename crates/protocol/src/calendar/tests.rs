use super::*;
use crate::records::{AppealMessage, AppealStep};
use time::macros::{date, datetime};

fn cal() -> WorkCalendar {
    WorkCalendar::new(official_years().unwrap())
}

fn cst(t: PrimitiveDateTime) -> OffsetDateTime {
    t.assume_offset(CHINA)
}

#[test]
fn the_worked_example_of_the_may_day_holiday() {
    // Filed Friday 2022-04-29 16:30: April 30 to May 4 are off, Saturday May 7 is worked.
    let filed = cst(datetime!(2022-04-29 16:30));
    let c = cal();
    let (contact, reply) = due_times(&c, AppealCategory::Financing, filed);
    assert_eq!(contact.value, cst(datetime!(2022-05-05 09:30)));
    assert_eq!(reply.value, cst(datetime!(2022-05-07 17:00)));
    assert!(!contact.estimated && !reply.estimated);
    assert_eq!(format_time(reply.value), "2022-05-07T09:00:00Z");
    let (_, logistics) = due_times(&c, AppealCategory::Logistics, filed);
    assert_eq!(logistics.value, cst(datetime!(2022-05-05 17:00)));
    let (_, staffing) = due_times(&c, AppealCategory::Staffing, filed);
    assert_eq!(staffing.value, cst(datetime!(2022-05-06 17:00)));
}

#[test]
fn a_make_up_saturday_is_worked_and_a_monday_holiday_is_not() {
    let c = cal();
    let day = |d| c.is_working_day(d).value;
    assert!(
        day(date!(2022 - 05 - 07)),
        "Saturday May 7, 2022 was a make-up day"
    );
    assert!(
        !day(date!(2022 - 05 - 02)),
        "Monday May 2, 2022 was a holiday"
    );
    assert!(!day(date!(2022 - 05 - 14)), "an ordinary Saturday");
    assert!(day(date!(2022 - 05 - 09)), "an ordinary Monday");
    assert!(!c.is_working_day(date!(2022 - 05 - 09)).estimated);
}

#[test]
fn the_lunch_break_does_not_count() {
    let c = cal();
    let monday = cst(datetime!(2022-05-09 11:30));
    assert_eq!(
        c.add_working_minutes(monday, 60).value,
        cst(datetime!(2022-05-09 13:30))
    );
    assert_eq!(
        c.working_minutes_between(
            cst(datetime!(2022-05-09 11:00)),
            cst(datetime!(2022-05-09 14:00))
        )
        .value,
        120
    );
    // Ending exactly at the close of a span is that close, not the next morning.
    assert_eq!(
        c.add_working_minutes(cst(datetime!(2022-05-09 16:00)), 60)
            .value,
        cst(datetime!(2022-05-09 17:00))
    );
    // Filed after hours: the clock starts the next morning.
    assert_eq!(
        c.add_working_minutes(cst(datetime!(2022-05-09 20:15)), 60)
            .value,
        cst(datetime!(2022-05-10 10:00))
    );
    // Seconds of the filing time are kept.
    assert_eq!(
        c.add_working_minutes(cst(datetime!(2022-05-09 10:00:20)), 30)
            .value,
        cst(datetime!(2022-05-09 10:30:20))
    );
}

#[test]
fn a_deadline_runs_over_new_year_on_both_tables() {
    let c = cal();
    // Friday 2022-12-30 16:30; 2023-01-02 (Monday) was the 元旦 holiday.
    let filed = cst(datetime!(2022-12-30 16:30));
    let due = c.add_working_minutes(filed, 60);
    assert_eq!(due.value, cst(datetime!(2023-01-03 09:30)));
    assert!(!due.estimated);
    let reply = c.end_of_working_day_after(filed, 1);
    assert_eq!(reply.value, cst(datetime!(2023-01-03 17:00)));
    assert!(!reply.estimated);
}

#[test]
fn a_year_without_a_table_is_estimated_monday_to_friday() {
    let c = cal();
    assert!(!c.knows(2027));
    let friday = c.is_working_day(date!(2027 - 01 - 01));
    assert!(friday.value && friday.estimated);
    let due = c.add_working_minutes(cst(datetime!(2026-12-31 16:30)), 60);
    assert_eq!(due.value, cst(datetime!(2027-01-01 09:30)));
    assert!(due.estimated, "crossing into 2027 must say it guessed");
    assert!(
        c.working_minutes_between(
            cst(datetime!(2026-12-31 16:00)),
            cst(datetime!(2027-01-02 10:00))
        )
        .estimated
    );
    // Inside a known year nothing is estimated.
    assert!(
        !c.add_working_minutes(cst(datetime!(2026-12-30 09:00)), 60)
            .estimated
    );
    // With no table at all, Monday to Friday with the default hours.
    let none = WorkCalendar::default();
    let r = none.end_of_working_day_after(cst(datetime!(2022-04-29 16:30)), 1);
    assert_eq!(r.value, cst(datetime!(2022-05-02 17:00)));
    assert!(r.estimated);
}

#[test]
fn working_minutes_between_is_signed() {
    let c = cal();
    let filed = cst(datetime!(2022-04-29 16:30));
    let due = cst(datetime!(2022-05-05 09:30));
    assert_eq!(c.working_minutes_between(filed, due).value, 60);
    assert_eq!(c.working_minutes_between(due, filed).value, -60);
    assert_eq!(c.working_minutes_between(due, due).value, 0);
    // A whole working day is 7 hours.
    assert_eq!(
        c.working_minutes_between(
            cst(datetime!(2022-05-09 00:00)),
            cst(datetime!(2022-05-10 00:00))
        )
        .value,
        420
    );
}

#[test]
fn each_category_has_its_promise() {
    use AppealCategory::*;
    let days = |c: AppealCategory| (c.promise().contact_hours, c.promise().reply_days);
    assert_eq!(days(PreventionSupplies), (1, 1));
    assert_eq!(days(Logistics), (1, 1));
    assert_eq!(days(Staffing), (1, 2));
    assert_eq!(days(SupplyChain), (1, 2));
    assert_eq!(days(Financing), (1, 3));
    assert_eq!(days(Other), (1, 3));
}

#[test]
fn the_official_tables_are_sound() {
    let years = official_years().unwrap();
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2022, 2023, 2024, 2025, 2026]
    );
    for y in &years {
        assert!(y.problems().is_empty(), "{}: {:?}", y.year, y.problems());
        for d in &y.workdays {
            let d = parse_date(d).unwrap();
            assert!(is_weekend(d), "make-up day {d} is not a weekend day");
            assert_eq!(d.year(), y.year);
        }
        for d in &y.holidays {
            assert_eq!(parse_date(d).unwrap().year(), y.year, "{d}");
        }
        assert!(y.source.contains(&format!("{}年", y.year)));
        let mut sorted = y.holidays.clone();
        sorted.sort();
        assert_eq!(sorted, y.holidays, "{} holidays in order", y.year);
    }
    // Spot checks against the notices: the Spring Festival and National Day weeks.
    let c = WorkCalendar::new(years);
    for off in [
        date!(2023 - 01 - 27),
        date!(2024 - 02 - 16),
        date!(2025 - 10 - 08),
    ] {
        assert!(!c.is_working_day(off).value, "{off}");
    }
    for on in [
        date!(2023 - 01 - 28),
        date!(2024 - 02 - 18),
        date!(2025 - 10 - 11),
    ] {
        assert!(c.is_working_day(on).value, "{on}");
    }
}

#[test]
fn a_bad_table_is_named_before_it_is_published() {
    let mut y = official_years().unwrap().remove(0);
    y.workdays.push("2022-05-09".into());
    y.holidays.push("2023-01-01".into());
    y.holidays.push("2022-13-01".into());
    y.office_hours = vec![OfficeSpan {
        start: "13:00".into(),
        end: "12:00".into(),
    }];
    let p = y.problems().join("; ");
    for part in [
        "make-up day 2022-05-09 is not a Saturday or Sunday",
        "holiday 2023-01-01 is not in 2022",
        "holiday \"2022-13-01\" is not a YYYY-MM-DD date",
        "office_hours",
    ] {
        assert!(p.contains(part), "{p}");
    }
}

fn appeal(created: &str) -> Appeal {
    Appeal {
        id: "apl_1".into(),
        receipt_no: "SQ-SU20220429000001".into(),
        category: AppealCategory::Financing,
        title: "流动资金贷款展期".into(),
        description: "受疫情影响回款延迟。".into(),
        attachments: vec![],
        state: AppealState::Submitted,
        created_at: created.into(),
        respond_by: String::new(),
        assigned_to: None,
        messages: vec![],
        rating: None,
        contact: None,
        contact_by: None,
        reply_by: None,
        timeline: vec![],
        updated_at: None,
    }
}

fn step(to: AppealState, at: &str) -> AppealStep {
    AppealStep {
        to,
        at: at.into(),
        actor: "reviewer:张科长".into(),
    }
}

#[test]
fn the_clock_of_an_unanswered_appeal_runs_out() {
    let c = cal();
    let a = appeal("2022-04-29T08:30:00Z");
    // Monday May 9, 10:00: two working days and more past the reply deadline.
    let now = cst(datetime!(2022-05-09 10:00));
    let clock = response_clock(&a, &c, now);
    assert_eq!(clock.contact.due_at, "2022-05-05T01:30:00Z");
    assert_eq!(clock.reply.due_at, "2022-05-07T09:00:00Z");
    assert!(clock.contact.overdue && !clock.contact.met);
    assert!(clock.reply.overdue && !clock.reply.met);
    assert_eq!(clock.reply.working_minutes_left, -60);
    assert!(!clock.estimated);
    // Before the contact deadline nothing is late, and the minutes left count office time.
    let early = response_clock(&a, &c, cst(datetime!(2022-04-29 16:45)));
    assert!(!early.contact.overdue && !early.reply.overdue);
    assert_eq!(early.contact.working_minutes_left, 45);
}

#[test]
fn contact_and_reply_are_met_by_the_authoritys_first_step_and_message() {
    let c = cal();
    let mut a = appeal("2022-04-29T08:30:00Z");
    a.contact_by = Some("2022-05-05T01:30:00Z".into());
    a.reply_by = Some("2022-05-07T09:00:00Z".into());
    a.state = AppealState::Replied;
    // Accepted at 09:10 on May 5 (in time), replied Monday May 9 (late).
    a.timeline = vec![
        step(AppealState::Accepted, "2022-05-05T01:10:00Z"),
        step(AppealState::Replied, "2022-05-09T02:00:00Z"),
    ];
    a.messages = vec![AppealMessage {
        from: Party::Authority,
        body: "已对接合作银行。".into(),
        at: "2022-05-09T02:00:00Z".into(),
    }];
    let clock = response_clock(&a, &c, cst(datetime!(2022-05-20 10:00)));
    assert!(clock.contact.met && !clock.contact.overdue);
    assert_eq!(
        clock.contact.met_at.as_deref(),
        Some("2022-05-05T01:10:00Z")
    );
    assert_eq!(clock.contact.working_minutes_left, 20);
    assert!(clock.reply.met && clock.reply.overdue);
    assert_eq!(clock.reply.working_minutes_left, -60);

    // A reply straight from `submitted` is contact too.
    let mut b = appeal("2022-04-29T08:30:00Z");
    b.state = AppealState::Replied;
    b.timeline = vec![step(AppealState::Replied, "2022-05-05T01:00:00Z")];
    b.messages = a.messages.clone();
    b.messages[0].at = "2022-05-05T01:00:00Z".into();
    let clock = response_clock(&b, &c, cst(datetime!(2022-05-20 10:00)));
    assert!(clock.contact.met && !clock.contact.overdue);
    assert!(clock.reply.met && !clock.reply.overdue);
}

#[test]
fn a_closed_appeal_stops_its_clock_and_an_unreadable_time_is_an_estimate() {
    let c = cal();
    let mut a = appeal("2022-04-29T08:30:00Z");
    a.state = AppealState::Closed;
    a.timeline = vec![step(AppealState::Closed, "2022-04-29T08:40:00Z")];
    let clock = response_clock(&a, &c, cst(datetime!(2022-06-01 10:00)));
    assert!(!clock.contact.overdue && !clock.reply.overdue);
    assert_eq!(clock.contact.working_minutes_left, 50);

    let b = appeal("yesterday");
    assert!(response_clock(&b, &c, cst(datetime!(2022-05-09 10:00))).estimated);
}
