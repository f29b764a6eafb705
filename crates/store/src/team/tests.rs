use super::*;
use crate::test_support::{agent, inbox};

struct F {
    s: Store,
    support: InboxId,
    info: InboxId,
    admin: AgentId,
    sato: AgentId,
}

fn fixture() -> F {
    let mut s = Store::open_in_memory().unwrap();
    let support = inbox(&mut s, "support").id;
    let info = inbox(&mut s, "info").id;
    let mut agent = |name: &str, role, inboxes| agent(&mut s, name, role, inboxes).id;
    let admin = agent("admin", Role::Admin, vec![]);
    let sato = agent("sato", Role::Agent, vec![support]);
    F {
        s,
        support,
        info,
        admin,
        sato,
    }
}

fn last_event(s: &Store) -> hako_domain::Event {
    s.audit_log(1).unwrap().remove(0).event
}

#[test]
fn an_admin_changes_a_users_role_inboxes_and_flags_with_an_audit_event() {
    let mut f = fixture();
    let u = AgentUpdate {
        role: Role::Supervisor,
        inboxes: vec![f.support, f.info],
        active: true,
        can_send: false,
    };
    let a = f.s.update_agent(Actor::Agent(f.admin), f.sato, &u).unwrap();
    assert_eq!(a.role, Role::Supervisor);
    assert_eq!(a.inboxes, vec![f.support, f.info]);
    assert!(!a.can_send);
    let e = last_event(&f.s);
    assert_eq!(e.action, Action::UserUpdated);
    assert_eq!(e.actor, Actor::Agent(f.admin));
    assert_eq!(
        e.before.as_deref(),
        Some("sato@example.test: agent; inboxes support; active; can send")
    );
    assert_eq!(
        e.after.as_deref(),
        Some("sato@example.test: supervisor; inboxes info, support; active; cannot send")
    );
    // The same values again change nothing and write nothing.
    let events = f.s.audit_log(100).unwrap().len();
    f.s.update_agent(Actor::Agent(f.admin), f.sato, &u).unwrap();
    assert_eq!(f.s.audit_log(100).unwrap().len(), events);
    // Deactivate, then reactivate.
    let off = AgentUpdate {
        active: false,
        ..u.clone()
    };
    assert!(
        !f.s.update_agent(Actor::Agent(f.admin), f.sato, &off)
            .unwrap()
            .active
    );
    assert!(last_event(&f.s).after.unwrap().contains("deactivated"));
    assert!(
        f.s.update_agent(Actor::Agent(f.admin), f.sato, &u)
            .unwrap()
            .active
    );
}

#[test]
fn nobody_locks_the_team_out() {
    let mut f = fixture();
    let me = f.s.agent(f.admin).unwrap();
    let same = |role, active| AgentUpdate {
        role,
        inboxes: me.inboxes.clone(),
        active,
        can_send: true,
    };
    let events = f.s.audit_log(100).unwrap().len();
    let e =
        f.s.update_agent(Actor::Agent(f.admin), f.admin, &same(Role::Admin, false))
            .unwrap_err();
    assert!(matches!(e, StoreError::NotAllowed { .. }), "{e}");
    assert!(e.to_string().contains("cannot deactivate yourself"), "{e}");
    let e =
        f.s.update_agent(
            Actor::Agent(f.admin),
            f.admin,
            &same(Role::Supervisor, true),
        )
        .unwrap_err();
    assert!(e.to_string().contains("admin role from yourself"), "{e}");
    // The system (a script) may not remove the last admin either.
    let e =
        f.s.update_agent(Actor::System, f.admin, &same(Role::Agent, true))
            .unwrap_err();
    assert!(e.to_string().contains("no active admin"), "{e}");
    assert_eq!(f.s.agent(f.admin).unwrap().role, Role::Admin, "rolled back");
    assert_eq!(f.s.audit_log(100).unwrap().len(), events, "nothing written");
    // An admin may still change their own inboxes and flags.
    let mine = AgentUpdate {
        inboxes: vec![f.info],
        ..same(Role::Admin, true)
    };
    f.s.update_agent(Actor::Agent(f.admin), f.admin, &mine)
        .unwrap();
}

#[test]
fn labels_are_renamed_and_recoloured() {
    let mut f = fixture();
    let l = f.s.add_label(Actor::System, "請求", None).unwrap();
    f.s.add_label(Actor::System, "配送", None).unwrap();
    let blue = Colour::parse("#2563eb").unwrap();
    let red = Colour::parse("#dc2626").unwrap();
    let changed =
        f.s.update_label(Actor::Agent(f.admin), l.id, " 請求書 ", red.clone())
            .unwrap();
    assert_eq!((changed.name.as_str(), &changed.colour), ("請求書", &red));
    assert_eq!(f.s.label_by_name("請求書").unwrap().id, l.id);
    let e = last_event(&f.s);
    assert_eq!(e.action, Action::LabelUpdated);
    assert_eq!(
        e.before.as_deref(),
        Some(format!("請求 {}", l.colour).as_str())
    );
    assert_eq!(e.after.as_deref(), Some("請求書 #dc2626"));
    let e =
        f.s.update_label(Actor::System, l.id, "配送", blue.clone())
            .unwrap_err();
    assert!(matches!(e, StoreError::AlreadyExists { .. }), "{e}");
    assert!(
        f.s.update_label(Actor::System, l.id, "a,b", blue.clone())
            .is_err()
    );
    assert!(
        f.s.update_label(Actor::System, LabelId(999), "x", blue)
            .is_err()
    );
}

#[test]
fn templates_are_saved_with_an_event() {
    let mut f = fixture();
    f.s.set_template(Actor::Agent(f.admin), "thanks", "ありがとうございます")
        .unwrap();
    assert_eq!(f.s.template("thanks").unwrap().body, "ありがとうございます");
    let e = last_event(&f.s);
    assert_eq!(e.action, Action::TemplateSaved);
    assert_eq!(e.before.as_deref(), Some("(new)"));
    f.s.set_template(Actor::Agent(f.admin), "thanks", "Thank you")
        .unwrap();
    assert_eq!(
        last_event(&f.s).before.as_deref(),
        Some("thanks (10 characters)")
    );
}
