//! Contacts with several addresses: a customer who writes from work and from home is one
//! contact, so their history and the repeat-customer greeting follow both addresses.

use hako_domain::{Action, Actor, Contact, ContactId, EmailAddress};
use rusqlite::{OptionalExtension, params};

use crate::codec::ms;
use crate::{Result, Store, StoreError};

impl Store {
    /// The contact that owns `address`.
    pub fn contact_by_address(&self, address: &EmailAddress) -> Result<Contact> {
        let id: Option<i64> = self
            .read()
            .query_row(
                "SELECT contact_id FROM contact_addresses WHERE address = ?1",
                [address.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("find a contact"))?;
        match id {
            Some(id) => self.contact(ContactId(id)),
            None => Err(StoreError::not_found(format!("contact {address}"))),
        }
    }

    /// Makes `other` an address of the contact that owns `address`. If `other` is unknown it
    /// is added; if it belongs to another contact, that contact is folded into this one (its
    /// addresses and tickets move, it is deleted). Returns the contact as it is now.
    pub fn link_address(
        &mut self,
        actor: Actor,
        address: &EmailAddress,
        other: &EmailAddress,
    ) -> Result<Contact> {
        let id = self.write(|tx, now| {
            let find = |a: &EmailAddress| -> Result<Option<i64>> {
                tx.query_row(
                    "SELECT contact_id FROM contact_addresses WHERE address = ?1",
                    [a.as_str()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::sql("find a contact"))
            };
            let keep = find(address)?
                .ok_or_else(|| StoreError::not_found(format!("contact {address}")))?;
            match find(other)? {
                Some(same) if same == keep => {}
                Some(fold) => {
                    let moved = [
                        "UPDATE contact_addresses SET contact_id = ?1 WHERE contact_id = ?2",
                        "UPDATE tickets SET contact_id = ?1 WHERE contact_id = ?2",
                        "UPDATE contacts SET name = (SELECT name FROM contacts WHERE id = ?2)
                         WHERE id = ?1 AND name IS NULL",
                    ];
                    for sql in moved {
                        tx.execute(sql, params![keep, fold])
                            .map_err(StoreError::sql("fold two contacts"))?;
                    }
                    tx.execute("DELETE FROM contacts WHERE id = ?1", [fold])
                        .map_err(StoreError::sql("fold two contacts"))?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO contact_addresses (address, contact_id, created_at)
                         VALUES (?1, ?2, ?3)",
                        params![other.as_str(), keep, ms(now)],
                    )
                    .map_err(StoreError::sql("add a contact address"))?;
                }
            }
            let linked = format!("{address} + {other}");
            crate::directory::team_event(tx, actor, Action::ContactsLinked, &linked, now)?;
            Ok(ContactId(keep))
        })?;
        self.contact(id)
    }

    /// The charset replies to this contact go out in: "utf-8" (the default) or
    /// "iso-2022-jp" (older Japanese mail clients and groupware).
    pub fn contact_charset(&self, id: ContactId) -> Result<String> {
        self.read()
            .query_row("SELECT charset FROM contacts WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::sql("read a contact's charset"))?
            .ok_or_else(|| StoreError::not_found(format!("contact {id}")))
    }

    /// Sets the charset for replies to the contact that owns `address`.
    pub fn set_contact_charset(
        &mut self,
        actor: Actor,
        address: &EmailAddress,
        charset: &str,
    ) -> Result<Contact> {
        let charset = charset.trim().to_ascii_lowercase();
        if !matches!(charset.as_str(), "utf-8" | "iso-2022-jp") {
            return Err(StoreError::invalid(
                format!("charset {charset}"),
                "use utf-8 or iso-2022-jp",
            ));
        }
        let id = self.write(|tx, now| {
            let id: i64 = tx
                .query_row(
                    "UPDATE contacts SET charset = ?2 WHERE id =
                         (SELECT contact_id FROM contact_addresses WHERE address = ?1)
                     RETURNING id",
                    params![address.as_str(), charset],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::sql("set a contact's charset"))?
                .ok_or_else(|| StoreError::not_found(format!("contact {address}")))?;
            crate::directory::team_event(
                tx,
                actor,
                Action::ContactUpdated,
                &format!("{address}: replies in {charset}"),
                now,
            )?;
            Ok(id)
        })?;
        self.contact(ContactId(id))
    }

    /// Stores bytes (an attachment to send) under their hash, once.
    pub fn store_blob(&mut self, bytes: &[u8]) -> Result<hako_domain::ContentHash> {
        self.write(|tx, now| crate::ops::message::put_blob(tx, bytes, now))
    }
}

#[cfg(test)]
mod tests {
    use hako_domain::{Actor, EmailAddress};

    use crate::Store;

    fn e(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn linking_adds_an_address_or_folds_two_contacts() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx, now| {
                crate::directory::find_or_create_contact(
                    tx,
                    Some(&e("taro@work.test")),
                    Some("山田"),
                    now,
                )?;
                crate::directory::find_or_create_contact(
                    tx,
                    Some(&e("taro@home.test")),
                    None,
                    now,
                )?;
                Ok(())
            })
            .unwrap();
        let c = store
            .link_address(Actor::System, &e("taro@work.test"), &e("taro@mobile.test"))
            .unwrap();
        assert_eq!(c.addresses.len(), 2);
        let c = store
            .link_address(Actor::System, &e("taro@work.test"), &e("taro@home.test"))
            .unwrap();
        assert_eq!(c.addresses.len(), 3);
        assert_eq!(c.name.as_deref(), Some("山田"));
        assert_eq!(
            store.contact_by_address(&e("taro@home.test")).unwrap().id,
            c.id
        );
        assert_eq!(store.stats().unwrap().contacts, 1);
        assert!(
            store
                .link_address(Actor::System, &e("nobody@x.test"), &e("a@b.test"))
                .is_err()
        );
    }
}
