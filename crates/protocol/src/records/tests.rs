use super::*;

#[test]
fn appeal_state_names_are_the_wire_names() {
    use AppealState::*;
    for s in [Submitted, Accepted, Assigned, Replied, Closed] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
}

#[test]
fn an_appeal_may_be_replied_to_straight_from_submitted() {
    use AppealState::*;
    assert!(Submitted.can_become(Replied));
    assert!(Submitted.can_become(Accepted));
    assert!(!Submitted.can_become(Assigned));
    assert!(!Closed.can_become(Replied));
}

/// Records stored, and answers given, before the new fields still parse.
#[test]
fn records_from_before_the_new_fields_parse() {
    let a: Appeal = serde_json::from_str(
        r#"{"id":"apl_1","receipt_no":"SQ-SU20220501000001","category":"logistics","title":"通行证",
           "description":"续办","attachments":[],"state":"submitted","created_at":"2022-05-01T02:00:00Z",
           "respond_by":"2022-05-02T02:00:00Z","assigned_to":null,"messages":[],"rating":null}"#,
    )
    .unwrap();
    assert!(a.timeline.is_empty() && a.contact.is_none() && a.reply_by.is_none());
    let e: InboxEntry = serde_json::from_str(
        r#"{"id":"msg_1","kind":"listing_match","title":"t","body":"b","ref_type":"listing",
           "ref_id":"lst_1","created_at":"2022-05-01T02:00:00Z","read":false}"#,
    )
    .unwrap();
    assert_eq!(e.related_id, None);
    let l: Listing = serde_json::from_str(
        r#"{"id":"lst_1","enterprise_name":"闵通","mine":false,"state":"active","created_at":"2022-05-01T02:00:00Z",
           "kind":"supply","category":"supplies","item":"口罩","quantity":10.0,"unit":"箱","district":"闵行区",
           "valid_until":"2022-06-01","contact_name":"陈","contact_phone":"13916205731","note":null}"#,
    )
    .unwrap();
    assert_eq!(l.updated_at, None);
    assert_eq!(l.details.item, "口罩");
    let m: ListingMatch =
        serde_json::from_value(serde_json::json!({"listing": l, "score": 0.5})).unwrap();
    assert!(m.reasons.is_empty());
}

/// An appeal queued before contacts existed is sent exactly as it was written.
#[test]
fn a_new_appeal_without_a_contact_round_trips_byte_for_byte() {
    let v1 =
        r#"{"category":"logistics","title":"通行证","description":"续办","attachments":["upl-1"]}"#;
    let a: NewAppeal = serde_json::from_str(v1).unwrap();
    assert_eq!(a.contact, None);
    assert_eq!(serde_json::to_string(&a).unwrap(), v1);
    let with: NewAppeal = serde_json::from_str(
        r#"{"category":"logistics","title":"t","description":"d","attachments":[],"contact":{"name":"王敏","phone":"13816204417"}}"#,
    )
    .unwrap();
    assert_eq!(with.contact.unwrap().name, "王敏");
}

#[test]
fn the_workflow_allows_exactly_its_transitions() {
    use ApplicationState::*;
    assert!(Submitted.can_become(Accepted));
    assert!(Submitted.can_become(Returned));
    assert!(InReview.can_become(Approved));
    assert!(Returned.can_become(Resubmitted));
    assert!(!Submitted.can_become(Approved));
    assert!(!Approved.can_become(InReview));
    assert!(!Returned.can_become(Approved));
    for s in [NotAccepted, Approved, Rejected] {
        assert!(s.is_final());
        assert!(!s.can_become(InReview));
    }
}

#[test]
fn review_actions_are_tagged() {
    let a: ReviewAction = serde_json::from_str(
        r#"{"action":"return","items":[{"material_type":"commitment_letter","text":"缺少公章"}]}"#,
    )
    .unwrap();
    assert!(matches!(a, ReviewAction::Return { items } if items.len() == 1));
    assert!(
        serde_json::from_str::<ReviewAction>(r#"{"action":"approve","note":null,"x":1}"#).is_err()
    );
}
