//! Where AK/SK come from: explicit values, the environment, the official profile file, or a chain.
//! Names match the official SDKs so existing setups keep working.

use std::fmt;
use std::path::PathBuf;

use futures::future::{self, BoxFuture};

use super::metadata::MetadataProvider;
use super::AkSk;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// Disables the metadata provider in the default chain (set to `1`), e.g. on machines where
/// 169.254.169.254 is someone else's service.
pub const ENV_METADATA_DISABLED: &str = "HCPARTNER_METADATA_DISABLED";

/// Something that yields AK/SK. `name()` says where they came from, for logs and errors.
///
/// Keys without a security token are asked for once per client. Temporary keys (with a security
/// token) are asked for again before their `expires_at`, or every few minutes when they carry
/// none (a profile file or environment refreshed by a credentials helper).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn name(&self) -> String;
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>>;
}

/// Fixed credentials.
#[derive(Debug, Clone)]
pub struct StaticProvider(AkSk);

impl StaticProvider {
    pub fn new(c: AkSk) -> StaticProvider {
        StaticProvider(c)
    }
}

impl ProvideCredentials for StaticProvider {
    fn name(&self) -> String {
        "explicit credentials".to_owned()
    }
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
        Box::pin(future::ready(
            check("argument", &self.0).map(|()| self.0.clone()),
        ))
    }
}

fn check(source: &str, c: &AkSk) -> Result<()> {
    if c.ak.trim().is_empty() {
        return Err(Error::config(
            "ak",
            format!("the access key from {source} is empty"),
        ));
    }
    if c.sk.is_empty() {
        return Err(Error::config(
            "sk",
            format!("the secret key from {source} is empty"),
        ));
    }
    Ok(())
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `HUAWEICLOUD_SDK_AK`, `_SK`, `_SECURITY_TOKEN`, `_DOMAIN_ID`.
#[derive(Debug, Clone, Default)]
pub struct EnvProvider {
    _private: (),
}

impl EnvProvider {
    pub fn new() -> EnvProvider {
        EnvProvider::default()
    }
    fn var(name: &str) -> Option<String> {
        non_empty(std::env::var(name).ok())
    }
}

impl ProvideCredentials for EnvProvider {
    fn name(&self) -> String {
        "environment (HUAWEICLOUD_SDK_AK/SK)".to_owned()
    }
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
        Box::pin(future::ready(self.load()))
    }
}

impl EnvProvider {
    fn load(&self) -> Result<AkSk> {
        let (ak, sk) = match (Self::var(ENV_AK), Self::var(ENV_SK)) {
            (Some(ak), Some(sk)) => (ak, sk),
            (None, None) => return Err(Error::config(ENV_AK, "is not set")),
            (Some(_), None) => {
                return Err(Error::config(
                    ENV_SK,
                    "is not set, but HUAWEICLOUD_SDK_AK is",
                ))
            }
            (None, Some(_)) => {
                return Err(Error::config(
                    ENV_AK,
                    "is not set, but HUAWEICLOUD_SDK_SK is",
                ))
            }
        };
        let c = AkSk {
            ak,
            sk: Secret::new(sk),
            security_token: Self::var(ENV_SECURITY_TOKEN).map(Secret::new),
            domain_id: Self::var(ENV_DOMAIN_ID),
            expires_at: None,
        };
        check("the environment", &c)?;
        Ok(c)
    }
}

/// The official INI profile file: `~/.huaweicloud/credentials`, or `HUAWEICLOUD_SDK_CREDENTIALS_FILE`.
/// Global services read the `[global]` section (`ak`, `sk`, `security_token`, `domain_id`).
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    path: Option<PathBuf>,
    section: String,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        ProfileProvider {
            path: None,
            section: "global".to_owned(),
        }
    }
}

impl ProfileProvider {
    pub fn new() -> ProfileProvider {
        ProfileProvider::default()
    }
    /// Reads this file instead of the default location.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> ProfileProvider {
        self.path = Some(path.into());
        self
    }
    /// Reads this section instead of `global`.
    pub fn with_section(mut self, section: impl Into<String>) -> ProfileProvider {
        self.section = section.into();
        self
    }

    /// The file this provider reads: explicit path > env > `~/.huaweicloud/credentials`.
    pub fn path(&self) -> Option<PathBuf> {
        if let Some(p) = &self.path {
            return Some(p.clone());
        }
        if let Some(p) = non_empty(std::env::var(ENV_CREDENTIALS_FILE).ok()) {
            return Some(PathBuf::from(p));
        }
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
        Some(PathBuf::from(home).join(".huaweicloud").join("credentials"))
    }
}

impl ProvideCredentials for ProfileProvider {
    fn name(&self) -> String {
        match self.path() {
            Some(p) => format!("profile file {} [{}]", p.display(), self.section),
            None => "profile file (no home directory)".to_owned(),
        }
    }
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
        Box::pin(future::ready(self.load()))
    }
}

impl ProfileProvider {
    fn load(&self) -> Result<AkSk> {
        let path = self
            .path()
            .ok_or_else(|| Error::config("credentials_file", "no home directory to look in"))?;
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::config("credentials_file", format!("cannot read {shown}: {e}")))?;
        let ini = ini::Ini::load_from_str(&text).map_err(|e| {
            Error::config("credentials_file", format!("{shown} is not valid INI: {e}"))
        })?;
        let sec = ini.section(Some(self.section.as_str())).ok_or_else(|| {
            Error::config(
                "credentials_file",
                format!("{shown} has no [{}] section", self.section),
            )
        })?;
        let get = |k: &str| non_empty(sec.get(k).map(str::to_owned));
        let source = format!("{shown} [{}]", self.section);
        let (Some(ak), Some(sk)) = (get("ak"), get("sk")) else {
            return Err(Error::config(
                "credentials_file",
                format!("{source} needs both ak and sk"),
            ));
        };
        let c = AkSk {
            ak,
            sk: Secret::new(sk),
            security_token: get("security_token").map(Secret::new),
            domain_id: get("domain_id"),
            expires_at: None,
        };
        check(&source, &c)?;
        Ok(c)
    }
}

/// Tries providers in order and keeps the first that yields credentials. The default chain is
/// environment, then profile file, then the ECS/CCE metadata service (the official SDKs' order;
/// `HCPARTNER_METADATA_DISABLED=1` leaves the metadata service out).
#[derive(Debug)]
pub struct Chain {
    providers: Vec<Box<dyn ProvideCredentials>>,
    used: std::sync::Mutex<Option<String>>,
}

impl Default for Chain {
    fn default() -> Self {
        let mut providers: Vec<Box<dyn ProvideCredentials>> = vec![
            Box::new(EnvProvider::new()),
            Box::new(ProfileProvider::new()),
        ];
        if std::env::var(ENV_METADATA_DISABLED).map_or(true, |v| v.trim() != "1") {
            providers.push(Box::new(MetadataProvider::new()));
        }
        Chain::new(providers)
    }
}

impl Chain {
    pub fn new(providers: Vec<Box<dyn ProvideCredentials>>) -> Chain {
        Chain {
            providers,
            used: std::sync::Mutex::new(None),
        }
    }
    /// The name of the provider that supplied the credentials last time.
    pub fn used(&self) -> Option<String> {
        self.used.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl ProvideCredentials for Chain {
    fn name(&self) -> String {
        match self.used() {
            Some(u) => format!("chain, used {u}"),
            None => format!(
                "chain of [{}]",
                self.providers
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for p in &self.providers {
                match p.provide().await {
                    Ok(c) => {
                        let name = p.name();
                        tracing::debug!(provider = %name, "credentials loaded");
                        *self.used.lock().unwrap_or_else(|e| e.into_inner()) = Some(name);
                        return Ok(c);
                    }
                    Err(e) => tried.push(format!("{}: {}", p.name(), e.message())),
                }
            }
            Err(Error::config(
                "credentials",
                format!("no credentials found; tried {}", tried.join("; ")),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_file() {
        let dir = std::env::temp_dir().join(format!("hcp-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("credentials");
        std::fs::write(
            &path,
            "[basic]\nak = B\nsk = BS\n[global]\nak = GAK\nsk = GSK\ndomain_id = D1\n",
        )
        .unwrap();
        let c = ProfileProvider::new().with_path(&path).load().unwrap();
        assert_eq!(
            (c.ak.as_str(), c.sk.expose(), c.domain_id.as_deref()),
            ("GAK", "GSK", Some("D1"))
        );
        let e = ProfileProvider::new()
            .with_path(&path)
            .with_section("nope")
            .load()
            .unwrap_err();
        assert!(e.message().contains("no [nope] section"), "{e}");
        std::fs::write(&path, "[global]\nak = GAK\n").unwrap();
        let e = ProfileProvider::new().with_path(&path).load().unwrap_err();
        assert!(e.message().contains("needs both ak and sk"), "{e}");
        let e = ProfileProvider::new()
            .with_path(dir.join("missing"))
            .load()
            .unwrap_err();
        assert_eq!(e.field(), Some("credentials_file"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[derive(Debug)]
    struct Fails;
    impl ProvideCredentials for Fails {
        fn name(&self) -> String {
            "fails".into()
        }
        fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
            Box::pin(future::ready(Err(Error::config("x", "nothing here"))))
        }
    }

    #[test]
    fn chain_says_which_it_used() {
        let chain = Chain::new(vec![
            Box::new(Fails),
            Box::new(StaticProvider::new(AkSk::new("A", "S"))),
        ]);
        assert_eq!(
            futures::executor::block_on(chain.provide()).unwrap().ak,
            "A"
        );
        assert_eq!(chain.used().as_deref(), Some("explicit credentials"));
        let chain = Chain::new(vec![Box::new(Fails)]);
        let e = futures::executor::block_on(chain.provide()).unwrap_err();
        assert!(e.message().contains("fails: nothing here"), "{e}");
    }
}
