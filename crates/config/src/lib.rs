mod env;
mod error;
mod model;
mod secret;

pub use error::ConfigError;
pub use model::*;
pub use secret::Secret;

#[cfg(test)]
mod experiment {
    use serde::Deserialize;
    fn show(text: &str) {
        let root = toml::de::DeTable::parse(text).unwrap();
        println!("ROOT span {:?}", root.span());
        for (k, v) in root.get_ref().iter() {
            println!("  key {:?} {:?} value {:?}", k.get_ref(), k.span(), v.span());
            if let toml::de::DeValue::Array(a) = v.get_ref() {
                for it in a.iter() {
                    println!("    item {:?}", it.span());
                    if let toml::de::DeValue::Table(t) = it.get_ref() {
                        for (k, v) in t.iter() {
                            println!("      key {:?} {:?} value {:?}", k.get_ref(), k.span(), v.span());
                        }
                    }
                }
            }
            if let toml::de::DeValue::Table(t) = v.get_ref() {
                for (k, v) in t.iter() {
                    println!("      key {:?} {:?} value {:?}", k.get_ref(), k.span(), v.span());
                }
            }
        }
        let e = crate::Config::deserialize(toml::Deserializer::from(root)).unwrap_err();
        println!("ERR span {:?} msg {:?}\nDISPLAY {}", e.span(), e.message(), e);
    }
    #[test]
    fn spans() {
        let base = "data_dir = \"x\"\n[web]\nlisten = \"1.2.3.4:5\"\n[[inbox]]\nname = \"a\"\naddress = \"a@b\"\ndisplay_name = \"A\"\n[inbox.imap]\nhost = \"h\"\nport = 1\nsecurity = \"none\"\nusername = \"u\"\n[[inbox]]\nname = \"b\"\naddress = \"b@b\"\ndisplay_name = \"B\"\n";
        show(&format!("{base}foo = 1\n"));
        show(&base.replace("port = 1", "port = 1\nhots = 2"));
        show(&base.replace("port = 1", "port = \"x\""));
        show(&base.replace("security = \"none\"", "security = \"nonex\""));
        show(&base.replace("host = \"h\"\n", ""));
        show(&base.replace("listen = \"1.2.3.4:5\"", "listen = \"1.2.3.4\""));
        show(&base.replace("listen = \"1.2.3.4:5\"", "listn = \"1.2.3.4\""));
        show(&format!("timezone = \"Mars/X\"\n{base}"));
        show(&format!("bogus = 1\n{base}"));
        show(&base.replace("username = \"u\"", "username = \"u\"\npassword = 1234"));
    }
}
